//! Statements as data: built by the query builder and unit of work, rendered only by a
//! [`Dialect`](crate::dialect::Dialect).

pub(crate) mod anon;
mod cte;
mod cursor;
mod ddl;
mod delete;
mod insert;
mod lock;
mod model_select;
mod select;
mod set_op;
mod update;

pub use cte::{Cte, With};
pub use cursor::{CloseCursor, DeclareCursor, FetchCursor};
pub use ddl::{AddEnumValue, CreateEnum, DropEnum, LabelPosition};
pub use ddl::{
    AddForeignKey, AlterTable, AlterTableAction, ColumnChange, CreateIndex, CreateTable, DropIndex,
    DropTable,
};
pub use delete::Delete;
pub use insert::{Insert, OnConflict, OnConflictAction};
pub use lock::{Lock, LockStrength, LockWait};
pub(crate) use model_select::{
    key_filter, key_filter_on, model_items, model_select, select_by_primary_key,
};
pub use select::{DerivedTable, Join, JoinKind, Select, SelectItem, TableRef};
pub use set_op::{SetOperation, SetOperator};
pub use update::{Update, UpdateFromValues};

/// Any statement a dialect can render.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// `SELECT`.
    Select(Select),
    /// `INSERT`.
    Insert(Insert),
    /// `UPDATE ... SET ... WHERE`.
    Update(Update),
    /// Batched `UPDATE ... FROM (VALUES ...)`.
    UpdateFromValues(UpdateFromValues),
    /// `DELETE`.
    Delete(Delete),
    /// `CREATE TABLE`.
    CreateTable(CreateTable),
    /// `DROP TABLE`.
    DropTable(DropTable),
    /// `CREATE INDEX`.
    CreateIndex(CreateIndex),
    /// `ALTER TABLE ... ADD FOREIGN KEY`.
    AddForeignKey(AddForeignKey),
    /// `DECLARE ... CURSOR FOR ...`.
    DeclareCursor(DeclareCursor),
    /// `FETCH FORWARD n FROM ...`.
    FetchCursor(FetchCursor),
    /// `CLOSE ...`.
    CloseCursor(CloseCursor),
    /// `DROP INDEX`.
    DropIndex(DropIndex),
    /// `ALTER TABLE ...` (add, drop, alter or rename a column; add or drop a constraint).
    AlterTable(AlterTable),
    /// `CREATE TYPE ... AS ENUM (...)`.
    CreateEnum(CreateEnum),
    /// `DROP TYPE ...`.
    DropEnum(DropEnum),
    /// `ALTER TYPE ... ADD VALUE ...`.
    AddEnumValue(AddEnumValue),
}

macro_rules! statement_from {
    ($($ty:ident),*) => {$(
        impl From<$ty> for Statement {
            fn from(s: $ty) -> Statement {
                Statement::$ty(s)
            }
        }
    )*};
}

statement_from!(
    Select,
    Insert,
    Update,
    UpdateFromValues,
    Delete,
    CreateTable,
    DropTable,
    CreateIndex,
    AddForeignKey,
    DeclareCursor,
    FetchCursor,
    CloseCursor,
    DropIndex,
    AlterTable,
    CreateEnum,
    DropEnum,
    AddEnumValue
);
