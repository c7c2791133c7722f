//! Derives for column value types: `#[derive(DbEnum)]` and `#[derive(DbNewtype)]`.
//! Both implement `orm_core::CustomType`, the one path for a user's type.

pub mod db_enum;
pub mod newtype;

use crate::parse::ctxt::Ctxt;
use syn::spanned::Spanned;
use syn::DeriveInput;

/// A value type has no generic parameters: it maps to one column type.
fn reject_generics(cx: &Ctxt, input: &DeriveInput, derive: &str, why: &str) {
    let generics = &input.generics;
    if !generics.params.is_empty() || generics.where_clause.is_some() {
        let msg = format!(
            "`#[derive({derive})]` does not support generic parameters: {why}\nhelp: remove the parameters from `{}`",
            input.ident
        );
        cx.error_at(generics.span(), msg);
    }
}

#[cfg(test)]
mod tests;
