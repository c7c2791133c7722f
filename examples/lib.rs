//! Runnable examples of the ORM, one file each beside this one:
//!
//! ```sh
//! cargo run --example quickstart          # models, tables, add, query, change, delete (echo on)
//! cargo run --example relationships       # one-to-many with a backref, many-to-many, eager loading, cascades
//! cargo run --example bulk_and_streaming  # 10,000 rows in a few statements, streamed back, bulk update/delete
//! cargo run --example transactions        # commit, rollback, savepoints, a failed flush, optimistic locking
//! ```
//!
//! Each takes its server from `DATABASE_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`) and works in a schema of its own
//! ([`Scratch`]), dropped when it ends, so it leaves nothing behind and several can
//! run at once. The tests in `examples/tests/` run every example.
#![warn(missing_docs)]
#![deny(unsafe_code)]

use orm_core::{Engine, EngineOptions, Url};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The server used when `DATABASE_URL` is not set.
pub const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A schema of its own on the `DATABASE_URL` server, dropped (with everything in
/// it) when the value is dropped.
///
/// [`Scratch::url`] points at the same database with the schema as the connection's
/// `search_path`, so the ORM's unqualified table names land in it.
#[derive(Debug)]
pub struct Scratch {
    admin: Engine,
    schema: String,
    url: Url,
}

impl Scratch {
    /// Creates the schema `example_<name>_<process id>_<n>`.
    pub fn new(name: &str) -> orm_core::Result<Scratch> {
        let raw = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.into());
        let base: Url = raw.parse()?;
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let schema = format!("example_{name}_{}_{n}", std::process::id());
        let admin = orm_postgres::create_engine_with(base.clone(), EngineOptions::default())?;
        admin
            .connect()?
            .batch_execute(&format!("CREATE SCHEMA \"{schema}\""))?;
        let options = format!("-c search_path={schema}");
        let url = base.with_param("options", &options);
        Ok(Scratch { admin, schema, url })
    }

    /// The database URL whose connections use the schema.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The schema's name.
    pub fn schema(&self) -> &str {
        &self.schema
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let sql = format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.schema);
        if let Err(e) = self.admin.connect().and_then(|mut c| c.batch_execute(&sql)) {
            eprintln!("warning: could not drop schema {}: {e}", self.schema);
        }
    }
}
