//! [`Handle`]: the user's shared reference to an instance managed by a session.

use super::accessors::{Accessors, HandleCore};
use super::identity_map::IdentityKey;
use super::instance_state::{InstanceState, StateCell};
use super::SessionShared;
use crate::error::Result;
use crate::model::Model;
use crate::row::Row;
use crate::schema::Table;
use crate::value::Value;
use std::any::{Any, TypeId};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{
    Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, Weak,
};

static NEXT_INSTANCE_ID: AtomicU64 = AtomicU64::new(1);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The state behind a handle: the data, its last-flushed snapshot and its bookkeeping.
pub(crate) struct Instance<M> {
    id: u64,
    data: RwLock<M>,
    /// The values as last loaded or flushed, captured on the first write after that.
    /// Boxed: most instances never get one, and a smaller instance is cheaper to load.
    snapshot: Mutex<Option<Box<M>>>,
    modified: AtomicBool,
    state: StateCell,
    session: Mutex<Weak<SessionShared>>,
    key: Mutex<Option<IdentityKey>>,
}

/// Type-erased access to an instance, for the session and the unit of work.
pub(crate) trait AnyInstance: Send + Sync {
    fn id(&self) -> u64;
    fn model_type(&self) -> TypeId;
    fn table(&self) -> &'static Table;
    fn state(&self) -> InstanceState;
    fn set_state(&self, s: InstanceState);
    fn value(&self, column: usize) -> Value;
    fn values(&self) -> Vec<Value>;
    fn set_value(&self, column: usize, v: Value) -> Result<()>;
    /// Sets a value that the database already holds (data and snapshot alike).
    fn set_loaded_value(&self, column: usize, v: Value) -> Result<()>;
    fn primary_key(&self) -> Vec<Value>;
    fn apply_insert_defaults(&self);
    /// Columns changed since the snapshot, and the snapshot's primary key; `None` when
    /// the instance was not written to since the last flush.
    fn changes(&self) -> Option<(Vec<usize>, Vec<Value>)>;
    fn apply_onupdate(&self, changed: &[usize]) -> Vec<usize>;
    fn mark_clean(&self);
    fn is_modified(&self) -> bool;
    /// Marks the instance as written to (snapshotting a persistent one); true if it
    /// was not marked before.
    fn touch(&self) -> bool;
    /// All values as of the snapshot, when there is one.
    fn snapshot_values(&self) -> Option<Vec<Value>>;
    /// Puts the unflushed changes back as they were at the last load or flush.
    fn discard_changes(&self);
    /// Replaces the data with the row's values from `offset` on (a reload).
    fn load_values(&self, row: &mut Row, offset: usize) -> Result<()>;
    fn identity_key(&self) -> Option<IdentityKey>;
    fn set_identity_key(&self, key: Option<IdentityKey>);
    fn attach(&self, session: Weak<SessionShared>);
    fn detach(&self);
    fn session(&self) -> Option<Arc<SessionShared>>;
    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync>;
}

impl<M: Model> Instance<M> {
    pub(crate) fn new(model: M, state: InstanceState) -> Self {
        Instance {
            id: NEXT_INSTANCE_ID.fetch_add(1, Ordering::Relaxed),
            data: RwLock::new(model),
            snapshot: Mutex::new(None),
            modified: AtomicBool::new(false),
            state: StateCell::new(state),
            session: Mutex::new(Weak::new()),
            key: Mutex::new(None),
        }
    }

    /// A persistent instance just loaded by `session`, under identity `key`.
    pub(crate) fn loaded(model: M, session: Weak<SessionShared>, key: Option<IdentityKey>) -> Self {
        Instance {
            id: NEXT_INSTANCE_ID.fetch_add(1, Ordering::Relaxed),
            data: RwLock::new(model),
            snapshot: Mutex::new(None),
            modified: AtomicBool::new(false),
            state: StateCell::new(InstanceState::Persistent),
            session: Mutex::new(session),
            key: Mutex::new(key),
        }
    }

    pub(super) fn read(&self) -> RwLockReadGuard<'_, M> {
        self.data.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn write(&self) -> RwLockWriteGuard<'_, M> {
        self.data.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<M: Model> AnyInstance for Instance<M> {
    fn id(&self) -> u64 {
        self.id
    }

    fn model_type(&self) -> TypeId {
        TypeId::of::<M>()
    }

    fn table(&self) -> &'static Table {
        M::table()
    }

    fn state(&self) -> InstanceState {
        self.state.get()
    }

    fn set_state(&self, s: InstanceState) {
        self.state.set(s);
    }

    fn value(&self, column: usize) -> Value {
        self.read().value(column)
    }

    fn values(&self) -> Vec<Value> {
        self.read().values()
    }

    fn set_value(&self, column: usize, v: Value) -> Result<()> {
        self.write().set_value(column, v)
    }

    fn primary_key(&self) -> Vec<Value> {
        self.read().primary_key()
    }

    fn set_loaded_value(&self, column: usize, v: Value) -> Result<()> {
        if let Some(snapshot) = lock(&self.snapshot).as_mut() {
            snapshot.set_value(column, v.clone())?;
        }
        self.write().set_value(column, v)
    }

    fn apply_insert_defaults(&self) {
        self.write().apply_insert_defaults();
    }

    fn changes(&self) -> Option<(Vec<usize>, Vec<Value>)> {
        if !self.modified.load(Ordering::Acquire) {
            return None;
        }
        let snapshot = lock(&self.snapshot);
        let old = snapshot.as_ref()?;
        Some((self.read().changed_columns(old), old.primary_key()))
    }

    fn apply_onupdate(&self, changed: &[usize]) -> Vec<usize> {
        self.write().apply_onupdate(changed)
    }

    fn mark_clean(&self) {
        *lock(&self.snapshot) = None;
        self.modified.store(false, Ordering::Release);
    }

    fn is_modified(&self) -> bool {
        self.modified.load(Ordering::Acquire)
    }

    fn touch(&self) -> bool {
        let guard = self.read();
        if self.modified.swap(true, Ordering::AcqRel) {
            return false;
        }
        if self.state() == InstanceState::Persistent {
            *lock(&self.snapshot) = Some(Box::new(guard.clone()));
        }
        true
    }

    fn snapshot_values(&self) -> Option<Vec<Value>> {
        lock(&self.snapshot).as_deref().map(Model::values)
    }

    fn discard_changes(&self) {
        if let Some(old) = lock(&self.snapshot).take() {
            *self.write() = *old;
        }
        self.modified.store(false, Ordering::Release);
    }

    fn load_values(&self, row: &mut Row, offset: usize) -> Result<()> {
        let fresh = M::from_row(row, offset)?;
        *self.write() = fresh;
        self.mark_clean();
        Ok(())
    }

    fn identity_key(&self) -> Option<IdentityKey> {
        lock(&self.key).clone()
    }

    fn set_identity_key(&self, key: Option<IdentityKey>) {
        *lock(&self.key) = key;
    }

    fn attach(&self, session: Weak<SessionShared>) {
        *lock(&self.session) = session;
    }

    fn detach(&self) {
        *lock(&self.session) = Weak::new();
        self.set_identity_key(None);
        *lock(&self.snapshot) = None;
        self.modified.store(false, Ordering::Release);
    }

    fn session(&self) -> Option<Arc<SessionShared>> {
        lock(&self.session).upgrade()
    }

    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
}

/// A shared handle to an instance of `M` managed by a [`Session`](super::Session).
///
/// Clones point at the same instance; the identity map hands out the same instance
/// for the same row, so a change through one handle is seen through every other.
/// Read with [`read`](Handle::read), change with [`write`](Handle::write): the
/// first write after a flush records the old values so the next flush can UPDATE
/// just the changed columns.
///
/// Do not hold a guard across a session call (flush, query, commit): the session
/// needs to read the instance too.
///
/// Each mapped field also has a getter and a setter, generated by `#[derive(Model)]`
/// on the model's [`Accessors`](Model::Accessors) type, which a handle dereferences
/// to: `article.title()` is `article.read().title.clone()`, and
/// `article.set_title("x")` is `article.write().title = "x".into()`.
pub struct Handle<M: Model> {
    access: M::Accessors,
}

impl<M: Model> Clone for Handle<M> {
    fn clone(&self) -> Self {
        Handle::from_instance(Arc::clone(self.inst()))
    }
}

impl<M: Model> Deref for Handle<M> {
    type Target = M::Accessors;

    /// The generated per-field getters and setters.
    fn deref(&self) -> &M::Accessors {
        &self.access
    }
}

impl<M: Model> PartialEq for Handle<M> {
    /// Handles are equal when they point at the same instance (identity, not value).
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(self.inst(), other.inst())
    }
}

impl<M: Model> Eq for Handle<M> {}

impl<M: Model + fmt::Debug> fmt::Debug for Handle<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.read(), f)
    }
}

/// A read guard on a handle's data.
pub struct Ref<'a, M>(pub(super) RwLockReadGuard<'a, M>);

impl<M> Deref for Ref<'_, M> {
    type Target = M;
    fn deref(&self) -> &M {
        &self.0
    }
}

/// A write guard on a handle's data; its existence marks the instance as changed.
pub struct RefMut<'a, M>(pub(super) RwLockWriteGuard<'a, M>);

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
    /// A transient handle: not in any session yet. It joins one through
    /// [`Session::attach`](super::Session::attach), or through a relationship with an
    /// object that is in a session (the save-update cascade).
    pub fn new(model: M) -> Self {
        Handle::from_instance(Arc::new(Instance::new(model, InstanceState::Transient)))
    }

    pub(crate) fn from_instance(inst: Arc<Instance<M>>) -> Self {
        Handle {
            access: M::Accessors::from_core(HandleCore { inst }),
        }
    }

    fn inst(&self) -> &Arc<Instance<M>> {
        &self.access.core().inst
    }

    pub(crate) fn erased(&self) -> Arc<dyn AnyInstance> {
        Arc::clone(self.inst()) as Arc<dyn AnyInstance>
    }

    /// Borrows the data for reading.
    pub fn read(&self) -> Ref<'_, M> {
        self.access.core().read()
    }

    /// Borrows the data for writing and marks the instance as changed.
    pub fn write(&self) -> RefMut<'_, M> {
        self.access.core().write()
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
        let state = self.inst().state();
        let attached = || lock(&self.inst().session).strong_count() > 0;
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
        Arc::ptr_eq(self.inst(), other.inst())
    }

    /// True when the instance was written to since it was last loaded or flushed.
    pub fn is_modified(&self) -> bool {
        self.inst().is_modified()
    }

    /// A weak handle, which does not keep the instance alive.
    pub fn downgrade(&self) -> WeakHandle<M> {
        WeakHandle {
            inst: Arc::downgrade(self.inst()),
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
