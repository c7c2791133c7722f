use orm_core::Model;

#[derive(Model)]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
}

fn main() {}
