//! The free functions `orm_core::create_all`/`drop_all` work on every registered
//! model. The derive is not used here: the registration it would emit is written
//! by hand, the way `#[derive(Model)]` submits it.

use orm_core::__private::{inventory, Lazy};
use orm_core::{Column, ModelRegistration, SqlType, StatementLog, Table};
use tests::TestDb;

static NOTES: Lazy<Table> = Lazy::new(|| {
    Table::new(
        "notes",
        vec![
            Column::new("id", SqlType::Integer)
                .primary_key()
                .autoincrement(),
            Column::new("book_id", SqlType::Integer).references("books", "id"),
        ],
    )
});

static BOOKS: Lazy<Table> = Lazy::new(|| {
    Table::new(
        "books",
        vec![Column::new("id", SqlType::Integer)
            .primary_key()
            .autoincrement()],
    )
});

inventory::submit! { ModelRegistration { table: || &NOTES } }
inventory::submit! { ModelRegistration { table: || &BOOKS } }

#[test]
fn create_all_and_drop_all_cover_registered_models() {
    let db = TestDb::new("registry");
    let log = StatementLog::attach(&db.engine);
    orm_core::create_all(&db.engine).unwrap();
    assert_eq!(db.tables(), ["books", "notes"]);
    let creates: Vec<String> = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("CREATE"))
        .collect();
    assert!(
        creates[0].starts_with(r#"CREATE TABLE "books""#),
        "{creates:#?}"
    );

    orm_core::create_all(&db.engine).unwrap();
    orm_core::drop_all(&db.engine).unwrap();
    assert!(db.tables().is_empty());
}
