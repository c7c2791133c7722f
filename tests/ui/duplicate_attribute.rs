use orm_core::Model;

#[derive(Model, Clone)]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(length = 100, unique)]
    #[orm(length = 200)]
    slug: String,
}

fn main() {}
