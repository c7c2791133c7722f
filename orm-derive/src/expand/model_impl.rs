//! `impl orm_core::Model`: column access by position, loading, change detection and
//! the Rust-side defaults.

use super::{accessors, table};
use crate::model::ast::ModelDef;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

/// The whole `impl ::orm_core::Model for S { .. }`.
pub fn model_impl(model: &ModelDef) -> TokenStream {
    let ident = &model.ident;
    let accessors = accessors::type_name(model);
    let items = [
        table::table_fn(model),
        values_fns(model),
        set_value_fn(model),
        from_row_fn(model),
        changed_columns_fn(model),
        insert_defaults_fn(model),
        onupdate_fn(model),
    ];
    quote! {
        #[automatically_derived]
        impl ::orm_core::Model for #ident {
            type Accessors = #accessors;

            #(#items)*
        }

        // Conversions bounded by `ColumnType` rather than `ToValue`/`FromValue`, so an
        // unsupported field type gets `ColumnType`'s message, which says what to do.
        #[inline]
        fn __orm_to_value<T: ::orm_core::ColumnType>(value: &T) -> ::orm_core::Value {
            ::orm_core::ToValue::to_value(value)
        }

        #[inline]
        fn __orm_from_value<T: ::orm_core::ColumnType>(
            value: ::orm_core::Value,
        ) -> ::orm_core::Result<T> {
            ::orm_core::FromValue::from_value(value)
        }

        /// Names the column in a conversion error (the value itself cannot).
        fn __orm_column_error(column: &str, err: ::orm_core::Error) -> ::orm_core::Error {
            match err {
                ::orm_core::Error::UnexpectedNull(_) => {
                    ::orm_core::Error::UnexpectedNull(::std::string::ToString::to_string(column))
                }
                ::orm_core::Error::Conversion(msg) => {
                    ::orm_core::Error::Conversion(::std::format!("column `{}`: {}", column, msg))
                }
                other => other,
            }
        }
    }
}

/// `values`, `value` and `primary_key`, reading fields directly.
fn values_fns(model: &ModelDef) -> TokenStream {
    let name = model.ident.to_string();
    let to_value = |c: &crate::model::ast::ColumnDef| {
        let member = &c.member;
        quote_spanned!(c.ty.span()=> __orm_to_value(&self.#member))
    };
    let all = model.columns.iter().map(to_value);
    let keys = model.primary_key().map(to_value);
    let arms = model.columns.iter().map(|c| {
        let (position, value) = (c.position, to_value(c));
        quote!(#position => #value,)
    });
    quote! {
        fn values(&self) -> ::std::vec::Vec<::orm_core::Value> {
            ::std::vec![#(#all),*]
        }

        fn value(&self, column: usize) -> ::orm_core::Value {
            match column {
                #(#arms)*
                _ => ::core::panic!("`{}` has no column {}", #name, column),
            }
        }

        fn primary_key(&self) -> ::std::vec::Vec<::orm_core::Value> {
            ::std::vec![#(#keys),*]
        }
    }
}

/// `set_value`: converts the value into the field's type.
fn set_value_fn(model: &ModelDef) -> TokenStream {
    let name = model.ident.to_string();
    let arms = model.columns.iter().map(|c| {
        let (member, position) = (&c.member, c.position);
        let qualified = format!("{}.{}", model.table, c.name);
        quote_spanned! {c.ty.span()=>
            #position => {
                self.#member = __orm_from_value(value)
                    .map_err(|e| __orm_column_error(#qualified, e))?;
            }
        }
    });
    quote! {
        fn set_value(&mut self, column: usize, value: ::orm_core::Value) -> ::orm_core::Result<()> {
            match column {
                #(#arms)*
                _ => {
                    return ::core::result::Result::Err(::orm_core::Error::InvalidRequest(
                        ::std::format!("`{}` has no column {}", #name, column),
                    ));
                }
            }
            ::core::result::Result::Ok(())
        }
    }
}

/// `from_row`: one value per column from `offset`; `skip` fields get their default.
/// The row's length is checked once, so each field converts with `__orm_from_value`
/// (an unsupported field type is then reported once for both, like in `set_value`).
fn from_row_fn(model: &ModelDef) -> TokenStream {
    let name = model.ident.to_string();
    let count = model.columns.len();
    let columns = model.columns.iter().map(|c| {
        let (member, position) = (&c.member, c.position);
        let qualified = format!("{}.{}", model.table, c.name);
        quote_spanned! {c.ty.span()=>
            #member: __orm_from_value(::orm_core::Row::take_value(row, offset + #position))
                .map_err(|e| __orm_column_error(#qualified, e))?,
        }
    });
    let skipped = model.skipped.iter().map(|s| {
        let member = &s.member;
        quote_spanned!(s.ty.span()=> #member: ::core::default::Default::default(),)
    });
    quote! {
        fn from_row(row: &mut ::orm_core::Row, offset: usize) -> ::orm_core::Result<Self> {
            if ::orm_core::Row::len(row) < offset + #count {
                return ::core::result::Result::Err(::orm_core::Error::Conversion(::std::format!(
                    "`{}` reads {} values from position {}, the row has {}",
                    #name, #count, offset, ::orm_core::Row::len(row),
                )));
            }
            ::core::result::Result::Ok(Self {
                #(#columns)*
                #(#skipped)*
            })
        }
    }
}

/// `changed_columns`: the positions whose field differs from `old`.
fn changed_columns_fn(model: &ModelDef) -> TokenStream {
    let checks = model.columns.iter().map(|c| {
        let (member, position) = (&c.member, c.position);
        quote!(if self.#member != old.#member { changed.push(#position); })
    });
    quote! {
        fn changed_columns(&self, old: &Self) -> ::std::vec::Vec<usize> {
            let mut changed = ::std::vec::Vec::new();
            #(#checks)*
            changed
        }
    }
}

/// `apply_insert_defaults`, only when a column has a `default`.
fn insert_defaults_fn(model: &ModelDef) -> TokenStream {
    let fills: Vec<TokenStream> = model
        .columns
        .iter()
        .filter_map(|c| {
            let (member, path) = (&c.member, c.default.as_ref()?);
            Some(quote_spanned! {path.span()=>
                if ::core::option::Option::is_none(&self.#member) {
                    self.#member = ::core::option::Option::Some(::core::convert::Into::into(#path()));
                }
            })
        })
        .collect();
    if fills.is_empty() {
        return TokenStream::new();
    }
    quote! {
        fn apply_insert_defaults(&mut self) {
            #(#fills)*
        }
    }
}

/// `apply_onupdate`, only when a column has an `onupdate`.
fn onupdate_fn(model: &ModelDef) -> TokenStream {
    let fills: Vec<TokenStream> = model
        .columns
        .iter()
        .filter_map(|c| {
            let (member, position, path) = (&c.member, c.position, c.onupdate.as_ref()?);
            Some(quote_spanned! {path.span()=>
                if !changed.contains(&#position) {
                    self.#member = ::core::convert::Into::into(#path());
                    set.push(#position);
                }
            })
        })
        .collect();
    if fills.is_empty() {
        return TokenStream::new();
    }
    let values = model.columns.iter().filter_map(|c| {
        let (ty, position, path) = (&c.ty, c.position, c.onupdate.as_ref()?);
        Some(quote_spanned! {path.span()=>
            if !set.contains(&#position) {
                let value: #ty = ::core::convert::Into::into(#path());
                out.push((#position, ::orm_core::ToValue::to_value(&value)));
            }
        })
    });
    quote! {
        fn apply_onupdate(&mut self, changed: &[usize]) -> ::std::vec::Vec<usize> {
            let mut set = ::std::vec::Vec::new();
            #(#fills)*
            set
        }

        fn onupdate_values(set: &[usize]) -> ::std::vec::Vec<(usize, ::orm_core::Value)> {
            let mut out = ::std::vec::Vec::new();
            #(#values)*
            out
        }
    }
}
