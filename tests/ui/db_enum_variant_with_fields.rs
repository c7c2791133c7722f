use orm_core::DbEnum;

#[derive(DbEnum, Debug, Clone, PartialEq)]
enum Payment {
    Cash,
    Card { last4: String },
    Voucher(u32),
}

fn main() {}
