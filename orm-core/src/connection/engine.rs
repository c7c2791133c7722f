//! [`Engine`]: a lazily connecting, pooled source of connections for one database,
//! optionally with read replicas.

use super::checkout::ConnectionPool;
use super::events::StatementEvent;
use super::pool::{HealthCheck, PoolConfig, ServerPool};
use super::replicas::{ReplicaPolicy, Replicas};
use super::routing::ServerRole;
use super::{Backend, Url};
use crate::dialect::Dialect;
use crate::error::Result;
use crate::value::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

type Listener = Arc<dyn Fn(&StatementEvent<'_>) + Send + Sync>;

/// How an [`Engine`] pools, checks, routes and logs.
///
/// Server-side settings (TLS, `connect_timeout`, `statement_timeout`, ...) belong to
/// the URL; these are the engine's own. The struct is `#[non_exhaustive]` (a new
/// option is not a breaking change): start from `default()` and use the builder
/// methods, which are named after the fields.
///
/// ```
/// use orm_core::EngineOptions;
/// use std::time::Duration;
/// let options = EngineOptions::default()
///     .pool_size(8)
///     .connect_timeout(Duration::from_secs(2))
///     .echo(true);
/// assert_eq!((options.pool_size, options.echo), (8, true));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EngineOptions {
    /// Most connections open at once, per server.
    pub pool_size: u32,
    /// How long `connect()` (and a session's first statement) waits for a pooled
    /// connection before failing with [`Error::PoolTimeout`](crate::Error::PoolTimeout).
    pub connect_timeout: Duration,
    /// When a pooled connection is pinged before it is handed out.
    pub health_check: HealthCheck,
    /// Log every statement at INFO level (otherwise DEBUG) on target `orm::sql`;
    /// printed to stderr when the program installs no `tracing` subscriber.
    pub echo: bool,
    /// Read replicas of the primary (hot standbys). Sessions read from them while
    /// their transaction has written nothing; see [`Route`](super::Route).
    pub replicas: Vec<Url>,
    /// A replica further behind the primary than this is skipped (with a warning).
    pub max_replica_lag: Duration,
    /// How long a replica that failed is left alone before it is tried again.
    pub replica_retry_after: Duration,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            pool_size: 5,
            connect_timeout: Duration::from_secs(5),
            health_check: HealthCheck::default(),
            echo: false,
            replicas: Vec::new(),
            max_replica_lag: Duration::from_secs(5),
            replica_retry_after: Duration::from_secs(5),
        }
    }
}

impl EngineOptions {
    /// Sets [`pool_size`](Self::pool_size).
    pub fn pool_size(mut self, size: u32) -> Self {
        self.pool_size = size;
        self
    }

    /// Sets [`connect_timeout`](Self::connect_timeout).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets [`health_check`](Self::health_check).
    pub fn health_check(mut self, check: HealthCheck) -> Self {
        self.health_check = check;
        self
    }

    /// Sets [`echo`](Self::echo).
    pub fn echo(mut self, on: bool) -> Self {
        self.echo = on;
        self
    }

    /// Sets [`replicas`](Self::replicas).
    pub fn replicas(mut self, urls: impl IntoIterator<Item = Url>) -> Self {
        self.replicas = urls.into_iter().collect();
        self
    }

    /// Sets [`max_replica_lag`](Self::max_replica_lag).
    pub fn max_replica_lag(mut self, lag: Duration) -> Self {
        self.max_replica_lag = lag;
        self
    }

    /// Sets [`replica_retry_after`](Self::replica_retry_after).
    pub fn replica_retry_after(mut self, wait: Duration) -> Self {
        self.replica_retry_after = wait;
        self
    }
}

pub(super) struct EngineInner {
    pub(super) primary: Box<dyn ConnectionPool>,
    pub(super) replicas: Replicas,
    dialect: Arc<dyn Dialect>,
    listeners: RwLock<Vec<Listener>>,
    echo: bool,
    /// A log position at or after the engine's last commit that wrote (replicas only).
    last_commit: AtomicU64,
}

/// A pool of connections to one database (plus any read replicas) and its dialect.
/// Cheap to clone, shared across threads. Creating it does no I/O: the first
/// connection opens on first use.
#[derive(Clone)]
pub struct Engine {
    pub(super) inner: Arc<EngineInner>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Engine({})", self.inner.primary.url())
    }
}

impl Engine {
    /// An engine for `url` over `backend`, whose blocking connections are pooled
    /// with `r2d2`; no connection is opened yet.
    pub fn new(url: Url, backend: impl Backend, options: EngineOptions) -> Result<Engine> {
        let backend: Arc<dyn Backend> = Arc::new(backend);
        let dialect = backend.dialect();
        Engine::with_pools(url, dialect, options, |u, o| {
            let config = PoolConfig {
                size: o.pool_size,
                checkout_timeout: o.connect_timeout,
                health: o.health_check,
            };
            Box::new(ServerPool::new(u.clone(), Arc::clone(&backend), config))
        })
    }

    /// An engine for `url` whose connections come from the pools `pool_for` makes
    /// (one for the primary, then one per replica of `options`): how a backend with
    /// a pool of its own (an asynchronous one) builds its engine. Routing, logging
    /// and sessions are the same whatever the pool.
    pub fn with_pools(
        url: Url,
        dialect: Arc<dyn Dialect>,
        options: EngineOptions,
        pool_for: impl Fn(&Url, &EngineOptions) -> Box<dyn ConnectionPool>,
    ) -> Result<Engine> {
        let policy = ReplicaPolicy {
            max_lag: options.max_replica_lag,
            retry_after: options.replica_retry_after,
        };
        let replica_pools = options
            .replicas
            .iter()
            .map(|u| pool_for(u, &options))
            .collect();
        Ok(Engine {
            inner: Arc::new(EngineInner {
                primary: pool_for(&url, &options),
                replicas: Replicas::new(replica_pools, policy),
                dialect,
                listeners: RwLock::new(Vec::new()),
                echo: options.echo,
                last_commit: AtomicU64::new(0),
            }),
        })
    }

    /// The URL (its password is never printed).
    pub fn url(&self) -> &Url {
        self.inner.primary.url()
    }

    /// The dialect that renders statements for this engine.
    pub fn dialect(&self) -> &dyn Dialect {
        &*self.inner.dialect
    }

    /// Calls `listener` for every statement any connection of this engine sends.
    pub fn on_statement(&self, listener: impl Fn(&StatementEvent<'_>) + Send + Sync + 'static) {
        self.inner
            .listeners
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .push(Arc::new(listener));
    }

    /// Number of connections currently open to the primary (idle or in use).
    pub fn open_connections(&self) -> u32 {
        self.inner.primary.open_connections()
    }

    /// Number of connections currently open to replica `index`.
    pub fn open_replica_connections(&self, index: usize) -> u32 {
        self.inner.replicas.open_connections(index)
    }

    /// True when the engine was given read replicas.
    pub fn has_replicas(&self) -> bool {
        !self.inner.replicas.is_empty()
    }

    /// The log position at or after the engine's last committed write; a replica
    /// serves this engine's reads only once it has replayed that far.
    pub fn last_commit_position(&self) -> u64 {
        self.inner.last_commit.load(Ordering::Acquire)
    }

    pub(super) fn note_commit_position(&self, position: u64) {
        self.inner.last_commit.fetch_max(position, Ordering::AcqRel);
    }

    pub(super) fn emit(&self, sql: &str, params: &[Value], server: ServerRole) {
        if self.inner.echo {
            super::echo::statement(sql, params, server);
        } else {
            tracing::debug!(target: "orm::sql", params = ?params, server = ?server, "{sql}");
        }
        let listeners = self
            .inner
            .listeners
            .read()
            .unwrap_or_else(|p| p.into_inner());
        if listeners.is_empty() {
            return;
        }
        let event = StatementEvent {
            sql,
            params,
            server,
        };
        for l in listeners.iter() {
            l(&event);
        }
    }
}
