use orm_core::Model;

#[derive(Model, Clone)]
struct Article {
    #[orm(primary_key, nullable)]
    id: Option<i32>,
}

fn main() {}
