//! PostgreSQL backend for the ORM.
#![warn(missing_docs)]
#![deny(unsafe_code)]

mod dialect;

pub use dialect::PgDialect;
