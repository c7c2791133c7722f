//! Expiry, as in SQLAlchemy: an expired instance's values are reloaded from its row
//! at the next access (a read through its handle, `get`, or a query returning it),
//! so that a later read sees what other transactions committed.
//!
//! `expire_on_commit` is off by default (SQLAlchemy's is on): reading objects after
//! `commit()` is the common case in Rust code (ids, values to return), and with it
//! on every such read costs a SELECT per object; `docs/ARCHITECTURE.md` has the
//! measured cost.

use super::state::SessionState;
use super::{AnyInstance, Handle, InstanceState, Session, SessionShared};
use crate::error::{Error, Result};
use crate::model::Model;
use std::sync::Arc;

impl Session {
    /// Marks a persistent instance as expired: its unflushed changes are discarded and
    /// its values are reloaded from its row at the next access (no SQL now). Its
    /// loaded collections are forgotten too, and load again when next read.
    ///
    /// ```no_run
    /// # use orm_core::{Handle, Model, Session};
    /// # fn demo<M: Model>(session: &Session, h: &Handle<M>) -> orm_core::Result<()> {
    /// session.expire(h)?;
    /// h.load()?; // one SELECT now (or let the next h.read() do it)
    /// # Ok(()) }
    /// ```
    pub fn expire<M: Model>(&self, handle: &Handle<M>) -> Result<()> {
        let inst = handle.erased();
        let mut st = self.shared().lock();
        if !self.contains(handle) || inst.state() != InstanceState::Persistent {
            return Err(Error::InvalidRequest(format!(
                "only a persistent instance of this session can be expired (this `{}` is {:?})",
                inst.table().name,
                handle.state()
            )));
        }
        st.expire_instance(&inst)
    }

    /// Expires every persistent instance of the session (see [`expire`](Session::expire)).
    pub fn expire_all(&self) -> Result<()> {
        let shared = self.shared();
        let mut st = shared.lock();
        for inst in shared.modified_list() {
            if inst.state() == InstanceState::Persistent {
                inst.check_free(true)?;
            }
        }
        for inst in st.identity.live() {
            if inst.state() == InstanceState::Persistent {
                st.expire_instance(&inst)?;
            }
        }
        Ok(())
    }

    /// Whether `commit()` expires every instance, so that reads after it see what
    /// other transactions committed since (SQLAlchemy's `expire_on_commit`). Off by
    /// default: see the module docs.
    pub fn set_expire_on_commit(&self, on: bool) {
        self.shared().lock().expire_on_commit = on;
    }
}

impl SessionState {
    /// Discards `inst`'s unflushed changes and marks it expired.
    fn expire_instance(&mut self, inst: &Arc<dyn AnyInstance>) -> Result<()> {
        if inst.is_modified() {
            inst.discard_changes()?;
        }
        inst.expire();
        let id = inst.id();
        self.collections.retain(|k, _| k.parent != id);
        Ok(())
    }

    /// After a commit with `expire_on_commit`: every loaded instance is clean (the
    /// commit flushed), so expiring is a flag per instance; cached collections and
    /// the links between persistent instances are dropped, to be loaded again.
    pub(crate) fn expire_after_commit(&mut self) {
        for inst in self.identity.live() {
            if inst.state() == InstanceState::Persistent {
                inst.expire();
            }
        }
        self.collections.clear();
        let persistent = |i: &Arc<dyn AnyInstance>| i.state() == InstanceState::Persistent;
        self.links
            .retain(|l| !(persistent(&l.child) && persistent(&l.parent)));
    }

    /// Reloads an expired instance from its row. When the row is gone, the instance
    /// leaves the session (detached, as SQLAlchemy does) and `NoResultFound` says so.
    pub(crate) async fn reload(
        &mut self,
        shared: &Arc<SessionShared>,
        inst: &Arc<dyn AnyInstance>,
    ) -> Result<()> {
        if !inst.is_expired() {
            return Ok(());
        }
        match self.refresh(shared, inst).await {
            Err(e @ Error::NoResultFound(_)) => {
                self.expunge(inst);
                Err(e)
            }
            other => other,
        }
    }
}

impl<M: Model> Handle<M> {
    /// True when the instance is expired: its next access reloads it.
    pub fn is_expired(&self) -> bool {
        // Through the typed instance: no reference count is touched on this hot path.
        AnyInstance::is_expired(&**self.inst())
    }

    /// Reloads the instance now if it is expired (one SELECT); does nothing otherwise.
    /// The fallible form of what [`read`](Handle::read) does on an expired instance.
    pub fn load(&self) -> Result<()> {
        reload_expired(&self.erased())
    }
}

/// Reloads `inst` if it is expired (one SELECT through its session).
pub(super) fn reload_expired(inst: &Arc<dyn AnyInstance>) -> Result<()> {
    if !inst.is_expired() {
        return Ok(());
    }
    let shared = inst.session().ok_or_else(|| {
        Error::Detached(format!(
            "this expired `{}` is not in a session, so it cannot be reloaded",
            inst.table().name
        ))
    })?;
    shared.run(async |st, shared| st.reload(shared, inst).await)
}
