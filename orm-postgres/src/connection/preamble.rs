//! What goes out ahead of a request, in the same flight: the deferred `BEGIN`, and
//! the statements written behind: cursor commands (`DECLARE`, `CLOSE`) inside a
//! transaction, whose only answer is success, so they need no round trip of their
//! own. An error among them is reported by the request they went ahead of.

use super::request::{self, bounded, flatten, Failure, PreparedAlongside};
use crate::dialect::PgDialect;
use crate::statements::Plan;
use futures_util::future::{join3, join_all};
use orm_core::{Dialect, Row, TransactionOp, Value};
use std::future::Future;
use std::time::Duration;
use tokio_postgres::Client;

/// A statement written behind: sent with the next request.
pub(super) struct Behind {
    pub(super) sql: String,
    pub(super) params: Vec<Value>,
}

/// What goes ahead of one request.
#[derive(Default)]
pub(super) struct Preamble {
    /// The deferred `BEGIN`.
    pub(super) begin: bool,
    /// Statements written behind, each with its plan.
    pub(super) behind: Vec<(Behind, Plan)>,
}

/// The answers to a preamble, in the order it was sent.
#[derive(Default)]
pub(super) struct Answers {
    /// The `BEGIN`'s, when it went ahead.
    pub(super) begin: Option<Result<(), Failure>>,
    /// Each statement's: the statement prepared alongside (if planned) and its result.
    pub(super) behind: Vec<(PreparedAlongside, Result<u64, Failure>)>,
}

impl Preamble {
    /// True when something goes ahead.
    pub(super) fn is_some(&self) -> bool {
        self.begin || !self.behind.is_empty()
    }
}

/// True when `sql` may be written behind inside a transaction: a cursor command,
/// whose only answer is success (no rows, no count).
pub(super) fn writes_behind(sql: &str) -> bool {
    let head = sql.trim_start().as_bytes();
    ["DECLARE ", "CLOSE "].iter().any(|word| {
        head.len() >= word.len() && head[..word.len()].eq_ignore_ascii_case(word.as_bytes())
    })
}

/// Runs `pre`'s requests, then `request`: all are queued before the driver writes,
/// so they leave in one flight.
pub(super) async fn ahead<T>(
    client: &Client,
    limit: Option<Duration>,
    pre: &Preamble,
    request: impl Future<Output = Result<T, Failure>>,
) -> (Answers, Result<T, Failure>) {
    if !pre.is_some() {
        return (Answers::default(), request.await);
    }
    let begin_sql = PgDialect.transaction_sql(TransactionOp::Begin);
    let begin = async {
        if pre.begin {
            Some(flatten(
                bounded(limit, client.batch_execute(&begin_sql)).await,
            ))
        } else {
            None
        }
    };
    let behind = join_all(pre.behind.iter().map(|(b, plan)| async move {
        let mut ignore = |_: &mut Row| Ok(());
        request::run(client, limit, (&b.sql, &b.params), plan, &mut ignore).await
    }));
    let (begin, behind, result) = join3(begin, behind, request).await;
    (Answers { begin, behind }, result)
}

#[cfg(test)]
mod tests {
    use super::writes_behind;

    #[test]
    fn cursor_commands_are_written_behind() {
        for sql in [
            r#"DECLARE "orm_cursor_1" NO SCROLL CURSOR FOR SELECT 1"#,
            r#"  close "c""#,
        ] {
            assert!(writes_behind(sql), "{sql}");
        }
        for sql in ["SELECT 1", "FETCH FORWARD 10 FROM c", "DECLARED", "CLOSEST"] {
            assert!(!writes_behind(sql), "{sql}");
        }
    }
}
