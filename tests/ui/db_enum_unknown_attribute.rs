use orm_core::DbEnum;

#[derive(DbEnum, Debug, Clone, PartialEq)]
#[orm(typename = "order_status")]
enum Status {
    Pending,
    #[orm(label = "PAID")]
    Paid,
}

fn main() {}
