//! Relationship values: the kind, and the parsers for the options inside
//! `has_many(..)` and the other kinds.

use super::ctxt::Ctxt;
use super::symbol::{self, Symbol};
use super::value::string;
use syn::meta::ParseNestedMeta;
use syn::{Ident, LitStr, Path, PathArguments, Type};

/// The four relationship attributes, named from the declaring model's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationshipKind {
    /// `has_many`: the target holds the foreign key; many targets.
    HasMany,
    /// `has_one`: the target holds the foreign key; at most one target.
    HasOne,
    /// `belongs_to`: this model holds the foreign key.
    BelongsTo,
    /// `many_to_many`: rows of an association model link the two.
    ManyToMany,
}

impl RelationshipKind {
    /// The kind an attribute path names, if any.
    pub fn from_path(path: &Path) -> Option<Self> {
        [
            Self::HasMany,
            Self::HasOne,
            Self::BelongsTo,
            Self::ManyToMany,
        ]
        .into_iter()
        .find(|k| path == k.symbol())
    }

    /// The attribute name and its example.
    pub fn symbol(self) -> Symbol {
        match self {
            Self::HasMany => symbol::HAS_MANY,
            Self::HasOne => symbol::HAS_ONE,
            Self::BelongsTo => symbol::BELONGS_TO,
            Self::ManyToMany => symbol::MANY_TO_MANY,
        }
    }

    /// The kind of the generated reverse side (`backref`).
    pub fn reverse(self) -> Self {
        match self {
            Self::HasMany | Self::HasOne => Self::BelongsTo,
            Self::BelongsTo => Self::HasMany,
            Self::ManyToMany => Self::ManyToMany,
        }
    }

    /// The matching `orm_core::RelationKind` variant.
    pub fn core_variant(self) -> &'static str {
        match self {
            Self::HasMany => "OneToMany",
            Self::HasOne => "OneToOne",
            Self::BelongsTo => "ManyToOne",
            Self::ManyToMany => "ManyToMany",
        }
    }

    /// In words, for documentation.
    pub fn describe(self) -> &'static str {
        match self {
            Self::HasMany => "one-to-many",
            Self::HasOne => "one-to-one",
            Self::BelongsTo => "many-to-one",
            Self::ManyToMany => "many-to-many",
        }
    }

    /// True when the accessor is a collection (`ToMany`), false for `ToOne`.
    pub fn is_collection(self) -> bool {
        matches!(self, Self::HasMany | Self::ManyToMany)
    }
}

/// The `cascade = ".."` words, reduced to what `orm_core::Cascade` holds (saving always
/// cascades, and `merge` has nothing to switch on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CascadeSpec {
    /// `delete` (or `all`).
    pub delete: bool,
    /// `delete-orphan`.
    pub delete_orphan: bool,
}

/// The accepted cascade words, for error messages.
pub const CASCADE_WORDS: &str = "`save-update`, `merge`, `delete`, `delete-orphan`, `all`";

impl CascadeSpec {
    /// Parses a comma-separated list; `Err` holds the unknown words.
    pub fn parse(s: &str) -> Result<Self, Vec<String>> {
        let mut spec = CascadeSpec::default();
        let mut unknown = Vec::new();
        for word in s.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            match word.to_ascii_lowercase().replace('_', "-").as_str() {
                "save-update" | "merge" => {}
                "delete" | "all" => spec.delete = true,
                "delete-orphan" => spec.delete_orphan = true,
                _ => unknown.push(word.to_owned()),
            }
        }
        if unknown.is_empty() {
            Ok(spec)
        } else {
            Err(unknown)
        }
    }
}

/// The `lazy = ".."` loading strategy: the derive's mirror of `orm_core::Loading`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lazy {
    /// `"select"` or `"lazy"`: one SELECT at first access.
    #[default]
    Select,
    /// `"selectin"`.
    Selectin,
    /// `"joined"`.
    Joined,
    /// `"raise"`.
    Raise,
}

/// The accepted loading words, for error messages.
pub const LAZY_WORDS: &str = "`select` (or `lazy`), `selectin`, `joined`, `raise`";

impl Lazy {
    /// Accepts SQLAlchemy's `lazy=` words, in any case.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "select" | "lazy" => Some(Self::Select),
            "selectin" => Some(Self::Selectin),
            "joined" => Some(Self::Joined),
            "raise" => Some(Self::Raise),
            _ => None,
        }
    }

    /// The name of the matching `orm_core::Loading` variant.
    pub fn variant_name(self) -> &'static str {
        match self {
            Self::Select => "Lazy",
            Self::Selectin => "Selectin",
            Self::Joined => "Joined",
            Self::Raise => "Raise",
        }
    }
}

/// `cascade = "all, delete-orphan"`; unknown words are reported at the string.
pub fn cascade(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<CascadeSpec>> {
    let lit = string(meta)?;
    match CascadeSpec::parse(&lit.value()) {
        Ok(spec) => Ok(Some(spec)),
        Err(words) => {
            let words: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
            let msg = format!(
                "unknown cascade {}, expected a comma-separated list of {CASCADE_WORDS}\n{}",
                words.join(", "),
                symbol::CASCADE.help()
            );
            cx.error_spanned_by(&lit, msg);
            Ok(None)
        }
    }
}

/// `lazy = "selectin"`; an unknown word is reported at the string.
pub fn lazy(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Lazy>> {
    let lit = string(meta)?;
    let lazy = Lazy::parse(&lit.value());
    if lazy.is_none() {
        let msg = format!(
            "unknown loading strategy \"{}\", expected one of {LAZY_WORDS}\n{}",
            lit.value(),
            symbol::LAZY.help()
        );
        cx.error_spanned_by(&lit, msg);
    }
    Ok(lazy)
}

/// `backref = "author"` / `back_populates = "author"`: an accessor name, returned as an
/// identifier spanned at the string (errors about the accessor then point there).
pub fn accessor(sym: Symbol) -> impl FnOnce(&Ctxt, &ParseNestedMeta) -> syn::Result<Option<Ident>> {
    move |cx, meta| {
        let lit = string(meta)?;
        let ident = syn::parse_str::<Ident>(&lit.value())
            .ok()
            .map(|i| Ident::new(&i.to_string(), lit.span()));
        if ident.is_none() {
            let msg = format!(
                "expected the accessor's name, a Rust identifier that is not a keyword; got \"{}\"\n{}",
                lit.value(),
                sym.help()
            );
            cx.error_spanned_by(&lit, msg);
        }
        Ok(ident)
    }
}

/// `foreign_key = "author_id"`: one column name, without its table.
pub fn column(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<String>> {
    let lit = string(meta)?;
    checked_column(cx, &lit, &lit.value(), symbol::REL_FOREIGN_KEY)
}

/// `order_by = "title"`, or `"-title"` for descending.
pub fn order_by(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<String>> {
    let lit = string(meta)?;
    let value = lit.value();
    let column = value.strip_prefix('-').unwrap_or(&value);
    Ok(checked_column(cx, &lit, column, symbol::ORDER_BY)?.map(|_| value))
}

fn checked_column(
    cx: &Ctxt,
    lit: &LitStr,
    column: &str,
    sym: Symbol,
) -> syn::Result<Option<String>> {
    if is_column_name(column) {
        return Ok(Some(column.to_owned()));
    }
    let hint = match column.split_once('.') {
        Some((_, col)) if is_column_name(col) => {
            format!("; name the column only: `{sym} = \"{col}\"`")
        }
        _ => String::new(),
    };
    let msg = format!(
        "expected a column name, got \"{}\"{hint}\n{}",
        lit.value(),
        sym.help()
    );
    cx.error_spanned_by(lit, msg);
    Ok(None)
}

/// A letter or `_`, then letters, digits or `_` (what the derive can name a column).
fn is_column_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// `NAME = Type` / `secondary = Type`: a path to a model type, as the user wrote it.
pub fn model_path(meta: &ParseNestedMeta) -> syn::Result<Path> {
    let input = meta.value()?;
    if input.peek(LitStr) {
        return Err(input.error("expected a model type, not a string"));
    }
    match input.parse::<Type>()? {
        Type::Path(p)
            if p.qself.is_none()
                && p.path.segments.iter().all(|s| s.arguments == PathArguments::None) =>
        {
            Ok(p.path)
        }
        other => Err(syn::Error::new_spanned(
            other,
            "expected the path of a model type, e.g. `Article` or `crate::models::Article` (a model has no generic parameters; the relationship kind decides between one and many)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cascade_words_reduce_to_delete_and_orphan() {
        let all = CascadeSpec::parse("all, delete-orphan").unwrap();
        assert_eq!(
            all,
            CascadeSpec {
                delete: true,
                delete_orphan: true
            }
        );
        assert_eq!(
            CascadeSpec::parse("save-update, merge"),
            Ok(CascadeSpec::default())
        );
        let orphan = CascadeSpec::parse("Delete_Orphan,").unwrap();
        assert!(orphan.delete_orphan && !orphan.delete);
        assert_eq!(
            CascadeSpec::parse("delete, explode, expunge"),
            Err(vec!["explode".to_owned(), "expunge".to_owned()])
        );
    }

    #[test]
    fn lazy_accepts_sqlalchemy_words() {
        assert_eq!(Lazy::parse("select"), Some(Lazy::Select));
        assert_eq!(Lazy::parse("lazy"), Some(Lazy::Select));
        assert_eq!(Lazy::parse("SelectIn"), Some(Lazy::Selectin));
        assert_eq!(Lazy::parse("joined"), Some(Lazy::Joined));
        assert_eq!(Lazy::parse("raise"), Some(Lazy::Raise));
        assert_eq!(Lazy::parse("subquery"), None);
    }

    #[test]
    fn the_reverse_of_each_kind() {
        use RelationshipKind::*;
        assert_eq!(HasMany.reverse(), BelongsTo);
        assert_eq!(HasOne.reverse(), BelongsTo);
        assert_eq!(BelongsTo.reverse(), HasMany);
        assert_eq!(ManyToMany.reverse(), ManyToMany);
    }
}
