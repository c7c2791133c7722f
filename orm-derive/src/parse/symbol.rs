//! Attribute names, each with the example shown in "the correct format looks like" help.

use std::fmt;

/// The name of one `#[orm(..)]` attribute and an example of its correct use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Symbol {
    name: &'static str,
    example: &'static str,
}

impl Symbol {
    const fn new(name: &'static str, example: &'static str) -> Self {
        Symbol { name, example }
    }

    /// The attribute name as written inside `#[orm(..)]`.
    pub fn name(self) -> &'static str {
        self.name
    }

    /// A correct use, e.g. `#[orm(length = 100)]`.
    pub fn example(self) -> &'static str {
        self.example
    }

    /// The help line for this attribute: `help: the correct format looks like ...`.
    pub fn help(self) -> String {
        format!("help: the correct format looks like `{}`", self.example)
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq<Symbol> for syn::Path {
    fn eq(&self, sym: &Symbol) -> bool {
        self.is_ident(sym.name)
    }
}

impl PartialEq<Symbol> for &syn::Path {
    fn eq(&self, sym: &Symbol) -> bool {
        self.is_ident(sym.name)
    }
}

/// The attribute namespace: `#[orm(..)]`.
pub const ORM: Symbol = Symbol::new("orm", "#[orm(primary_key)]");

/// Container: the table name.
pub const TABLE: Symbol = Symbol::new("table", r#"#[orm(table = "articles")]"#);

/// Field: part of the primary key.
pub const PRIMARY_KEY: Symbol = Symbol::new("primary_key", "#[orm(primary_key)]");
/// Field: the database generates the value.
pub const AUTOINCREMENT: Symbol = Symbol::new("autoincrement", "#[orm(autoincrement = false)]");
/// Field: VARCHAR length of a string column.
pub const LENGTH: Symbol = Symbol::new("length", "#[orm(length = 100)]");
/// Field: a single-column UNIQUE constraint.
pub const UNIQUE: Symbol = Symbol::new("unique", "#[orm(unique)]");
/// Field: a single-column index.
pub const INDEX: Symbol = Symbol::new("index", "#[orm(index)]");
/// Field: overrides the nullability inferred from `Option`.
pub const NULLABLE: Symbol = Symbol::new("nullable", "#[orm(nullable = false)]");
/// Field: a Rust function filling a missing value at insert.
pub const DEFAULT: Symbol = Symbol::new("default", "#[orm(default = chrono::Utc::now)]");
/// Field: a Rust function called at every update that does not set the column.
pub const ONUPDATE: Symbol = Symbol::new("onupdate", "#[orm(onupdate = chrono::Utc::now)]");
/// Field: a SQL DEFAULT expression.
pub const SERVER_DEFAULT: Symbol =
    Symbol::new("server_default", r#"#[orm(server_default = "now()")]"#);
/// Field: the column references `table.column`.
pub const FOREIGN_KEY: Symbol = Symbol::new("foreign_key", r#"#[orm(foreign_key = "authors.id")]"#);
/// Field: the foreign key's `ON DELETE` action.
pub const ON_DELETE: Symbol = Symbol::new(
    "on_delete",
    r#"#[orm(foreign_key = "authors.id", on_delete = "cascade")]"#,
);
/// Field: the foreign key's `ON UPDATE` action.
pub const ON_UPDATE: Symbol = Symbol::new(
    "on_update",
    r#"#[orm(foreign_key = "authors.id", on_update = "cascade")]"#,
);
/// Field: the SQL type, spelled out.
pub const SQL_TYPE: Symbol = Symbol::new("sql_type", r#"#[orm(sql_type = "VARCHAR(20)")]"#);
/// Field: the column name, when it differs from the field name.
pub const COLUMN: Symbol = Symbol::new("column", r#"#[orm(column = "name")]"#);
/// Field: not a column.
pub const SKIP: Symbol = Symbol::new("skip", "#[orm(skip)]");
/// Field: the optimistic-concurrency version counter.
pub const VERSION: Symbol = Symbol::new("version", "#[orm(version)] version: i32");

/// Container: a one-to-many relationship (the target holds the foreign key).
pub const HAS_MANY: Symbol = Symbol::new(
    "has_many",
    r#"#[orm(has_many(articles = Article, backref = "author"))]"#,
);
/// Container: a one-to-one relationship (the target holds the foreign key).
pub const HAS_ONE: Symbol = Symbol::new(
    "has_one",
    r#"#[orm(has_one(profile = Profile, backref = "user"))]"#,
);
/// Container: a many-to-one relationship (this model holds the foreign key).
pub const BELONGS_TO: Symbol = Symbol::new(
    "belongs_to",
    r#"#[orm(belongs_to(author = Author, backref = "articles"))]"#,
);
/// Container: a many-to-many relationship through an association model.
pub const MANY_TO_MANY: Symbol = Symbol::new(
    "many_to_many",
    r#"#[orm(many_to_many(tags = Tag, secondary = ArticleTag, backref = "articles"))]"#,
);

/// Relationship option: also generate the other side's accessor.
pub const BACKREF: Symbol = Symbol::new(
    "backref",
    r#"#[orm(has_many(articles = Article, backref = "author"))]"#,
);
/// Relationship option: the other side declares its own accessor with this name.
pub const BACK_POPULATES: Symbol = Symbol::new(
    "back_populates",
    r#"#[orm(has_many(articles = Article, back_populates = "author"))]"#,
);
/// Relationship option: the foreign-key column, when several could match.
pub const REL_FOREIGN_KEY: Symbol = Symbol::new(
    "foreign_key",
    r#"#[orm(has_many(articles = Article, foreign_key = "author_id"))]"#,
);
/// Relationship option: which operations cascade to the targets.
pub const CASCADE: Symbol = Symbol::new(
    "cascade",
    r#"#[orm(has_many(articles = Article, cascade = "all, delete-orphan"))]"#,
);
/// Relationship option: the default loading strategy.
pub const LAZY: Symbol = Symbol::new(
    "lazy",
    r#"#[orm(has_many(articles = Article, lazy = "selectin"))]"#,
);
/// Relationship option: the target column a collection is sorted by.
pub const ORDER_BY: Symbol = Symbol::new(
    "order_by",
    r#"#[orm(has_many(articles = Article, order_by = "-created_on"))]"#,
);
/// Relationship option: the database's `ON DELETE` handles children not in memory.
pub const PASSIVE_DELETES: Symbol = Symbol::new(
    "passive_deletes",
    r#"#[orm(has_many(articles = Article, cascade = "all", passive_deletes))]"#,
);
/// Relationship option: the association model of a many-to-many relationship.
pub const SECONDARY: Symbol = Symbol::new(
    "secondary",
    r#"#[orm(many_to_many(tags = Tag, secondary = ArticleTag))]"#,
);

/// Container: a UNIQUE constraint over several columns.
pub const UNIQUE_COLUMNS: Symbol = Symbol::new("unique", "#[orm(unique(author_id, slug))]");
/// Container: an index over one or more columns, with options.
pub const INDEX_COLUMNS: Symbol = Symbol::new(
    "index",
    r#"#[orm(index(tags, using = "gin", where = "NOT archived"))]"#,
);
/// Container: a CHECK constraint (SQL).
pub const CHECK: Symbol = Symbol::new("check", r#"#[orm(check = "price >= 0")]"#);

/// Index option: the index name.
pub const INDEX_NAME: Symbol = Symbol::new("name", r#"#[orm(index(a, b, name = "ix_t_a_b"))]"#);
/// Index option: a UNIQUE index.
pub const INDEX_UNIQUE: Symbol = Symbol::new("unique", "#[orm(index(a, b, unique))]");
/// Index option: the index method.
pub const INDEX_USING: Symbol = Symbol::new("using", r#"#[orm(index(tags, using = "gin"))]"#);
/// Index option: a partial index's condition (SQL).
pub const INDEX_WHERE: Symbol = Symbol::new(
    "where",
    r#"#[orm(index(email, unique, where = "deleted_at IS NULL"))]"#,
);

/// Every option inside `index(..)`.
pub const INDEX_OPTIONS: &[Symbol] = &[INDEX_NAME, INDEX_UNIQUE, INDEX_USING, INDEX_WHERE];

/// Field: store an enum column as text rather than as a database enum.
pub const NATIVE_ENUM: Symbol = Symbol::new("native_enum", "#[orm(native_enum = false)]");

/// Enum: the database type name.
pub const TYPE_NAME: Symbol = Symbol::new("type_name", r#"#[orm(type_name = "order_status")]"#);
/// Enum variant: the label, when it differs from the variant's snake_case name.
pub const RENAME: Symbol = Symbol::new("rename", r#"#[orm(rename = "PAID")]"#);

/// Every attribute on a `#[derive(DbEnum)]` enum.
pub const ENUM_ATTRS: &[Symbol] = &[TYPE_NAME, NATIVE_ENUM];
/// Every attribute on a `#[derive(DbEnum)]` variant.
pub const VARIANT_ATTRS: &[Symbol] = &[RENAME];

/// Every container attribute, in the order error messages list them.
pub const CONTAINER_ATTRS: &[Symbol] = &[
    TABLE,
    HAS_MANY,
    HAS_ONE,
    BELONGS_TO,
    MANY_TO_MANY,
    UNIQUE_COLUMNS,
    INDEX_COLUMNS,
    CHECK,
];

/// The relationship kinds, in the order error messages list them.
pub const RELATIONSHIP_KINDS: &[Symbol] = &[HAS_MANY, HAS_ONE, BELONGS_TO, MANY_TO_MANY];

/// Every option inside a relationship's parentheses.
pub const RELATIONSHIP_OPTIONS: &[Symbol] = &[
    BACKREF,
    BACK_POPULATES,
    REL_FOREIGN_KEY,
    CASCADE,
    LAZY,
    ORDER_BY,
    SECONDARY,
    PASSIVE_DELETES,
];

/// Every field attribute, in the order error messages list them.
pub const FIELD_ATTRS: &[Symbol] = &[
    PRIMARY_KEY,
    AUTOINCREMENT,
    LENGTH,
    UNIQUE,
    INDEX,
    NULLABLE,
    DEFAULT,
    ONUPDATE,
    SERVER_DEFAULT,
    FOREIGN_KEY,
    ON_DELETE,
    ON_UPDATE,
    SQL_TYPE,
    COLUMN,
    SKIP,
    VERSION,
    NATIVE_ENUM,
];

/// The symbol called `name` among `symbols`.
pub fn lookup(symbols: &[Symbol], name: &str) -> Option<Symbol> {
    symbols.iter().copied().find(|s| s.name == name)
}
