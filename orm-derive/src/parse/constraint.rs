//! Table-level constraints on the struct: `unique(a, b)`, `index(a, b, ..options)`
//! and `check = ".."`.
//!
//! Columns are named by their fields; whether those fields exist is checked on the
//! model (`model::check`), where the fields are known.

use super::ctxt::Ctxt;
use super::meta::{with_help, Attr};
use super::symbol::{self, Symbol};
use super::unknown::unknown_as;
use super::value::{self, Spanned};
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Ident, Token};

/// `unique(a, b)`: the fields, as written.
pub struct UniqueSpec {
    /// The fields.
    pub columns: Vec<Ident>,
}

/// `index(a, b, name = "..", unique, using = "gin", where = "..")`.
pub struct IndexSpec {
    /// The fields, in key order.
    pub columns: Vec<Ident>,
    /// `name = ".."`.
    pub name: Option<Spanned<String>>,
    /// `unique`.
    pub unique: bool,
    /// `using = "gin"`.
    pub using: Option<Spanned<String>>,
    /// `where = ".."`: SQL.
    pub predicate: Option<Spanned<String>>,
    /// Where `index` was written.
    pub span: Span,
}

/// Reads `unique(a, b)`; `None` when it names no field (reported).
pub fn parse_unique(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<UniqueSpec>> {
    let mut columns = Vec::new();
    let sym = symbol::UNIQUE_COLUMNS;
    meta.parse_nested_meta(|item| {
        if !item.input.is_empty() && !item.input.peek(Token![,]) {
            return Err(item.error("expected a field name"));
        }
        column(&item).map(|c| columns.push(c))
    })
    .map_err(|e| with_help(e, sym))?;
    Ok(non_empty(cx, meta, sym, columns).map(|columns| UniqueSpec { columns }))
}

/// Reads `index(..)`; `None` when it names no field (reported).
pub fn parse_index(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<IndexSpec>> {
    let mut b = IndexBuilder {
        columns: Vec::new(),
        name: Attr::new(symbol::INDEX_NAME),
        unique: Attr::new(symbol::INDEX_UNIQUE),
        using: Attr::new(symbol::INDEX_USING),
        predicate: Attr::new(symbol::INDEX_WHERE),
    };
    meta.parse_nested_meta(|item| b.parse_item(cx, &item))
        .map_err(|e| with_help(e, symbol::INDEX_COLUMNS))?;
    let Some(columns) = non_empty(cx, meta, symbol::INDEX_COLUMNS, b.columns) else {
        return Ok(None);
    };
    Ok(Some(IndexSpec {
        columns,
        name: b.name.finish(),
        unique: b.unique.finish().is_some_and(|u| u.value),
        using: b.using.finish(),
        predicate: b.predicate.finish(),
        span: meta.path.span(),
    }))
}

/// Reads `check = ".."`.
pub fn parse_check(meta: &ParseNestedMeta) -> syn::Result<Spanned<String>> {
    let lit = value::non_empty_string(meta).map_err(|e| with_help(e, symbol::CHECK))?;
    Ok(Spanned {
        value: lit.value(),
        span: lit.span(),
    })
}

struct IndexBuilder {
    columns: Vec<Ident>,
    name: Attr<String>,
    unique: Attr<bool>,
    using: Attr<String>,
    predicate: Attr<String>,
}

impl IndexBuilder {
    fn parse_item(&mut self, cx: &Ctxt, item: &ParseNestedMeta) -> syn::Result<()> {
        let p = &item.path;
        let string = |m: &ParseNestedMeta| value::non_empty_string(m).map(|l| Some(l.value()));
        if p == symbol::INDEX_NAME && item.input.peek(Token![=]) {
            self.name.set(cx, item, |_, m| string(m))
        } else if p == symbol::INDEX_USING {
            self.using.set(cx, item, method)
        } else if p == symbol::INDEX_WHERE {
            self.predicate.set(cx, item, |_, m| string(m))
        } else if p == symbol::INDEX_UNIQUE {
            self.unique.set(cx, item, |_, m| value::flag(m).map(Some))
        } else if item.input.peek(Token![=]) || item.input.peek(syn::token::Paren) {
            let what = "index option";
            unknown_as(cx, item, what, symbol::INDEX_OPTIONS, symbol::INDEX_COLUMNS)
        } else {
            column(item).map(|c| self.columns.push(c))
        }
    }
}

/// `using = "gin"`: an access method is a plain lower-case name.
fn method(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<String>> {
    let lit = value::non_empty_string(meta)?;
    let text = lit.value();
    let mut chars = text.chars();
    let plain = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !plain {
        let msg = format!(
            "expected an index method such as \"btree\", \"hash\", \"gin\", \"gist\", \"brin\", not \"{text}\"\n{}",
            symbol::INDEX_USING.help()
        );
        cx.error_spanned_by(&lit, msg);
        return Ok(None);
    }
    Ok(Some(text))
}

/// A field name item: a single identifier.
fn column(item: &ParseNestedMeta) -> syn::Result<Ident> {
    match item.path.get_ident() {
        Some(ident) => Ok(ident.unraw()),
        None => Err(syn::Error::new_spanned(&item.path, "expected a field name")),
    }
}

/// The columns, or an error at the attribute when there are none.
fn non_empty(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    sym: Symbol,
    columns: Vec<Ident>,
) -> Option<Vec<Ident>> {
    if columns.is_empty() {
        let msg = format!("`{sym}(..)` needs at least one field\n{}", sym.help());
        cx.error_spanned_by(&meta.path, msg);
        return None;
    }
    Some(columns)
}
