//! The attribute parser on `parse_quote!` input: values, flags, and the messages of
//! every error it reports.

use super::attr::{Container, Field};
use super::ctxt::Ctxt;
use super::sql_type::SqlTypeSpec;
use super::value::ReferentialAction;
use syn::parse_quote;

/// Parses the attributes of `field`, returning them and every error message.
fn field(field: syn::Field) -> (Field, Vec<String>) {
    let cx = Ctxt::new();
    let attrs = Field::from_ast(&cx, &field);
    (attrs, messages(cx))
}

fn messages(cx: Ctxt) -> Vec<String> {
    match cx.check() {
        Ok(()) => Vec::new(),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    }
}

fn errors(f: syn::Field) -> Vec<String> {
    field(f).1
}

#[test]
fn reads_every_field_attribute() {
    let (attrs, errs) = field(parse_quote! {
        #[orm(primary_key, autoincrement = false, length = 100, unique, index = false)]
        #[orm(nullable = false, default = crate::now, onupdate = now, server_default = "now()")]
        #[orm(foreign_key = "authors.id", on_delete = "cascade", on_update = "SET NULL")]
        #[orm(column = "slug_text")]
        slug: String
    });
    assert_eq!(errs, Vec::<String>::new());
    let value = |a: Option<super::value::Spanned<bool>>| a.map(|a| a.value);
    assert_eq!(value(attrs.primary_key), Some(true));
    assert_eq!(value(attrs.autoincrement), Some(false));
    assert_eq!(value(attrs.unique), Some(true));
    assert_eq!(value(attrs.index), Some(false));
    assert_eq!(value(attrs.nullable), Some(false));
    assert_eq!(attrs.length.map(|l| l.value), Some(100));
    assert!(attrs.default.is_some() && attrs.onupdate.is_some());
    assert_eq!(
        attrs.server_default.map(|s| s.value).as_deref(),
        Some("now()")
    );
    let fk = attrs.foreign_key.unwrap().value;
    assert_eq!((fk.table.as_str(), fk.column.as_str()), ("authors", "id"));
    assert_eq!(
        attrs.on_delete.map(|a| a.value),
        Some(ReferentialAction::Cascade)
    );
    assert_eq!(
        attrs.on_update.map(|a| a.value),
        Some(ReferentialAction::SetNull)
    );
    assert_eq!(attrs.column.map(|c| c.value).as_deref(), Some("slug_text"));
    assert!(attrs.skip.is_none());
}

#[test]
fn sql_type_is_mapped_while_parsing() {
    let (attrs, errs) = field(parse_quote!(#[orm(sql_type = "int8")] n: i64));
    assert!(errs.is_empty());
    assert_eq!(attrs.sql_type.map(|s| s.value), Some(SqlTypeSpec::BigInt));
}

#[test]
fn ignores_other_attributes() {
    let errs = errors(parse_quote!(#[doc = "x"] #[serde(rename = "y")] n: i64));
    assert!(errs.is_empty());
}

#[test]
fn unknown_attribute_lists_the_expected_ones_and_the_closest() {
    let errs = errors(parse_quote!(#[orm(lenght = 100, unique)] slug: String));
    assert_eq!(errs.len(), 1);
    assert!(
        errs[0].starts_with(
            "unknown attribute `lenght`, expected one of `primary_key`, `autoincrement`, `length`,"
        ),
        "{}",
        errs[0]
    );
    assert!(
        errs[0].ends_with(
            "\nhelp: did you mean `length`? the correct format looks like `#[orm(length = 100)]`"
        ),
        "{}",
        errs[0]
    );
}

#[test]
fn unknown_attribute_does_not_stop_the_others() {
    let (attrs, errs) = field(parse_quote!(#[orm(sparkle(a, b = 1), unique)] slug: String));
    assert_eq!(errs.len(), 1);
    assert!(!errs[0].contains("did you mean"), "{}", errs[0]);
    assert!(attrs.unique.is_some());
}

#[test]
fn container_attribute_on_a_field_says_where_it_goes() {
    let errs = errors(parse_quote!(#[orm(table = "x")] slug: String));
    assert_eq!(
        errs,
        ["`table` is a struct attribute, not a field attribute\nhelp: move it: `#[orm(table = \"articles\")]`"]
    );
}

#[test]
fn field_attribute_on_the_struct_says_where_it_goes() {
    let cx = Ctxt::new();
    let container = Container::from_ast(&cx, &[parse_quote!(#[orm(unique, table = "tags")])]);
    assert_eq!(
        container.table.map(|t| t.value.value()).as_deref(),
        Some("tags")
    );
    assert_eq!(
        messages(cx),
        ["`unique` is a field attribute, not a struct attribute\nhelp: move it: `#[orm(unique)]`"]
    );
}

#[test]
fn duplicates_are_reported_across_attributes() {
    let (attrs, errs) =
        field(parse_quote!(#[orm(length = 100)] #[orm(unique, length = 200)] s: String));
    assert_eq!(
        errs,
        ["duplicate attribute `length`\nhelp: remove one of the two"]
    );
    assert_eq!(
        attrs.length.map(|l| l.value),
        Some(100),
        "the first one is kept"
    );
}

#[test]
fn malformed_values_get_the_attribute_help() {
    let cases: [(syn::Field, &str); 5] = [
        (
            parse_quote!(#[orm(length = "100")] s: String),
            "#[orm(length = 100)]",
        ),
        (
            parse_quote!(#[orm(length = 0)] s: String),
            "#[orm(length = 100)]",
        ),
        (
            parse_quote!(#[orm(default = "now")] s: Option<i64>),
            "#[orm(default = chrono::Utc::now)]",
        ),
        (
            parse_quote!(#[orm(unique = "yes")] s: String),
            "#[orm(unique)]",
        ),
        (
            parse_quote!(#[orm(column = "")] s: String),
            "#[orm(column = \"name\")]",
        ),
    ];
    for (f, example) in cases {
        let errs = errors(f);
        assert_eq!(errs.len(), 1, "{errs:?}");
        let help = format!("\nhelp: the correct format looks like `{example}`");
        assert!(errs[0].ends_with(&help), "{}", errs[0]);
    }
}

#[test]
fn foreign_key_and_actions_are_validated() {
    let errs = errors(parse_quote!(#[orm(foreign_key = "authors", on_delete = "explode")] a: i32));
    assert_eq!(
        errs.len(),
        2,
        "a bad target still counts as a foreign key: {errs:?}"
    );
    assert!(errs[0].starts_with("expected \"table.column\", e.g. foreign_key = \"authors.id\""));
    assert!(
        errs[1].starts_with("unknown referential action \"explode\", expected one of `cascade`")
    );
}

#[test]
fn actions_need_a_foreign_key() {
    let errs = errors(parse_quote!(#[orm(on_delete = "cascade", on_update = "cascade")] a: i32));
    assert_eq!(errs.len(), 2);
    assert!(errs[0].starts_with("`on_delete` needs a `foreign_key` on the same field"));
    assert!(errs[1].starts_with("`on_update` needs a `foreign_key` on the same field"));
}

#[test]
fn attributes_that_contradict_each_other() {
    let errs = errors(parse_quote!(#[orm(length = 10, sql_type = "TEXT")] s: String));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with("`length` has no effect together with `sql_type`"));

    let errs = errors(parse_quote!(#[orm(primary_key, nullable)] id: Option<i32>));
    assert_eq!(
        errs,
        ["a primary-key column is never NULL\nhelp: remove `nullable`"]
    );

    let errs = errors(parse_quote!(#[orm(skip, unique, column = "c")] cache: Vec<String>));
    assert_eq!(errs.len(), 2);
    assert!(errs[0].starts_with("`unique` does not apply to a `skip` field"));
    assert!(errs[1].starts_with("`column` does not apply to a `skip` field"));
}
