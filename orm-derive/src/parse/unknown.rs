//! Reporting an attribute the derive does not know, with a "did you mean" hint.

use super::ctxt::Ctxt;
use super::symbol::{self, Symbol};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;

/// Reports an attribute not in `expected` and skips its value.
pub fn unknown(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    expected: &[Symbol],
    other: Kind,
) -> syn::Result<()> {
    let name = meta.path.to_token_stream().to_string().replace(' ', "");
    let msg = match symbol::lookup(other.symbols(), &name) {
        Some(sym) => format!(
            "`{name}` is {}, not {}\nhelp: move it: `{}`",
            other.describe(),
            other.opposite().describe(),
            sym.example()
        ),
        None => unknown_message("attribute", &name, expected, None),
    };
    cx.error_spanned_by(&meta.path, msg);
    skip_value(meta)
}

/// Reports an unknown `what` (e.g. "relationship option") not in `expected` and skips
/// its value. Without a close match, the help line shows `fallback`.
pub fn unknown_as(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    what: &str,
    expected: &[Symbol],
    fallback: Symbol,
) -> syn::Result<()> {
    let name = meta.path.to_token_stream().to_string().replace(' ', "");
    let msg = unknown_message(what, &name, expected, Some(fallback));
    cx.error_spanned_by(&meta.path, msg);
    skip_value(meta)
}

fn unknown_message(
    what: &str,
    name: &str,
    expected: &[Symbol],
    fallback: Option<Symbol>,
) -> String {
    let list: Vec<String> = expected.iter().map(|s| format!("`{s}`")).collect();
    let mut msg = match list.as_slice() {
        [one] => format!("unknown {what} `{name}`, expected {one}"),
        _ => format!(
            "unknown {what} `{name}`, expected one of {}",
            list.join(", ")
        ),
    };
    match (closest(name, expected), fallback) {
        (Some(close), _) => {
            msg += &format!(
                "\nhelp: did you mean `{close}`? the correct format looks like `{}`",
                close.example()
            );
        }
        (None, Some(example)) => msg += &format!("\n{}", example.help()),
        (None, None) => {}
    }
    msg
}

/// True when `name` is within two edits of one of `expected` (a misspelling).
pub fn is_close(name: &syn::Path, expected: &[Symbol]) -> bool {
    let name = name.to_token_stream().to_string().replace(' ', "");
    closest(&name, expected).is_some()
}

/// The expected attribute within two edits of `name`, if any.
fn closest(name: &str, expected: &[Symbol]) -> Option<Symbol> {
    expected
        .iter()
        .map(|s| (edit_distance(name, s.name()), *s))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, s)| s)
}

/// Levenshtein distance, counting an adjacent swap as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d: Vec<Vec<usize>> = (0..=a.len()).map(|i| vec![i; b.len() + 1]).collect();
    (0..=b.len()).for_each(|j| d[0][j] = j);
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// Consumes `= value` or `(..)` after an unknown attribute name.
pub fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip_value(&inner))?;
    }
    Ok(())
}

/// Whether an attribute belongs on the struct or on a field.
#[derive(Clone, Copy)]
pub enum Kind {
    /// On the struct.
    Container,
    /// On a field.
    Field,
}

impl Kind {
    fn symbols(self) -> &'static [Symbol] {
        match self {
            Kind::Container => symbol::CONTAINER_ATTRS,
            Kind::Field => symbol::FIELD_ATTRS,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::Container => "a struct attribute",
            Kind::Field => "a field attribute",
        }
    }

    fn opposite(self) -> Kind {
        match self {
            Kind::Container => Kind::Field,
            Kind::Field => Kind::Container,
        }
    }
}
