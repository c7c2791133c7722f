use orm_core::Model;

#[derive(Model, Clone)]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(skip, unique)]
    cache: Vec<String>,
}

fn main() {}
