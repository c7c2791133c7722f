//! [`EngineConnection`]: what a user or a session holds while it talks to the
//! database. Every statement passes through the engine's log; a transaction left
//! open is rolled back before the connection goes back to the pool; a session's
//! connection picks the server (replica or primary) statement by statement.

use super::engine::Engine;
use super::pool::Checkout;
use super::routing::{classify, contains_keyword, Kind, Route, ServerRole};
use super::RowStream;
use crate::dialect::{Compiled, Dialect, TransactionOp};
use crate::error::Result;
use crate::row::Row;
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
    conn: Checkout,
    role: ServerRole,
    tx: Tx,
    /// A statement that may write ran since the last recorded log position.
    wrote: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Primary,
    Replica,
}

/// A connection checked out of an [`Engine`]; returned to the pool on drop.
///
/// Every statement goes through the engine's logging and listeners; one with more
/// bind parameters than the dialect's limit is refused first
/// ([`Error::TooManyParameters`](crate::Error::TooManyParameters)), never sent. Dropped with a
/// transaction open (or after plain SQL that may have opened one), it rolls back
/// first, so the next user of the pooled connection never inherits someone else's
/// transaction; if that rollback fails, the connection is discarded instead.
pub struct EngineConnection {
    engine: Engine,
    /// `None` for a plain connection (always the primary); the route for a session's.
    route: Option<Route>,
    primary: Option<Slot>,
    replica: Option<Slot>,
    /// A session's connection: `begin()` was called and the transaction is not over.
    in_tx: bool,
}

impl std::fmt::Debug for EngineConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "EngineConnection({})", self.engine.url())
    }
}

impl EngineConnection {
    pub(super) fn plain(engine: Engine, conn: Checkout) -> EngineConnection {
        EngineConnection {
            engine,
            route: None,
            primary: Some(Slot::new(conn, ServerRole::Primary)),
            replica: None,
            in_tx: false,
        }
    }

    pub(super) fn routed(engine: Engine, route: Route) -> EngineConnection {
        EngineConnection {
            engine,
            route: Some(route),
            primary: None,
            replica: None,
            in_tx: false,
        }
    }

    /// The engine this connection came from.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The dialect of this connection's engine.
    pub fn dialect(&self) -> &dyn Dialect {
        self.engine.dialect()
    }

    /// Changes where the following statements go (a session's connection only; a
    /// plain connection always uses the primary).
    pub fn set_route(&mut self, route: Route) {
        if self.route.is_some() {
            self.route = Some(route);
        }
    }

    /// The current route (`Route::Primary` for a plain connection).
    pub fn route(&self) -> Route {
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
    fn prepare(&mut self, sql: &str) -> Result<Which> {
        if !self.engine.has_replicas() {
            self.ensure_primary()?;
            return Ok(Which::Primary);
        }
        let kind = classify(sql);
        if self.route.is_some() && self.target(kind) == Which::Replica && self.ensure_replica()? {
            return Ok(Which::Replica);
        }
        self.ensure_primary()?;
        if let Some(p) = self.primary.as_mut() {
            p.wrote |= kind != Kind::Read;
        }
        Ok(Which::Primary)
    }

    fn ensure_primary(&mut self) -> Result<()> {
        if self.route == Some(Route::Auto) && self.replica.is_some() {
            self.end_replica();
        }
        if self.primary.is_none() {
            let conn = self.engine.inner.primary.checkout()?;
            self.primary = Some(Slot::new(conn, ServerRole::Primary));
        }
        if self.in_tx {
            let engine = &self.engine;
            let slot = self.primary.as_mut().expect("primary was just checked out");
            slot.begin_if_clean(engine)?;
        }
        Ok(())
    }

    /// Checks out a replica that can serve this engine's reads; false when none can.
    fn ensure_replica(&mut self) -> Result<bool> {
        if self.replica.is_none() {
            let required = self.engine.last_commit_position();
            let Some((i, conn)) = self.engine.inner.replicas.checkout_for_read(required) else {
                return Ok(false);
            };
            self.replica = Some(Slot::new(conn, ServerRole::Replica(i)));
        }
        if self.in_tx {
            let engine = &self.engine;
            let slot = self.replica.as_mut().expect("replica was just checked out");
            slot.begin_if_clean(engine)?;
        }
        Ok(true)
    }

    /// Ends the replica's read-only transaction and gives the connection back.
    fn end_replica(&mut self) {
        if let Some(mut slot) = self.replica.take() {
            if slot.tx != Tx::Clean {
                let _ = slot.finish(&self.engine, TransactionOp::Commit);
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

    /// Runs `f` on the connection for `sql`, logging the statement first.
    fn run<T>(
        &mut self,
        sql: &str,
        params: &[Value],
        f: impl FnOnce(&mut dyn super::Connection) -> Result<T>,
    ) -> Result<T> {
        self.dialect().check_params(params.len())?;
        let which = self.prepare(sql)?;
        let (engine, slot) = self.parts(which);
        engine.emit(sql, params, slot.role);
        if slot.tx == Tx::Clean && may_open_transaction(sql) {
            slot.tx = Tx::Unknown;
        }
        let result = f(&mut *slot.conn.conn);
        if slot.wrote && slot.tx != Tx::Open && result.is_ok() {
            slot.record_position(engine);
        }
        result
    }

    /// Runs plain SQL with bind parameters; returns the affected row count.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        self.run(sql, params, |c| c.execute(sql, params))
    }

    /// Runs a plain SQL query with bind parameters; returns all rows.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        self.run(sql, params, |c| c.query(sql, params))
    }

    /// Runs a plain SQL query, handing each row to `f` as it is decoded.
    pub fn query_each(
        &mut self,
        sql: &str,
        params: &[Value],
        f: &mut dyn FnMut(&mut Row) -> Result<()>,
    ) -> Result<()> {
        self.run(sql, params, |c| c.query_each(sql, params, f))
    }

    /// Streams the rows of a plain SQL query.
    pub fn query_stream(&mut self, sql: &str, params: &[Value]) -> Result<RowStream<'_>> {
        self.dialect().check_params(params.len())?;
        let which = self.prepare(sql)?;
        let (engine, slot) = self.parts(which);
        engine.emit(sql, params, slot.role);
        if slot.tx == Tx::Clean && may_open_transaction(sql) {
            slot.tx = Tx::Unknown;
        }
        slot.conn.conn.query_stream(sql, params)
    }

    /// Runs one or more parameterless statements.
    pub fn batch_execute(&mut self, sql: &str) -> Result<()> {
        self.run(sql, &[], |c| c.batch_execute(sql))
    }

    /// Runs a compiled statement; returns the affected row count.
    pub fn execute_compiled(&mut self, c: &Compiled) -> Result<u64> {
        self.execute(&c.sql, &c.params)
    }

    /// Runs a compiled query; returns all rows.
    pub fn query_compiled(&mut self, c: &Compiled) -> Result<Vec<Row>> {
        self.query(&c.sql, &c.params)
    }

    /// Starts a transaction. On a session's connection the `BEGIN` is sent with the
    /// first statement, to the server that statement goes to.
    pub fn begin(&mut self) -> Result<()> {
        if self.route.is_some() {
            self.in_tx = true;
            return Ok(());
        }
        let (engine, slot) = self.parts(Which::Primary);
        slot.send(engine, TransactionOp::Begin)?;
        slot.tx = Tx::Open;
        Ok(())
    }

    /// Commits the transaction.
    pub fn commit(&mut self) -> Result<()> {
        self.end(TransactionOp::Commit)
    }

    /// Rolls the transaction back.
    pub fn rollback(&mut self) -> Result<()> {
        self.end(TransactionOp::Rollback)
    }

    /// Ends the transaction on every server it touched (a plain connection always
    /// sends the statement, as asked).
    fn end(&mut self, op: TransactionOp<'_>) -> Result<()> {
        self.in_tx = false;
        if let Some(mut r) = self.replica.take() {
            if r.tx != Tx::Clean {
                r.finish(&self.engine, op)?;
            }
        }
        let plain = self.route.is_none();
        let engine = &self.engine;
        match self.primary.as_mut() {
            Some(p) if plain || p.tx != Tx::Clean => p.finish(engine, op),
            _ => Ok(()),
        }
    }

    fn savepoint_op(&mut self, op: TransactionOp<'_>) -> Result<()> {
        self.ensure_primary()?;
        let (engine, slot) = self.parts(Which::Primary);
        slot.wrote = true;
        slot.send(engine, op)
    }

    /// Creates a savepoint (on the primary: the transaction moves there).
    pub fn savepoint(&mut self, name: &str) -> Result<()> {
        self.savepoint_op(TransactionOp::Savepoint(name))
    }

    /// Releases a savepoint.
    pub fn release_savepoint(&mut self, name: &str) -> Result<()> {
        self.savepoint_op(TransactionOp::ReleaseSavepoint(name))
    }

    /// Rolls back to a savepoint.
    pub fn rollback_to_savepoint(&mut self, name: &str) -> Result<()> {
        self.savepoint_op(TransactionOp::RollbackToSavepoint(name))
    }

    /// True once a connection in use is known to be unusable.
    pub fn is_closed(&self) -> bool {
        [&self.primary, &self.replica]
            .into_iter()
            .flatten()
            .any(|s| s.conn.conn.is_closed())
    }
}

impl Slot {
    fn new(conn: Checkout, role: ServerRole) -> Slot {
        Slot {
            conn,
            role,
            tx: Tx::Clean,
            wrote: false,
        }
    }

    /// Logs and sends a transaction-control statement.
    fn send(&mut self, engine: &Engine, op: TransactionOp<'_>) -> Result<()> {
        let sql = engine.dialect().transaction_sql(op);
        engine.emit(&sql, &[], self.role);
        let c = &mut self.conn.conn;
        match op {
            TransactionOp::Begin => c.begin(),
            TransactionOp::Commit => c.commit(),
            TransactionOp::Rollback => c.rollback(),
            TransactionOp::Savepoint(n) => c.savepoint(n),
            TransactionOp::ReleaseSavepoint(n) => c.release_savepoint(n),
            TransactionOp::RollbackToSavepoint(n) => c.rollback_to_savepoint(n),
        }
    }

    fn begin_if_clean(&mut self, engine: &Engine) -> Result<()> {
        if self.tx == Tx::Clean {
            self.send(engine, TransactionOp::Begin)?;
            self.tx = Tx::Open;
        }
        Ok(())
    }

    /// Commits or rolls back; after a commit that wrote, remembers the log position
    /// (engines with replicas only), for read-your-writes.
    fn finish(&mut self, engine: &Engine, op: TransactionOp<'_>) -> Result<()> {
        let result = self.send(engine, op);
        self.tx = Tx::Clean;
        if result.is_ok() && self.wrote && op == TransactionOp::Commit {
            self.record_position(engine);
        }
        if op == TransactionOp::Rollback {
            self.wrote = false;
        }
        result
    }

    fn record_position(&mut self, engine: &Engine) {
        self.wrote = false;
        if !engine.has_replicas() {
            return;
        }
        match self.conn.conn.log_position() {
            Ok(Some(p)) => engine.note_commit_position(p),
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(target: "orm::replica", error = %e, "could not read the primary's log position; replicas may serve reads older than this commit");
            }
        }
    }

    /// Rolls back whatever may be open, before the connection goes back to the pool;
    /// a connection that cannot be reset is discarded.
    fn reset(&mut self, engine: &Engine) {
        if self.tx == Tx::Clean || self.conn.conn.is_closed() {
            return;
        }
        if self.send(engine, TransactionOp::Rollback).is_err() {
            self.conn.discard = true;
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

impl Drop for EngineConnection {
    fn drop(&mut self) {
        for slot in [self.replica.as_mut(), self.primary.as_mut()]
            .into_iter()
            .flatten()
        {
            slot.reset(&self.engine);
        }
    }
}
