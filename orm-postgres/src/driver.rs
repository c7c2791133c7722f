//! A blocking driver for `tokio-postgres`: a current-thread runtime that polls the
//! connection (the socket) and the request together, as the `postgres` crate does
//! inside, plus what that crate cannot do: give up on a request after a time bound.

use std::future::{poll_fn, Future};
use std::pin::{pin, Pin};
use std::task::Poll;
use std::time::Duration;
use tokio::runtime::Runtime;

type ConnectionFuture = Pin<Box<dyn Future<Output = Result<(), tokio_postgres::Error>> + Send>>;

/// How a wait ended.
pub(crate) enum Wait<T> {
    /// The request completed.
    Done(T),
    /// The time bound ran out first; the request was abandoned mid-way.
    TimedOut,
}

/// The runtime and the connection half of one `tokio-postgres` session.
pub(crate) struct Driver {
    runtime: Runtime,
    connection: Option<ConnectionFuture>,
    /// Why the connection ended, once it has (a FATAL server message, EOF, ...).
    ended: Option<String>,
}

/// A runtime with the I/O and timer drivers, running on the calling thread.
pub(crate) fn runtime() -> std::io::Result<Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
}

impl Driver {
    pub(crate) fn new(
        runtime: Runtime,
        connection: impl Future<Output = Result<(), tokio_postgres::Error>> + Send + 'static,
    ) -> Driver {
        Driver {
            runtime,
            connection: Some(Box::pin(connection)),
            ended: None,
        }
    }

    /// Why the connection ended, if it has.
    pub(crate) fn ended(&self) -> Option<&str> {
        self.ended.as_deref()
    }

    /// Runs `request` to completion while driving the connection, or gives up after
    /// `limit` (no limit when `None`).
    pub(crate) fn block_on<F: Future>(
        &mut self,
        request: F,
        limit: Option<Duration>,
    ) -> Wait<F::Output> {
        let Driver {
            runtime,
            connection,
            ended,
        } = self;
        runtime.block_on(async move {
            let mut request = pin!(request);
            let mut sleep = pin!(limit.map(tokio::time::sleep));
            poll_fn(|cx| {
                if let Some(c) = connection.as_mut() {
                    if let Poll::Ready(outcome) = c.as_mut().poll(cx) {
                        *ended = Some(match outcome {
                            Ok(()) => "the server closed the connection".to_owned(),
                            Err(e) => crate::error::describe(&e),
                        });
                        *connection = None;
                    }
                }
                if let Poll::Ready(v) = request.as_mut().poll(cx) {
                    return Poll::Ready(Wait::Done(v));
                }
                match sleep.as_mut().as_pin_mut().map(|s| s.poll(cx)) {
                    Some(Poll::Ready(())) => Poll::Ready(Wait::TimedOut),
                    _ => Poll::Pending,
                }
            })
            .await
        })
    }

    /// Reads whatever the server sent while the connection sat idle (without
    /// waiting): a close or a FATAL message ends the connection here.
    pub(crate) fn poll_idle(&mut self) {
        // A yield lets the runtime turn its I/O driver once (with no wait), so the
        // socket's readiness is known when the connection is polled again.
        let _ = self.block_on(tokio::task::yield_now(), None);
    }
}

impl Drop for Driver {
    /// Lets the connection send its Terminate message once its client is gone (the
    /// client is dropped first), so the server sees a clean goodbye; bounded, so a
    /// stalled server cannot hold up the drop.
    fn drop(&mut self) {
        if let Some(mut c) = self.connection.take() {
            let _ = self.runtime.block_on(async {
                tokio::time::timeout(Duration::from_secs(1), poll_fn(|cx| c.as_mut().poll(cx)))
                    .await
            });
        }
    }
}
