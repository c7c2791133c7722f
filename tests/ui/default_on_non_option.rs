use orm_core::Model;

fn now() -> chrono::NaiveDateTime {
    chrono::DateTime::UNIX_EPOCH.naive_utc()
}

#[derive(Model, Clone)]
struct Article {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(default = now)]
    created_on: chrono::NaiveDateTime,
}

fn main() {}
