//! Joining along a declared relationship: the ON condition comes from the
//! relationship's foreign key (or association table).

use super::base::Core;
use super::{Alias, Query};
use crate::error::{Error, Result};
use crate::expr::{BinaryOp, Expr};
use crate::model::Model;
use crate::relationship::{RelationOf, Side, ToMany, ToOne};
use crate::schema::Table;
use crate::statement::{JoinKind, TableRef};
use std::borrow::Cow;

/// A table in the ON condition: its metadata and the name the query knows it by.
type Named<'a> = (&'a Table, Cow<'static, str>);

fn named(table: &'static Table) -> Named<'static> {
    (table, table.name.clone().into())
}

/// `a.c1 = b.d1 AND ...` between the given columns of two tables.
fn columns_equal(a: &Named<'_>, a_cols: &[usize], b: &Named<'_>, b_cols: &[usize]) -> Expr {
    Expr::all(a_cols.iter().zip(b_cols).map(|(&x, &y)| {
        Expr::column(a.1.clone(), a.0.columns[x].name.clone()).binary(
            BinaryOp::Eq,
            Expr::column(b.1.clone(), b.0.columns[y].name.clone()),
        )
    }))
}

/// A relationship from `S` to `T`, for joining `T` through an alias.
pub trait RelationTo<S, T>: RelationOf<S> {}

impl<S, T> RelationTo<S, T> for ToOne<S, T> {}
impl<S, T> RelationTo<S, T> for ToMany<S, T> {}

impl<M: Model> Query<'_, M> {
    /// Inner join along a relationship of `M`, without writing the condition:
    /// `session.query::<Author>().join_related(Author::articles)?` joins `articles`
    /// on its foreign key; a many-to-many relationship joins the association table
    /// and then the target. Filter and order on the target's columns as usual; each
    /// `M` is returned once.
    ///
    /// A self-referential relationship would join a table to itself:
    /// [`Error::InvalidRequest`]; join it through an alias with
    /// [`join_related_as`](Self::join_related_as).
    pub fn join_related(self, rel: impl RelationOf<M>) -> Result<Self> {
        self.join_along(rel, JoinKind::Inner)
    }

    /// Left outer join along a relationship of `M`, as [`join_related`](Self::join_related).
    pub fn outer_join_related(self, rel: impl RelationOf<M>) -> Result<Self> {
        self.join_along(rel, JoinKind::LeftOuter)
    }

    /// Inner join along a relationship of `M` to the target read through `alias`:
    /// a self-referential relationship (`Node::children`), or a table already in the
    /// query. Filter and order on `alias.col(..)`.
    pub fn join_related_as<T: Model>(
        self,
        rel: impl RelationTo<M, T>,
        alias: &Alias<T>,
    ) -> Result<Self> {
        self.join_along_as(rel, alias.name.clone(), JoinKind::Inner)
    }

    /// Left outer join along a relationship through an alias, as
    /// [`join_related_as`](Self::join_related_as).
    pub fn outer_join_related_as<T: Model>(
        self,
        rel: impl RelationTo<M, T>,
        alias: &Alias<T>,
    ) -> Result<Self> {
        self.join_along_as(rel, alias.name.clone(), JoinKind::LeftOuter)
    }

    fn join_along(self, rel: impl RelationOf<M>, kind: JoinKind) -> Result<Self> {
        let def = rel.relationship();
        let (source, target) = ((def.source)(), (def.target)());
        if source.name == target.name {
            return Err(Error::InvalidRequest(format!(
                "joining `{}` along its self-referential relationship `{}` joins the table to \
                 itself: use join_related_as with an alias (`aliased::<Model>()`)",
                source.name, def.name
            )));
        }
        let name = target.name.clone().into();
        self.join_along_as(rel, name, kind)
    }

    fn join_along_as(
        mut self,
        rel: impl RelationOf<M>,
        target_name: Cow<'static, str>,
        kind: JoinKind,
    ) -> Result<Self> {
        let def = rel.relationship();
        let r = def.resolved()?;
        let source = named((def.source)());
        let target = ((def.target)(), target_name);
        join_relationship(&mut self.core, r, &source, &target, kind);
        Ok(self)
    }
}

fn join_relationship(
    core: &mut Core<'_>,
    r: &crate::relationship::Resolved,
    source: &Named<'static>,
    target: &Named<'static>,
    kind: JoinKind,
) {
    let on = match &r.secondary {
        Some(sec) => {
            let assoc = named(sec.table);
            let on = columns_equal(&assoc, &sec.source_columns, source, &sec.source_key);
            core.join(sec.table, kind, on);
            columns_equal(target, &sec.target_key, &assoc, &sec.target_columns)
        }
        None => {
            let (child, parent) = match r.holder {
                Side::Source => (source, target),
                Side::Target => (target, source),
            };
            columns_equal(child, &r.child_columns, parent, &r.parent_columns)
        }
    };
    let item = if *target.1 == target.0.name {
        TableRef::new(target.1.clone())
    } else {
        TableRef::aliased(target.0.name.clone(), target.1.clone())
    };
    core.join_table_ref(item, target.0, kind, on);
}
