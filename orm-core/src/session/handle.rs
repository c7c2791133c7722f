//! [`Handle`]: the user's shared reference to an instance managed by a session.

use super::instance::{lock, AnyInstance, Instance};
use super::instance_state::InstanceState;
use crate::model::Model;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::Ordering;
use std::sync::{Arc, RwLockReadGuard, RwLockWriteGuard, Weak};

/// A shared handle to an instance of `M` managed by a [`Session`](super::Session).
///
/// Clones point at the same instance; the identity map hands out the same instance
/// for the same row, so a change through one handle is seen through every other.
/// Read with [`read`](Handle::read), change with [`write`](Handle::write): the
/// first write after a flush records the old values so the next flush can UPDATE
/// just the changed columns.
///
/// Do not hold a guard across a session call that needs the instance (flush, commit,
/// rollback, refresh, a query that autoflushes): the call then fails with
/// [`Error::InstanceBorrowed`](crate::Error::InstanceBorrowed) instead of waiting
/// forever. [`with`](Handle::with) and [`update`](Handle::update) keep access short.
pub struct Handle<M: Model> {
    pub(super) inst: Arc<Instance<M>>,
}

impl<M: Model> Clone for Handle<M> {
    fn clone(&self) -> Self {
        Handle {
            inst: Arc::clone(&self.inst),
        }
    }
}

impl<M: Model> Drop for Handle<M> {
    /// A transient instance linked to others is held by their shared graph, and holds
    /// it: when the last handle to any of them goes, the graph is freed (no cycle
    /// outlives the user's handles). A flag check for every other instance.
    fn drop(&mut self) {
        if self.inst.in_graph.load(Ordering::Relaxed) {
            let graph = lock(&self.inst.graph).clone();
            if let Some(graph) = graph {
                graph.release_if_unreachable(self.inst.id);
            }
        }
    }
}

impl<M: Model> PartialEq for Handle<M> {
    /// Handles are equal when they point at the same instance (identity, not value).
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.inst, &other.inst)
    }
}

impl<M: Model> Eq for Handle<M> {}

impl<M: Model + fmt::Debug> fmt::Debug for Handle<M> {
    /// The data, reloaded first if expired (or marked `(expired)` if that fails).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.load().is_err() {
            f.write_str("(expired) ")?;
        }
        fmt::Debug::fmt(&*self.inst.read(), f)
    }
}

/// A read guard on a handle's data.
pub struct Ref<'a, M>(RwLockReadGuard<'a, M>);

impl<M> Deref for Ref<'_, M> {
    type Target = M;
    fn deref(&self) -> &M {
        &self.0
    }
}

/// A write guard on a handle's data; its existence marks the instance as changed.
pub struct RefMut<'a, M>(RwLockWriteGuard<'a, M>);

impl<M> Deref for RefMut<'_, M> {
    type Target = M;
    fn deref(&self) -> &M {
        &self.0
    }
}

impl<M> DerefMut for RefMut<'_, M> {
    fn deref_mut(&mut self) -> &mut M {
        &mut self.0
    }
}

impl<M: Model> Handle<M> {
    /// A transient handle: not in any session yet. It may be linked to other new
    /// objects already (`article.set_related(Article::author, Some(&ezz))`). It joins
    /// a session through [`Session::attach`](super::Session::attach), or through a
    /// relationship with an object that is in one (the save-update cascade), and the
    /// objects linked to it come along.
    pub fn new(model: M) -> Self {
        Handle::from_instance(Arc::new(Instance::new(model, InstanceState::Transient)))
    }

    pub(crate) fn from_instance(inst: Arc<Instance<M>>) -> Self {
        Handle { inst }
    }

    pub(crate) fn erased(&self) -> Arc<dyn AnyInstance> {
        Arc::clone(&self.inst) as Arc<dyn AnyInstance>
    }

    /// Borrows the data for reading.
    ///
    /// An expired instance (see [`Session::expire`](super::Session::expire)) is first
    /// reloaded from its row; if that fails (row deleted, no session, connection
    /// lost) this panics: call [`load`](Handle::load) first to get the error instead.
    pub fn read(&self) -> Ref<'_, M> {
        self.reload_if_expired();
        Ref(self.inst.read())
    }

    /// Borrows the data for writing and marks the instance as changed. An expired
    /// instance is reloaded first, as for [`read`](Handle::read).
    pub fn write(&self) -> RefMut<'_, M> {
        self.reload_if_expired();
        let guard = self.inst.write();
        if self.inst.touch_with(&guard) {
            if let Some(session) = self.inst.session() {
                session.note_modified(self.erased());
            }
        }
        RefMut(guard)
    }

    /// Runs `f` on the data (a short read).
    pub fn with<R>(&self, f: impl FnOnce(&M) -> R) -> R {
        f(&self.read())
    }

    /// Runs `f` on the data for writing (a short write).
    pub fn update<R>(&self, f: impl FnOnce(&mut M) -> R) -> R {
        f(&mut self.write())
    }

    /// A copy of the data.
    pub fn to_model(&self) -> M {
        self.read().clone()
    }

    /// The instance's life-cycle state. Once its session is dropped, a persistent or
    /// deleted instance is detached and a pending one transient.
    pub fn state(&self) -> InstanceState {
        let state = self.inst.state();
        let attached = || lock(&self.inst.session).strong_count() > 0;
        match state {
            InstanceState::Persistent | InstanceState::Deleted if !attached() => {
                InstanceState::Detached
            }
            InstanceState::Pending if !attached() => InstanceState::Transient,
            other => other,
        }
    }

    /// True when both handles point at the same instance.
    pub fn ptr_eq(&self, other: &Handle<M>) -> bool {
        Arc::ptr_eq(&self.inst, &other.inst)
    }

    /// True when the instance was written to since it was last loaded or flushed.
    pub fn is_modified(&self) -> bool {
        self.inst.is_modified()
    }

    /// A weak handle, which does not keep the instance alive.
    pub fn downgrade(&self) -> WeakHandle<M> {
        WeakHandle {
            inst: Arc::downgrade(&self.inst),
        }
    }
}

/// A handle that does not keep its instance alive (see [`Handle::downgrade`]).
pub struct WeakHandle<M: Model> {
    inst: Weak<Instance<M>>,
}

impl<M: Model> Clone for WeakHandle<M> {
    fn clone(&self) -> Self {
        WeakHandle {
            inst: Weak::clone(&self.inst),
        }
    }
}

impl<M: Model> WeakHandle<M> {
    /// The handle, if the instance is still alive.
    pub fn upgrade(&self) -> Option<Handle<M>> {
        self.inst.upgrade().map(Handle::from_instance)
    }
}
