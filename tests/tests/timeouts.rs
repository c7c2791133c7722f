//! Time bounds: a server that stops answering (a proxy on 127.0.0.1 that stops
//! forwarding) gives a typed timeout within the configured bound instead of
//! blocking forever; the server-side timeouts arrive through the URL; and libpq's
//! `key=value` strings connect like URLs.

use orm_core::{Compiled, Connection, Error, Url, Value};
use orm_postgres::{create_engine, create_engine_with, PgConnection};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use tests::{database_url, server_addr, url_via, Proxy, TestDb};

/// Runs `f` on another thread and fails the test if it does not return within
/// `limit` (instead of hanging the test run as the old code did).
fn returns_within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("still blocked after {limit:?}"))
}

fn via_proxy(proxy: &Proxy, params: &[(&str, &str)]) -> Url {
    let mut u = url_via(&database_url(), proxy.addr());
    for (k, v) in params {
        u = u.with_param(k, v);
    }
    u
}

fn assert_timeout(err: &Error, bound: Duration, what: &str) {
    match err {
        Error::Timeout { after, waiting_for } => {
            assert_eq!(*after, bound, "{err}");
            assert!(waiting_for.contains(what), "{err}");
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[test]
fn a_stalled_server_gives_a_query_timeout() {
    let proxy = Proxy::start(server_addr(&database_url()));
    let url = via_proxy(&proxy, &[("query_timeout", "1s")]);
    let mut conn = PgConnection::connect(&url).unwrap();
    conn.query("SELECT 1", &[]).unwrap();
    proxy.stall();
    let (err, waited, closed) = returns_within(Duration::from_secs(30), move || {
        let started = Instant::now();
        let err = conn.query("SELECT 2", &[]).unwrap_err();
        (err, started.elapsed(), conn.is_closed())
    });
    assert_timeout(&err, Duration::from_secs(1), "query_timeout");
    assert!(waited >= Duration::from_secs(1), "{waited:?}");
    assert!(closed, "a connection that timed out is given up");
}

#[test]
fn a_stalled_server_gives_a_connect_timeout() {
    let proxy = Proxy::start(server_addr(&database_url()));
    proxy.stall();
    let url = via_proxy(&proxy, &[("connect_timeout", "1")]);
    let err = returns_within(Duration::from_secs(30), move || {
        PgConnection::connect(&url).unwrap_err()
    });
    assert_timeout(&err, Duration::from_secs(1), "connecting to 127.0.0.1");
}

#[test]
fn a_session_on_a_stalled_server_times_out_then_recovers() {
    let db = TestDb::new("stalled_session");
    db.execute_raw("CREATE TABLE t (x int)");
    let proxy = Proxy::start(server_addr(db.url()));
    let url = url_via(db.url(), proxy.addr()).with_param("query_timeout", "500ms");
    let engine = create_engine(url).unwrap();
    let session = engine.session();
    let select = Compiled {
        sql: "SELECT count(*) FROM t".into(),
        params: vec![],
    };
    session.query_compiled(&select).unwrap();
    proxy.stall();
    let (session, err) = returns_within(Duration::from_secs(30), move || {
        let err = session
            .execute_sql("INSERT INTO t VALUES (1)", &[])
            .unwrap_err();
        (session, err)
    });
    assert_timeout(&err, Duration::from_millis(500), "query_timeout");
    assert!(matches!(
        session.query_compiled(&select),
        Err(Error::PendingRollback(_))
    ));
    session.rollback().unwrap();
    proxy.resume();
    let rows = session.query_compiled(&select).unwrap();
    assert_eq!(rows[0].get(0), Some(&Value::BigInt(0)));
    assert_eq!(db.count("t"), 0);
}

#[test]
fn server_side_timeouts_come_from_the_url() {
    let db = TestDb::new("server_timeouts");
    db.execute_raw("CREATE TABLE t (x int)");
    let url = db.url().with_param("statement_timeout", "100ms");
    let mut conn = PgConnection::connect(&url).unwrap();
    let err = conn.query("SELECT pg_sleep(5)", &[]).unwrap_err();
    assert_eq!(
        err.db_info().map(|i| i.code.as_str()),
        Some("57014"),
        "{err:?}"
    );

    let url = db.url().with_param("lock_timeout", "100ms");
    let mut holder = PgConnection::connect(db.url()).unwrap();
    holder.begin().unwrap();
    holder
        .execute("LOCK TABLE t IN ACCESS EXCLUSIVE MODE", &[])
        .unwrap();
    let mut waiter = PgConnection::connect(&url).unwrap();
    let err = waiter.execute("INSERT INTO t VALUES (1)", &[]).unwrap_err();
    assert_eq!(
        err.db_info().map(|i| i.code.as_str()),
        Some("55P03"),
        "{err:?}"
    );
    holder.rollback().unwrap();

    let url = db
        .url()
        .with_param("idle_in_transaction_session_timeout", "200ms");
    let mut idle = PgConnection::connect(&url).unwrap();
    let rows = idle
        .query("SHOW idle_in_transaction_session_timeout", &[])
        .unwrap();
    assert_eq!(rows[0].get(0), Some(&Value::from("200ms")));
    idle.begin().unwrap();
    idle.execute("SELECT 1", &[]).unwrap(); // the BEGIN goes out with it
    thread::sleep(Duration::from_millis(600)); // the server ends the session meanwhile
    let err = idle.query("SELECT 1", &[]).unwrap_err();
    assert!(
        matches!(&err, Error::ConnectionLost(m) if m.contains("idle-in-transaction")),
        "{err:?}"
    );
}

#[test]
fn keepalives_are_accepted_and_applied() {
    let url = database_url()
        .with_param("keepalives", "1")
        .with_param("keepalives_idle", "30")
        .with_param("keepalives_interval", "5")
        .with_param("keepalives_count", "3")
        .with_param("tcp_user_timeout", "10000");
    let engine = create_engine(url).unwrap();
    engine.connect().unwrap().query("SELECT 1", &[]).unwrap();
    assert!(matches!(
        create_engine(database_url().with_param("keepalives_idle", "soon")),
        Err(Error::InvalidUrl(_))
    ));
}

#[test]
fn key_value_connection_strings_connect() {
    let u = database_url();
    let mut s = format!(
        "host={} port={} dbname='{}' application_name='key value test'",
        u.host().unwrap_or("localhost"),
        u.port().unwrap_or(5432),
        u.database().unwrap_or("test"),
    );
    if let Some(user) = u.username() {
        s.push_str(&format!(" user={user}"));
    }
    if let Some(mode) = u.param("sslmode") {
        s.push_str(&format!(" sslmode={mode}"));
    }
    let options = orm_core::EngineOptions::default();
    let engine = create_engine_with(s.as_str(), options).unwrap();
    let rows = engine
        .connect()
        .unwrap()
        .query("SELECT current_setting('application_name')", &[])
        .unwrap();
    assert_eq!(rows[0].get(0), Some(&Value::from("key value test")));
}
