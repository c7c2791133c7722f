//! `#[derive(DbNewtype)]`: a struct with one field stored as that field's type.

use crate::parse::ctxt::Ctxt;
use crate::parse::meta::for_each_meta;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Member};

/// Parse → check → expand.
pub fn derive(input: DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    for_each_meta(&cx, &input.attrs, |meta| {
        let msg = "`#[derive(DbNewtype)]` takes no `#[orm(..)]` attributes: the column type is the field's\nhelp: set the column's type on the model's field: `#[orm(sql_type = \"...\")]`";
        cx.error_spanned_by(&meta.path, msg);
        crate::parse::unknown::skip_value(meta)
    });
    super::reject_generics(&cx, &input, "DbNewtype", "a column has one type");
    let field = single_field(&cx, &input);
    cx.check()?;
    let Some((member, ty)) = field else {
        return Ok(TokenStream::new());
    };
    let ident = &input.ident;
    let construct = match &member {
        Member::Named(name) => quote!(Self { #name: repr }),
        Member::Unnamed(_) => quote!(Self(repr)),
    };
    let repr = quote_spanned!(ty.span()=> type Repr = #ty;);
    // A newtype spelled over `String` takes a `length`, as `String` does.
    let string = crate::model::infer::is_string(&ty)
        .then(|| quote!(impl ::orm_core::StringType for #ident {}));
    Ok(quote! {
        const _: () = {
            #[automatically_derived]
            impl ::orm_core::CustomType for #ident {
                #repr

                fn to_repr(&self) -> #ty {
                    ::core::clone::Clone::clone(&self.#member)
                }

                fn from_repr(repr: #ty) -> ::orm_core::Result<Self> {
                    ::core::result::Result::Ok(#construct)
                }
            }

            #string
        };
    })
}

/// The one field of a struct; anything else is reported.
fn single_field(cx: &Ctxt, input: &DeriveInput) -> Option<(Member, syn::Type)> {
    let name = &input.ident;
    let fields = match &input.data {
        Data::Struct(s) => &s.fields,
        _ => {
            let msg = format!("`#[derive(DbNewtype)]` stores a struct with one field as that field's type; `{name}` is not a struct\nhelp: for a fieldless enum, use `#[derive(DbEnum)]`");
            cx.error_spanned_by(name, msg);
            return None;
        }
    };
    let mut iter = fields.iter();
    match (iter.next(), iter.next(), fields) {
        (Some(f), None, Fields::Named(_)) => {
            let ident = f.ident.clone()?;
            Some((Member::Named(ident), f.ty.clone()))
        }
        (Some(f), None, _) => Some((Member::Unnamed(0.into()), f.ty.clone())),
        _ => {
            let msg = format!("`#[derive(DbNewtype)]` needs exactly one field; `{name}` has {}\nhelp: declare it as `struct {name}(T);`, or implement `orm_core::CustomType` for it", fields.len());
            cx.error_spanned_by(name, msg);
            None
        }
    }
}
