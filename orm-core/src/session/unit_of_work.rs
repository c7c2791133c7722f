//! The flush: collect what changed, plan it, emit it, then finalize the instances'
//! states, or undo everything in memory when a statement fails.

use super::flush_plan::FlushPlan;
use super::persistence::Emitter;
use super::state::SessionState;
use super::transaction::{TxLogEntry, TxState, UndoLog};
use super::{AnyInstance, InstanceState, SessionShared};
use crate::error::Result;
use rustc_hash::FxHashSet as HashSet;
use std::sync::Arc;

impl SessionState {
    /// Writes pending inserts, changes and deletes; nothing is sent when nothing changed.
    pub(crate) async fn flush(&mut self, shared: &Arc<SessionShared>) -> Result<()> {
        self.tx.check_usable()?;
        let mut modified = shared.take_modified();
        let mut seen = HashSet::default();
        modified.retain(|i| seen.insert(i.id()) && keep_modified(i));
        let persistent: Vec<Arc<dyn AnyInstance>> = modified
            .iter()
            .filter(|i| i.state() == InstanceState::Persistent)
            .cloned()
            .collect();
        let prepared = self.prepare_flush(shared, &persistent).await;
        match prepared {
            Ok((true, key_cascades)) => {
                self.run_flush(shared, modified, &persistent, key_cascades)
                    .await
            }
            Ok((false, _)) => {
                for i in &modified {
                    i.mark_clean();
                }
                Ok(())
            }
            Err(e) => {
                // Nothing was sent: the changes wait for the next flush.
                for inst in modified {
                    shared.note_modified(inst);
                }
                Err(e)
            }
        }
    }

    /// Before any SQL: whether there is work (see [`check_flush`](Self::check_flush)),
    /// the key cascades to mirror, and, when there is work, the connection.
    async fn prepare_flush(
        &mut self,
        shared: &Arc<SessionShared>,
        persistent: &[Arc<dyn AnyInstance>],
    ) -> Result<(bool, Vec<super::key_cascade::KeyCascade>)> {
        let work = self.check_flush(persistent)?;
        let cascades = self.plan_key_cascades(persistent)?;
        if work {
            self.connection(shared).await?;
        }
        Ok((work, cascades))
    }

    /// Plans and emits the flush's statements; finalizes the instances on success,
    /// undoes what it wrote into them on failure.
    async fn run_flush(
        &mut self,
        shared: &Arc<SessionShared>,
        mut modified: Vec<Arc<dyn AnyInstance>>,
        persistent: &[Arc<dyn AnyInstance>],
        key_cascades: Vec<super::key_cascade::KeyCascade>,
    ) -> Result<()> {
        let plan = FlushPlan::new(&self.pending, persistent, &self.deleted, &self.links);
        let mut emitter = Emitter {
            conn: self.conn.as_mut().expect("connection is open"),
            dialect: shared.engine.dialect(),
            links: &self.links,
            associations: &self.association_ops,
            undo: UndoLog::default(),
            log: Vec::new(),
            touched: Vec::new(),
            key_cascades,
        };
        match run_plan(&mut emitter, &plan).await {
            Ok(()) => {
                let Emitter { log, touched, .. } = emitter;
                modified.extend(touched);
                self.finalize(shared, log, &modified);
                Ok(())
            }
            Err(e) => {
                let Emitter { undo, touched, .. } = emitter;
                undo.undo();
                modified.extend(touched);
                for inst in modified {
                    shared.note_modified(inst);
                }
                self.abort_after_failed_flush(&e).await;
                Err(e)
            }
        }
    }

    /// After a failed flush: roll the server back (to the innermost savepoint, if one is
    /// open) and require `rollback()`.
    ///
    /// One exception: the connection was lost and the transaction had written nothing
    /// before this flush (no earlier flush, no savepoint). The server then has nothing
    /// of it, and the flush's own writes were undone in memory, so no `rollback()` is
    /// needed: the connection is dropped and the changes wait for the next flush (with
    /// BEGIN sent alongside the first statement, a dead pooled connection shows up
    /// here rather than at BEGIN).
    async fn abort_after_failed_flush(&mut self, err: &crate::error::Error) {
        let lost = self.conn.as_ref().is_none_or(|c| c.is_closed())
            || matches!(err, crate::error::Error::ConnectionLost(_));
        if lost && self.tx_log.is_empty() && self.savepoints.is_empty() {
            self.conn = None;
            self.tx = TxState::Idle;
            return;
        }
        if let Some(conn) = self.conn.as_mut() {
            if !conn.is_closed() {
                let _ = match self.savepoints.last() {
                    Some((name, _)) => conn.rollback_to_savepoint(name).await,
                    None => conn.rollback().await,
                };
            }
        }
        self.tx = TxState::PendingRollback(err.to_string());
    }

    fn finalize(
        &mut self,
        shared: &Arc<SessionShared>,
        log: Vec<TxLogEntry>,
        modified: &[Arc<dyn AnyInstance>],
    ) {
        for entry in &log {
            match entry {
                TxLogEntry::Inserted(inst) => {
                    inst.set_state(InstanceState::Persistent);
                    inst.mark_clean();
                    self.rekey(inst);
                }
                TxLogEntry::Updated(inst, _) => self.rekey(inst),
                TxLogEntry::Upserted(_) => {}
                TxLogEntry::Deleted(inst) => {
                    if let Some(key) = inst.identity_key() {
                        self.identity.remove(&key);
                    }
                    inst.set_state(InstanceState::Deleted);
                    let id = inst.id();
                    self.links
                        .retain(|l| l.child.id() != id && l.parent.id() != id);
                }
            }
        }
        for inst in modified {
            inst.mark_clean();
        }
        self.pending.clear();
        self.deleted.clear();
        self.association_ops.clear();
        self.tx_log.extend(log);
        let _ = shared;
    }
}

/// Whether a linked child's foreign key differs from its parent's key.
fn out_of_sync(l: &super::Link) -> Result<bool> {
    for (&c, &p) in l.child_columns.iter().zip(l.parent_columns.iter()) {
        if l.child.value(c)? != l.parent.value(p)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether an instance written to since the last flush stays on the flush's list. A
/// detached one leaves it but keeps its changes, for when it is attached again.
fn keep_modified(inst: &Arc<dyn AnyInstance>) -> bool {
    match inst.state() {
        InstanceState::Persistent | InstanceState::Pending => true,
        InstanceState::Detached => false,
        InstanceState::Transient | InstanceState::Deleted => {
            inst.mark_clean();
            false
        }
    }
}

impl SessionState {
    /// Before any SQL: whether the flush has anything to do, and that no user guard
    /// holds an instance it must write (new, changed, foreign-key-synced) or read
    /// (deleted, linked, associated). A guard gives [`Error::InstanceBorrowed`] here,
    /// so the call can simply be repeated once the guard is dropped.
    ///
    /// [`Error::InstanceBorrowed`]: crate::Error::InstanceBorrowed
    fn check_flush(&self, persistent: &[Arc<dyn AnyInstance>]) -> Result<bool> {
        let mut work = !self.pending.is_empty() || !self.deleted.is_empty();
        for inst in &self.pending {
            inst.check_free(true)?;
        }
        for inst in persistent {
            if inst.changes()?.is_some_and(|(cols, _)| !cols.is_empty()) {
                inst.check_free(true)?;
                work = true;
            }
        }
        for inst in &self.deleted {
            inst.check_free(false)?;
        }
        for op in &self.association_ops {
            op.parent.check_free(false)?;
            op.child.check_free(false)?;
            work = true;
        }
        for l in self.links.iter() {
            let live = matches!(
                l.child.state(),
                InstanceState::Persistent | InstanceState::Pending
            );
            if live && out_of_sync(l)? {
                l.child.check_free(true)?;
                work |= l.child.state() == InstanceState::Persistent;
            }
        }
        Ok(work)
    }
}

async fn run_plan(emitter: &mut Emitter<'_>, plan: &FlushPlan) -> Result<()> {
    super::validate::prepare_plan(emitter, plan)?;
    for work in &plan.tables {
        emitter.sync_links(work.table)?;
        if !work.inserts.is_empty() {
            emitter.insert(work.table, &work.inserts).await?;
        }
        let mut modified = work.modified.clone();
        let mut seen: HashSet<u64> = modified.iter().map(|m| m.id()).collect();
        for t in &emitter.touched {
            if t.table().name == work.table.name && seen.insert(t.id()) {
                modified.push(Arc::clone(t));
            }
        }
        emitter.update(work.table, &modified).await?;
        emitter.apply_key_cascades(work.table)?;
    }
    let associations = emitter.associations;
    emitter.associations(associations).await?;
    for work in plan.tables.iter().rev() {
        if !work.deletes.is_empty() {
            emitter.unlink_deleted(&work.deletes).await?;
            emitter.delete(work.table, &work.deletes).await?;
        }
    }
    Ok(())
}
