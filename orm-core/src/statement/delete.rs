//! [`Delete`] as data.

use crate::expr::Expr;

/// `DELETE FROM table [WHERE ...] [RETURNING ...]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Delete {
    /// The table.
    pub table: String,
    /// WHERE condition.
    pub filter: Option<Expr>,
    /// Columns to return.
    pub returning: Vec<String>,
}
