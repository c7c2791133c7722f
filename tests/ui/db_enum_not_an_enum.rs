use orm_core::DbEnum;

#[derive(DbEnum, Debug, Clone, PartialEq)]
struct Email(String);

#[derive(DbEnum, Debug, Clone, PartialEq)]
enum Never {}

#[derive(DbEnum, Debug, Clone, PartialEq)]
enum Tagged<T> {
    One,
    Other(T),
}

fn main() {}
