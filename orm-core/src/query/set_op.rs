//! Set operations: `UNION [ALL]`, `INTERSECT [ALL]`, `EXCEPT [ALL]`.
//!
//! On a [`Query`] of a model the result is again a query of that model reading from
//! the compound (`SELECT .. FROM (.. UNION ..) AS "articles"`), so filters, order,
//! limits, joins and eager loading apply to the combined rows, as in SQLAlchemy's
//! `Query.union`. On a [`ColumnQuery`] the result is a [`SetQuery`]: the compound
//! itself, which can be ordered, limited, run, or used as a subquery or CTE.

use super::base::Core;
use super::builder::terminal_methods;
use super::columns::Columns;
use super::source::SourceKind;
use super::{Alias, ColumnQuery, Query};
use crate::error::Result;
use crate::expr::{AsSelect, Col, ColumnSubquery, Order, TypedExpr};
use crate::model::Model;
use crate::schema::ColumnType;
use crate::statement::{anon, Select, SetOperation, SetOperator, TableRef};
use std::marker::PhantomData;
use std::sync::Arc;

/// `left op right` as one statement. A left side with its own ORDER BY, LIMIT,
/// OFFSET or lock is read as a subquery first, so those stay its own.
pub(crate) fn combine(left: Select, op: SetOperator, right: Select) -> Select {
    let mut left = if has_own_tail(&left) {
        Select {
            from: vec![TableRef::derived(anon::subquery_alias(), left, Vec::new())],
            ..Select::default()
        }
    } else {
        left
    };
    left.set_ops.push(SetOperation { op, select: right });
    left
}

fn has_own_tail(s: &Select) -> bool {
    !s.order_by.is_empty() || s.limit.is_some() || s.offset.is_some() || s.lock.is_some()
}

macro_rules! set_op_methods {
    ($other:ty, $out:ty) => {
        /// `self UNION other`: rows of either, duplicates removed.
        pub fn union(self, other: $other) -> $out {
            self.set_op(SetOperator::Union, other.as_select())
        }

        /// `self UNION ALL other`: rows of both, duplicates kept.
        pub fn union_all(self, other: $other) -> $out {
            self.set_op(SetOperator::UnionAll, other.as_select())
        }

        /// `self INTERSECT other`: rows in both, duplicates removed.
        pub fn intersect(self, other: $other) -> $out {
            self.set_op(SetOperator::Intersect, other.as_select())
        }

        /// `self INTERSECT ALL other`.
        pub fn intersect_all(self, other: $other) -> $out {
            self.set_op(SetOperator::IntersectAll, other.as_select())
        }

        /// `self EXCEPT other`: rows of `self` not in `other`, duplicates removed.
        pub fn except(self, other: $other) -> $out {
            self.set_op(SetOperator::Except, other.as_select())
        }

        /// `self EXCEPT ALL other`.
        pub fn except_all(self, other: $other) -> $out {
            self.set_op(SetOperator::ExceptAll, other.as_select())
        }
    };
}

impl<'s, M: Model> Query<'s, M> {
    set_op_methods!(Query<'_, M>, Query<'s, M>);

    fn set_op(self, op: SetOperator, right: Select) -> Query<'s, M> {
        let body = combine(self.core.full_select(), op, right);
        let table = M::table().name.clone();
        let source = Alias::<M>::new(table.into(), SourceKind::Derived(Arc::new(body)));
        let mut q = self.core.session.query_from(&source);
        q.options = self.options;
        q.populate_existing = self.populate_existing;
        q.core.route = self.core.route;
        q.core.fetch_size = self.core.fetch_size;
        q
    }
}

/// A set operation of column queries (`a UNION b`), returning `C::Output` per row.
///
/// Its `order_by` keys are the output columns (a column orders by its name, as SQL
/// requires after a set operation).
///
/// ```no_run
/// # use orm_core::{Col, Model, Session};
/// # fn demo<A: Model, B: Model>(session: &Session, email: Col<A, String>,
/// #     slug: Col<B, String>) -> orm_core::Result<()> {
/// let names: Vec<String> = session
///     .query_columns(email)
///     .union(session.query_columns(slug))
///     .order_by(email)
///     .all()?;
/// # Ok(()) }
/// ```
pub struct SetQuery<'s, C: Columns> {
    core: Core<'s>,
    _columns: PhantomData<fn() -> C>,
}

impl<C: Columns> Clone for SetQuery<'_, C> {
    fn clone(&self) -> Self {
        SetQuery {
            core: self.core.clone(),
            _columns: PhantomData,
        }
    }
}

impl<'s, C: Columns> ColumnQuery<'s, C> {
    set_op_methods!(
        ColumnQuery<'_, impl Columns<Output = C::Output>>,
        SetQuery<'s, C>
    );

    fn set_op(self, op: SetOperator, right: Select) -> SetQuery<'s, C> {
        let mut core = self.core;
        core.select = combine(core.full_select(), op, right);
        SetQuery {
            core,
            _columns: PhantomData,
        }
    }
}

impl<'s, C: Columns> SetQuery<'s, C> {
    set_op_methods!(
        ColumnQuery<'_, impl Columns<Output = C::Output>>,
        SetQuery<'s, C>
    );

    fn set_op(mut self, op: SetOperator, right: Select) -> SetQuery<'s, C> {
        self.core.select = combine(self.core.select, op, right);
        self
    }

    /// Adds an ORDER BY key on an output column; several calls add more keys.
    pub fn order_by(mut self, order: impl Into<Order>) -> Self {
        self.core.select.order_by.push(order.into());
        self
    }

    /// At most `n` rows (`limit(0)` sends nothing, as on other queries).
    pub fn limit(mut self, n: u64) -> Self {
        self.core.select.limit = Some(n);
        self
    }

    /// Skips the first `n` rows.
    pub fn offset(mut self, n: u64) -> Self {
        self.core.select.offset = Some(n);
        self
    }

    /// The statement this query runs.
    pub fn statement(&self) -> &Select {
        &self.core.select
    }

    /// The SQL and parameters this query sends for [`all`](Self::all).
    pub fn compiled(&self) -> crate::Compiled {
        self.core.compiled()
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
}

impl<C: Columns> AsSelect for SetQuery<'_, C> {
    /// The compound as a subquery.
    fn as_select(&self) -> Select {
        self.core.select.clone()
    }
}

/// A one-column set operation is a subquery for `IN`.
impl<M, T: ColumnType> ColumnSubquery<T::Base> for SetQuery<'_, Col<M, T>> {}

/// A one-expression set operation is a subquery for `IN`.
impl<T: ColumnType> ColumnSubquery<T::Base> for SetQuery<'_, TypedExpr<T>> {}
