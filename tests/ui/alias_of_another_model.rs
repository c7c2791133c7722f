use orm_core::{aliased, Model};

#[derive(Model, Clone)]
#[orm(table = "nodes")]
struct Node {
    #[orm(primary_key)]
    id: i32,
}

#[derive(Model, Clone)]
#[orm(table = "articles")]
struct Article {
    #[orm(primary_key)]
    id: i32,
}

fn main() {
    let parent = aliased::<Node>();
    let _ = parent.col(Node::id);
    let _ = parent.col(Article::id);
}
