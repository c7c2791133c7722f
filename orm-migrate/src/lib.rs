//! Schema migrations for the ORM: reflect the live database, compare it with the
//! models, write the difference as a reviewable `up.sql`/`down.sql` pair, and apply
//! migrations safely (one transaction each, a lock against concurrent runs, a
//! checksum against edits after the fact).
//!
//! The crate is backend-neutral: reading the schema, normalising defaults and the
//! lock come from the dialect's [`Inspector`](orm_core::Inspector)
//! (`orm_postgres::PgInspector` for PostgreSQL), and every statement is rendered by
//! the dialect.
//!
//! ```
//! # #[derive(orm_core::Model, Clone, Debug)]
//! # struct Tag { #[orm(primary_key)] id: Option<i32>, name: String }
//! # fn main() -> orm_core::Result<()> {
//! use orm_core::MetaData;
//! use orm_migrate::{generate, Migrator, Renames};
//!
//! let engine = orm_postgres::create_engine("postgres://postgres@127.0.0.1/app")?;
//! # let db = tests::TestDb::new("doc_migrate"); // a schema of its own
//! # let engine = db.engine.clone();
//! # let folder = std::env::temp_dir().join(format!("doc_migrate_{}", std::process::id()));
//! # let _ = std::fs::remove_dir_all(&folder);
//! # let migrations = folder.as_path(); // in a program: "migrations"
//! let migrator = Migrator::new(&engine, migrations);
//! if let Some(new) = generate(&migrator, &MetaData::registered(), "add_tags", &Renames::default())? {
//!     println!("review {}", new.path.display());
//! }
//! migrator.up()?;
//! # assert_eq!(db.tables(), ["orm_migrations", "tag"]);
//! # std::fs::remove_dir_all(&folder).expect("remove the doctest's folder");
//! # Ok(()) }
//! ```
#![warn(missing_docs)]
#![deny(unsafe_code)]

mod autogen;
mod cli;
mod diff;
mod files;
mod generate;
mod history;
mod ops;
mod plan;
mod runner;

pub use autogen::{annotate_rows, autogenerate, reflect};
pub use cli::{parse_args, Cli, Command, Outcome, USAGE};
pub use diff::{diff, Compare, ExactCompare, Renames};
pub use files::{checksum, folder_name_part, next_version, read_dir, write, MigrationFiles};
pub use generate::{generate, Generated};
pub use history::{history_table, AppliedMigration, HISTORY_TABLE};
pub use ops::{widens, Operation};
pub use plan::{Hint, Plan, Script, Step};
pub use runner::{MigrationState, MigrationStatus, Migrator};
