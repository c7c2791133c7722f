//! The issue's end-to-end case: an orders model with a database enum `status` and a
//! `text[]` `tags` column. `create_all` makes the type and the table, rows go in,
//! filters by the enum and by array containment find them, and a vector changed in
//! place is written back as one UPDATE of that column alone.

use orm_core::prelude::*;
use orm_core::Value;
use tests::TestDb;

#[derive(DbEnum, Debug, Clone, Copy, PartialEq)]
#[orm(type_name = "order_status")]
pub enum Status {
    Pending,
    Paid,
    Shipped,
}

#[derive(Model, Clone, Debug, PartialEq)]
#[orm(table = "orders")]
#[orm(index(tags, using = "gin"))]
pub struct Order {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub status: Status,
    pub tags: Vec<String>,
}

fn order(status: Status, tags: &[&str]) -> Order {
    Order {
        id: None,
        status,
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
    }
}

fn setup(name: &str) -> (TestDb, Session, StatementLog) {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Order>()
        .create_all(&db.engine)
        .unwrap();
    let log = StatementLog::attach(&db.engine);
    let session = db.engine.session();
    (db, session, log)
}

#[test]
fn create_all_makes_the_enum_type_and_the_array_column() {
    let (db, _session, _log) = setup("orders_ddl");
    assert_eq!(
        db.query_text(
            "SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) \
             FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid \
             JOIN pg_namespace n ON n.oid = t.typnamespace \
             WHERE n.nspname = current_schema() GROUP BY t.typname"
        ),
        [["order_status", "pending,paid,shipped"]]
    );
    assert_eq!(
        db.query_text(
            "SELECT column_name, data_type, udt_name FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = 'orders' ORDER BY ordinal_position"
        ),
        [
            ["id", "integer", "int4"],
            ["status", "USER-DEFINED", "order_status"],
            ["tags", "ARRAY", "_text"],
        ]
    );
    assert_eq!(
        db.query_text("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'ix_orders_tags'"),
        [[format!(
            "CREATE INDEX ix_orders_tags ON {}.orders USING gin (tags)",
            db.schema
        )]]
    );
}

#[test]
fn insert_filter_by_enum_and_by_containment_then_update_the_vector_in_place() {
    let (db, session, log) = setup("orders_flow");
    session.add(order(Status::Pending, &["gift"]));
    let paid = session.add(order(Status::Paid, &["urgent", "gift"]));
    session.add(order(Status::Paid, &["eu"]));
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT status, tags FROM orders ORDER BY id"),
        [
            ["pending", "{gift}"],
            ["paid", "{urgent,gift}"],
            ["paid", "{eu}"]
        ]
    );

    let found = session
        .query::<Order>()
        .filter(Order::status.eq(Status::Paid))
        .filter(Order::tags.contains(["gift"]))
        .all()
        .unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].ptr_eq(&paid), "the identity map's object");
    let (sql, params) = log.entries().pop().unwrap();
    assert!(
        sql.ends_with(r#"WHERE "orders"."status" = $1 AND "orders"."tags" @> $2"#),
        "{sql}"
    );
    assert_eq!(
        params,
        [Value::from("paid"), Value::Array(vec![Value::from("gift")])]
    );

    log.clear();
    paid.write().tags.push("fragile".into());
    session.commit().unwrap();
    let writes: Vec<(String, Vec<Value>)> = log
        .entries()
        .into_iter()
        .filter(|(sql, _)| !matches!(sql.as_str(), "BEGIN" | "COMMIT"))
        .collect();
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert_eq!(
        writes[0].0,
        r#"UPDATE "orders" SET "tags" = $1 WHERE "orders"."id" = $2"#
    );
    assert_eq!(
        writes[0].1[0],
        Value::Array(vec!["urgent".into(), "gift".into(), "fragile".into()])
    );
    assert_eq!(
        db.query_text("SELECT tags FROM orders WHERE status = 'paid' ORDER BY id"),
        [["{urgent,gift,fragile}"], ["{eu}"]]
    );
}
