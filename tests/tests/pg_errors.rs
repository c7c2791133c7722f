//! Server and connection errors come back as typed `orm_core::Error` variants that
//! name the constraint, table and column, and never show a password.

use orm_core::{
    Column, Connection, EngineOptions, Error, MetaData, ReferentialAction, SqlType, Table, Url,
    Value,
};
use orm_postgres::{create_engine, create_engine_with, PgConnection};
use std::time::{Duration, Instant};
use tests::{database_url, TestDb};

fn blog(db: &TestDb) {
    let authors = Table::new(
        "authors",
        vec![
            Column::new("id", SqlType::Integer)
                .primary_key()
                .autoincrement(),
            Column::new("email", SqlType::Varchar(255)).not_null(),
        ],
    );
    let mut author_id = Column::new("author_id", SqlType::Integer).references("authors", "id");
    author_id.foreign_key = author_id
        .foreign_key
        .map(|fk| fk.on_delete(ReferentialAction::Cascade));
    let articles = Table::new(
        "articles",
        vec![
            Column::new("id", SqlType::Integer)
                .primary_key()
                .autoincrement(),
            Column::new("slug", SqlType::Varchar(100))
                .not_null()
                .unique(),
            author_id,
        ],
    );
    let mut md = MetaData::new();
    md.add_table(authors);
    md.add_table(articles);
    md.create_all(&db.engine).unwrap();
}

const INSERT_ARTICLE: &str = "INSERT INTO articles (slug, author_id) VALUES ($1, $2)";

#[test]
fn unique_violation_names_constraint_and_table() {
    let db = TestDb::new("unique_violation");
    blog(&db);
    let mut conn = db.engine.connect().unwrap();
    conn.execute(INSERT_ARTICLE, &[Value::from("a"), Value::Null])
        .unwrap();
    let err = conn
        .execute(INSERT_ARTICLE, &[Value::from("a"), Value::Null])
        .unwrap_err();
    let Error::UniqueViolation(info) = &err else {
        panic!("expected UniqueViolation, got {err:?}");
    };
    assert_eq!(info.code, "23505");
    assert_eq!(info.constraint.as_deref(), Some("articles_slug_key"));
    assert_eq!(info.table.as_deref(), Some("articles"));
    assert_eq!(
        info.detail.as_deref(),
        Some("Key (slug)=(a) already exists.")
    );
    assert!(
        err.to_string().starts_with(
            "unique violation: duplicate key value violates unique constraint \"articles_slug_key\" (table `articles`, constraint `articles_slug_key`)"
        ),
        "{err}"
    );
    // The connection is still usable.
    assert_eq!(conn.execute("SELECT 1", &[]).unwrap(), 1);
}

#[test]
fn foreign_key_violation_names_constraint_and_table() {
    let db = TestDb::new("fk_violation");
    blog(&db);
    let mut conn = db.engine.connect().unwrap();
    let err = conn
        .execute(INSERT_ARTICLE, &[Value::from("a"), Value::Int(999)])
        .unwrap_err();
    let Error::ForeignKeyViolation(info) = &err else {
        panic!("expected ForeignKeyViolation, got {err:?}");
    };
    assert_eq!(info.code, "23503");
    assert_eq!(info.constraint.as_deref(), Some("articles_author_id_fkey"));
    assert_eq!(info.table.as_deref(), Some("articles"));
}

#[test]
fn not_null_violation_names_column_and_table() {
    let db = TestDb::new("not_null_violation");
    blog(&db);
    let mut conn = db.engine.connect().unwrap();
    let err = conn
        .execute("INSERT INTO authors (email) VALUES ($1)", &[Value::Null])
        .unwrap_err();
    let Error::NotNullViolation(info) = &err else {
        panic!("expected NotNullViolation, got {err:?}");
    };
    assert_eq!(info.code, "23502");
    assert_eq!(info.table.as_deref(), Some("authors"));
    assert_eq!(info.column.as_deref(), Some("email"));
}

#[test]
fn check_violation_and_other_database_errors() {
    let db = TestDb::new("check_violation");
    blog(&db);
    db.execute_raw("ALTER TABLE authors ADD CONSTRAINT email_has_at CHECK (email LIKE '%@%')");
    let mut conn = db.engine.connect().unwrap();
    let err = conn
        .execute(
            "INSERT INTO authors (email) VALUES ($1)",
            &[Value::from("nope")],
        )
        .unwrap_err();
    let Error::CheckViolation(info) = &err else {
        panic!("expected CheckViolation, got {err:?}");
    };
    assert_eq!(info.constraint.as_deref(), Some("email_has_at"));
    assert_eq!(info.table.as_deref(), Some("authors"));

    let err = conn
        .execute("SELECT * FROM no_such_table", &[])
        .unwrap_err();
    let Error::Database(info) = &err else {
        panic!("expected Database, got {err:?}");
    };
    assert_eq!(info.code, "42P01");
}

#[test]
fn serialization_failure_is_typed() {
    let db = TestDb::new("serialization");
    db.execute_raw(
        "CREATE TABLE counter (id int PRIMARY KEY, n int); INSERT INTO counter VALUES (1, 0)",
    );
    let mut a = db.engine.connect().unwrap();
    a.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
        .unwrap();
    a.query("SELECT n FROM counter WHERE id = 1", &[]).unwrap();
    db.execute_raw("UPDATE counter SET n = n + 1 WHERE id = 1");
    let err = a
        .execute(
            "UPDATE counter SET n = n + 1 WHERE id = $1",
            &[Value::Int(1)],
        )
        .unwrap_err();
    let Error::SerializationFailure(info) = &err else {
        panic!("expected SerializationFailure, got {err:?}");
    };
    assert_eq!(info.code, "40001");
    a.rollback().unwrap();
}

#[test]
fn malformed_urls_are_invalid_url() {
    for bad in [
        "localhost/test",
        "postgres://h:99999/test",
        "mysql://root@localhost/test",
        "sqlite:///tmp/x.db",
        "postgres://h/test?sslmode=sometimes",
        "postgres://h/test?no_such_param=1",
    ] {
        match create_engine(bad) {
            Err(Error::InvalidUrl(msg)) => assert!(!msg.is_empty()),
            other => panic!("{bad}: expected InvalidUrl, got {other:?}"),
        }
    }
    let err = create_engine("postgres://h/test?colour=blue").unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("invalid database url: unknown parameter `colour`; supported: application_name, options, "),
        "{text}"
    );
    assert!(
        text.contains("sslmode") && text.contains("statement_cache_capacity"),
        "{text}"
    );
}

fn quick_engine(url: &str) -> orm_core::Engine {
    let options = EngineOptions::default().connect_timeout(Duration::from_millis(1500));
    create_engine_with(url, options).unwrap()
}

#[test]
fn unreachable_server_is_connect_error_without_password() {
    let url: Url = "postgres://postgres:hunter2secret@127.0.0.1:1/test"
        .parse()
        .unwrap();
    let err = PgConnection::connect(&url).unwrap_err();
    let Error::Connect { target, reason } = &err else {
        panic!("expected Connect, got {err:?}");
    };
    assert_eq!(target, "127.0.0.1:1/test");
    assert!(
        reason.starts_with("error connecting to server: "),
        "{reason}"
    );
    assert!(reason.contains("refused"), "the OS cause is kept: {reason}");
    assert!(!format!("{err} {err:?}").contains("hunter2secret"));

    // Through the engine: lazy creation succeeds, the first use fails.
    let engine = quick_engine("postgres://postgres:hunter2secret@127.0.0.1:1/test");
    let started = Instant::now();
    let err = engine.connect().unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        matches!(&err, Error::Connect { target, .. } if target == "127.0.0.1:1/test"),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains("hunter2secret"));
}

fn with_user_and_db(user: &str, password: &str, db: &str) -> Url {
    let base = database_url();
    let mut b = Url::builder(base.scheme())
        .username(user)
        .password(password)
        .database(db);
    if let Some(h) = base.host() {
        b = b.host(h);
    }
    if let Some(p) = base.port() {
        b = b.port(p);
    }
    b.build()
}

#[test]
fn refused_login_is_connect_error_without_password() {
    let url = with_user_and_db("no_such_role_orm", "pw-Sekr1t-value", "test");
    let err = PgConnection::connect(&url).unwrap_err();
    let Error::Connect { target, reason } = &err else {
        panic!("expected Connect, got {err:?}");
    };
    assert!(target.ends_with("/test"), "{target}");
    assert!(reason.contains("no_such_role_orm"), "{reason}");
    assert!(
        reason.contains("(28000)"),
        "invalid_authorization_specification: {reason}"
    );
    assert!(!format!("{err} {err:?}").contains("pw-Sekr1t-value"));

    let url = with_user_and_db("postgres", "pw-Sekr1t-value", "no_such_database_orm");
    let err = PgConnection::connect(&url).unwrap_err();
    let Error::Connect { reason, .. } = &err else {
        panic!("expected Connect, got {err:?}");
    };
    assert!(reason.contains("no_such_database_orm"), "{reason}");
    assert!(reason.contains("(3D000)"), "invalid_catalog_name: {reason}");
    assert!(!format!("{err} {err:?}").contains("pw-Sekr1t-value"));

    let options = EngineOptions::default().connect_timeout(Duration::from_millis(1500));
    let url = with_user_and_db("no_such_role_orm", "pw-Sekr1t-value", "test");
    let engine = create_engine_with(url, options).unwrap();
    let err = engine.connect().unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("pw-Sekr1t-value"));
}

#[test]
fn terminated_backend_is_connection_lost_and_the_engine_recovers() {
    let db = TestDb::new("terminated");
    let mut conn = db.engine.connect().unwrap();
    let pid = conn.query("SELECT pg_backend_pid()", &[]).unwrap()[0]
        .get(0)
        .cloned()
        .unwrap();
    let Value::Int(pid) = pid else {
        panic!("pid is an int4, got {pid:?}")
    };
    assert_eq!(
        db.query_text(&format!("SELECT pg_terminate_backend({pid})")),
        [["t"]]
    );

    let err = conn.query("SELECT 1", &[]).unwrap_err();
    assert!(matches!(err, Error::ConnectionLost(_)), "{err:?}");
    assert!(conn.is_closed());
    drop(conn);

    let mut fresh = db.engine.connect().unwrap();
    let rows = fresh.query("SELECT pg_backend_pid()", &[]).unwrap();
    assert_ne!(rows[0].get(0), Some(&Value::Int(pid)));
    assert_eq!(
        db.engine.open_connections(),
        1,
        "the broken one was discarded"
    );
}

#[test]
fn raw_connection_reports_lost_session_too() {
    let db = TestDb::new("terminated_raw");
    let mut conn = PgConnection::connect(db.url()).unwrap();
    let rows = conn.query("SELECT pg_backend_pid()", &[]).unwrap();
    let Some(Value::Int(pid)) = rows[0].get(0).cloned() else {
        panic!("no pid")
    };
    db.query_text(&format!("SELECT pg_terminate_backend({pid})"));
    assert!(matches!(
        conn.execute("SELECT 1", &[]),
        Err(Error::ConnectionLost(_))
    ));
    assert!(conn.is_closed());
    assert!(matches!(conn.begin(), Err(Error::ConnectionLost(_))));
}
