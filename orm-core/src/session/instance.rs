//! [`Instance`]: the state behind a handle (data, snapshot, life cycle), and
//! [`AnyInstance`], the type-erased, non-blocking access the session uses.

use super::identity_map::IdentityKey;
use super::instance_state::{InstanceState, StateCell};
use super::SessionShared;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::relationship::TransientGraph;
use crate::row::Row;
use crate::schema::Table;
use crate::value::Value;
use std::any::{Any, TypeId};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{
    Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError,
    Weak,
};

static NEXT_INSTANCE_ID: AtomicU64 = AtomicU64::new(1);

pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The state behind a handle: the data, its last-flushed snapshot and its bookkeeping.
pub(crate) struct Instance<M> {
    pub(super) id: u64,
    data: RwLock<M>,
    /// The values as last loaded or flushed, captured on the first write after that.
    /// Boxed: most instances never get one, and a smaller instance is cheaper to load.
    snapshot: Mutex<Option<Box<M>>>,
    modified: AtomicBool,
    /// The data may be out of date: the next access reloads it (see `Session::expire`).
    expired: AtomicBool,
    state: StateCell,
    pub(super) session: Mutex<Weak<SessionShared>>,
    key: Mutex<Option<IdentityKey>>,
    /// The relationship links made while in no session; `in_graph` says, without a
    /// lock, whether there is one (checked when a handle is dropped).
    pub(super) graph: Mutex<Option<Arc<TransientGraph>>>,
    pub(super) in_graph: AtomicBool,
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
    /// The links this instance has while in no session.
    fn graph(&self) -> Option<Arc<TransientGraph>>;
    fn set_graph(&self, graph: Option<Arc<TransientGraph>>);
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
            graph: Mutex::new(None),
            in_graph: AtomicBool::new(false),
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
            graph: Mutex::new(None),
            in_graph: AtomicBool::new(false),
        }
    }

    /// Blocks until the data can be read: for the user's own guards only.
    pub(super) fn read(&self) -> RwLockReadGuard<'_, M> {
        self.data.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// Blocks until the data can be written: for the user's own guards only.
    pub(super) fn write(&self) -> RwLockWriteGuard<'_, M> {
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
    pub(super) fn touch_with(&self, data: &M) -> bool {
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

    fn graph(&self) -> Option<Arc<TransientGraph>> {
        if !self.in_graph.load(Ordering::Acquire) {
            return None;
        }
        lock(&self.graph).clone()
    }

    fn set_graph(&self, graph: Option<Arc<TransientGraph>>) {
        let mut slot = lock(&self.graph);
        self.in_graph.store(graph.is_some(), Ordering::Release);
        *slot = graph;
    }

    fn into_any(self: Arc<Self>) -> Arc<dyn Any + Send + Sync> {
        self
    }
}
