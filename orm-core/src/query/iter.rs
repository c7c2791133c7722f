//! Streaming through a server-side cursor: [`QueryIter`] (handles), [`ColumnIter`]
//! (values or tuples) and [`EntityIter`] (tuples of handles).

use super::columns::Columns;
use super::entities::{Entities, EntityLoader};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::row::Row;
use crate::session::{GroupKey, Handle, Session, SessionShared, SessionState};
use crate::statement::{CloseCursor, DeclareCursor, FetchCursor, Select, Statement};
use std::any::TypeId;
use std::collections::HashSet;
use std::marker::PhantomData;
use std::sync::Arc;

/// A server-side cursor read `fetch_size` rows per round trip
/// (`DECLARE ... CURSOR` + `FETCH FORWARD n`); closed when exhausted or dropped.
pub(crate) struct Cursor<'s> {
    session: &'s Session,
    name: Option<String>,
    buffer: std::vec::IntoIter<Row>,
    fetch_size: u32,
    error: Option<Error>,
}

impl<'s> Cursor<'s> {
    pub(crate) fn open(session: &'s Session, select: Select, fetch_size: u32) -> Result<Self> {
        let declared = session
            .shared()
            .run(async |st, shared| declare(st, shared, select).await)?;
        let Some(name) = declared else {
            // Nothing to read: no cursor (and no SQL) at all.
            return Ok(Cursor::ended(session, None));
        };
        Ok(Cursor {
            session,
            name: Some(name),
            buffer: Vec::new().into_iter(),
            fetch_size,
            error: None,
        })
    }

    /// A cursor that yields `result`'s error (if any) and then ends.
    pub(crate) fn or_failed(session: &'s Session, result: Result<Self>) -> Self {
        result.unwrap_or_else(|error| Cursor::ended(session, Some(error)))
    }

    /// A cursor with nothing on the server: it yields `error` (if any) and ends.
    fn ended(session: &'s Session, error: Option<Error>) -> Self {
        Cursor {
            session,
            name: None,
            buffer: Vec::new().into_iter(),
            fetch_size: 1,
            error,
        }
    }

    fn fetch_more(&mut self) -> Result<()> {
        let Some(name) = self.name.clone() else {
            return Ok(());
        };
        let count = self.fetch_size;
        let rows = self
            .session
            .shared()
            .run(async |st, shared| fetch(st, shared, &name, count).await)?;
        if rows.len() < count as usize {
            self.close();
        }
        self.buffer = rows.into_iter();
        Ok(())
    }

    fn next_row(&mut self) -> Option<Result<Row>> {
        if let Some(e) = self.error.take() {
            return Some(Err(e));
        }
        if self.buffer.len() == 0 {
            if let Err(e) = self.fetch_more() {
                self.name = None;
                return Some(Err(e));
            }
        }
        self.buffer.next().map(Ok)
    }

    fn close(&mut self) {
        if let Some(name) = self.name.take() {
            let _ = self
                .session
                .shared()
                .run(async |st, shared| close(st, shared, &name).await);
        }
    }
}

/// Declares a server-side cursor for `select` after autoflush, and names it; `None`
/// for an empty slice (`limit(0)`), which needs nothing on the server.
pub(crate) async fn declare(
    st: &mut SessionState,
    shared: &Arc<SessionShared>,
    select: Select,
) -> Result<Option<String>> {
    if super::base::is_empty_slice(st, &select)? {
        return Ok(None);
    }
    st.autoflush(shared).await?;
    let name = st.next_name("orm_cursor");
    let declare = Statement::DeclareCursor(DeclareCursor {
        name: name.clone(),
        select,
    });
    let compiled = super::base::compile_checked(shared.engine.dialect(), &declare)?;
    st.execute(shared, &compiled).await?;
    Ok(Some(name))
}

/// The next `count` rows of the cursor `name` (fewer at its end).
pub(crate) async fn fetch(
    st: &mut SessionState,
    shared: &Arc<SessionShared>,
    name: &str,
    count: u32,
) -> Result<Vec<Row>> {
    let fetch = Statement::FetchCursor(FetchCursor {
        name: name.to_owned(),
        count,
    });
    st.query(shared, &shared.engine.dialect().compile(&fetch))
        .await
}

/// Closes the cursor `name`. A cursor left open (a stream dropped while its close
/// could not run) ends with the transaction anyway.
pub(crate) async fn close(
    st: &mut SessionState,
    shared: &Arc<SessionShared>,
    name: &str,
) -> Result<()> {
    let close = Statement::CloseCursor(CloseCursor {
        name: name.to_owned(),
    });
    st.execute(shared, &shared.engine.dialect().compile(&close))
        .await
        .map(drop)
}

impl Drop for Cursor<'_> {
    fn drop(&mut self) {
        self.close();
    }
}

/// Streams a [`Query`](super::Query)'s instances, so memory stays bounded by the
/// fetch size: the identity map holds unchanged instances weakly, so a handle the
/// caller drops is freed.
///
/// It borrows the session; the cursor is closed when the iterator is exhausted or
/// dropped. When the query has joins, an instance seen before is skipped (as in
/// [`Query::all`](super::Query::all)); only primary keys are remembered for that.
pub struct QueryIter<'s, M: Model> {
    cursor: Cursor<'s>,
    populate_existing: bool,
    seen: Option<HashSet<GroupKey>>,
    _model: PhantomData<fn() -> M>,
}

impl<'s, M: Model> QueryIter<'s, M> {
    /// Iterates `cursor`; `dedupe` skips instances seen before (joined queries).
    pub(crate) fn new(cursor: Cursor<'s>, populate_existing: bool, dedupe: bool) -> Self {
        QueryIter {
            cursor,
            populate_existing,
            seen: dedupe.then(HashSet::new),
            _model: PhantomData,
        }
    }

    /// False when `row`'s instance was already returned.
    fn first_sighting(&mut self, row: &Row) -> bool {
        let Some(seen) = self.seen.as_mut() else {
            return true;
        };
        let pk: Vec<_> = M::table()
            .primary_key_indices()
            .iter()
            .map(|&i| row.get(i).cloned().unwrap_or_default())
            .collect();
        match GroupKey::new(TypeId::of::<M>(), &pk) {
            Some(key) => seen.insert(key),
            None => true,
        }
    }
}

impl<M: Model> Iterator for QueryIter<'_, M> {
    type Item = Result<Handle<M>>;

    fn next(&mut self) -> Option<Result<Handle<M>>> {
        loop {
            let mut row = match self.cursor.next_row()? {
                Ok(row) => row,
                Err(e) => return Some(Err(e)),
            };
            if !self.first_sighting(&row) {
                continue;
            }
            let shared = self.cursor.session.shared();
            let mut st = shared.lock();
            return Some(st.materialize_at::<M>(shared, &mut row, 0, self.populate_existing));
        }
    }
}

/// Streams a [`ColumnQuery`](super::ColumnQuery)'s values or tuples through a
/// server-side cursor; nothing is kept in the session.
pub struct ColumnIter<'s, C: Columns> {
    cursor: Cursor<'s>,
    _columns: PhantomData<fn() -> C>,
}

impl<'s, C: Columns> ColumnIter<'s, C> {
    pub(crate) fn new(cursor: Cursor<'s>) -> Self {
        ColumnIter {
            cursor,
            _columns: PhantomData,
        }
    }
}

impl<C: Columns> Iterator for ColumnIter<'_, C> {
    type Item = Result<C::Output>;

    fn next(&mut self) -> Option<Result<C::Output>> {
        Some(
            self.cursor
                .next_row()?
                .and_then(|mut row| C::decode(&mut row)),
        )
    }
}

/// Streams an [`EntityQuery`](super::EntityQuery)'s tuples of handles through a
/// server-side cursor.
pub struct EntityIter<'s, E: Entities> {
    cursor: Cursor<'s>,
    populate_existing: bool,
    _entities: PhantomData<fn() -> E>,
}

impl<'s, E: Entities> EntityIter<'s, E> {
    pub(crate) fn new(cursor: Cursor<'s>, populate_existing: bool) -> Self {
        EntityIter {
            cursor,
            populate_existing,
            _entities: PhantomData,
        }
    }
}

impl<E: Entities> Iterator for EntityIter<'_, E> {
    type Item = Result<E::Output>;

    fn next(&mut self) -> Option<Result<E::Output>> {
        let mut row = match self.cursor.next_row()? {
            Ok(row) => row,
            Err(e) => return Some(Err(e)),
        };
        let shared = self.cursor.session.shared();
        let mut st = shared.lock();
        let mut loader = EntityLoader::new(&mut st, shared, self.populate_existing);
        Some(E::load(&mut loader, &mut row))
    }
}
