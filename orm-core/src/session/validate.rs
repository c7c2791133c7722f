//! Before a flush writes a row: each value is checked against its column and the
//! object is given the value the row will hold (`schema::validate::stored_value`).
//!
//! Values the user set are checked for the whole plan before the first statement,
//! so a refused value means no INSERT or UPDATE was sent; values the `default` and
//! `onupdate` functions give at flush time are checked as they are made, before
//! their row's statement. A refusal fails the flush like any other error: the
//! changes made here are undone and the session needs `rollback()`.

use super::flush_plan::FlushPlan;
use super::persistence::Emitter;
use super::transaction::UndoLog;
use super::AnyInstance;
use crate::dialect::Dialect;
use crate::error::Result;
use crate::schema::validate::{is_checked, stored_value};
use std::sync::Arc;

/// Checks every pending row of `plan` (all columns) and every persistent row written
/// to since the last flush, storing in each object what its row will hold.
pub(crate) fn prepare_plan(emitter: &mut Emitter<'_>, plan: &FlushPlan) -> Result<()> {
    for work in &plan.tables {
        let columns = checked_columns(work.table);
        if columns.is_empty() {
            continue;
        }
        for inst in work.inserts.iter().chain(&work.modified) {
            prepare(emitter.dialect, &mut emitter.undo, inst, &columns)?;
        }
    }
    Ok(())
}

/// Checks the columns a `default` function may just have filled.
pub(crate) fn prepare_defaults(
    dialect: &dyn Dialect,
    undo: &mut UndoLog,
    inst: &Arc<dyn AnyInstance>,
) -> Result<()> {
    let table = inst.table();
    let columns: Vec<usize> = checked_columns(table)
        .into_iter()
        .filter(|&c| table.columns[c].has_default)
        .collect();
    prepare(dialect, undo, inst, &columns)
}

/// Checks `columns` of `inst` (those an `onupdate` function may just have set).
pub(crate) fn prepare_columns(
    dialect: &dyn Dialect,
    undo: &mut UndoLog,
    inst: &Arc<dyn AnyInstance>,
    columns: &[usize],
) -> Result<()> {
    let table = inst.table();
    let columns: Vec<usize> = columns
        .iter()
        .copied()
        .filter(|&c| is_checked(&table.columns[c].sql_type))
        .collect();
    prepare(dialect, undo, inst, &columns)
}

fn checked_columns(table: &crate::schema::Table) -> Vec<usize> {
    (0..table.columns.len())
        .filter(|&c| is_checked(&table.columns[c].sql_type))
        .collect()
}

fn prepare(
    dialect: &dyn Dialect,
    undo: &mut UndoLog,
    inst: &Arc<dyn AnyInstance>,
    columns: &[usize],
) -> Result<()> {
    for &c in columns {
        if let Some(stored) = stored_value(dialect, inst.table(), c, &inst.value(c)?)? {
            undo.set(inst, c, stored)?;
        }
    }
    Ok(())
}
