//! [`AsyncConnection`]: the connection interface the core is written against, and
//! [`BoxFuture`], the future its methods return.
//!
//! The session, the unit of work, relationship loading and the query terminals are
//! `async fn`s over this trait; a blocking connection takes part through
//! [`Blocking`](super::Blocking), whose futures are complete when returned, and the
//! blocking API polls each operation once (see `util/drive.rs`). An asynchronous
//! driver implements the trait directly.

use super::StandbyStatus;
use crate::dialect::TransactionOp;
use crate::error::Result;
use crate::row::Row;
use crate::value::Value;
use std::future::Future;
use std::pin::Pin;

/// A boxed, `Send` future: what [`AsyncConnection`]'s methods return (the trait is
/// object-safe, so the core holds `&mut dyn AsyncConnection`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A consumer of decoded rows: the row buffer may be reused between calls, so take
/// what you need out of it.
pub type RowSink<'a> = dyn FnMut(&mut Row) -> Result<()> + Send + 'a;

/// One open connection to a database server, as the core drives it.
///
/// SQL text comes from a [`Dialect`](crate::Dialect) (or from the user, for plain
/// SQL); values are always sent as bind parameters. Dropping a returned future
/// before it completes abandons the request: the connection's state is then unknown
/// to the caller, which must not reuse it as is (the engine discards or resets it).
pub trait AsyncConnection: Send {
    /// Runs a statement and returns the number of rows it affected.
    fn execute<'a>(&'a mut self, sql: &'a str, params: &'a [Value]) -> BoxFuture<'a, Result<u64>>;

    /// Runs a query and returns all its rows.
    fn query<'a>(
        &'a mut self,
        sql: &'a str,
        params: &'a [Value],
    ) -> BoxFuture<'a, Result<Vec<Row>>>;

    /// Runs a query and hands each row to `f` as it is decoded, so no `Vec` of every
    /// row is built.
    fn query_each<'a>(
        &'a mut self,
        sql: &'a str,
        params: &'a [Value],
        f: &'a mut RowSink<'_>,
    ) -> BoxFuture<'a, Result<()>>;

    /// Runs one or more statements without parameters (simple protocol).
    fn batch_execute<'a>(&'a mut self, sql: &'a str) -> BoxFuture<'a, Result<()>>;

    /// Begins, commits or rolls back a transaction, or creates, releases or rolls
    /// back to a savepoint.
    fn transaction<'a>(&'a mut self, op: TransactionOp<'a>) -> BoxFuture<'a, Result<()>>;

    /// True once the connection is known to be unusable.
    fn is_closed(&self) -> bool;

    /// On a primary: a log position at or after every transaction committed so far
    /// (see [`Connection::log_position`](super::Connection::log_position)).
    fn log_position(&mut self) -> BoxFuture<'_, Result<Option<u64>>> {
        ready(Ok(None))
    }

    /// On a standby: how far it has replayed the primary's log (see
    /// [`Connection::standby_status`](super::Connection::standby_status)).
    fn standby_status(&mut self) -> BoxFuture<'_, Result<Option<StandbyStatus>>> {
        ready(Ok(None))
    }
}

/// A future that is complete when returned.
pub(crate) fn ready<'a, T: Send + 'a>(value: T) -> BoxFuture<'a, T> {
    Box::pin(std::future::ready(value))
}
