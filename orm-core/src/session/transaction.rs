//! The session's transaction as an explicit state machine, plus the log that lets a
//! rollback put instances back as they were.

use super::instance::AnyInstance;
use crate::error::{Error, Result};
use crate::value::Value;
use std::sync::Arc;

/// Where the session's transaction is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TxState {
    /// No transaction; the next statement begins one ("autobegin").
    Idle,
    /// A transaction is open on the session's connection.
    Active,
    /// A flush failed and the transaction was rolled back on the server; every call
    /// fails until `rollback()`.
    PendingRollback(String),
}

impl TxState {
    /// Fails with [`Error::PendingRollback`] while a failed flush awaits `rollback()`.
    pub(crate) fn check_usable(&self) -> Result<()> {
        match self {
            TxState::PendingRollback(cause) => Err(Error::PendingRollback(cause.clone())),
            _ => Ok(()),
        }
    }
}

/// What a flush did to one instance, so that a rollback can undo it in memory.
pub(crate) enum TxLogEntry {
    /// The instance was inserted.
    Inserted(Arc<dyn AnyInstance>),
    /// The instance's row was updated; these were all its values before.
    Updated(Arc<dyn AnyInstance>, Vec<Value>),
    /// The instance's row was deleted.
    Deleted(Arc<dyn AnyInstance>),
    /// The instance's row was inserted or overwritten by an upsert.
    Upserted(Arc<dyn AnyInstance>),
}

/// Column values changed during a flush, restored if the flush fails.
#[derive(Default)]
pub(crate) struct UndoLog {
    entries: Vec<(Arc<dyn AnyInstance>, usize, Value)>,
    /// Snapshot values changed (rows the database rewrote), restored after `entries`.
    snapshots: Vec<(Arc<dyn AnyInstance>, usize, Value)>,
}

impl UndoLog {
    /// Sets `column` of `inst` to `value`, remembering the old value.
    pub(crate) fn set(
        &mut self,
        inst: &Arc<dyn AnyInstance>,
        column: usize,
        value: Value,
    ) -> Result<()> {
        let old = inst.value(column)?;
        if old == value {
            return Ok(());
        }
        inst.set_value(column, value)?;
        self.entries.push((Arc::clone(inst), column, old));
        Ok(())
    }

    /// Remembers the current values of `columns`, before opaque code changes them.
    pub(crate) fn remember(
        &mut self,
        inst: &Arc<dyn AnyInstance>,
        columns: impl Iterator<Item = usize>,
    ) -> Result<()> {
        for c in columns {
            self.entries.push((Arc::clone(inst), c, inst.value(c)?));
        }
        Ok(())
    }

    /// The database changed `column` of `inst`'s row from `old` to `new`: the snapshot
    /// takes `new`, and so does the data unless the user already changed it.
    pub(crate) fn set_row(
        &mut self,
        inst: &Arc<dyn AnyInstance>,
        column: usize,
        old: &Value,
        new: Value,
    ) -> Result<()> {
        if inst.value(column)? == *old {
            self.set(inst, column, new.clone())?;
        }
        if let Some(previous) = inst.set_snapshot_value(column, new)? {
            self.snapshots.push((Arc::clone(inst), column, previous));
        }
        Ok(())
    }

    /// Puts every remembered value back, newest first.
    pub(crate) fn undo(self) {
        for (inst, column, old) in self.entries.into_iter().rev() {
            let _ = inst.set_value(column, old);
        }
        for (inst, column, old) in self.snapshots.into_iter().rev() {
            let _ = inst.set_snapshot_value(column, old);
        }
    }
}
