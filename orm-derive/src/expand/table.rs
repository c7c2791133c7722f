//! `Model::table()`: the `Table` metadata, built once behind a `Lazy`.

use crate::model::ast::{ColumnDef, ForeignKeyDef, ModelDef, SqlTypeDef};
use crate::model::constraints::{Constraints, IndexDef};
use crate::parse::sql_type::SqlTypeSpec;
use crate::parse::value::ReferentialAction;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

/// `fn table() -> &'static Table`.
pub fn table_fn(model: &ModelDef) -> TokenStream {
    let name = &model.table;
    let columns = model.columns.iter().map(column);
    let constraints = constraints(&model.constraints);
    quote! {
        fn table() -> &'static ::orm_core::Table {
            static TABLE: ::orm_core::__private::Lazy<::orm_core::Table> =
                ::orm_core::__private::Lazy::new(|| {
                    ::orm_core::Table::new(#name, ::std::vec![#(#columns),*]) #constraints
                });
            &TABLE
        }
    }
}

/// `.with_unique(..)`, `.with_index(..)` and `.with_check(..)` calls, in order.
fn constraints(c: &Constraints) -> TokenStream {
    let uniques = c.uniques.iter().map(|u| {
        let columns = &u.columns;
        quote!(.with_unique(&[#(#columns),*]))
    });
    let indexes = c.indexes.iter().map(index);
    let checks = c.checks.iter().map(|expr| quote!(.with_check(#expr)));
    quote!(#(#uniques)* #(#indexes)* #(#checks)*)
}

fn index(ix: &IndexDef) -> TokenStream {
    let (name, columns) = (&ix.name, &ix.columns);
    let unique = ix.unique.then(|| quote!(.unique()));
    let using = ix.using.as_ref().map(|u| quote!(.using(#u)));
    let predicate = ix.predicate.as_ref().map(|p| quote!(.predicate(#p)));
    quote! {
        .with_index(::orm_core::Index::new(#name, &[#(#columns),*]) #unique #using #predicate)
    }
}

/// One `::orm_core::Column { .. }` literal.
fn column(c: &ColumnDef) -> TokenStream {
    let name = &c.name;
    let sql_type = sql_type(c);
    let (primary_key, autoincrement) = (c.primary_key, c.autoincrement);
    let (unique, index) = (c.unique, c.index);
    let nullable = nullable(c);
    let server_default = match &c.server_default {
        Some(sql) => quote!(::core::option::Option::Some(::std::string::String::from(#sql))),
        None => quote!(::core::option::Option::None),
    };
    let has_default = c.default.is_some();
    let has_onupdate = c.onupdate.is_some();
    let version = c.version;
    let foreign_key = match &c.foreign_key {
        Some(fk) => foreign_key(name, fk),
        None => quote!(::core::option::Option::None),
    };
    quote! {
        ::orm_core::Column {
            name: ::std::string::String::from(#name),
            sql_type: #sql_type,
            primary_key: #primary_key,
            autoincrement: #autoincrement,
            nullable: #nullable,
            unique: #unique,
            index: #index,
            server_default: #server_default,
            has_default: #has_default,
            has_onupdate: #has_onupdate,
            foreign_key: #foreign_key,
            version: #version,
        }
    }
}

/// A primary key is never NULL; an explicit `nullable` wins; otherwise `Option<T>` is.
fn nullable(c: &ColumnDef) -> TokenStream {
    let ty = &c.ty;
    match (c.primary_key, c.nullable) {
        (true, _) => quote!(false),
        (false, Some(explicit)) => quote!(#explicit),
        (false, None) => quote_spanned!(ty.span()=> <#ty as ::orm_core::ColumnType>::NULLABLE),
    }
}

/// The inferred `ColumnType::sql_type(length)`, or the `sql_type` override.
fn sql_type(c: &ColumnDef) -> TokenStream {
    let ty = &c.ty;
    match &c.sql_type {
        SqlTypeDef::Inferred { length } => {
            let length = match length {
                Some(n) => {
                    let n = n.value;
                    quote!(::core::option::Option::Some(#n))
                }
                None => quote!(::core::option::Option::None),
            };
            let text = c.text_enum.then(|| quote!(.as_text_enum()));
            quote_spanned!(ty.span()=> <#ty as ::orm_core::ColumnType>::sql_type(#length) #text)
        }
        SqlTypeDef::Explicit(spec) => explicit_sql_type(spec),
    }
}

fn explicit_sql_type(spec: &SqlTypeSpec) -> TokenStream {
    let args = match spec {
        SqlTypeSpec::Numeric(None) => quote!((::core::option::Option::None)),
        SqlTypeSpec::Numeric(Some((p, s))) => quote!((::core::option::Option::Some((#p, #s)))),
        SqlTypeSpec::Varchar(n) => quote!((#n)),
        SqlTypeSpec::Custom(text) => quote!((::std::borrow::Cow::Borrowed(#text))),
        _ => quote!(),
    };
    let variant = Ident::new(spec.variant_name(), Span::call_site());
    quote!(::orm_core::SqlType::#variant #args)
}

/// `Some(ForeignKey::to(column, table, target).on_delete(..).on_update(..))`.
fn foreign_key(column: &str, fk: &ForeignKeyDef) -> TokenStream {
    let (table, target) = (&fk.table, &fk.column);
    let on_delete = fk.on_delete.map(|a| {
        let a = action(a);
        quote!(.on_delete(#a))
    });
    let on_update = fk.on_update.map(|a| {
        let a = action(a);
        quote!(.on_update(#a))
    });
    quote! {
        ::core::option::Option::Some(
            ::orm_core::ForeignKey::to(#column, #table, #target) #on_delete #on_update
        )
    }
}

fn action(action: ReferentialAction) -> TokenStream {
    let variant = Ident::new(action.variant_name(), Span::call_site());
    quote!(::orm_core::ReferentialAction::#variant)
}
