use orm_core::{aliased, Model};

#[derive(Model, Clone)]
#[orm(table = "nodes")]
struct Node {
    #[orm(primary_key)]
    id: i32,
    name: String,
}

fn main() {
    let parent = aliased::<Node>();
    let _ = parent.col(Node::name).eq("root");
    let _ = parent.col(Node::name).eq(5);
}
