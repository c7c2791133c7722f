//! [`Handle`]: the user's shared reference to an instance managed by a session.

use super::identity_map::IdentityKey;
use super::instance_state::{InstanceState, StateCell};
use super::SessionShared;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::row::Row;
use crate::schema::Table;
use crate::value::Value;
use std::any::{Any, TypeId};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{
    Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError,
    Weak,
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
    /// The data may be out of date: the next access reloads it (see `Session::expire`).
    expired: AtomicBool,
    state: StateCell,
    session: Mutex<Weak<SessionShared>>,
    key: Mutex<Option<IdentityKey>>,
}

/// Type-erased access to an instance, for the session and the unit of work.
///
/// Every access to the data is non-blocking: when a user's `read()`/`write()` guard
/// holds the instance, it fails with [`Error::InstanceBorrowed`] instead of waiting
/// (the guard is usually held by the very thread that called the session).
pub(crate) trait AnyInstance: Send + Sync {
    fn id(&self) -> u64;
    fn model_type(&self) -> TypeId;
    fn table(&self) -> &'static Table;
    fn state(&self) -> InstanceState;
    fn set_state(&self, s: InstanceState);
    fn value(&self, column: usize) -> Result<Value>;
    fn values(&self) -> Result<Vec<Value>>;
    /// The values of `columns`, in that order.
    fn values_at(&self, columns: &[usize]) -> Result<Vec<Value>>;
    /// The values of `columns` as the row holds them: from the snapshot when the
    /// instance has unflushed changes, else from the data.
    fn row_values_at(&self, columns: &[usize]) -> Result<Vec<Value>>;
    /// Sets `column` in the snapshot, if there is one; returns its previous value.
    fn set_snapshot_value(&self, column: usize, v: Value) -> Result<Option<Value>>;
    fn set_value(&self, column: usize, v: Value) -> Result<()>;
    /// Sets a value that the database already holds (data and snapshot alike).
    fn set_loaded_value(&self, column: usize, v: Value) -> Result<()>;
    fn primary_key(&self) -> Result<Vec<Value>>;
    fn apply_insert_defaults(&self) -> Result<()>;
    /// Columns changed since the snapshot, and the snapshot's primary key; `None` when
    /// the instance was not written to since the last flush.
    fn changes(&self) -> Result<Option<(Vec<usize>, Vec<Value>)>>;
    fn apply_onupdate(&self, changed: &[usize]) -> Result<Vec<usize>>;
    fn mark_clean(&self);
    fn is_modified(&self) -> bool;
    /// Marks the data out of date; the next access reloads it. No lock is taken.
    fn expire(&self);
    fn is_expired(&self) -> bool;
    /// Marks the instance as written to (snapshotting a persistent or detached one);
    /// true if it was not marked before.
    fn touch(&self) -> Result<bool>;
    /// All values as of the snapshot, when there is one.
    fn snapshot_values(&self) -> Option<Vec<Value>>;
    /// Puts the unflushed changes back as they were at the last load or flush.
    fn discard_changes(&self) -> Result<()>;
    /// Replaces the data with the row's values from `offset` on (a reload).
    fn load_values(&self, row: &mut Row, offset: usize) -> Result<()>;
    /// Fails with [`Error::InstanceBorrowed`] if a guard would stop the session from
    /// reading (or, with `write`, writing) the data now. Takes nothing.
    fn check_free(&self, write: bool) -> Result<()>;
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
            expired: AtomicBool::new(false),
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
            expired: AtomicBool::new(false),
            state: StateCell::new(InstanceState::Persistent),
            session: Mutex::new(session),
            key: Mutex::new(key),
        }
    }

    /// Blocks until the data can be read: for the user's own guards only.
    fn read(&self) -> RwLockReadGuard<'_, M> {
        self.data.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Blocks until the data can be written: for the user's own guards only.
    fn write(&self) -> RwLockWriteGuard<'_, M> {
        self.data.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Reads the data now, or fails if a write guard holds it.
    fn try_read(&self) -> Result<RwLockReadGuard<'_, M>> {
        match self.data.try_read() {
            Ok(g) => Ok(g),
            Err(TryLockError::Poisoned(p)) => Ok(p.into_inner()),
            Err(TryLockError::WouldBlock) => Err(self.borrowed()),
        }
    }

    /// Writes the data now, or fails if any guard holds it.
    fn try_write(&self) -> Result<RwLockWriteGuard<'_, M>> {
        match self.data.try_write() {
            Ok(g) => Ok(g),
            Err(TryLockError::Poisoned(p)) => Ok(p.into_inner()),
            Err(TryLockError::WouldBlock) => Err(self.borrowed()),
        }
    }

    /// The error naming this instance: its model and its key (from the identity map,
    /// or read from the data if a reader holds it; `(new)` when not assigned yet).
    fn borrowed(&self) -> Error {
        let key = match lock(&self.key).as_ref() {
            Some(k) => k.to_string(),
            None => match self.data.try_read() {
                Ok(data) => describe_key(&data.primary_key()),
                Err(_) => "(new)".to_owned(),
            },
        };
        Error::InstanceBorrowed {
            model: short_type_name::<M>().to_owned(),
            key,
        }
    }

    /// Marks the instance as written to, taking the snapshot from `data` when it has a
    /// row (persistent, or detached and still tracked); true if it was not marked.
    fn touch_with(&self, data: &M) -> bool {
        if self.modified.swap(true, Ordering::AcqRel) {
            return false;
        }
        if matches!(
            self.state(),
            InstanceState::Persistent | InstanceState::Detached
        ) {
            *lock(&self.snapshot) = Some(Box::new(data.clone()));
        }
        true
    }
}

/// `Article` for `blog::models::Article`.
fn short_type_name<M>() -> &'static str {
    let full = std::any::type_name::<M>();
    full.rsplit("::").next().unwrap_or(full)
}

/// `(1)`, `("NZ")`, `(1, 2)`; `(new)` while a part is not assigned.
fn describe_key(values: &[Value]) -> String {
    if values.is_empty() || values.iter().any(Value::is_null) {
        return "(new)".to_owned();
    }
    let parts: Vec<String> = values
        .iter()
        .map(|v| match (v, v.as_i64()) {
            (Value::Text(s), _) => format!("{s:?}"),
            (_, Some(i)) => i.to_string(),
            (other, None) => format!("{other:?}"),
        })
        .collect();
    format!("({})", parts.join(", "))
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

    fn value(&self, column: usize) -> Result<Value> {
        Ok(self.try_read()?.value(column))
    }

    fn values(&self) -> Result<Vec<Value>> {
        Ok(self.try_read()?.values())
    }

    fn values_at(&self, columns: &[usize]) -> Result<Vec<Value>> {
        let data = self.try_read()?;
        Ok(columns.iter().map(|&c| data.value(c)).collect())
    }

    fn row_values_at(&self, columns: &[usize]) -> Result<Vec<Value>> {
        if let Some(old) = lock(&self.snapshot).as_ref() {
            return Ok(columns.iter().map(|&c| old.value(c)).collect());
        }
        self.values_at(columns)
    }

    fn set_snapshot_value(&self, column: usize, v: Value) -> Result<Option<Value>> {
        let mut snapshot = lock(&self.snapshot);
        let Some(old) = snapshot.as_mut() else {
            return Ok(None);
        };
        let previous = old.value(column);
        old.set_value(column, v)?;
        Ok(Some(previous))
    }

    fn set_value(&self, column: usize, v: Value) -> Result<()> {
        self.try_write()?.set_value(column, v)
    }

    fn primary_key(&self) -> Result<Vec<Value>> {
        Ok(self.try_read()?.primary_key())
    }

    fn set_loaded_value(&self, column: usize, v: Value) -> Result<()> {
        let mut data = self.try_write()?;
        if let Some(snapshot) = lock(&self.snapshot).as_mut() {
            snapshot.set_value(column, v.clone())?;
        }
        data.set_value(column, v)
    }

    fn apply_insert_defaults(&self) -> Result<()> {
        self.try_write()?.apply_insert_defaults();
        Ok(())
    }

    fn changes(&self) -> Result<Option<(Vec<usize>, Vec<Value>)>> {
        if !self.modified.load(Ordering::Acquire) {
            return Ok(None);
        }
        let data = self.try_read()?;
        let snapshot = lock(&self.snapshot);
        Ok(snapshot
            .as_ref()
            .map(|old| (data.changed_columns(old), old.primary_key())))
    }

    fn apply_onupdate(&self, changed: &[usize]) -> Result<Vec<usize>> {
        Ok(self.try_write()?.apply_onupdate(changed))
    }

    fn mark_clean(&self) {
        *lock(&self.snapshot) = None;
        self.modified.store(false, Ordering::Release);
    }

    fn is_modified(&self) -> bool {
        self.modified.load(Ordering::Acquire)
    }

    fn expire(&self) {
        self.expired.store(true, Ordering::Release);
    }

    fn is_expired(&self) -> bool {
        self.expired.load(Ordering::Acquire)
    }

    fn touch(&self) -> Result<bool> {
        let data = self.try_read()?;
        Ok(self.touch_with(&data))
    }

    fn snapshot_values(&self) -> Option<Vec<Value>> {
        lock(&self.snapshot).as_deref().map(Model::values)
    }

    fn discard_changes(&self) -> Result<()> {
        let mut data = self.try_write()?;
        if let Some(old) = lock(&self.snapshot).take() {
            *data = *old;
        }
        self.modified.store(false, Ordering::Release);
        Ok(())
    }

    fn load_values(&self, row: &mut Row, offset: usize) -> Result<()> {
        let mut data = self.try_write()?;
        *data = M::from_row(row, offset)?;
        drop(data);
        self.mark_clean();
        self.expired.store(false, Ordering::Release);
        Ok(())
    }

    fn check_free(&self, write: bool) -> Result<()> {
        if write {
            self.try_write().map(drop)
        } else {
            self.try_read().map(drop)
        }
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

    /// Leaves the session. Unflushed changes are kept (snapshot and flag), so that
    /// attaching the instance again writes them, as SQLAlchemy does.
    fn detach(&self) {
        *lock(&self.session) = Weak::new();
        self.set_identity_key(None);
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
/// Do not hold a guard across a session call that needs the instance (flush, commit,
/// rollback, refresh, a query that autoflushes): the call then fails with
/// [`Error::InstanceBorrowed`](crate::Error::InstanceBorrowed) instead of waiting
/// forever. [`with`](Handle::with) and [`update`](Handle::update) keep access short.
pub struct Handle<M: Model> {
    inst: Arc<Instance<M>>,
}

impl<M: Model> Clone for Handle<M> {
    fn clone(&self) -> Self {
        Handle {
            inst: Arc::clone(&self.inst),
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
    /// A transient handle: not in any session yet. It joins one through
    /// [`Session::attach`](super::Session::attach), or through a relationship with an
    /// object that is in a session (the save-update cascade).
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
