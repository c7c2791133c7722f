//! Schema metadata: SQL types, columns, foreign keys, tables and the registry of models.

mod apply;
mod array;
mod column;
mod custom_type;
mod enums;
mod foreign_key;
mod inspect;
mod metadata;
mod sql_type;
mod table;
pub(crate) mod validate;

pub use array::{ArrayElement, ArrayType};
pub use column::Column;
pub use custom_type::{CustomType, DbEnum, EnumColumn};
pub use foreign_key::{ForeignKey, ReferentialAction};
pub use inspect::Inspector;
pub use metadata::{create_all, drop_all, MetaData, ModelRegistration, TableOrder};
pub use sql_type::{ColumnType, EnumType, SqlType, StringType, VersionType};
pub use table::{CheckConstraint, Index, Table, UniqueConstraint};
