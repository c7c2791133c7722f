use orm_core::Model;

#[derive(Model, Clone)]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(foreign_key = "authors.id", on_delete = "explode")]
    author_id: Option<i32>,
}

fn main() {}
