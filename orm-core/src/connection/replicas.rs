//! The engine's read replicas ([`Replicas`]): which one can take a read, tried in
//! turn, skipping those that lag or fail.

use super::checkout::{ConnectionPool, PooledConnection};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// One replica: its pool, and until when it is considered down.
struct Replica {
    pool: Box<dyn ConnectionPool>,
    down_until: Mutex<Option<Instant>>,
}

/// How replicas are chosen.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReplicaPolicy {
    /// A replica further behind than this is skipped.
    pub(crate) max_lag: Duration,
    /// How long a replica that failed is left alone before it is tried again.
    pub(crate) retry_after: Duration,
}

/// The engine's replicas, tried in turn.
pub(crate) struct Replicas {
    list: Vec<Replica>,
    next: AtomicUsize,
    policy: ReplicaPolicy,
}

impl Replicas {
    /// The replicas behind `pools`, in order.
    pub(crate) fn new(pools: Vec<Box<dyn ConnectionPool>>, policy: ReplicaPolicy) -> Replicas {
        let list = pools
            .into_iter()
            .map(|pool| Replica {
                pool,
                down_until: Mutex::new(None),
            })
            .collect();
        Replicas {
            list,
            next: AtomicUsize::new(0),
            policy,
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Connections open to replica `i`.
    pub(crate) fn open_connections(&self, i: usize) -> u32 {
        self.list.get(i).map_or(0, |r| r.pool.open_connections())
    }

    /// A connection to a replica that has replayed at least `required` and lags at
    /// most the configured bound, trying each replica once, round robin. A replica
    /// that cannot be reached or lags too far is skipped with a warning; `None`
    /// sends the read to the primary.
    pub(crate) async fn checkout_for_read(
        &self,
        required: u64,
    ) -> Option<(usize, Box<dyn PooledConnection>)> {
        let n = self.list.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for i in (0..n).map(|k| (start + k) % n) {
            if let Some(c) = self.try_replica(i, required).await {
                return Some((i, c));
            }
        }
        None
    }

    async fn try_replica(&self, i: usize, required: u64) -> Option<Box<dyn PooledConnection>> {
        let r = &self.list[i];
        if r.is_down() {
            return None;
        }
        let target = r.pool.url().target();
        let mut conn = match r.pool.checkout().await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(target: "orm::replica", replica = %target, error = %e, "replica unreachable; reads go elsewhere");
                r.mark_down(self.policy.retry_after);
                return None;
            }
        };
        match conn.connection().standby_status().await {
            Ok(Some(s)) if s.lag > self.policy.max_lag => {
                tracing::warn!(target: "orm::replica", replica = %target, lag = ?s.lag, max_lag = ?self.policy.max_lag, "replica lags too far; reads go elsewhere");
                None
            }
            Ok(Some(s)) if s.replayed < required => {
                tracing::debug!(target: "orm::replica", replica = %target, "replica has not replayed the last commit yet; the read goes elsewhere");
                None
            }
            Ok(Some(_)) => Some(conn),
            Ok(None) => {
                tracing::warn!(target: "orm::replica", replica = %target, "server is not a standby; not used as a replica");
                r.mark_down(self.policy.retry_after);
                None
            }
            Err(e) => {
                tracing::warn!(target: "orm::replica", replica = %target, error = %e, "replica failed; reads go elsewhere");
                conn.discard();
                r.mark_down(self.policy.retry_after);
                None
            }
        }
    }
}

impl Replica {
    fn is_down(&self) -> bool {
        let down = self.down_until.lock().unwrap_or_else(|p| p.into_inner());
        down.is_some_and(|until| Instant::now() < until)
    }

    fn mark_down(&self, for_how_long: Duration) {
        *self.down_until.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(Instant::now() + for_how_long);
    }
}
