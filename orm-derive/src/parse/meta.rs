//! Walking `#[orm(..)]` lists and recording each attribute once.

use super::ctxt::Ctxt;
use super::symbol::{self, Symbol};
use super::value::Spanned;
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;

/// One attribute's value while the attributes are read; remembers where it was set.
pub struct Attr<T> {
    name: Symbol,
    /// Where it was first written.
    pub span: Option<Span>,
    /// Its value, unless it was invalid.
    pub value: Option<T>,
}

impl<T> Attr<T> {
    /// An attribute not written (yet).
    pub fn new(name: Symbol) -> Self {
        Attr {
            name,
            span: None,
            value: None,
        }
    }

    /// Parses the value with `parse` (a failed parse gets the attribute's help line),
    /// then records it, reporting a duplicate. `parse` returns `None` for a value it
    /// already reported as invalid: the attribute still counts as written.
    pub fn set(
        &mut self,
        cx: &Ctxt,
        meta: &ParseNestedMeta,
        parse: impl FnOnce(&Ctxt, &ParseNestedMeta) -> syn::Result<Option<T>>,
    ) -> syn::Result<()> {
        let name = self.name;
        let parsed = parse(cx, meta).map_err(|e| with_help(e, name))?;
        if self.span.is_some() {
            let msg = format!("duplicate attribute `{name}`\nhelp: remove one of the two");
            cx.error_spanned_by(&meta.path, msg);
        } else {
            self.span = Some(meta.path.span());
            self.value = parsed;
        }
        Ok(())
    }

    /// Where the attribute was written, if it was.
    pub fn seen(&self) -> Option<(Symbol, Span)> {
        self.span.map(|s| (self.name, s))
    }

    /// The value and where it was written; `None` when absent or invalid.
    pub fn finish(self) -> Option<Spanned<T>> {
        Some(Spanned {
            span: self.span?,
            value: self.value?,
        })
    }
}

/// Appends the attribute's "the correct format looks like" line to a parse error.
pub fn with_help(err: syn::Error, name: Symbol) -> syn::Error {
    syn::Error::new(err.span(), format!("{err}\n{}", name.help()))
}

/// Wraps a plain parser that cannot reject a well-formed value.
pub fn ok<T>(
    parse: impl FnOnce(&ParseNestedMeta) -> syn::Result<T>,
) -> impl FnOnce(&Ctxt, &ParseNestedMeta) -> syn::Result<Option<T>> {
    move |_, meta| parse(meta).map(Some)
}

/// Calls `f` on each item of every `#[orm(..)]` among `attrs`.
pub fn for_each_meta(
    cx: &Ctxt,
    attrs: &[syn::Attribute],
    mut f: impl FnMut(&ParseNestedMeta) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path() == symbol::ORM) {
        if let Err(err) = attr.parse_nested_meta(|meta| f(&meta)) {
            cx.syn_error(err);
        }
    }
}
