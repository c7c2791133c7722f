//! `ON UPDATE CASCADE` / `SET NULL` mirrored in memory: when a flush changes a key
//! that foreign keys reference (a natural primary key, say), the database rewrites
//! the referencing rows; the instances in memory that hold those rows get the same
//! new values right after the parent's UPDATE, without an UPDATE of their own.

use super::persistence::Emitter;
use super::state::SessionState;
use super::transaction::TxLogEntry;
use super::{AnyInstance, InstanceState};
use crate::error::Result;
use crate::schema::{ForeignKey, ReferentialAction, Table};
use crate::value::Value;
use std::sync::Arc;

/// One instance in memory whose foreign-key columns the database rewrites when the
/// parent's UPDATE runs.
pub(crate) struct KeyCascade {
    /// The parent's table: applied right after that table's UPDATEs.
    parent_table: &'static str,
    child: Arc<dyn AnyInstance>,
    columns: Vec<usize>,
    /// The row's values before (what the database matches) and after.
    old: Vec<Value>,
    new: Vec<Value>,
}

/// A referenced key of `parent` that the flush changes: the parent's table, the
/// referenced columns by name, and their values before and after.
struct KeyChange {
    table: &'static Table,
    old: Vec<Value>,
    new: Vec<Value>,
}

/// Whether a column other rows may reference (primary key or unique) changed.
fn referenced_column(table: &Table, column: usize) -> bool {
    let c = &table.columns[column];
    c.primary_key
        || c.unique
        || table
            .unique_constraints
            .iter()
            .any(|u| u.columns.contains(&c.name))
}

/// The action the database takes on referencing rows, if the session can mirror it.
fn mirrored(fk: &ForeignKey) -> Option<ReferentialAction> {
    fk.on_update
        .filter(|a| matches!(a, ReferentialAction::Cascade | ReferentialAction::SetNull))
}

impl SessionState {
    /// Before any SQL: the instances in memory (loaded or pending) whose foreign keys
    /// the database will rewrite because `persistent` instances change a referenced
    /// key. Costs nothing unless such a key changes.
    pub(crate) fn plan_key_cascades(
        &self,
        persistent: &[Arc<dyn AnyInstance>],
    ) -> Result<Vec<KeyCascade>> {
        let mut parents: Vec<(Arc<dyn AnyInstance>, Vec<Value>)> = Vec::new();
        for inst in persistent {
            let table = inst.table();
            let Some((cols, _)) = inst.changes()? else {
                continue;
            };
            if cols.iter().any(|&c| referenced_column(table, c)) {
                if let Some(old) = inst.snapshot_values() {
                    parents.push((Arc::clone(inst), old));
                }
            }
        }
        if parents.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        let candidates = self.identity.live().into_iter().chain(self.pending.clone());
        for child in candidates {
            for fk in &child.table().foreign_keys {
                let Some(action) = mirrored(fk) else {
                    continue;
                };
                for (parent, old_row) in &parents {
                    if let Some(change) = key_change(parent, old_row, fk)? {
                        out.extend(cascade_for(&child, fk, action, change)?);
                    }
                }
            }
        }
        Ok(out)
    }
}

/// The change of the columns `fk` references, if `parent` is in its table and they change.
fn key_change(
    parent: &Arc<dyn AnyInstance>,
    old_row: &[Value],
    fk: &ForeignKey,
) -> Result<Option<KeyChange>> {
    let table = parent.table();
    if fk.target_table != table.name {
        return Ok(None);
    }
    let Some(cols) = fk
        .target_columns
        .iter()
        .map(|n| table.column_index(n))
        .collect::<Option<Vec<usize>>>()
    else {
        return Ok(None);
    };
    let old: Vec<Value> = cols.iter().map(|&c| old_row[c].clone()).collect();
    let new = parent.values_at(&cols)?;
    Ok((old != new).then_some(KeyChange { table, old, new }))
}

/// The cascade for `child` when its row references `change.old` through `fk`.
fn cascade_for(
    child: &Arc<dyn AnyInstance>,
    fk: &ForeignKey,
    action: ReferentialAction,
    change: KeyChange,
) -> Result<Option<KeyCascade>> {
    let table = child.table();
    let Some(columns) = fk
        .columns
        .iter()
        .map(|n| table.column_index(n))
        .collect::<Option<Vec<usize>>>()
    else {
        return Ok(None);
    };
    if child.row_values_at(&columns)? != change.old {
        return Ok(None);
    }
    child.check_free(true)?;
    let new = match action {
        ReferentialAction::SetNull => vec![Value::Null; columns.len()],
        _ => change.new,
    };
    Ok(Some(KeyCascade {
        parent_table: change.table.name.as_str(),
        child: Arc::clone(child),
        columns,
        old: change.old,
        new,
    }))
}

impl Emitter<'_> {
    /// After `table`'s UPDATEs: gives the referencing instances in memory what the
    /// database gave their rows. A rollback puts the old values back.
    pub(crate) fn apply_key_cascades(&mut self, table: &Table) -> Result<()> {
        let cascades = std::mem::take(&mut self.key_cascades);
        let (now, later): (Vec<_>, Vec<_>) = cascades
            .into_iter()
            .partition(|k| k.parent_table == table.name);
        self.key_cascades = later;
        for k in now {
            if k.child.state() == InstanceState::Persistent {
                let before = match k.child.snapshot_values() {
                    Some(row) => row,
                    None => k.child.values()?,
                };
                self.log
                    .push(TxLogEntry::Updated(Arc::clone(&k.child), before));
            }
            for ((&c, old), new) in k.columns.iter().zip(&k.old).zip(k.new) {
                self.undo.set_row(&k.child, c, old, new)?;
            }
        }
        Ok(())
    }
}
