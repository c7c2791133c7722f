//! [`Column`] metadata.

use super::{ForeignKey, SqlType};

/// One column of a [`Table`](super::Table).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The column name in the database.
    pub name: String,
    /// The SQL type.
    pub sql_type: SqlType,
    /// Part of the primary key.
    pub primary_key: bool,
    /// The database generates the value (IDENTITY) when none is given.
    pub autoincrement: bool,
    /// NULL is allowed.
    pub nullable: bool,
    /// A single-column UNIQUE constraint.
    pub unique: bool,
    /// A (non-unique) index on this column alone.
    pub index: bool,
    /// A SQL expression the server uses as DEFAULT (e.g. `now()`).
    pub server_default: Option<String>,
    /// A Rust function fills the value at insert when it is missing.
    pub has_default: bool,
    /// A Rust function fills the value at every UPDATE that does not set it.
    pub has_onupdate: bool,
    /// The column references another table.
    pub foreign_key: Option<ForeignKey>,
    /// The optimistic-concurrency counter: set to 1 at insert, incremented by every
    /// UPDATE, and matched in UPDATE/DELETE so a concurrent change raises `StaleData`.
    pub version: bool,
}

impl Column {
    /// A nullable column with no constraints.
    ///
    /// ```
    /// use orm_core::{Column, SqlType};
    /// let c = Column::new("title", SqlType::Varchar(100)).not_null().unique();
    /// assert!(!c.nullable && c.unique);
    /// ```
    pub fn new(name: impl Into<String>, sql_type: SqlType) -> Self {
        Column {
            name: name.into(),
            sql_type,
            primary_key: false,
            autoincrement: false,
            nullable: true,
            unique: false,
            index: false,
            server_default: None,
            has_default: false,
            has_onupdate: false,
            foreign_key: None,
            version: false,
        }
    }

    /// Marks the column as (part of) the primary key; also makes it NOT NULL.
    pub fn primary_key(mut self) -> Self {
        self.primary_key = true;
        self.nullable = false;
        self
    }

    /// Lets the database generate the value.
    pub fn autoincrement(mut self) -> Self {
        self.autoincrement = true;
        self
    }

    /// Makes the column NOT NULL.
    pub fn not_null(mut self) -> Self {
        self.nullable = false;
        self
    }

    /// Adds a UNIQUE constraint on this column.
    pub fn unique(mut self) -> Self {
        self.unique = true;
        self
    }

    /// Adds an index on this column.
    pub fn index(mut self) -> Self {
        self.index = true;
        self
    }

    /// Sets a server-side DEFAULT expression.
    pub fn server_default(mut self, sql: impl Into<String>) -> Self {
        self.server_default = Some(sql.into());
        self
    }

    /// Adds a foreign key to `table.column`.
    pub fn references(mut self, table: &str, column: &str) -> Self {
        self.foreign_key = Some(ForeignKey::to(&self.name, table, column));
        self
    }

    /// Whether the server can fill this column when an INSERT omits it.
    pub fn server_generated(&self) -> bool {
        self.autoincrement || self.server_default.is_some()
    }
}
