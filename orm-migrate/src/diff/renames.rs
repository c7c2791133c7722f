//! Renames declared by the user: applied to the reflected side before comparing,
//! so the rest of the diff sees the new names, and emitted as the first steps.

use super::{Phase, Phases};
use crate::ops::Operation;
use crate::plan::Step;
use orm_core::{Error, MetaData, Result, Table};

/// Tables and columns renamed since the database was last migrated.
///
/// ```
/// use orm_migrate::Renames;
/// let r = Renames::default().table("posts", "articles").column("articles", "body", "content");
/// assert!(!r.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    tables: Vec<(String, String)>,
    columns: Vec<(String, String, String)>,
}

impl Renames {
    /// Table `from` is now called `to`.
    pub fn table(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.tables.push((from.into(), to.into()));
        self
    }

    /// Column `from` of `table` (the table's new name, if it is renamed too) is now
    /// called `to`.
    pub fn column(
        mut self,
        table: impl Into<String>,
        from: impl Into<String>,
        to: impl Into<String>,
    ) -> Self {
        self.columns.push((table.into(), from.into(), to.into()));
        self
    }

    /// True when nothing is declared.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty() && self.columns.is_empty()
    }

    /// The reflected schema with the renames applied; one step per rename.
    pub(super) fn apply(
        &self,
        models: &MetaData,
        database: &MetaData,
        phases: &mut Phases,
    ) -> Result<MetaData> {
        let mut tables: Vec<Table> = database.tables().to_vec();
        for (from, to) in &self.tables {
            check(database.table(from).is_some(), || {
                format!("no table \"{from}\" in the database")
            })?;
            check(database.table(to).is_none(), || {
                format!("table \"{to}\" already exists")
            })?;
            check(models.table(to).is_some(), || {
                format!("no model table \"{to}\"")
            })?;
            rename_table(&mut tables, from, to);
            let op = Operation::RenameTable {
                from: from.clone(),
                to: to.clone(),
            };
            phases.push(Phase::Rename, Step::new(op));
        }
        for (table, from, to) in &self.columns {
            let t = tables.iter_mut().find(|t| &t.name == table);
            let Some(t) = t else {
                return Err(rename_error(format!(
                    "no table \"{table}\" in the database"
                )));
            };
            check(t.column(from).is_some(), || {
                format!("no column \"{table}\".\"{from}\"")
            })?;
            check(t.column(to).is_none(), || {
                format!("column \"{table}\".\"{to}\" already exists")
            })?;
            rename_column(&mut tables, table, from, to);
            let op = Operation::RenameColumn {
                table: table.clone(),
                from: from.clone(),
                to: to.clone(),
            };
            phases.push(Phase::Rename, Step::new(op));
        }
        let mut md = MetaData::new();
        for t in tables {
            md.add_table(t);
        }
        for e in database.enum_types() {
            md.add_enum(e);
        }
        Ok(md)
    }
}

fn rename_error(msg: String) -> Error {
    Error::Migration(format!("cannot apply the declared rename: {msg}"))
}

fn check(ok: bool, msg: impl FnOnce() -> String) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(rename_error(msg()))
    }
}

/// Renames the table and every foreign key pointing at it (as the database does).
fn rename_table(tables: &mut [Table], from: &str, to: &str) {
    for t in tables.iter_mut() {
        if t.name == from {
            t.name = to.to_owned();
        }
        for fk in &mut t.foreign_keys {
            if fk.target_table == from {
                fk.target_table = to.to_owned();
            }
        }
    }
}

/// Renames the column wherever the table's constraints, indexes and the foreign
/// keys of other tables name it.
fn rename_column(tables: &mut [Table], table: &str, from: &str, to: &str) {
    let swap = |names: &mut Vec<String>| {
        for n in names.iter_mut().filter(|n| *n == from) {
            *n = to.to_owned();
        }
    };
    for t in tables.iter_mut() {
        for fk in &mut t.foreign_keys {
            if fk.target_table == table {
                swap(&mut fk.target_columns);
            }
        }
        if t.name != table {
            continue;
        }
        for c in t.columns.iter_mut().filter(|c| c.name == from) {
            c.name = to.to_owned();
        }
        for fk in &mut t.foreign_keys {
            swap(&mut fk.columns);
        }
        for u in &mut t.unique_constraints {
            swap(&mut u.columns);
        }
        for i in &mut t.indexes {
            swap(&mut i.columns);
        }
    }
}
