use orm_core::Model;

#[derive(Model, Clone)]
#[orm(table = "authors")]
#[orm(has_many(articles = Article, backref = "author", back_populates = "author"))]
struct Author {
    #[orm(primary_key)]
    id: Option<i32>,
    name: String,
}

#[derive(Model, Clone)]
#[orm(table = "articles")]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(foreign_key = "authors.id")]
    author_id: Option<i32>,
}

fn main() {}
