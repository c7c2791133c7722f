//! Queries as named row sources: common table expressions (`WITH`, `WITH
//! RECURSIVE`), subqueries in FROM, and scalar subqueries.
//!
//! A model query gives an [`Alias`] of the model (read it with
//! [`Session::query_from`](crate::Session::query_from), join it with `join_to`); a
//! column query gives a [`Derived`] with typed handles to its columns.
//!
//! ```no_run
//! # use orm_core::{Col, Model, Session};
//! # fn demo<Node: Model>(session: &Session, id: Col<Node, Option<i32>>,
//! #     parent_id: Col<Node, Option<i32>>) -> orm_core::Result<()> {
//! // Node 1 and all its descendants, to any depth, in one statement.
//! let tree = session
//!     .query::<Node>()
//!     .filter(id.eq(1))
//!     .recursive_cte("tree", |tree| {
//!         session.query::<Node>().join_to(tree, parent_id.eq(tree.col(id)))
//!     });
//! let descendants = session.query_from(&tree).order_by(id).all()?;
//! # Ok(()) }
//! ```

use super::columns::Columns;
use super::derived::{output_names, Derived};
use super::set_op::{combine, SetQuery};
use super::source::SourceKind;
use super::{Alias, ColumnQuery, Query};
use crate::expr::{ColumnExpr, Expr, TypedExpr};
use crate::model::Model;
use crate::statement::{anon, Cte, Select, SetOperator};
use std::borrow::Cow;
use std::sync::Arc;

fn cte_kind(
    name: Cow<'static, str>,
    columns: &[Cow<'static, str>],
    body: Select,
    recursive: bool,
) -> SourceKind {
    let cte = Cte {
        name,
        columns: columns.to_vec(),
        select: body,
    };
    SourceKind::Cte {
        cte: Arc::new(cte),
        recursive,
    }
}

impl<M: Model> Query<'_, M> {
    /// `WITH name AS (this query)`: the query's rows as a CTE of `M`, to read with
    /// [`Session::query_from`](crate::Session::query_from) or join with `join_to`.
    pub fn cte(&self, name: impl Into<Cow<'static, str>>) -> Alias<M> {
        let name = name.into();
        let kind = cte_kind(name.clone(), &[], self.core.full_select(), false);
        Alias::new(name, kind)
    }

    /// `WITH RECURSIVE name AS (this query UNION ALL step)`: `step` builds the
    /// recursive part from the CTE itself (join it with `join_to`), e.g. the children
    /// of the rows found so far: a tree walked to any depth in one statement. The
    /// walk stops when a step finds no new rows, so data with a cycle walks forever
    /// (filter on a depth column to bound it).
    pub fn recursive_cte<'o>(
        &self,
        name: impl Into<Cow<'static, str>>,
        step: impl FnOnce(&Alias<M>) -> Query<'o, M>,
    ) -> Alias<M> {
        let name = name.into();
        let this = Alias::new(name.clone(), SourceKind::SelfRef);
        let recursive_part = step(&this).core.full_select();
        let body = combine(
            self.core.full_select(),
            SetOperator::UnionAll,
            recursive_part,
        );
        let kind = cte_kind(name.clone(), &[], body, true);
        Alias::new(name, kind)
    }

    /// The query as a subquery in FROM (`(SELECT ..) AS "anon_1"`), to join with
    /// `join_to` or read with [`Session::query_from`](crate::Session::query_from).
    pub fn subquery(&self) -> Alias<M> {
        let kind = SourceKind::Derived(Arc::new(self.core.full_select()));
        Alias::new(anon::subquery_alias().into(), kind)
    }
}

fn derived<C: Columns>(select: Select, name: Option<Cow<'static, str>>) -> Derived<C> {
    let exprs: Vec<Expr> = select.items.iter().map(|i| i.expr.clone()).collect();
    let columns = output_names(&exprs);
    match name {
        Some(name) => {
            let kind = cte_kind(name.clone(), &columns, select, false);
            Derived::new(name, columns, kind)
        }
        None => {
            let kind = SourceKind::Derived(Arc::new(select));
            Derived::new(anon::subquery_alias().into(), columns, kind)
        }
    }
}

impl<C: Columns> ColumnQuery<'_, C> {
    /// The query as a subquery in FROM, with typed handles to its columns.
    pub fn subquery(&self) -> Derived<C> {
        derived(self.core.full_select(), None)
    }

    /// `WITH name ("c1", ..) AS (this query)`, with typed handles to its columns.
    pub fn cte(&self, name: impl Into<Cow<'static, str>>) -> Derived<C> {
        derived(self.core.full_select(), Some(name.into()))
    }

    /// `WITH RECURSIVE name AS (this query UNION ALL step)`; `step` selects columns of
    /// the same types from the CTE itself (`tree.columns()`), e.g. a depth plus one.
    pub fn recursive_cte<'o, C2: Columns<Output = C::Output>>(
        &self,
        name: impl Into<Cow<'static, str>>,
        step: impl FnOnce(&Derived<C>) -> ColumnQuery<'o, C2>,
    ) -> Derived<C> {
        let name = name.into();
        let anchor = self.core.full_select();
        let exprs: Vec<Expr> = anchor.items.iter().map(|i| i.expr.clone()).collect();
        let columns = output_names(&exprs);
        let this = Derived::new(name.clone(), columns.clone(), SourceKind::SelfRef);
        let recursive_part = step(&this).core.full_select();
        let body = combine(anchor, SetOperator::UnionAll, recursive_part);
        let kind = cte_kind(name.clone(), &columns, body, true);
        Derived::new(name, columns, kind)
    }
}

impl<C: Columns + ColumnExpr> ColumnQuery<'_, C> {
    /// `(SELECT ..)` as a value: compare it (`Article::id.eq(q.scalar_subquery())`)
    /// or select it as a column. It may refer to the enclosing query's tables (a
    /// correlated subquery). It must return at most one row; no row reads as NULL.
    pub fn scalar_subquery(&self) -> TypedExpr<C::Type> {
        TypedExpr::new(Expr::Subquery(Box::new(self.core.full_select())))
    }
}

impl<C: Columns> SetQuery<'_, C> {
    /// The set operation as a subquery in FROM, with typed handles to its columns.
    pub fn subquery(&self) -> Derived<C> {
        derived(self.statement().clone(), None)
    }

    /// `WITH name AS (a UNION b ..)`, with typed handles to its columns.
    pub fn cte(&self, name: impl Into<Cow<'static, str>>) -> Derived<C> {
        derived(self.statement().clone(), Some(name.into()))
    }
}
