use orm_core::DbNewtype;

#[derive(DbNewtype, Debug, Clone, PartialEq)]
struct Range(i32, i32);

#[derive(DbNewtype, Debug, Clone, PartialEq)]
struct Nothing;

#[derive(DbNewtype, Debug, Clone, PartialEq)]
enum Status {
    Paid,
}

#[derive(DbNewtype, Debug, Clone, PartialEq)]
#[orm(sql_type = "TEXT")]
struct Email(String);

fn main() {}
