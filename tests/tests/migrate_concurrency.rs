//! Two deploys running `up` at the same moment apply each migration once.
//!
//! The race is made deterministic rather than timed: the test holds the migration
//! lock itself, lets both runs reach it (it waits until the server shows two
//! backends waiting for that lock), then releases it.

use crate::migrate_common;

use migrate_common::TempDir;
use orm_core::StatementLog;
use orm_migrate::Migrator;
use orm_postgres::MIGRATION_LOCK_KEY;
use std::sync::{Arc, Barrier};
use std::thread;
use tests::{raw_client, TestDb};

fn migrations(dir: &TempDir) {
    dir.migration(
        "20240101000000",
        "log",
        "CREATE TABLE log (n integer PRIMARY KEY);",
        None,
    );
    // Not idempotent: a second application fails on the primary key.
    dir.migration("20240102000000", "one", "INSERT INTO log VALUES (1);", None);
    dir.migration("20240103000000", "two", "INSERT INTO log VALUES (2);", None);
}

/// Holds the lock the runners take (session level, on a connection of its own).
struct LockHolder(postgres::Client);

impl LockHolder {
    fn take(db: &TestDb) -> LockHolder {
        let mut client = raw_client(db.url());
        client
            .execute(
                "SELECT pg_advisory_lock($1, hashtext(current_schema()))",
                &[&MIGRATION_LOCK_KEY],
            )
            .unwrap();
        LockHolder(client)
    }

    /// Waits (without a time limit that could make the test flaky, but never
    /// forever) until `n` other backends wait for the lock.
    fn wait_for_waiters(&mut self, n: i64) {
        for _ in 0..6000 {
            let row = self
                .0
                .query_one(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted \
                     AND classid = $1::int4::oid AND objid = hashtext(current_schema())::oid AND objsubid = 2",
                    &[&MIGRATION_LOCK_KEY],
                )
                .unwrap();
            if row.get::<_, i64>(0) >= n {
                return;
            }
            thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("the runners never reached the migration lock");
    }

    fn release(mut self) {
        self.0
            .execute(
                "SELECT pg_advisory_unlock($1, hashtext(current_schema()))",
                &[&MIGRATION_LOCK_KEY],
            )
            .unwrap();
    }
}

/// Another engine (its own pool) on the same schema: another deploy.
fn second_engine_for(db: &TestDb) -> orm_core::Engine {
    orm_postgres::create_engine_with(db.url(), orm_core::EngineOptions::default()).unwrap()
}

fn executions(logs: &[StatementLog], sql: &str) -> usize {
    logs.iter()
        .map(|l| l.statements().iter().filter(|s| *s == sql).count())
        .sum()
}

#[test]
fn two_runs_with_the_same_stale_pending_list_apply_each_migration_once() {
    let db = TestDb::new("mig_race_stale");
    let dir = TempDir::new("race_stale");
    migrations(&dir);
    let a = Migrator::new(&db.engine, dir.path());
    let second_engine = second_engine_for(&db);
    let b = Migrator::new(&second_engine, dir.path());
    // Both read the history before either applies anything.
    let pending_a = a.pending().unwrap();
    let pending_b = b.pending().unwrap();
    assert_eq!((pending_a.len(), pending_b.len()), (3, 3));
    let logs = [
        StatementLog::attach(&db.engine),
        StatementLog::attach(&second_engine),
    ];
    let mut holder = LockHolder::take(&db);
    let ta = thread::spawn(move || a.apply(&pending_a));
    let tb = thread::spawn(move || b.apply(&pending_b));
    holder.wait_for_waiters(2);
    holder.release();
    let (ra, rb) = (ta.join().unwrap().unwrap(), tb.join().unwrap().unwrap());
    assert_eq!(ra.len() + rb.len(), 3, "{ra:?} {rb:?}");
    assert_eq!(
        db.query_text("SELECT n FROM log ORDER BY n"),
        [["1"], ["2"]].map(|r| r.map(String::from).to_vec())
    );
    assert_eq!(db.count("orm_migrations"), 3);
    for sql in [
        "CREATE TABLE log (n integer PRIMARY KEY);",
        "INSERT INTO log VALUES (1);",
        "INSERT INTO log VALUES (2);",
    ] {
        assert_eq!(executions(&logs, sql), 1, "{sql} ran once in all");
    }
}

#[test]
fn two_up_runs_started_together_apply_each_migration_once() {
    let db = TestDb::new("mig_race_up");
    let dir = TempDir::new("race_up");
    migrations(&dir);
    let engines = [db.engine.clone(), second_engine_for(&db)];
    let logs = engines.each_ref().map(StatementLog::attach);
    let mut holder = LockHolder::take(&db);
    let start = Arc::new(Barrier::new(2));
    let runs: Vec<_> = engines
        .iter()
        .map(|engine| {
            let migrator = Migrator::new(engine, dir.path());
            let start = Arc::clone(&start);
            thread::spawn(move || {
                start.wait();
                migrator.up()
            })
        })
        .collect();
    holder.wait_for_waiters(2);
    holder.release();
    let applied: Vec<Vec<String>> = runs
        .into_iter()
        .map(|t| t.join().unwrap().unwrap())
        .collect();
    assert_eq!(
        applied.iter().map(Vec::len).sum::<usize>(),
        3,
        "{applied:?}"
    );
    assert_eq!(db.count("log"), 2);
    assert_eq!(db.count("orm_migrations"), 3);
    assert_eq!(executions(&logs, "INSERT INTO log VALUES (1);"), 1);
    assert_eq!(executions(&logs, "INSERT INTO log VALUES (2);"), 1);
}
