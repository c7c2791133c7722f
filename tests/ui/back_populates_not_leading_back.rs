use orm_core::Model;

#[derive(Model, Clone)]
#[orm(table = "authors")]
#[orm(has_many(articles = Article, back_populates = "author"))]
#[orm(has_many(drafts = Draft))]
struct Author {
    #[orm(primary_key)]
    id: Option<i32>,
}

// `drafts` leads from `Author` to `Draft`, not to `Article`.
#[derive(Model, Clone)]
#[orm(table = "articles")]
#[orm(belongs_to(author = Author, back_populates = "drafts"))]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(foreign_key = "authors.id")]
    author_id: Option<i32>,
}

#[derive(Model, Clone)]
#[orm(table = "drafts")]
struct Draft {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(foreign_key = "authors.id")]
    author_id: Option<i32>,
}

fn main() {}
