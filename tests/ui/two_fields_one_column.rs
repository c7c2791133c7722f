use orm_core::Model;

#[derive(Model, Clone)]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    title: String,
    #[orm(column = "title")]
    headline: String,
}

fn main() {}
