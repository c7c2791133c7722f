//! What the derive decides from the *syntax* of a field's type, and default names.
//!
//! A proc-macro cannot resolve types, so `Option<i32>` is recognised by its last path
//! segment (`Option`, `std::option::Option`, ...) and its argument's spelling. A type
//! alias for `Option` is not recognised; the field's real type still decides
//! nullability through `ColumnType::NULLABLE`.

use quote::ToTokens;
use syn::{GenericArgument, PathArguments, Type};

/// The `T` of a type spelled `Option<T>`.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    let segment = last_segment(ty)?;
    if segment.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    match args.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(inner)] => Some(inner),
        _ => None,
    }
}

/// True for a type spelled `Option<..>`.
pub fn is_option(ty: &Type) -> bool {
    option_inner(ty).is_some()
}

/// True for `i16`, `i32` or `i64` (the integer types a database can generate).
pub fn is_integer(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|s| {
        s.arguments.is_none() && ["i16", "i32", "i64"].iter().any(|i| s.ident == i)
    })
}

/// True for a type spelled `String` (or `std::string::String`).
pub fn is_string(ty: &Type) -> bool {
    last_segment(ty).is_some_and(|s| s.arguments.is_none() && s.ident == "String")
}

/// True for `Option<i16|i32|i64>`: a key the database generates on insert.
pub fn is_optional_integer(ty: &Type) -> bool {
    option_inner(ty).is_some_and(is_integer)
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        Type::Group(g) => last_segment(&g.elem),
        Type::Paren(p) => last_segment(&p.elem),
        _ => None,
    }
}

/// A type as the user would write it: `chrono::NaiveDateTime`, not `chrono :: NaiveDateTime`.
pub fn type_to_string(ty: &Type) -> String {
    let spaced = ty.to_token_stream().to_string();
    [
        (" :: ", "::"),
        (":: ", "::"),
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
    ]
    .iter()
    .fold(spaced, |s, (from, to)| s.replace(from, to))
}

/// `BlogPost` -> `blog_post`, `HTTPRequest` -> `http_request`: the default table name.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 && starts_word(&chars, i) && !out.ends_with('_') {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// An uppercase letter at `i` starts a word after a lowercase letter or digit, or
/// ends an acronym when a lowercase letter follows (`HTTPRequest`: the `R`).
fn starts_word(chars: &[char], i: usize) -> bool {
    let prev = chars[i - 1];
    let next_lower = chars.get(i + 1).is_some_and(|c| c.is_lowercase());
    prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower)
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn snake_case_splits_words_and_acronyms() {
        assert_eq!(snake_case("Article"), "article");
        assert_eq!(snake_case("BlogPost"), "blog_post");
        assert_eq!(snake_case("HTTPRequest"), "http_request");
        assert_eq!(snake_case("Tag2Post"), "tag2_post");
        assert_eq!(snake_case("UserID"), "user_id");
        assert_eq!(snake_case("blog_post"), "blog_post");
        assert_eq!(snake_case("Blog_Post"), "blog_post");
    }

    #[test]
    fn recognises_options_by_their_last_segment() {
        assert!(is_option(&parse_quote!(Option<String>)));
        assert!(is_option(&parse_quote!(std::option::Option<i32>)));
        assert!(!is_option(&parse_quote!(String)));
        assert!(!is_option(&parse_quote!(Option)));
        assert!(!is_option(&parse_quote!(Vec<Option<i32>>)));
    }

    #[test]
    fn types_print_without_token_spacing() {
        let ty: Type = parse_quote!(std::collections::HashMap<String, Vec<u8>>);
        assert_eq!(
            type_to_string(&ty),
            "std::collections::HashMap<String, Vec<u8>>"
        );
        assert_eq!(
            type_to_string(&parse_quote!(::chrono::NaiveDate)),
            "::chrono::NaiveDate"
        );
    }

    #[test]
    fn optional_integers_are_generated_keys() {
        assert!(is_optional_integer(&parse_quote!(Option<i32>)));
        assert!(is_optional_integer(&parse_quote!(Option<i64>)));
        assert!(is_optional_integer(&parse_quote!(
            ::core::option::Option<i16>
        )));
        assert!(!is_optional_integer(&parse_quote!(i32)));
        assert!(!is_optional_integer(&parse_quote!(Option<String>)));
        assert!(!is_optional_integer(&parse_quote!(Option<uuid::Uuid>)));
    }
}
