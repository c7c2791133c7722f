//! [`SessionState`]: everything a session holds behind its lock, and the operations on it.

use super::identity_map::{IdentityKey, IdentityMap};
use super::transaction::{TxLogEntry, TxState};
use super::{downcast, AnyInstance, Handle, InstanceState, SessionShared};
use crate::connection::{BoxFuture, RoutedConnection};
use crate::dialect::Compiled;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::row::Row;
use crate::statement::{select_by_primary_key, Statement};
use crate::value::Value;
use std::any::TypeId;
use std::sync::Arc;

/// A many-to-one link: `child`'s foreign-key columns take `parent`'s key at flush.
pub(crate) struct Link {
    pub(crate) child: Arc<dyn AnyInstance>,
    pub(crate) child_columns: Arc<[usize]>,
    pub(crate) parent: Arc<dyn AnyInstance>,
    pub(crate) parent_columns: Arc<[usize]>,
}

/// Identifies a loaded collection: the parent instance and the relationship's columns
/// (the foreign key in the child table, or the association table's source columns).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct CollectionKey {
    pub(crate) parent: u64,
    pub(crate) table: &'static str,
    pub(crate) columns: Arc<[usize]>,
}

/// A pending change to a many-to-many association table.
pub(crate) struct AssociationOp {
    pub(crate) add: bool,
    pub(crate) def: &'static crate::relationship::RelationshipDef,
    pub(crate) parent: Arc<dyn AnyInstance>,
    pub(crate) child: Arc<dyn AnyInstance>,
}

/// Everything behind the session's lock.
pub(crate) struct SessionState {
    pub(crate) conn: Option<RoutedConnection>,
    pub(crate) tx: TxState,
    pub(crate) identity: IdentityMap,
    /// Added, not yet inserted, in add order.
    pub(crate) pending: Vec<Arc<dyn AnyInstance>>,
    /// Marked for deletion, not yet flushed.
    pub(crate) deleted: Vec<Arc<dyn AnyInstance>>,
    /// What flushes did in the current transaction, oldest first.
    pub(crate) tx_log: Vec<TxLogEntry>,
    /// Open savepoints: name and the `tx_log` length when each began.
    pub(crate) savepoints: Vec<(String, usize)>,
    pub(crate) links: super::links::Links,
    /// Loaded collections (one-to-many and many-to-many), children in order.
    pub(crate) collections: rustc_hash::FxHashMap<CollectionKey, Vec<Arc<dyn AnyInstance>>>,
    /// Association-table rows to insert or delete at the next flush.
    pub(crate) association_ops: Vec<AssociationOp>,
    pub(crate) autoflush: bool,
    /// Where this session's statements go when the engine has replicas.
    pub(crate) route: crate::connection::Route,
    /// Whether `commit()` expires every instance (off by default; see `expire.rs`).
    pub(crate) expire_on_commit: bool,
    counter: u64,
}

impl SessionState {
    pub(crate) fn new() -> Self {
        SessionState {
            conn: None,
            tx: TxState::Idle,
            identity: IdentityMap::default(),
            pending: Vec::new(),
            deleted: Vec::new(),
            tx_log: Vec::new(),
            savepoints: Vec::new(),
            links: super::links::Links::default(),
            collections: rustc_hash::FxHashMap::default(),
            association_ops: Vec::new(),
            autoflush: true,
            route: crate::connection::Route::default(),
            expire_on_commit: false,
            counter: 0,
        }
    }

    pub(crate) fn next_name(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}_{}", self.counter)
    }

    pub(crate) fn add_pending(&mut self, shared: &Arc<SessionShared>, inst: Arc<dyn AnyInstance>) {
        inst.attach(Arc::downgrade(shared));
        inst.set_state(InstanceState::Pending);
        self.pending.push(inst);
    }

    pub(crate) async fn attach(
        &mut self,
        shared: &Arc<SessionShared>,
        inst: Arc<dyn AnyInstance>,
    ) -> Result<()> {
        if let Some(owner) = inst.session() {
            return if Arc::ptr_eq(&owner, shared) {
                Ok(())
            } else {
                Err(Error::InvalidRequest(format!(
                    "instance of `{}` is already attached to another session; expunge it there first",
                    inst.table().name
                )))
            };
        }
        if let Some(graph) = inst.graph() {
            return self.join_graph(shared, &graph, &inst).await;
        }
        self.attach_one(shared, inst)
    }

    /// Attaches `inst` alone: a transient one becomes pending, a detached one persistent.
    pub(crate) fn attach_one(
        &mut self,
        shared: &Arc<SessionShared>,
        inst: Arc<dyn AnyInstance>,
    ) -> Result<()> {
        match inst.state() {
            InstanceState::Transient | InstanceState::Pending => {
                self.add_pending(shared, inst);
                Ok(())
            }
            _ => self.reattach(shared, inst),
        }
    }

    /// Fails if `inst` could not be attached: a detached instance whose identity another
    /// instance of this session already has.
    pub(crate) fn check_attachable(&self, inst: &Arc<dyn AnyInstance>) -> Result<()> {
        match inst.state() {
            InstanceState::Transient | InstanceState::Pending => Ok(()),
            _ => self.free_identity(inst).map(drop),
        }
    }

    /// The identity key a detached `inst` comes back under, if no instance has it.
    fn free_identity(&self, inst: &Arc<dyn AnyInstance>) -> Result<IdentityKey> {
        let pk = match inst.changes()? {
            Some((_, old_key)) => old_key,
            None => inst.primary_key()?,
        };
        let key = IdentityKey::new(inst.model_type(), &pk).ok_or_else(|| {
            Error::InvalidRequest(
                "a detached instance without a primary key cannot be attached".into(),
            )
        })?;
        if self.identity.get(&key).is_some() {
            return Err(Error::InvalidRequest(format!(
                "another instance with the same primary key is already in this session (table `{}`)",
                inst.table().name
            )));
        }
        Ok(key)
    }

    /// Makes a detached instance persistent in this session again. Changes made while
    /// it was detached (or before it was expunged) are written at the next flush: the
    /// instance kept its snapshot, and joins the session's modified list.
    fn reattach(&mut self, shared: &Arc<SessionShared>, inst: Arc<dyn AnyInstance>) -> Result<()> {
        let key = self.free_identity(&inst)?;
        inst.attach(Arc::downgrade(shared));
        inst.set_state(InstanceState::Persistent);
        inst.set_identity_key(Some(key.clone()));
        self.identity.insert(key, &inst);
        if inst.is_modified() {
            shared.note_modified(inst);
        }
        Ok(())
    }

    /// The handle for `row` (a full row of `M`, columns in table order): the identity
    /// map's instance if the row is loaded (left as it is unless `overwrite`), else a new one.
    pub(crate) fn materialize<M: Model>(
        &mut self,
        shared: &Arc<SessionShared>,
        mut row: Row,
        overwrite: bool,
    ) -> Result<Handle<M>> {
        self.materialize_at(shared, &mut row, 0, overwrite)
    }

    /// [`materialize`](Self::materialize) for the columns of `M` starting at `offset`
    /// (joined rows); the row's other values stay in place.
    pub(crate) fn materialize_at<M: Model>(
        &mut self,
        shared: &Arc<SessionShared>,
        row: &mut Row,
        offset: usize,
        overwrite: bool,
    ) -> Result<Handle<M>> {
        self.identity.materialize_at(shared, row, offset, overwrite)
    }

    /// Runs a query, handing each row to `f` as it is decoded (one reused row buffer):
    /// no `Vec` of every row is built.
    pub(crate) async fn query_each(
        &mut self,
        shared: &SessionShared,
        c: &Compiled,
        f: &mut (dyn FnMut(&mut IdentityMap, &mut Row) -> Result<()> + Send),
    ) -> Result<()> {
        self.connection(shared).await?;
        let SessionState { conn, identity, .. } = self;
        let conn = conn.as_mut().expect("connection is open");
        let result = conn
            .query_each(&c.sql, &c.params, &mut |row| f(identity, row))
            .await;
        if let Err(e) = &result {
            self.note_failure(e);
        }
        result
    }

    pub(crate) async fn get<M: Model>(
        &mut self,
        shared: &Arc<SessionShared>,
        pk: Vec<Value>,
    ) -> Result<Option<Handle<M>>> {
        self.tx.check_usable()?;
        let table = M::table();
        if pk.len() != table.primary_key_indices().len() {
            return Err(Error::InvalidRequest(format!(
                "table `{}` has {} primary-key column(s), got {} value(s)",
                table.name,
                table.primary_key_indices().len(),
                pk.len()
            )));
        }
        let key = IdentityKey::new(TypeId::of::<M>(), &pk)
            .ok_or_else(|| Error::InvalidRequest("a primary key cannot be NULL".into()))?;
        if let Some(existing) = self.identity.get(&key) {
            if existing.state() == InstanceState::Deleted {
                return Ok(None);
            }
            if existing.is_expired() {
                // SQLAlchemy's get() of an expired object: reload it; gone if its row is.
                return match self.reload(shared, &existing).await {
                    Ok(()) => Ok(Some(Handle::from_instance(downcast::<M>(existing)?))),
                    Err(Error::NoResultFound(_)) => Ok(None),
                    Err(e) => Err(e),
                };
            }
            return Ok(Some(Handle::from_instance(downcast::<M>(existing)?)));
        }
        self.autoflush(shared).await?;
        let compiled = shared
            .engine
            .dialect()
            .compile(&Statement::Select(select_by_primary_key(table, &pk)));
        let mut rows = self.query(shared, &compiled).await?;
        match rows.len() {
            0 => Ok(None),
            1 => self.materialize(shared, rows.remove(0), false).map(Some),
            n => Err(Error::MultipleResultsFound(format!(
                "{n} rows in `{}` share one primary key",
                table.name
            ))),
        }
    }

    pub(crate) async fn delete(
        &mut self,
        shared: &Arc<SessionShared>,
        inst: Arc<dyn AnyInstance>,
    ) -> Result<()> {
        self.tx.check_usable()?;
        if !inst.session().is_some_and(|s| Arc::ptr_eq(&s, shared)) {
            return Err(Error::InvalidRequest(format!(
                "instance of `{}` is not in this session",
                inst.table().name
            )));
        }
        match inst.state() {
            InstanceState::Pending => self.expunge(&inst),
            InstanceState::Persistent => {
                self.cascade_delete(shared, &inst).await?;
                inst.set_state(InstanceState::Deleted);
                self.deleted.push(inst);
            }
            _ => {}
        }
        Ok(())
    }

    /// [`delete`](Self::delete) as a boxed future: deleting cascades to children,
    /// which is recursion.
    pub(crate) fn delete_boxed<'a>(
        &'a mut self,
        shared: &'a Arc<SessionShared>,
        inst: Arc<dyn AnyInstance>,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(self.delete(shared, inst))
    }

    pub(crate) fn expunge(&mut self, inst: &Arc<dyn AnyInstance>) {
        let id = inst.id();
        self.pending.retain(|p| p.id() != id);
        self.deleted.retain(|p| p.id() != id);
        self.links
            .retain(|l| l.child.id() != id && l.parent.id() != id);
        self.collections.retain(|k, _| k.parent != id);
        for children in self.collections.values_mut() {
            children.retain(|c| c.id() != id);
        }
        if let Some(key) = inst.identity_key() {
            self.identity.remove(&key);
        }
        let next = match inst.state() {
            InstanceState::Pending | InstanceState::Transient => InstanceState::Transient,
            _ => InstanceState::Detached,
        };
        inst.detach();
        if next == InstanceState::Transient {
            inst.mark_clean();
        }
        inst.set_state(next);
    }

    pub(crate) fn expunge_all(&mut self) {
        for inst in self.identity.drain() {
            inst.detach();
            inst.set_state(InstanceState::Detached);
        }
        for inst in std::mem::take(&mut self.pending) {
            inst.detach();
            inst.set_state(InstanceState::Transient);
        }
        self.deleted.clear();
        self.links.clear();
        self.collections.clear();
        self.association_ops.clear();
        self.tx_log.clear();
    }

    pub(crate) async fn refresh(
        &mut self,
        shared: &Arc<SessionShared>,
        inst: &Arc<dyn AnyInstance>,
    ) -> Result<()> {
        self.tx.check_usable()?;
        if inst.state() != InstanceState::Persistent {
            return Err(Error::InvalidRequest(format!(
                "only a persistent instance can be refreshed (this `{}` is {:?})",
                inst.table().name,
                inst.state()
            )));
        }
        inst.check_free(true)?;
        let table = inst.table();
        let compiled = shared
            .engine
            .dialect()
            .compile(&Statement::Select(select_by_primary_key(
                table,
                &inst.primary_key()?,
            )));
        let mut rows = self.query(shared, &compiled).await?;
        let mut row = rows.pop().ok_or_else(|| {
            Error::NoResultFound(format!(
                "the row of this `{}` instance no longer exists",
                table.name
            ))
        })?;
        inst.load_values(&mut row, 0)
    }

    /// Checks out a connection and begins a transaction if none is open.
    pub(crate) async fn connection(
        &mut self,
        shared: &SessionShared,
    ) -> Result<&mut RoutedConnection> {
        self.tx.check_usable()?;
        if self.conn.is_none() {
            self.conn = Some(RoutedConnection::routed(shared.engine.clone(), self.route));
        }
        let conn = self.conn.as_mut().expect("connection was just checked out");
        if self.tx == TxState::Idle {
            if let Err(e) = conn.begin().await {
                self.conn = None;
                return Err(e);
            }
            self.tx = TxState::Active;
        }
        Ok(self.conn.as_mut().expect("connection was just checked out"))
    }

    /// A server-side failure aborts the transaction: the session then needs `rollback()`.
    pub(crate) fn note_failure(&mut self, err: &Error) {
        let server_side = err.db_info().is_some()
            || matches!(
                err,
                Error::ConnectionLost(_) | Error::Driver(_) | Error::Timeout { .. }
            );
        if server_side && self.tx == TxState::Active {
            self.tx = TxState::PendingRollback(err.to_string());
        }
    }

    pub(crate) async fn execute(&mut self, shared: &SessionShared, c: &Compiled) -> Result<u64> {
        let result = self
            .connection(shared)
            .await?
            .execute(&c.sql, &c.params)
            .await;
        if let Err(e) = &result {
            self.note_failure(e);
        }
        result
    }

    pub(crate) async fn query(&mut self, shared: &SessionShared, c: &Compiled) -> Result<Vec<Row>> {
        let result = self
            .connection(shared)
            .await?
            .query(&c.sql, &c.params)
            .await;
        if let Err(e) = &result {
            self.note_failure(e);
        }
        result
    }

    /// Flushes if autoflush is on and anything waits to be written.
    pub(crate) async fn autoflush(&mut self, shared: &Arc<SessionShared>) -> Result<()> {
        self.tx.check_usable()?;
        if self.autoflush && self.has_changes(shared) {
            self.flush(shared).await?;
        }
        Ok(())
    }

    pub(crate) fn has_changes(&self, shared: &SessionShared) -> bool {
        !self.pending.is_empty() || !self.deleted.is_empty() || shared.has_modified()
    }

    /// (Re)inserts a persistent instance into the identity map under its current key
    /// (left under its old key if a guard taken meanwhile on another thread hides it).
    pub(crate) fn rekey(&mut self, inst: &Arc<dyn AnyInstance>) {
        let Ok(pk) = inst.primary_key() else {
            return;
        };
        if let Some(old) = inst.identity_key() {
            self.identity.remove(&old);
        }
        let key = IdentityKey::new(inst.model_type(), &pk);
        inst.set_identity_key(key.clone());
        if let Some(k) = key {
            self.identity.insert(k, inst);
        }
    }

    /// The loaded instance of `M` with primary key `key`, if any.
    pub(crate) fn lookup<M: Model>(&self, key: &[Value]) -> Option<Arc<dyn AnyInstance>> {
        self.lookup_key(TypeId::of::<M>(), key)
    }

    /// The loaded instance of the model `model` with primary key `key`, if any.
    pub(crate) fn lookup_key(&self, model: TypeId, key: &[Value]) -> Option<Arc<dyn AnyInstance>> {
        IdentityKey::new(model, key).and_then(|k| self.identity.get(&k))
    }
}

impl Drop for SessionState {
    /// Rolls back an open transaction. Instances are not visited: a handle whose
    /// session is gone reports itself detached (see `Handle::state`). A rollback
    /// that cannot complete at once (an asynchronous connection) is left to the
    /// connection's own reset, which discards it rather than wait.
    fn drop(&mut self) {
        if let Some(conn) = self.conn.as_mut() {
            if self.tx != TxState::Idle && !conn.is_closed() {
                let _ = crate::util::drive::poll_once(conn.rollback());
            }
        }
    }
}
