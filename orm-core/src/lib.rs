//! The backend-neutral core of the ORM: declarative models, schema metadata, values,
//! expressions, statements as data, the dialect and connection traits, and the engine.
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

pub use connection::{
    Backend, Connection, Engine, EngineConnection, EngineOptions, RowStream, StatementEvent,
    StatementLog, Url, UrlBuilder,
};
pub use dialect::{Compiled, Dialect, TransactionOp};
pub use error::{DbErrorInfo, Error, Result};
pub use expr::{
    escape_like, func, AsSelect, BinaryOp, Col, ColumnExpr, ColumnRef, ColumnSubquery, Expr,
    Numeric, Operand, Order, TextType, TypedExpr,
};
pub use model::Model;
pub use orm_derive::Model;
pub use query::{
    Assignment, ColumnIter, ColumnQuery, Columns, Entities, Entity, EntityIter, EntityQuery, Query,
    QueryIter, SyncStrategy,
};
pub use relationship::{
    joined, selectin, Cascade, Loading, RelationKind, RelationshipDef, ToMany, ToOne,
};
pub use row::Row;
pub use schema::{
    create_all, drop_all, Column, ColumnType, ForeignKey, Index, MetaData, ModelRegistration,
    ReferentialAction, SqlType, StringType, Table, UniqueConstraint, VersionType,
};
pub use session::{
    Handle, InstanceState, OnConflictDo, PrimaryKey, Ref, RefMut, Savepoint, Session, WeakHandle,
};
pub use statement::Statement;
pub use value::{FromValue, ToValue, Value};

/// The names a program using the ORM needs, for `use orm_core::prelude::*;`.
pub mod prelude {
    pub use crate::connection::{Engine, EngineOptions, StatementLog, Url};
    pub use crate::error::{Error, Result};
    pub use crate::expr::{func, Col, ColumnExpr, Expr, Order, TypedExpr};
    pub use crate::model::Model;
    pub use crate::query::SyncStrategy;
    pub use crate::relationship::{joined, selectin, ToMany, ToOne};
    pub use crate::schema::MetaData;
    pub use crate::session::{Handle, InstanceState, Session};
    pub use orm_derive::Model;
}

/// Items the generated code of `#[derive(Model)]` refers to. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use inventory;
    pub use once_cell::sync::Lazy;
}
