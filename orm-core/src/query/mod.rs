//! [`Query`]: a fluent, typed SELECT whose rows become handles through the identity map.

mod bulk;
mod iter;

pub use bulk::{Assignment, SyncStrategy};
pub use iter::QueryIter;

use crate::error::{Error, Result};
use crate::expr::{Expr, Order};
use crate::model::Model;
use crate::relationship::{
    add_joins, eager_loaders, finish_joined, load_eager, read_joined_row, LoaderOption,
};
use crate::schema::Table;
use crate::session::{Handle, Session};
use crate::statement::{Select, SelectItem, Statement};
use crate::value::Value;
use crate::{Compiled, Row};
use std::collections::{HashMap, HashSet};
use std::marker::PhantomData;

/// Rows fetched per round trip when a query is iterated lazily.
pub const DEFAULT_FETCH_SIZE: u32 = 1000;

/// `SELECT <every column of table> FROM table`.
pub(crate) fn model_select(table: &Table) -> Select {
    let mut select = Select::from(table.name.clone());
    select.items = table
        .columns
        .iter()
        .map(|c| SelectItem {
            expr: Expr::column(table.name.clone(), c.name.clone()),
            alias: None,
        })
        .collect();
    select
}

/// `SELECT <every column> FROM table WHERE <primary key> = pk`.
pub(crate) fn select_by_primary_key(table: &Table, pk: Vec<Value>) -> Select {
    let mut select = model_select(table);
    select.filter = Some(crate::session::key_filter(table, &pk));
    select
}

/// A query for instances of `M` (SQLAlchemy's `session.query(M)`).
///
/// Builder methods take and return the query; terminals (`all`, `first`, ...) borrow it,
/// so one query can be run several times.
///
/// ```no_run
/// # use orm_core::{Model, Session, Col, Expr};
/// # fn demo<M: Model>(session: &Session, cond: Expr) -> orm_core::Result<()> {
/// let first = session.query::<M>().filter(cond).first()?;
/// # Ok(()) }
/// ```
pub struct Query<'s, M: Model> {
    session: &'s Session,
    select: Select,
    options: Vec<LoaderOption>,
    populate_existing: bool,
    fetch_size: u32,
    _model: PhantomData<fn() -> M>,
}

impl<M: Model> Clone for Query<'_, M> {
    fn clone(&self) -> Self {
        Query {
            session: self.session,
            select: self.select.clone(),
            options: self.options.clone(),
            populate_existing: self.populate_existing,
            fetch_size: self.fetch_size,
            _model: PhantomData,
        }
    }
}

impl Session {
    /// A query for every instance of `M`.
    pub fn query<M: Model>(&self) -> Query<'_, M> {
        Query {
            session: self,
            select: model_select(M::table()),
            options: Vec::new(),
            populate_existing: false,
            fetch_size: DEFAULT_FETCH_SIZE,
            _model: PhantomData,
        }
    }
}

impl<'s, M: Model> Query<'s, M> {
    /// Adds a WHERE condition; several calls are ANDed.
    pub fn filter(mut self, condition: Expr) -> Self {
        self.select.and_where(condition);
        self
    }

    /// Adds an ORDER BY key (`Article::title.desc()`); several calls add more keys.
    pub fn order_by(mut self, order: impl Into<Order>) -> Self {
        self.select.order_by.push(order.into());
        self
    }

    /// At most `n` rows.
    pub fn limit(mut self, n: u64) -> Self {
        self.select.limit = Some(n);
        self
    }

    /// Skips the first `n` rows.
    pub fn offset(mut self, n: u64) -> Self {
        self.select.offset = Some(n);
        self
    }

    /// `SELECT DISTINCT`.
    pub fn distinct(mut self) -> Self {
        self.select.distinct = true;
        self
    }

    /// Loads a relationship eagerly for every result: `.options(selectin(Author::articles))`
    /// (one more SELECT) or `.options(joined(Author::articles))` (a LEFT OUTER JOIN).
    pub fn options(mut self, option: LoaderOption) -> Self {
        self.options.push(option);
        self
    }

    /// Overwrite instances already in the session with the loaded row (unless they have
    /// unflushed changes). By default loaded instances are left as they are.
    pub fn populate_existing(mut self) -> Self {
        self.populate_existing = true;
        self
    }

    /// Rows fetched per round trip by [`iter`](Query::iter).
    pub fn fetch_size(mut self, rows: u32) -> Self {
        self.fetch_size = rows.max(1);
        self
    }

    /// The statement this query runs.
    pub fn statement(&self) -> &Select {
        &self.select
    }

    /// The SQL and parameters this query sends.
    pub fn compiled(&self) -> Compiled {
        self.session
            .engine()
            .dialect()
            .compile(&Statement::Select(self.select.clone()))
    }

    fn fetch(&self, mut select: Select) -> Result<Vec<Handle<M>>> {
        let shared = self.session.shared();
        let mut st = shared.lock();
        st.autoflush(shared)?;
        let table = &M::table().name;
        let loaders = eager_loaders(table, &self.options);
        let (joins, rest) = add_joins(&mut select, table, loaders)?;
        let compiled = shared.engine.dialect().compile(&Statement::Select(select));
        let rows: Vec<Row> = st.query(shared, &compiled)?;
        let mut handles: Vec<Handle<M>> = Vec::with_capacity(rows.len());
        if joins.is_empty() {
            for row in rows {
                handles.push(st.materialize::<M>(shared, row, self.populate_existing)?);
            }
        } else {
            let mut seen = HashMap::new();
            let mut ids = HashSet::new();
            for mut row in rows {
                let h = st.materialize_at::<M>(shared, &mut row, 0, self.populate_existing)?;
                read_joined_row(&mut st, shared, &joins, &h.erased(), &mut row, &mut seen)?;
                if ids.insert(h.erased().id()) {
                    handles.push(h);
                }
            }
            let parents: Vec<_> = handles.iter().map(Handle::erased).collect();
            finish_joined(&mut st, &joins, &parents, seen)?;
        }
        if !rest.is_empty() {
            let parents: Vec<_> = handles.iter().map(Handle::erased).collect();
            load_eager(&mut st, shared, &rest, &parents)?;
        }
        Ok(handles)
    }

    /// Every matching instance.
    pub fn all(&self) -> Result<Vec<Handle<M>>> {
        self.fetch(self.select.clone())
    }

    /// The first matching instance (`LIMIT 1`), or `None`.
    pub fn first(&self) -> Result<Option<Handle<M>>> {
        let mut select = self.select.clone();
        select.limit = Some(1);
        Ok(self.fetch(select)?.into_iter().next())
    }

    /// The instance at position `index` (0-based) of the result, or `None` past the end
    /// (SQLAlchemy's `query[index]`).
    pub fn nth(&self, index: u64) -> Result<Option<Handle<M>>> {
        let mut select = self.select.clone();
        select.offset = Some(select.offset.unwrap_or(0) + index);
        select.limit = Some(select.limit.map_or(1, |l| l.saturating_sub(index).min(1)));
        if select.limit == Some(0) {
            return Ok(None);
        }
        Ok(self.fetch(select)?.into_iter().next())
    }

    /// Exactly one instance: [`Error::NoResultFound`] if none, [`Error::MultipleResultsFound`]
    /// if several.
    pub fn one(&self) -> Result<Handle<M>> {
        self.one_or_none()?.ok_or_else(|| {
            Error::NoResultFound(format!("no row of `{}` matched the query", M::table().name))
        })
    }

    /// At most one instance: `None` if none, [`Error::MultipleResultsFound`] if several.
    pub fn one_or_none(&self) -> Result<Option<Handle<M>>> {
        let mut select = self.select.clone();
        select.limit = Some(select.limit.map_or(2, |l| l.min(2)));
        let mut found = self.fetch(select)?;
        match found.len() {
            0 => Ok(None),
            1 => Ok(found.pop()),
            _ => Err(Error::MultipleResultsFound(format!(
                "more than one row of `{}` matched the query",
                M::table().name
            ))),
        }
    }

    /// Number of matching rows (`SELECT count(*) FROM (query)`-equivalent).
    pub fn count(&self) -> Result<i64> {
        let mut select = self.select.clone();
        select.order_by.clear();
        let counted = if select.distinct || select.limit.is_some() || select.offset.is_some() {
            let mut outer = Select::default();
            outer.items.push(SelectItem {
                expr: Expr::CountStar,
                alias: None,
            });
            outer.from_subquery = Some(Box::new(select));
            outer
        } else {
            select.items = vec![SelectItem {
                expr: Expr::CountStar,
                alias: None,
            }];
            select
        };
        let row = self.scalar_row(counted)?;
        row.and_then(|mut r| r.take::<i64>(0).ok())
            .ok_or_else(|| Error::Conversion("count(*) returned no value".into()))
    }

    /// Whether any row matches.
    pub fn exists(&self) -> Result<bool> {
        let mut inner = self.select.clone();
        inner.order_by.clear();
        let mut outer = Select::default();
        outer.items.push(SelectItem {
            expr: Expr::Exists {
                select: Box::new(inner),
                negated: false,
            },
            alias: None,
        });
        let row = self.scalar_row(outer)?;
        row.and_then(|mut r| r.take::<bool>(0).ok())
            .ok_or_else(|| Error::Conversion("EXISTS returned no value".into()))
    }

    fn scalar_row(&self, select: Select) -> Result<Option<Row>> {
        let shared = self.session.shared();
        let mut st = shared.lock();
        st.autoflush(shared)?;
        let compiled = shared.engine.dialect().compile(&Statement::Select(select));
        Ok(st.query(shared, &compiled)?.into_iter().next())
    }

    /// Streams the matching instances, fetching [`fetch_size`](Query::fetch_size) rows per
    /// round trip through a server-side cursor, so memory does not grow with the result.
    pub fn iter(&self) -> Result<QueryIter<'s, M>> {
        QueryIter::open(
            self.session,
            self.select.clone(),
            self.fetch_size,
            self.populate_existing,
        )
    }
}

impl<'s, M: Model> IntoIterator for Query<'s, M> {
    type Item = Result<Handle<M>>;
    type IntoIter = QueryIter<'s, M>;

    /// `for article in session.query::<Article>() { .. }`: streams, as [`Query::iter`].
    fn into_iter(self) -> QueryIter<'s, M> {
        match self.iter() {
            Ok(it) => it,
            Err(e) => QueryIter::failed(self.session, e),
        }
    }
}
