//! [`PgSettings`]: a [`Url`] read into everything a connection needs (the driver's
//! configuration, TLS, time bounds, statement cache), checked without I/O.

use crate::statements::DEFAULT_PREPARE_THRESHOLD;
use crate::tls::{SslMode, TlsSettings};
use orm_core::{Error, Result, Url};
use std::path::PathBuf;
use std::time::Duration;
use tokio_postgres::config::SslMode as DriverSslMode;

/// Prepared statements kept per connection by default.
pub const DEFAULT_STATEMENT_CACHE_CAPACITY: usize = 1024;

/// The URL parameters understood besides user, password, host, port and database.
pub(crate) const PARAMS: &str = "application_name, options, hostaddr, connect_timeout, \
keepalives, keepalives_idle, keepalives_interval, keepalives_count, tcp_user_timeout, \
sslmode, sslrootcert, sslcert, sslkey, statement_timeout, lock_timeout, \
idle_in_transaction_session_timeout, query_timeout, statement_cache_capacity, prepare_threshold";

/// Server settings that may be given as URL parameters; they are sent at connect
/// time as `options=-c name=value`.
const SERVER_SETTINGS: [&str; 3] = [
    "statement_timeout",
    "lock_timeout",
    "idle_in_transaction_session_timeout",
];

/// Everything one connection to one server needs.
#[derive(Debug, Clone)]
pub struct PgSettings {
    /// The driver's configuration (host, user, password, startup options, ...).
    pub config: tokio_postgres::Config,
    /// TLS mode and files.
    pub tls: TlsSettings,
    /// Bound on the whole connection set-up (TCP, TLS, authentication).
    pub connect_timeout: Option<Duration>,
    /// Bound on each wait for the server's answer once connected; `None` waits as
    /// long as the server takes (as libpq does).
    pub query_timeout: Option<Duration>,
    /// Prepared statements kept per connection; 0 never names a statement (for
    /// PgBouncer in transaction mode).
    pub statement_cache_capacity: usize,
    /// Runs of a statement as the unnamed statement before it is prepared (0:
    /// prepared at its first run).
    pub prepare_threshold: u32,
    /// `host:port/database`, for messages.
    pub target: String,
    /// True when the host is a unix-socket directory (no TLS there, as in libpq).
    pub unix_socket: bool,
}

fn bad(key: &str, expected: &str) -> Error {
    Error::InvalidUrl(format!("`{key}` must be {expected}"))
}

/// A number of seconds (`5`, `2.5`) or a number with a unit (`500ms`, `2s`, `1min`).
fn parse_duration(key: &str, value: &str) -> Result<Duration> {
    let split = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    let number: f64 = number
        .parse()
        .map_err(|_| bad(key, "a duration like `5`, `2.5s`, `500ms` or `1min`"))?;
    let seconds = match unit.trim() {
        "" | "s" => number,
        "ms" => number / 1000.0,
        "min" => number * 60.0,
        _ => return Err(bad(key, "a duration like `5`, `2.5s`, `500ms` or `1min`")),
    };
    Duration::try_from_secs_f64(seconds).map_err(|_| bad(key, "a non-negative duration"))
}

fn parse_seconds(key: &str, value: &str) -> Result<Duration> {
    value
        .parse::<u64>()
        .map(Duration::from_secs)
        .map_err(|_| bad(key, "a whole number of seconds"))
}

/// A server setting's value: digits with an optional unit (`5s`, `250ms`, `0`).
fn server_setting(key: &str, value: &str) -> Result<String> {
    let ok = !value.is_empty()
        && value.starts_with(|c: char| c.is_ascii_digit())
        && value.chars().all(|c| c.is_ascii_alphanumeric());
    if ok {
        Ok(format!("-c {key}={value}"))
    } else {
        Err(bad(
            key,
            "a number with an optional unit, like `5s` or `250ms`",
        ))
    }
}

impl PgSettings {
    /// Reads `url` (scheme `postgres` or `postgresql`, optionally `+driver`).
    pub fn from_url(url: &Url) -> Result<PgSettings> {
        if !matches!(url.backend_name(), "postgres" | "postgresql") {
            return Err(Error::InvalidUrl(
                "the scheme is not PostgreSQL's; use `postgres://` or `postgresql://`".into(),
            ));
        }
        let mut s = PgSettings {
            config: base_config(url),
            tls: TlsSettings::default(),
            connect_timeout: None,
            query_timeout: None,
            statement_cache_capacity: DEFAULT_STATEMENT_CACHE_CAPACITY,
            prepare_threshold: DEFAULT_PREPARE_THRESHOLD,
            target: url.target(),
            unix_socket: url.is_unix_socket(),
        };
        let mut options: Vec<String> = Vec::new();
        for (key, value) in url.params() {
            if key == "options" {
                options.insert(0, value.clone());
            } else if SERVER_SETTINGS.contains(&key.as_str()) {
                options.push(server_setting(key, value)?);
            } else {
                s.apply(key, value)?;
            }
        }
        if !options.is_empty() {
            s.config.options(options.join(" "));
        }
        s.config.ssl_mode(s.driver_ssl_mode(s.tls.mode));
        Ok(s)
    }

    /// The driver's TLS mode for a connection attempt in `mode`.
    pub(crate) fn driver_ssl_mode(&self, mode: SslMode) -> DriverSslMode {
        match mode {
            _ if self.unix_socket => DriverSslMode::Disable,
            SslMode::Disable | SslMode::Allow => DriverSslMode::Disable,
            SslMode::Prefer => DriverSslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => DriverSslMode::Require,
        }
    }

    fn apply(&mut self, key: &str, value: &str) -> Result<()> {
        let c = &mut self.config;
        match key {
            "application_name" => {
                c.application_name(value);
            }
            "hostaddr" => {
                let addr = value.parse().map_err(|_| bad(key, "an IP address"))?;
                c.hostaddr(addr);
            }
            "connect_timeout" => {
                let d = parse_seconds(key, value)?;
                c.connect_timeout(d);
                self.connect_timeout = Some(d).filter(|d| !d.is_zero());
            }
            "keepalives" => {
                c.keepalives(value != "0");
            }
            "keepalives_idle" => {
                c.keepalives_idle(parse_seconds(key, value)?);
            }
            "keepalives_interval" => {
                c.keepalives_interval(parse_seconds(key, value)?);
            }
            "keepalives_count" => {
                let n = value.parse().map_err(|_| bad(key, "a whole number"))?;
                c.keepalives_retries(n);
            }
            "tcp_user_timeout" => {
                let ms = value
                    .parse()
                    .map_err(|_| bad(key, "a number of milliseconds"))?;
                c.tcp_user_timeout(Duration::from_millis(ms));
            }
            "sslmode" => self.tls.mode = SslMode::parse(value)?,
            "sslrootcert" => self.tls.root_cert = Some(PathBuf::from(value)),
            "sslcert" => self.tls.client_cert = Some(PathBuf::from(value)),
            "sslkey" => self.tls.client_key = Some(PathBuf::from(value)),
            "query_timeout" => {
                self.query_timeout = Some(parse_duration(key, value)?).filter(|d| !d.is_zero());
            }
            "statement_cache_capacity" => {
                self.statement_cache_capacity = value
                    .parse()
                    .map_err(|_| bad(key, "a whole number (0 never names a statement)"))?;
            }
            "prepare_threshold" => {
                self.prepare_threshold = value
                    .parse()
                    .map_err(|_| bad(key, "a whole number (0 prepares at the first run)"))?;
            }
            _ => {
                return Err(Error::InvalidUrl(format!(
                    "unknown parameter `{key}`; supported: {PARAMS}"
                )))
            }
        }
        Ok(())
    }
}

/// Host, port, user, password and database.
fn base_config(url: &Url) -> tokio_postgres::Config {
    let mut config = tokio_postgres::Config::new();
    match url.host() {
        Some(dir) if url.is_unix_socket() => config.host_path(dir),
        Some(host) => config.host(host),
        None => config.host("localhost"),
    };
    if let Some(port) = url.port() {
        config.port(port);
    }
    if let Some(user) = url.username() {
        config.user(user);
    }
    if let Some(password) = url.password() {
        config.password(password);
    }
    if let Some(db) = url.database() {
        config.dbname(db);
    }
    config
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(s: &str) -> Result<PgSettings> {
        PgSettings::from_url(&s.parse()?)
    }

    #[test]
    fn timeouts_and_server_settings() {
        let s = settings(
            "postgres://h/db?connect_timeout=3&query_timeout=500ms&statement_timeout=2s&options=-c%20search_path%3Dapp&keepalives_idle=30",
        )
        .unwrap();
        assert_eq!(s.connect_timeout, Some(Duration::from_secs(3)));
        assert_eq!(s.query_timeout, Some(Duration::from_millis(500)));
        assert_eq!(
            s.config.get_options(),
            Some("-c search_path=app -c statement_timeout=2s")
        );
        assert_eq!(s.config.get_keepalives_idle(), Duration::from_secs(30));
        assert!(settings("postgres://h/db?statement_timeout=5s;DROP").is_err());
        assert!(settings("postgres://h/db?query_timeout=soon").is_err());
    }

    #[test]
    fn tls_modes_and_cache() {
        let s = settings("postgres://h/db").unwrap();
        assert_eq!(s.tls.mode, SslMode::Prefer);
        assert_eq!(s.statement_cache_capacity, DEFAULT_STATEMENT_CACHE_CAPACITY);
        assert_eq!(s.prepare_threshold, DEFAULT_PREPARE_THRESHOLD);
        let s = settings(
            "postgres://h/db?sslmode=verify-full&sslrootcert=/r.pem&statement_cache_capacity=0&prepare_threshold=0",
        )
        .unwrap();
        assert_eq!(s.prepare_threshold, 0);
        assert!(settings("postgres://h/db?prepare_threshold=-1").is_err());
        assert_eq!(s.tls.mode, SslMode::VerifyFull);
        assert_eq!(
            s.tls.root_cert.as_deref(),
            Some(std::path::Path::new("/r.pem"))
        );
        assert_eq!(s.statement_cache_capacity, 0);
        assert!(settings("postgres://h/db?sslmode=sometimes").is_err());
        let s = settings("postgres:///db?host=/var/run/postgresql&sslmode=require").unwrap();
        assert_eq!(s.driver_ssl_mode(s.tls.mode), DriverSslMode::Disable);
    }
}
