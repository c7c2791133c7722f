use orm_core::DbNewtype;

#[derive(Debug, Clone, PartialEq)]
struct Point {
    x: i32,
    y: i32,
}

#[derive(DbNewtype, Debug, Clone, PartialEq)]
struct Location(Point);

fn main() {}
