use orm_core::Model;

#[derive(Clone, PartialEq)]
struct Money(i64);

#[derive(Model, Clone)]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    price: Money,
}

fn main() {}
