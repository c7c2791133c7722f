//! [`PgConnection`]: `orm_core::Connection` over `tokio-postgres`, driven on the
//! calling thread ([`Driver`]), with time bounds, TLS, and one round trip per
//! statement: statements are prepared only once they repeat, and a transaction's
//! `BEGIN` and `ROLLBACK` cost no round trip of their own.

mod open;
mod preamble;
mod request;
mod stream;
mod transaction;

use crate::dialect::PgDialect;
use crate::driver::{Driver, Wait};
use crate::error::map_error;
use crate::replication::{parse_lsn, standby_status, LOG_POSITION_SQL, STANDBY_STATUS_SQL};
use crate::settings::PgSettings;
use crate::statements::{Plan, StatementCache};
use orm_core::{
    Connection, Dialect, Error, Result, Row, RowStream, StandbyStatus, TransactionOp, Url, Value,
};
use preamble::{ahead, writes_behind, Answers, Behind, Preamble};
use request::{bounded, Failure, PreparedAlongside};
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;
use tokio_postgres::{Client, SimpleQueryMessage};
use transaction::{Ending, TxState};

/// SQLSTATEs after which a cached statement is re-prepared: the table behind it
/// changed shape ("cached plan must not change result type") or it was
/// deallocated (`DISCARD ALL`).
const STALE_STATEMENT_CODES: [&str; 2] = ["0A000", "26000"];

/// One open PostgreSQL session.
///
/// **One round trip per statement.** A statement runs as the unnamed statement
/// (parse, bind and execute in one round trip, parameters as text) until it has run
/// `prepare_threshold` times (default 5); on the next run it is prepared in the same
/// round trip, and from then on it is bound to its prepared form by SQL text. With
/// `statement_cache_capacity=0` nothing is ever prepared (what PgBouncer's
/// transaction pooling needs).
///
/// **Transactions cost no round trip of their own.** [`begin`](Connection::begin)
/// sends nothing: the `BEGIN` goes out with the next statement, in the same flight.
/// A transaction whose `BEGIN` never went out ends without a word; a `ROLLBACK` is
/// written to the socket without waiting for its answer (the server ends the
/// transaction at once, and the answer is read with the next request); a `COMMIT`
/// is waited for, since its outcome matters.
///
/// Each wait for the server is bounded by `query_timeout` when set: past it,
/// [`Error::Timeout`] is returned and the connection is given up. Once an error shows
/// the session is gone, [`is_closed`](Connection::is_closed) reports it and the
/// engine's pool discards it.
pub struct PgConnection {
    // Field order matters: the client is dropped before the driver, which then lets
    // the connection say goodbye to the server.
    client: Client,
    statements: StatementCache,
    tx: TxState,
    /// Cursor commands waiting to go out with the next request.
    behind: Vec<Behind>,
    query_timeout: Option<Duration>,
    target: String,
    broken: bool,
    driver: Driver,
}

impl std::fmt::Debug for PgConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConnection")
            .field("target", &self.target)
            .field("cached_statements", &self.statements.len())
            .field("transaction", &self.tx)
            .field("broken", &self.broken)
            .finish()
    }
}

impl PgConnection {
    /// Opens a connection to `url` (scheme `postgres`/`postgresql`), with TLS as its
    /// `sslmode` says (`prefer` when absent).
    ///
    /// # Examples
    ///
    /// ```
    /// use orm_core::{Connection, Url};
    /// let url: Url = "postgres://postgres@127.0.0.1:5432/test?sslmode=require".parse()?;
    /// # let url = tests::database_url(); // the test server (DATABASE_URL)
    /// let mut conn = orm_postgres::PgConnection::connect(&url)?;
    /// let rows = conn.query("SELECT 1 + $1::int", &[orm_core::Value::Int(1)])?;
    /// assert_eq!(rows[0].get(0), Some(&orm_core::Value::Int(2)));
    /// # Ok::<(), orm_core::Error>(())
    /// ```
    pub fn connect(url: &Url) -> Result<PgConnection> {
        let settings = PgSettings::from_url(url)?;
        let (client, driver) = open::open(url, &settings)?;
        Ok(PgConnection {
            client,
            statements: StatementCache::new(
                settings.statement_cache_capacity,
                settings.prepare_threshold,
            ),
            tx: TxState::new(),
            behind: Vec::new(),
            query_timeout: settings.query_timeout,
            target: settings.target,
            broken: false,
            driver,
        })
    }

    /// Number of prepared statements currently cached.
    pub fn cached_statements(&self) -> usize {
        self.statements.len()
    }

    /// Maps a failure, remembering when it shows the session is gone, and evicting
    /// the cached statement for `sql` when the server says it is stale.
    fn fail(&mut self, sql: Option<&str>, failure: Failure) -> Error {
        let e = match failure {
            Failure::TimedOut => {
                self.broken = true;
                return Error::Timeout {
                    waiting_for: format!(
                        "for the server's answer on {} (query_timeout)",
                        self.target
                    ),
                    after: self.query_timeout.unwrap_or_default(),
                };
            }
            Failure::Other(e) => return e,
            Failure::Driver(e) => e,
        };
        if let (Some(sql), Some(code)) = (sql, e.code()) {
            if STALE_STATEMENT_CODES.contains(&code.code()) {
                self.statements.evict(sql);
            }
        }
        let err = map_error(e);
        if let Error::ConnectionLost(reason) = err {
            self.broken = true;
            return Error::ConnectionLost(match self.driver.ended() {
                Some(why) => format!("{why} ({reason})"),
                None => reason,
            });
        }
        err
    }

    /// What goes ahead of the next request, `sql`: the deferred `BEGIN` and the
    /// statements written behind.
    fn preamble(&mut self, sql: &str) -> Preamble {
        let begin = self.tx.before_request(sql);
        let behind = std::mem::take(&mut self.behind)
            .into_iter()
            .map(|b| {
                let plan = self.statements.plan(&b.sql);
                (b, plan)
            })
            .collect();
        Preamble { begin, behind }
    }

    /// Keeps a statement prepared alongside a run of `sql`.
    fn keep_prepared(&mut self, sql: &str, prepared: PreparedAlongside) {
        match prepared {
            Some(Ok(statement)) => {
                // A statement whose columns cannot be read is not kept; the run
                // itself reports why.
                let _ = self.statements.insert(sql, statement);
            }
            Some(Err(_)) => self.statements.never_prepare(sql),
            None => {}
        }
    }

    /// Settles what came back with a request: the preamble's answers (a failure
    /// there comes first: what followed it ran in a transaction it had aborted),
    /// the statement prepared alongside, then the request's own result.
    fn settle<T>(
        &mut self,
        sql: &str,
        pre: Preamble,
        answers: Answers,
        prepared: PreparedAlongside,
        result: std::result::Result<T, Failure>,
    ) -> Result<T> {
        self.keep_prepared(sql, prepared);
        let mut first_failure = None;
        for ((b, _), (p, r)) in pre.behind.iter().zip(answers.behind) {
            self.keep_prepared(&b.sql, p);
            if let (Err(f), None) = (r, &first_failure) {
                first_failure = Some((b.sql.as_str(), f));
            }
        }
        if let Some(Err(failure)) = answers.begin {
            self.tx.begin_failed();
            return Err(self.fail(None, failure));
        }
        if let Some((behind_sql, failure)) = first_failure {
            return Err(self.fail(Some(behind_sql), failure));
        }
        result.map_err(|failure| self.fail(Some(sql), failure))
    }

    /// Runs `sql` and hands each decoded row to `f`; returns the affected row count.
    fn run(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&mut Row) -> Result<()>,
    ) -> Result<u64> {
        if self.tx.in_transaction() && writes_behind(sql) {
            self.behind.push(Behind {
                sql: sql.to_owned(),
                params: params.to_vec(),
            });
            return Ok(0);
        }
        let pre = self.preamble(sql);
        let plan = self.statements.plan(sql);
        let (client, limit) = (&self.client, self.query_timeout);
        if let (Plan::Prepared(p), false) = (&plan, pre.is_some()) {
            let run = request::run_prepared(client, limit, (sql, params), p, f);
            let result = drive(&mut self.driver, run);
            return self.settle(sql, pre, Answers::default(), None, result);
        }
        // The general case: its state is large (the preamble's requests, a statement
        // prepared alongside), so it is boxed rather than moved.
        let (answers, prepared, result) = drive(
            &mut self.driver,
            Box::pin(async {
                let mut prepared = None;
                let statement = async {
                    let (p, r) = request::run(client, limit, (sql, params), &plan, f).await;
                    prepared = p;
                    r
                };
                let (answers, result) = ahead(client, limit, &pre, statement).await;
                (answers, prepared, result)
            }),
        );
        self.settle(sql, pre, answers, prepared, result)
    }

    /// A simple-protocol request (no parameters), after the preamble.
    fn simple(&mut self, sql: &str) -> Result<Vec<SimpleQueryMessage>> {
        let pre = self.preamble(sql);
        let (client, limit) = (&self.client, self.query_timeout);
        let request = async {
            bounded(limit, client.simple_query(sql))
                .await?
                .map_err(Failure::Driver)
        };
        let (answers, result) = drive(
            &mut self.driver,
            Box::pin(ahead(client, limit, &pre, request)),
        );
        self.settle(sql, pre, answers, None, result)
    }

    /// Writes `sql` (simple protocol) to the socket without waiting for its answer,
    /// which the driver reads, and drops, with the next request. The server runs it
    /// at once; what follows on this connection runs after it.
    fn send_only(&mut self, sql: &str) -> Result<()> {
        let client = &self.client;
        let sent = drive(&mut self.driver, async {
            let mut answer = pin!(client.batch_execute(sql));
            // The first poll queues the request (it cannot be answered yet); one more
            // turn of the driver writes it to the socket.
            let first = poll_fn(|cx| Poll::Ready(answer.as_mut().poll(cx))).await;
            if let Poll::Ready(Err(e)) = first {
                return Err(Failure::Driver(e));
            }
            tokio::task::yield_now().await;
            Ok(())
        });
        sent.map_err(|f| self.fail(None, f))
    }

    /// A transaction-control statement, after the deferred `BEGIN` (a savepoint).
    fn transaction(&mut self, op: TransactionOp<'_>) -> Result<()> {
        self.simple(&PgDialect.transaction_sql(op)).map(drop)
    }

    /// Ends the transaction with `op` (`COMMIT` waited for, `ROLLBACK` not), or
    /// sends nothing when the server never saw its `BEGIN`. A `COMMIT` takes the
    /// cursor commands written behind along (their errors are its errors); a
    /// `ROLLBACK` undoes them, so they need not go.
    fn end(&mut self, op: TransactionOp<'_>) -> Result<()> {
        let sql = PgDialect.transaction_sql(op);
        if op == TransactionOp::Rollback {
            self.behind.clear();
        } else if !self.behind.is_empty() {
            let committed = self.simple(&sql).map(drop);
            self.tx.end();
            return committed;
        }
        match (self.tx.end(), op) {
            (Ending::Nothing, _) => Ok(()),
            (Ending::Send, TransactionOp::Rollback) => self.send_only(&sql),
            (Ending::Send, _) => self.simple(&sql).map(drop),
        }
    }

    /// The text of each column of the first row a simple query returns.
    fn simple_row(&mut self, sql: &str) -> Result<Vec<Option<String>>> {
        let messages = self.simple(sql)?;
        Ok(messages
            .iter()
            .find_map(|m| match m {
                SimpleQueryMessage::Row(r) => {
                    Some((0..r.len()).map(|i| r.get(i).map(str::to_owned)).collect())
                }
                _ => None,
            })
            .unwrap_or_default())
    }
}

/// Runs `request` on `driver` (the request bounds its own waits).
fn drive<T>(driver: &mut Driver, request: impl Future<Output = T>) -> T {
    match driver.block_on(request, None) {
        Wait::Done(v) => v,
        Wait::TimedOut => unreachable!("no bound was given to the driver"),
    }
}

impl Connection for PgConnection {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        self.run(sql, params, &mut |_| Ok(()))
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let mut out = Vec::new();
        self.query_each(sql, params, &mut |row| {
            let width = row.len();
            out.push(std::mem::replace(row, Row::with_capacity(width)));
            Ok(())
        })?;
        Ok(out)
    }

    /// Rows are decoded one at a time into one reused buffer as they arrive, all in
    /// one pass of the driver, so no result is held twice.
    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&mut Row) -> Result<()>,
    ) -> Result<()> {
        self.run(sql, params, f).map(|_| ())
    }

    /// Rows are read from the socket as the iterator is advanced: `tokio-postgres`
    /// hands each request's messages over a bounded channel and stops reading the
    /// socket while it is full, so memory stays bounded however large the result.
    /// (A statement run unprepared waits for its first row here, whose columns say
    /// how to read the rest.)
    fn query_stream<'a>(&'a mut self, sql: &str, params: &[Value]) -> Result<RowStream<'a>> {
        stream::start(self, sql, params)
    }

    fn batch_execute(&mut self, sql: &str) -> Result<()> {
        self.simple(sql).map(drop)
    }

    /// Sends nothing: the `BEGIN` goes out with the next request (a connection
    /// known to be closed says so at once).
    fn begin(&mut self) -> Result<()> {
        if self.is_closed() {
            let why = self.driver.ended().unwrap_or("the connection is closed");
            return Err(Error::ConnectionLost(why.to_owned()));
        }
        self.tx.begin();
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        self.end(TransactionOp::Commit)
    }

    fn rollback(&mut self) -> Result<()> {
        self.end(TransactionOp::Rollback)
    }

    fn savepoint(&mut self, name: &str) -> Result<()> {
        self.transaction(TransactionOp::Savepoint(name))
    }

    fn release_savepoint(&mut self, name: &str) -> Result<()> {
        self.transaction(TransactionOp::ReleaseSavepoint(name))
    }

    fn rollback_to_savepoint(&mut self, name: &str) -> Result<()> {
        self.transaction(TransactionOp::RollbackToSavepoint(name))
    }

    fn is_closed(&self) -> bool {
        self.broken || self.client.is_closed()
    }

    /// Polls the socket (no round trip): a connection the server closed while it
    /// sat in the pool is noticed here.
    fn check_closed(&mut self) -> bool {
        if !self.broken {
            self.driver.poll_idle();
        }
        self.is_closed()
    }

    fn log_position(&mut self) -> Result<Option<u64>> {
        let row = self.simple_row(LOG_POSITION_SQL)?;
        row.first()
            .cloned()
            .flatten()
            .map(|lsn| parse_lsn(&lsn))
            .transpose()
    }

    fn standby_status(&mut self) -> Result<Option<StandbyStatus>> {
        let row = self.simple_row(STANDBY_STATUS_SQL)?;
        let row: Vec<Option<&str>> = row.iter().map(Option::as_deref).collect();
        standby_status(&row)
    }
}
