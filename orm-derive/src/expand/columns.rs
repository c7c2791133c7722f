//! The typed column handles: one associated `Col` constant per mapped field.

use crate::model::ast::ModelDef;
use proc_macro2::TokenStream;
use quote::quote;

/// `impl S { pub const field: Col<S, T> = Col::new(table, column, position); .. }`,
/// each constant as visible as the struct.
pub fn column_consts(model: &ModelDef) -> TokenStream {
    let (ident, vis) = (&model.ident, &model.vis);
    let table = &model.table;
    let consts = model.columns.iter().map(|c| {
        let (member, ty, name, position) = (&c.member, &c.ty, &c.name, c.position);
        let doc = format!("The `{table}.{name}` column, for building queries.");
        quote! {
            #[doc = #doc]
            #[allow(non_upper_case_globals)]
            #vis const #member: ::orm_core::Col<#ident, #ty> =
                ::orm_core::Col::new(#table, #name, #position);
        }
    });
    quote! {
        #[automatically_derived]
        impl #ident {
            #(#consts)*
        }
    }
}
