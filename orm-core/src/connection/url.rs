//! [`Url`]: where and how to connect, built with a builder or parsed from a string.

use crate::error::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// A database URL. The password is never shown by `Debug` or `Display`.
///
/// A host starting with `/` is a unix-socket directory.
///
/// ```
/// use orm_core::Url;
/// let url: Url = "postgres://ezz:secret@localhost:5433/blog".parse()?;
/// assert_eq!(url.host(), Some("localhost"));
/// assert_eq!(url.port(), Some(5433));
/// assert_eq!(url.to_string(), "postgres://ezz:***@localhost:5433/blog");
///
/// let socket = Url::builder("postgresql")
///     .username("coderpad")
///     .host("/tmp/postgresql/socket")
///     .database("coderpad")
///     .build();
/// assert!(socket.is_unix_socket());
/// # Ok::<(), orm_core::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Url {
    pub(super) scheme: String,
    pub(super) username: Option<String>,
    pub(super) password: Option<String>,
    pub(super) host: Option<String>,
    pub(super) port: Option<u16>,
    pub(super) database: Option<String>,
    pub(super) params: Vec<(String, String)>,
}

/// Builds a [`Url`] piece by piece, like SQLAlchemy's `URL.create`.
#[derive(Debug, Clone)]
pub struct UrlBuilder {
    pub(super) url: Url,
}

impl Url {
    /// Starts a builder for `scheme` (`postgresql`, `postgres`, `postgresql+psycopg2` ...).
    pub fn builder(scheme: &str) -> UrlBuilder {
        UrlBuilder {
            url: Url {
                scheme: scheme.to_owned(),
                username: None,
                password: None,
                host: None,
                port: None,
                database: None,
                params: Vec::new(),
            },
        }
    }

    /// The scheme without any `+driver` suffix.
    pub fn backend_name(&self) -> &str {
        self.scheme.split('+').next().unwrap_or(&self.scheme)
    }

    /// The scheme as given.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// The user name.
    pub fn username(&self) -> Option<&str> {
        self.username.as_deref()
    }

    /// The password (only for the backend; never printed).
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// The host name, IP address, or unix-socket directory.
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
    }

    /// True when the host is a unix-socket directory.
    pub fn is_unix_socket(&self) -> bool {
        self.host.as_deref().is_some_and(|h| h.starts_with('/'))
    }

    /// The port.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// The database name.
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// Extra `key=value` parameters (the query string).
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// The parameter `key`, if given.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// A copy with `database` replaced.
    pub fn with_database(&self, database: &str) -> Url {
        let mut u = self.clone();
        u.database = Some(database.to_owned());
        u
    }

    /// A copy with the parameter `key` set to `value`; the connection keys
    /// (`host`, `port`, `user`, `password`, `dbname`) set their parts, as in a
    /// query string.
    pub fn with_param(&self, key: &str, value: &str) -> Url {
        let mut b = UrlBuilder { url: self.clone() };
        if super::url_parse::apply_param(&mut b, key.to_owned(), value.to_owned()).is_err() {
            b.url.params.retain(|(k, _)| k != key);
            b.url.params.push((key.to_owned(), value.to_owned()));
        }
        b.url
    }

    /// `host:port/database`, for error messages (no user, no password).
    pub fn target(&self) -> String {
        format!(
            "{}:{}/{}",
            self.host.as_deref().unwrap_or("localhost"),
            self.port
                .map_or_else(|| "default port".to_owned(), |p| p.to_string()),
            self.database.as_deref().unwrap_or("")
        )
    }
}

impl UrlBuilder {
    /// Sets the user name.
    pub fn username(mut self, v: &str) -> Self {
        self.url.username = Some(v.to_owned());
        self
    }

    /// Sets the password.
    pub fn password(mut self, v: &str) -> Self {
        self.url.password = Some(v.to_owned());
        self
    }

    /// Sets the host (a name, an address, or a unix-socket directory).
    pub fn host(mut self, v: &str) -> Self {
        self.url.host = Some(v.to_owned());
        self
    }

    /// Sets the port.
    pub fn port(mut self, v: u16) -> Self {
        self.url.port = Some(v);
        self
    }

    /// Sets the database.
    pub fn database(mut self, v: &str) -> Self {
        self.url.database = Some(v.to_owned());
        self
    }

    /// Adds a `key=value` parameter.
    pub fn param(mut self, key: &str, value: &str) -> Self {
        self.url.params.push((key.to_owned(), value.to_owned()));
        self
    }

    /// The finished URL.
    pub fn build(self) -> Url {
        self.url
    }
}

impl FromStr for Url {
    type Err = Error;

    /// Parses a URL, `scheme://[user[:password]@][host][:port][/database][?key=value&...]`,
    /// or a libpq `key=value` connection string (`host=db user=ezz dbname=blog`).
    ///
    /// No error message ever repeats a piece of the input that could be a password:
    /// a malformed string is described by what is wrong, not by what it holds.
    fn from_str(s: &str) -> Result<Url> {
        let s = s.trim();
        if super::url_parse::has_scheme(s) {
            super::url_parse::parse_uri(s)
        } else {
            super::conninfo::parse_conninfo(s)
        }
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.scheme)?;
        if let Some(u) = &self.username {
            f.write_str(u)?;
            if self.password.is_some() {
                f.write_str(":***")?;
            }
            f.write_str("@")?;
        }
        let socket = self.is_unix_socket();
        if let (Some(h), false) = (&self.host, socket) {
            f.write_str(h)?;
        }
        if let Some(p) = self.port {
            write!(f, ":{p}")?;
        }
        if let Some(d) = &self.database {
            write!(f, "/{d}")?;
        }
        let mut sep = '?';
        if let (Some(h), true) = (&self.host, socket) {
            write!(f, "{sep}host={h}")?;
            sep = '&';
        }
        for (k, v) in &self.params {
            let v = if is_secret_param(k) {
                "***"
            } else {
                v.as_str()
            };
            write!(f, "{sep}{k}={v}")?;
            sep = '&';
        }
        Ok(())
    }
}

/// Parameters whose values are never printed (besides the password itself).
fn is_secret_param(key: &str) -> bool {
    matches!(key, "sslpassword" | "password")
}

impl fmt::Debug for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Url({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_url() {
        let u: Url = "postgresql+psycopg2://a%40b:p%3Ass@db.example:6543/my%20db?sslmode=disable"
            .parse()
            .unwrap();
        assert_eq!(u.backend_name(), "postgresql");
        assert_eq!(u.username(), Some("a@b"));
        assert_eq!(u.password(), Some("p:ss"));
        assert_eq!(u.host(), Some("db.example"));
        assert_eq!(u.port(), Some(6543));
        assert_eq!(u.database(), Some("my db"));
        assert_eq!(u.param("sslmode"), Some("disable"));
    }

    #[test]
    fn socket_directory_as_host() {
        let u: Url = "postgres://root@%2Fvar%2Frun%2Fpostgresql/test"
            .parse()
            .unwrap();
        assert_eq!(u.host(), Some("/var/run/postgresql"));
        assert!(u.is_unix_socket());
        let q: Url = "postgres:///test?host=/var/run/postgresql".parse().unwrap();
        assert_eq!(q.host(), Some("/var/run/postgresql"));
        assert_eq!(q.to_string(), "postgres:///test?host=/var/run/postgresql");
    }

    #[test]
    fn password_never_printed() {
        let u = Url::builder("postgres")
            .username("u")
            .password("hunter2")
            .host("h")
            .build();
        assert!(!u.to_string().contains("hunter2"));
        assert!(!format!("{u:?}").contains("hunter2"));
        assert!(!u.target().contains("hunter2"));
    }

    #[test]
    fn rejects_malformed() {
        assert!(matches!(
            "localhost/db".parse::<Url>(),
            Err(Error::InvalidUrl(_))
        ));
        assert!(matches!(
            "postgres://h:99999/db".parse::<Url>(),
            Err(Error::InvalidUrl(_))
        ));
        assert!(matches!(
            "postgres://h:abc/db".parse::<Url>(),
            Err(Error::InvalidUrl(_))
        ));
        assert!(matches!(
            "po stgres://h/db".parse::<Url>(),
            Err(Error::InvalidUrl(_))
        ));
    }

    #[test]
    fn ipv6_host() {
        let u: Url = "postgres://[::1]:5432/db".parse().unwrap();
        assert_eq!(u.host(), Some("::1"));
        assert_eq!(u.port(), Some(5432));
    }
}
