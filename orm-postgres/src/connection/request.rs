//! The futures of one request: a statement as its [`Plan`] says (bound to its
//! prepared form, or as the unnamed statement, with its preparation alongside once
//! it has run often enough), and its rows read and decoded as they arrive. Every
//! wait for the server is bounded by `query_timeout`.

use crate::decode::{decoders, Decoder};
use crate::statements::{Plan, Prepared};
use crate::text_param::text_params;
use crate::value::{decode_row_into, BindError, PgValue};
use futures_util::future::join;
use futures_util::{pin_mut, StreamExt};
use orm_core::{Error, Row, Value};
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;
use tokio_postgres::{Client, RowStream, Statement};

/// Why a request failed: the driver reported an error, the time bound ran out, or
/// the rows could not be read (or the caller's callback refused one).
pub(super) enum Failure {
    Driver(tokio_postgres::Error),
    TimedOut,
    Other(Error),
}

impl From<tokio_postgres::Error> for Failure {
    fn from(e: tokio_postgres::Error) -> Self {
        Failure::Driver(e)
    }
}

/// A statement prepared alongside a run, when the plan said so.
pub(super) type PreparedAlongside = Option<Result<Statement, Failure>>;

/// `fut`, or [`Failure::TimedOut`] after `limit`. (Written out rather than with
/// `tokio::time::timeout` in one branch and `fut` in the other, which would hold
/// two copies of `fut`'s state: futures here are moved whole on every request.)
pub(super) async fn bounded<T>(
    limit: Option<Duration>,
    fut: impl Future<Output = T>,
) -> Result<T, Failure> {
    let mut fut = pin!(fut);
    let mut sleep = pin!(limit.map(tokio::time::sleep));
    poll_fn(|cx| {
        if let Poll::Ready(v) = fut.as_mut().poll(cx) {
            return Poll::Ready(Ok(v));
        }
        match sleep.as_mut().as_pin_mut().map(|s| s.poll(cx)) {
            Some(Poll::Ready(())) => Poll::Ready(Err(Failure::TimedOut)),
            _ => Poll::Pending,
        }
    })
    .await
}

/// Starts `sql` as its plan says: the rows to read, the decoders when known (a
/// prepared statement's), and the statement prepared alongside.
pub(super) async fn start(
    client: &Client,
    limit: Option<Duration>,
    sql: &str,
    params: &[Value],
    plan: &Plan,
) -> (PreparedAlongside, Result<RowStream, Failure>) {
    match plan {
        Plan::Prepared(p) => {
            let bound = client.query_raw(&p.statement, params.iter().map(PgValue));
            match bounded(limit, bound).await {
                // A value its parameter's type cannot take in binary form: nothing was
                // sent; it goes as text for the server to parse, as unprepared.
                Ok(Err(e)) if refused_in_binary(&e) => {
                    (None, unnamed(client, limit, sql, params).await)
                }
                other => (None, flatten(other)),
            }
        }
        Plan::Unnamed => (None, unnamed(client, limit, sql, params).await),
        Plan::PrepareAlongside => {
            let prepare = async { flatten(bounded(limit, client.prepare(sql)).await) };
            let (prepared, rows) = join(prepare, unnamed(client, limit, sql, params)).await;
            (Some(prepared), rows)
        }
    }
}

/// `sql` as the unnamed statement, its parameters as text of no declared type.
async fn unnamed(
    client: &Client,
    limit: Option<Duration>,
    sql: &str,
    params: &[Value],
) -> Result<RowStream, Failure> {
    flatten(bounded(limit, client.query_typed_raw(sql, text_params(params))).await)
}

/// True when binding failed because [`PgValue`] refused a value for its
/// parameter's type (before anything was sent).
fn refused_in_binary(e: &tokio_postgres::Error) -> bool {
    std::error::Error::source(e).is_some_and(|s| s.is::<BindError>())
}

pub(super) fn flatten<T>(
    r: Result<Result<T, tokio_postgres::Error>, Failure>,
) -> Result<T, Failure> {
    r?.map_err(Failure::Driver)
}

/// Runs `sql` as `plan` says and hands each decoded row to `f`; the result is the
/// affected row count.
pub(super) async fn run(
    client: &Client,
    limit: Option<Duration>,
    (sql, params): (&str, &[Value]),
    plan: &Plan,
    f: &mut dyn FnMut(&mut Row) -> orm_core::Result<()>,
) -> (PreparedAlongside, Result<u64, Failure>) {
    let (prepared, rows) = start(client, limit, sql, params, plan).await;
    let known = match plan {
        Plan::Prepared(p) => Some(&p.decoders[..]),
        _ => None,
    };
    let result = match rows {
        Ok(rows) => read_rows(limit, rows, known, f).await,
        Err(e) => Err(e),
    };
    (prepared, result)
}

/// The common case, kept small (the future is moved whole into the driver): `sql`
/// bound to its prepared form `p`, rows read with its decoders.
pub(super) async fn run_prepared(
    client: &Client,
    limit: Option<Duration>,
    (sql, params): (&str, &[Value]),
    p: &Prepared,
    f: &mut dyn FnMut(&mut Row) -> orm_core::Result<()>,
) -> Result<u64, Failure> {
    let bound = client.query_raw(&p.statement, params.iter().map(PgValue));
    let rows = match bounded(limit, bound).await {
        // A value its parameter's type cannot take in binary form: nothing was sent;
        // it goes as text for the server to parse, as unprepared (boxed: rare).
        Ok(Err(e)) if refused_in_binary(&e) => {
            Box::pin(unnamed(client, limit, sql, params)).await?
        }
        other => flatten(other)?,
    };
    read_rows(limit, rows, Some(&p.decoders), f).await
}

/// The decoders of a row's columns (for a statement run unprepared, whose columns
/// are known once its first row is there).
pub(super) fn decoders_of(row: &tokio_postgres::Row) -> Result<Vec<Decoder>, Failure> {
    decoders(row.columns()).map_err(Failure::Other)
}

/// Reads every row of `rows` (one wait per row, each bounded by `limit`), decoding
/// with `known` decoders or with those of the first row's columns; returns the
/// affected row count.
async fn read_rows(
    limit: Option<Duration>,
    rows: RowStream,
    known: Option<&[Decoder]>,
    f: &mut dyn FnMut(&mut Row) -> orm_core::Result<()>,
) -> Result<u64, Failure> {
    pin_mut!(rows);
    let mut found: Option<Vec<Decoder>> = None;
    let mut buffer = Row::default();
    while let Some(row) = bounded(limit, rows.next()).await? {
        let row = row?;
        if known.is_none() && found.is_none() {
            found = Some(decoders_of(&row)?);
        }
        let d = known.or(found.as_deref()).unwrap_or_default();
        decode_row_into(&row, d, &mut buffer)
            .and_then(|()| f(&mut buffer))
            .map_err(Failure::Other)?;
    }
    Ok(rows.rows_affected().unwrap_or(0))
}
