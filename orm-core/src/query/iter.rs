//! [`QueryIter`]: streams a query's instances through a server-side cursor.

use crate::error::{Error, Result};
use crate::model::Model;
use crate::row::Row;
use crate::session::{Handle, Session};
use crate::statement::{CloseCursor, DeclareCursor, FetchCursor, Select, Statement};
use std::marker::PhantomData;

/// An iterator over a query's instances that fetches a chunk of rows per round trip
/// (`DECLARE ... CURSOR` + `FETCH FORWARD n`), so memory stays bounded by the chunk
/// size: the identity map holds unchanged instances weakly.
///
/// It borrows the session; the cursor is closed when the iterator is exhausted or dropped.
pub struct QueryIter<'s, M: Model> {
    session: &'s Session,
    cursor: Option<String>,
    buffer: std::vec::IntoIter<Row>,
    fetch_size: u32,
    populate_existing: bool,
    error: Option<Error>,
    _model: PhantomData<fn() -> M>,
}

impl<'s, M: Model> QueryIter<'s, M> {
    pub(crate) fn open(
        session: &'s Session,
        select: Select,
        fetch_size: u32,
        populate_existing: bool,
    ) -> Result<Self> {
        let shared = session.shared();
        let mut st = shared.lock();
        st.autoflush(shared)?;
        let name = st.next_name("orm_cursor");
        let compiled = shared
            .engine
            .dialect()
            .compile(&Statement::DeclareCursor(DeclareCursor {
                name: name.clone(),
                select,
            }));
        st.execute(shared, &compiled)?;
        Ok(QueryIter {
            session,
            cursor: Some(name),
            buffer: Vec::new().into_iter(),
            fetch_size,
            populate_existing,
            error: None,
            _model: PhantomData,
        })
    }

    pub(crate) fn failed(session: &'s Session, error: Error) -> Self {
        QueryIter {
            session,
            cursor: None,
            buffer: Vec::new().into_iter(),
            fetch_size: 1,
            populate_existing: false,
            error: Some(error),
            _model: PhantomData,
        }
    }

    fn fetch_more(&mut self) -> Result<()> {
        let Some(name) = self.cursor.clone() else {
            return Ok(());
        };
        let shared = self.session.shared();
        let mut st = shared.lock();
        let compiled = shared
            .engine
            .dialect()
            .compile(&Statement::FetchCursor(FetchCursor {
                name,
                count: self.fetch_size,
            }));
        let rows = st.query(shared, &compiled)?;
        if rows.len() < self.fetch_size as usize {
            drop(st);
            self.close();
        }
        self.buffer = rows.into_iter();
        Ok(())
    }

    fn close(&mut self) {
        if let Some(name) = self.cursor.take() {
            let shared = self.session.shared();
            let mut st = shared.lock();
            let compiled = shared
                .engine
                .dialect()
                .compile(&Statement::CloseCursor(CloseCursor { name }));
            let _ = st.execute(shared, &compiled);
        }
    }
}

impl<M: Model> Iterator for QueryIter<'_, M> {
    type Item = Result<Handle<M>>;

    fn next(&mut self) -> Option<Result<Handle<M>>> {
        if let Some(e) = self.error.take() {
            return Some(Err(e));
        }
        if self.buffer.len() == 0 {
            if let Err(e) = self.fetch_more() {
                self.cursor = None;
                return Some(Err(e));
            }
        }
        let row = self.buffer.next()?;
        let shared = self.session.shared();
        let mut st = shared.lock();
        Some(st.materialize::<M>(shared, row, self.populate_existing))
    }
}

impl<M: Model> Drop for QueryIter<'_, M> {
    fn drop(&mut self) {
        self.close();
    }
}
