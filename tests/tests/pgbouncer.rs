//! Through PgBouncer in transaction pooling mode (`scripts/ensure-pgbouncer`,
//! 127.0.0.1:6432): with `statement_cache_capacity=0` nothing is ever prepared by
//! name, so sessions work whichever server connection each transaction gets.
//!
//! The server is `PGBOUNCER_URL` (default `postgres://postgres@127.0.0.1:6432/test`);
//! each test makes a database of its own on the primary (PgBouncer does not pass
//! `search_path` options on, so schemas cannot separate tests here).

use orm_core::{EngineOptions, Model, Url, Value};
use orm_postgres::create_engine_with;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use tests::{database_url, quote_ident, raw_client};

const DEFAULT_PGBOUNCER_URL: &str = "postgres://postgres@127.0.0.1:6432/test";

static DATABASES: AtomicUsize = AtomicUsize::new(0);

fn pgbouncer_url() -> Url {
    let raw = std::env::var("PGBOUNCER_URL").unwrap_or_else(|_| DEFAULT_PGBOUNCER_URL.into());
    raw.parse()
        .unwrap_or_else(|e| panic!("PGBOUNCER_URL `{raw}`: {e}"))
}

/// A database of its own on the primary, reached through PgBouncer; dropped (with
/// PgBouncer's server connections to it) at the end.
struct BouncedDb {
    name: String,
    url: Url,
}

impl BouncedDb {
    fn new(test: &str) -> BouncedDb {
        let n = DATABASES.fetch_add(1, Ordering::Relaxed);
        let name = format!("orm_pgb_{test}_{}_{n}", std::process::id());
        raw_client(&database_url())
            .batch_execute(&format!("CREATE DATABASE {}", quote_ident(&name)))
            .unwrap();
        let url = pgbouncer_url()
            .with_database(&name)
            .with_param("statement_cache_capacity", "0");
        BouncedDb { name, url }
    }
}

impl Drop for BouncedDb {
    fn drop(&mut self) {
        let sql = format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            quote_ident(&self.name)
        );
        if let Err(e) = raw_client(&database_url()).batch_execute(&sql) {
            eprintln!("warning: could not drop {}: {e}", self.name);
        }
    }
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "visits")]
struct Visit {
    #[orm(primary_key)]
    id: Option<i64>,
    #[orm(length = 40)]
    worker: String,
    n: i32,
    #[orm(default = chrono_now)]
    at: Option<chrono::NaiveDateTime>,
}

fn chrono_now() -> chrono::NaiveDateTime {
    chrono::Utc::now().naive_utc()
}

#[test]
fn eight_threads_share_a_pool_of_four_through_transaction_pooling() {
    let db = BouncedDb::new("threads");
    let options = EngineOptions::default().pool_size(4);
    let engine = create_engine_with(&db.url, options).unwrap();
    orm_core::MetaData::new()
        .with::<Visit>()
        .create_all(&engine)
        .unwrap();
    let workers: Vec<_> = (0..8)
        .map(|w| {
            let engine = engine.clone();
            thread::spawn(move || {
                for n in 0..25 {
                    let session = engine.session();
                    let v = session.add(Visit {
                        worker: format!("w{w}"),
                        n,
                        ..Default::default()
                    });
                    session.flush().unwrap();
                    v.write().n += 1000; // an UPDATE in the same transaction
                    let mine = session
                        .query::<Visit>()
                        .filter(Visit::worker.eq(format!("w{w}")))
                        .count()
                        .unwrap();
                    assert_eq!(mine, i64::from(n) + 1);
                    session.commit().unwrap();
                }
            })
        })
        .collect();
    for w in workers {
        w.join().expect("a worker failed");
    }
    assert!(engine.open_connections() <= 4);
    let session = engine.session();
    assert_eq!(session.query::<Visit>().count().unwrap(), 200);
    let low = session
        .query::<Visit>()
        .filter(Visit::n.lt(1000))
        .count()
        .unwrap();
    assert_eq!(low, 0, "every UPDATE was committed with its INSERT");
    // Through PgBouncer no statement was ever prepared by name.
    let mut conn = engine.connect().unwrap();
    let rows = conn
        .query(
            "SELECT count(*) FROM pg_prepared_statements WHERE NOT from_sql",
            &[],
        )
        .unwrap();
    assert_eq!(rows[0].get(0), Some(&Value::BigInt(0)));
}

#[test]
fn the_admin_console_is_open_to_postgres_and_pools_by_transaction() {
    let db = BouncedDb::new("admin");
    let engine = create_engine_with(&db.url, EngineOptions::default()).unwrap();
    engine.connect().unwrap().execute("SELECT 1", &[]).unwrap();
    let admin_url = pgbouncer_url()
        .with_database("pgbouncer")
        .with_param("sslmode", "disable");
    let mut admin = raw_client(&admin_url);
    let pools = admin.simple_query("SHOW POOLS").unwrap();
    let mine = pools.iter().find_map(|m| match m {
        postgres::SimpleQueryMessage::Row(r) if r.get("database") == Some(db.name.as_str()) => {
            Some(r.get("pool_mode").map(str::to_owned))
        }
        _ => None,
    });
    assert_eq!(mine, Some(Some("transaction".to_owned())), "{pools:?}");
}
