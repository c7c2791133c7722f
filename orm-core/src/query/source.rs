//! [`FromSource`]: what a query can read from or join besides a model's table: an
//! [`Alias`](super::Alias) of a model (a table alias, a CTE or a subquery of its
//! rows) and a [`Derived`](super::Derived) set of column tuples (a subquery in FROM
//! or a CTE). Joining or selecting from a CTE adds its `WITH` definition to the
//! statement.

use super::base::Core;
use crate::expr::Expr;
use crate::statement::{Cte, Join, JoinKind, Select, TableRef, With};
use std::borrow::Cow;
use std::sync::Arc;

/// Something that stands in a FROM or JOIN clause: a table alias, a derived table or
/// a common table expression.
pub trait FromSource {
    /// The FROM item (`"nodes" AS "nodes_1"`, `"tree"`, `(SELECT ..) AS "anon_1"`).
    fn table_ref(&self) -> TableRef;

    /// The CTE the statement must define to refer to this source, and whether it is
    /// recursive; `None` for a table alias or a derived table.
    fn definition(&self) -> Option<(Cte, bool)>;
}

impl<S: FromSource + ?Sized> FromSource for &S {
    fn table_ref(&self) -> TableRef {
        (**self).table_ref()
    }

    fn definition(&self) -> Option<(Cte, bool)> {
        (**self).definition()
    }
}

/// Where the rows of an alias or derived source come from.
#[derive(Debug, Clone)]
pub(crate) enum SourceKind {
    /// A model's table, under another name.
    Table(Cow<'static, str>),
    /// A common table expression, defined by whoever reads from it.
    Cte { cte: Arc<Cte>, recursive: bool },
    /// A recursive CTE's reference to itself, inside its own definition.
    SelfRef,
    /// A subquery in FROM.
    Derived(Arc<Select>),
}

impl SourceKind {
    /// The FROM item under `name`, with `columns` naming a derived table's columns.
    pub(crate) fn table_ref(
        &self,
        name: Cow<'static, str>,
        columns: &[Cow<'static, str>],
    ) -> TableRef {
        match self {
            SourceKind::Table(table) => TableRef::aliased(table.clone(), name),
            SourceKind::Cte { .. } | SourceKind::SelfRef => TableRef::new(name),
            SourceKind::Derived(select) => {
                TableRef::derived(name, (**select).clone(), columns.to_vec())
            }
        }
    }

    pub(crate) fn definition(&self) -> Option<(Cte, bool)> {
        match self {
            SourceKind::Cte { cte, recursive } => Some(((**cte).clone(), *recursive)),
            _ => None,
        }
    }
}

/// Adds a CTE to `select`'s WITH clause (once per name).
pub(crate) fn add_cte(select: &mut Select, cte: Cte, recursive: bool) {
    select
        .with
        .get_or_insert_with(With::default)
        .add(cte, recursive);
}

impl Core<'_> {
    /// Defines `source`'s CTE in this statement, if it has one.
    pub(crate) fn define(&mut self, source: &impl FromSource) {
        if let Some((cte, recursive)) = source.definition() {
            add_cte(&mut self.select, cte, recursive);
        }
    }

    /// `JOIN <source> ON on`.
    pub(crate) fn join_source(&mut self, source: &impl FromSource, kind: JoinKind, on: Expr) {
        self.define(source);
        self.select.joins.push(Join {
            kind,
            table: source.table_ref(),
            on,
        });
    }

    /// Puts `source` in FROM.
    pub(crate) fn add_from(&mut self, source: &impl FromSource) {
        self.define(source);
        self.select.from.push(source.table_ref());
    }
}

/// Joins to aliases, subqueries and CTEs; reading from one; defining a CTE.
macro_rules! source_methods {
    () => {
        /// `JOIN <source> ON on`: an [`Alias`](crate::query::Alias) (the same table
        /// joined twice, a self-join), a [`Derived`](crate::query::Derived) subquery
        /// or a CTE. Refer to its columns with `alias.col(Node::id)` or
        /// `derived.columns()`.
        pub fn join_to(mut self, source: impl $crate::query::FromSource, on: $crate::Expr) -> Self {
            self.core
                .join_source(&source, $crate::statement::JoinKind::Inner, on);
            self
        }

        /// `LEFT OUTER JOIN <source> ON on`.
        pub fn outer_join_to(
            mut self,
            source: impl $crate::query::FromSource,
            on: $crate::Expr,
        ) -> Self {
            self.core
                .join_source(&source, $crate::statement::JoinKind::LeftOuter, on);
            self
        }

        /// `RIGHT OUTER JOIN <source> ON on`.
        pub fn right_join_to(
            mut self,
            source: impl $crate::query::FromSource,
            on: $crate::Expr,
        ) -> Self {
            self.core
                .join_source(&source, $crate::statement::JoinKind::RightOuter, on);
            self
        }

        /// `FULL OUTER JOIN <source> ON on`.
        pub fn full_join_to(
            mut self,
            source: impl $crate::query::FromSource,
            on: $crate::Expr,
        ) -> Self {
            self.core
                .join_source(&source, $crate::statement::JoinKind::FullOuter, on);
            self
        }

        /// Adds `source` to FROM (a derived table or CTE to select columns from, or
        /// an alias for a cross join filtered in WHERE).
        pub fn select_from_source(mut self, source: impl $crate::query::FromSource) -> Self {
            self.core.add_from(&source);
            self
        }

        /// Defines `source`'s CTE in this statement without reading from it here (a
        /// subquery in a filter refers to it). Joining or selecting from a CTE
        /// defines it already.
        pub fn with_cte(mut self, source: impl $crate::query::FromSource) -> Self {
            self.core.define(&source);
            self
        }
    };
}

pub(crate) use source_methods;
