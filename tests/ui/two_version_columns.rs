use orm_core::Model;

#[derive(Model, Clone)]
#[orm(table = "docs")]
struct Doc {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(version)]
    version: i32,
    #[orm(version)]
    revision: i32,
}

fn main() {}
