//! Code generation. Reads only the [`ModelDef`]; every path is absolute
//! (`::orm_core::`, `::core::`, `::std::`) and everything is wrapped in `const _`.

mod accessors;
mod columns;
mod model_impl;
mod relationships;
mod table;

use crate::model::ast::ModelDef;
use crate::model::check;
use crate::parse::ctxt::Ctxt;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::DeriveInput;

/// Parse → model → check → expand. Every error found on the way is returned, combined.
pub fn derive(input: DeriveInput) -> syn::Result<TokenStream> {
    let cx = Ctxt::new();
    let model = ModelDef::from_ast(&cx, &input);
    if let Some(model) = &model {
        check::check(&cx, model);
    }
    cx.check()?;
    Ok(model.map(|m| expand(&m)).unwrap_or_default())
}

/// The generated items for a checked model.
fn expand(model: &ModelDef) -> TokenStream {
    let model_impl = model_impl::model_impl(model);
    let column_consts = columns::column_consts(model);
    let assertions = type_assertions(model);
    let relationships = relationships::relationships(model);
    let accessors = accessors::accessors(model);
    let ident = &model.ident;
    quote! {
        const _: () = {
            #model_impl
            #accessors
            #column_consts
            #assertions
            #relationships
            ::orm_core::__private::inventory::submit! {
                ::orm_core::ModelRegistration { table: <#ident as ::orm_core::Model>::table }
            }
        };
    }
}

/// Compile-time checks on field types, spanned at each field's type so the error
/// lands there: every column type implements `ColumnType` (written the way the
/// table metadata uses it, so rustc reports the two as one error), and a `length`
/// field is a string.
fn type_assertions(model: &ModelDef) -> TokenStream {
    let checks = model.columns.iter().map(|c| {
        let ty = &c.ty;
        let column = quote_spanned! {ty.span()=>
            const _: bool = <#ty as ::orm_core::ColumnType>::NULLABLE;
        };
        let version = c
            .version
            .then(|| quote_spanned!(ty.span()=> const _: () = __orm_assert_version::<#ty>();));
        let text_enum = c
            .text_enum
            .then(|| quote_spanned!(ty.span()=> const _: () = __orm_assert_enum::<#ty>();));
        let length = c
            .length()
            .map(|_| quote_spanned!(ty.span()=> const _: () = __orm_assert_string::<#ty>();));
        quote!(#column #length #version #text_enum)
    });
    let enum_check = model.columns.iter().any(|c| c.text_enum).then(|| {
        quote!(
            const fn __orm_assert_enum<T: ::orm_core::EnumColumn>() {}
        )
    });
    let version_check = model.columns.iter().any(|c| c.version).then(|| {
        quote!(
            const fn __orm_assert_version<T: ::orm_core::VersionType>() {}
        )
    });
    let string_check = model.columns.iter().any(|c| c.length().is_some()).then(|| {
        quote!(
            const fn __orm_assert_string<T: ::orm_core::StringType>() {}
        )
    });
    quote! {
        #string_check
        #version_check
        #enum_check
        #(#checks)*
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn attribute_and_model_errors_are_reported_together() {
        let input: DeriveInput = parse_quote! {
            struct Tag {
                #[orm(lenght = 3)] id: i32,
                #[orm(default = now)] at: i64,
            }
        };
        let messages: Vec<String> = derive(input)
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string().lines().next().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].starts_with("unknown attribute `lenght`"));
        assert_eq!(messages[1], "`Tag` has no primary key");
        assert!(messages[2].starts_with("`default` needs an `Option<_>` field"));
    }

    #[test]
    fn output_is_wrapped_in_an_anonymous_const() {
        let input: DeriveInput = parse_quote! {
            struct Tag { #[orm(primary_key)] id: Option<i32> }
        };
        let output = derive(input).unwrap().to_string();
        assert!(output.starts_with("const _ : () = {"), "{output}");
        assert!(output.contains("impl :: orm_core :: Model for Tag"));
        assert!(output.contains("Table :: new (\"tag\""));
        assert!(!output.contains("RelationshipDef"));
    }

    #[test]
    fn relationships_are_generated_in_both_directions() {
        let input: DeriveInput = parse_quote! {
            #[orm(has_many(articles = Article, backref = "author", cascade = "all, delete-orphan",
                lazy = "selectin", order_by = "title"))]
            pub struct Author { #[orm(primary_key)] id: Option<i32> }
        };
        let output = derive(input).unwrap().to_string();
        let expected = [
            "static __ORM_REL_AUTHOR_ARTICLES : :: orm_core :: RelationshipDef = :: orm_core :: RelationshipDef :: new :: < Author , Article > (\"articles\" , :: orm_core :: RelationKind :: OneToMany) . reverse (\"author\") . cascade (:: orm_core :: Cascade :: new () . delete (true) . delete_orphan (true)) . loading (:: orm_core :: Loading :: Selectin) . order_by (\"title\") ;",
            "static __ORM_REL_AUTHOR_ARTICLES_BACKREF : :: orm_core :: RelationshipDef = :: orm_core :: RelationshipDef :: new :: < Article , Author > (\"author\" , :: orm_core :: RelationKind :: ManyToOne) . reverse (\"articles\") ;",
            "fn __orm_rel_author_articles () -> & 'static :: orm_core :: RelationshipDef { & __ORM_REL_AUTHOR_ARTICLES }",
            "RelationshipRegistration { def : __orm_rel_author_articles_backref }",
            "impl Author { # [doc = \"Relationship `articles` (one-to-many to `Article`).\"] # [allow (non_upper_case_globals)] pub const articles : :: orm_core :: ToMany < Author , Article > = :: orm_core :: ToMany :: new (__orm_rel_author_articles) ; }",
            "impl Article { # [doc = \"Relationship `author` (many-to-one to `Author`), the backref of `Author::articles`.\"] # [allow (non_upper_case_globals)] pub const author : :: orm_core :: ToOne < Article , Author > = :: orm_core :: ToOne :: new (__orm_rel_author_articles_backref) ; }",
        ];
        for item in expected {
            assert!(output.contains(item), "{item}\nnot in\n{output}");
        }
    }

    #[test]
    fn many_to_many_and_back_populates() {
        let input: DeriveInput = parse_quote! {
            #[orm(many_to_many(tags = Tag, secondary = m::ArticleTag, foreign_key = "article_id", backref = "articles"))]
            #[orm(belongs_to(author = Author, back_populates = "articles"))]
            struct Article { #[orm(primary_key)] id: Option<i32> }
        };
        let output = derive(input).unwrap().to_string();
        let expected = [
            "(\"tags\" , :: orm_core :: RelationKind :: ManyToMany) . reverse (\"articles\") . foreign_key (\"article_id\") . secondary (< m :: ArticleTag as :: orm_core :: Model > :: table) ;",
            "(\"articles\" , :: orm_core :: RelationKind :: ManyToMany) . reverse (\"tags\") . secondary (< m :: ArticleTag as :: orm_core :: Model > :: table) ;",
            "(\"author\" , :: orm_core :: RelationKind :: ManyToOne) . reverse (\"articles\") ;",
            "const _ : () = __orm_reverse_of :: < Author , Article , _ > (& < Author > :: articles) ;",
            "const author : :: orm_core :: ToOne < Article , Author >",
        ];
        for item in expected {
            assert!(output.contains(item), "{item}\nnot in\n{output}");
        }
    }

    #[test]
    fn generated_names_do_not_collide() {
        let input: DeriveInput = parse_quote! {
            #[orm(has_many(tags = Tag, backref = "x"), has_many(tags_backref = Tag), has_many(TAGS = Tag))]
            struct BlogPost { #[orm(primary_key)] id: Option<i32> }
        };
        let output = derive(input).unwrap().to_string();
        for name in [
            "BLOG_POST_TAGS",
            "BLOG_POST_TAGS_BACKREF",
            "BLOG_POST_TAGS_BACKREF_2",
            "BLOG_POST_TAGS_2",
        ] {
            assert!(
                output.contains(&format!("static __ORM_REL_{name} :")),
                "{name}"
            );
        }
    }
}
