//! [`TableParts`]: one reflected table assembled from the catalog's rows (columns,
//! constraint columns, checks, index columns).

use orm_core::{
    CheckConstraint, Column, ForeignKey, Index, ReferentialAction, Result, Row, Table,
    UniqueConstraint,
};
use std::collections::BTreeMap;

/// One table as its rows come in.
#[derive(Default)]
pub(super) struct TableParts {
    pub(super) columns: Vec<Column>,
    primary_key: Vec<String>,
    uniques: BTreeMap<String, Vec<String>>,
    foreign_keys: BTreeMap<String, ForeignKey>,
    indexes: BTreeMap<String, Index>,
    checks: Vec<CheckConstraint>,
}

impl TableParts {
    pub(super) fn add_constraint(&mut self, c: ConstraintRow) {
        match c.kind.as_str() {
            "p" => self.primary_key.push(c.column),
            "u" => self.uniques.entry(c.name).or_default().push(c.column),
            _ => {
                let fk = self.foreign_keys.entry(c.name.clone()).or_insert_with(|| {
                    let mut fk = ForeignKey::to(&c.column, &c.target_table, &c.target_column);
                    fk.columns.clear();
                    fk.target_columns.clear();
                    fk.on_delete = action(&c.on_delete);
                    fk.on_update = action(&c.on_update);
                    fk.named(&c.name)
                });
                fk.columns.push(c.column);
                fk.target_columns.push(c.target_column);
            }
        }
    }

    pub(super) fn add_check(&mut self, name: String, expr: String) {
        self.checks.push(CheckConstraint {
            name: Some(name),
            expr,
        });
    }

    /// One key column of an index; the index's other properties come with its first.
    pub(super) fn add_index_column(&mut self, row: IndexRow) {
        let IndexRow {
            name,
            unique,
            column,
            method,
            predicate,
            ..
        } = row;
        self.indexes
            .entry(name.clone())
            .or_insert_with(|| Index {
                unique,
                // The default method reads as none given, as a model that names none.
                using: Some(method).filter(|m| m != "btree"),
                predicate,
                ..Index::new(name, &[])
            })
            .columns
            .push(column);
    }

    pub(super) fn into_table(mut self, name: String) -> Table {
        for c in &mut self.columns {
            if self.primary_key.contains(&c.name) {
                c.primary_key = true;
            }
        }
        let mut table = Table::new(name, self.columns);
        table.unique_constraints = self
            .uniques
            .into_iter()
            .map(|(name, columns)| UniqueConstraint {
                name: Some(name),
                columns,
            })
            .collect();
        table.foreign_keys = self.foreign_keys.into_values().collect();
        table.indexes = self.indexes.into_values().collect();
        table.checks = self.checks;
        table
    }
}

/// One row of [`catalog::constraints`].
pub(super) struct ConstraintRow {
    pub(super) table: String,
    name: String,
    kind: String,
    column: String,
    target_table: String,
    target_column: String,
    on_delete: String,
    on_update: String,
}

impl ConstraintRow {
    pub(super) fn read(mut row: Row) -> Result<Self> {
        Ok(ConstraintRow {
            table: row.take(0)?,
            name: row.take(1)?,
            kind: row.take(2)?,
            column: row.take(3)?,
            target_table: row.take::<Option<String>>(4)?.unwrap_or_default(),
            target_column: row.take::<Option<String>>(5)?.unwrap_or_default(),
            on_delete: row.take(6)?,
            on_update: row.take(7)?,
        })
    }
}

/// `pg_constraint.confdeltype`/`confupdtype` to an action; `NO ACTION` (`a`), the
/// default, reads as none given, as a model that names no action declares it.
fn action(code: &str) -> Option<ReferentialAction> {
    match code {
        "r" => Some(ReferentialAction::Restrict),
        "c" => Some(ReferentialAction::Cascade),
        "n" => Some(ReferentialAction::SetNull),
        "d" => Some(ReferentialAction::SetDefault),
        _ => None,
    }
}

/// One row of [`super::catalog::indexes`].
pub(super) struct IndexRow {
    pub(super) table: String,
    name: String,
    unique: bool,
    column: String,
    method: String,
    predicate: Option<String>,
}

impl IndexRow {
    pub(super) fn read(mut row: Row) -> Result<Self> {
        Ok(IndexRow {
            table: row.take(0)?,
            name: row.take(1)?,
            unique: row.take(2)?,
            column: row.take(3)?,
            method: row.take(4)?,
            predicate: row.take(5)?,
        })
    }
}
