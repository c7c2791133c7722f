//! Queries: [`Query`] (instances of one model, as handles through the identity map),
//! [`ColumnQuery`] (column values and typed expressions, as values or tuples) and
//! [`EntityQuery`] (several joined models, as tuples of handles). All share the
//! builder methods (`filter`, `order_by`, `limit`, `offset`, `distinct`, joins, row
//! locks) and the terminals (`all`, `first`, `nth`, `one`, `one_or_none`, `count`,
//! `exists`, `paginate`, `iter`). Queries also become sources of rows for other
//! queries: aliases ([`aliased`]), subqueries and CTEs ([`Alias`], [`Derived`]),
//! and set operations ([`SetQuery`]).

mod alias;
mod base;
mod builder;
mod bulk;
mod column_query;
mod columns;
mod cte;
mod derived;
mod entities;
mod entity_query;
mod evaluate;
mod grouping;
mod iter;
mod join;
mod join_related;
mod lock;
pub(crate) mod paginate;
#[cfg(test)]
mod send_check;
mod set_op;
pub(crate) mod source;

pub use alias::{aliased, aliased_as, Alias};
pub use base::DEFAULT_FETCH_SIZE;
pub use bulk::{Assignment, SyncStrategy};
pub use column_query::ColumnQuery;
pub use columns::Columns;
pub use derived::Derived;
pub use entities::{Entities, Entity, EntityLoader};
pub use entity_query::EntityQuery;
pub use iter::{ColumnIter, EntityIter, QueryIter};
pub use join_related::RelationTo;
pub use paginate::Page;
pub use set_op::SetQuery;
pub use source::FromSource;

use crate::error::Result;
use crate::expr::AsSelect;
use crate::model::Model;
use crate::relationship::{
    add_joins, eager_loaders, finish_joined, load_eager, read_joined_row, JoinedLoad, LoaderOption,
};
use crate::row::Row;
use crate::session::{Handle, Session};
use crate::session::{IdentityMap, SessionShared, SessionState};
use crate::statement::{model_select, Select};
use base::Core;
use builder::{builder_methods, terminal_methods};
use iter::Cursor;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::marker::PhantomData;
use std::sync::Arc;

/// A query for instances of `M` (SQLAlchemy's `session.query(M)`).
///
/// Builder methods take and return the query; terminals (`all`, `first`, ...) borrow it,
/// so one query can be run several times. With joins, each instance is returned once
/// (de-duplicated by identity, in order of first appearance); `count()` still counts
/// joined rows, as SQL does.
///
/// ```
/// # tests::doc_blog!();
/// # fn main() -> orm_core::Result<()> {
/// # let db = blog_db("doc_query");
/// # let session = db.engine.session();
/// let query = session.query::<Article>().filter(Article::slug.eq("clean-python"));
/// let first = query.first()?.expect("the row");
/// let again = query.one()?; // the same query, run again
/// assert!(first.ptr_eq(&again), "the identity map gives the same object");
/// # Ok(()) }
/// ```
///
/// Joins filter and order on another model's columns; `with_entity` returns both:
///
/// ```
/// # tests::doc_blog!();
/// # fn main() -> orm_core::Result<()> {
/// # let db = blog_db("doc_query_join");
/// # let session = db.engine.session();
/// use orm_core::Handle;
/// // Articles by authors at example.com (the join follows articles.author_id).
/// let articles: Vec<Handle<Article>> = session
///     .query::<Article>()
///     .join_fk::<Author>()?
///     .filter(Author::email.ends_with("@example.com"))
///     .order_by(Article::id)
///     .all()?;
/// assert_eq!(articles.len(), 2);
/// // Every article with its author, if any.
/// let pairs: Vec<(Handle<Article>, Option<Handle<Author>>)> = session
///     .query::<Article>()
///     .outer_join_fk::<Author>()?
///     .with_entity::<Option<Author>>()
///     .all()?;
/// assert_eq!(pairs.len(), 4);
/// assert_eq!(pairs.iter().filter(|(_, author)| author.is_none()).count(), 1);
/// # Ok(()) }
/// ```
pub struct Query<'s, M: Model> {
    core: Core<'s>,
    options: Vec<LoaderOption>,
    populate_existing: bool,
    _model: PhantomData<fn() -> M>,
}

impl<M: Model> Clone for Query<'_, M> {
    fn clone(&self) -> Self {
        Query {
            core: self.core.clone(),
            options: self.options.clone(),
            populate_existing: self.populate_existing,
            _model: PhantomData,
        }
    }
}

impl Session {
    /// A query for every instance of `M`.
    pub fn query<M: Model>(&self) -> Query<'_, M> {
        Query {
            core: Core::new(self, model_select(M::table()), vec![M::table()]),
            options: Vec::new(),
            populate_existing: false,
            _model: PhantomData,
        }
    }
}

impl<'s, M: Model> Query<'s, M> {
    builder_methods!();

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

    /// Runs this query on the primary, whatever the session's route (engines with
    /// read replicas; see [`Route`](crate::Route)).
    pub fn on_primary(mut self) -> Self {
        self.core.route = Some(crate::connection::Route::Primary);
        self
    }

    /// Runs this query on a replica, whatever the session's route (it does not see
    /// the transaction's uncommitted changes).
    pub fn on_replica(mut self) -> Self {
        self.core.route = Some(crate::connection::Route::Replica);
        self
    }

    /// The statement this query runs.
    pub fn statement(&self) -> &Select {
        &self.core.select
    }

    /// Returns `(M, N)` tuples instead of `M` alone, `N`'s columns added to the
    /// select list: `.with_entity::<Author>()` gives `(Handle<M>, Handle<Author>)`,
    /// `.with_entity::<Option<Author>>()` gives `(Handle<M>, Option<Handle<Author>>)`
    /// (`None` where an outer join found no author). Eager-loading options are dropped.
    pub fn with_entity<N: entities::Entity>(self) -> EntityQuery<'s, (M, N)> {
        EntityQuery::from_core(self.core, self.populate_existing)
    }

    /// Selects `columns` instead of instances, keeping the filters, joins and order:
    /// a [`ColumnQuery`], e.g. a subquery for
    /// [`Col::in_subquery`](crate::Col::in_subquery).
    pub fn select_columns<C: Columns>(self, columns: C) -> ColumnQuery<'s, C> {
        ColumnQuery::from_core(self.core, columns)
    }

    fn what(&self) -> String {
        format!("row of `{}`", M::table().name)
    }

    /// Runs `select` and turns its rows into handles: as they are decoded when
    /// nothing is joined or eagerly loaded, else through [`load_joined`](Self::load_joined).
    pub(crate) async fn load_in(
        &self,
        st: &mut SessionState,
        shared: &Arc<SessionShared>,
        mut select: Select,
    ) -> Result<Vec<Handle<M>>> {
        let table = &M::table().name;
        let loaders = eager_loaders(std::any::TypeId::of::<M>(), &self.options);
        let (joins, rest) = add_joins(&mut select, table, loaders)?;
        let dedupe = !select.joins.is_empty();
        if !dedupe && rest.is_empty() {
            // The common case: rows become handles as they are decoded.
            let populate = self.populate_existing;
            let mut handles = Vec::new();
            let mut sink =
                |identity: &mut IdentityMap, shared: &Arc<SessionShared>, row: &mut Row| {
                    handles.push(identity.materialize_at::<M>(shared, row, 0, populate)?);
                    Ok(())
                };
            self.core.each_row(st, shared, select, &mut sink).await?;
            return Ok(handles);
        }
        let rows = self.core.rows(st, shared, select).await?;
        let loads = EagerLoads {
            joins: &joins,
            rest: &rest,
            dedupe,
        };
        self.load_joined(st, shared, rows, loads).await
    }

    /// Handles from rows of a query with joins (each instance once) or eager
    /// loaders: the joined loaders read from the same rows, the others load after.
    async fn load_joined(
        &self,
        st: &mut SessionState,
        shared: &Arc<SessionShared>,
        rows: Vec<Row>,
        loads: EagerLoads<'_>,
    ) -> Result<Vec<Handle<M>>> {
        let EagerLoads {
            joins,
            rest,
            dedupe,
        } = loads;
        let mut handles: Vec<Handle<M>> = Vec::with_capacity(rows.len());
        let mut seen = HashMap::default();
        let mut ids = HashSet::default();
        for mut row in rows {
            let h = st.materialize_at::<M>(shared, &mut row, 0, self.populate_existing)?;
            if !joins.is_empty() {
                read_joined_row(st, shared, joins, &h.erased(), &mut row, &mut seen)?;
            }
            if !dedupe || ids.insert(h.erased().id()) {
                handles.push(h);
            }
        }
        let parents: Vec<_> = handles.iter().map(Handle::erased).collect();
        if !joins.is_empty() {
            finish_joined(st, joins, &parents, seen)?;
        }
        if !rest.is_empty() {
            load_eager(st, shared, rest, &parents).await?;
        }
        Ok(handles)
    }

    terminal_methods!(Handle<M>);

    /// Streams the matching instances, fetching [`fetch_size`](Query::fetch_size) rows per
    /// round trip through a server-side cursor, so memory does not grow with the result.
    /// Eager-loading options do not apply to streamed instances.
    pub fn iter(&self) -> Result<QueryIter<'s, M>> {
        let select = self.core.full_select();
        let dedupe = !select.joins.is_empty();
        let cursor = Cursor::open(self.core.session, select, self.core.fetch_size)?;
        Ok(QueryIter::new(cursor, self.populate_existing, dedupe))
    }
}

/// What a query loads besides its rows' instances: joined loaders, the loaders
/// left for after the query, and whether joins make an instance repeat.
struct EagerLoads<'a> {
    joins: &'a [JoinedLoad],
    rest: &'a [LoaderOption],
    dedupe: bool,
}

impl<M: Model> AsSelect for Query<'_, M> {
    /// The query as a subquery (eager-loading options do not apply).
    fn as_select(&self) -> Select {
        self.core.full_select()
    }
}

impl<'s, M: Model> IntoIterator for Query<'s, M> {
    type Item = Result<Handle<M>>;
    type IntoIter = QueryIter<'s, M>;

    /// `for article in session.query::<Article>() { .. }`: streams, as [`Query::iter`].
    fn into_iter(self) -> QueryIter<'s, M> {
        let select = self.core.full_select();
        let dedupe = !select.joins.is_empty();
        let session = self.core.session;
        let cursor =
            Cursor::or_failed(session, Cursor::open(session, select, self.core.fetch_size));
        QueryIter::new(cursor, self.populate_existing, dedupe)
    }
}
