use orm_core::Model;

#[derive(Clone)]
struct Cache;

#[derive(Model, Clone)]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(skip)]
    cache: Cache,
}

fn main() {}
