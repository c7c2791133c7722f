use orm_core::Model;

#[derive(Model, Clone)]
#[orm(index(tags, method = "gin"))]
#[orm(index(title, using = "gin; DROP TABLE x"))]
#[orm(index(unique))]
#[orm(index(id, using = "gin", using = "gist"))]
struct Post {
    #[orm(primary_key)]
    id: Option<i32>,
    title: String,
    tags: Vec<String>,
}

fn main() {}
