//! [`Inspector`]: what a backend provides so that migrations can read the live schema
//! back into the same [`MetaData`] the models produce.

use super::{MetaData, SqlType, Table};
use crate::connection::EngineConnection;
use crate::dialect::Compiled;
use crate::error::Result;
use std::fmt;

/// Reads a database's schema into [`MetaData`], and spells types and defaults the
/// way that database stores them, so a model and a reflected table compare equal
/// when they describe the same thing (SQLAlchemy's `Inspector` plus the dialect's
/// reflection methods).
///
/// A backend exposes its inspector through
/// [`Dialect::inspector`](crate::Dialect::inspector).
pub trait Inspector: Send + Sync + fmt::Debug {
    /// Reads every table of `schema` (the connection's current schema when `None`):
    /// columns with type, nullability, default and identity; the primary key;
    /// unique constraints, indexes and foreign keys, with the names the database
    /// holds. Unique constraints are listed in [`Table::unique_constraints`]
    /// (never as [`Column::unique`]), indexes backing a constraint are left out.
    ///
    /// [`Table::unique_constraints`]: super::Table::unique_constraints
    /// [`Column::unique`]: super::Column::unique
    fn reflect(&self, conn: &mut EngineConnection, schema: Option<&str>) -> Result<MetaData>;

    /// The type as reflection reads it back: a [`SqlType::Custom`] spelling of a type
    /// the ORM knows (`int4`, `character varying(20)`) becomes that type.
    fn canonical_type(&self, ty: &SqlType) -> SqlType {
        ty.clone()
    }

    /// Each `(type, default expression)` as the database would store it, for
    /// comparison with reflected defaults; an expression the database cannot
    /// normalise is returned as given.
    fn normalize_defaults(
        &self,
        conn: &mut EngineConnection,
        defaults: &[(SqlType, String)],
    ) -> Result<Vec<String>> {
        let _ = conn;
        Ok(defaults.iter().map(|(_, d)| d.clone()).collect())
    }

    /// Whether a normalised model default and a reflected default are the same
    /// expression. Default: equal text.
    fn same_default(&self, model: &str, reflected: &str) -> bool {
        model == reflected
    }

    /// Each CHECK condition of the model table `table` as the database prints it back
    /// once stored (PostgreSQL adds parentheses and casts), for comparison with
    /// reflected checks; a condition the database cannot normalise is returned as
    /// given. Default: unchanged.
    fn normalize_checks(
        &self,
        conn: &mut EngineConnection,
        table: &Table,
        checks: &[String],
    ) -> Result<Vec<String>> {
        let _ = (conn, table);
        Ok(checks.to_vec())
    }

    /// Each partial-index condition of the model table `table` as the database prints
    /// it back, like [`Inspector::normalize_checks`]. Default: unchanged.
    fn normalize_index_predicates(
        &self,
        conn: &mut EngineConnection,
        table: &Table,
        predicates: &[String],
    ) -> Result<Vec<String>> {
        let _ = (conn, table);
        Ok(predicates.to_vec())
    }

    /// A statement that takes a lock held until the end of the current transaction
    /// and serialises migration runs on the connection's schema.
    fn migration_lock(&self) -> Compiled;
}
