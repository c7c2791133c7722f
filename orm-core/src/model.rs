//! The [`Model`] trait that `#[derive(Model)]` implements.

use crate::error::Result;
use crate::row::Row;
use crate::schema::Table;
use crate::value::Value;

/// A struct mapped to a table. Implemented by `#[derive(Model)]`; the session and
/// unit of work work through these methods, by column position in [`Model::table`].
pub trait Model: Clone + Send + Sync + 'static {
    /// The generated getters and setters a [`Handle`](crate::Handle) of this model
    /// dereferences to (`article.title()`, `article.set_title(..)`).
    type Accessors: crate::session::Accessors<Self>;

    /// The table metadata (built once).
    fn table() -> &'static Table;

    /// Every column's value, in table column order.
    fn values(&self) -> Vec<Value> {
        (0..Self::table().columns.len())
            .map(|i| self.value(i))
            .collect()
    }

    /// The value of the column at `column`.
    fn value(&self, column: usize) -> Value;

    /// Sets the column at `column` from a database value (generated keys, bulk updates).
    fn set_value(&mut self, column: usize, value: Value) -> Result<()>;

    /// Builds an instance from `row`, taking one value per column starting at `offset`.
    fn from_row(row: &mut Row, offset: usize) -> Result<Self>;

    /// Positions of the columns whose value differs between `self` and `old`.
    fn changed_columns(&self, old: &Self) -> Vec<usize>;

    /// Calls the `default` functions of columns whose value is missing (`None`).
    fn apply_insert_defaults(&mut self) {}

    /// Calls the `onupdate` functions of columns not in `changed`; returns the columns set.
    fn apply_onupdate(&mut self, changed: &[usize]) -> Vec<usize> {
        let _ = changed;
        Vec::new()
    }

    /// The values the `onupdate` functions give now, for the columns not in `set`
    /// (a bulk UPDATE sets them as an instance UPDATE would).
    fn onupdate_values(set: &[usize]) -> Vec<(usize, Value)> {
        let _ = set;
        Vec::new()
    }

    /// The primary-key values, in primary-key order.
    fn primary_key(&self) -> Vec<Value> {
        Self::table()
            .primary_key_indices()
            .iter()
            .map(|&i| self.value(i))
            .collect()
    }
}
