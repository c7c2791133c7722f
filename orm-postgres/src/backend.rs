//! [`PgBackend`], [`pg_config`] and [`raw_client`] (the URL's settings for other
//! clients), and [`create_engine`].

use crate::connection::PgConnection;
use crate::dialect::PgDialect;
use crate::settings::PgSettings;
use orm_core::{Backend, Connection, Dialect, Engine, EngineOptions, Result, Url};
use std::sync::Arc;

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

/// Builds the `postgres` crate's configuration for `url`, without any I/O (see
/// [`PgSettings::from_url`] for what a URL may hold; TLS is not part of it: use
/// [`raw_client`] to connect with the URL's `sslmode`).
///
/// - scheme `postgres` or `postgresql`, optionally `+driver` (ignored);
/// - a host starting with `/` is a unix-socket directory; no host means `localhost`;
///   no port means 5432;
/// - no user means the operating-system user running the program (like `libpq`);
///   no database means the server's default, a database named after the user;
/// - an unknown parameter is an [`Error::InvalidUrl`] that lists the known ones.
///
/// ```
/// let url = "postgresql+psycopg2://ezz@%2Fvar%2Frun%2Fpostgresql/blog?application_name=blog".parse()?;
/// let config = orm_postgres::pg_config(&url)?;
/// assert_eq!(config.get_application_name(), Some("blog"));
/// assert!(orm_postgres::pg_config(&"mysql://h/db".parse()?).is_err());
/// # Ok::<(), orm_core::Error>(())
/// ```
pub fn pg_config(url: &Url) -> Result<postgres::Config> {
    Ok(postgres::Config::from(PgSettings::from_url(url)?.config))
}

/// A plain `postgres::Client` for `url`, outside the ORM, with the URL's TLS
/// settings (`sslmode`, `sslrootcert`, ...) and `connect_timeout`: for tests, admin
/// tasks and benchmarks that want the same server the same way.
///
/// ```no_run
/// let mut client = orm_postgres::raw_client(&"postgres://postgres@127.0.0.1/test?sslmode=require".parse()?)?;
/// client.batch_execute("SELECT 1")?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn raw_client(url: &Url) -> Result<postgres::Client> {
    let settings = PgSettings::from_url(url)?;
    let tls = settings.tls.connector(&settings.target)?;
    postgres::Config::from(settings.config)
        .connect(tls)
        .map_err(|e| crate::error::connect_error(url, &e))
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
/// let options = EngineOptions::default().pool_size(2);
/// let engine = orm_postgres::create_engine_with("postgresql://u:secret@db.invalid/app", options)?;
/// assert_eq!(engine.open_connections(), 0); // nothing opened yet
/// assert!(!format!("{engine:?}").contains("secret"));
/// # Ok::<(), orm_core::Error>(())
/// ```
pub fn create_engine_with(url: impl IntoUrl, options: EngineOptions) -> Result<Engine> {
    let url = url.into_url()?;
    PgSettings::from_url(&url)?;
    for replica in &options.replicas {
        PgSettings::from_url(replica)?;
    }
    Engine::new(url, PgBackend, options)
}

#[cfg(test)]
mod tests {
    use super::*;
    use orm_core::Error;
    use postgres::config::Host;
    use std::time::Duration;

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
    fn rejects_other_schemes_and_params() {
        for bad in [
            "mysql://h/db",
            "postgres://h/db?sslmode=sometimes",
            "postgres://h/db?pool=3",
            "postgres://h/db?connect_timeout=soon",
        ] {
            assert!(matches!(config(bad), Err(Error::InvalidUrl(_))), "{bad}");
        }
        assert!(config("postgres+psycopg2://h/db?sslmode=verify-full").is_ok());
    }
}
