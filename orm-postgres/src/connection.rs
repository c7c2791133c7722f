//! [`PgConnection`]: `orm_core::Connection` over `tokio-postgres`, driven on the
//! calling thread ([`Driver`]), with time bounds, TLS and a per-connection
//! prepared-statement cache (or none, for PgBouncer).

use crate::decode::Decoder;
use crate::dialect::PgDialect;
use crate::driver::{self, Driver, Wait};
use crate::error::{connect_error, map_error};
use crate::replication::{parse_lsn, standby_status, LOG_POSITION_SQL, STANDBY_STATUS_SQL};
use crate::settings::PgSettings;
use crate::text_param::text_params;
use crate::tls::{tls_failure, SslMode};
use crate::value::{decode_row, decode_row_into, decoders, PgValue};
use futures_util::{pin_mut, StreamExt};
use orm_core::{
    Connection, Dialect, Error, Result, Row, RowStream, StandbyStatus, TransactionOp, Url, Value,
};
use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;
use tokio_postgres::{Client, SimpleQueryMessage, Statement};

/// SQLSTATEs after which a cached statement is re-prepared: the table behind it
/// changed shape ("cached plan must not change result type") or it was
/// deallocated (`DISCARD ALL`).
const STALE_STATEMENT_CODES: [&str; 2] = ["0A000", "26000"];

/// One open PostgreSQL session.
///
/// Every statement is prepared once per connection and its `Statement` kept by SQL
/// text, so repeated statements skip the parse round trip; with
/// `statement_cache_capacity=0` nothing is prepared and each statement runs as the
/// unnamed statement with text parameters, in one round trip (what PgBouncer's
/// transaction pooling needs). Each wait for the server is bounded by
/// `query_timeout` when set: past it, [`Error::Timeout`] is returned and the
/// connection is given up. Once an error shows the session is gone,
/// [`is_closed`](Connection::is_closed) reports it and the engine's pool discards it.
pub struct PgConnection {
    // Field order matters: the client is dropped before the driver, which then lets
    // the connection say goodbye to the server.
    client: Client,
    statements: HashMap<String, Statement>,
    cache_capacity: usize,
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
            .field("broken", &self.broken)
            .finish()
    }
}

/// Why a request failed: the driver reported an error, or the time bound ran out.
enum Failure {
    Driver(tokio_postgres::Error),
    TimedOut,
    Other(Error),
}

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        Failure::Driver(e)
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
        let (client, driver) = open(url, &settings)?;
        Ok(PgConnection {
            client,
            statements: HashMap::new(),
            cache_capacity: settings.statement_cache_capacity,
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

    /// Runs `request` while driving the connection, bounded by `query_timeout`.
    fn wait<T>(
        driver: &mut Driver,
        limit: Option<Duration>,
        request: impl Future<Output = std::result::Result<T, tokio_postgres::Error>>,
    ) -> std::result::Result<T, Failure> {
        match driver.block_on(request, limit) {
            Wait::Done(r) => r.map_err(Failure::Driver),
            Wait::TimedOut => Err(Failure::TimedOut),
        }
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
                self.statements.remove(sql);
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

    /// The prepared statement for `sql`, from the cache or prepared now.
    fn prepare(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let prepared = Self::wait(
            &mut self.driver,
            self.query_timeout,
            self.client.prepare(sql),
        );
        let statement = prepared.map_err(|f| self.fail(None, f))?;
        if self.statements.len() >= self.cache_capacity {
            self.statements.clear();
        }
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    fn simple(&mut self, sql: &str) -> Result<()> {
        let done = Self::wait(
            &mut self.driver,
            self.query_timeout,
            self.client.batch_execute(sql),
        );
        done.map_err(|f| self.fail(None, f))
    }

    fn transaction(&mut self, op: TransactionOp<'_>) -> Result<()> {
        let sql = PgDialect.transaction_sql(op);
        self.simple(&sql)
    }

    /// The text of each column of the first row a simple query returns.
    fn simple_row(&mut self, sql: &str) -> Result<Vec<Option<String>>> {
        let messages = Self::wait(
            &mut self.driver,
            self.query_timeout,
            self.client.simple_query(sql),
        )
        .map_err(|f| self.fail(None, f))?;
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

    /// Runs `sql` and hands each decoded row to `f`; returns the affected row count.
    fn run(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&mut Row) -> Result<()>,
    ) -> Result<u64> {
        let limit = self.query_timeout;
        let outcome = if self.cache_capacity == 0 {
            let stream = self.client.query_typed_raw(sql, text_params(params));
            drain(&mut self.driver, limit, stream, None, f)
        } else {
            let statement = self.prepare(sql)?;
            let decoders = decoders(statement.columns())?;
            let stream = self
                .client
                .query_raw(&statement, params.iter().map(PgValue));
            drain(&mut self.driver, limit, stream, Some(decoders), f)
        };
        outcome.map_err(|failure| self.fail(Some(sql), failure))
    }
}

/// Opens the session: TLS as `sslmode` says (`allow` retries with TLS when the plain
/// attempt is refused), the whole set-up bounded by `connect_timeout`.
fn open(url: &Url, s: &PgSettings) -> Result<(Client, Driver)> {
    let first = attempt(url, s, s.tls.mode);
    match first {
        Err(Error::Connect { .. }) if s.tls.mode == SslMode::Allow && !s.unix_socket => {
            attempt(url, s, SslMode::Require)
        }
        other => other,
    }
}

fn attempt(url: &Url, s: &PgSettings, mode: SslMode) -> Result<(Client, Driver)> {
    let runtime = driver::runtime()
        .map_err(|e| Error::Driver(format!("cannot start the I/O runtime: {e}")))?;
    let tls = s.tls.connector(&s.target)?;
    let mut config = s.config.clone();
    config.ssl_mode(s.driver_ssl_mode(mode));
    let connect = config.connect(tls);
    let outcome = runtime.block_on(async {
        match s.connect_timeout {
            Some(d) => tokio::time::timeout(d, connect).await.ok(),
            None => Some(connect.await),
        }
    });
    match outcome {
        None => Err(Error::Timeout {
            waiting_for: format!("connecting to {} (connect_timeout)", s.target),
            after: s.connect_timeout.unwrap_or_default(),
        }),
        Some(Err(e)) => Err(match tls_failure(&e, url.host().unwrap_or("localhost")) {
            Some(reason) => Error::Tls {
                target: s.target.clone(),
                reason,
            },
            None => connect_error(url, &e),
        }),
        Some(Ok((client, connection))) => Ok((client, Driver::new(runtime, connection))),
    }
}

/// Reads every row of `stream` (one wait per row, each bounded by `limit`), decoding
/// with `decoders` (or with decoders chosen from the first row); returns the
/// affected row count.
fn drain<F>(
    driver: &mut Driver,
    limit: Option<Duration>,
    stream: F,
    decoders: Option<Vec<Decoder>>,
    f: &mut dyn FnMut(&mut Row) -> Result<()>,
) -> std::result::Result<u64, Failure>
where
    F: Future<Output = std::result::Result<tokio_postgres::RowStream, tokio_postgres::Error>>,
{
    let request = async move {
        let rows = bounded(limit, stream).await??;
        pin_mut!(rows);
        let mut decoders = decoders;
        let mut buffer = Row::default();
        while let Some(row) = bounded(limit, rows.next()).await? {
            let row = row?;
            let d = decoders.get_or_insert_with(|| decoders_or_empty(&row));
            decode_row_into(&row, d, &mut buffer)
                .and_then(|()| f(&mut buffer))
                .map_err(Failure::Other)?;
        }
        Ok(rows.rows_affected().unwrap_or(0))
    };
    match driver.block_on(request, None) {
        Wait::Done(r) => r,
        Wait::TimedOut => Err(Failure::TimedOut),
    }
}

fn decoders_or_empty(row: &tokio_postgres::Row) -> Vec<Decoder> {
    decoders(row.columns()).unwrap_or_default()
}

/// `fut`, or [`Failure::TimedOut`] after `limit`.
async fn bounded<T>(
    limit: Option<Duration>,
    fut: impl Future<Output = T>,
) -> std::result::Result<T, Failure> {
    match limit {
        Some(d) => tokio::time::timeout(d, fut)
            .await
            .map_err(|_| Failure::TimedOut),
        None => Ok(fut.await),
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
    fn query_stream<'a>(&'a mut self, sql: &str, params: &[Value]) -> Result<RowStream<'a>> {
        let limit = self.query_timeout;
        let (started, mut decoders) = if self.cache_capacity == 0 {
            let stream = self.client.query_typed_raw(sql, text_params(params));
            (Self::wait(&mut self.driver, limit, stream), None)
        } else {
            let statement = self.prepare(sql)?;
            let decoders = decoders(statement.columns())?;
            let stream = self
                .client
                .query_raw(&statement, params.iter().map(PgValue));
            (Self::wait(&mut self.driver, limit, stream), Some(decoders))
        };
        let rows = started.map_err(|f| self.fail(Some(sql), f))?;
        let mut rows = Box::pin(rows);
        let this = self;
        let iter = std::iter::from_fn(move || {
            let next = Self::wait(&mut this.driver, limit, async {
                rows.next().await.transpose()
            });
            match next {
                Ok(Some(row)) => {
                    let d = decoders.get_or_insert_with(|| decoders_or_empty(&row));
                    Some(decode_row(&row, d))
                }
                Ok(None) => None,
                Err(f) => Some(Err(this.fail(None, f))),
            }
        });
        Ok(Box::new(iter))
    }

    fn batch_execute(&mut self, sql: &str) -> Result<()> {
        self.simple(sql)
    }

    fn begin(&mut self) -> Result<()> {
        self.transaction(TransactionOp::Begin)
    }

    fn commit(&mut self) -> Result<()> {
        self.transaction(TransactionOp::Commit)
    }

    fn rollback(&mut self) -> Result<()> {
        self.transaction(TransactionOp::Rollback)
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
