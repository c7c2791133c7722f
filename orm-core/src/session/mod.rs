//! The [`Session`]: identity map, change tracking, unit-of-work flush and the
//! transaction, as in SQLAlchemy's ORM.
//!
//! # Transactions and failures
//! A session begins a transaction on first use ("autobegin") and keeps one pooled
//! connection until [`commit`](Session::commit), [`rollback`](Session::rollback) or
//! [`close`](Session::close). If a flush fails, the transaction is rolled back on the
//! server at once, the in-memory changes that flush made (generated keys, defaults)
//! are undone, and every call returns [`Error::PendingRollback`] until `rollback()`.
//!
//! # What `rollback()` does to instances
//! Every instance goes back to the state it had when the transaction began, without
//! querying: instances inserted in the transaction and instances still pending become
//! [`InstanceState::Transient`] (their database-generated keys cleared), deleted ones
//! become persistent again, and persistent ones get back the values they had before
//! the transaction's flushes and unflushed changes.
//!
//! # How an operation runs
//! Every operation that talks to the database (flush, commit, `get`, a query, a
//! relationship load) is an `async fn` on the session's state, written once. The
//! blocking methods here run it with `SessionShared::run`: the state locked, the
//! future polled once; over blocking connections every step is complete when
//! returned, so that one poll runs the whole operation on the calling thread
//! (`docs/ARCHITECTURE.md`, decisions 64–68).

mod accessors;
mod association;
mod expire;
mod flush_plan;
mod handle;
mod identity_map;
mod instance;
mod instance_state;
mod key_cascade;
mod lifecycle;
mod links;
mod merge;
mod persistence;
mod routing;
mod savepoint;
mod state;
mod transaction;
mod unit_of_work;
mod upsert;
mod validate;

pub use accessors::{Accessors, HandleCore};
pub use handle::{Handle, Ref, RefMut, WeakHandle};
pub use instance_state::InstanceState;
pub use savepoint::Savepoint;
pub use upsert::OnConflictDo;

pub(crate) use identity_map::IdentityKey as GroupKey;
pub(crate) use identity_map::IdentityMap;
pub(crate) use instance::{AnyInstance, Instance};
pub(crate) use state::{AssociationOp, CollectionKey, Link, SessionState};
pub(crate) use transaction::TxLogEntry;

use crate::connection::Engine;
use crate::dialect::Compiled;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::row::Row;
use crate::util::drive::drive;
use crate::value::Value;
use std::sync::{Arc, Mutex, PoisonError};

/// State shared between a [`Session`] and the handles it gave out (handles hold it weakly).
///
/// The state's lock is `parking_lot`'s, whose guard is `Send`: an operation of the
/// core is an `async fn` on `&mut SessionState`, and a future that holds the guard
/// across its awaits can move between the threads of a runtime (the blocking API
/// holds it for one poll, see [`SessionShared::run`]). The guard is never held
/// across an await of anything but the session's own I/O.
pub(crate) struct SessionShared {
    pub(crate) engine: Engine,
    state: parking_lot::Mutex<SessionState>,
    modified: Mutex<Vec<Arc<dyn AnyInstance>>>,
}

impl SessionShared {
    pub(crate) fn lock(&self) -> parking_lot::MutexGuard<'_, SessionState> {
        self.state.lock()
    }

    /// Runs one operation of the core for the blocking API: the state locked, the
    /// operation's future polled once (over blocking connections every step is
    /// ready; see `util/drive.rs`).
    pub(crate) fn run<T>(
        self: &Arc<Self>,
        op: impl AsyncFnOnce(&mut SessionState, &Arc<SessionShared>) -> Result<T>,
    ) -> Result<T> {
        let mut st = self.lock();
        drive(op(&mut st, self))
    }

    /// Records that `inst` was written to since the last flush.
    pub(crate) fn note_modified(&self, inst: Arc<dyn AnyInstance>) {
        self.modified
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(inst);
    }

    pub(crate) fn take_modified(&self) -> Vec<Arc<dyn AnyInstance>> {
        std::mem::take(&mut *self.modified.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The instances written to since the last flush (a copy of the list).
    pub(crate) fn modified_list(&self) -> Vec<Arc<dyn AnyInstance>> {
        self.modified
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn has_modified(&self) -> bool {
        !self
            .modified
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty()
    }
}

/// A unit of work over one database transaction: an identity map of the instances
/// it loaded or was given, their changes, and the connection that writes them.
///
/// `Session` is `Send` (it may move between threads) and used by one thread at a time.
///
/// ```
/// # tests::doc_blog!();
/// # fn main() -> orm_core::Result<()> {
/// # let db = blog_db("doc_session");
/// # let engine = &db.engine;
/// let session = engine.session();
/// let handle = session.add(Author { name: "Sam".into(), ..Default::default() });
/// session.commit()?;
/// assert_eq!(handle.id(), Some(3));
/// # Ok(()) }
/// ```
pub struct Session {
    shared: Arc<SessionShared>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let st = self.shared.lock();
        write!(
            f,
            "Session(identity_map={}, pending={}, tx={:?})",
            st.identity.len(),
            st.pending.len(),
            st.tx
        )
    }
}

impl Engine {
    /// A new session on this engine (SQLAlchemy's `Session(bind=engine)`); no I/O yet.
    pub fn session(&self) -> Session {
        Session::new(self)
    }
}

impl Session {
    /// A new session on `engine`; it connects on first use.
    pub fn new(engine: &Engine) -> Session {
        Session {
            shared: Arc::new(SessionShared {
                engine: engine.clone(),
                state: parking_lot::Mutex::new(SessionState::new()),
                modified: Mutex::new(Vec::new()),
            }),
        }
    }

    pub(crate) fn shared(&self) -> &Arc<SessionShared> {
        &self.shared
    }

    /// The engine this session uses.
    pub fn engine(&self) -> &Engine {
        &self.shared.engine
    }

    /// Adds a new object; it is inserted at the next flush. Returns its handle.
    pub fn add<M: Model>(&self, model: M) -> Handle<M> {
        let inst = Arc::new(Instance::new(model, InstanceState::Pending));
        let handle = Handle::from_instance(inst);
        self.shared
            .lock()
            .add_pending(&self.shared, handle.erased());
        handle
    }

    /// Adds several new objects; returns their handles in order.
    pub fn add_all<M: Model>(&self, models: impl IntoIterator<Item = M>) -> Vec<Handle<M>> {
        let handles: Vec<Handle<M>> = models
            .into_iter()
            .map(|m| Handle::from_instance(Arc::new(Instance::new(m, InstanceState::Pending))))
            .collect();
        let mut st = self.shared.lock();
        for h in &handles {
            st.add_pending(&self.shared, h.erased());
        }
        handles
    }

    /// Attaches a transient or detached handle to this session (SQLAlchemy's `add()`
    /// of an existing object): a transient one becomes pending, a detached one
    /// persistent again (its identity must not be taken), and changes made to it while
    /// detached are written at the next flush. The objects linked to it before it had
    /// a session come along, both sides of each relationship in sync.
    pub fn attach<M: Model>(&self, handle: &Handle<M>) -> Result<()> {
        let inst = handle.erased();
        self.shared
            .run(async |st, shared| st.attach(shared, inst).await)
    }

    /// The instance's state as seen by this session.
    pub fn state<M: Model>(&self, handle: &Handle<M>) -> InstanceState {
        handle.state()
    }

    /// Whether `handle` belongs to this session.
    pub fn contains<M: Model>(&self, handle: &Handle<M>) -> bool {
        handle
            .instance_session()
            .is_some_and(|s| Arc::ptr_eq(&s, &self.shared))
    }

    /// The instance with primary key `pk`: from the identity map without SQL when it is
    /// loaded, otherwise by one SELECT. `None` when no such row exists.
    pub fn get<M: Model>(&self, pk: impl PrimaryKey) -> Result<Option<Handle<M>>> {
        let values = pk.into_values();
        self.shared
            .run(async |st, shared| st.get::<M>(shared, values).await)
    }

    /// Marks a persistent instance for deletion at the next flush (a pending one is
    /// simply expunged).
    pub fn delete<M: Model>(&self, handle: &Handle<M>) -> Result<()> {
        let inst = handle.erased();
        self.shared
            .run(async |st, shared| st.delete(shared, inst).await)
    }

    /// Removes the instance from the session without touching the database; it becomes
    /// detached (or transient, if it was pending).
    pub fn expunge<M: Model>(&self, handle: &Handle<M>) {
        self.shared.lock().expunge(&handle.erased());
    }

    /// Removes every instance from the session.
    pub fn expunge_all(&self) {
        self.shared.lock().expunge_all();
    }

    /// Reloads the instance's values from the database, discarding unflushed changes.
    pub fn refresh<M: Model>(&self, handle: &Handle<M>) -> Result<()> {
        let inst = handle.erased();
        self.shared
            .run(async |st, shared| st.refresh(shared, &inst).await)
    }

    /// Writes every pending change to the database (inside the transaction).
    pub fn flush(&self) -> Result<()> {
        self.shared.run(async |st, shared| st.flush(shared).await)
    }

    /// Flushes, then commits the transaction and returns the connection to the pool.
    pub fn commit(&self) -> Result<()> {
        self.shared.run(async |st, shared| st.commit(shared).await)
    }

    /// Rolls the transaction back; see the module docs for what happens to instances.
    pub fn rollback(&self) -> Result<()> {
        self.shared
            .run(async |st, shared| st.rollback(shared).await)
    }

    /// Rolls back and removes every instance from the session (they become detached).
    pub fn close(&self) -> Result<()> {
        self.shared.run(async |st, shared| {
            let result = st.rollback(shared).await;
            if let Err(e @ Error::InstanceBorrowed { .. }) = result {
                return Err(e);
            }
            st.expunge_all();
            result
        })
    }

    /// Starts a SAVEPOINT (SQLAlchemy's `begin_nested`); pending changes are flushed first.
    pub fn begin_nested(&self) -> Result<Savepoint<'_>> {
        let name = self
            .shared
            .run(async |st, shared| st.begin_savepoint(shared).await)?;
        Ok(Savepoint::new(self, name))
    }

    /// Whether queries flush pending changes first (on by default).
    pub fn set_autoflush(&self, on: bool) {
        self.shared.lock().autoflush = on;
    }

    /// Number of instances in the identity map.
    pub fn identity_map_len(&self) -> usize {
        self.shared.lock().identity.len()
    }

    /// Runs a compiled statement in the session's transaction (autoflushing first).
    pub fn execute_compiled(&self, compiled: &Compiled) -> Result<u64> {
        self.shared.run(async |st, shared| {
            st.autoflush(shared).await?;
            st.execute(shared, compiled).await
        })
    }

    /// Runs a compiled query in the session's transaction (autoflushing first).
    pub fn query_compiled(&self, compiled: &Compiled) -> Result<Vec<Row>> {
        self.shared.run(async |st, shared| {
            st.autoflush(shared).await?;
            st.query(shared, compiled).await
        })
    }

    /// Runs plain SQL with bind parameters in the session's transaction.
    pub fn execute_sql(&self, sql: &str, params: &[Value]) -> Result<u64> {
        self.execute_compiled(&Compiled {
            sql: sql.to_owned(),
            params: params.to_vec(),
        })
    }
}

impl<M: Model> Handle<M> {
    pub(crate) fn instance_session(&self) -> Option<Arc<SessionShared>> {
        self.erased().session()
    }
}

/// A primary-key value accepted by [`Session::get`]: a scalar, or a tuple for composite keys.
pub trait PrimaryKey {
    /// The key's values, in primary-key column order.
    fn into_values(self) -> Vec<Value>;
}

impl<T: Into<Value>> PrimaryKey for T {
    fn into_values(self) -> Vec<Value> {
        vec![self.into()]
    }
}

impl<A: Into<Value>, B: Into<Value>> PrimaryKey for (A, B) {
    fn into_values(self) -> Vec<Value> {
        vec![self.0.into(), self.1.into()]
    }
}

impl<A: Into<Value>, B: Into<Value>, C: Into<Value>> PrimaryKey for (A, B, C) {
    fn into_values(self) -> Vec<Value> {
        vec![self.0.into(), self.1.into(), self.2.into()]
    }
}

/// Recovers the typed instance behind a type-erased one.
pub(crate) fn downcast<M: Model>(inst: Arc<dyn AnyInstance>) -> Result<Arc<Instance<M>>> {
    inst.into_any().downcast::<Instance<M>>().map_err(|_| {
        Error::InvalidRequest("identity map holds another model under this key".into())
    })
}
