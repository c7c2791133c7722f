//! [`Engine`]: a lazily connecting, pooled source of connections for one database.

use super::events::StatementEvent;
use super::pool::Manager;
use super::{Backend, RowStream, Url};
use crate::dialect::{Compiled, Dialect, TransactionOp};
use crate::error::{Error, Result};
use crate::row::Row;
use crate::value::Value;
use std::sync::{Arc, RwLock};
use std::time::Duration;

type Listener = Arc<dyn Fn(&StatementEvent<'_>) + Send + Sync>;

/// How an [`Engine`] pools and logs.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Most connections open at once.
    pub pool_size: u32,
    /// How long `connect()` waits for a connection before failing.
    pub connect_timeout: Duration,
    /// Log every statement at INFO level (otherwise DEBUG) on target `orm::sql`;
    /// printed to stderr when the program installs no `tracing` subscriber.
    pub echo: bool,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            pool_size: 5,
            connect_timeout: Duration::from_secs(5),
            echo: false,
        }
    }
}

struct EngineInner {
    url: Url,
    backend: Arc<dyn Backend>,
    pool: r2d2::Pool<Manager>,
    dialect: Arc<dyn Dialect>,
    listeners: RwLock<Vec<Listener>>,
    echo: bool,
}

/// A pool of connections to one database plus its dialect. Cheap to clone, shared
/// across threads. Creating it does no I/O: the first connection opens on first use.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Engine({})", self.inner.url)
    }
}

impl Engine {
    /// An engine for `url` over `backend`; no connection is opened yet.
    pub fn new(url: Url, backend: impl Backend, options: EngineOptions) -> Result<Engine> {
        let backend: Arc<dyn Backend> = Arc::new(backend);
        let dialect = backend.dialect();
        let manager = Manager {
            backend: Arc::clone(&backend),
            url: url.clone(),
        };
        let pool = r2d2::Pool::builder()
            .max_size(options.pool_size.max(1))
            .min_idle(Some(0))
            .test_on_check_out(false)
            .connection_timeout(options.connect_timeout)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(manager);
        Ok(Engine {
            inner: Arc::new(EngineInner {
                url,
                backend,
                pool,
                dialect,
                listeners: RwLock::new(Vec::new()),
                echo: options.echo,
            }),
        })
    }

    /// The URL (its password is never printed).
    pub fn url(&self) -> &Url {
        &self.inner.url
    }

    /// The dialect that renders statements for this engine.
    pub fn dialect(&self) -> &dyn Dialect {
        &*self.inner.dialect
    }

    /// Calls `listener` for every statement any connection of this engine sends.
    pub fn on_statement(&self, listener: impl Fn(&StatementEvent<'_>) + Send + Sync + 'static) {
        self.inner
            .listeners
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .push(Arc::new(listener));
    }

    /// Checks a connection out of the pool (opening one if needed), for plain SQL.
    ///
    /// While the pool holds no connection at all, a failure to connect is reported at
    /// once with the backend's own typed error (refused, unknown host, bad login)
    /// instead of after the pool's wait.
    pub fn connect(&self) -> Result<EngineConnection> {
        let conn = match self.inner.pool.try_get() {
            Some(c) => c,
            None => {
                if self.inner.pool.state().connections == 0 {
                    drop(self.inner.backend.connect(&self.inner.url)?);
                }
                self.inner.pool.get().map_err(|e| Error::Connect {
                    target: self.inner.url.target(),
                    reason: format!("no pooled connection became free: {e}"),
                })?
            }
        };
        Ok(EngineConnection {
            conn,
            engine: self.clone(),
        })
    }

    /// Number of connections currently open (idle or in use).
    pub fn open_connections(&self) -> u32 {
        self.inner.pool.state().connections
    }

    fn emit(&self, sql: &str, params: &[Value]) {
        if self.inner.echo {
            super::echo::statement(sql, params);
        } else {
            tracing::debug!(target: "orm::sql", params = ?params, "{sql}");
        }
        let listeners = self
            .inner
            .listeners
            .read()
            .unwrap_or_else(|p| p.into_inner());
        if listeners.is_empty() {
            return;
        }
        let event = StatementEvent { sql, params };
        for l in listeners.iter() {
            l(&event);
        }
    }
}

/// A pooled connection checked out of an [`Engine`]; returned to the pool on drop.
///
/// Every statement goes through the engine's logging and listeners.
pub struct EngineConnection {
    conn: r2d2::PooledConnection<Manager>,
    engine: Engine,
}

impl std::fmt::Debug for EngineConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EngineConnection({})", self.engine.inner.url)
    }
}

impl EngineConnection {
    /// The engine this connection came from.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The dialect of this connection's engine.
    pub fn dialect(&self) -> &dyn Dialect {
        self.engine.dialect()
    }

    /// Runs plain SQL with bind parameters; returns the affected row count.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        self.engine.emit(sql, params);
        self.conn.execute(sql, params)
    }

    /// Runs a plain SQL query with bind parameters; returns all rows.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        self.engine.emit(sql, params);
        self.conn.query(sql, params)
    }

    /// Runs a plain SQL query, handing each row to `f` as it is decoded.
    pub fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&mut Row) -> Result<()>,
    ) -> Result<()> {
        self.engine.emit(sql, params);
        self.conn.query_each(sql, params, f)
    }

    /// Streams the rows of a plain SQL query.
    pub fn query_stream(&mut self, sql: &str, params: &[Value]) -> Result<RowStream<'_>> {
        self.engine.emit(sql, params);
        self.conn.query_stream(sql, params)
    }

    /// Runs one or more parameterless statements.
    pub fn batch_execute(&mut self, sql: &str) -> Result<()> {
        self.engine.emit(sql, &[]);
        self.conn.batch_execute(sql)
    }

    /// Runs a compiled statement; returns the affected row count.
    pub fn execute_compiled(&mut self, c: &Compiled) -> Result<u64> {
        self.execute(&c.sql, &c.params)
    }

    /// Runs a compiled query; returns all rows.
    pub fn query_compiled(&mut self, c: &Compiled) -> Result<Vec<Row>> {
        self.query(&c.sql, &c.params)
    }

    /// Starts a transaction.
    pub fn begin(&mut self) -> Result<()> {
        self.emit_tx(TransactionOp::Begin);
        self.conn.begin()
    }

    /// Commits the transaction.
    pub fn commit(&mut self) -> Result<()> {
        self.emit_tx(TransactionOp::Commit);
        self.conn.commit()
    }

    /// Rolls the transaction back.
    pub fn rollback(&mut self) -> Result<()> {
        self.emit_tx(TransactionOp::Rollback);
        self.conn.rollback()
    }

    fn emit_tx(&self, op: TransactionOp<'_>) {
        let sql = self.engine.dialect().transaction_sql(op);
        self.engine.emit(&sql, &[]);
    }

    /// Creates a savepoint.
    pub fn savepoint(&mut self, name: &str) -> Result<()> {
        self.emit_tx(TransactionOp::Savepoint(name));
        self.conn.savepoint(name)
    }

    /// Releases a savepoint.
    pub fn release_savepoint(&mut self, name: &str) -> Result<()> {
        self.emit_tx(TransactionOp::ReleaseSavepoint(name));
        self.conn.release_savepoint(name)
    }

    /// Rolls back to a savepoint.
    pub fn rollback_to_savepoint(&mut self, name: &str) -> Result<()> {
        self.emit_tx(TransactionOp::RollbackToSavepoint(name));
        self.conn.rollback_to_savepoint(name)
    }

    /// True once the connection is known to be unusable.
    pub fn is_closed(&self) -> bool {
        self.conn.is_closed()
    }
}
