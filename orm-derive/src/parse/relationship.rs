//! One relationship attribute on the struct:
//! `has_many(NAME = Target, option = "..", ..)` and the other kinds.
//!
//! The `NAME = Target` item is the first item that is not an option (nor a misspelt
//! one); it usually comes first. Options are recorded once each, and the rules that
//! concern one relationship alone are checked here.

use super::ctxt::Ctxt;
use super::meta::{ok, with_help, Attr};
use super::rel_value::{self, CascadeSpec, Lazy, RelationshipKind};
use super::symbol;
use super::unknown::{is_close, unknown_as};
use super::value::{flag, Spanned};
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;
use syn::{Ident, Path};

/// A relationship as written.
pub struct Relationship {
    /// The kind.
    pub kind: RelationshipKind,
    /// The accessor name.
    pub name: Ident,
    /// The target model, as written.
    pub target: Path,
    /// `backref = "author"`, spanned at the string.
    pub backref: Option<Ident>,
    /// `back_populates = "author"`, spanned at the string.
    pub back_populates: Option<Ident>,
    /// `foreign_key = "author_id"`.
    pub foreign_key: Option<Spanned<String>>,
    /// `cascade = "all, delete-orphan"`.
    pub cascade: Option<Spanned<CascadeSpec>>,
    /// `lazy = "selectin"`.
    pub lazy: Option<Spanned<Lazy>>,
    /// `order_by = "-title"`.
    pub order_by: Option<Spanned<String>>,
    /// `secondary = ArticleTag`.
    pub secondary: Option<Spanned<Path>>,
    /// `passive_deletes` (or `passive_deletes = true`).
    pub passive_deletes: Option<Spanned<bool>>,
}

impl Relationship {
    /// Reads `kind(..)`; `None` when it names no `NAME = Target` (reported in `cx`).
    pub fn parse(
        cx: &Ctxt,
        meta: &ParseNestedMeta,
        kind: RelationshipKind,
    ) -> syn::Result<Option<Relationship>> {
        let mut b = Builder::new(kind, meta.path.span());
        meta.parse_nested_meta(|item| b.parse_item(cx, &item))
            .map_err(|e| with_help(e, kind.symbol()))?;
        Ok(b.finish(cx))
    }
}

/// A relationship while its items are read.
struct Builder {
    kind: RelationshipKind,
    span: Span,
    target: Option<(Ident, Path)>,
    backref: Attr<Ident>,
    back_populates: Attr<Ident>,
    foreign_key: Attr<String>,
    cascade: Attr<CascadeSpec>,
    lazy: Attr<Lazy>,
    order_by: Attr<String>,
    secondary: Attr<Path>,
    passive_deletes: Attr<bool>,
}

impl Builder {
    fn new(kind: RelationshipKind, span: Span) -> Self {
        use symbol::*;
        Builder {
            kind,
            span,
            target: None,
            backref: Attr::new(BACKREF),
            back_populates: Attr::new(BACK_POPULATES),
            foreign_key: Attr::new(REL_FOREIGN_KEY),
            cascade: Attr::new(CASCADE),
            lazy: Attr::new(LAZY),
            order_by: Attr::new(ORDER_BY),
            secondary: Attr::new(SECONDARY),
            passive_deletes: Attr::new(PASSIVE_DELETES),
        }
    }

    fn parse_item(&mut self, cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<()> {
        use symbol::*;
        let p = &meta.path;
        if p == BACKREF {
            self.backref.set(cx, meta, rel_value::accessor(BACKREF))
        } else if p == BACK_POPULATES {
            self.back_populates
                .set(cx, meta, rel_value::accessor(BACK_POPULATES))
        } else if p == REL_FOREIGN_KEY {
            self.foreign_key.set(cx, meta, rel_value::column)
        } else if p == CASCADE {
            self.cascade.set(cx, meta, rel_value::cascade)
        } else if p == LAZY {
            self.lazy.set(cx, meta, rel_value::lazy)
        } else if p == ORDER_BY {
            self.order_by.set(cx, meta, rel_value::order_by)
        } else if p == SECONDARY {
            self.secondary.set(cx, meta, ok(rel_value::model_path))
        } else if p == PASSIVE_DELETES {
            self.passive_deletes.set(cx, meta, ok(flag))
        } else if self.target.is_none() && !is_close(p, RELATIONSHIP_OPTIONS) {
            self.target = Some(target(meta)?);
            Ok(())
        } else {
            let fallback = self.kind.symbol();
            unknown_as(
                cx,
                meta,
                "relationship option",
                RELATIONSHIP_OPTIONS,
                fallback,
            )
        }
    }

    fn finish(self, cx: &Ctxt) -> Option<Relationship> {
        self.validate(cx);
        let Some((name, target)) = self.target else {
            let kind = self.kind.symbol();
            let msg = format!(
                "`{kind}(..)` needs the relationship's name and target model first: `NAME = Type`\n{}",
                kind.help()
            );
            cx.error_at(self.span, msg);
            return None;
        };
        Some(Relationship {
            kind: self.kind,
            name,
            target,
            backref: self.backref.finish().map(|b| b.value),
            back_populates: self.back_populates.finish().map(|b| b.value),
            foreign_key: self.foreign_key.finish(),
            cascade: self.cascade.finish(),
            lazy: self.lazy.finish(),
            order_by: self.order_by.finish(),
            secondary: self.secondary.finish(),
            passive_deletes: self.passive_deletes.finish(),
        })
    }

    /// Rules about the options of one relationship that only make sense together.
    fn validate(&self, cx: &Ctxt) {
        use RelationshipKind::*;
        let kind = self.kind.symbol();
        if let (Some(_), Some(span)) = (self.backref.span, self.back_populates.span) {
            cx.error_at(span, "`backref` and `back_populates` cannot be used together: `backref` generates the other side's accessor, `back_populates` names the one the other side declares\nhelp: keep `backref` and remove the other side's declaration, or declare both sides, each with `back_populates`");
        }
        match (self.kind, self.secondary.span) {
            (ManyToMany, None) => {
                let msg = format!("`many_to_many(..)` needs `secondary = AssociationModel`, the model whose table links the two\n{}", symbol::SECONDARY.help());
                cx.error_at(self.span, msg);
            }
            (ManyToMany, Some(_)) | (_, None) => {}
            (_, Some(span)) => {
                let msg = format!("`secondary` is only for `many_to_many(..)`: a `{kind}` relationship goes through a foreign key of one of the two tables\nhelp: remove `secondary`, or use `{}`", symbol::MANY_TO_MANY.example());
                cx.error_at(span, msg);
            }
        }
        self.validate_cascade(cx);
        self.validate_passive_deletes(cx);
        if let (BelongsTo, Some(span)) = (self.kind, self.order_by.span) {
            cx.error_at(span, "`order_by` sorts a collection, and `belongs_to` leads to one parent\nhelp: put `order_by` on the parent's `has_many(..)`");
        }
    }

    /// Cascades flow from a parent to its children: not from `belongs_to`, and not
    /// `delete` through an association table.
    fn validate_cascade(&self, cx: &Ctxt) {
        let Some(span) = self.cascade.span else {
            return;
        };
        match self.kind {
            RelationshipKind::BelongsTo => cx.error_at(span, cascade_on_belongs_to()),
            RelationshipKind::ManyToMany => {
                let deletes = self
                    .cascade
                    .value
                    .is_some_and(|c| c.delete || c.delete_orphan);
                if deletes {
                    cx.error_at(span, "a many-to-many relationship does not cascade `delete` or `delete-orphan` (`all` includes `delete`): the session deletes the association rows of a deleted model, never the models at the other end\nhelp: remove the cascade, or keep `cascade = \"save-update, merge\"`");
                }
            }
            _ => {}
        }
    }
}

impl Builder {
    /// `passive_deletes` concerns the children of a parent being deleted: only on the
    /// parent's `has_many`/`has_one`.
    fn validate_passive_deletes(&self, cx: &Ctxt) {
        let (Some(span), Some(true)) = (self.passive_deletes.span, self.passive_deletes.value)
        else {
            return;
        };
        let msg = match self.kind {
            RelationshipKind::BelongsTo => format!(
                "`passive_deletes` goes on the one-to-many side: it says what happens to the children when their parent is deleted, and a `belongs_to` points at the parent\nhelp: declare it on the parent, e.g. `{}`",
                symbol::PASSIVE_DELETES.example()
            ),
            RelationshipKind::ManyToMany => "`passive_deletes` is for `has_many`/`has_one`: the session deletes a deleted model's association rows itself, and never the models at the other end\nhelp: remove `passive_deletes`".to_owned(),
            _ => return,
        };
        cx.error_at(span, msg);
    }
}

fn cascade_on_belongs_to() -> String {
    format!(
        "`cascade` goes on the one-to-many side: it flows from a parent to its children, and a `belongs_to` points at the parent\nhelp: declare it on the parent, e.g. `{}`",
        symbol::CASCADE.example()
    )
}

/// `NAME = Type`.
fn target(meta: &ParseNestedMeta) -> syn::Result<(Ident, Path)> {
    let Some(name) = meta.path.get_ident() else {
        return Err(syn::Error::new_spanned(
            &meta.path,
            "expected the relationship's name, a single identifier",
        ));
    };
    Ok((name.clone(), rel_value::model_path(meta)?))
}
