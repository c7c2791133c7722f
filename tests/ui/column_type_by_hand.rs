use orm_core::{ColumnType, FromValue, SqlType, ToValue, Value};

/// The four hand-written impls an enum column used to need; `ColumnType` is no
/// longer one of them.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Status {
    Pending,
    Paid,
}

impl ToValue for Status {
    fn to_value(&self) -> Value {
        Value::from(if *self == Status::Paid { "paid" } else { "pending" })
    }
}

impl FromValue for Status {
    fn from_value(value: Value) -> orm_core::Result<Self> {
        match String::from_value(value)?.as_str() {
            "paid" => Ok(Status::Paid),
            _ => Ok(Status::Pending),
        }
    }
}

impl ColumnType for Status {
    type Base = Status;

    fn sql_type(_length: Option<u32>) -> SqlType {
        SqlType::Text
    }
}

fn main() {}
