//! Row locks against the real server: a job queue of four workers with
//! `FOR UPDATE SKIP LOCKED`, `NOWAIT`, the four lock strengths and how they
//! conflict, `OF`, `Session::get_for_update` through the identity map, and locked
//! reads routed to the primary when the engine has a read replica.

use crate::common;

use common::{article, author, setup, Article, Author};
use orm_core::{Error, Lock, LockWait, MetaData, Model, ServerRole, Session, StatementLog, Url};
use std::collections::HashSet;
use tests::{database_url, raw_client, TestDb};

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "jobs")]
pub struct Job {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub payload: String,
    pub done: bool,
    pub attempts: i32,
    pub worker: Option<i32>,
}

const JOB_COLUMNS: &str =
    r#""jobs"."id", "jobs"."payload", "jobs"."done", "jobs"."attempts", "jobs"."worker""#;

/// A schema with `count` pending jobs (ids 1..=count), committed.
fn jobs(name: &str, count: usize) -> TestDb {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Job>()
        .create_all(&db.engine)
        .unwrap();
    let s = db.engine.session();
    s.add_all((0..count).map(|i| Job {
        payload: format!("job {i}"),
        ..Job::default()
    }));
    s.commit().unwrap();
    db
}

/// Takes batches of 10 pending jobs nobody else holds until none is left.
fn work(session: &Session, worker: i32) -> Vec<i32> {
    let mut mine = Vec::new();
    loop {
        let batch = session
            .query::<Job>()
            .filter(Job::done.eq(false))
            .order_by(Job::id)
            .limit(10)
            .with_for_update()
            .skip_locked()
            .all()
            .unwrap();
        if batch.is_empty() {
            session.commit().unwrap();
            return mine;
        }
        for job in &batch {
            let mut j = job.write();
            j.done = true;
            j.attempts += 1;
            j.worker = Some(worker);
            mine.push(j.id.unwrap());
        }
        session.commit().unwrap();
    }
}

#[test]
fn four_workers_take_each_of_1000_jobs_exactly_once() {
    let db = jobs("lock_job_queue", 1000);
    let log = StatementLog::attach(&db.engine);
    let taken: Vec<Vec<i32>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (1..=4)
            .map(|w| {
                let engine = &db.engine;
                scope.spawn(move || work(&engine.session(), w))
            })
            .collect();
        workers.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let all: Vec<i32> = taken.iter().flatten().copied().collect();
    let distinct: HashSet<i32> = all.iter().copied().collect();
    assert_eq!(all.len(), 1000, "every job was taken");
    assert_eq!(distinct.len(), 1000, "no job was taken twice");
    assert_eq!(
        db.query_text(
            "SELECT count(*) FROM jobs WHERE done AND attempts = 1 AND worker IS NOT NULL"
        ),
        [["1000"]]
    );
    let select = format!(
        r#"SELECT {JOB_COLUMNS} FROM "jobs" WHERE "jobs"."done" = $1 ORDER BY "jobs"."id" LIMIT $2 FOR UPDATE SKIP LOCKED"#
    );
    let selects: Vec<String> = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("SELECT"))
        .collect();
    assert!(selects.len() >= 100, "{} batches", selects.len());
    assert!(selects.iter().all(|s| *s == select), "{selects:?}");
}

#[test]
fn skip_locked_passes_held_rows_and_nowait_refuses_them() {
    let db = jobs("lock_skip_nowait", 3);
    let holder = db.engine.session();
    let one = holder.get_for_update::<Job>(1).unwrap().unwrap();
    assert_eq!(one.read().id, Some(1));

    let other = db.engine.session();
    let next = other
        .query::<Job>()
        .order_by(Job::id)
        .with_for_update()
        .skip_locked()
        .first()
        .unwrap()
        .unwrap();
    assert_eq!(next.read().id, Some(2), "job 1 is held: skipped");

    let third = db.engine.session();
    let err = third
        .query::<Job>()
        .filter(Job::id.eq(1))
        .with_for_update()
        .nowait()
        .all()
        .unwrap_err();
    assert!(
        matches!(&err, Error::LockNotAvailable(i) if i.code == "55P03"),
        "{err:?}"
    );
    third.rollback().unwrap();

    holder.rollback().unwrap();
    let free = third
        .query::<Job>()
        .filter(Job::id.eq(1))
        .with_for_update()
        .nowait()
        .all()
        .unwrap();
    assert_eq!(free.len(), 1, "released by the holder's rollback");
}

/// Locks job `id` with `lock` in a fresh session, without waiting; the session is
/// returned so the lock lasts as long as the caller keeps it.
fn try_lock(db: &TestDb, id: i32, lock: Lock) -> (Session, Result<(), Error>) {
    let s = db.engine.session();
    let lock = Lock {
        wait: LockWait::NoWait,
        ..lock
    };
    let result = s.get_with_lock::<Job>(id, lock).map(|found| {
        assert!(found.is_some());
    });
    (s, result)
}

#[test]
fn lock_strengths_conflict_as_postgresql_defines() {
    use orm_core::LockStrength::*;
    let db = jobs("lock_strengths", 2);
    let log = StatementLog::attach(&db.engine);
    let lock = |strength| Lock {
        strength,
        ..Lock::default()
    };
    // Two share locks coexist; an update lock waits for both.
    let (sa, a) = try_lock(&db, 1, lock(Share));
    let (sb, b) = try_lock(&db, 1, lock(Share));
    let (_c, c) = try_lock(&db, 1, lock(Update));
    assert!(a.is_ok() && b.is_ok());
    assert!(matches!(c, Err(Error::LockNotAvailable(_))), "{c:?}");
    drop((sa, sb, _c));
    // FOR NO KEY UPDATE lets a FOR KEY SHARE in, not a FOR SHARE.
    let (_d, d) = try_lock(&db, 2, lock(NoKeyUpdate));
    let (_e, e) = try_lock(&db, 2, lock(KeyShare));
    let (_f, f) = try_lock(&db, 2, lock(Share));
    assert!(d.is_ok() && e.is_ok());
    assert!(matches!(f, Err(Error::LockNotAvailable(_))), "{f:?}");

    let by_pk = format!(r#"SELECT {JOB_COLUMNS} FROM "jobs" WHERE "jobs"."id" = $1 LIMIT $2"#);
    let clauses: Vec<String> = log
        .statements()
        .into_iter()
        .filter_map(|s| s.strip_prefix(&by_pk).map(str::to_owned))
        .collect();
    assert_eq!(
        clauses,
        [
            " FOR SHARE NOWAIT",
            " FOR SHARE NOWAIT",
            " FOR UPDATE NOWAIT",
            " FOR NO KEY UPDATE NOWAIT",
            " FOR KEY SHARE NOWAIT",
            " FOR SHARE NOWAIT",
        ]
    );
}

#[test]
fn get_for_update_locks_and_refreshes_through_the_identity_map() {
    let db = jobs("lock_get_for_update", 2);
    let log = StatementLog::attach(&db.engine);
    let s = db.engine.session();
    let loaded = s.get::<Job>(1).unwrap().unwrap();
    db.execute_raw("UPDATE jobs SET payload = 'changed' WHERE id = 1");
    assert_eq!(s.get::<Job>(1).unwrap().unwrap().read().payload, "job 0");

    log.clear();
    let locked = s.get_for_update::<Job>(1).unwrap().unwrap();
    assert!(locked.ptr_eq(&loaded), "the same instance");
    assert_eq!(
        loaded.read().payload,
        "changed",
        "refreshed from the locked row"
    );
    assert_eq!(
        log.statements(),
        [format!(
            r#"SELECT {JOB_COLUMNS} FROM "jobs" WHERE "jobs"."id" = $1 LIMIT $2 FOR UPDATE"#
        )]
    );
    let (_other, res) = try_lock(&db, 1, Lock::default());
    assert!(matches!(res, Err(Error::LockNotAvailable(_))), "{res:?}");
    assert!(s.get_for_update::<Job>(99).unwrap().is_none());
    assert!(matches!(
        s.get_for_update::<Job>(None::<i32>),
        Err(Error::InvalidRequest(_))
    ));

    // Locked rows with unflushed changes keep them (the change is flushed first).
    locked.write().attempts = 5;
    let again = s.get_for_update::<Job>(1).unwrap().unwrap();
    assert_eq!(again.read().attempts, 5);
    s.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT payload, attempts FROM jobs WHERE id = 1"),
        [["changed", "5"]]
    );
}

#[test]
fn lock_of_one_table_leaves_the_joined_rows_free() {
    let (db, s, log) = setup("lock_of");
    let ezz = s.add(author("ezz@example.com"));
    s.flush().unwrap();
    s.add(Article {
        author_id: ezz.read().id,
        ..article("clean-python", "Clean Python")
    });
    s.commit().unwrap();
    log.clear();
    let q = s
        .query::<Article>()
        .join_fk::<Author>()
        .unwrap()
        .filter(Author::email.eq("ezz@example.com"))
        .with_for_update()
        .of::<Article>()
        .nowait();
    assert!(q
        .compiled()
        .sql
        .ends_with(r#"WHERE "authors"."email" = $1 FOR UPDATE OF "articles" NOWAIT"#));
    assert_eq!(q.all().unwrap().len(), 1);
    assert_eq!(q.count().unwrap(), 1, "count leaves the lock out");
    assert!(log
        .statements()
        .iter()
        .any(|s| s.starts_with("SELECT count(*)") && !s.contains("FOR UPDATE")));

    let other = db.engine.session();
    let author_row = other
        .query::<Author>()
        .with_for_update()
        .nowait()
        .all()
        .unwrap();
    assert_eq!(author_row.len(), 1, "the author row was not locked");
    let err = other
        .query::<Article>()
        .with_for_update()
        .nowait()
        .all()
        .unwrap_err();
    assert!(matches!(err, Error::LockNotAvailable(_)), "{err:?}");
}

const DEFAULT_REPLICA_URL: &str = "postgres://postgres@127.0.0.1:5433/test";

fn replica_url() -> Url {
    let raw = std::env::var("REPLICA_URL").unwrap_or_else(|_| DEFAULT_REPLICA_URL.into());
    let url: Url = raw.parse().unwrap();
    match database_url().param("sslmode") {
        Some(mode) if std::env::var("REPLICA_URL").is_err() => url.with_param("sslmode", mode),
        _ => url,
    }
}

/// Waits until the standby has replayed what the primary wrote so far.
fn wait_for_replay() {
    let target: String = raw_client(&database_url())
        .query_one("SELECT pg_current_wal_lsn()::text", &[])
        .unwrap()
        .get(0);
    let mut standby = raw_client(&replica_url());
    let sql = format!("SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !standby
        .query_one(sql.as_str(), &[])
        .unwrap()
        .get::<_, bool>(0)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "standby did not replay"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn locked_reads_go_to_the_primary() {
    let db = jobs("lock_routing", 3);
    wait_for_replay();
    let search_path = db.url().param("options").unwrap_or_default().to_owned();
    let options = orm_core::EngineOptions::default()
        .replicas([replica_url().with_param("options", &search_path)]);
    let engine = orm_postgres::create_engine_with(db.url(), options).unwrap();
    let log = StatementLog::attach(&engine);
    let s = engine.session();
    assert_eq!(s.query::<Job>().count().unwrap(), 3);
    let locked = s
        .query::<Job>()
        .filter(Job::id.eq(1))
        .with_for_update()
        .all()
        .unwrap();
    assert_eq!(locked.len(), 1);
    assert_eq!(s.query::<Job>().all().unwrap().len(), 3);
    let servers: Vec<ServerRole> = log
        .routed()
        .into_iter()
        .filter(|(_, sql)| sql.starts_with("SELECT"))
        .map(|(server, _)| server)
        .collect();
    assert_eq!(
        servers,
        [
            ServerRole::Replica(0),
            ServerRole::Primary,
            ServerRole::Primary
        ],
        "the lock moved the transaction to the primary"
    );
    s.rollback().unwrap();
}
