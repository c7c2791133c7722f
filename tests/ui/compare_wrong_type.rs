use orm_core::Model;

#[derive(Model, Clone)]
#[orm(table = "articles")]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(length = 100, unique)]
    slug: String,
}

fn main() {
    let _ = Article::slug.eq("clean-python");
    let _ = Article::slug.eq(5);
}
