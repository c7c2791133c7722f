//! [`PgConnection`]: `orm_core::Connection` over a blocking `postgres::Client`, with
//! a per-connection prepared-statement cache.

use crate::backend::pg_config;
use crate::dialect::PgDialect;
use crate::error::{connect_error, map_error};
use crate::value::{decode_row, decode_row_into, decoders, PgValue};
use orm_core::{Connection, Dialect, Error, Result, Row, RowStream, TransactionOp, Url, Value};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::ToSql;
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;

/// Prepared statements kept per connection before the cache is emptied (a bound
/// for programs that generate endless distinct SQL, e.g. IN lists of every length).
const STATEMENT_CACHE_CAPACITY: usize = 1024;

/// SQLSTATEs after which a cached statement is re-prepared: the table behind it
/// changed shape ("cached plan must not change result type") or it was
/// deallocated (`DISCARD ALL`).
const STALE_STATEMENT_CODES: [&str; 2] = ["0A000", "26000"];

/// One open PostgreSQL session.
///
/// Every statement is prepared once per connection and its `postgres::Statement`
/// kept by SQL text, so repeated statements skip the parse round trip. Once an
/// error shows the session is gone, [`is_closed`](Connection::is_closed) reports
/// it and the engine's pool discards the connection.
pub struct PgConnection {
    client: Client,
    statements: HashMap<String, Statement>,
    broken: bool,
}

impl std::fmt::Debug for PgConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConnection")
            .field("cached_statements", &self.statements.len())
            .field("broken", &self.broken)
            .finish()
    }
}

impl PgConnection {
    /// Opens a connection to `url` (scheme `postgres`/`postgresql`), without TLS.
    ///
    /// # Examples
    ///
    /// ```
    /// use orm_core::{Connection, Url};
    /// let url: Url = "postgres://postgres@127.0.0.1:5432/test".parse()?;
    /// # let url = tests::database_url(); // the test server (DATABASE_URL)
    /// let mut conn = orm_postgres::PgConnection::connect(&url)?;
    /// let rows = conn.query("SELECT 1 + $1::int", &[orm_core::Value::Int(1)])?;
    /// assert_eq!(rows[0].get(0), Some(&orm_core::Value::Int(2)));
    /// # Ok::<(), orm_core::Error>(())
    /// ```
    pub fn connect(url: &Url) -> Result<PgConnection> {
        let config = pg_config(url)?;
        let client = config.connect(NoTls).map_err(|e| connect_error(url, &e))?;
        Ok(PgConnection::from_client(client))
    }

    /// Wraps a client connected by other means.
    pub fn from_client(client: Client) -> PgConnection {
        PgConnection {
            client,
            statements: HashMap::new(),
            broken: false,
        }
    }

    /// Number of prepared statements currently cached.
    pub fn cached_statements(&self) -> usize {
        self.statements.len()
    }

    /// Maps a driver error, remembering when it shows the session is gone.
    fn fail(&mut self, e: postgres::Error) -> Error {
        let err = map_error(e);
        if matches!(err, Error::ConnectionLost(_)) {
            self.broken = true;
        }
        err
    }

    /// Maps an error from running the cached statement for `sql`, evicting it when
    /// the server says it is stale so the next call prepares it afresh.
    fn fail_running(&mut self, sql: &str, e: postgres::Error) -> Error {
        if let Some(code) = e.code() {
            if STALE_STATEMENT_CODES.contains(&code.code()) {
                self.statements.remove(sql);
            }
        }
        self.fail(e)
    }

    /// The prepared statement for `sql`, from the cache or prepared now.
    fn prepare(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let statement = match self.client.prepare(sql) {
            Ok(s) => s,
            Err(e) => return Err(self.fail(e)),
        };
        if self.statements.len() >= STATEMENT_CACHE_CAPACITY {
            self.statements.clear();
        }
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    fn simple(&mut self, sql: &str) -> Result<()> {
        self.client.batch_execute(sql).map_err(|e| self.fail(e))
    }

    fn transaction(&mut self, op: TransactionOp<'_>) -> Result<()> {
        let sql = PgDialect.transaction_sql(op);
        self.simple(&sql)
    }
}

fn bind_all(params: &[Value]) -> Vec<PgValue<'_>> {
    params.iter().map(PgValue).collect()
}

fn as_dyn<'a>(values: &'a [PgValue<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl Connection for PgConnection {
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let statement = self.prepare(sql)?;
        let values = bind_all(params);
        match self.client.execute(&statement, &as_dyn(&values)) {
            Ok(n) => Ok(n),
            Err(e) => Err(self.fail_running(sql, e)),
        }
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

    /// Rows are decoded one at a time into one reused buffer as the driver yields
    /// them, so no result is held twice.
    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&mut Row) -> Result<()>,
    ) -> Result<()> {
        let statement = self.prepare(sql)?;
        let decoders = decoders(statement.columns())?;
        let outcome = match self.client.query_raw(&statement, bind_all(params)) {
            Ok(mut rows) => {
                let mut buffer = Row::default();
                loop {
                    match rows.next() {
                        Ok(Some(row)) => {
                            let step = decode_row_into(&row, &decoders, &mut buffer)
                                .and_then(|()| f(&mut buffer));
                            if let Err(e) = step {
                                break Err(Failure::Other(e));
                            }
                        }
                        Ok(None) => break Ok(()),
                        Err(e) => break Err(Failure::Driver(e)),
                    }
                }
            }
            Err(e) => Err(Failure::Driver(e)),
        };
        match outcome {
            Ok(()) => Ok(()),
            Err(Failure::Driver(e)) => Err(self.fail_running(sql, e)),
            Err(Failure::Other(e)) => Err(e),
        }
    }

    /// Rows are read from the socket as the iterator is advanced: `tokio-postgres`
    /// hands each request's messages over a channel of capacity 1 and stops reading
    /// the socket while it is full, so memory stays bounded however large the result.
    fn query_stream<'a>(&'a mut self, sql: &str, params: &[Value]) -> Result<RowStream<'a>> {
        let statement = self.prepare(sql)?;
        let decoders = decoders(statement.columns())?;
        let rows = match self.client.query_raw(&statement, bind_all(params)) {
            Ok(rows) => rows,
            Err(e) => {
                let err = map_error(e);
                self.broken |= matches!(err, Error::ConnectionLost(_));
                return Err(err);
            }
        };
        let broken = &mut self.broken;
        let rows = rows.iterator().map(move |row| match row {
            Ok(row) => decode_row(&row, &decoders),
            Err(e) => {
                let err = map_error(e);
                *broken |= matches!(err, Error::ConnectionLost(_));
                Err(err)
            }
        });
        Ok(Box::new(rows))
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
}

/// Why reading a result stopped: the driver failed, or decoding or the caller did.
enum Failure {
    Driver(postgres::Error),
    Other(Error),
}
