//! Migrations of the model layer's types and constraints against PostgreSQL: enum
//! types (created, grown label by label, dropped), array columns, CHECK
//! constraints and partial and GIN indexes. A first migration leaves no difference
//! (the server's spelling of conditions is no change); a second one runs in the
//! expected order, and `down` comes back to the first (but for enum labels, which
//! PostgreSQL cannot remove).

use crate::migrate_common;

use migrate_common::{snapshot, TempDir};
use orm_core::prelude::*;
use orm_core::{EnumType, SqlType};
use orm_migrate::{autogenerate, generate, Migrator, Operation, Renames};
use tests::TestDb;

mod v1 {
    use super::*;

    #[derive(DbEnum, Debug, Clone, Copy, PartialEq)]
    #[orm(type_name = "order_status")]
    pub enum Status {
        Pending,
        Paid,
    }

    #[derive(DbEnum, Debug, Clone, Copy, PartialEq)]
    pub enum Channel {
        Web,
        Shop,
    }

    #[derive(Model, Clone, Debug)]
    #[orm(table = "orders")]
    #[orm(index(tags, using = "gin"))]
    #[orm(index(status, where = "status IN ('pending', 'paid') AND total > 0"))]
    #[orm(unique(status, total))]
    #[orm(check = "total BETWEEN 0 AND 99999")]
    pub struct Order {
        #[orm(primary_key)]
        pub id: Option<i32>,
        pub status: Status,
        pub channel: Channel,
        pub tags: Vec<String>,
        pub total: i32,
    }

    pub fn metadata() -> MetaData {
        MetaData::new().with::<Order>()
    }
}

mod v2 {
    use super::*;

    /// Two labels more: one first, one last.
    #[derive(DbEnum, Debug, Clone, Copy, PartialEq)]
    #[orm(type_name = "order_status")]
    pub enum Status {
        Draft,
        Pending,
        Paid,
        Refunded,
    }

    #[derive(DbEnum, Debug, Clone, Copy, PartialEq)]
    pub enum Priority {
        Low,
        High,
    }

    /// `channel` (and its type) gone; `scores` and `priority` new; the partial
    /// index's condition changed; one CHECK more.
    #[derive(Model, Clone, Debug)]
    #[orm(table = "orders")]
    #[orm(index(tags, using = "gin"))]
    #[orm(index(status, where = "status = 'pending'"))]
    #[orm(unique(status, total))]
    #[orm(check = "total BETWEEN 0 AND 99999")]
    #[orm(check = "cardinality(tags) <= 10")]
    pub struct Order {
        #[orm(primary_key)]
        pub id: Option<i32>,
        pub status: Status,
        pub tags: Vec<String>,
        pub scores: Vec<i32>,
        pub total: i32,
        pub priority: Option<Priority>,
    }

    pub fn metadata() -> MetaData {
        MetaData::new().with::<Order>()
    }
}

fn enum_labels(db: &TestDb) -> Vec<Vec<String>> {
    db.query_text(
        "SELECT t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) \
         FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid \
         JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE n.nspname = current_schema() GROUP BY t.typname ORDER BY 1",
    )
}

fn checks(db: &TestDb) -> Vec<Vec<String>> {
    db.query_text(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint \
         WHERE conrelid = 'orders'::regclass AND contype = 'c' ORDER BY conname",
    )
}

fn statements(path: &std::path::Path, file: &str) -> Vec<String> {
    std::fs::read_to_string(path.join(file))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("--") && !l.is_empty())
        .map(String::from)
        .collect()
}

#[test]
fn reflection_reads_enums_arrays_checks_and_index_options() {
    let db = TestDb::new("mig_types_reflect");
    v1::metadata().create_all(&db.engine).unwrap();
    let md = orm_migrate::reflect(&db.engine).unwrap();
    let orders = md.table("orders").unwrap();
    let status = EnumType::new("order_status", &["pending", "paid"]);
    assert_eq!(
        orders.column("status").unwrap().sql_type,
        SqlType::Enum(status.clone())
    );
    assert_eq!(
        orders.column("tags").unwrap().sql_type,
        SqlType::Array(Box::new(SqlType::Text))
    );
    assert_eq!(
        md.enum_types(),
        [status, EnumType::new("channel", &["web", "shop"])]
    );
    assert_eq!(orders.checks.len(), 1);
    assert_eq!(orders.checks[0].expr, "((total >= 0) AND (total <= 99999))");
    let gin = orders
        .indexes
        .iter()
        .find(|i| i.name == "ix_orders_tags")
        .unwrap();
    assert_eq!(
        (gin.using.as_deref(), gin.predicate.as_deref()),
        (Some("gin"), None)
    );
    let partial = orders
        .indexes
        .iter()
        .find(|i| i.name == "ix_orders_status")
        .unwrap();
    assert_eq!(partial.using, None, "btree reads as the default");
    assert_eq!(
        partial.predicate.as_deref(),
        Some("((status = ANY (ARRAY['pending'::order_status, 'paid'::order_status])) AND (total > 0))")
    );
}

#[test]
fn enums_arrays_checks_and_indexes_migrate_up_and_down() {
    let db = TestDb::new("mig_types");
    let dir = TempDir::new("types");
    let migrator = Migrator::new(&db.engine, dir.path());
    let renames = Renames::default();

    let first = generate(&migrator, &v1::metadata(), "initial", &renames)
        .unwrap()
        .unwrap();
    let described: Vec<String> = first.plan.operations().map(Operation::describe).collect();
    assert_eq!(
        described[..3],
        [
            "create enum type \"order_status\" (pending, paid)",
            "create enum type \"channel\" (web, shop)",
            "create table \"orders\"",
        ]
    );
    migrator.up().unwrap();
    let plan = autogenerate(&db.engine, &v1::metadata(), &renames).unwrap();
    assert!(
        plan.is_empty() && plan.notes.is_empty(),
        "conditions as the server prints them are no difference: {:#?}",
        plan.steps
    );
    db.execute_raw(
        "INSERT INTO orders (status, channel, tags, total) VALUES ('paid', 'web', '{a}', 10)",
    );
    let v1_snapshot = snapshot(&db);
    let v1_checks = checks(&db);

    let second = generate(&migrator, &v2::metadata(), "v2", &renames)
        .unwrap()
        .unwrap();
    let described: Vec<String> = second.plan.operations().map(Operation::describe).collect();
    assert_eq!(
        described,
        [
            "drop index \"ix_orders_status\"",
            "drop column \"orders\".\"channel\"",
            "add label 'draft' to enum type \"order_status\"",
            "add label 'refunded' to enum type \"order_status\"",
            "create enum type \"priority\" (low, high)",
            "add column \"orders\".\"scores\"",
            "add column \"orders\".\"priority\"",
            "add check constraint \"orders_check\" on \"orders\"",
            "create index \"ix_orders_status\"",
            "drop enum type \"channel\"",
        ]
    );
    let up = statements(&second.path, "up.sql");
    assert_eq!(
        up[2..5],
        [
            "ALTER TYPE \"order_status\" ADD VALUE 'draft' BEFORE 'pending';",
            "ALTER TYPE \"order_status\" ADD VALUE 'refunded' AFTER 'paid';",
            "CREATE TYPE \"priority\" AS ENUM ('low', 'high');",
        ]
    );
    assert_eq!(
        up[5..],
        [
            "ALTER TABLE \"orders\" ADD COLUMN \"scores\" INTEGER[] NOT NULL;",
            "ALTER TABLE \"orders\" ADD COLUMN \"priority\" \"priority\";",
            "ALTER TABLE \"orders\" ADD CONSTRAINT \"orders_check\" CHECK (cardinality(tags) <= 10);",
            "CREATE INDEX \"ix_orders_status\" ON \"orders\" (\"status\") WHERE status = 'pending';",
            "DROP TYPE \"channel\";",
        ]
    );
    // The table has a row and `scores` has no default: the reviewer fills it in.
    assert!(second
        .plan
        .warnings()
        .any(|w| w.contains("adding NOT NULL column \"scores\" without a default fails")));
    db.execute_raw("DELETE FROM orders");
    migrator.up().unwrap();
    assert_eq!(
        enum_labels(&db),
        [
            ["order_status", "draft,pending,paid,refunded"],
            ["priority", "low,high"]
        ]
    );
    let plan = autogenerate(&db.engine, &v2::metadata(), &renames).unwrap();
    assert!(plan.is_empty(), "{:#?}", plan.steps);

    migrator.down(1).unwrap();
    assert_eq!(snapshot(&db), v1_snapshot);
    assert_eq!(checks(&db), v1_checks);
    assert_eq!(
        enum_labels(&db),
        [
            ["channel", "web,shop"],
            ["order_status", "draft,pending,paid,refunded"]
        ],
        "labels cannot be removed: down leaves them"
    );
    let plan = autogenerate(&db.engine, &v1::metadata(), &renames).unwrap();
    assert!(plan.is_empty(), "{:#?}", plan.steps);
    assert_eq!(plan.notes.len(), 1, "the extra labels are a note");
}
