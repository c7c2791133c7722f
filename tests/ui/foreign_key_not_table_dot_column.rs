use orm_core::Model;

#[derive(Model, Clone)]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(foreign_key = "authors")]
    author_id: Option<i32>,
    #[orm(foreign_key = "authors.id.x")]
    editor_id: Option<i32>,
}

fn main() {}
