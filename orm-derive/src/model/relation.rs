//! [`RelationDef`]: one relationship as the code generator sees it.

use crate::parse::rel_value::{CascadeSpec, Lazy, RelationshipKind};
use crate::parse::relationship::Relationship;
use syn::ext::IdentExt;
use syn::{Ident, Path};

/// A relationship declared on the model, with its generated reverse side if any.
pub struct RelationDef {
    /// The accessor on the declaring model (spanned at the user's name).
    pub name: Ident,
    /// The kind, seen from the declaring model.
    pub kind: RelationshipKind,
    /// The target model; `Self` is replaced by the model's name.
    pub target: Path,
    /// The association model of a many-to-many relationship.
    pub secondary: Option<Path>,
    /// `backref`: the accessor generated on the target.
    pub backref: Option<Ident>,
    /// `back_populates`: the accessor the target declares itself.
    pub back_populates: Option<Ident>,
    /// The foreign-key column to use.
    pub foreign_key: Option<String>,
    /// Cascades along this relationship (not along its backref).
    pub cascade: CascadeSpec,
    /// Default loading of this relationship (not of its backref).
    pub lazy: Lazy,
    /// Sort column of this relationship's collection (`-` for descending).
    pub order_by: Option<String>,
    /// Children not in memory are left to the database's `ON DELETE`.
    pub passive_deletes: bool,
}

impl RelationDef {
    /// Resolves a parsed relationship declared on `model`.
    pub fn new(model: &Ident, r: Relationship) -> Self {
        RelationDef {
            name: r.name,
            kind: r.kind,
            target: resolve_self(model, r.target),
            secondary: r.secondary.map(|s| resolve_self(model, s.value)),
            backref: r.backref,
            back_populates: r.back_populates,
            foreign_key: r.foreign_key.map(|f| f.value),
            cascade: r.cascade.map(|c| c.value).unwrap_or_default(),
            lazy: r.lazy.map(|l| l.value).unwrap_or_default(),
            order_by: r.order_by.map(|o| o.value),
            passive_deletes: r.passive_deletes.is_some_and(|p| p.value),
        }
    }

    /// The relationship's name, as `RelationshipDef::name` holds it.
    pub fn name_str(&self) -> String {
        self.name.unraw().to_string()
    }

    /// The name of the other direction: the backref or back_populates.
    pub fn reverse(&self) -> Option<String> {
        self.backref
            .as_ref()
            .or(self.back_populates.as_ref())
            .map(|i| i.unraw().to_string())
    }

    /// True when the target is the declaring model itself (written as its bare name
    /// or `Self`), so a backref lands on the model too.
    pub fn is_self_referential(&self, model: &Ident) -> bool {
        self.target.is_ident(model)
    }
}

/// `Self` cannot be named outside the model's impl; the generated code uses its name.
fn resolve_self(model: &Ident, path: Path) -> Path {
    match path.get_ident() {
        Some(i) if i == "Self" => {
            let mut name = model.clone();
            name.set_span(i.span());
            name.into()
        }
        _ => path,
    }
}
