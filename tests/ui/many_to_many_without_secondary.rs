use orm_core::Model;

#[derive(Model, Clone)]
#[orm(table = "articles")]
#[orm(many_to_many(tags = Tag, backref = "articles"))]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
}

#[derive(Model, Clone)]
#[orm(table = "tags")]
struct Tag {
    #[orm(primary_key)]
    id: Option<i32>,
}

#[derive(Model, Clone)]
#[orm(table = "article_tags")]
struct ArticleTag {
    #[orm(primary_key, foreign_key = "articles.id")]
    article_id: i32,
    #[orm(primary_key, foreign_key = "tags.id")]
    tag_id: i32,
}

fn main() {}
