use orm_core::Model;

#[derive(Model, Clone)]
struct Article {
    id: Option<i32>,
    slug: String,
}

fn main() {}
