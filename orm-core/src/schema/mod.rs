//! Schema metadata: SQL types, columns, foreign keys, tables and the registry of models.

mod column;
mod foreign_key;
mod inspect;
mod metadata;
mod sql_type;
mod table;
pub(crate) mod validate;

pub use column::Column;
pub use foreign_key::{ForeignKey, ReferentialAction};
pub use inspect::Inspector;
pub use metadata::{create_all, drop_all, MetaData, ModelRegistration, TableOrder};
pub use sql_type::{ColumnType, SqlType, StringType, VersionType};
pub use table::{Index, Table, UniqueConstraint};
