//! Compile-time proof that the core's futures are `Send`, so that an async session
//! can run them on a multi-thread runtime. Nothing here runs: `core_futures` is
//! type-checked for every model, and each future it builds must satisfy
//! `F: Send`, including the shape an async session takes (the state's guard held
//! across the awaits). An instance guard, a `std` mutex guard or a non-`Send`
//! callback held across an await anywhere in the core fails this build.

use super::iter::{close, declare, fetch};
use super::{ColumnQuery, Columns, Entities, EntityQuery, Query, SetQuery};
use crate::connection::{Engine, Route, RoutedConnection};
use crate::error::Error;
use crate::model::Model;
use crate::relationship::{load_eager, LoaderOption, RelationshipDef};
use crate::schema::MetaData;
use crate::session::{AnyInstance, SessionShared};
use crate::statement::Select;
use crate::{Compiled, Value};
use std::future::Future;
use std::sync::Arc;

fn send<F: Future + Send>(_: F) {}

/// What a core future borrows.
struct Parts<'a, M: Model, C: Columns, E: Entities> {
    shared: Arc<SessionShared>,
    inst: Arc<dyn AnyInstance>,
    def: &'static RelationshipDef,
    loaders: Vec<LoaderOption>,
    compiled: Compiled,
    query: Query<'a, M>,
    columns: ColumnQuery<'a, C>,
    set: SetQuery<'a, C>,
    entities: EntityQuery<'a, E>,
}

#[allow(dead_code)]
// type-checked, never called
// Holding the state's guard across awaits is the design (docs/ARCHITECTURE.md):
// the blocking API holds it for one poll, and an async session is to take it with
// `try_lock`, so a second task gets a "session busy" error instead of blocking a
// worker thread.
#[allow(clippy::await_holding_lock)]
fn core_futures<M: Model, C: Columns + 'static, E: Entities + 'static>(
    p: Parts<'static, M, C, E>,
    engine: Engine,
    metadata: MetaData,
) where
    C::Output: Send,
    E::Output: Send,
{
    let Parts {
        shared,
        inst,
        def,
        loaders,
        compiled,
        query,
        columns,
        set,
        entities,
    } = p;
    // An async session's shape: the state locked across every await.
    send(async move {
        let mut st = shared.lock();
        let sh = &shared;
        st.get::<M>(sh, vec![Value::Int(1)]).await?;
        st.attach(sh, Arc::clone(&inst)).await?;
        st.refresh(sh, &inst).await?;
        st.reload(sh, &inst).await?;
        st.delete(sh, Arc::clone(&inst)).await?;
        st.children(sh, def, &inst).await?;
        st.append_child(sh, def, &inst, &inst).await?;
        st.remove_child(sh, def, &inst, &inst).await?;
        load_eager(&mut st, sh, &loaders, &[Arc::clone(&inst)]).await?;
        st.upsert::<M>(sh, std::slice::from_ref(&compiled)).await?;
        st.execute(sh, &compiled).await?;
        st.query(sh, &compiled).await?;
        st.query_each(sh, &compiled, &mut |_, _| Ok(())).await?;
        st.override_route(sh, Some(Route::Primary)).await?;
        st.flush(sh).await?;
        let name = st.begin_savepoint(sh).await?;
        st.release_savepoint(sh, &name).await?;
        st.rollback_to_savepoint(sh, &name).await?;
        st.commit(sh).await?;
        st.rollback(sh).await?;
        let cursor = declare(&mut st, sh, Select::default()).await?;
        fetch(&mut st, sh, "c", 10).await?;
        close(&mut st, sh, &cursor.unwrap_or_default()).await?;
        query.load_in(&mut st, sh, Select::default()).await?;
        query.core.count_of(&mut st, sh, Select::default()).await?;
        query.core.exists(&mut st, sh).await?;
        query
            .run_bulk(&mut st, sh, compiled_statement(), Default::default(), &[])
            .await?;
        columns.load_in(&mut st, sh, Select::default()).await?;
        set.load_in(&mut st, sh, Select::default()).await?;
        entities.load_in(&mut st, sh, Select::default()).await?;
        Ok::<(), Error>(())
    });
    // An engine's connection outside any session.
    send(async move {
        let mut conn = RoutedConnection::plain(engine).await?;
        conn.execute("SELECT 1", &[]).await?;
        let plan = metadata.plan()?;
        metadata.create_on(&mut conn, &plan).await?;
        metadata.drop_on(&mut conn, &plan).await?;
        Ok::<(), Error>(())
    });
}

fn compiled_statement() -> crate::Statement {
    crate::Statement::Select(Select::default())
}

#[test]
fn core_futures_are_send() {
    // Nothing to run: this module compiling is the proof (`core_futures` is
    // type-checked for every model, column tuple and entity tuple).
}
