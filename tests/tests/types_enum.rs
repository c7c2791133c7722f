//! Database enums from `#[derive(DbEnum)]`: the type is created before the tables
//! and dropped after them, values compare in the type's order, arrays and NULLs of
//! them work, a label the Rust enum lacks is a typed error, and the text-stored
//! variant (`native_enum = false`) makes no type at all.

use orm_core::prelude::*;
use orm_core::{Error, Value};
use tests::TestDb;

/// Declared in an order that differs from the labels' alphabetical order.
#[derive(DbEnum, Debug, Clone, Copy, PartialEq)]
pub enum Priority {
    Low,
    Medium,
    High,
    #[orm(rename = "URGENT!")]
    Urgent,
}

#[derive(Model, Clone, Debug, PartialEq)]
#[orm(table = "tickets")]
pub struct Ticket {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub title: String,
    pub priority: Priority,
    pub previous: Option<Priority>,
    pub history: Vec<Priority>,
    #[orm(native_enum = false)]
    pub as_text: Priority,
}

/// Stored as text everywhere: for databases without enums.
#[derive(DbEnum, Debug, Clone, Copy, PartialEq)]
#[orm(native_enum = false)]
pub enum Color {
    Red,
    Green,
    DarkBlue,
}

#[derive(Model, Clone, Debug, PartialEq)]
#[orm(table = "paints")]
pub struct Paint {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub color: Color,
    #[orm(length = 20)]
    pub wide: Color,
}

fn ticket(title: &str, priority: Priority) -> Ticket {
    Ticket {
        id: None,
        title: title.into(),
        priority,
        previous: None,
        history: vec![],
        as_text: priority,
    }
}

fn setup(name: &str) -> (TestDb, Session, StatementLog) {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Ticket>()
        .with::<Paint>()
        .create_all(&db.engine)
        .unwrap();
    let log = StatementLog::attach(&db.engine);
    let session = db.engine.session();
    (db, session, log)
}

fn enum_types(db: &TestDb) -> Vec<Vec<String>> {
    db.query_text(
        "SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) \
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid \
         JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE n.nspname = current_schema() GROUP BY t.typname ORDER BY 1",
    )
}

#[test]
fn the_type_comes_before_the_tables_and_goes_after_them() {
    let db = TestDb::new("enum_lifecycle");
    let log = StatementLog::attach(&db.engine);
    let md = MetaData::new().with::<Ticket>().with::<Paint>();
    md.create_all(&db.engine).unwrap();
    md.create_all(&db.engine).unwrap();
    let ddl: Vec<String> = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("CREATE") || s.starts_with("DROP"))
        .collect();
    assert_eq!(
        ddl[0],
        r#"CREATE TYPE "priority" AS ENUM ('low', 'medium', 'high', 'URGENT!')"#
    );
    assert!(
        ddl[1].starts_with(r#"CREATE TABLE "tickets""#),
        "{}",
        ddl[1]
    );
    assert!(
        ddl[1].contains(r#""priority" "priority" NOT NULL, "previous" "priority", "history" "priority"[] NOT NULL, "as_text" VARCHAR(7) NOT NULL"#),
        "{}",
        ddl[1]
    );
    assert_eq!(
        ddl.len(),
        3,
        "the second create_all creates nothing: {ddl:?}"
    );
    assert_eq!(enum_types(&db), [["priority", "low,medium,high,URGENT!"]]);

    log.clear();
    md.drop_all(&db.engine).unwrap();
    let ddl = log.statements();
    let drops: Vec<&String> = ddl.iter().filter(|s| s.starts_with("DROP")).collect();
    assert_eq!(drops.len(), 3, "{ddl:?}");
    assert_eq!(drops[2], r#"DROP TYPE IF EXISTS "priority""#);
    assert!(enum_types(&db).is_empty());
    assert!(db.tables().is_empty());
}

#[test]
fn values_round_trip_and_compare_in_the_type_order() {
    let (db, session, _log) = setup("enum_order");
    for (title, p) in [
        ("a", Priority::High),
        ("b", Priority::Low),
        ("c", Priority::Urgent),
        ("d", Priority::Medium),
    ] {
        session.add(ticket(title, p));
    }
    session.commit().unwrap();
    let above_medium: Vec<String> = session
        .query::<Ticket>()
        .filter(Ticket::priority.gt(Priority::Medium))
        .order_by(Ticket::priority.desc())
        .all()
        .unwrap()
        .iter()
        .map(|t| t.read().title.clone())
        .collect();
    assert_eq!(
        above_medium,
        ["c", "a"],
        "urgent > high > medium, not by text"
    );
    let below_medium = |column: Col<Ticket, Priority>| -> Vec<String> {
        session
            .query::<Ticket>()
            .filter(column.lt(Priority::Medium))
            .filter(Ticket::title.ne("c"))
            .order_by(column)
            .all()
            .unwrap()
            .iter()
            .map(|t| t.read().title.clone())
            .collect()
    };
    assert_eq!(below_medium(Ticket::priority), ["b"], "only low < medium");
    assert_eq!(
        below_medium(Ticket::as_text),
        ["a", "b"],
        "the text column compares labels as text: 'high' < 'low' < 'medium'"
    );
    assert_eq!(
        db.query_text("SELECT title, priority, as_text FROM tickets ORDER BY priority"),
        [
            ["b", "low", "low"],
            ["d", "medium", "medium"],
            ["a", "high", "high"],
            ["c", "URGENT!", "URGENT!"]
        ]
    );
}

#[test]
fn nullable_and_array_columns_of_an_enum() {
    let (db, session, log) = setup("enum_null_array");
    let t = session.add(Ticket {
        previous: Some(Priority::Low),
        history: vec![Priority::Low, Priority::Urgent],
        ..ticket("a", Priority::High)
    });
    session.add(ticket("b", Priority::Low));
    session.commit().unwrap();
    let none: Vec<Handle<Ticket>> = session
        .query::<Ticket>()
        .filter(Ticket::previous.eq(None::<Priority>))
        .all()
        .unwrap();
    assert_eq!(none.len(), 1);
    assert_eq!(none[0].read().title, "b");
    let urgent_once = session
        .query::<Ticket>()
        .filter(Ticket::history.contains([Priority::Urgent]))
        .all()
        .unwrap();
    assert!(urgent_once.len() == 1 && urgent_once[0].ptr_eq(&t));
    let (_, params) = log.entries().pop().unwrap();
    assert_eq!(params, [Value::Array(vec![Value::from("URGENT!")])]);
    t.write().history.push(Priority::Medium);
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT previous, history FROM tickets WHERE title = 'a'"),
        [["low", "{low,URGENT!,medium}"]]
    );
    let fresh = db.engine.session();
    let loaded = fresh.get::<Ticket>(1).unwrap().unwrap();
    assert_eq!(
        loaded.read().history,
        [Priority::Low, Priority::Urgent, Priority::Medium]
    );
}

#[test]
fn a_label_the_rust_enum_lacks_is_a_conversion_error() {
    let (db, session, _log) = setup("enum_unknown_label");
    session.add(ticket("a", Priority::Low));
    session.commit().unwrap();
    db.execute_raw("ALTER TYPE priority ADD VALUE 'blocker'");
    db.execute_raw("UPDATE tickets SET priority = 'blocker'");
    let fresh = db.engine.session();
    let err = fresh.query::<Ticket>().all().unwrap_err();
    assert_eq!(
        err.to_string(),
        "type conversion error: column `tickets.priority`: `blocker` is not a label of `Priority` (\"low\", \"medium\", \"high\", \"URGENT!\")"
    );
    assert!(matches!(err, Error::Conversion(_)));
}

#[test]
fn bulk_updates_set_an_enum() {
    let (db, session, _log) = setup("enum_bulk");
    let a = session.add(ticket("a", Priority::Low));
    session.add(ticket("b", Priority::High));
    session.commit().unwrap();
    let n = session
        .query::<Ticket>()
        .filter(Ticket::priority.lt(Priority::High))
        .update([Ticket::priority.set(Priority::Urgent)])
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        a.read().priority,
        Priority::Urgent,
        "the loaded object follows"
    );
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT title, priority FROM tickets ORDER BY title"),
        [["a", "URGENT!"], ["b", "high"]]
    );
}

#[test]
fn a_text_stored_enum_makes_no_type() {
    let (db, session, _log) = setup("enum_as_text");
    session.add(Paint {
        id: None,
        color: Color::DarkBlue,
        wide: Color::Red,
    });
    session.commit().unwrap();
    assert_eq!(
        db.query_text(
            "SELECT column_name, format_type(atttypid, atttypmod) FROM information_schema.columns c \
             JOIN pg_attribute a ON a.attrelid = 'paints'::regclass AND a.attname = c.column_name \
             WHERE c.table_schema = current_schema() AND c.table_name = 'paints' ORDER BY ordinal_position"
        ),
        [
            ["id", "integer"],
            ["color", "character varying(9)"],
            ["wide", "character varying(20)"]
        ]
    );
    assert_eq!(enum_types(&db), [["priority", "low,medium,high,URGENT!"]]);
    let found = session
        .query::<Paint>()
        .filter(Paint::color.eq(Color::DarkBlue))
        .one()
        .unwrap();
    assert_eq!(found.read().wide, Color::Red);
    assert_eq!(
        db.query_text("SELECT color, wide FROM paints"),
        [["dark_blue", "red"]]
    );
}

/// Same database type name as `Priority`, other labels.
#[derive(DbEnum, Debug, Clone, Copy, PartialEq)]
#[orm(type_name = "priority")]
pub enum OtherPriority {
    Normal,
}

#[derive(Model, Clone, Debug)]
#[orm(table = "jobs")]
pub struct Job {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub priority: OtherPriority,
}

#[test]
fn two_enums_with_one_type_name_are_refused_before_any_sql() {
    let db = TestDb::new("enum_conflict");
    let log = StatementLog::attach(&db.engine);
    let err = MetaData::new()
        .with::<Ticket>()
        .with::<Job>()
        .create_all(&db.engine)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "schema error: enum type \"priority\" has labels (low, medium, high, URGENT!) in tickets.priority but (normal) in jobs.priority: give one of the Rust enums another `type_name`"
    );
    assert!(log.is_empty(), "{:?}", log.statements());
}

#[test]
fn several_changed_enums_are_one_batched_update() {
    let (db, session, log) = setup("enum_batched");
    let a = session.add(ticket("a", Priority::Low));
    let b = session.add(ticket("b", Priority::Low));
    session.commit().unwrap();
    log.clear();
    a.write().priority = Priority::High;
    b.write().priority = Priority::Urgent;
    session.commit().unwrap();
    let updates: Vec<String> = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("UPDATE"))
        .collect();
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert!(updates[0].contains(r#"$2::"priority""#), "{}", updates[0]);
    assert_eq!(
        db.query_text("SELECT title, priority FROM tickets ORDER BY title"),
        [["a", "high"], ["b", "URGENT!"]]
    );
}
