//! [`PgBackend`], the URL -> `postgres::Config` translation, and [`create_engine`].

use crate::connection::PgConnection;
use crate::dialect::PgDialect;
use orm_core::{Backend, Connection, Dialect, Engine, EngineOptions, Error, Result, Url};
use postgres::config::SslMode;
use std::sync::Arc;
use std::time::Duration;

/// The URL parameters understood besides user, password, host, port and database.
const PARAMS: &str = "application_name, options, connect_timeout, sslmode=disable";

/// Opens [`PgConnection`]s for an [`Engine`] and provides the [`PgDialect`].
#[derive(Debug, Clone, Copy, Default)]
pub struct PgBackend;

impl Backend for PgBackend {
    fn connect(&self, url: &Url) -> Result<Box<dyn Connection>> {
        Ok(Box::new(PgConnection::connect(url)?))
    }

    fn dialect(&self) -> Arc<dyn Dialect> {
        Arc::new(PgDialect)
    }
}

/// Builds the driver configuration for `url`, without any I/O.
///
/// - scheme `postgres` or `postgresql`, optionally `+driver` (ignored);
/// - a host starting with `/` is a unix-socket directory; no host means `localhost`;
///   no port means 5432;
/// - no user means the `postgres` crate's default, the operating-system user
///   running the program (like `libpq`); no database means the server's default,
///   a database named after the user;
/// - parameters: `application_name`, `options` (e.g. `-c search_path=app`),
///   `connect_timeout` (whole seconds) and `sslmode=disable`: connections are made
///   without TLS, so any other `sslmode`, or any other parameter, is an
///   [`Error::InvalidUrl`].
///
/// ```
/// let url = "postgresql+psycopg2://ezz@%2Fvar%2Frun%2Fpostgresql/blog?application_name=blog".parse()?;
/// let config = orm_postgres::pg_config(&url)?;
/// assert_eq!(config.get_application_name(), Some("blog"));
/// assert!(orm_postgres::pg_config(&"mysql://h/db".parse()?).is_err());
/// # Ok::<(), orm_core::Error>(())
/// ```
pub fn pg_config(url: &Url) -> Result<postgres::Config> {
    if !matches!(url.backend_name(), "postgres" | "postgresql") {
        return Err(Error::InvalidUrl(format!(
            "scheme `{}` is not PostgreSQL; use `postgres://` or `postgresql://`",
            url.scheme()
        )));
    }
    let mut config = postgres::Config::new();
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
    for (key, value) in url.params() {
        apply_param(&mut config, key, value)?;
    }
    Ok(config)
}

fn apply_param(config: &mut postgres::Config, key: &str, value: &str) -> Result<()> {
    match key {
        "application_name" => {
            config.application_name(value);
        }
        "options" => {
            config.options(value);
        }
        "connect_timeout" => {
            let secs: u64 = value.parse().map_err(|_| {
                Error::InvalidUrl(format!(
                    "connect_timeout `{value}` is not a whole number of seconds"
                ))
            })?;
            config.connect_timeout(Duration::from_secs(secs));
        }
        "sslmode" if value == "disable" => {
            config.ssl_mode(SslMode::Disable);
        }
        "sslmode" => {
            return Err(Error::InvalidUrl(format!(
                "sslmode `{value}` is not supported: this backend connects without TLS (use sslmode=disable or leave it out)"
            )))
        }
        _ => {
            return Err(Error::InvalidUrl(format!(
                "unknown parameter `{key}`; supported: {PARAMS}"
            )))
        }
    }
    Ok(())
}

/// Anything [`create_engine`] accepts as a URL: a string or a [`Url`].
pub trait IntoUrl {
    /// The parsed URL.
    fn into_url(self) -> Result<Url>;
}

impl IntoUrl for Url {
    fn into_url(self) -> Result<Url> {
        Ok(self)
    }
}

impl IntoUrl for &Url {
    fn into_url(self) -> Result<Url> {
        Ok(self.clone())
    }
}

impl IntoUrl for &str {
    fn into_url(self) -> Result<Url> {
        self.parse()
    }
}

impl IntoUrl for String {
    fn into_url(self) -> Result<Url> {
        self.parse()
    }
}

impl IntoUrl for &String {
    fn into_url(self) -> Result<Url> {
        self.parse()
    }
}

/// An [`Engine`] for a PostgreSQL URL, with default pool options.
///
/// Lazy, like SQLAlchemy's `create_engine`: the URL is checked now (see
/// [`pg_config`]), but no connection is opened until the engine is first used.
///
/// # Examples
///
/// ```
/// let engine = orm_postgres::create_engine("postgres://postgres@127.0.0.1:5432/test")?;
/// # let engine = orm_postgres::create_engine(tests::database_url())?; // DATABASE_URL
/// assert_eq!(engine.open_connections(), 0);
/// let mut conn = engine.connect()?; // the first connection opens here
/// conn.execute("SELECT 1", &[])?;
/// assert_eq!(engine.open_connections(), 1);
/// # Ok::<(), orm_core::Error>(())
/// ```
pub fn create_engine(url: impl IntoUrl) -> Result<Engine> {
    create_engine_with(url, EngineOptions::default())
}

/// Like [`create_engine`], with explicit pool and logging options.
///
/// ```
/// use orm_core::EngineOptions;
/// let options = EngineOptions { pool_size: 2, ..EngineOptions::default() };
/// let engine = orm_postgres::create_engine_with("postgresql://u:secret@db.invalid/app", options)?;
/// assert_eq!(engine.open_connections(), 0); // nothing opened yet
/// assert!(!format!("{engine:?}").contains("secret"));
/// # Ok::<(), orm_core::Error>(())
/// ```
pub fn create_engine_with(url: impl IntoUrl, options: EngineOptions) -> Result<Engine> {
    let url = url.into_url()?;
    pg_config(&url)?;
    Engine::new(url, PgBackend, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use postgres::config::Host;

    fn config(s: &str) -> Result<postgres::Config> {
        pg_config(&s.parse()?)
    }

    #[test]
    fn tcp_url() {
        let c =
            config("postgres://ezz:pw@db:6543/blog?application_name=x&connect_timeout=3").unwrap();
        assert_eq!(c.get_hosts(), &[Host::Tcp("db".into())]);
        assert_eq!(c.get_ports(), &[6543]);
        assert_eq!(c.get_user(), Some("ezz"));
        assert_eq!(c.get_password(), Some(&b"pw"[..]));
        assert_eq!(c.get_dbname(), Some("blog"));
        assert_eq!(c.get_application_name(), Some("x"));
        assert_eq!(c.get_connect_timeout(), Some(&Duration::from_secs(3)));
    }

    #[test]
    fn socket_directory_and_defaults() {
        let c =
            config("postgresql:///test?host=/var/run/postgresql&options=-c%20search_path%3Dapp")
                .unwrap();
        assert_eq!(c.get_hosts(), &[Host::Unix("/var/run/postgresql".into())]);
        assert_eq!(c.get_options(), Some("-c search_path=app"));
        let c = config("postgres://").unwrap();
        assert_eq!(c.get_hosts(), &[Host::Tcp("localhost".into())]);
        assert_eq!(c.get_user(), None);
    }

    #[test]
    fn rejects_other_schemes_params_and_tls() {
        for bad in [
            "mysql://h/db",
            "postgres://h/db?sslmode=require",
            "postgres://h/db?pool=3",
            "postgres://h/db?connect_timeout=soon",
        ] {
            assert!(matches!(config(bad), Err(Error::InvalidUrl(_))), "{bad}");
        }
        assert!(config("postgres+psycopg2://h/db?sslmode=disable").is_ok());
    }
}
