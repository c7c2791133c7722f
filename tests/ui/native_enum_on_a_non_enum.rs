use orm_core::Model;

#[derive(Model, Clone)]
struct Paint {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(native_enum = false)]
    color: String,
}

fn main() {}
