//! [`Alias`]: a model's rows under another name: the same table a second time (a
//! self-join, a table joined twice), a CTE of the model's rows, or a subquery of them.
//!
//! An alias's columns are typed like the model's own: `parent.col(Node::id)` is a
//! [`TypedExpr`] of `Node::id`'s type, qualified by the alias, so comparing it with a
//! value of another type does not compile.
//!
//! ```no_run
//! # use orm_core::{aliased, Col, Model, Session};
//! # fn demo<Node: Model>(session: &Session, id: Col<Node, Option<i32>>,
//! #     parent_id: Col<Node, Option<i32>>, name: Col<Node, String>) -> orm_core::Result<()> {
//! // Nodes whose parent is called "root": a self-join.
//! let parent = aliased::<Node>();
//! let children = session
//!     .query::<Node>()
//!     .join_to(&parent, parent_id.eq(parent.col(id)))
//!     .filter(parent.col(name).eq("root"))
//!     .all()?;
//! # Ok(()) }
//! ```

use super::entities::Entity;
use super::source::{FromSource, SourceKind};
use super::{EntityQuery, Query};
use crate::expr::{Col, Expr, TypedExpr};
use crate::model::Model;
use crate::session::Session;
use crate::statement::model_items;
use crate::statement::{anon, Cte, SelectItem, TableRef};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// `M`'s rows under another name; see the [module docs](self).
pub struct Alias<M> {
    pub(crate) name: Cow<'static, str>,
    pub(crate) kind: SourceKind,
    _model: PhantomData<fn() -> M>,
}

impl<M> Clone for Alias<M> {
    fn clone(&self) -> Self {
        Alias::new(self.name.clone(), self.kind.clone())
    }
}

impl<M> fmt::Debug for Alias<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Alias({})", anon::describe(&self.name))
    }
}

/// An anonymous alias of `M`'s table, rendered `<table>_1`, `<table>_2`, ... in
/// each statement (SQLAlchemy's `aliased(Node)`).
pub fn aliased<M: Model>() -> Alias<M> {
    let table = M::table().name.as_str();
    Alias::new(
        anon::table_alias(table).into(),
        SourceKind::Table(table.into()),
    )
}

/// An alias of `M`'s table called `name` (`FROM "nodes" AS "parent"`).
pub fn aliased_as<M: Model>(name: impl Into<Cow<'static, str>>) -> Alias<M> {
    let table = M::table().name.as_str();
    Alias::new(name.into(), SourceKind::Table(table.into()))
}

impl<M> Alias<M> {
    pub(crate) fn new(name: Cow<'static, str>, kind: SourceKind) -> Self {
        Alias {
            name,
            kind,
            _model: PhantomData,
        }
    }

    /// The column `column` of this alias, typed as the model's column.
    pub fn col<T>(&self, column: Col<M, T>) -> TypedExpr<T> {
        TypedExpr::new(Expr::column(self.name.clone(), column.name()))
    }

    /// The name the statement refers to the alias by (an anonymous alias's is a
    /// marker that each statement renders as `<table>_<n>`).
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl<M: Model> Alias<M> {
    /// The FROM item that reads this alias's rows under the model's own table name,
    /// so that `M`'s columns (`Node::id`) refer to them.
    pub(crate) fn as_model_table(&self) -> TableRef {
        let table = M::table().name.clone();
        match &self.kind {
            SourceKind::Table(_) => TableRef::new(table),
            SourceKind::Cte { .. } | SourceKind::SelfRef => {
                TableRef::aliased(self.name.clone(), table)
            }
            SourceKind::Derived(select) => TableRef::derived(table, (**select).clone(), vec![]),
        }
    }
}

impl<M> FromSource for Alias<M> {
    fn table_ref(&self) -> TableRef {
        self.kind.table_ref(self.name.clone(), &[])
    }

    fn definition(&self) -> Option<(Cte, bool)> {
        self.kind.definition()
    }
}

impl Session {
    /// A query for `M` reading its rows from `source` (a CTE or subquery of `M`'s
    /// rows) instead of its table. Within the query, `M`'s columns (`Node::id`) refer
    /// to those rows, which become handles through the identity map as usual.
    pub fn query_from<M: Model>(&self, source: &Alias<M>) -> Query<'_, M> {
        let mut q = self.query::<M>();
        q.core.select.from = vec![source.as_model_table()];
        q.core.define(source);
        q
    }
}

/// Qualifies the select items at `range` by `name` instead of their table.
fn requalify(items: &mut [SelectItem], name: &str) {
    for item in items {
        if let Expr::Column(c) = &mut item.expr {
            c.table = Some(Cow::Owned(name.to_owned()));
        }
    }
}

impl<'s, M: Model> Query<'s, M> {
    /// Returns `(M, N)` tuples, the `N` read from `alias` (joined with
    /// [`join_to`](Self::join_to)): `(Handle<M>, Handle<N>)` per row.
    pub fn with_alias<N: Model>(self, alias: &Alias<N>) -> EntityQuery<'s, (M, N)> {
        self.with_aliased_entity::<N>(alias)
    }

    /// Like [`with_alias`](Self::with_alias) for an outer join: `None` where the
    /// join found no row.
    pub fn with_optional_alias<N: Model>(
        self,
        alias: &Alias<N>,
    ) -> EntityQuery<'s, (M, Option<N>)> {
        self.with_aliased_entity::<Option<N>>(alias)
    }

    fn with_aliased_entity<E: Entity>(self, alias: &Alias<impl Model>) -> EntityQuery<'s, (M, E)> {
        let mut q = EntityQuery::from_core(self.core, self.populate_existing);
        let own = model_items(M::table()).len();
        requalify(&mut q.core.select.items[own..], &alias.name);
        q
    }
}
