//! Attribute values: the parsers for `name = value` and the checked value types.

use super::ctxt::Ctxt;
use super::sql_type::SqlTypeSpec;
use super::symbol;
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{ExprPath, LitBool, LitInt, LitStr, Token};

/// A value together with the span of the attribute name that set it.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where the attribute was written.
    pub span: Span,
}

/// The referenced `table.column` of a `foreign_key` attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKeyTarget {
    /// The referenced table.
    pub table: String,
    /// The referenced column.
    pub column: String,
}

impl ForeignKeyTarget {
    /// Splits `table.column`; `None` unless both parts are non-empty identifiers.
    pub fn parse(s: &str) -> Option<Self> {
        let (table, column) = s.split_once('.')?;
        (is_identifier(table) && is_identifier(column)).then(|| ForeignKeyTarget {
            table: table.to_owned(),
            column: column.to_owned(),
        })
    }
}

/// A letter or `_`, then letters, digits or `_`.
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// An `ON DELETE` / `ON UPDATE` action: the derive's mirror of
/// `orm_core::ReferentialAction` (the derive cannot depend on `orm-core`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferentialAction {
    /// `NO ACTION`.
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

/// The accepted spellings, for error messages.
pub const ACTION_WORDS: &str =
    "`cascade`, `set null` (or `set_null`), `restrict`, `no action`, `set default`";

impl ReferentialAction {
    /// Accepts the same words as `orm_core::ReferentialAction::parse`: any case, `_` or a space
    /// between words.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().replace('_', " ").as_str() {
            "no action" => Some(Self::NoAction),
            "restrict" => Some(Self::Restrict),
            "cascade" => Some(Self::Cascade),
            "set null" => Some(Self::SetNull),
            "set default" => Some(Self::SetDefault),
            _ => None,
        }
    }

    /// The name of the matching `orm_core::ReferentialAction` variant.
    pub fn variant_name(self) -> &'static str {
        match self {
            Self::NoAction => "NoAction",
            Self::Restrict => "Restrict",
            Self::Cascade => "Cascade",
            Self::SetNull => "SetNull",
            Self::SetDefault => "SetDefault",
        }
    }
}

/// A flag: `name` alone means `true`; `name = true|false` spells it out.
pub fn flag(meta: &ParseNestedMeta) -> syn::Result<bool> {
    if meta.input.peek(Token![=]) {
        Ok(meta.value()?.parse::<LitBool>()?.value)
    } else {
        Ok(true)
    }
}

/// `name = "text"`.
pub fn string(meta: &ParseNestedMeta) -> syn::Result<LitStr> {
    meta.value()?.parse()
}

/// `name = "text"` where the text must not be empty.
pub fn non_empty_string(meta: &ParseNestedMeta) -> syn::Result<LitStr> {
    let lit = string(meta)?;
    if lit.value().trim().is_empty() {
        return Err(syn::Error::new(lit.span(), "expected a non-empty string"));
    }
    Ok(lit)
}

/// `name = 100`, a positive integer.
pub fn positive_u32(meta: &ParseNestedMeta) -> syn::Result<u32> {
    let lit: LitInt = meta.value()?.parse()?;
    match lit.base10_parse::<u32>()? {
        0 => Err(syn::Error::new(lit.span(), "expected a positive integer")),
        n => Ok(n),
    }
}

/// `name = path::to_fn`, a function path (not a string, not a call).
pub fn function_path(meta: &ParseNestedMeta) -> syn::Result<ExprPath> {
    let input = meta.value()?;
    if input.peek(LitStr) {
        return Err(input.error("expected a path to a function, not a string"));
    }
    input.parse()
}

/// `foreign_key = "table.column"`; a malformed target is reported at the string.
pub fn foreign_key(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<ForeignKeyTarget>> {
    let lit = string(meta)?;
    let target = ForeignKeyTarget::parse(&lit.value());
    if target.is_none() {
        let msg = format!(
            "expected \"table.column\", e.g. foreign_key = \"authors.id\"\n{}",
            symbol::FOREIGN_KEY.help()
        );
        cx.error_spanned_by(&lit, msg);
    }
    Ok(target)
}

/// `on_delete = "cascade"` and `on_update`; an unknown word is reported at the string.
pub fn action(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<ReferentialAction>> {
    let lit = string(meta)?;
    let action = ReferentialAction::parse(&lit.value());
    if action.is_none() {
        let msg = format!(
            "unknown referential action \"{}\", expected one of {ACTION_WORDS}\nhelp: the correct format looks like `on_delete = \"cascade\"`",
            lit.value()
        );
        cx.error_spanned_by(&lit, msg);
    }
    Ok(action)
}

pub fn sql_type(meta: &ParseNestedMeta) -> syn::Result<SqlTypeSpec> {
    Ok(SqlTypeSpec::parse(&non_empty_string(meta)?.value()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_key_target_needs_two_identifiers() {
        let fk = ForeignKeyTarget::parse("authors.id").unwrap();
        assert_eq!((fk.table.as_str(), fk.column.as_str()), ("authors", "id"));
        for bad in [
            "authors",
            "authors.",
            ".id",
            "a.b.c",
            "authors id",
            "1a.id",
            "",
        ] {
            assert_eq!(ForeignKeyTarget::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn action_accepts_the_words_of_referential_action() {
        use ReferentialAction::*;
        let cases = [
            ("cascade", Cascade),
            ("SET NULL", SetNull),
            ("set_null", SetNull),
            ("No Action", NoAction),
            ("restrict", Restrict),
            ("set_default", SetDefault),
        ];
        for (word, action) in cases {
            assert_eq!(ReferentialAction::parse(word), Some(action), "{word}");
        }
        assert_eq!(ReferentialAction::parse("explode"), None);
    }
}
