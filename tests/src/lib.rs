//! Shared helpers for the integration tests: every test gets its own PostgreSQL
//! schema, so tests run in parallel against one server without seeing each other.
//!
//! The server is `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`).
//! Tests never skip: an unreachable server is a panic that says what to fix.
#![warn(missing_docs)]

#[doc(hidden)]
pub mod doc;
mod proxy;
pub use proxy::Proxy;
pub mod wire;
mod wire_parse;

use orm_core::{Engine, EngineOptions, Url};
use postgres::{Client, SimpleQueryMessage};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The server the tests use when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

static SCHEMA_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The URL of the test server: `DATABASE_URL`, or [`DEFAULT_DATABASE_URL`].
pub fn database_url() -> Url {
    let raw = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned());
    raw.parse()
        .unwrap_or_else(|e| panic!("DATABASE_URL `{raw}` is not a valid URL: {e}"))
}

/// A plain `postgres::Client` to the test server, outside the ORM, with the URL's
/// `sslmode` and certificates.
///
/// # Panics
///
/// When the server cannot be reached, with the URL (no password) and the cause.
pub fn raw_client(url: &Url) -> Client {
    orm_postgres::raw_client(url).unwrap_or_else(|e| {
        panic!(
            "cannot reach the PostgreSQL test server at {url}: {e}\n\
             start it, or point DATABASE_URL at one (tests are never skipped)"
        )
    })
}

/// The TCP address of the server at `url` (for a [`Proxy`]).
///
/// # Panics
///
/// When `url` is a unix socket or its host does not resolve.
pub fn server_addr(url: &Url) -> std::net::SocketAddr {
    use std::net::ToSocketAddrs;
    assert!(
        !url.is_unix_socket(),
        "a proxy needs a TCP server, not {url}"
    );
    let host = url.host().unwrap_or("localhost");
    (host, url.port().unwrap_or(5432))
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .unwrap_or_else(|| panic!("cannot resolve {url}"))
}

/// `url` with its host and port replaced (e.g. to go through a [`Proxy`]).
pub fn url_via(url: &Url, addr: std::net::SocketAddr) -> Url {
    let mut b = Url::builder(url.scheme())
        .host(&addr.ip().to_string())
        .port(addr.port());
    if let Some(u) = url.username() {
        b = b.username(u);
    }
    if let Some(p) = url.password() {
        b = b.password(p);
    }
    if let Some(d) = url.database() {
        b = b.database(d);
    }
    for (k, v) in url.params() {
        b = b.param(k, v);
    }
    b.build()
}

/// A schema of its own on the test server, and an engine whose connections use it.
///
/// The schema is `t_<name>_<pid>_<n>`; it is dropped with everything in it when the
/// `TestDb` is dropped.
pub struct TestDb {
    /// An engine whose connections have `search_path` set to [`TestDb::schema`].
    pub engine: Engine,
    /// The schema's name.
    pub schema: String,
    url: Url,
    admin: Mutex<Client>,
}

impl std::fmt::Debug for TestDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TestDb({})", self.schema)
    }
}

/// Lowercase ASCII letters, digits and `_` only, at most 30 characters (schema
/// names stay well under PostgreSQL's 63-byte identifier limit).
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(30)
        .collect()
}

/// `"ident"`, for the helper's own DDL.
pub fn quote_ident(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

impl TestDb {
    /// Creates a fresh schema for the test `name` and an engine using it.
    ///
    /// # Panics
    ///
    /// When the server cannot be reached or the schema cannot be created.
    pub fn new(name: &str) -> TestDb {
        Self::with_options(name, EngineOptions::default())
    }

    /// Like [`TestDb::new`], with explicit engine options.
    pub fn with_options(name: &str, options: EngineOptions) -> TestDb {
        let base = database_url();
        let n = SCHEMA_COUNTER.fetch_add(1, Ordering::Relaxed);
        let schema = format!("t_{}_{}_{n}", sanitize(name), std::process::id());
        let mut admin = raw_client(&base);
        let quoted = quote_ident(&schema);
        admin
            .batch_execute(&format!(
                "CREATE SCHEMA {quoted}; SET search_path TO {quoted}"
            ))
            .unwrap_or_else(|e| panic!("cannot create test schema {schema}: {e}"));
        let options_param = match base.param("options") {
            Some(existing) => format!("{existing} -c search_path={schema}"),
            None => format!("-c search_path={schema}"),
        };
        let url = base.with_param("options", &options_param);
        let engine = orm_postgres::create_engine_with(&url, options)
            .unwrap_or_else(|e| panic!("cannot create engine for {url}: {e}"));
        TestDb {
            engine,
            schema,
            url,
            admin: Mutex::new(admin),
        }
    }

    /// The URL of [`TestDb::engine`] (with the `search_path` option).
    pub fn url(&self) -> &Url {
        &self.url
    }

    fn admin(&self) -> std::sync::MutexGuard<'_, Client> {
        self.admin.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `sql` (one or more statements, no parameters) on a separate plain
    /// connection whose `search_path` is this schema.
    ///
    /// # Panics
    ///
    /// When the statement fails.
    pub fn execute_raw(&self, sql: &str) {
        self.admin()
            .batch_execute(sql)
            .unwrap_or_else(|e| panic!("`{sql}` failed: {e}"));
    }

    /// Runs a query on a separate plain connection and returns every value as the
    /// server's text form (`None` for NULL), row by row.
    ///
    /// # Panics
    ///
    /// When the query fails.
    pub fn query_strings(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        let messages = self
            .admin()
            .simple_query(sql)
            .unwrap_or_else(|e| panic!("`{sql}` failed: {e}"));
        messages
            .iter()
            .filter_map(|m| match m {
                SimpleQueryMessage::Row(row) => Some(
                    (0..row.len())
                        .map(|i| row.get(i).map(str::to_owned))
                        .collect(),
                ),
                _ => None,
            })
            .collect()
    }

    /// Number of rows in `table` of this schema.
    ///
    /// # Panics
    ///
    /// When the query fails.
    pub fn count(&self, table: &str) -> i64 {
        let rows = self.query_text(&format!("SELECT count(*) FROM {}", quote_ident(table)));
        rows[0][0]
            .parse()
            .unwrap_or_else(|e| panic!("count(*) of {table} is not a number: {e}"))
    }

    /// Like [`TestDb::query_strings`], with NULL shown as `NULL`: easier to compare.
    pub fn query_text(&self, sql: &str) -> Vec<Vec<String>> {
        self.query_strings(sql)
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|v| v.unwrap_or_else(|| "NULL".to_owned()))
                    .collect()
            })
            .collect()
    }

    /// The names of the tables in this schema, sorted.
    pub fn tables(&self) -> Vec<String> {
        self.query_text(
            "SELECT tablename FROM pg_catalog.pg_tables \
             WHERE schemaname = current_schema() ORDER BY tablename",
        )
        .into_iter()
        .map(|mut r| r.remove(0))
        .collect()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let sql = format!(
            "SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS {} CASCADE",
            quote_ident(&self.schema)
        );
        if let Err(e) = self.admin().batch_execute(&sql) {
            // Never panic in drop (it would abort a test that is already failing).
            eprintln!("warning: could not drop test schema {}: {e}", self.schema);
        }
    }
}
