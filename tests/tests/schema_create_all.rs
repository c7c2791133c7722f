//! `MetaData::create_all` / `drop_all` against a real server: what the catalog reads
//! back, idempotence, FK order and cycles, validation before any SQL, and a value
//! of every column type through INSERT and SELECT.

use chrono::{NaiveDate, TimeZone, Utc};
use orm_core::{
    Column, Error, ForeignKey, MetaData, ReferentialAction, SqlType, StatementLog, Table, Value,
};
use rust_decimal::Decimal;
use tests::TestDb;

fn references_cascade(column: Column, table: &str) -> Column {
    let mut column = column.references(table, "id");
    column.foreign_key = column
        .foreign_key
        .map(|fk| fk.on_delete(ReferentialAction::Cascade));
    column
}

/// The tutorial's `authors` table.
fn authors() -> Table {
    Table::new(
        "authors",
        vec![
            Column::new("id", SqlType::Integer)
                .primary_key()
                .autoincrement(),
            Column::new("firstname", SqlType::Varchar(100)),
            Column::new("lastname", SqlType::Varchar(100)),
            Column::new("email", SqlType::Varchar(255)).not_null(),
            Column::new("joined", SqlType::Timestamp),
        ],
    )
}

/// The tutorial's `articles` table.
fn articles() -> Table {
    Table::new(
        "articles",
        vec![
            Column::new("id", SqlType::Integer)
                .primary_key()
                .autoincrement(),
            Column::new("slug", SqlType::Varchar(100))
                .not_null()
                .unique(),
            Column::new("title", SqlType::Varchar(100)).not_null(),
            Column::new("created_on", SqlType::Timestamp),
            Column::new("updated_on", SqlType::Timestamp),
            Column::new("content", SqlType::Text),
            references_cascade(Column::new("author_id", SqlType::Integer), "authors"),
        ],
    )
}

/// Children first on purpose: create_all must reorder.
fn blog() -> MetaData {
    let mut md = MetaData::new();
    md.add_table(articles());
    md.add_table(authors());
    md
}

fn rows(expected: &[&str]) -> Vec<String> {
    expected.iter().map(|s| (*s).to_owned()).collect()
}

fn joined(db: &TestDb, sql: &str) -> Vec<String> {
    db.query_text(sql)
        .into_iter()
        .map(|r| r.join("|"))
        .collect()
}

const COLUMNS_SQL: &str = "SELECT table_name, column_name, data_type, character_maximum_length, \
     is_nullable, is_identity, identity_generation, column_default \
     FROM information_schema.columns WHERE table_schema = current_schema() \
     ORDER BY table_name, ordinal_position";

const CONSTRAINTS_SQL: &str =
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) \
     FROM pg_catalog.pg_constraint WHERE connamespace = current_schema()::regnamespace \
     ORDER BY 1, 2";

/// Columns and constraints, to compare before and after.
fn catalog_snapshot(db: &TestDb) -> Vec<String> {
    let mut all = joined(db, COLUMNS_SQL);
    all.extend(joined(db, CONSTRAINTS_SQL));
    all.extend(joined(
        db,
        "SELECT indexname, indexdef FROM pg_catalog.pg_indexes \
         WHERE schemaname = current_schema() ORDER BY 1",
    ));
    all
}

#[test]
fn tutorial_tables_read_back_from_the_catalog() {
    let db = TestDb::new("tutorial_catalog");
    blog().create_all(&db.engine).unwrap();

    assert_eq!(
        joined(&db, COLUMNS_SQL),
        rows(&[
            "articles|id|integer|NULL|NO|YES|BY DEFAULT|NULL",
            "articles|slug|character varying|100|NO|NO|NULL|NULL",
            "articles|title|character varying|100|NO|NO|NULL|NULL",
            "articles|created_on|timestamp without time zone|NULL|YES|NO|NULL|NULL",
            "articles|updated_on|timestamp without time zone|NULL|YES|NO|NULL|NULL",
            "articles|content|text|NULL|YES|NO|NULL|NULL",
            "articles|author_id|integer|NULL|YES|NO|NULL|NULL",
            "authors|id|integer|NULL|NO|YES|BY DEFAULT|NULL",
            "authors|firstname|character varying|100|YES|NO|NULL|NULL",
            "authors|lastname|character varying|100|YES|NO|NULL|NULL",
            "authors|email|character varying|255|NO|NO|NULL|NULL",
            "authors|joined|timestamp without time zone|NULL|YES|NO|NULL|NULL",
        ])
    );
    assert_eq!(
        joined(
            &db,
            "SELECT table_name, constraint_type, constraint_name \
             FROM information_schema.table_constraints \
             WHERE table_schema = current_schema() AND constraint_type <> 'CHECK' \
             ORDER BY table_name, constraint_type"
        ),
        rows(&[
            "articles|FOREIGN KEY|articles_author_id_fkey",
            "articles|PRIMARY KEY|articles_pkey",
            "articles|UNIQUE|articles_slug_key",
            "authors|PRIMARY KEY|authors_pkey",
        ])
    );
    assert_eq!(
        joined(
            &db,
            "SELECT constraint_name, table_name, column_name, ordinal_position \
             FROM information_schema.key_column_usage \
             WHERE table_schema = current_schema() ORDER BY constraint_name, ordinal_position"
        ),
        rows(&[
            "articles_author_id_fkey|articles|author_id|1",
            "articles_pkey|articles|id|1",
            "articles_slug_key|articles|slug|1",
            "authors_pkey|authors|id|1",
        ])
    );
    assert_eq!(
        joined(
            &db,
            "SELECT constraint_name, unique_constraint_name, update_rule, delete_rule \
             FROM information_schema.referential_constraints \
             WHERE constraint_schema = current_schema()"
        ),
        rows(&["articles_author_id_fkey|authors_pkey|NO ACTION|CASCADE"])
    );
    assert_eq!(
        joined(&db, CONSTRAINTS_SQL),
        rows(&[
            "articles|articles_author_id_fkey|FOREIGN KEY (author_id) REFERENCES authors(id) ON DELETE CASCADE",
            "articles|articles_pkey|PRIMARY KEY (id)",
            "articles|articles_slug_key|UNIQUE (slug)",
            "authors|authors_pkey|PRIMARY KEY (id)",
        ])
    );
    // Identity columns (attidentity 'd' = BY DEFAULT), not SERIAL: no owned sequence default.
    assert_eq!(
        joined(
            &db,
            "SELECT attrelid::regclass::text, attname, attidentity FROM pg_catalog.pg_attribute \
             WHERE attrelid IN ('authors'::regclass, 'articles'::regclass) AND attidentity <> '' \
             ORDER BY 1"
        ),
        rows(&["articles|id|d", "authors|id|d"])
    );
}

#[test]
fn tables_are_created_parents_first_in_one_transaction() {
    let db = TestDb::new("create_order");
    let log = StatementLog::attach(&db.engine);
    blog().create_all(&db.engine).unwrap();
    let statements = log.statements();
    assert_eq!(statements.len(), 5, "{statements:#?}");
    assert_eq!(statements[0], "BEGIN");
    assert!(statements[1].starts_with("SELECT tablename FROM pg_catalog.pg_tables"));
    assert!(statements[2].starts_with(r#"CREATE TABLE "authors" ("#));
    assert!(statements[3].starts_with(r#"CREATE TABLE "articles" ("#));
    assert_eq!(statements[4], "COMMIT");
}

#[test]
fn create_all_twice_changes_nothing() {
    let db = TestDb::new("create_twice");
    let md = blog();
    md.create_all(&db.engine).unwrap();
    let before = catalog_snapshot(&db);

    let log = StatementLog::attach(&db.engine);
    md.create_all(&db.engine).unwrap();
    assert_eq!(catalog_snapshot(&db), before);
    let statements = log.statements();
    assert!(
        statements.iter().all(|s| !s.contains("CREATE")),
        "{statements:#?}"
    );
    assert_eq!(
        statements.len(),
        3,
        "BEGIN, catalog query, COMMIT: {statements:#?}"
    );
}

#[test]
fn only_missing_tables_and_their_indexes_are_created() {
    let db = TestDb::new("create_missing");
    let mut md = MetaData::new();
    md.add_table(authors());
    md.create_all(&db.engine).unwrap();

    let tags = Table::new(
        "tags",
        vec![
            Column::new("id", SqlType::Integer).primary_key(),
            Column::new("name", SqlType::Varchar(50)).not_null().index(),
        ],
    );
    md.add_table(articles());
    md.add_table(tags);
    let log = StatementLog::attach(&db.engine);
    md.create_all(&db.engine).unwrap();
    let created: Vec<String> = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("CREATE"))
        .collect();
    assert_eq!(created.len(), 3, "{created:#?}");
    assert!(created[0].starts_with(r#"CREATE TABLE "articles""#));
    assert!(created[1].starts_with(r#"CREATE TABLE "tags""#));
    assert_eq!(
        created[2],
        r#"CREATE INDEX "ix_tags_name" ON "tags" ("name")"#
    );
    assert_eq!(db.tables(), ["articles", "authors", "tags"]);
    assert_eq!(
        joined(
            &db,
            "SELECT indexname FROM pg_catalog.pg_indexes \
             WHERE schemaname = current_schema() AND tablename = 'tags' ORDER BY 1"
        ),
        rows(&["ix_tags_name", "tags_pkey"])
    );
}

#[test]
fn drop_all_leaves_no_table() {
    let db = TestDb::new("drop_all");
    let md = blog();
    md.create_all(&db.engine).unwrap();
    db.execute_raw("CREATE TABLE unrelated (x int)");

    let log = StatementLog::attach(&db.engine);
    md.drop_all(&db.engine).unwrap();
    let drops: Vec<String> = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("DROP"))
        .collect();
    assert_eq!(
        drops,
        [
            r#"DROP TABLE IF EXISTS "articles""#,
            r#"DROP TABLE IF EXISTS "authors""#
        ]
    );
    assert_eq!(
        db.tables(),
        ["unrelated"],
        "tables outside the metadata stay"
    );

    log.clear();
    md.drop_all(&db.engine).unwrap();
    assert!(log.statements().iter().all(|s| !s.starts_with("DROP")));
}

#[test]
fn undeclared_foreign_key_target_fails_before_any_statement() {
    let db = TestDb::new("undeclared_fk");
    let mut md = MetaData::new();
    md.add_table(articles());
    let log = StatementLog::attach(&db.engine);

    let err = md.create_all(&db.engine).unwrap_err();
    match &err {
        Error::Schema(msg) => assert_eq!(
            msg,
            r#"articles.author_id references authors.id, but no table "authors" is declared"#
        ),
        other => panic!("expected Error::Schema, got {other:?}"),
    }
    assert!(log.is_empty(), "{:?}", log.statements());
    assert_eq!(db.engine.open_connections(), 0, "not even a connection");
    assert!(db.tables().is_empty());
    assert!(matches!(md.drop_all(&db.engine), Err(Error::Schema(_))));
}

#[test]
fn undeclared_foreign_key_column_is_named() {
    let db = TestDb::new("undeclared_fk_column");
    let mut md = blog();
    let mut a = articles();
    a.foreign_keys[0].target_columns = vec!["uid".into()];
    md.add_table(a);
    let err = md.create_all(&db.engine).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"schema error: articles.author_id references authors.uid, but table "authors" has no column "uid""#
    );
}

#[test]
fn foreign_key_cycle_is_closed_with_alter_table() {
    let db = TestDb::new("fk_cycle");
    let a = Table::new(
        "a",
        vec![
            Column::new("id", SqlType::Integer).primary_key(),
            Column::new("b_id", SqlType::Integer).references("b", "id"),
        ],
    );
    let b = Table::new(
        "b",
        vec![
            Column::new("id", SqlType::Integer).primary_key(),
            references_cascade(Column::new("a_id", SqlType::Integer), "a"),
            Column::new("parent_id", SqlType::Integer).references("b", "id"),
        ],
    );
    let mut md = MetaData::new();
    md.add_table(a);
    md.add_table(b);
    let log = StatementLog::attach(&db.engine);
    md.create_all(&db.engine).unwrap();
    assert_eq!(
        log.statements()[2..],
        [
            r#"CREATE TABLE "a" ("id" INTEGER NOT NULL, "b_id" INTEGER, PRIMARY KEY ("id"))"#,
            r#"CREATE TABLE "b" ("id" INTEGER NOT NULL, "a_id" INTEGER, "parent_id" INTEGER, PRIMARY KEY ("id"), FOREIGN KEY ("parent_id") REFERENCES "b" ("id"))"#,
            r#"ALTER TABLE "a" ADD FOREIGN KEY ("b_id") REFERENCES "b" ("id")"#,
            r#"ALTER TABLE "b" ADD FOREIGN KEY ("a_id") REFERENCES "a" ("id") ON DELETE CASCADE"#,
            "COMMIT",
        ]
    );
    assert_eq!(
        joined(&db, CONSTRAINTS_SQL),
        rows(&[
            "a|a_b_id_fkey|FOREIGN KEY (b_id) REFERENCES b(id)",
            "a|a_pkey|PRIMARY KEY (id)",
            "b|b_a_id_fkey|FOREIGN KEY (a_id) REFERENCES a(id) ON DELETE CASCADE",
            "b|b_parent_id_fkey|FOREIGN KEY (parent_id) REFERENCES b(id)",
            "b|b_pkey|PRIMARY KEY (id)",
        ])
    );

    md.create_all(&db.engine).unwrap();
    md.drop_all(&db.engine).unwrap();
    assert!(db.tables().is_empty());
}

#[test]
fn a_failing_statement_rolls_everything_back() {
    let db = TestDb::new("create_rollback");
    let mut md = blog();
    md.add_table(Table::new(
        "broken",
        vec![Column::new("x", SqlType::Custom("no_such_type".into()))],
    ));
    let err = md.create_all(&db.engine).unwrap_err();
    let info = err.db_info().expect("a server error");
    assert_eq!(info.code, "42704", "{err}");
    assert!(db.tables().is_empty(), "authors/articles were rolled back");
    // The connection went back to the pool usable (no transaction left open).
    blog().create_all(&db.engine).unwrap();
    assert_eq!(db.tables(), ["articles", "authors"]);
}

fn every_type_table() -> Table {
    Table::new(
        "every_type",
        vec![
            Column::new("id", SqlType::BigInt)
                .primary_key()
                .autoincrement(),
            Column::new("small", SqlType::SmallInt),
            Column::new("int", SqlType::Integer),
            Column::new("big", SqlType::BigInt),
            Column::new("flag", SqlType::Boolean),
            Column::new("real", SqlType::Real),
            Column::new("dbl", SqlType::Double),
            Column::new("price", SqlType::Numeric(Some((10, 2)))),
            Column::new("amount", SqlType::Numeric(None)),
            Column::new("name", SqlType::Varchar(20)),
            Column::new("body", SqlType::Text),
            Column::new("data", SqlType::Bytes),
            Column::new("at", SqlType::Timestamp),
            Column::new("at_tz", SqlType::TimestampTz),
            Column::new("day", SqlType::Date),
            Column::new("time", SqlType::Time),
            Column::new("uid", SqlType::Uuid),
            Column::new("doc", SqlType::Json),
            Column::new("code", SqlType::Custom("CHAR(3)".into())),
        ],
    )
}

fn sample_values() -> Vec<Value> {
    let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    vec![
        Value::SmallInt(-7),
        Value::Int(42),
        Value::BigInt(1 << 40),
        Value::Bool(true),
        Value::Real(1.5),
        Value::Double(-2.25e100),
        Value::Numeric(Decimal::new(12345, 2)),
        Value::Numeric("1234567890.0123456789".parse().unwrap()),
        Value::from("héllo \"wörld\""),
        Value::from("a longer text with 'quotes'"),
        Value::Bytes(vec![0, 1, 2, 255]),
        Value::Timestamp(day.and_hms_micro_opt(13, 14, 15, 123_456).unwrap()),
        Value::TimestampTz(Utc.with_ymd_and_hms(2001, 9, 9, 1, 46, 40).unwrap()),
        Value::Date(day),
        Value::Time(chrono::NaiveTime::from_hms_micro_opt(10, 11, 12, 500_000).unwrap()),
        Value::Uuid("67e55044-10b1-426f-9247-bb680e5fe0c8".parse().unwrap()),
        Value::Json(serde_json::json!({"a": [1, 2.5, null], "b": "x"})),
        Value::from("abc"),
    ]
}

#[test]
fn every_column_type_round_trips() {
    let db = TestDb::new("every_type");
    let table = every_type_table();
    let mut md = MetaData::new();
    md.add_table(table.clone());
    md.create_all(&db.engine).unwrap();

    let names: Vec<String> = table.columns[1..]
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect();
    let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
    let insert = format!(
        "INSERT INTO every_type ({}) VALUES ({}) RETURNING id",
        names.join(", "),
        placeholders.join(", ")
    );
    let select = format!("SELECT {} FROM every_type WHERE id = $1", names.join(", "));

    let mut conn = db.engine.connect().unwrap();
    let values = sample_values();
    let id = conn.query(&insert, &values).unwrap()[0]
        .get(0)
        .cloned()
        .unwrap();
    assert_eq!(id, Value::BigInt(1));
    let row = conn.query(&select, &[id]).unwrap().remove(0);
    assert_eq!(row.into_values(), values);

    let nulls = vec![Value::Null; names.len()];
    let id = conn.query(&insert, &nulls).unwrap()[0]
        .get(0)
        .cloned()
        .unwrap();
    let row = conn.query(&select, &[id]).unwrap().remove(0);
    assert_eq!(row.into_values(), nulls);

    assert_eq!(
        joined(
            &db,
            "SELECT column_name, data_type, coalesce(character_maximum_length, numeric_precision), \
             numeric_scale FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = 'every_type' \
             AND column_name IN ('price', 'amount', 'name', 'doc', 'code', 'time', 'at_tz', 'data') \
             ORDER BY ordinal_position"
        ),
        rows(&[
            "price|numeric|10|2",
            "amount|numeric|NULL|NULL",
            "name|character varying|20|NULL",
            "data|bytea|NULL|NULL",
            "at_tz|timestamp with time zone|NULL|NULL",
            "time|time without time zone|NULL|NULL",
            "doc|jsonb|NULL|NULL",
            "code|character|3|NULL",
        ])
    );
}

#[test]
fn composite_keys_and_multi_column_unique_constraints() {
    let db = TestDb::new("composite");
    let parent = Table::new(
        "parent",
        vec![
            Column::new("a", SqlType::Integer).primary_key(),
            Column::new("b", SqlType::Varchar(10)).primary_key(),
            Column::new("c", SqlType::Integer).server_default("7"),
        ],
    )
    .with_unique(&["c", "b"]);
    let child = Table::new(
        "child",
        vec![
            Column::new("pa", SqlType::Integer),
            Column::new("pb", SqlType::Varchar(10)),
        ],
    )
    .with_foreign_key(ForeignKey {
        columns: vec!["pa".into(), "pb".into()],
        target_table: "parent".into(),
        target_columns: vec!["a".into(), "b".into()],
        on_delete: Some(ReferentialAction::SetNull),
        on_update: Some(ReferentialAction::Cascade),
        name: None,
    });
    let mut md = MetaData::new();
    md.add_table(child);
    md.add_table(parent);
    md.create_all(&db.engine).unwrap();
    assert_eq!(
        joined(&db, CONSTRAINTS_SQL),
        rows(&[
            "child|child_pa_pb_fkey|FOREIGN KEY (pa, pb) REFERENCES parent(a, b) ON UPDATE CASCADE ON DELETE SET NULL",
            "parent|parent_c_b_key|UNIQUE (c, b)",
            "parent|parent_pkey|PRIMARY KEY (a, b)",
        ])
    );
    assert_eq!(
        joined(
            &db,
            "SELECT column_default FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = 'parent' AND column_name = 'c'"
        ),
        rows(&["7"])
    );
}
