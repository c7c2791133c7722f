//! PostgreSQL backend for the ORM: [`PgDialect`] spells statements, [`PgConnection`]
//! runs them over the `postgres` crate, server errors become typed
//! [`orm_core::Error`] variants, and [`create_engine`] builds a lazy, pooled
//! [`Engine`](orm_core::Engine).
//!
//! ```
//! use orm_core::{Column, MetaData, SqlType, Table, Value};
//!
//! let engine = orm_postgres::create_engine("postgres://postgres@127.0.0.1:5432/test")?;
//! # let db = tests::TestDb::new("doc_pg"); // a schema of its own, dropped at the end
//! # let engine = db.engine.clone();
//! let mut md = MetaData::new();
//! md.add_table(Table::new("tags", vec![
//!     Column::new("id", SqlType::Integer).primary_key().autoincrement(),
//!     Column::new("name", SqlType::Varchar(50)).not_null().unique(),
//! ]));
//! md.create_all(&engine)?;
//! let mut conn = engine.connect()?;
//! conn.execute(r#"INSERT INTO "tags" ("name") VALUES ($1)"#, &[Value::from("rust")])?;
//! # assert_eq!(db.query_text("SELECT id, name FROM tags"), [["1", "rust"]]);
//! # Ok::<(), orm_core::Error>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_code)]

mod backend;
mod connection;
mod decode;
mod decode_types;
mod dialect;
mod driver;
mod error;
#[cfg(feature = "serde_json")]
mod json;
mod reflect;
mod replication;
mod settings;
mod statements;
mod text_param;
mod tls;
mod value;

pub use backend::{create_engine, create_engine_with, pg_config, raw_client, IntoUrl, PgBackend};
pub use connection::PgConnection;
pub use dialect::PgDialect;
pub use reflect::{PgInspector, MIGRATION_LOCK_KEY};
pub use settings::{PgSettings, DEFAULT_STATEMENT_CACHE_CAPACITY};
pub use statements::DEFAULT_PREPARE_THRESHOLD;
pub use tls::{SslMode, TlsSettings};
pub use value::PgValue;
