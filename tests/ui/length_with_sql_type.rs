use orm_core::Model;

#[derive(Model, Clone)]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(length = 10, sql_type = "TEXT")]
    title: String,
}

fn main() {}
