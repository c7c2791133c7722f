//! `Engine::with_pools`: an engine over a pool of the program's own runs the same
//! routing, logging, sessions and `create_all`; and a blocking call that meets a
//! connection whose futures do not complete at once (as an asynchronous driver's
//! do not) fails with `Error::WouldBlock` at once, having sent nothing, instead of
//! spinning or blocking.

use orm_core::connection::{
    AsyncConnection, Blocking, BoxFuture, ConnectionPool, PooledConnection, RowSink,
};
use orm_core::prelude::*;
use orm_core::{Connection, Row, TransactionOp, Value};
use orm_postgres::{PgConnection, PgDialect};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use tests::TestDb;

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "pool_notes")]
struct Note {
    #[orm(primary_key)]
    id: Option<i32>,
    body: String,
}

/// Opens a real connection per checkout; with `yielding`, its futures first
/// return `Pending` once, as an asynchronous driver's would, and only then talk
/// to the server.
struct OpenEach {
    url: Url,
    yielding: bool,
    checkouts: Arc<AtomicU32>,
}

impl ConnectionPool for OpenEach {
    fn checkout(&self) -> BoxFuture<'_, orm_core::Result<Box<dyn PooledConnection>>> {
        self.checkouts.fetch_add(1, Ordering::Relaxed);
        let opened = PgConnection::connect(&self.url).map(|c| {
            Box::new(Checked {
                conn: Yielding {
                    inner: Blocking(Box::new(c)),
                    yielding: self.yielding,
                },
            }) as Box<dyn PooledConnection>
        });
        Box::pin(std::future::ready(opened))
    }

    fn url(&self) -> &Url {
        &self.url
    }

    fn open_connections(&self) -> u32 {
        0
    }
}

struct Checked {
    conn: Yielding,
}

impl PooledConnection for Checked {
    fn connection(&mut self) -> &mut dyn AsyncConnection {
        &mut self.conn
    }

    fn is_closed(&self) -> bool {
        self.conn.inner.0.is_closed()
    }

    fn discard(&mut self) {}
}

/// A real connection whose every request waits one poll before it starts.
struct Yielding {
    inner: Blocking<Box<PgConnection>>,
    yielding: bool,
}

/// `Pending` on the first poll (waking the task), then ready.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl Yielding {
    /// `request`, started only after one `Pending` when yielding.
    fn after_yield<'a, T: Send + 'a>(
        yielding: bool,
        request: impl FnOnce() -> BoxFuture<'a, T> + Send + 'a,
    ) -> BoxFuture<'a, T> {
        Box::pin(async move {
            YieldOnce(!yielding).await;
            request().await
        })
    }
}

impl AsyncConnection for Yielding {
    fn execute<'a>(
        &'a mut self,
        sql: &'a str,
        params: &'a [Value],
    ) -> BoxFuture<'a, orm_core::Result<u64>> {
        let (y, inner) = (self.yielding, &mut self.inner);
        Self::after_yield(y, move || inner.execute(sql, params))
    }

    fn query<'a>(
        &'a mut self,
        sql: &'a str,
        params: &'a [Value],
    ) -> BoxFuture<'a, orm_core::Result<Vec<Row>>> {
        let (y, inner) = (self.yielding, &mut self.inner);
        Self::after_yield(y, move || inner.query(sql, params))
    }

    fn query_each<'a>(
        &'a mut self,
        sql: &'a str,
        params: &'a [Value],
        f: &'a mut RowSink<'_>,
    ) -> BoxFuture<'a, orm_core::Result<()>> {
        let (y, inner) = (self.yielding, &mut self.inner);
        Self::after_yield(y, move || inner.query_each(sql, params, f))
    }

    fn batch_execute<'a>(&'a mut self, sql: &'a str) -> BoxFuture<'a, orm_core::Result<()>> {
        let (y, inner) = (self.yielding, &mut self.inner);
        Self::after_yield(y, move || inner.batch_execute(sql))
    }

    fn transaction<'a>(&'a mut self, op: TransactionOp<'a>) -> BoxFuture<'a, orm_core::Result<()>> {
        let (y, inner) = (self.yielding, &mut self.inner);
        Self::after_yield(y, move || inner.transaction(op))
    }

    fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }
}

fn engine_over(db: &TestDb, yielding: bool) -> (Engine, Arc<AtomicU32>) {
    let checkouts = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&checkouts);
    let engine = Engine::with_pools(
        db.url().clone(),
        Arc::new(PgDialect),
        EngineOptions::default(),
        move |url, _| {
            Box::new(OpenEach {
                url: url.clone(),
                yielding,
                checkouts: Arc::clone(&counter),
            })
        },
    )
    .unwrap();
    (engine, checkouts)
}

#[test]
fn an_engine_over_a_pool_of_its_own_runs_sessions_and_create_all() {
    let db = TestDb::new("pools_own");
    let (engine, checkouts) = engine_over(&db, false);
    let log = StatementLog::attach(&engine);
    MetaData::new().with::<Note>().create_all(&engine).unwrap();
    let session = engine.session();
    let note = session.add(Note {
        body: "through my pool".into(),
        ..Default::default()
    });
    session.commit().unwrap();
    assert_eq!(note.id(), Some(1));
    assert_eq!(
        db.query_text("SELECT id, body FROM pool_notes"),
        [["1", "through my pool"]]
    );
    let again = engine.session().get::<Note>(1).unwrap().unwrap();
    assert_eq!(again.body(), "through my pool");
    assert_eq!(
        checkouts.load(Ordering::Relaxed),
        3,
        "create_all, two sessions"
    );
    let statements = log.statements();
    let insert = statements.iter().position(|s| s.starts_with("INSERT"));
    assert!(insert.is_some_and(|i| statements[i - 1] == "BEGIN" && statements[i + 1] == "COMMIT"));
}

#[test]
fn a_blocking_call_on_a_connection_that_is_not_ready_fails_at_once_and_sends_nothing() {
    let db = TestDb::new("pools_pending");
    let (engine, _) = engine_over(&db, true);
    let would_block = |r: orm_core::Result<()>| matches!(r, Err(Error::WouldBlock(_)));

    let mut conn = engine.connect().unwrap();
    assert!(would_block(
        conn.batch_execute("CREATE TABLE never_made (id int)")
    ));
    assert!(would_block(
        MetaData::new().with::<Note>().create_all(&engine)
    ));
    assert!(db.tables().is_empty(), "nothing reached the server");

    let session = engine.session();
    assert!(would_block(session.query::<Note>().all().map(drop)));
    assert!(would_block(session.get::<Note>(1).map(drop)));
}
