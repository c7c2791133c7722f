//! Joining along a declared relationship: the ON condition comes from the
//! relationship's foreign key (or association table).

use super::base::Core;
use super::Query;
use crate::error::{Error, Result};
use crate::expr::{BinaryOp, Expr};
use crate::model::Model;
use crate::relationship::RelationOf;
use crate::schema::Table;
use crate::statement::JoinKind;

/// `a.c1 = b.d1 AND ...` between the given columns of two tables.
fn columns_equal(a: &Table, a_cols: &[usize], b: &Table, b_cols: &[usize]) -> Expr {
    Expr::all(a_cols.iter().zip(b_cols).map(|(&x, &y)| {
        Expr::column(a.name.clone(), a.columns[x].name.clone()).binary(
            BinaryOp::Eq,
            Expr::column(b.name.clone(), b.columns[y].name.clone()),
        )
    }))
}

impl<M: Model> Query<'_, M> {
    /// Inner join along a relationship of `M`, without writing the condition:
    /// `session.query::<Author>().join_related(Author::articles)?` joins `articles`
    /// on its foreign key; a many-to-many relationship joins the association table
    /// and then the target. Filter and order on the target's columns as usual; each
    /// `M` is returned once.
    ///
    /// A self-referential relationship would join a table twice, which needs aliases:
    /// [`Error::InvalidRequest`].
    pub fn join_related(self, rel: impl RelationOf<M>) -> Result<Self> {
        self.join_along(rel, JoinKind::Inner)
    }

    /// Left outer join along a relationship of `M`, as [`join_related`](Self::join_related).
    pub fn outer_join_related(self, rel: impl RelationOf<M>) -> Result<Self> {
        self.join_along(rel, JoinKind::LeftOuter)
    }

    fn join_along(mut self, rel: impl RelationOf<M>, kind: JoinKind) -> Result<Self> {
        let def = rel.relationship();
        let r = def.resolved()?;
        let (source, target) = ((def.source)(), (def.target)());
        if source.name == target.name {
            return Err(Error::InvalidRequest(format!(
                "joining `{}` along its self-referential relationship `{}` needs table aliases, which are not supported",
                source.name, def.name
            )));
        }
        join_relationship(&mut self.core, r, source, target, kind);
        Ok(self)
    }
}

fn join_relationship(
    core: &mut Core<'_>,
    r: &crate::relationship::Resolved,
    source: &'static Table,
    target: &'static Table,
    kind: JoinKind,
) {
    match &r.secondary {
        Some(sec) => {
            let assoc = sec.table;
            core.join(
                assoc,
                kind,
                columns_equal(assoc, &sec.source_columns, source, &sec.source_key),
            );
            core.join(
                target,
                kind,
                columns_equal(target, &sec.target_key, assoc, &sec.target_columns),
            );
        }
        None => {
            let on = columns_equal(
                r.child_table,
                &r.child_columns,
                r.parent_table,
                &r.parent_columns,
            );
            core.join(target, kind, on);
        }
    }
}
