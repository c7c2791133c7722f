//! [`MetaData`]: a set of tables, filled from the registry of derived models.

use super::Table;
use crate::model::Model;

/// One derived model, submitted to the global registry by `#[derive(Model)]`.
///
/// Users do not build this by hand; [`MetaData::registered`] reads them all.
pub struct ModelRegistration {
    /// The model's table.
    pub table: fn() -> &'static Table,
}

inventory::collect!(ModelRegistration);

/// A collection of tables that can be created or dropped together.
///
/// ```
/// use orm_core::{Column, MetaData, SqlType, Table};
/// let mut md = MetaData::new();
/// md.add_table(Table::new("tags", vec![Column::new("id", SqlType::Integer).primary_key()]));
/// assert_eq!(md.tables().len(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct MetaData {
    tables: Vec<Table>,
}

impl MetaData {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every model derived anywhere in the program (SQLAlchemy's `Base.metadata`).
    pub fn registered() -> Self {
        let mut md = Self::new();
        for reg in inventory::iter::<ModelRegistration> {
            md.add_table((reg.table)().clone());
        }
        md.tables.sort_by(|a, b| a.name.cmp(&b.name));
        md
    }

    /// Adds a model's table (builder form).
    pub fn with<M: Model>(mut self) -> Self {
        self.add_table(M::table().clone());
        self
    }

    /// Adds a table; a table of the same name is replaced.
    pub fn add_table(&mut self, table: Table) {
        match self.tables.iter_mut().find(|t| t.name == table.name) {
            Some(existing) => *existing = table,
            None => self.tables.push(table),
        }
    }

    /// The tables, in insertion order.
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// The table called `name`.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}
