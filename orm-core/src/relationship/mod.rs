//! Relationships between models: their metadata ([`RelationshipDef`]), the typed
//! descriptors the derive emits ([`ToOne`], [`ToMany`]), and the operations on handles.
//!
//! Relationship state lives in the session, keyed by instance identity and foreign-key
//! columns: many-to-one links (child → parent) and loaded collections (parent →
//! children). Both directions of a backref are views of that one state, so setting
//! `article.author` updates a loaded `author.articles` and vice versa, and instances
//! hold no references to each other (no reference cycles).

mod accessors;
mod cascade;
mod collection;
mod def;
mod join;
mod loading;
mod resolve;
mod transient;

pub use def::{
    Cascade, Loading, RelationKind, RelationshipDef, RelationshipRegistration, ToMany, ToOne,
};
pub(crate) use loading::{
    add_joins, eager_loaders, finish_joined, load_eager, read_joined_row, JoinedLoad,
};
pub use loading::{joined, selectin, LoaderOption, Relation, RelationOf};
pub(crate) use resolve::{Resolved, Side};
pub(crate) use transient::TransientGraph;
