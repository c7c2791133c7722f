//! The backend-neutral core of the ORM: declarative models, schema metadata, values,
//! expressions, statements as data, the dialect and connection traits, the engine, the
//! identity-mapped [`Session`] with its unit of work, [`Query`], and relationships.
//!
//! A backend crate provides the engine (`orm_postgres::create_engine(url)?`). The
//! SQLAlchemy tutorial's core, end to end:
//!
//! ```
//! use orm_core::prelude::*;
//!
//! #[derive(Model, Clone, Debug, Default)]
//! #[orm(table = "authors")]
//! #[orm(has_many(articles = Article, backref = "author"))]
//! struct Author {
//!     #[orm(primary_key)]
//!     id: Option<i32>,
//!     #[orm(length = 255)]
//!     email: String,
//! }
//!
//! #[derive(Model, Clone, Debug, Default)]
//! #[orm(table = "articles")]
//! struct Article {
//!     #[orm(primary_key)]
//!     id: Option<i32>,
//!     #[orm(length = 100, unique)]
//!     slug: String,
//!     #[orm(length = 100)]
//!     title: String,
//!     #[orm(foreign_key = "authors.id")]
//!     author_id: Option<i32>,
//! }
//!
//! fn tutorial(engine: &Engine) -> orm_core::Result<()> {
//!     MetaData::new().with::<Author>().with::<Article>().create_all(engine)?;
//!     let session = engine.session();
//!     let ezz = session.add(Author { email: "ezz@example.com".into(), ..Default::default() });
//!     let article1 = session.add(Article {
//!         slug: "clean-python".into(),
//!         title: "How to Write Clean Python".into(),
//!         ..Default::default()
//!     });
//!     article1.set_related(Article::author, Some(&ezz))?; // linked before either has an id
//!     session.commit()?; // INSERT authors, then articles with author_id filled in
//!
//!     let found = session
//!         .query::<Article>()
//!         .filter(Article::slug.eq("clean-python"))
//!         .one()?;
//!     assert!(found.ptr_eq(&article1)); // the identity map: the same object
//!     found.set_title("Clean Python"); // or found.write().title = ..
//!     session.commit()?; // UPDATE of the changed columns only
//!     assert_eq!(ezz.collection(Author::articles)?.len(), 1);
//!     Ok(())
//! }
//! # let db = tests::TestDb::new("doc_crate");
//! # tutorial(&db.engine)?;
//! # Ok::<(), orm_core::Error>(())
//! ```
#![warn(missing_docs)]
#![deny(unsafe_code)]

pub mod connection;
pub mod dialect;
mod error;
pub mod expr;
mod model;
pub mod query;
pub mod relationship;
mod row;
pub mod schema;
pub mod session;
pub mod statement;
mod util;
mod value;
#[cfg(any(feature = "chrono", feature = "time"))]
mod value_dates;

pub use connection::{
    Backend, Connection, Engine, EngineConnection, EngineOptions, RowStream, StatementEvent,
    StatementLog, Url, UrlBuilder,
};
pub use connection::{HealthCheck, Route, ServerRole, StandbyStatus};
pub use dialect::{Compiled, Dialect, TransactionOp};
pub use error::{DbErrorInfo, Error, Result};
pub use expr::ArrayExpr;
pub use expr::{
    escape_like, func, AsSelect, BinaryOp, Col, ColumnExpr, ColumnRef, ColumnSubquery, Expr,
    Numeric, Operand, Order, TextType, TypedExpr,
};
pub use expr::{window, Frame, FrameBound, FrameUnits, Window, WindowFn};
pub use model::Model;
pub use orm_derive::Model;
pub use orm_derive::{DbEnum, DbNewtype};
pub use query::{aliased, aliased_as, Alias, Derived, FromSource, Page, RelationTo, SetQuery};
pub use query::{
    Assignment, ColumnIter, ColumnQuery, Columns, Entities, Entity, EntityIter, EntityQuery, Query,
    QueryIter, SyncStrategy,
};
pub use relationship::{
    joined, selectin, Cascade, Loading, RelationKind, RelationshipDef, ToMany, ToOne,
};
pub use row::Row;
pub use schema::{
    create_all, drop_all, Column, ColumnType, ForeignKey, Index, Inspector, MetaData,
    ModelRegistration, ReferentialAction, SqlType, StringType, Table, TableOrder, UniqueConstraint,
    VersionType,
};
pub use schema::{
    ArrayElement, ArrayType, CheckConstraint, CustomType, DbEnum, EnumColumn, EnumType,
};
pub use session::{
    Handle, InstanceState, OnConflictDo, PrimaryKey, Ref, RefMut, Savepoint, Session, WeakHandle,
};
pub use statement::Statement;
pub use statement::{Lock, LockStrength, LockWait};
pub use value::{FromValue, ToValue, Value};

// The optional type integrations' crates, so that a program can name the versions
// the ORM was built with (`orm_core::chrono::NaiveDateTime`, `orm_core::uuid::Uuid`).
#[cfg(feature = "chrono")]
pub use chrono;
#[cfg(feature = "rust_decimal")]
pub use rust_decimal;
#[cfg(feature = "serde_json")]
pub use serde_json;
#[cfg(feature = "time")]
pub use time;
#[cfg(feature = "uuid")]
pub use uuid;

/// The names a program using the ORM needs, for `use orm_core::prelude::*;`.
pub mod prelude {
    pub use crate::connection::{Engine, EngineOptions, StatementLog, Url};
    pub use crate::error::{Error, Result};
    pub use crate::expr::{func, ArrayExpr, Col, ColumnExpr, Expr, Order, TypedExpr};
    pub use crate::model::Model;
    pub use crate::query::SyncStrategy;
    pub use crate::query::{aliased, Alias};
    pub use crate::relationship::{joined, selectin, ToMany, ToOne};
    pub use crate::schema::MetaData;
    pub use crate::schema::{CustomType, DbEnum};
    pub use crate::session::{Handle, InstanceState, Session};
    pub use orm_derive::{DbEnum, DbNewtype, Model};
}

/// Items the generated code of `#[derive(Model)]` refers to. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use inventory;
    pub use once_cell::sync::Lazy;
}
