use orm_core::Model;

#[derive(Model, Clone)]
#[orm(table = "authors")]
struct Author {
    #[orm(primary_key)]
    id: Option<i32>,
}

#[derive(Model, Clone)]
#[orm(table = "articles")]
#[orm(belongs_to(author = Author, backref = "articles", order_by = "name"))]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(foreign_key = "authors.id")]
    author_id: Option<i32>,
}

fn main() {}
