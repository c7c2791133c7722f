use orm_core::Model;

#[derive(Model, Clone)]
#[orm(tabel = "articles")]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(lenght = 100)]
    slug: String,
    #[orm(table = "x")]
    title: String,
    #[orm(sparkle)]
    body: String,
}

fn main() {}
