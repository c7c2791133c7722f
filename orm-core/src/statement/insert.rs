//! [`Insert`] as data: multi-row, RETURNING, ON CONFLICT.

use crate::value::Value;

/// What to do on a conflict.
#[derive(Debug, Clone, PartialEq)]
pub enum OnConflictAction {
    /// `DO NOTHING`.
    DoNothing,
    /// `DO UPDATE SET col = EXCLUDED.col` for the listed columns.
    DoUpdate(Vec<String>),
}

/// `ON CONFLICT (target) action`.
#[derive(Debug, Clone, PartialEq)]
pub struct OnConflict {
    /// The conflict target columns.
    pub target: Vec<String>,
    /// The action.
    pub action: OnConflictAction,
}

/// `INSERT INTO table (columns) VALUES (...), (...) [ON CONFLICT ...] [RETURNING ...]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Insert {
    /// The table.
    pub table: String,
    /// The columns given values; empty means `DEFAULT VALUES` per row.
    pub columns: Vec<String>,
    /// One value list per row, each as long as `columns`.
    pub rows: Vec<Vec<Value>>,
    /// ON CONFLICT clause.
    pub on_conflict: Option<OnConflict>,
    /// Columns to return.
    pub returning: Vec<String>,
}
