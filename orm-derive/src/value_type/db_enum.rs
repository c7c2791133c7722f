//! `#[derive(DbEnum)]`: a fieldless enum mapped to a database enum, parsed and
//! checked into an [`EnumDef`], then expanded into `CustomType` + `DbEnum` impls.

use crate::model::infer::snake_case;
use crate::parse::ctxt::Ctxt;
use crate::parse::meta::{for_each_meta, ok, Attr};
use crate::parse::symbol;
use crate::parse::unknown::unknown_as;
use crate::parse::value;
use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::collections::HashMap;
use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Ident};

/// An enum deriving `DbEnum`.
struct EnumDef {
    ident: Ident,
    type_name: String,
    native: bool,
    /// `(variant, label)` in declaration order.
    variants: Vec<(Ident, String)>,
}

/// Parse → check → expand.
pub fn derive(input: DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let def = parse(&cx, &input);
    cx.check()?;
    Ok(def.map(|d| expand(&d)).unwrap_or_default())
}

fn parse(cx: &Ctxt, input: &DeriveInput) -> Option<EnumDef> {
    let mut type_name = Attr::new(symbol::TYPE_NAME);
    let mut native = Attr::new(symbol::NATIVE_ENUM);
    for_each_meta(cx, &input.attrs, |meta| {
        if meta.path == symbol::TYPE_NAME {
            type_name.set(cx, meta, ok(value::non_empty_string))
        } else if meta.path == symbol::NATIVE_ENUM {
            native.set(cx, meta, ok(value::flag))
        } else {
            unknown_as(
                cx,
                meta,
                "enum attribute",
                symbol::ENUM_ATTRS,
                symbol::TYPE_NAME,
            )
        }
    });
    super::reject_generics(cx, input, "DbEnum", "a database enum is one type");
    let Data::Enum(data) = &input.data else {
        let msg = format!(
            "`#[derive(DbEnum)]` maps a fieldless enum to a database enum; `{}` is not an enum\nhelp: for a newtype such as `struct {}(String)`, use `#[derive(DbNewtype)]`",
            input.ident, input.ident
        );
        cx.error_spanned_by(&input.ident, msg);
        return None;
    };
    if data.variants.is_empty() {
        let msg = format!(
            "`{}` has no variants: a database enum needs at least one label\nhelp: add a variant",
            input.ident
        );
        cx.error_spanned_by(&input.ident, msg);
        return None;
    }
    let variants = variants(cx, data);
    Some(EnumDef {
        ident: input.ident.clone(),
        type_name: type_name.finish().map_or_else(
            || snake_case(&input.ident.unraw().to_string()),
            |t| t.value.value(),
        ),
        native: native.finish().is_none_or(|n| n.value),
        variants,
    })
}

/// Each variant with its label; fields and repeated labels are reported.
fn variants(cx: &Ctxt, data: &syn::DataEnum) -> Vec<(Ident, String)> {
    let mut seen: HashMap<String, Ident> = HashMap::new();
    let mut out = Vec::new();
    for v in &data.variants {
        let mut rename = Attr::new(symbol::RENAME);
        for_each_meta(cx, &v.attrs, |meta| {
            if meta.path == symbol::RENAME {
                rename.set(cx, meta, ok(value::non_empty_string))
            } else {
                unknown_as(
                    cx,
                    meta,
                    "variant attribute",
                    symbol::VARIANT_ATTRS,
                    symbol::RENAME,
                )
            }
        });
        if !matches!(v.fields, Fields::Unit) {
            let msg = format!("variant `{}` has fields: a database enum holds labels only\nhelp: remove the fields, or store the type with `orm_core::CustomType`", v.ident);
            cx.error_spanned_by(&v.ident, msg);
            continue;
        }
        let label = rename.finish().map_or_else(
            || snake_case(&v.ident.unraw().to_string()),
            |r| r.value.value(),
        );
        if let Some(first) = seen.get(&label) {
            let msg = format!("variants `{first}` and `{}` both have the label \"{label}\"\nhelp: give one of them another label with `#[orm(rename = \"...\")]`", v.ident);
            cx.error_spanned_by(&v.ident, msg);
            continue;
        }
        seen.insert(label.clone(), v.ident.clone());
        out.push((v.ident.clone(), label));
    }
    out
}

fn expand(def: &EnumDef) -> TokenStream {
    let ident = &def.ident;
    let type_name = &def.type_name;
    let (variants, labels): (Vec<&Ident>, Vec<&String>) =
        def.variants.iter().map(|(v, l)| (v, l)).unzip();
    let list = labels
        .iter()
        .map(|l| format!("\"{l}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as u32;
    let sql_type = if def.native {
        quote!(::orm_core::SqlType::Enum(
            <Self as ::orm_core::DbEnum>::enum_type()
        ))
    } else {
        quote!(::orm_core::SqlType::Varchar(::core::option::Option::unwrap_or(length, #width)))
    };
    let name = ident.to_string();
    let length = Ident::new(
        if def.native { "_length" } else { "length" },
        Span::call_site(),
    );
    // A text-stored enum takes a `length` (`VARCHAR(n)`), as a string does.
    let string = (!def.native).then(|| quote!(impl ::orm_core::StringType for #ident {}));
    quote! {
        const _: () = {
            #[automatically_derived]
            impl ::orm_core::CustomType for #ident {
                type Repr = ::std::string::String;

                fn to_repr(&self) -> ::std::string::String {
                    ::std::string::String::from(<Self as ::orm_core::DbEnum>::label(self))
                }

                fn from_repr(label: ::std::string::String) -> ::orm_core::Result<Self> {
                    <Self as ::orm_core::DbEnum>::from_label(&label).ok_or_else(|| {
                        ::orm_core::Error::Conversion(::std::format!(
                            "`{}` is not a label of `{}` ({})", label, #name, #list,
                        ))
                    })
                }

                fn sql_type(#length: ::core::option::Option<u32>) -> ::orm_core::SqlType {
                    #sql_type
                }
            }

            #[automatically_derived]
            impl ::orm_core::DbEnum for #ident {
                fn enum_type() -> ::orm_core::EnumType {
                    ::orm_core::EnumType::new(#type_name, &[#(#labels),*])
                }

                fn label(&self) -> &'static str {
                    match self {
                        #(Self::#variants => #labels,)*
                    }
                }

                fn from_label(label: &str) -> ::core::option::Option<Self> {
                    match label {
                        #(#labels => ::core::option::Option::Some(Self::#variants),)*
                        _ => ::core::option::Option::None,
                    }
                }
            }

            #string
        };
    }
}
