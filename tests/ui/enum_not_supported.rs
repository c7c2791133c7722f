use orm_core::Model;

#[derive(Model, Clone)]
enum Status {
    Draft,
    Published,
}

#[derive(Model, Clone)]
struct Pair(i32, String);

#[derive(Model, Clone)]
struct Wrapper<T> {
    #[orm(primary_key)]
    id: Option<i32>,
    inner: T,
}

fn main() {}
