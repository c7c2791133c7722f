//! [`Connection::query_stream`](orm_core::Connection::query_stream) for
//! [`PgConnection`]: the statement starts (after the deferred `BEGIN`), then each row
//! is read from the socket as the iterator is advanced.

use super::preamble::ahead;
use super::request::{self, bounded, decoders_of, Failure};
use super::{drive, PgConnection};
use crate::decode::Decoder;
use crate::statements::Plan;
use crate::value::decode_row;
use futures_util::StreamExt;
use orm_core::{Result, RowStream, Value};
use std::sync::Arc;

/// Starts `sql` and returns the iterator over its rows. A statement run unprepared
/// waits here for its first row, whose columns say how to read every row (so a
/// column that cannot be read is an error here, as for a prepared statement).
pub(super) fn start<'a>(
    conn: &'a mut PgConnection,
    sql: &str,
    params: &[Value],
) -> Result<RowStream<'a>> {
    let pre = conn.preamble(sql);
    let plan = conn.statements.plan(sql);
    let (client, limit) = (&conn.client, conn.query_timeout);
    let (answers, prepared, started) = drive(
        &mut conn.driver,
        Box::pin(async {
            let mut prepared = None;
            let statement = async {
                let (p, rows) = request::start(client, limit, sql, params, &plan).await;
                prepared = p;
                rows
            };
            let (answers, rows) = ahead(client, limit, &pre, statement).await;
            (answers, prepared, rows)
        }),
    );
    let rows = conn.settle(sql, pre, answers, prepared, started)?;
    let mut rows = Box::pin(rows);
    let (decoders, first): (Option<Arc<[Decoder]>>, _) = match &plan {
        Plan::Prepared(p) => (Some(Arc::clone(&p.decoders)), None),
        Plan::Unnamed | Plan::PrepareAlongside => {
            let next = drive(&mut conn.driver, bounded(limit, rows.next()));
            match next {
                Ok(Some(Ok(row))) => match decoders_of(&row) {
                    Ok(d) => (Some(d.into()), Some(row)),
                    Err(f) => return Err(conn.fail(None, f)),
                },
                Ok(Some(Err(e))) => return Err(conn.fail(Some(sql), Failure::Driver(e))),
                Ok(None) => (None, None),
                Err(f) => return Err(conn.fail(None, f)),
            }
        }
    };
    let mut first = first;
    let decoders = decoders.unwrap_or_else(|| Arc::from(Vec::new()));
    let iter = std::iter::from_fn(move || {
        let row = match first.take() {
            Some(row) => row,
            None => {
                let next = drive(&mut conn.driver, bounded(limit, rows.next()));
                match next {
                    Ok(Some(Ok(row))) => row,
                    Ok(None) => return None,
                    Ok(Some(Err(e))) => return Some(Err(conn.fail(None, Failure::Driver(e)))),
                    Err(f) => return Some(Err(conn.fail(None, f))),
                }
            }
        };
        Some(decode_row(&row, &decoders))
    });
    Ok(Box::new(iter))
}
