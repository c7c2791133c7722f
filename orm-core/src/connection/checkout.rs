//! What an [`Engine`](super::Engine) needs from a pool: a [`ConnectionPool`] per
//! server that hands out [`PooledConnection`]s. The engine's routing, transaction
//! tracking and logging sit above these two traits, so the same engine logic runs
//! over a pool of blocking connections (`r2d2`, in `pool.rs`) or an asynchronous
//! one.

use super::async_connection::BoxFuture;
use super::{AsyncConnection, Connection, Url};
use crate::error::Result;

/// The pooled connections to one server.
pub trait ConnectionPool: Send + Sync {
    /// Checks a connection out, opening one if the pool has room; a full pool waits
    /// up to the engine's `connect_timeout`, then fails with
    /// [`Error::PoolTimeout`](crate::Error::PoolTimeout).
    fn checkout(&self) -> BoxFuture<'_, Result<Box<dyn PooledConnection>>>;

    /// The server's URL.
    fn url(&self) -> &Url;

    /// Connections open to the server (idle or in use).
    fn open_connections(&self) -> u32;
}

/// A connection checked out of a [`ConnectionPool`]; dropping it gives it back.
pub trait PooledConnection: Send {
    /// The connection, to run statements on.
    fn connection(&mut self) -> &mut dyn AsyncConnection;

    /// True once the connection is known to be unusable.
    fn is_closed(&self) -> bool;

    /// Marks the connection as not to be reused: its transaction state is unknown
    /// (a reset failed, or was abandoned mid-way).
    fn discard(&mut self);

    /// The blocking connection underneath, when there is one (for
    /// [`EngineConnection::query_stream`](super::EngineConnection::query_stream)).
    fn blocking(&mut self) -> Option<&mut dyn Connection> {
        None
    }
}
