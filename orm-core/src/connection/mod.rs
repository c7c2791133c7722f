//! Connections, the [`Backend`] that opens them, the [`Engine`] that pools them, and [`Url`].
//!
//! A backend's connection is blocking ([`Connection`]); the core drives every
//! connection through [`AsyncConnection`] ([`Blocking`] adapts a blocking one), and
//! the engine hands them out of a [`ConnectionPool`] per server.

mod async_connection;
mod blocking;
mod checkout;
mod conninfo;
mod echo;
mod engine;
mod engine_connection;
mod events;
mod pool;
mod replicas;
mod routed;
mod routing;
mod url;
mod url_parse;

pub use async_connection::{AsyncConnection, BoxFuture, RowSink};
pub use blocking::Blocking;
pub use checkout::{ConnectionPool, PooledConnection};
pub use engine::{Engine, EngineOptions};
pub use engine_connection::EngineConnection;
pub use events::{StatementEvent, StatementLog};
pub use pool::HealthCheck;
pub use routing::{Route, ServerRole};
pub use url::{Url, UrlBuilder};

pub(crate) use routed::RoutedConnection;

use crate::dialect::Dialect;
use crate::error::Result;
use crate::row::Row;
use crate::value::Value;
use std::sync::Arc;

/// A stream of rows that holds the connection while it is read.
pub type RowStream<'a> = Box<dyn Iterator<Item = Result<Row>> + 'a>;

/// One open connection to a database server, as a backend implements it.
///
/// SQL text comes from a [`Dialect`] (or from the user, for plain SQL); values are
/// always sent as bind parameters.
pub trait Connection: Send {
    /// Runs a statement and returns the number of rows it affected.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64>;

    /// Runs a query and returns all its rows.
    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>>;

    /// Runs a query and hands each row to `f` as it is decoded. The row buffer may be
    /// reused between calls (take what you need out of it); the default collects
    /// [`query`](Connection::query) first.
    fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&mut Row) -> Result<()>,
    ) -> Result<()> {
        for mut row in self.query(sql, params)? {
            f(&mut row)?;
        }
        Ok(())
    }

    /// Runs a query and streams its rows without holding them all in memory.
    fn query_stream<'a>(&'a mut self, sql: &str, params: &[Value]) -> Result<RowStream<'a>>;

    /// Runs one or more statements without parameters (simple protocol).
    fn batch_execute(&mut self, sql: &str) -> Result<()>;

    /// Starts a transaction.
    fn begin(&mut self) -> Result<()>;

    /// Commits the current transaction.
    fn commit(&mut self) -> Result<()>;

    /// Rolls back the current transaction.
    fn rollback(&mut self) -> Result<()>;

    /// Creates a savepoint called `name`.
    fn savepoint(&mut self, name: &str) -> Result<()>;

    /// Releases the savepoint `name`.
    fn release_savepoint(&mut self, name: &str) -> Result<()>;

    /// Rolls back to the savepoint `name`.
    fn rollback_to_savepoint(&mut self, name: &str) -> Result<()>;

    /// True once the connection is known to be unusable.
    fn is_closed(&self) -> bool;

    /// Like [`is_closed`](Connection::is_closed), but may also look at the socket
    /// (without a round trip) for a close the server sent while the connection was
    /// idle. The pool calls it at checkout.
    fn check_closed(&mut self) -> bool {
        self.is_closed()
    }

    /// One round trip that proves the server still answers.
    fn ping(&mut self) -> Result<()> {
        self.batch_execute("")
    }

    /// On a primary: a position in the server's write-ahead log at or after every
    /// transaction committed so far (PostgreSQL's `pg_current_wal_lsn()`). `None`
    /// when the backend has no such notion.
    fn log_position(&mut self) -> Result<Option<u64>> {
        Ok(None)
    }

    /// On a standby: how far it has replayed the primary's log, and how long ago the
    /// last replayed transaction committed on the primary while more log waits to be
    /// replayed (zero when it has caught up). `None` when this is no standby.
    fn standby_status(&mut self) -> Result<Option<StandbyStatus>> {
        Ok(None)
    }
}

/// Where a standby server is in replaying its primary's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandbyStatus {
    /// The log position replayed so far (comparable with
    /// [`Connection::log_position`] on the primary).
    pub replayed: u64,
    /// How far behind the primary the replayed data is (zero when caught up).
    pub lag: std::time::Duration,
}

/// A database backend: opens connections for a [`Url`] and provides the [`Dialect`].
pub trait Backend: Send + Sync + 'static {
    /// Opens a new connection.
    fn connect(&self, url: &Url) -> Result<Box<dyn Connection>>;

    /// The dialect that renders statements for this backend.
    fn dialect(&self) -> Arc<dyn Dialect>;
}
