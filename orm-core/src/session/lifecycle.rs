//! The transaction's life cycle on the session state: commit, rollback (replaying the
//! transaction log backwards so instances get their earlier state back), savepoints.

use super::state::SessionState;
use super::transaction::{TxLogEntry, TxState};
use super::{AnyInstance, InstanceState, SessionShared};
use crate::error::{Error, Result};
use crate::schema::Table;
use crate::value::Value;
use std::sync::Arc;

impl SessionState {
    /// Flushes, commits, and gives the connection back to the pool; instances deleted
    /// in the transaction become detached.
    pub(crate) async fn commit(&mut self, shared: &Arc<SessionShared>) -> Result<()> {
        self.flush(shared).await?;
        if self.tx == TxState::Active {
            let result = match self.conn.as_mut() {
                Some(conn) => conn.commit().await,
                None => Ok(()),
            };
            if let Err(e) = result {
                self.tx = TxState::PendingRollback(e.to_string());
                return Err(e);
            }
        }
        self.conn = None;
        self.tx = TxState::Idle;
        self.savepoints.clear();
        for entry in std::mem::take(&mut self.tx_log) {
            if let TxLogEntry::Deleted(inst) = entry {
                inst.detach();
                inst.mark_clean();
                inst.set_state(InstanceState::Detached);
            }
        }
        if self.expire_on_commit {
            self.expire_after_commit();
        }
        Ok(())
    }

    /// Rolls the server back (a lost connection counts as rolled back) and puts every
    /// instance back as it was when the transaction began.
    pub(crate) async fn rollback(&mut self, shared: &Arc<SessionShared>) -> Result<()> {
        self.check_undo(shared, 0)?;
        let mut result = Ok(());
        if let Some(mut conn) = self.conn.take() {
            if self.tx != TxState::Idle && !conn.is_closed() {
                result = match conn.rollback().await {
                    Err(Error::ConnectionLost(_)) => Ok(()),
                    other => other,
                };
            }
        }
        self.tx = TxState::Idle;
        self.savepoints.clear();
        self.undo_since(shared, 0);
        result
    }

    /// Before a rollback touches anything: fails with `InstanceBorrowed` if a user guard
    /// holds an instance whose values it must put back (nothing is lost: the call can be
    /// repeated once the guard is dropped).
    fn check_undo(&self, shared: &SessionShared, mark: usize) -> Result<()> {
        for inst in shared.modified_list() {
            if inst.snapshot_values().is_some() {
                inst.check_free(true)?;
            }
        }
        for entry in self.tx_log.get(mark..).unwrap_or_default() {
            match entry {
                TxLogEntry::Inserted(inst) | TxLogEntry::Updated(inst, _) => {
                    inst.check_free(true)?;
                }
                TxLogEntry::Deleted(_) | TxLogEntry::Upserted(_) => {}
            }
        }
        Ok(())
    }

    /// Puts instances back as they were when the transaction log had `mark` entries,
    /// drops pending objects and unflushed changes.
    pub(crate) fn undo_since(&mut self, shared: &Arc<SessionShared>, mark: usize) {
        for inst in std::mem::take(&mut self.pending) {
            self.links.retain(|l| l.child.id() != inst.id());
            inst.detach();
            inst.mark_clean();
            inst.set_state(InstanceState::Transient);
        }
        for inst in std::mem::take(&mut self.deleted) {
            inst.set_state(InstanceState::Persistent);
        }
        for inst in shared.take_modified() {
            // Checked free by `check_undo`; only a guard taken since on another thread
            // could refuse, and then the unflushed change stays.
            let _ = inst.discard_changes();
        }
        self.association_ops.clear();
        self.collections.clear();
        let undone: Vec<TxLogEntry> = self.tx_log.drain(mark..).collect();
        for entry in undone.into_iter().rev() {
            self.undo_entry(shared, entry);
        }
        let attached = |i: &Arc<dyn AnyInstance>| i.session().is_some();
        self.links
            .retain(|l| attached(&l.child) && attached(&l.parent));
    }

    fn undo_entry(&mut self, shared: &Arc<SessionShared>, entry: TxLogEntry) {
        match entry {
            TxLogEntry::Inserted(inst) => {
                if let Some(key) = inst.identity_key() {
                    self.identity.remove(&key);
                }
                clear_server_generated(&inst, inst.table());
                inst.detach();
                inst.mark_clean();
                inst.set_state(InstanceState::Transient);
            }
            TxLogEntry::Updated(inst, old) => {
                if let Some(key) = inst.identity_key() {
                    self.identity.remove(&key);
                }
                for (i, v) in old.into_iter().enumerate() {
                    let _ = inst.set_value(i, v);
                }
                inst.mark_clean();
                self.rekey(&inst);
            }
            TxLogEntry::Deleted(inst) => {
                inst.attach(Arc::downgrade(shared));
                inst.set_state(InstanceState::Persistent);
                self.rekey(&inst);
            }
            TxLogEntry::Upserted(inst) => {
                // Its row may or may not exist after the rollback: let it go.
                self.expunge(&inst);
            }
        }
    }

    pub(crate) async fn begin_savepoint(&mut self, shared: &Arc<SessionShared>) -> Result<String> {
        self.flush(shared).await?;
        let name = self.next_name("sp");
        self.connection(shared).await?.savepoint(&name).await?;
        self.savepoints.push((name.clone(), self.tx_log.len()));
        Ok(name)
    }

    pub(crate) async fn release_savepoint(
        &mut self,
        shared: &Arc<SessionShared>,
        name: &str,
    ) -> Result<()> {
        self.flush(shared).await?;
        let pos = self.savepoint_position(name)?;
        self.connection(shared)
            .await?
            .release_savepoint(name)
            .await?;
        self.savepoints.truncate(pos);
        Ok(())
    }

    pub(crate) async fn rollback_to_savepoint(
        &mut self,
        shared: &Arc<SessionShared>,
        name: &str,
    ) -> Result<()> {
        let pos = self.savepoint_position(name)?;
        let mark = self.savepoints[pos].1;
        self.check_undo(shared, mark)?;
        let conn = self
            .conn
            .as_mut()
            .ok_or_else(|| Error::InvalidRequest("no transaction is open".into()))?;
        conn.rollback_to_savepoint(name).await?;
        self.savepoints.truncate(pos);
        if matches!(self.tx, TxState::PendingRollback(_)) {
            self.tx = TxState::Active;
        }
        self.undo_since(shared, mark);
        Ok(())
    }

    fn savepoint_position(&self, name: &str) -> Result<usize> {
        self.savepoints
            .iter()
            .position(|(n, _)| n == name)
            .ok_or_else(|| Error::InvalidRequest(format!("savepoint `{name}` is not open")))
    }
}

/// Clears the values the server generated at insert (autoincrement keys), so that a
/// rolled-back instance can be added and inserted again.
fn clear_server_generated(inst: &Arc<dyn AnyInstance>, table: &Table) {
    for (i, c) in table.columns.iter().enumerate() {
        if c.autoincrement {
            let _ = inst.set_value(i, Value::Null);
        }
    }
}
