//! [`Blocking`]: a blocking [`Connection`] driven as an [`AsyncConnection`].

use super::async_connection::{ready, BoxFuture, RowSink};
use super::{AsyncConnection, Connection, StandbyStatus};
use crate::dialect::TransactionOp;
use crate::error::Result;
use crate::row::Row;
use crate::value::Value;
use std::ops::DerefMut;

/// Drives a blocking [`Connection`] through [`AsyncConnection`]: each call does its
/// I/O before it returns, and its future is already complete. This is how the
/// engine's pooled blocking connections (`PgConnection`) serve the core, and why
/// the blocking API needs no runtime: one poll completes every operation.
///
/// Wrap a pointer to the connection: `Blocking(&mut conn)`, `Blocking(Box::new(conn))`
/// or a `Box<dyn Connection>`.
///
/// ```
/// use orm_core::connection::{AsyncConnection, Blocking};
/// use orm_core::{Connection, Result, Row};
/// use std::future::Future;
/// use std::task::{Context, Poll, Waker};
///
/// /// Runs a query on any blocking connection through the async interface.
/// fn first_rows(conn: &mut dyn Connection) -> Result<Vec<Row>> {
///     let mut conn = Blocking(conn);
///     let mut future = conn.query("SELECT 1", &[]);
///     // Complete when returned: one poll gives the rows.
///     let rows = match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
///         Poll::Ready(rows) => rows,
///         Poll::Pending => unreachable!("a blocking connection's future is always ready"),
///     };
///     rows
/// }
/// ```
#[derive(Debug)]
pub struct Blocking<C>(pub C);

impl<C> AsyncConnection for Blocking<C>
where
    C: DerefMut + Send,
    C::Target: Connection,
{
    fn execute<'a>(&'a mut self, sql: &'a str, params: &'a [Value]) -> BoxFuture<'a, Result<u64>> {
        ready(self.0.execute(sql, params))
    }

    fn query<'a>(
        &'a mut self,
        sql: &'a str,
        params: &'a [Value],
    ) -> BoxFuture<'a, Result<Vec<Row>>> {
        ready(self.0.query(sql, params))
    }

    fn query_each<'a>(
        &'a mut self,
        sql: &'a str,
        params: &'a [Value],
        f: &'a mut RowSink<'_>,
    ) -> BoxFuture<'a, Result<()>> {
        ready(self.0.query_each(sql, params, f))
    }

    fn batch_execute<'a>(&'a mut self, sql: &'a str) -> BoxFuture<'a, Result<()>> {
        ready(self.0.batch_execute(sql))
    }

    fn transaction<'a>(&'a mut self, op: TransactionOp<'a>) -> BoxFuture<'a, Result<()>> {
        let c = &mut *self.0;
        ready(match op {
            TransactionOp::Begin => c.begin(),
            TransactionOp::Commit => c.commit(),
            TransactionOp::Rollback => c.rollback(),
            TransactionOp::Savepoint(n) => c.savepoint(n),
            TransactionOp::ReleaseSavepoint(n) => c.release_savepoint(n),
            TransactionOp::RollbackToSavepoint(n) => c.rollback_to_savepoint(n),
        })
    }

    fn is_closed(&self) -> bool {
        self.0.is_closed()
    }

    fn log_position(&mut self) -> BoxFuture<'_, Result<Option<u64>>> {
        ready(self.0.log_position())
    }

    fn standby_status(&mut self) -> BoxFuture<'_, Result<Option<StandbyStatus>>> {
        ready(self.0.standby_status())
    }
}
