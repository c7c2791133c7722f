use orm_core::{Model, Session};

#[derive(Model, Clone)]
#[orm(table = "nodes")]
struct Node {
    #[orm(primary_key)]
    id: i32,
    name: String,
}

fn check(session: &Session) {
    let names = session.query_columns(Node::name);
    let _ = Node::name.eq(names.scalar_subquery());
    let _ = Node::id.eq(names.scalar_subquery());
}

fn main() {}
