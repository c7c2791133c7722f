//! [`Update`] and the batched [`UpdateFromValues`] as data.

use crate::expr::Expr;
use crate::schema::SqlType;
use crate::value::Value;

/// `UPDATE table SET col = expr, ... [WHERE ...] [RETURNING ...]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Update {
    /// The table.
    pub table: String,
    /// Assignments.
    pub set: Vec<(String, Expr)>,
    /// WHERE condition.
    pub filter: Option<Expr>,
    /// Columns to return.
    pub returning: Vec<String>,
}

/// Many rows updated in one statement:
/// `UPDATE t SET a = v.a FROM (VALUES ($1::int, $2::text), ...) AS v(id, a) WHERE t.id = v.id`.
///
/// Every row sets the same columns. `key_columns` match rows (primary key, plus a
/// version column for optimistic locking).
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateFromValues {
    /// The table.
    pub table: String,
    /// Matching columns and their types.
    pub key_columns: Vec<(String, SqlType)>,
    /// Assigned columns and their types.
    pub set_columns: Vec<(String, SqlType)>,
    /// One row per updated row: key values then set values.
    pub rows: Vec<Vec<Value>>,
}
