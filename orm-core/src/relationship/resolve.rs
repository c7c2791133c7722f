//! Finding the foreign-key columns a relationship goes through.

use super::def::{RelationKind, RelationshipDef};
use crate::schema::{ForeignKey, ReferentialAction, Table};
use std::sync::Arc;

/// Which model's table holds the foreign key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// The declaring model (many-to-one).
    Source,
    /// The target model (one-to-many, one-to-one).
    Target,
}

/// The association table of a many-to-many relationship and its columns.
#[derive(Debug, Clone)]
pub(crate) struct Secondary {
    pub(crate) table: &'static Table,
    /// Columns of the association table referencing the source, and the source's key.
    pub(crate) source_columns: Arc<[usize]>,
    pub(crate) source_key: Vec<usize>,
    /// Columns of the association table referencing the target, and the target's key.
    pub(crate) target_columns: Arc<[usize]>,
    pub(crate) target_key: Vec<usize>,
}

/// A relationship's resolved columns.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    /// Which side holds the foreign key (unused for many-to-many).
    pub(crate) holder: Side,
    /// The table holding the foreign key, its columns, and the referenced key columns.
    pub(crate) child_table: &'static Table,
    pub(crate) child_columns: Arc<[usize]>,
    pub(crate) parent_table: &'static Table,
    pub(crate) parent_columns: Arc<[usize]>,
    pub(crate) secondary: Option<Secondary>,
    /// The foreign key's `ON DELETE` action (one-to-many, one-to-one, many-to-one).
    pub(crate) on_delete: Option<ReferentialAction>,
}

fn columns(table: &Table, names: &[String]) -> Result<Arc<[usize]>, String> {
    names
        .iter()
        .map(|n| {
            table
                .column_index(n)
                .ok_or_else(|| format!("table `{}` has no column `{n}`", table.name))
        })
        .collect()
}

/// The one foreign key of `holder` that points at `referenced` (and uses `wanted`, if given).
fn find_fk<'t>(
    def: &RelationshipDef,
    holder: &'t Table,
    referenced: &Table,
    wanted: Option<&str>,
    skip: Option<&ForeignKey>,
) -> Result<&'t ForeignKey, String> {
    let source = (def.source)().name.as_str();
    let candidates: Vec<&ForeignKey> = holder
        .foreign_keys
        .iter()
        .filter(|fk| fk.target_table == referenced.name)
        .filter(|fk| wanted.is_none_or(|w| fk.columns.iter().any(|c| c == w)))
        .filter(|fk| skip != Some(*fk))
        .collect();
    match candidates.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "relationship `{source}.{}`: table `{}` has no foreign key{} to `{}`; add \
             #[orm(foreign_key = \"{}.<column>\")] to the referencing field of `{}`",
            def.name,
            holder.name,
            wanted
                .map(|w| format!(" in column `{w}`"))
                .unwrap_or_default(),
            referenced.name,
            referenced.name,
            holder.name
        )),
        many => Err(format!(
            "relationship `{source}.{}`: table `{}` has {} foreign keys to `{}` ({}); name one \
             with foreign_key = \"<column>\" on the relationship",
            def.name,
            holder.name,
            many.len(),
            referenced.name,
            many.iter()
                .map(|fk| fk.columns.join(", "))
                .collect::<Vec<_>>()
                .join("; ")
        )),
    }
}

impl Resolved {
    pub(crate) fn find(def: &RelationshipDef) -> Result<Resolved, String> {
        let (source, target) = ((def.source)(), (def.target)());
        if def.kind == RelationKind::ManyToMany {
            return Self::many_to_many(def, source, target);
        }
        let (holder, child, parent) = match def.kind {
            RelationKind::ManyToOne => (Side::Source, source, target),
            _ => (Side::Target, target, source),
        };
        let fk = find_fk(def, child, parent, def.foreign_key, None)?;
        if def.passive_deletes {
            check_passive(def, holder, fk)?;
        }
        Ok(Resolved {
            holder,
            child_table: child,
            child_columns: columns(child, &fk.columns)?,
            parent_table: parent,
            parent_columns: columns(parent, &fk.target_columns)?,
            secondary: None,
            on_delete: fk.on_delete,
        })
    }

    fn many_to_many(
        def: &RelationshipDef,
        source: &'static Table,
        target: &'static Table,
    ) -> Result<Resolved, String> {
        let assoc = def.secondary.map(|f| f()).ok_or_else(|| {
            format!(
                "many-to-many relationship `{}.{}` needs secondary = \"<association table>\"",
                source.name, def.name
            )
        })?;
        let to_source = find_fk(def, assoc, source, def.foreign_key, None)?;
        let skip = (source.name == target.name).then_some(to_source);
        let to_target = find_fk(def, assoc, target, None, skip)?;
        let secondary = Secondary {
            table: assoc,
            source_columns: columns(assoc, &to_source.columns)?,
            source_key: columns(source, &to_source.target_columns)?.to_vec(),
            target_columns: columns(assoc, &to_target.columns)?,
            target_key: columns(target, &to_target.target_columns)?.to_vec(),
        };
        Ok(Resolved {
            holder: Side::Target,
            child_table: target,
            child_columns: Arc::from(Vec::new()),
            parent_table: source,
            parent_columns: secondary.source_key.clone().into(),
            secondary: Some(secondary),
            on_delete: None,
        })
    }
}

/// `passive_deletes` leaves children to the database, which must then do something
/// the session can mirror in memory: delete them or set their key to NULL.
fn check_passive(def: &RelationshipDef, holder: Side, fk: &ForeignKey) -> Result<(), String> {
    let source = (def.source)().name.as_str();
    if holder != Side::Target {
        return Err(format!(
            "relationship `{source}.{}`: passive_deletes is for one-to-many and one-to-one relationships (the parent's side)",
            def.name
        ));
    }
    match fk.on_delete {
        Some(ReferentialAction::Cascade | ReferentialAction::SetNull) => Ok(()),
        _ => Err(format!(
            "relationship `{source}.{}` has passive_deletes, so the database must handle the children: give the foreign key ({}) on_delete = \"cascade\" or \"set null\"",
            def.name,
            fk.columns.join(", ")
        )),
    }
}
