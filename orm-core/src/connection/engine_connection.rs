//! [`EngineConnection`]: the blocking face of an engine's connection, for plain SQL,
//! and the [`Engine`] methods that hand one out.
//! The decisions (routing, lazy `BEGIN`, logging, the reset before the connection
//! goes back to the pool) are `RoutedConnection`'s (`routed.rs`); each method here
//! runs one of its operations to completion with the poll-once driver.

use super::engine::Engine;
use super::routed::RoutedConnection;
use super::routing::Route;
use super::RowStream;
use crate::dialect::{Compiled, Dialect};
use crate::error::{Error, Result};
use crate::row::Row;
use crate::util::drive::drive;
use crate::value::Value;

/// A connection checked out of an [`Engine`]; returned to the pool on drop.
///
/// Every statement goes through the engine's logging and listeners; one with more
/// bind parameters than the dialect's limit is refused first
/// ([`Error::TooManyParameters`](crate::Error::TooManyParameters)), never sent. Dropped with a
/// transaction open (or after plain SQL that may have opened one), it rolls back
/// first, so the next user of the pooled connection never inherits someone else's
/// transaction; if that rollback fails, the connection is discarded instead.
pub struct EngineConnection {
    inner: RoutedConnection,
}

impl std::fmt::Debug for EngineConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EngineConnection({})", self.inner.engine().url())
    }
}

impl Engine {
    /// Checks a connection to the primary out of the pool (opening one if needed),
    /// for plain SQL.
    ///
    /// While the pool holds no connection at all, a failure to connect is reported at
    /// once with the backend's own typed error (refused, unknown host, bad login,
    /// TLS, timeout); a pool whose connections all stay in use for
    /// [`EngineOptions::connect_timeout`](super::EngineOptions::connect_timeout) gives [`Error::PoolTimeout`](crate::Error::PoolTimeout).
    /// A connection dropped with a transaction still open is rolled back before
    /// it goes back to the pool.
    pub fn connect(&self) -> Result<EngineConnection> {
        drive(RoutedConnection::plain(self.clone())).map(EngineConnection::new)
    }

    /// A connection for a session: nothing is checked out until its first
    /// statement, which goes to a replica or the primary as `route` and the
    /// statement decide (see [`Route`]). The session never learns which.
    pub fn session_connection(&self, route: Route) -> EngineConnection {
        EngineConnection::new(RoutedConnection::routed(self.clone(), route))
    }
}

impl EngineConnection {
    fn new(inner: RoutedConnection) -> EngineConnection {
        EngineConnection { inner }
    }

    /// The engine this connection came from.
    pub fn engine(&self) -> &Engine {
        self.inner.engine()
    }

    /// The dialect of this connection's engine.
    pub fn dialect(&self) -> &dyn Dialect {
        self.inner.dialect()
    }

    /// Changes where the following statements go (a session's connection only; a
    /// plain connection always uses the primary).
    pub fn set_route(&mut self, route: Route) {
        self.inner.set_route(route);
    }

    /// The current route (`Route::Primary` for a plain connection).
    pub fn route(&self) -> Route {
        self.inner.route()
    }

    /// Runs plain SQL with bind parameters; returns the affected row count.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        drive(self.inner.execute(sql, params))
    }

    /// Runs a plain SQL query with bind parameters; returns all rows.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        drive(self.inner.query(sql, params))
    }

    /// Runs a plain SQL query, handing each row to `f` as it is decoded.
    pub fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut (dyn FnMut(&mut Row) -> Result<()> + Send),
    ) -> Result<()> {
        drive(self.inner.query_each(sql, params, f))
    }

    /// Streams the rows of a plain SQL query (a blocking connection only).
    pub fn query_stream(&mut self, sql: &str, params: &[Value]) -> Result<RowStream<'_>> {
        let which = drive(self.inner.start(sql, params))?;
        match self.inner.pooled(which).blocking() {
            Some(conn) => conn.query_stream(sql, params),
            None => Err(Error::WouldBlock(
                "query_stream reads a blocking connection; this one is asynchronous".into(),
            )),
        }
    }

    /// Runs one or more parameterless statements.
    pub fn batch_execute(&mut self, sql: &str) -> Result<()> {
        drive(self.inner.batch_execute(sql))
    }

    /// Runs a compiled statement; returns the affected row count.
    pub fn execute_compiled(&mut self, c: &Compiled) -> Result<u64> {
        self.execute(&c.sql, &c.params)
    }

    /// Runs a compiled query; returns all rows.
    pub fn query_compiled(&mut self, c: &Compiled) -> Result<Vec<Row>> {
        self.query(&c.sql, &c.params)
    }

    /// Starts a transaction. On a session's connection the `BEGIN` is sent with the
    /// first statement, to the server that statement goes to.
    pub fn begin(&mut self) -> Result<()> {
        drive(self.inner.begin())
    }

    /// Commits the transaction.
    pub fn commit(&mut self) -> Result<()> {
        drive(self.inner.commit())
    }

    /// Rolls the transaction back.
    pub fn rollback(&mut self) -> Result<()> {
        drive(self.inner.rollback())
    }

    /// Creates a savepoint (on the primary: the transaction moves there).
    pub fn savepoint(&mut self, name: &str) -> Result<()> {
        drive(self.inner.savepoint(name))
    }

    /// Releases a savepoint.
    pub fn release_savepoint(&mut self, name: &str) -> Result<()> {
        drive(self.inner.release_savepoint(name))
    }

    /// Rolls back to a savepoint.
    pub fn rollback_to_savepoint(&mut self, name: &str) -> Result<()> {
        drive(self.inner.rollback_to_savepoint(name))
    }

    /// True once a connection in use is known to be unusable.
    pub fn is_closed(&self) -> bool {
        self.inner.is_closed()
    }
}
