use orm_core::DbEnum;

#[derive(DbEnum, Debug, Clone, PartialEq)]
enum Status {
    Paid,
    #[orm(rename = "paid")]
    Settled,
}

fn main() {}
