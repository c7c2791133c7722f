//! [`RelationshipDef`] and the typed descriptors [`ToOne`] and [`ToMany`].

use super::resolve::Resolved;
use crate::model::Model;
use crate::row::Row;
use crate::schema::Table;
use crate::session::{AnyInstance, IdentityMap, SessionShared};
use once_cell::sync::OnceCell;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

/// The shape of a relationship, seen from the model that declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    /// This model holds the foreign key to one target (`article.author`).
    ManyToOne,
    /// The target holds a foreign key to this model; many targets (`author.articles`).
    OneToMany,
    /// The target holds a foreign key to this model; at most one target (`uselist=False`).
    OneToOne,
    /// Rows of an association table link this model and the target.
    ManyToMany,
}

/// How a relationship loads when first read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Loading {
    /// One SELECT at first access, then cached in the session (SQLAlchemy's `lazy='select'`).
    #[default]
    Lazy,
    /// Loaded for a whole query result by one extra SELECT ... WHERE fk IN (...).
    Selectin,
    /// Loaded in the same statement by a LEFT OUTER JOIN.
    Joined,
    /// Reading it when not loaded is an error instead of a query.
    Raise,
}

/// Which operations cascade from the declaring side to the targets. Saving (adding
/// related objects to the session) always cascades.
///
/// Built with [`Cascade::new`] and its setters, so that a new kind of cascade can be
/// added without breaking callers:
///
/// ```
/// use orm_core::Cascade;
/// const ALL_DELETES: Cascade = Cascade::new().delete(true).delete_orphan(true);
/// assert!(ALL_DELETES.delete && ALL_DELETES.delete_orphan);
/// assert_eq!(Cascade::new(), Cascade::default());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Cascade {
    /// Deleting the parent deletes its children.
    pub delete: bool,
    /// A child removed from the collection is deleted.
    pub delete_orphan: bool,
}

impl Cascade {
    /// Saving only (SQLAlchemy's default `save-update, merge`).
    pub const fn new() -> Self {
        Cascade {
            delete: false,
            delete_orphan: false,
        }
    }

    /// Whether deleting the parent deletes its children (`delete`).
    pub const fn delete(mut self, on: bool) -> Self {
        self.delete = on;
        self
    }

    /// Whether a child removed from the collection is deleted (`delete-orphan`).
    pub const fn delete_orphan(mut self, on: bool) -> Self {
        self.delete_orphan = on;
        self
    }
}

/// A relationship's metadata; the derive emits one `static` per direction.
pub struct RelationshipDef {
    /// The accessor name, e.g. `articles`.
    pub name: &'static str,
    /// The shape.
    pub kind: RelationKind,
    /// The declaring model's table.
    pub source: fn() -> &'static Table,
    /// The target model's table.
    pub target: fn() -> &'static Table,
    /// The foreign-key column to use when more than one could match (in the table
    /// holding it; for many-to-many, the association column pointing at the source).
    pub foreign_key: Option<&'static str>,
    /// The association table of a many-to-many relationship.
    pub secondary: Option<fn() -> &'static Table>,
    /// Cascades.
    pub cascade: Cascade,
    /// Default loading strategy.
    pub loading: Loading,
    /// Column of the target to order a collection by; a leading `-` means descending.
    pub order_by: Option<&'static str>,
    /// The name of the other direction, if declared (backref or back_populates).
    pub reverse: Option<&'static str>,
    /// Deleting the parent leaves children that are not in memory to the database's
    /// `ON DELETE` (SQLAlchemy's `passive_deletes`); one-to-many and one-to-one only.
    pub passive_deletes: bool,
    pub(crate) load_target: ErasedLoad,
    pub(crate) source_type: fn() -> std::any::TypeId,
    pub(crate) target_type: fn() -> std::any::TypeId,
    resolved: OnceCell<Result<Resolved, String>>,
}

/// Builds (or finds in the identity map) a target instance from a row, type-erased.
pub(crate) type ErasedLoad = fn(
    &mut IdentityMap,
    &Arc<SessionShared>,
    &mut Row,
    usize,
) -> crate::Result<Arc<dyn AnyInstance>>;

fn load_erased<T: Model>(
    identity: &mut IdentityMap,
    shared: &Arc<SessionShared>,
    row: &mut Row,
    offset: usize,
) -> crate::Result<Arc<dyn AnyInstance>> {
    identity
        .materialize_at::<T>(shared, row, offset, false)
        .map(|h| h.erased())
}

impl fmt::Debug for RelationshipDef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Relationship({}.{} -> {}, {:?})",
            (self.source)().name,
            self.name,
            (self.target)().name,
            self.kind
        )
    }
}

impl RelationshipDef {
    /// A relationship from model `S` to model `T` with defaults (lazy loading, no delete
    /// cascade).
    pub const fn new<S: Model, T: Model>(name: &'static str, kind: RelationKind) -> Self {
        RelationshipDef {
            name,
            kind,
            source: S::table,
            target: T::table,
            load_target: load_erased::<T>,
            source_type: std::any::TypeId::of::<S>,
            target_type: std::any::TypeId::of::<T>,
            foreign_key: None,
            secondary: None,
            cascade: Cascade::new(),
            loading: Loading::Lazy,
            order_by: None,
            reverse: None,
            passive_deletes: false,
            resolved: OnceCell::new(),
        }
    }

    /// Names the foreign-key column explicitly.
    pub const fn foreign_key(mut self, column: &'static str) -> Self {
        self.foreign_key = Some(column);
        self
    }

    /// Sets the association table (many-to-many).
    pub const fn secondary(mut self, table: fn() -> &'static Table) -> Self {
        self.secondary = Some(table);
        self
    }

    /// Sets the cascades.
    pub const fn cascade(mut self, cascade: Cascade) -> Self {
        self.cascade = cascade;
        self
    }

    /// Sets the default loading strategy.
    pub const fn loading(mut self, loading: Loading) -> Self {
        self.loading = loading;
        self
    }

    /// Orders a collection by a target column (`"-title"` for descending).
    pub const fn order_by(mut self, column: &'static str) -> Self {
        self.order_by = Some(column);
        self
    }

    /// Names the other direction.
    pub const fn reverse(mut self, name: &'static str) -> Self {
        self.reverse = Some(name);
        self
    }

    /// Leaves children that are not in memory to the database's `ON DELETE` when the
    /// parent is deleted: they are neither loaded nor updated. The foreign key must
    /// say `ON DELETE CASCADE` or `SET NULL` (checked at first use).
    pub const fn passive_deletes(mut self) -> Self {
        self.passive_deletes = true;
        self
    }

    /// The foreign-key columns this relationship uses, found once from the tables.
    pub(crate) fn resolved(&self) -> crate::Result<&Resolved> {
        self.resolved
            .get_or_init(|| Resolved::find(self))
            .as_ref()
            .map_err(|e| crate::Error::Schema(e.clone()))
    }

    /// Checks that the relationship's foreign key can be found (unambiguously).
    pub fn validate(&self) -> crate::Result<()> {
        self.resolved().map(|_| ())
    }

    /// The model type of the parent (the side the foreign key points at).
    pub(crate) fn parent_type(&self) -> std::any::TypeId {
        match self.kind {
            RelationKind::ManyToOne => (self.target_type)(),
            _ => (self.source_type)(),
        }
    }

    /// True when the collection side has many targets.
    pub fn is_collection(&self) -> bool {
        matches!(
            self.kind,
            RelationKind::OneToMany | RelationKind::ManyToMany
        )
    }
}

/// A relationship registered by the derive, so that cascades and validation can find
/// every relationship of a table.
pub struct RelationshipRegistration {
    /// Returns the relationship.
    pub def: fn() -> &'static RelationshipDef,
}

inventory::collect!(RelationshipRegistration);

/// A relationship from `S` to at most one `T` (`Article::author`).
///
/// It holds a function returning the definition (a `const` cannot point at the
/// `static` definition, whose resolved columns are cached inside it).
pub struct ToOne<S, T> {
    def: fn() -> &'static RelationshipDef,
    _marker: PhantomData<fn() -> (S, T)>,
}

/// A relationship from `S` to many `T` (`Author::articles`).
pub struct ToMany<S, T> {
    def: fn() -> &'static RelationshipDef,
    _marker: PhantomData<fn() -> (S, T)>,
}

macro_rules! descriptor {
    ($name:ident) => {
        impl<S, T> $name<S, T> {
            /// The descriptor for the definition `def` returns.
            pub const fn new(def: fn() -> &'static RelationshipDef) -> Self {
                $name {
                    def,
                    _marker: PhantomData,
                }
            }

            /// The relationship's metadata.
            pub fn def(&self) -> &'static RelationshipDef {
                (self.def)()
            }
        }

        impl<S, T> Clone for $name<S, T> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<S, T> Copy for $name<S, T> {}

        impl<S, T> fmt::Debug for $name<S, T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(self.def(), f)
            }
        }
    };
}

descriptor!(ToOne);
descriptor!(ToMany);
