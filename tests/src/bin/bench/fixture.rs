//! The bench's database: a schema of its own, the URLs of the ORM and raw connections,
//! the admin connection that truncates and seeds outside the timed parts, and the
//! raw side's connection with its prepared statements.

use crate::model;
use orm_core::{Engine, EngineOptions, Url};
use postgres::{Client, Statement};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Numbers the schemas of one process (tests may create several fixtures).
static SCHEMAS: AtomicUsize = AtomicUsize::new(0);

/// Errors of the bench: anything, with a message.
pub type BResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The `application_name` of the timed connections (ORM and raw), used to find and pin
/// their server backends.
pub const APP_NAME: &str = "orm_bench";

/// How much work each workload does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    /// Authors inserted (W1) and seeded.
    pub authors: usize,
    /// Articles inserted (W1), seeded and loaded (W2, W5).
    pub articles: usize,
    /// Lookups by slug (W3); at most `articles`, each slug different.
    pub lookups: usize,
    /// Articles loaded and updated (W4).
    pub updates: usize,
}

impl Sizes {
    /// The sizes of DESIGN.md's workloads.
    pub const FULL: Sizes = Sizes {
        authors: 10,
        articles: 10_000,
        lookups: 2_000,
        updates: 1_000,
    };

    /// A tenth of the work, for a smoke run.
    pub const QUICK: Sizes = Sizes {
        authors: 10,
        articles: 1_000,
        lookups: 200,
        updates: 100,
    };
}

/// The bench schema and the admin connection (untimed work only).
pub struct Fixture {
    /// The schema every connection uses (`search_path`).
    pub schema: String,
    /// The workload sizes.
    pub sizes: Sizes,
    /// Sessions expire every instance at commit (`--expire-on-commit`).
    pub expire_on_commit: bool,
    base: Url,
    admin: Client,
    seeded: bool,
    revision: u64,
}

impl Fixture {
    /// Creates the schema `bench_<pid>_<n>` and its tables on the server of `DATABASE_URL`
    /// (default: the test server).
    pub fn create(sizes: Sizes) -> BResult<Fixture> {
        let server = tests::database_url();
        let n = SCHEMAS.fetch_add(1, Ordering::Relaxed);
        let schema = format!("bench_{}_{n}", std::process::id());
        let mut admin =
            orm_postgres::raw_client(&server.with_param("application_name", "orm_bench_admin"))
                .map_err(|e| format!("cannot reach PostgreSQL at {server}: {e}"))?;
        let quoted = tests::quote_ident(&schema);
        admin.batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {quoted} CASCADE; CREATE SCHEMA {quoted}; SET search_path TO {quoted}"
        ))?;
        let options = match server.param("options") {
            Some(existing) => format!("{existing} -c search_path={schema}"),
            None => format!("-c search_path={schema}"),
        };
        let base = server.with_param("options", &options);
        let fx = Fixture {
            schema,
            sizes,
            expire_on_commit: false,
            base,
            admin,
            seeded: false,
            revision: 0,
        };
        let ddl = fx.engine("orm_bench_admin", None)?;
        model::metadata().create_all(&ddl)?;
        Ok(fx)
    }

    /// The URL of a connection named `app`, directly to the server or through the
    /// counting proxy at `via`.
    pub fn url(&self, app: &str, via: Option<SocketAddr>) -> Url {
        let url = self.base.with_param("application_name", app);
        let Some(addr) = via else { return url };
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
        for (k, v) in url.params().iter().filter(|(k, _)| k != "sslmode") {
            b = b.param(k, v);
        }
        // The counting proxy reads the protocol: it must see it in clear text.
        b.param("sslmode", "disable").build()
    }

    /// The TCP address of the server, for the proxy (`None` for a unix socket).
    pub fn server_addr(&self) -> Option<SocketAddr> {
        use std::net::ToSocketAddrs;
        if self.base.is_unix_socket() {
            return None;
        }
        let host = self.base.host().unwrap_or("localhost");
        let port = self.base.port().unwrap_or(5432);
        (host, port).to_socket_addrs().ok()?.next()
    }

    /// An ORM engine named `app` (pool of 2: a session uses one connection at a time).
    pub fn engine(&self, app: &str, via: Option<SocketAddr>) -> BResult<Engine> {
        let options = EngineOptions::default().pool_size(2);
        Ok(orm_postgres::create_engine_with(
            self.url(app, via),
            options,
        )?)
    }

    /// A raw connection named `app`.
    pub fn raw(&self, app: &str, via: Option<SocketAddr>) -> BResult<RawDb> {
        // The raw side connects as the ORM does (same URL, same TLS), so the two
        // sides differ only in the code under test.
        let client = orm_postgres::raw_client(&self.url(app, via))?;
        Ok(RawDb {
            client,
            statements: HashMap::new(),
        })
    }

    /// The admin connection (its `search_path` is the bench schema).
    pub fn admin(&mut self) -> &mut Client {
        &mut self.admin
    }

    /// Empties both tables and restarts their identities (untimed).
    pub fn truncate(&mut self) -> BResult<()> {
        self.admin
            .batch_execute("TRUNCATE articles, authors RESTART IDENTITY")?;
        self.seeded = false;
        Ok(())
    }

    /// Makes sure the tables hold the standard data set: `authors` authors and
    /// `articles` articles (`article-1` ..), article `i` by author `1 + (i - 1) % authors`.
    pub fn ensure_seeded(&mut self) -> BResult<()> {
        if self.seeded {
            return Ok(());
        }
        self.truncate()?;
        let (na, n) = (self.sizes.authors as i32, self.sizes.articles as i32);
        self.admin.execute(
            "INSERT INTO authors (firstname, lastname, email, joined) \
             SELECT 'First' || i, 'Last' || i, 'author' || i || '@example.com', now() \
             FROM generate_series(1, $1::int4) AS i",
            &[&na],
        )?;
        self.admin.execute(
            &format!(
                "INSERT INTO articles (slug, title, created_on, updated_on, content, author_id) \
                 SELECT 'article-' || i, 'Title of article ' || i, now(), now(), {}, \
                 1 + (i - 1) % $2::int4 FROM generate_series(1, $1::int4) AS i",
                model::content_sql()
            ),
            &[&n, &na],
        )?;
        self.admin
            .batch_execute("ANALYZE authors; ANALYZE articles")?;
        self.seeded = true;
        Ok(())
    }

    /// A number never returned before, so that every W4 run really changes the titles.
    pub fn next_revision(&mut self) -> u64 {
        self.revision += 1;
        self.revision
    }
}

impl Fixture {
    /// A new ORM session on `engine`, with the fixture's session options.
    pub fn session(&self, engine: &orm_core::Engine) -> orm_core::Session {
        let session = engine.session();
        session.set_expire_on_commit(self.expire_on_commit);
        session
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let sql = format!(
            "SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS {} CASCADE",
            tests::quote_ident(&self.schema)
        );
        if let Err(e) = self.admin.batch_execute(&sql) {
            eprintln!("warning: could not drop schema {}: {e}", self.schema);
        }
    }
}

/// The raw side: one `postgres::Client` and the statements it prepared, by SQL text
/// (prepared on first use, which is the untimed warm-up run).
pub struct RawDb {
    /// The connection.
    pub client: Client,
    statements: HashMap<String, Statement>,
}

impl RawDb {
    /// The prepared statement for `sql`.
    pub fn prepare(&mut self, sql: &str) -> BResult<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.statements.insert(sql.to_owned(), s.clone());
        Ok(s)
    }
}
