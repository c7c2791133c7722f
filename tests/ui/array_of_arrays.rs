use orm_core::Model;

#[derive(Model, Clone)]
struct Board {
    #[orm(primary_key)]
    id: Option<i32>,
    cells: Vec<Vec<i32>>,
}

fn main() {}
