//! The blocking API's executor: it polls a future of the core once.
//!
//! The core (flush, loads, commit, queries) is written once as `async fn`s over
//! [`AsyncConnection`](crate::connection::AsyncConnection). A blocking connection
//! does its I/O inside each call and returns an already completed future
//! ([`Blocking`](crate::connection::Blocking)), so every `.await` of the core is
//! ready at once and one poll runs the whole operation to its end, on the calling
//! thread, with no runtime and no thread hop. A future that is still pending after
//! that poll can only be waiting for an asynchronous connection: that is a typed
//! [`Error::WouldBlock`], never a spin or a block.

use crate::error::{Error, Result};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// Runs `future` to completion if one poll completes it (always, over blocking
/// connections); [`Error::WouldBlock`] otherwise, the future being dropped.
pub(crate) fn drive<T>(future: impl Future<Output = Result<T>>) -> Result<T> {
    match poll_once(future) {
        Some(result) => result,
        None => Err(Error::WouldBlock(
            "an I/O step of a blocking call did not complete at once".into(),
        )),
    }
}

/// Polls `future` once: its output, or `None` (the future dropped) when it is pending.
pub(crate) fn poll_once<F: Future>(future: F) -> Option<F::Output> {
    let mut cx = Context::from_waker(Waker::noop());
    match pin!(future).poll(&mut cx) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ready_chain_completes_in_one_poll() {
        let step = |n: i32| async move { Ok::<_, Error>(n + 1) };
        let chain = async {
            let a = step(1).await?;
            let b = step(a).await?;
            step(b).await
        };
        assert_eq!(drive(chain).unwrap(), 4);
    }

    #[test]
    fn a_pending_step_is_a_typed_error_not_a_wait() {
        let chain = async {
            std::future::pending::<()>().await;
            Ok(())
        };
        assert!(matches!(drive(chain), Err(Error::WouldBlock(_))));
    }
}
