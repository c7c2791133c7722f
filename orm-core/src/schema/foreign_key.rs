//! Foreign-key metadata.

use std::fmt;

/// What the database does to referencing rows when the referenced row changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReferentialAction {
    /// `NO ACTION` (the default).
    NoAction,
    /// `RESTRICT`.
    Restrict,
    /// `CASCADE`.
    Cascade,
    /// `SET NULL`.
    SetNull,
    /// `SET DEFAULT`.
    SetDefault,
}

impl ReferentialAction {
    /// Parses `cascade`, `set null`, `restrict`, `no action`, `set default` (any case,
    /// `_` or space between words).
    ///
    /// ```
    /// use orm_core::ReferentialAction;
    /// assert_eq!(ReferentialAction::parse("SET_NULL"), Some(ReferentialAction::SetNull));
    /// assert_eq!(ReferentialAction::parse("explode"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().replace('_', " ").as_str() {
            "no action" => Some(Self::NoAction),
            "restrict" => Some(Self::Restrict),
            "cascade" => Some(Self::Cascade),
            "set null" => Some(Self::SetNull),
            "set default" => Some(Self::SetDefault),
            _ => None,
        }
    }

    /// The SQL keywords, e.g. `SET NULL`.
    pub fn as_sql(self) -> &'static str {
        match self {
            Self::NoAction => "NO ACTION",
            Self::Restrict => "RESTRICT",
            Self::Cascade => "CASCADE",
            Self::SetNull => "SET NULL",
            Self::SetDefault => "SET DEFAULT",
        }
    }
}

/// A foreign key from one or more columns of a table to columns of another.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ForeignKey {
    /// The referencing columns, in this table.
    pub columns: Vec<String>,
    /// The referenced table.
    pub target_table: String,
    /// The referenced columns.
    pub target_columns: Vec<String>,
    /// `ON DELETE` action, if any.
    pub on_delete: Option<ReferentialAction>,
    /// `ON UPDATE` action, if any.
    pub on_update: Option<ReferentialAction>,
    /// The constraint's name: `None` lets the database choose (PostgreSQL:
    /// `<table>_<column>_fkey`); reflection fills the name the database holds.
    pub name: Option<String>,
}

impl ForeignKey {
    /// A single-column foreign key to `table.column`.
    ///
    /// ```
    /// use orm_core::ForeignKey;
    /// let fk = ForeignKey::to("author_id", "authors", "id");
    /// assert_eq!(fk.to_string(), "ForeignKey('authors.id')");
    /// ```
    pub fn to(column: &str, target_table: &str, target_column: &str) -> Self {
        ForeignKey {
            columns: vec![column.to_owned()],
            target_table: target_table.to_owned(),
            target_columns: vec![target_column.to_owned()],
            on_delete: None,
            on_update: None,
            name: None,
        }
    }

    /// Sets the `ON DELETE` action.
    pub fn on_delete(mut self, action: ReferentialAction) -> Self {
        self.on_delete = Some(action);
        self
    }

    /// Sets the `ON UPDATE` action.
    pub fn on_update(mut self, action: ReferentialAction) -> Self {
        self.on_update = Some(action);
        self
    }

    /// Names the constraint.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The `ON DELETE` action, `NO ACTION` when none is given (the database's default).
    pub fn delete_action(&self) -> ReferentialAction {
        self.on_delete.unwrap_or(ReferentialAction::NoAction)
    }

    /// The `ON UPDATE` action, `NO ACTION` when none is given.
    pub fn update_action(&self) -> ReferentialAction {
        self.on_update.unwrap_or(ReferentialAction::NoAction)
    }
}

impl fmt::Display for ForeignKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let targets: Vec<String> = self
            .target_columns
            .iter()
            .map(|c| format!("{}.{}", self.target_table, c))
            .collect();
        write!(f, "ForeignKey('{}'", targets.join("', '"))?;
        if let Some(a) = self.on_delete {
            write!(f, ", ondelete='{}'", a.as_sql())?;
        }
        if let Some(a) = self.on_update {
            write!(f, ", onupdate='{}'", a.as_sql())?;
        }
        f.write_str(")")
    }
}
