use orm_core::Model;

#[derive(Model, Clone)]
#[orm(index(title))]
#[orm(index(slug, name = "ix_posts_slug_title"), index(slug, title, name = "ix_posts_slug_title"))]
struct Post {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(index)]
    title: String,
    slug: String,
}

fn main() {}
