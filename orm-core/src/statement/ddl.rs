//! DDL statements as data.

use crate::schema::{ForeignKey, Index, Table};

/// `CREATE TABLE`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTable {
    /// The table.
    pub table: Table,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// Foreign keys left out of the CREATE (added later by `ALTER TABLE` to break cycles).
    pub omit_foreign_keys: Vec<ForeignKey>,
}

/// `DROP TABLE`.
#[derive(Debug, Clone, PartialEq)]
pub struct DropTable {
    /// The table name.
    pub name: String,
    /// `IF EXISTS`.
    pub if_exists: bool,
    /// `CASCADE`.
    pub cascade: bool,
}

/// `CREATE [UNIQUE] INDEX`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateIndex {
    /// The table name.
    pub table: String,
    /// The index.
    pub index: Index,
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
}

/// `ALTER TABLE table ADD FOREIGN KEY ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct AddForeignKey {
    /// The referencing table.
    pub table: String,
    /// The foreign key.
    pub foreign_key: ForeignKey,
}
