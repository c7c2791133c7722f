use orm_core::Model;

#[derive(Model, Clone)]
#[orm(table = "authors")]
struct Author {
    #[orm(primary_key)]
    id: Option<i32>,
}

#[derive(Model, Clone)]
#[orm(table = "articles")]
#[orm(belongs_to(author = Author, backref = "articles", passive_deletes))]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(foreign_key = "authors.id", on_delete = "cascade")]
    author_id: Option<i32>,
}

fn main() {}
