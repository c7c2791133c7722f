//! Relationships: per direction, a `static RelationshipDef`, a function returning it
//! (what the descriptors and the registry hold), its registration, and the typed
//! accessor (`Author::articles: ToMany<Author, Article>`). A `backref` adds the same
//! on the target, so `Article::author` exists though only `Author` declared it.

use crate::model::ast::ModelDef;
use crate::model::infer;
use crate::model::relation::RelationDef;
use crate::parse::rel_value::{CascadeSpec, Lazy, RelationshipKind};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use std::collections::HashSet;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::Ident;

/// Every relationship of the model, both directions.
pub fn relationships(model: &ModelDef) -> TokenStream {
    let mut names = Names::default();
    let mut out = TokenStream::new();
    for r in &model.relationships {
        let forward = Direction::forward(model, r, &mut names);
        out.extend(forward.emit(model));
        if let Some(backref) = Direction::backref(model, r, &mut names) {
            out.extend(backref.emit(model));
        }
        out.extend(back_populates_check(model, r));
    }
    let needs_helper = model
        .relationships
        .iter()
        .any(|r| r.kind == RelationshipKind::BelongsTo && r.back_populates.is_some());
    if needs_helper {
        out.extend(reverse_of_helper());
    }
    out
}

/// One direction of a relationship: what it links and how its definition is built.
struct Direction {
    source: TokenStream,
    target: TokenStream,
    accessor: Ident,
    kind: RelationshipKind,
    /// `RelationshipDef::new::<S, T>(..)` and its builder calls.
    def: TokenStream,
    doc: String,
    static_ident: Ident,
    fn_ident: Ident,
}

impl Direction {
    /// The direction the attribute declares, from the model to its target.
    fn forward(model: &ModelDef, r: &RelationDef, names: &mut Names) -> Self {
        let (source, target) = (model.ident.to_token_stream(), r.target.to_token_stream());
        let mut def = new_def(&source, &target, &r.name_str(), r.kind, r.target.span());
        def.extend(r.reverse().map(|name| quote!(.reverse(#name))));
        def.extend(r.foreign_key.as_ref().map(|fk| quote!(.foreign_key(#fk))));
        def.extend(secondary(r));
        def.extend(cascade(r.cascade));
        def.extend(loading(r.lazy));
        def.extend(r.order_by.as_ref().map(|o| quote!(.order_by(#o))));
        def.extend(r.passive_deletes.then(|| quote!(.passive_deletes())));
        let doc = format!(
            "Relationship `{}` ({} to `{}`).",
            r.name_str(),
            r.kind.describe(),
            path_string(&target)
        );
        let base = format!("{}_{}", model_key(model), r.name_str().to_uppercase());
        let (static_ident, fn_ident) = names.unique(base);
        Direction {
            source,
            target,
            accessor: r.name.clone(),
            kind: r.kind,
            def,
            doc,
            static_ident,
            fn_ident,
        }
    }

    /// The generated reverse direction, on the target, when the attribute has a `backref`.
    fn backref(model: &ModelDef, r: &RelationDef, names: &mut Names) -> Option<Self> {
        let accessor = r.backref.clone()?;
        let (source, target) = (r.target.to_token_stream(), model.ident.to_token_stream());
        let (kind, name) = (r.kind.reverse(), accessor.unraw().to_string());
        let mut def = new_def(&source, &target, &name, kind, accessor.span());
        let forward_name = r.name_str();
        def.extend(quote!(.reverse(#forward_name)));
        // For many-to-many, `foreign_key` names the association column pointing at the
        // declaring model, which is the backref's target: it does not apply there.
        if r.kind != RelationshipKind::ManyToMany {
            def.extend(r.foreign_key.as_ref().map(|fk| quote!(.foreign_key(#fk))));
        }
        def.extend(secondary(r));
        let doc = format!(
            "Relationship `{name}` ({} to `{}`), the backref of `{}::{forward_name}`.",
            kind.describe(),
            model.ident,
            model.ident
        );
        let base = format!(
            "{}_{}_BACKREF",
            model_key(model),
            forward_name.to_uppercase()
        );
        let (static_ident, fn_ident) = names.unique(base);
        Some(Direction {
            source,
            target,
            accessor,
            kind,
            def,
            doc,
            static_ident,
            fn_ident,
        })
    }

    /// The static, its function, its registration and the accessor.
    fn emit(&self, model: &ModelDef) -> TokenStream {
        let Direction {
            source,
            target,
            accessor,
            def,
            doc,
            static_ident,
            fn_ident,
            ..
        } = self;
        let vis = &model.vis;
        let descriptor = match self.kind.is_collection() {
            true => quote!(::orm_core::ToMany),
            false => quote!(::orm_core::ToOne),
        };
        quote! {
            static #static_ident: ::orm_core::RelationshipDef = #def;
            fn #fn_ident() -> &'static ::orm_core::RelationshipDef {
                &#static_ident
            }
            ::orm_core::__private::inventory::submit! {
                ::orm_core::relationship::RelationshipRegistration { def: #fn_ident }
            }
            #[automatically_derived]
            impl #source {
                #[doc = #doc]
                #[allow(non_upper_case_globals)]
                #vis const #accessor: #descriptor<#source, #target> = #descriptor::new(#fn_ident);
            }
        }
    }
}

/// `RelationshipDef::new::<S, T>(name, kind)`, spanned so that a target that is not a
/// model is reported at the user's type.
fn new_def(
    source: &TokenStream,
    target: &TokenStream,
    name: &str,
    kind: RelationshipKind,
    span: Span,
) -> TokenStream {
    let variant = Ident::new(kind.core_variant(), Span::call_site());
    quote_spanned! {span=>
        ::orm_core::RelationshipDef::new::<#source, #target>(#name, ::orm_core::RelationKind::#variant)
    }
}

/// `.secondary(<Assoc as Model>::table)` for a many-to-many relationship.
fn secondary(r: &RelationDef) -> Option<TokenStream> {
    let assoc = r.secondary.as_ref()?;
    Some(quote_spanned!(assoc.span()=> .secondary(<#assoc as ::orm_core::Model>::table)))
}

/// `.cascade(..)` unless it is the default.
fn cascade(c: CascadeSpec) -> Option<TokenStream> {
    let CascadeSpec {
        delete,
        delete_orphan,
    } = c;
    (c != CascadeSpec::default()).then(
        || quote!(.cascade(::orm_core::Cascade::new().delete(#delete).delete_orphan(#delete_orphan))),
    )
}

/// `.loading(..)` unless it is the default.
fn loading(lazy: Lazy) -> Option<TokenStream> {
    let variant = Ident::new(lazy.variant_name(), Span::call_site());
    (lazy != Lazy::default()).then(|| quote!(.loading(::orm_core::Loading::#variant)))
}

/// With `back_populates`, the target must declare that accessor, leading back here:
/// a const of the expected type fails to compile otherwise, at the user's string.
fn back_populates_check(model: &ModelDef, r: &RelationDef) -> Option<TokenStream> {
    let name = r.back_populates.as_ref()?;
    let (source, target) = (&model.ident, &r.target);
    Some(match r.kind {
        RelationshipKind::HasMany | RelationshipKind::HasOne => quote_spanned! {name.span()=>
            const _: ::orm_core::ToOne<#target, #source> = <#target>::#name;
        },
        RelationshipKind::ManyToMany => quote_spanned! {name.span()=>
            const _: ::orm_core::ToMany<#target, #source> = <#target>::#name;
        },
        // The parent side may be a `has_many` or a `has_one`.
        RelationshipKind::BelongsTo => quote_spanned! {name.span()=>
            const _: () = __orm_reverse_of::<#target, #source, _>(&<#target>::#name);
        },
    })
}

/// Accepts either descriptor from `S` to `T` (the reverse of a `belongs_to`).
fn reverse_of_helper() -> TokenStream {
    quote! {
        #[diagnostic::on_unimplemented(
            message = "`back_populates` names `{Self}`, which is not a relationship from `{S}` to `{T}`",
            label = "the other side must declare `has_many` or `has_one` to this model"
        )]
        trait __OrmReverseOf<S, T> {}
        impl<S, T> __OrmReverseOf<S, T> for ::orm_core::ToOne<S, T> {}
        impl<S, T> __OrmReverseOf<S, T> for ::orm_core::ToMany<S, T> {}
        const fn __orm_reverse_of<S, T, R: __OrmReverseOf<S, T>>(_: &R) {}
    }
}

/// `crate :: models :: Article` → `crate::models::Article`, for documentation.
fn path_string(path: &TokenStream) -> String {
    path.to_string().replace(' ', "")
}

/// Static and function names, unique within one derive.
#[derive(Default)]
struct Names {
    used: HashSet<String>,
}

/// `BlogPost` → `BLOG_POST`.
fn model_key(model: &ModelDef) -> String {
    infer::snake_case(&model.ident.unraw().to_string()).to_uppercase()
}

impl Names {
    /// `__ORM_REL_{base}` and `__orm_rel_{base}`, with a numeric suffix if an
    /// earlier relationship took the name (`tags` and `TAGS` both give `TAGS`).
    fn unique(&mut self, base: String) -> (Ident, Ident) {
        let mut name = base.clone();
        let mut n = 2;
        while !self.used.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        (
            format_ident!("__ORM_REL_{}", name),
            format_ident!("__orm_rel_{}", name.to_lowercase()),
        )
    }
}
