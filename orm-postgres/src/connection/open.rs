//! Opening the session: TLS as `sslmode` says, the whole set-up bounded by
//! `connect_timeout`.

use crate::driver::{self, Driver};
use crate::error::connect_error;
use crate::settings::PgSettings;
use crate::tls::{tls_failure, SslMode};
use orm_core::{Error, Result, Url};
use tokio_postgres::Client;

/// Opens the session: TLS as `sslmode` says (`allow` retries with TLS when the plain
/// attempt is refused), the whole set-up bounded by `connect_timeout`.
pub(super) fn open(url: &Url, s: &PgSettings) -> Result<(Client, Driver)> {
    let first = attempt(url, s, s.tls.mode);
    match first {
        Err(Error::Connect { .. }) if s.tls.mode == SslMode::Allow && !s.unix_socket => {
            attempt(url, s, SslMode::Require)
        }
        other => other,
    }
}

fn attempt(url: &Url, s: &PgSettings, mode: SslMode) -> Result<(Client, Driver)> {
    let runtime = driver::runtime()
        .map_err(|e| Error::Driver(format!("cannot start the I/O runtime: {e}")))?;
    let tls = s.tls.connector(&s.target)?;
    let mut config = s.config.clone();
    config.ssl_mode(s.driver_ssl_mode(mode));
    let connect = config.connect(tls);
    let outcome = runtime.block_on(async {
        match s.connect_timeout {
            Some(d) => tokio::time::timeout(d, connect).await.ok(),
            None => Some(connect.await),
        }
    });
    match outcome {
        None => Err(Error::Timeout {
            waiting_for: format!("connecting to {} (connect_timeout)", s.target),
            after: s.connect_timeout.unwrap_or_default(),
        }),
        Some(Err(e)) => Err(match tls_failure(&e, url.host().unwrap_or("localhost")) {
            Some(reason) => Error::Tls {
                target: s.target.clone(),
                reason,
            },
            None => connect_error(url, &e),
        }),
        Some(Ok((client, connection))) => Ok((client, Driver::new(runtime, connection))),
    }
}
