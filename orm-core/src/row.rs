//! [`Row`]: one result row as [`Value`]s.

use crate::error::{Error, Result};
use crate::value::{FromValue, Value};

/// One row returned by a backend, its values in select-list order.
///
/// Values are taken out (moved) while a model is built from them.
///
/// ```
/// use orm_core::{Row, Value};
/// let mut row = Row::new(vec![Value::Int(1), Value::Text("a".into())]);
/// let id: i32 = row.take(0).unwrap();
/// let name: String = row.take(1).unwrap();
/// assert_eq!((id, name.as_str()), (1, "a"));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    values: Vec<Value>,
}

impl Row {
    /// A row from its values.
    pub fn new(values: Vec<Value>) -> Self {
        Row { values }
    }

    /// An empty row with room for `width` values.
    pub fn with_capacity(width: usize) -> Self {
        Row {
            values: Vec::with_capacity(width),
        }
    }

    /// Empties the row, keeping its buffer (backends reuse one row while streaming).
    pub fn clear(&mut self) {
        self.values.clear();
    }

    /// Appends a value.
    pub fn push(&mut self, value: Value) {
        self.values.push(value);
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when the row has no values.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The value at `index`, borrowed.
    pub fn get(&self, index: usize) -> Option<&Value> {
        self.values.get(index)
    }

    /// Moves the value at `index` out (leaving NULL) and converts it.
    pub fn take<T: FromValue>(&mut self, index: usize) -> Result<T> {
        let v = self
            .values
            .get_mut(index)
            .ok_or_else(|| Error::Conversion(format!("row has no column {index}")))?;
        T::from_value(std::mem::take(v))
    }

    /// Moves the raw value at `index` out (leaving NULL).
    pub fn take_value(&mut self, index: usize) -> Value {
        self.values
            .get_mut(index)
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// All values.
    pub fn into_values(self) -> Vec<Value> {
        self.values
    }
}
