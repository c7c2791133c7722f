use orm_core::Model;

#[derive(Model, Clone)]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(on_delete = "cascade")]
    author_id: Option<i32>,
}

fn main() {}
