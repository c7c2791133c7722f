//! Reflection reads a live schema back into the same `Table` structures the models
//! produce, per schema; autogenerate sees no difference between spellings that
//! mean the same thing, and does see real differences.

use orm_core::{
    Column, ForeignKey, Index, Inspector, MetaData, ReferentialAction, SqlType, Table,
    UniqueConstraint,
};
use orm_migrate::{autogenerate, reflect, Operation, Renames};
use orm_postgres::PgInspector;
use tests::TestDb;

fn models() -> MetaData {
    let authors = Table::new(
        "authors",
        vec![
            Column::new("id", SqlType::Integer)
                .primary_key()
                .autoincrement(),
            Column::new("email", SqlType::Varchar(255))
                .not_null()
                .unique(),
            Column::new("rating", SqlType::Numeric(Some((4, 2)))),
            Column::new("joined", SqlType::TimestampTz)
                .not_null()
                .server_default("now()"),
            Column::new("status", SqlType::Varchar(20))
                .not_null()
                .server_default("'new'"),
        ],
    );
    let mut articles = Table::new(
        "articles",
        vec![
            Column::new("id", SqlType::BigInt)
                .primary_key()
                .autoincrement(),
            Column::new("title", SqlType::Varchar(100))
                .not_null()
                .index(),
            Column::new("tags", SqlType::Json).server_default("'{}'"),
            Column::new("author_id", SqlType::Integer).references("authors", "id"),
            Column::new("position", SqlType::SmallInt).not_null(),
        ],
    )
    .with_unique(&["author_id", "position"]);
    articles.foreign_keys[0].on_delete = Some(ReferentialAction::Cascade);
    let mut md = MetaData::new();
    md.add_table(authors);
    md.add_table(articles);
    md
}

#[test]
fn reflection_reads_back_what_create_all_made() {
    let db = TestDb::new("mig_reflect");
    models().create_all(&db.engine).unwrap();
    let md = reflect(&db.engine).unwrap();
    let names: Vec<&str> = md.tables().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["articles", "authors"]);

    let authors = md.table("authors").unwrap();
    let id = authors.column("id").unwrap();
    assert!(id.primary_key && id.autoincrement && !id.nullable);
    assert_eq!(id.sql_type, SqlType::Integer);
    assert_eq!(id.server_default, None, "an identity has no default");
    assert_eq!(
        authors.column("email").unwrap().sql_type,
        SqlType::Varchar(255)
    );
    assert_eq!(
        authors.column("rating").unwrap().sql_type,
        SqlType::Numeric(Some((4, 2)))
    );
    let joined = authors.column("joined").unwrap();
    assert_eq!(joined.sql_type, SqlType::TimestampTz);
    assert_eq!(joined.server_default.as_deref(), Some("now()"));
    assert!(!joined.nullable);
    assert_eq!(
        authors.column("status").unwrap().server_default.as_deref(),
        Some("'new'::character varying")
    );
    assert_eq!(
        authors.unique_constraints,
        [UniqueConstraint {
            name: Some("authors_email_key".into()),
            columns: vec!["email".into()],
        }]
    );
    assert!(
        !authors.column("email").unwrap().unique,
        "uniques are table-level"
    );

    let articles = md.table("articles").unwrap();
    assert_eq!(articles.column("id").unwrap().sql_type, SqlType::BigInt);
    assert_eq!(articles.column("tags").unwrap().sql_type, SqlType::Json);
    assert_eq!(
        articles.column("position").unwrap().sql_type,
        SqlType::SmallInt
    );
    assert_eq!(
        articles.indexes,
        [Index::new("ix_articles_title", &["title"])]
    );
    assert_eq!(
        articles.unique_constraints[0].columns,
        ["author_id", "position"],
        "a composite unique keeps its column order"
    );
    assert_eq!(
        articles.foreign_keys,
        [ForeignKey::to("author_id", "authors", "id")
            .on_delete(ReferentialAction::Cascade)
            .named("articles_author_id_fkey")]
    );
    assert_eq!(articles.primary_key_indices(), &[0]);
}

#[test]
fn reflection_reads_one_schema_only() {
    let first = TestDb::new("mig_schema_a");
    let second = TestDb::new("mig_schema_b");
    first.execute_raw("CREATE TABLE only_in_a (id integer PRIMARY KEY)");
    second.execute_raw("CREATE TABLE only_in_b (x text, y text NOT NULL)");
    let names =
        |md: &MetaData| -> Vec<String> { md.tables().iter().map(|t| t.name.clone()).collect() };
    assert_eq!(names(&reflect(&first.engine).unwrap()), ["only_in_a"]);
    assert_eq!(names(&reflect(&second.engine).unwrap()), ["only_in_b"]);
    // An explicit schema, read through the other schema's connection.
    let mut conn = first.engine.connect().unwrap();
    let md = PgInspector
        .reflect(&mut conn, Some(&second.schema))
        .unwrap();
    assert_eq!(names(&md), ["only_in_b"]);
    let t = md.table("only_in_b").unwrap();
    assert!(t.column("x").unwrap().nullable && !t.column("y").unwrap().nullable);
    assert!(t.primary_key_indices().is_empty());
}

#[test]
fn equivalent_spellings_are_no_difference() {
    let db = TestDb::new("mig_equiv");
    // Written by hand, the way a DBA (or another tool) would.
    db.execute_raw(
        "CREATE TABLE things (\
           id serial PRIMARY KEY, \
           n int4 NOT NULL DEFAULT 0, \
           code character varying(30) DEFAULT 'x', \
           price numeric(10, 2) DEFAULT 0, \
           seen timestamp with time zone DEFAULT CURRENT_TIMESTAMP, \
           at timestamp without time zone, \
           doc jsonb DEFAULT '{}'::jsonb, \
           flag bool NOT NULL DEFAULT TRUE, \
           big int8, \
           note text DEFAULT 'It''s')",
    );
    let things = Table::new(
        "things",
        vec![
            Column::new("id", SqlType::Integer)
                .primary_key()
                .autoincrement(),
            Column::new("n", SqlType::Custom("INTEGER".into()))
                .not_null()
                .server_default("0"),
            Column::new("code", SqlType::Varchar(30)).server_default("'x'"),
            Column::new("price", SqlType::Custom("decimal(10,2)".into())).server_default("0"),
            Column::new("seen", SqlType::TimestampTz).server_default("CURRENT_TIMESTAMP"),
            Column::new("at", SqlType::Timestamp),
            Column::new("doc", SqlType::Json).server_default("'{}'"),
            Column::new("flag", SqlType::Boolean)
                .not_null()
                .server_default("true"),
            Column::new("big", SqlType::Custom("bigint".into())),
            Column::new("note", SqlType::Text).server_default("'It''s'"),
        ],
    );
    let mut md = MetaData::new();
    md.add_table(things.clone());
    let plan = autogenerate(&db.engine, &md, &Renames::default()).unwrap();
    assert!(plan.is_empty(), "{:#?}", plan.steps);

    // Real differences are still seen: a length, with or without time zone, a
    // default's value, nullability.
    let mut changed = things;
    changed.columns[2].sql_type = SqlType::Varchar(31);
    changed.columns[9].server_default = Some("'Its'".into());
    changed.columns[5].nullable = false;
    changed.columns[4].sql_type = SqlType::Timestamp;
    let mut md = MetaData::new();
    md.add_table(changed);
    let plan = autogenerate(&db.engine, &md, &Renames::default()).unwrap();
    let described: Vec<String> = plan.operations().map(Operation::describe).collect();
    assert_eq!(
        described,
        [
            "alter column \"things\".\"code\": type String(length=31)",
            "alter column \"things\".\"seen\": type DateTime()",
            "alter column \"things\".\"at\": NOT NULL",
            "alter column \"things\".\"note\": default 'Its'",
        ]
    );
}

#[test]
fn a_changed_foreign_key_action_is_dropped_and_added() {
    let db = TestDb::new("mig_fk_action");
    let md = models();
    md.create_all(&db.engine).unwrap();
    let mut changed = MetaData::new();
    changed.add_table(md.table("authors").unwrap().clone());
    let mut articles = md.table("articles").unwrap().clone();
    articles.foreign_keys[0].on_delete = Some(ReferentialAction::SetNull);
    changed.add_table(articles);
    let plan = autogenerate(&db.engine, &changed, &Renames::default()).unwrap();
    let ops: Vec<&Operation> = plan.operations().collect();
    assert_eq!(ops.len(), 2, "{ops:#?}");
    assert!(matches!(
        ops[0],
        Operation::DropForeignKey { table, foreign_key }
            if table == "articles" && foreign_key.name.as_deref() == Some("articles_author_id_fkey")
    ));
    assert!(matches!(
        ops[1],
        Operation::AddForeignKey { foreign_key, .. }
            if foreign_key.on_delete == Some(ReferentialAction::SetNull)
                && foreign_key.name.as_deref() == Some("articles_author_id_fkey")
    ));
}
