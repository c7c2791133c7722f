use orm_core::{DbEnum, Model};

#[derive(DbEnum, Debug, Clone, Copy, PartialEq)]
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

fn main() {
    let _ = Order::status.eq(Status::Paid);
    let _ = Order::status.eq("paid");
}
