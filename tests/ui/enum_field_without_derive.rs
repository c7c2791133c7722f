use orm_core::Model;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    Pending,
    Paid,
}

#[derive(Model, Clone)]
struct Order {
    #[orm(primary_key)]
    id: Option<i32>,
    status: Status,
}

fn main() {}
