//! [`RoutedConnection`]: the engine's decisions about one user's or session's
//! connection, written once as `async fn`s over the pools' connections. Every
//! statement passes through the engine's log; a session's transaction begins
//! lazily on the server its first statement goes to; reads go to a replica while
//! the route allows; a transaction left open is rolled back before the connection
//! goes back to the pool. The blocking [`EngineConnection`](super::EngineConnection)
//! and the session's core both drive it.

use super::checkout::PooledConnection;
use super::engine::Engine;
use super::routing::{classify, contains_keyword, Kind, Route, ServerRole};
use super::AsyncConnection;
use crate::dialect::{Dialect, TransactionOp};
use crate::error::Result;
use crate::row::Row;
use crate::util::drive::poll_once;
use crate::value::Value;

/// Whether a transaction may be open on a pooled connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tx {
    /// Known to be outside any transaction.
    Clean,
    /// A transaction this connection began is open.
    Open,
    /// Plain SQL ran since the last commit or rollback: it may have begun one.
    Unknown,
}

/// One checked-out connection and what is known about it.
struct Slot {
    conn: Box<dyn PooledConnection>,
    role: ServerRole,
    tx: Tx,
    /// A statement that may write ran since the last recorded log position.
    wrote: bool,
}

/// Which of the two slots a statement uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Which {
    Primary,
    Replica,
}

/// A connection of an [`Engine`]: a plain one (always the primary, checked out at
/// once) or a session's (routed, checked out at its first statement).
pub(crate) struct RoutedConnection {
    engine: Engine,
    /// `None` for a plain connection (always the primary); the route for a session's.
    route: Option<Route>,
    primary: Option<Slot>,
    replica: Option<Slot>,
    /// A session's connection: `begin()` was called and the transaction is not over.
    in_tx: bool,
}

impl RoutedConnection {
    /// A plain connection: the primary's, checked out now.
    pub(crate) async fn plain(engine: Engine) -> Result<RoutedConnection> {
        let conn = engine.inner.primary.checkout().await?;
        Ok(RoutedConnection {
            engine,
            route: None,
            primary: Some(Slot::new(conn, ServerRole::Primary)),
            replica: None,
            in_tx: false,
        })
    }

    /// A session's connection: nothing is checked out until its first statement.
    pub(crate) fn routed(engine: Engine, route: Route) -> RoutedConnection {
        RoutedConnection {
            engine,
            route: Some(route),
            primary: None,
            replica: None,
            in_tx: false,
        }
    }

    pub(crate) fn engine(&self) -> &Engine {
        &self.engine
    }

    pub(crate) fn dialect(&self) -> &dyn Dialect {
        self.engine.dialect()
    }

    /// Changes where the following statements go (a session's connection only).
    pub(crate) fn set_route(&mut self, route: Route) {
        if self.route.is_some() {
            self.route = Some(route);
        }
    }

    /// The current route (`Route::Primary` for a plain connection).
    pub(crate) fn route(&self) -> Route {
        self.route.unwrap_or(Route::Primary)
    }

    /// Where a statement of `kind` goes.
    fn target(&self, kind: Kind) -> Which {
        match (self.route(), kind) {
            (Route::Primary, _) | (_, Kind::Write) | (Route::Auto, Kind::Cursor) => Which::Primary,
            (Route::Auto, Kind::Read) if self.primary.is_some() => Which::Primary,
            _ => Which::Replica,
        }
    }

    /// Makes sure the connection for `sql` is checked out (and in the transaction,
    /// if one was begun), and says which it is.
    async fn prepare(&mut self, sql: &str) -> Result<Which> {
        if !self.engine.has_replicas() {
            self.ensure_primary().await?;
            return Ok(Which::Primary);
        }
        let kind = classify(sql);
        if self.route.is_some()
            && self.target(kind) == Which::Replica
            && self.ensure_replica().await?
        {
            return Ok(Which::Replica);
        }
        self.ensure_primary().await?;
        if let Some(p) = self.primary.as_mut() {
            p.wrote |= kind != Kind::Read;
        }
        Ok(Which::Primary)
    }

    async fn ensure_primary(&mut self) -> Result<()> {
        if self.route == Some(Route::Auto) && self.replica.is_some() {
            self.end_replica().await;
        }
        if self.primary.is_none() {
            let conn = self.engine.inner.primary.checkout().await?;
            self.primary = Some(Slot::new(conn, ServerRole::Primary));
        }
        if self.in_tx {
            let engine = &self.engine;
            let slot = self.primary.as_mut().expect("primary was just checked out");
            slot.begin_if_clean(engine).await?;
        }
        Ok(())
    }

    /// Checks out a replica that can serve this engine's reads; false when none can.
    async fn ensure_replica(&mut self) -> Result<bool> {
        if self.replica.is_none() {
            let required = self.engine.last_commit_position();
            let found = self.engine.inner.replicas.checkout_for_read(required).await;
            let Some((i, conn)) = found else {
                return Ok(false);
            };
            self.replica = Some(Slot::new(conn, ServerRole::Replica(i)));
        }
        if self.in_tx {
            let engine = &self.engine;
            let slot = self.replica.as_mut().expect("replica was just checked out");
            slot.begin_if_clean(engine).await?;
        }
        Ok(true)
    }

    /// Ends the replica's read-only transaction and gives the connection back.
    async fn end_replica(&mut self) {
        if let Some(mut slot) = self.replica.take() {
            if slot.tx != Tx::Clean {
                let _ = slot.finish(&self.engine, TransactionOp::Commit).await;
            }
        }
    }

    /// The engine and the slot `which`, borrowed apart.
    fn parts(&mut self, which: Which) -> (&Engine, &mut Slot) {
        let slot = match which {
            Which::Primary => self.primary.as_mut(),
            Which::Replica => self.replica.as_mut(),
        };
        (
            &self.engine,
            slot.expect("prepare() checked the connection out"),
        )
    }

    /// Before a statement: checks its parameter count, picks and prepares its
    /// connection, and logs it.
    pub(super) async fn start(&mut self, sql: &str, params: &[Value]) -> Result<Which> {
        self.dialect().check_params(params.len())?;
        let which = self.prepare(sql).await?;
        let (engine, slot) = self.parts(which);
        engine.emit(sql, params, slot.role);
        if slot.tx == Tx::Clean && may_open_transaction(sql) {
            slot.tx = Tx::Unknown;
        }
        Ok(which)
    }

    /// The connection a started statement runs on.
    fn conn(&mut self, which: Which) -> &mut dyn AsyncConnection {
        self.parts(which).1.conn.connection()
    }

    /// The pooled connection a started statement runs on.
    pub(super) fn pooled(&mut self, which: Which) -> &mut dyn PooledConnection {
        &mut *self.parts(which).1.conn
    }

    /// After a statement outside a transaction that may have written: remembers the
    /// log position (engines with replicas), for read-your-writes.
    async fn done(&mut self, which: Which, ok: bool) {
        let (engine, slot) = self.parts(which);
        if slot.wrote && slot.tx != Tx::Open && ok {
            slot.record_position(engine).await;
        }
    }

    /// Runs plain SQL with bind parameters; returns the affected row count.
    pub(crate) async fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let which = self.start(sql, params).await?;
        let result = self.conn(which).execute(sql, params).await;
        self.done(which, result.is_ok()).await;
        result
    }

    /// Runs a plain SQL query with bind parameters; returns all rows.
    pub(crate) async fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let which = self.start(sql, params).await?;
        let result = self.conn(which).query(sql, params).await;
        self.done(which, result.is_ok()).await;
        result
    }

    /// Runs a plain SQL query, handing each row to `f` as it is decoded.
    pub(crate) async fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut super::RowSink<'_>,
    ) -> Result<()> {
        let which = self.start(sql, params).await?;
        let result = self.conn(which).query_each(sql, params, f).await;
        self.done(which, result.is_ok()).await;
        result
    }

    /// Runs one or more parameterless statements.
    pub(crate) async fn batch_execute(&mut self, sql: &str) -> Result<()> {
        let which = self.start(sql, &[]).await?;
        let result = self.conn(which).batch_execute(sql).await;
        self.done(which, result.is_ok()).await;
        result
    }

    /// Starts a transaction. On a session's connection the `BEGIN` is sent with the
    /// first statement, to the server that statement goes to.
    pub(crate) async fn begin(&mut self) -> Result<()> {
        if self.route.is_some() {
            self.in_tx = true;
            return Ok(());
        }
        let (engine, slot) = self.parts(Which::Primary);
        slot.send(engine, TransactionOp::Begin).await?;
        slot.tx = Tx::Open;
        Ok(())
    }

    /// Commits the transaction.
    pub(crate) async fn commit(&mut self) -> Result<()> {
        self.end(TransactionOp::Commit).await
    }

    /// Rolls the transaction back.
    pub(crate) async fn rollback(&mut self) -> Result<()> {
        self.end(TransactionOp::Rollback).await
    }

    /// Ends the transaction on every server it touched (a plain connection always
    /// sends the statement, as asked).
    async fn end(&mut self, op: TransactionOp<'_>) -> Result<()> {
        self.in_tx = false;
        if let Some(mut r) = self.replica.take() {
            if r.tx != Tx::Clean {
                r.finish(&self.engine, op).await?;
            }
        }
        let plain = self.route.is_none();
        let engine = &self.engine;
        match self.primary.as_mut() {
            Some(p) if plain || p.tx != Tx::Clean => p.finish(engine, op).await,
            _ => Ok(()),
        }
    }

    async fn savepoint_op(&mut self, op: TransactionOp<'_>) -> Result<()> {
        self.ensure_primary().await?;
        let (engine, slot) = self.parts(Which::Primary);
        slot.wrote = true;
        slot.send(engine, op).await
    }

    /// Creates a savepoint (on the primary: the transaction moves there).
    pub(crate) async fn savepoint(&mut self, name: &str) -> Result<()> {
        self.savepoint_op(TransactionOp::Savepoint(name)).await
    }

    /// Releases a savepoint.
    pub(crate) async fn release_savepoint(&mut self, name: &str) -> Result<()> {
        self.savepoint_op(TransactionOp::ReleaseSavepoint(name))
            .await
    }

    /// Rolls back to a savepoint.
    pub(crate) async fn rollback_to_savepoint(&mut self, name: &str) -> Result<()> {
        self.savepoint_op(TransactionOp::RollbackToSavepoint(name))
            .await
    }

    /// True once a connection in use is known to be unusable.
    pub(crate) fn is_closed(&self) -> bool {
        [&self.primary, &self.replica]
            .into_iter()
            .flatten()
            .any(|s| s.conn.is_closed())
    }
}

impl Slot {
    fn new(conn: Box<dyn PooledConnection>, role: ServerRole) -> Slot {
        Slot {
            conn,
            role,
            tx: Tx::Clean,
            wrote: false,
        }
    }

    /// Logs and sends a transaction-control statement.
    async fn send(&mut self, engine: &Engine, op: TransactionOp<'_>) -> Result<()> {
        let sql = engine.dialect().transaction_sql(op);
        engine.emit(&sql, &[], self.role);
        self.conn.connection().transaction(op).await
    }

    async fn begin_if_clean(&mut self, engine: &Engine) -> Result<()> {
        if self.tx == Tx::Clean {
            self.send(engine, TransactionOp::Begin).await?;
            self.tx = Tx::Open;
        }
        Ok(())
    }

    /// Commits or rolls back; after a commit that wrote, remembers the log position
    /// (engines with replicas only), for read-your-writes.
    async fn finish(&mut self, engine: &Engine, op: TransactionOp<'_>) -> Result<()> {
        let result = self.send(engine, op).await;
        self.tx = Tx::Clean;
        if result.is_ok() && self.wrote && op == TransactionOp::Commit {
            self.record_position(engine).await;
        }
        if op == TransactionOp::Rollback {
            self.wrote = false;
        }
        result
    }

    async fn record_position(&mut self, engine: &Engine) {
        self.wrote = false;
        if !engine.has_replicas() {
            return;
        }
        match self.conn.connection().log_position().await {
            Ok(Some(p)) => engine.note_commit_position(p),
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(target: "orm::replica", error = %e, "could not read the primary's log position; replicas may serve reads older than this commit");
            }
        }
    }

    /// Rolls back whatever may be open, before the connection goes back to the pool,
    /// without waiting: a blocking connection rolls back at once; a rollback that
    /// cannot complete at once (an asynchronous connection), or fails, leaves the
    /// connection to be discarded instead.
    fn reset(&mut self, engine: &Engine) {
        if self.tx == Tx::Clean || self.conn.is_closed() {
            return;
        }
        match poll_once(self.send(engine, TransactionOp::Rollback)) {
            Some(Ok(())) => {}
            Some(Err(_)) | None => self.conn.discard(),
        }
        self.tx = Tx::Clean;
    }
}

/// True when plain SQL may leave a transaction block open: only `BEGIN`,
/// `START TRANSACTION` and `COMMIT/ROLLBACK AND CHAIN` open one (anything else
/// runs in its own implicit transaction). A false positive costs one ROLLBACK
/// when the connection goes back to the pool; there are no false negatives.
fn may_open_transaction(sql: &str) -> bool {
    ["BEGIN", "START", "CHAIN"]
        .iter()
        .any(|k| contains_keyword(sql, k))
}

impl Drop for RoutedConnection {
    fn drop(&mut self) {
        for slot in [self.replica.as_mut(), self.primary.as_mut()]
            .into_iter()
            .flatten()
        {
            slot.reset(&self.engine);
        }
    }
}
