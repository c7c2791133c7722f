//! The struct's table-level constraints resolved against its fields: `unique(..)`
//! and `index(..)` name fields, which become column names here (an unknown or
//! `skip` field is reported at its name); `check` is kept as written.

use super::ast::ColumnDef;
use crate::parse::constraint::{IndexSpec, UniqueSpec};
use crate::parse::ctxt::Ctxt;
use crate::parse::value::Spanned;
use proc_macro2::Ident;
use std::collections::{HashMap, HashSet};
use syn::ext::IdentExt;

/// A UNIQUE constraint over columns.
pub struct UniqueDef {
    /// The column names.
    pub columns: Vec<String>,
}

/// An index over columns.
pub struct IndexDef {
    /// The index name (`ix_<table>_<columns>` unless given).
    pub name: String,
    /// The column names, in key order.
    pub columns: Vec<String>,
    /// A UNIQUE index.
    pub unique: bool,
    /// The index method.
    pub using: Option<String>,
    /// A partial index's condition (SQL).
    pub predicate: Option<String>,
}

/// The constraints declared on the struct.
#[derive(Default)]
pub struct Constraints {
    /// `unique(..)`.
    pub uniques: Vec<UniqueDef>,
    /// `index(..)`.
    pub indexes: Vec<IndexDef>,
    /// `check = ".."`, as written.
    pub checks: Vec<String>,
}

/// What the fields are, for resolving names.
pub struct FieldNames<'a> {
    /// The table name (for default index names).
    pub table: &'a str,
    /// The mapped fields.
    pub columns: &'a [ColumnDef],
    /// The `skip` fields' names.
    pub skipped: Vec<String>,
}

impl FieldNames<'_> {
    /// The column of field `ident`, or an error naming what the field is.
    fn column(&self, cx: &Ctxt, ident: &Ident, within: &str) -> Option<String> {
        let name = ident.unraw().to_string();
        if let Some(c) = self.columns.iter().find(|c| c.member.unraw() == name) {
            return Some(c.name.clone());
        }
        let msg = if self.skipped.contains(&name) {
            format!("field `{name}` is `skip`, not a column, so `{within}(..)` cannot use it")
        } else {
            let fields: Vec<String> = self
                .columns
                .iter()
                .map(|c| format!("`{}`", c.member.unraw()))
                .collect();
            format!(
                "no field `{name}` to use in `{within}(..)`\nhelp: name fields of the struct: {}",
                fields.join(", ")
            )
        };
        cx.error_spanned_by(ident, msg);
        None
    }

    fn columns_of(&self, cx: &Ctxt, idents: &[Ident], within: &str) -> Option<Vec<String>> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for ident in idents {
            let column = self.column(cx, ident, within)?;
            if !seen.insert(column.clone()) {
                let msg = format!(
                    "field `{}` is listed twice in `{within}(..)`",
                    ident.unraw()
                );
                cx.error_spanned_by(ident, msg);
                return None;
            }
            out.push(column);
        }
        Some(out)
    }
}

/// Resolves the constraints; each error is reported in `cx` and the constraint left out.
pub fn resolve(
    cx: &Ctxt,
    fields: &FieldNames<'_>,
    uniques: Vec<UniqueSpec>,
    indexes: Vec<IndexSpec>,
    checks: Vec<Spanned<String>>,
) -> Constraints {
    let uniques = uniques
        .into_iter()
        .filter_map(|u| {
            let columns = fields.columns_of(cx, &u.columns, "unique")?;
            Some(UniqueDef { columns })
        })
        .collect();
    // Index names taken so far, and whether by a field's `#[orm(index)]`.
    let mut names: HashMap<String, bool> = fields
        .columns
        .iter()
        .filter(|c| c.index)
        .map(|c| (format!("ix_{}_{}", fields.table, c.name), true))
        .collect();
    let indexes = indexes
        .into_iter()
        .filter_map(|spec| index(cx, fields, spec, &mut names))
        .collect();
    Constraints {
        uniques,
        indexes,
        checks: checks.into_iter().map(|c| c.value).collect(),
    }
}

fn index(
    cx: &Ctxt,
    fields: &FieldNames<'_>,
    spec: IndexSpec,
    names: &mut HashMap<String, bool>,
) -> Option<IndexDef> {
    let columns = fields.columns_of(cx, &spec.columns, "index")?;
    let name = match &spec.name {
        Some(n) => n.value.clone(),
        None => format!("ix_{}_{}", fields.table, columns.join("_")),
    };
    if let Some(&by_field) = names.get(&name) {
        let or = if by_field {
            ", or remove `#[orm(index)]` from the field"
        } else {
            ""
        };
        let msg = format!(
            "two indexes are named `{name}`\nhelp: give this one another name: `index(.., name = \"...\")`{or}"
        );
        let span = spec.name.as_ref().map_or(spec.span, |n| n.span);
        cx.error_at(span, msg);
        return None;
    }
    names.insert(name.clone(), false);
    Some(IndexDef {
        name,
        columns,
        unique: spec.unique,
        using: spec.using.map(|u| u.value),
        predicate: spec.predicate.map(|p| p.value),
    })
}
