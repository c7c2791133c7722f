//! PostgreSQL backend for the ORM.
#![warn(missing_docs)]
