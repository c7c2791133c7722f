//! Rules across fields, run on the resolved [`ModelDef`]; each reports at the span
//! the user has to change.

use super::ast::{ColumnDef, ModelDef};
use super::infer;
use crate::parse::ctxt::Ctxt;
use proc_macro2::Ident;
use std::collections::hash_map::{Entry, HashMap};
use syn::ext::IdentExt;

/// Runs every rule, collecting all violations in `cx`.
pub fn check(cx: &Ctxt, model: &ModelDef) {
    check_primary_key(cx, model);
    check_unique_column_names(cx, model);
    check_relationship_names(cx, model);
    check_single_version(cx, model);
    check_setter_names(cx, model);
    for column in &model.columns {
        check_default_on_option(cx, column);
    }
}

/// A table needs a primary key: the session identifies rows by it.
fn check_primary_key(cx: &Ctxt, model: &ModelDef) {
    if model.primary_key().next().is_some() {
        return;
    }
    let hint = match model.columns.iter().find(|c| c.name == "id") {
        Some(c) => format!("add `#[orm(primary_key)]` to the `{}` field", c.member),
        None => "add `#[orm(primary_key)]` to the field that identifies a row, e.g. `#[orm(primary_key)] id: Option<i32>`".to_owned(),
    };
    let msg = format!("`{}` has no primary key\nhelp: {hint}", model.ident);
    cx.error_spanned_by(&model.ident, msg);
}

/// At most one version counter per model.
fn check_single_version(cx: &Ctxt, model: &ModelDef) {
    for extra in model.columns.iter().filter(|c| c.version).skip(1) {
        let msg = "a model has at most one `version` column\nhelp: keep `#[orm(version)]` on one integer field";
        cx.error_at(extra.name_span, msg);
    }
}

/// Two fields cannot map to one column.
fn check_unique_column_names(cx: &Ctxt, model: &ModelDef) {
    let mut seen: HashMap<&str, &ColumnDef> = HashMap::new();
    for column in &model.columns {
        match seen.entry(&column.name) {
            Entry::Vacant(slot) => {
                slot.insert(column);
            }
            Entry::Occupied(first) => {
                let msg = format!(
                    "fields `{}` and `{}` both map to column `{}`\nhelp: give one of them another name with `#[orm(column = \"...\")]`",
                    first.get().member, column.member, column.name
                );
                cx.error_at(column.name_span, msg);
            }
        }
    }
}

/// A relationship accessor is an associated const of the model, like the column
/// handles: its name must differ from the mapped fields' and from the other
/// relationships' (a backref to the model itself included).
fn check_relationship_names(cx: &Ctxt, model: &ModelDef) {
    let fields: HashMap<String, &Ident> = model
        .columns
        .iter()
        .map(|c| (c.member.unraw().to_string(), &c.member))
        .collect();
    let mut seen: HashMap<String, &Ident> = HashMap::new();
    for accessor in accessors(model) {
        let name = accessor.unraw().to_string();
        let ident = &model.ident;
        if fields.contains_key(&name) {
            let msg = format!("relationship `{name}` has the name of a field of `{ident}`: both would be `{ident}::{name}` (the field's column handle and the relationship's accessor)\nhelp: rename the relationship, or rename the field and keep its column with `#[orm(column = \"{name}\")]`");
            cx.error_spanned_by(accessor, msg);
        } else if seen.insert(name.clone(), accessor).is_some() {
            let msg = format!(
                "duplicate relationship `{name}` on `{ident}`\nhelp: rename one of the two"
            );
            cx.error_spanned_by(accessor, msg);
        }
    }
}

/// The relationship accessors the derive puts on the model itself.
fn accessors(model: &ModelDef) -> impl Iterator<Item = &Ident> {
    model.relationships.iter().flat_map(|r| {
        let backref = r
            .backref
            .as_ref()
            .filter(|_| r.is_self_referential(&model.ident));
        std::iter::once(&r.name).chain(backref)
    })
}

/// Each field gets `field()` and `set_field(..)` on its handles: a field named
/// `set_x` would take the setter of a field `x`.
fn check_setter_names(cx: &Ctxt, model: &ModelDef) {
    let fields: HashMap<String, &ColumnDef> = model
        .columns
        .iter()
        .map(|c| (c.member.unraw().to_string(), c))
        .collect();
    for column in model.columns.iter().filter(|c| !c.version) {
        let field = column.member.unraw().to_string();
        let setter = format!("set_{field}");
        if let Some(clash) = fields.get(&setter) {
            let msg = format!(
                "field `{setter}` has the name of the setter of field `{field}`: handles get both `{setter}()` (its getter) and `{setter}(..)` (the setter of `{field}`)\nhelp: rename the field and keep its column with `#[orm(column = \"{setter}\")]`"
            );
            cx.error_spanned_by(&clash.member, msg);
        }
    }
}

/// `default` fills a missing value, so the field must be able to be missing.
fn check_default_on_option(cx: &Ctxt, column: &ColumnDef) {
    if column.default.is_none() || infer::is_option(&column.ty) {
        return;
    }
    let ty = infer::type_to_string(&column.ty);
    let msg = format!(
        "`default` needs an `Option<_>` field: the function is called at insert when the field is `None`\nhelp: declare the field as `{}: Option<{ty}>`, or remove `default`",
        column.member
    );
    cx.error_spanned_by(&column.ty, msg);
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::{parse_quote, DeriveInput};

    fn errors(input: DeriveInput) -> Vec<String> {
        let cx = Ctxt::new();
        if let Some(model) = ModelDef::from_ast(&cx, &input) {
            check(&cx, &model);
        }
        match cx.check() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn a_valid_model_has_no_errors() {
        let errs = errors(parse_quote! {
            struct Article {
                #[orm(primary_key)] id: Option<i32>,
                #[orm(default = now)] created_on: Option<i64>,
            }
        });
        assert_eq!(errs, Vec::<String>::new());
    }

    #[test]
    fn missing_primary_key_points_at_id() {
        let errs = errors(parse_quote! { struct Tag { id: i32, name: String } });
        assert_eq!(
            errs,
            ["`Tag` has no primary key\nhelp: add `#[orm(primary_key)]` to the `id` field"]
        );
    }

    #[test]
    fn two_fields_one_column() {
        let errs = errors(parse_quote! {
            struct Tag { #[orm(primary_key)] id: i32, name: String, #[orm(column = "name")] label: String }
        });
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].starts_with("fields `name` and `label` both map to column `name`"),
            "{}",
            errs[0]
        );
    }

    #[test]
    fn relationship_names_are_unique_on_the_model() {
        let errs = errors(parse_quote! {
            #[orm(has_many(articles = Article), has_many(children = Author, backref = "parent"))]
            #[orm(belongs_to(articles = Article), has_one(parent = Author))]
            struct Author { #[orm(primary_key)] id: i32 }
        });
        assert_eq!(
            errs,
            [
                "duplicate relationship `articles` on `Author`\nhelp: rename one of the two",
                "duplicate relationship `parent` on `Author`\nhelp: rename one of the two",
            ]
        );
    }

    #[test]
    fn a_backref_to_another_model_is_not_in_this_namespace() {
        let errs = errors(parse_quote! {
            #[orm(has_many(articles = Article, backref = "id"))]
            struct Author { #[orm(primary_key)] id: i32 }
        });
        assert_eq!(errs, Vec::<String>::new());
    }

    #[test]
    fn relationship_named_like_a_field() {
        let errs = errors(parse_quote! {
            #[orm(belongs_to(author = Author), has_many(replies = Self, backref = "parent"))]
            struct Comment {
                #[orm(primary_key)] id: i32,
                #[orm(column = "author_id")] author: i32,
                parent: Option<i32>,
                #[orm(skip)] replies: Vec<i32>,
            }
        });
        assert_eq!(
            errs.len(),
            2,
            "a `skip` field has no column handle: {errs:?}"
        );
        assert!(errs[0].starts_with("relationship `author` has the name of a field of `Comment`: both would be `Comment::author`"), "{}", errs[0]);
        assert!(
            errs[1].starts_with("relationship `parent` has the name of a field"),
            "{}",
            errs[1]
        );
    }

    #[test]
    fn a_field_named_like_a_setter() {
        let errs = errors(parse_quote! {
            struct Tag {
                #[orm(primary_key)] id: i32,
                name: String,
                set_name: bool,
                #[orm(version)] v: i32,
                set_v: bool,
            }
        });
        assert_eq!(errs.len(), 1, "a version counter has no setter: {errs:?}");
        assert!(
            errs[0].starts_with("field `set_name` has the name of the setter of field `name`"),
            "{}",
            errs[0]
        );
    }

    #[test]
    fn default_needs_an_option() {
        let errs = errors(parse_quote! {
            struct Tag { #[orm(primary_key)] id: i32, #[orm(default = now)] at: i64 }
        });
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].contains("declare the field as `at: Option<i64>`"),
            "{}",
            errs[0]
        );
    }
}
