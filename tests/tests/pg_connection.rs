//! `PgConnection` against the server: transactions and savepoints, the prepared
//! statement cache, streaming, and value conversion in both directions.

use orm_core::{Connection, Error, Value};
use orm_postgres::PgConnection;
use tests::TestDb;

fn connect(db: &TestDb) -> PgConnection {
    PgConnection::connect(db.url()).unwrap()
}

fn count(conn: &mut PgConnection, table: &str) -> i64 {
    let rows = conn
        .query(&format!("SELECT count(*) FROM {table}"), &[])
        .unwrap();
    match rows[0].get(0) {
        Some(Value::BigInt(n)) => *n,
        other => panic!("count(*) is a bigint, got {other:?}"),
    }
}

#[test]
fn transactions_and_quoted_savepoints() {
    let db = TestDb::new("savepoints");
    db.execute_raw("CREATE TABLE t (x int)");
    let mut conn = connect(&db);
    let insert = "INSERT INTO t VALUES ($1)";

    conn.begin().unwrap();
    conn.execute(insert, &[Value::Int(1)]).unwrap();
    let name = r#"sp "1"; COMMIT"#;
    conn.savepoint(name).unwrap();
    conn.execute(insert, &[Value::Int(2)]).unwrap();
    conn.rollback_to_savepoint(name).unwrap();
    conn.release_savepoint(name).unwrap();
    conn.commit().unwrap();
    assert_eq!(count(&mut conn, "t"), 1);

    conn.begin().unwrap();
    conn.execute(insert, &[Value::Int(3)]).unwrap();
    conn.rollback().unwrap();
    assert_eq!(count(&mut conn, "t"), 1);

    // An error inside a savepoint can be recovered from without losing the transaction.
    conn.begin().unwrap();
    conn.savepoint("s").unwrap();
    assert!(conn.execute("SELECT 1/0", &[]).is_err());
    conn.rollback_to_savepoint("s").unwrap();
    conn.execute(insert, &[Value::Int(4)]).unwrap();
    conn.commit().unwrap();
    assert_eq!(count(&mut conn, "t"), 2);
}

#[test]
fn a_statement_is_prepared_once_it_repeats() {
    let db = TestDb::new("statement_cache");
    db.execute_raw("CREATE TABLE t (x int)");
    let mut conn = connect(&db);
    let named = |conn: &mut PgConnection| {
        let rows = conn
            .query(
                "SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql",
                &[],
            )
            .unwrap();
        rows[0].get(0).cloned()
    };
    // The default threshold: five runs unprepared, prepared with the sixth.
    for i in 0..orm_postgres::DEFAULT_PREPARE_THRESHOLD as i32 {
        conn.execute("INSERT INTO t VALUES ($1)", &[Value::Int(i)])
            .unwrap();
    }
    assert_eq!(conn.cached_statements(), 0);
    assert_eq!(
        named(&mut conn),
        Some(Value::BigInt(0)),
        "nothing named yet"
    );
    for i in 0..3 {
        conn.execute("INSERT INTO t VALUES ($1)", &[Value::Int(i)])
            .unwrap();
    }
    assert_eq!(conn.cached_statements(), 1);
    assert_eq!(count(&mut conn, "t"), 8);
    // The server agrees: one named statement on this session.
    assert_eq!(named(&mut conn), Some(Value::BigInt(1)));

    // `prepare_threshold=0` prepares at the first run.
    let mut eager = PgConnection::connect(&db.url().with_param("prepare_threshold", "0")).unwrap();
    eager
        .query("SELECT x FROM t WHERE x > $1", &[Value::Int(2)])
        .unwrap();
    assert_eq!(eager.cached_statements(), 1);
}

#[test]
fn a_statement_whose_table_changed_is_prepared_again() {
    let db = TestDb::new("stale_statement");
    db.execute_raw("CREATE TABLE t (a int); INSERT INTO t VALUES (1)");
    let mut conn = PgConnection::connect(&db.url().with_param("prepare_threshold", "0")).unwrap();
    let select = "SELECT * FROM t";
    assert_eq!(conn.query(select, &[]).unwrap()[0].len(), 1);
    db.execute_raw("ALTER TABLE t ADD COLUMN b int DEFAULT 2");
    // The server refuses the stale plan once ("cached plan must not change result
    // type"); the statement is dropped from the cache and prepared afresh next time.
    match conn.query(select, &[]) {
        Err(Error::Database(info)) => assert_eq!(info.code, "0A000"),
        other => panic!("expected the stale-plan error, got {other:?}"),
    }
    let rows = conn.query(select, &[]).unwrap();
    assert_eq!(
        rows[0].clone().into_values(),
        [Value::Int(1), Value::Int(2)]
    );
}

#[test]
fn rows_stream_lazily() {
    let db = TestDb::new("stream");
    let mut conn = connect(&db);
    let n: i64 = 200_000;
    let mut sum = 0i64;
    let mut seen = 0;
    for row in conn
        .query_stream(
            "SELECT g FROM generate_series(1, $1) g",
            &[Value::BigInt(n)],
        )
        .unwrap()
    {
        let mut row = row.unwrap();
        sum += row.take::<i64>(0).unwrap();
        seen += 1;
    }
    assert_eq!((seen, sum), (n, n * (n + 1) / 2));

    // Stopping early is fine: the rest is drained before the next statement.
    let first: Vec<i64> = conn
        .query_stream("SELECT g FROM generate_series(1, 1000000) g", &[])
        .unwrap()
        .take(3)
        .map(|r| r.unwrap().take::<i64>(0).unwrap())
        .collect();
    assert_eq!(first, [1, 2, 3]);
    assert_eq!(conn.execute("SELECT 1", &[]).unwrap(), 1);

    let err = conn
        .query_stream("SELECT '10.0.0.1'::inet AS addr", &[])
        .err()
        .expect("inet has no Value mapping");
    assert!(err.to_string().contains("`addr` has type `inet`"), "{err}");
}

#[test]
fn parameters_convert_to_the_inferred_type() {
    let db = TestDb::new("param_conversion");
    db.execute_raw(
        "CREATE TYPE mood AS ENUM ('sad', 'happy'); \
         CREATE TABLE t (small int2, num numeric(8, 3), f4 real, doc jsonb, j json, m mood)",
    );
    let insert = "INSERT INTO t VALUES ($1, $2, $3, $4, $5, $6)";
    let params = [
        Value::BigInt(12),
        Value::Int(5),
        Value::Double(0.5),
        Value::from(r#"{"a": [1, 2]}"#),
        Value::Json(serde_json::json!({"k": true})),
        Value::from("happy"),
    ];
    // Unprepared (parameters as text) and prepared (binary, converted to the inferred
    // type): the same rows, the same answers.
    for threshold in ["5", "0"] {
        db.execute_raw("DELETE FROM t");
        let url = db.url().with_param("prepare_threshold", threshold);
        let mut conn = PgConnection::connect(&url).unwrap();
        conn.execute(insert, &params).unwrap();
        let rows = conn.query("SELECT * FROM t", &[]).unwrap();
        assert_eq!(
            rows[0].clone().into_values(),
            [
                Value::SmallInt(12),
                Value::Numeric("5.000".parse().unwrap()),
                Value::Real(0.5),
                Value::Json(serde_json::json!({"a": [1, 2]})),
                Value::Json(serde_json::json!({"k": true})),
                Value::from("happy"),
            ],
            "prepare_threshold={threshold}"
        );

        // A value its parameter cannot take in binary form goes as text, for the
        // server to parse, whether the statement is prepared or not.
        let mut too_big = params.clone();
        too_big[0] = Value::BigInt(40_000);
        let err = conn.execute(insert, &too_big).unwrap_err();
        assert_eq!(
            err.db_info().map(|i| i.code.as_str()),
            Some("22003"),
            "smallint out of range, prepare_threshold={threshold}: {err:?}"
        );
        let mut text = params.clone();
        text[0] = Value::from("13");
        conn.execute(insert, &text).unwrap();
        assert_eq!(
            db.query_text("SELECT small FROM t ORDER BY small"),
            [["12"], ["13"]],
            "prepare_threshold={threshold}"
        );
    }
}

#[test]
fn special_result_types() {
    let db = TestDb::new("result_types");
    let mut conn = connect(&db);
    let rows = conn
        .query(
            "SELECT 'pg_class'::regclass::oid, pg_sleep(0), 'x'::name, 'ab'::char(3), NULL::int",
            &[],
        )
        .unwrap();
    assert_eq!(
        rows[0].clone().into_values(),
        [
            Value::BigInt(1259),
            Value::Null,
            Value::from("x"),
            Value::from("ab "),
            Value::Null
        ]
    );
}

#[test]
fn engine_connections_share_nothing_but_the_pool() {
    let db = TestDb::new("engine_pool");
    assert_eq!(db.engine.open_connections(), 0, "create_engine is lazy");
    {
        let mut a = db.engine.connect().unwrap();
        let mut b = db.engine.connect().unwrap();
        a.execute("CREATE TABLE t (x int)", &[]).unwrap();
        b.execute("INSERT INTO t VALUES ($1)", &[Value::Int(1)])
            .unwrap();
    }
    assert_eq!(db.engine.open_connections(), 2);
    let rows = db
        .engine
        .connect()
        .unwrap()
        .query("SELECT current_schema()", &[])
        .unwrap();
    assert_eq!(rows[0].get(0), Some(&Value::from(db.schema.as_str())));
}
