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
    pub(crate) fn flush(&mut self, shared: &Arc<SessionShared>) -> Result<()> {
        self.tx.check_usable()?;
        let mut modified = shared.take_modified();
        modified.retain(|i| match i.state() {
            InstanceState::Persistent => true,
            _ => {
                if i.state() != InstanceState::Pending {
                    i.mark_clean();
                }
                i.state() == InstanceState::Pending
            }
        });
        let persistent: Vec<Arc<dyn AnyInstance>> = modified
            .iter()
            .filter(|i| i.state() == InstanceState::Persistent)
            .cloned()
            .collect();
        let links_pending = || {
            self.links.iter().any(|l| {
                l.child.state() == InstanceState::Persistent
                    && l.child_columns
                        .iter()
                        .zip(l.parent_columns.iter())
                        .any(|(&c, &p)| l.child.value(c) != l.parent.value(p))
            })
        };
        if self.pending.is_empty()
            && self.deleted.is_empty()
            && self.association_ops.is_empty()
            && !any_changed(&persistent)
            && !links_pending()
        {
            for i in &modified {
                i.mark_clean();
            }
            return Ok(());
        }
        self.connection(shared)?;
        let plan = FlushPlan::new(&self.pending, &persistent, &self.deleted, &self.links);
        let mut emitter = Emitter {
            conn: self.conn.as_mut().expect("connection is open"),
            dialect: shared.engine.dialect(),
            links: &self.links,
            associations: &self.association_ops,
            undo: UndoLog::default(),
            log: Vec::new(),
            touched: Vec::new(),
        };
        match run_plan(&mut emitter, &plan) {
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
                self.abort_after_failed_flush(&e);
                Err(e)
            }
        }
    }

    /// After a failed flush: roll the server back (to the innermost savepoint, if one is
    /// open) and require `rollback()`.
    fn abort_after_failed_flush(&mut self, err: &crate::error::Error) {
        if let Some(conn) = self.conn.as_mut() {
            if !conn.is_closed() {
                let _ = match self.savepoints.last() {
                    Some((name, _)) => conn.rollback_to_savepoint(name),
                    None => conn.rollback(),
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

fn any_changed(persistent: &[Arc<dyn AnyInstance>]) -> bool {
    persistent
        .iter()
        .any(|i| i.changes().is_some_and(|(cols, _)| !cols.is_empty()))
}

fn run_plan(emitter: &mut Emitter<'_>, plan: &FlushPlan) -> Result<()> {
    super::validate::prepare_plan(emitter, plan)?;
    for work in &plan.tables {
        emitter.sync_links(work.table)?;
        if !work.inserts.is_empty() {
            emitter.insert(work.table, &work.inserts)?;
        }
        let mut modified = work.modified.clone();
        let mut seen: HashSet<u64> = modified.iter().map(|m| m.id()).collect();
        for t in &emitter.touched {
            if t.table().name == work.table.name && seen.insert(t.id()) {
                modified.push(Arc::clone(t));
            }
        }
        emitter.update(work.table, &modified)?;
    }
    let associations = emitter.associations;
    emitter.associations(associations)?;
    for work in plan.tables.iter().rev() {
        if !work.deletes.is_empty() {
            emitter.unlink_deleted(work.table, &work.deletes)?;
            emitter.delete(work.table, &work.deletes)?;
        }
    }
    Ok(())
}
