//! [`ColumnQuery`]: a query of column values and typed expressions, returned as
//! values or tuples (SQLAlchemy's `session.query(Article.slug, Article.title)`).

use super::base::Core;
use super::builder::{builder_methods, terminal_methods};
use super::columns::Columns;
use super::iter::{ColumnIter, Cursor};
use crate::error::Result;
use crate::expr::{AsSelect, Col, ColumnExpr, ColumnSubquery, Expr, TypedExpr};
use crate::model::Model;
use crate::schema::ColumnType;
use crate::session::Session;
use crate::statement::{Select, SelectItem, TableRef};
use std::marker::PhantomData;

/// A query returning column values: `C::Output` per row, a value for one column
/// (`Vec<String>`) and a tuple for a tuple of columns (`Vec<(String, String)>`).
///
/// The FROM clause is every table the selected columns belong to that is not joined
/// (in select-list order); [`select_from`](ColumnQuery::select_from) names one
/// explicitly (needed when only aggregates are selected, or when every column comes
/// from a joined table).
///
/// ```
/// # tests::doc_blog!();
/// # fn main() -> orm_core::Result<()> {
/// # let db = blog_db("doc_query_columns");
/// # let session = db.engine.session();
/// use orm_core::func;
/// // The third article's slug and title.
/// let third: Option<(String, String)> = session
///     .query_columns((Article::slug, Article::title))
///     .order_by(Article::id)
///     .nth(2)?;
/// assert_eq!(third.map(|(slug, _)| slug).as_deref(), Some("sqlalchemy-postgres"));
/// // Authors with more than one article, and how many.
/// let prolific: Vec<(Option<i32>, i64)> = session
///     .query_columns((Article::author_id, func::count(Article::id)))
///     .group_by(Article::author_id)
///     .having(func::count(Article::id).gt(1))
///     .all()?;
/// assert_eq!(prolific, [(Some(1), 2)]);
/// # Ok(()) }
/// ```
pub struct ColumnQuery<'s, C: Columns> {
    pub(super) core: Core<'s>,
    _columns: PhantomData<fn() -> C>,
}

impl<C: Columns> Clone for ColumnQuery<'_, C> {
    fn clone(&self) -> Self {
        ColumnQuery {
            core: self.core.clone(),
            _columns: PhantomData,
        }
    }
}

impl Session {
    /// A query of column values: `session.query_columns(Article::slug)` returns
    /// `String`s, `session.query_columns((Article::slug, Author::email))` returns
    /// `(String, String)` tuples; columns may be typed expressions such as
    /// `func::count(Article::id)`.
    pub fn query_columns<C: Columns>(&self, columns: C) -> ColumnQuery<'_, C> {
        ColumnQuery::from_core(Core::new(self, Select::default(), Vec::new()), columns)
    }
}

impl<'s, C: Columns> ColumnQuery<'s, C> {
    /// A query with `core`'s statement, selecting `columns` instead.
    pub(crate) fn from_core(mut core: Core<'s>, columns: C) -> Self {
        core.select.items = columns
            .exprs()
            .into_iter()
            .map(|expr| SelectItem { expr, alias: None })
            .collect();
        ColumnQuery {
            core,
            _columns: PhantomData,
        }
    }

    builder_methods!();

    /// Puts `M`'s table in FROM (first), whatever is selected.
    pub fn select_from<M: Model>(mut self) -> Self {
        self.core
            .select
            .from
            .push(TableRef::new(M::table().name.clone()));
        self.core.know(M::table());
        self
    }

    /// Adds a GROUP BY key; several calls add more keys.
    pub fn group_by(mut self, key: impl ColumnExpr) -> Self {
        self.core.select.group_by.push(key.to_expr());
        self
    }

    /// Adds a HAVING condition (on aggregates); several calls are ANDed.
    pub fn having(mut self, condition: Expr) -> Self {
        let having = match self.core.select.having.take() {
            Some(h) => h.and(condition),
            None => condition,
        };
        self.core.select.having = Some(having);
        self
    }

    /// The statement this query runs (with its FROM clause filled in).
    pub fn statement(&self) -> Select {
        self.core.full_select()
    }

    fn what(&self) -> String {
        "row".to_owned()
    }

    pub(crate) async fn load_in(
        &self,
        st: &mut crate::session::SessionState,
        shared: &std::sync::Arc<crate::session::SessionShared>,
        select: Select,
    ) -> Result<Vec<C::Output>> {
        let rows = self.core.rows(st, shared, select).await?;
        rows.into_iter().map(|mut r| C::decode(&mut r)).collect()
    }

    terminal_methods!(C::Output);

    /// Streams the results through a server-side cursor,
    /// [`fetch_size`](ColumnQuery::fetch_size) rows per round trip.
    pub fn iter(&self) -> Result<ColumnIter<'s, C>> {
        let select = self.core.full_select();
        let cursor = Cursor::open(self.core.session, select, self.core.fetch_size)?;
        Ok(ColumnIter::new(cursor))
    }
}

impl<C: Columns> AsSelect for ColumnQuery<'_, C> {
    /// The query as a subquery.
    fn as_select(&self) -> Select {
        self.core.full_select()
    }
}

/// A one-column query is a subquery for `IN`.
impl<M, T: ColumnType> ColumnSubquery<T::Base> for ColumnQuery<'_, Col<M, T>> {}

/// A one-expression query is a subquery for `IN`.
impl<T: ColumnType> ColumnSubquery<T::Base> for ColumnQuery<'_, TypedExpr<T>> {}

impl<'s, C: Columns> IntoIterator for ColumnQuery<'s, C> {
    type Item = Result<C::Output>;
    type IntoIter = ColumnIter<'s, C>;

    /// `for slug in session.query_columns(Article::slug) { .. }`: streams, as
    /// [`ColumnQuery::iter`].
    fn into_iter(self) -> ColumnIter<'s, C> {
        let session = self.core.session;
        let select = self.core.full_select();
        let cursor =
            Cursor::or_failed(session, Cursor::open(session, select, self.core.fetch_size));
        ColumnIter::new(cursor)
    }
}
