//! One pool of blocking connections to one server ([`ServerPool`]), on `r2d2`, with
//! the engine's checkout rules: typed errors (a refused connect is that error, a full
//! pool is [`Error::PoolTimeout`]), and a health check that keeps dead connections
//! from being handed out. Its checkouts serve the engine through [`Blocking`]: a
//! checkout waits on the calling thread and its future is complete when returned.

use super::async_connection::{ready, BoxFuture};
use super::checkout::{ConnectionPool, PooledConnection};
use super::{AsyncConnection, Backend, Blocking, Connection, Url};
use crate::error::{Error, Result};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// When a pooled connection is checked with a round trip before it is handed out.
///
/// Whatever the setting, a connection the server has closed (terminated backend,
/// restart) is noticed without a round trip and replaced: its socket is polled.
/// A ping also catches a peer that vanished without closing (a network partition).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HealthCheck {
    /// Never ping; rely on the socket poll alone.
    Never,
    /// Ping every connection at checkout (one round trip each time).
    Always,
    /// Ping a connection that sat idle in the pool longer than this.
    IdleLongerThan(Duration),
}

impl Default for HealthCheck {
    /// Ping connections idle for more than 30 seconds.
    fn default() -> Self {
        HealthCheck::IdleLongerThan(Duration::from_secs(30))
    }
}

/// A connection as the pool keeps it.
pub(crate) struct Pooled {
    pub(crate) conn: Blocking<Box<dyn Connection>>,
    returned_at: Instant,
    /// Set when the connection must not be reused (a failed reset).
    pub(crate) discard: bool,
}

/// The last error opening a connection, with when it happened.
type LastError = Arc<Mutex<Option<(Instant, Error)>>>;

/// A connection opened outside the pool (to report a connect error at once), for
/// the pool's next connect to take instead of opening another.
type Spare = Arc<Mutex<Option<Box<dyn Connection>>>>;

/// Opens connections for the pool through a backend.
pub(crate) struct Manager {
    backend: Arc<dyn Backend>,
    url: Url,
    health: HealthCheck,
    spare: Spare,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Pooled;
    type Error = Error;

    fn connect(&self) -> Result<Pooled> {
        let spare = self.spare.lock().unwrap_or_else(|p| p.into_inner()).take();
        let conn = match spare {
            Some(conn) => conn,
            None => self.backend.connect(&self.url)?,
        };
        Ok(Pooled {
            conn: Blocking(conn),
            returned_at: Instant::now(),
            discard: false,
        })
    }

    fn is_valid(&self, p: &mut Pooled) -> Result<()> {
        if p.conn.0.check_closed() {
            return Err(Error::ConnectionLost(
                "closed while idle in the pool".into(),
            ));
        }
        let ping = match self.health {
            HealthCheck::Never => false,
            HealthCheck::Always => true,
            HealthCheck::IdleLongerThan(d) => p.returned_at.elapsed() > d,
        };
        if ping {
            p.conn.0.ping()?;
        }
        Ok(())
    }

    fn has_broken(&self, p: &mut Pooled) -> bool {
        p.returned_at = Instant::now();
        p.discard || p.conn.0.is_closed()
    }
}

/// Keeps the last connect error, so a checkout that timed out while the server
/// refused connections reports that refusal rather than a full pool.
#[derive(Debug)]
struct KeepLastError(LastError);

impl r2d2::HandleError<Error> for KeepLastError {
    fn handle_error(&self, error: Error) {
        if matches!(error, Error::ConnectionLost(_)) {
            return; // a dead idle connection, already replaced
        }
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some((Instant::now(), error));
    }
}

/// How a [`ServerPool`] is sized and checked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PoolConfig {
    pub(crate) size: u32,
    pub(crate) checkout_timeout: Duration,
    pub(crate) health: HealthCheck,
}

/// A lazily filled pool of connections to one server.
pub(crate) struct ServerPool {
    pub(crate) url: Url,
    backend: Arc<dyn Backend>,
    spare: Spare,
    pool: r2d2::Pool<Manager>,
    last_error: LastError,
    config: PoolConfig,
}

/// A connection checked out of a [`ServerPool`].
pub(crate) type Checkout = r2d2::PooledConnection<Manager>;

impl PooledConnection for Checkout {
    fn connection(&mut self) -> &mut dyn AsyncConnection {
        &mut self.conn
    }

    fn is_closed(&self) -> bool {
        self.conn.0.is_closed()
    }

    fn discard(&mut self) {
        self.discard = true;
    }

    fn blocking(&mut self) -> Option<&mut dyn Connection> {
        Some(&mut *self.conn.0)
    }
}

impl ConnectionPool for ServerPool {
    fn checkout(&self) -> BoxFuture<'_, Result<Box<dyn PooledConnection>>> {
        ready(ServerPool::checkout(self).map(|c| Box::new(c) as Box<dyn PooledConnection>))
    }

    fn url(&self) -> &Url {
        &self.url
    }

    fn open_connections(&self) -> u32 {
        ServerPool::open_connections(self)
    }
}

impl ServerPool {
    /// A pool for `url`; opens nothing yet.
    pub(crate) fn new(url: Url, backend: Arc<dyn Backend>, config: PoolConfig) -> ServerPool {
        let last_error = LastError::default();
        let spare = Spare::default();
        let manager = Manager {
            backend: Arc::clone(&backend),
            url: url.clone(),
            health: config.health,
            spare: Arc::clone(&spare),
        };
        let pool = r2d2::Pool::builder()
            .max_size(config.size.max(1))
            .min_idle(Some(0))
            .test_on_check_out(true)
            .connection_timeout(config.checkout_timeout)
            .error_handler(Box::new(KeepLastError(Arc::clone(&last_error))))
            .build_unchecked(manager);
        ServerPool {
            url,
            backend,
            spare,
            pool,
            last_error,
            config,
        }
    }

    /// Checks a connection out, opening one if the pool has room.
    ///
    /// While the pool holds no connection at all, a failure to connect is reported
    /// at once with the backend's typed error (refused, unknown host, bad login,
    /// TLS, timeout) instead of after the checkout wait; the connection opened to
    /// find out is the one the pool then hands out.
    pub(crate) fn checkout(&self) -> Result<Checkout> {
        if let Some(c) = self.pool.try_get() {
            return Ok(c);
        }
        if self.pool.state().connections == 0 {
            let conn = self.backend.connect(&self.url)?;
            *self.spare.lock().unwrap_or_else(|p| p.into_inner()) = Some(conn);
        }
        let started = Instant::now();
        self.pool.get().map_err(|_| self.timeout_error(started))
    }

    /// The connect error seen while waiting, else [`Error::PoolTimeout`].
    fn timeout_error(&self, started: Instant) -> Error {
        let last = self
            .last_error
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        match last {
            Some((at, e)) if at >= started => e,
            _ => Error::PoolTimeout {
                waited: self.config.checkout_timeout,
                pool_size: self.config.size.max(1),
            },
        }
    }

    /// Connections open (idle or in use).
    pub(crate) fn open_connections(&self) -> u32 {
        self.pool.state().connections
    }
}
