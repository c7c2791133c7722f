use orm_core::Model;

#[derive(Model, Clone)]
#[orm(check = "")]
#[orm(check = price > 0)]
struct Item {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(check = "price > 0")]
    price: i32,
}

fn main() {}
