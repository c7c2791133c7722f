//! `#[derive(Model)]`: maps a struct to a table, SQLAlchemy-declarative style.
//!
//! Use it through `orm_core` (`use orm_core::Model;`), which re-exports it next to the
//! trait it implements.
//!
//! ```
//! use orm_core::{Model, SqlType};
//!
//! fn now() -> chrono::NaiveDateTime {
//!     chrono::Local::now().naive_local()
//! }
//!
//! #[derive(Model, Clone, Debug)]
//! #[orm(table = "articles")]
//! struct Article {
//!     #[orm(primary_key)]
//!     id: Option<i32>,
//!     #[orm(length = 100, unique)]
//!     slug: String,
//!     #[orm(default = now, onupdate = now)]
//!     updated_on: Option<chrono::NaiveDateTime>,
//!     #[orm(foreign_key = "authors.id", on_delete = "cascade")]
//!     author_id: Option<i32>,
//! }
//!
//! let table = Article::table();
//! assert_eq!(table.columns[1].sql_type, SqlType::Varchar(100));
//! assert!(table.columns[0].autoincrement);
//! assert_eq!(Article::slug.name(), "slug");
//! ```
//!
//! # Container attributes
//!
//! | attribute | meaning |
//! |---|---|
//! | `table = "articles"` | the table name; default: the struct name in snake_case (`BlogPost` → `blog_post`, no plural) |
//! | `has_many(..)`, `has_one(..)`, `belongs_to(..)`, `many_to_many(..)` | a relationship; see [Relationships](#relationships). May repeat |
//! | `unique(a, b)` | a UNIQUE constraint over those fields' columns. May repeat |
//! | `index(a, b)` | an index over those fields' columns, named `ix_<table>_<a>_<b>`. Options inside the parentheses: `name = ".."`, `unique`, `using = "gin"` (the index method), `where = ".."` (a partial index). May repeat |
//! | `check = "price >= 0"` | a CHECK constraint. May repeat |
//!
//! The `where` of an index and `check` are SQL written by the model's author and
//! sent verbatim in `CREATE INDEX`/`CREATE TABLE` (as `server_default` is): they are
//! the only places the derive takes SQL text, and they never carry run-time values.
//! Migrations compare them as the server stores them (it adds parentheses and
//! casts), not as written.
//!
//! ```
//! use orm_core::Model;
//!
//! #[derive(Model, Clone, Debug)]
//! #[orm(table = "memberships")]
//! #[orm(unique(team_id, user_id))]
//! #[orm(index(roles, using = "gin"))]
//! #[orm(index(email, unique, where = "left_on IS NULL", name = "ux_active_email"))]
//! #[orm(check = "seats > 0")]
//! struct Membership {
//!     #[orm(primary_key)]
//!     id: Option<i32>,
//!     team_id: i32,
//!     user_id: i32,
//!     email: String,
//!     roles: Vec<String>,
//!     seats: i32,
//!     left_on: Option<chrono::NaiveDate>,
//! }
//!
//! let t = Membership::table();
//! assert_eq!(t.unique_constraints[0].columns, ["team_id", "user_id"]);
//! assert_eq!(t.indexes[0].using.as_deref(), Some("gin"));
//! assert_eq!(t.checks[0].expr, "seats > 0");
//! ```
//!
//! # Field attributes
//!
//! | attribute | meaning |
//! |---|---|
//! | `primary_key` | part of the primary key (several fields: a composite key); never NULL |
//! | `autoincrement`, `autoincrement = false` | the database generates the value (identity column). Default: true for the only primary-key field when its type is *spelled* `Option<i16>`, `Option<i32>` or `Option<i64>` (the derive sees syntax, not types: an alias is not recognised) |
//! | `length = 100` | `VARCHAR(100)` instead of `TEXT`; only on `String` / `Option<String>` |
//! | `unique` | a single-column UNIQUE constraint |
//! | `index` | a single-column index, named `ix_<table>_<column>` |
//! | `nullable`, `nullable = false` | overrides the inference (`Option<T>` is nullable, `T` is not) |
//! | `default = path::to_fn` | called at INSERT when the field is `None`; the field must be spelled `Option<_>`; the function returns `T` or anything `Into<T>` |
//! | `onupdate = path::to_fn` | called at every UPDATE of the row that does not itself change this column |
//! | `server_default = "now()"` | a SQL DEFAULT expression |
//! | `foreign_key = "authors.id"` | references `table.column` |
//! | `on_delete = "cascade"`, `on_update = ".."` | the foreign key's action: `cascade`, `set null` (or `set_null`), `restrict`, `no action`, `set default`; only with `foreign_key` |
//! | `sql_type = "VARCHAR(20)"` | spells the SQL type; common names (`SMALLINT`/`INT2`, `INTEGER`/`INT`/`INT4`, `BIGINT`/`INT8`, `BOOLEAN`/`BOOL`, `REAL`/`FLOAT4`, `DOUBLE PRECISION`/`FLOAT8`, `NUMERIC`/`DECIMAL[(p, s)]`, `VARCHAR(n)`/`CHARACTER VARYING(n)`, `TEXT`, `BYTEA`, `TIMESTAMP`, `TIMESTAMPTZ`/`TIMESTAMP WITH TIME ZONE`, `DATE`, `TIME`, `UUID`, `JSON`/`JSONB`, any case) map to `SqlType` variants, anything else is kept verbatim as `SqlType::Custom` |
//! | `column = "name"` | the column name, when it differs from the field name |
//! | `skip` | not a column; the field's type must implement `Default` (it is filled with it when loading) |
//! | `version` | an optimistic-concurrency counter (`i16`/`i32`/`i64`): 1 at insert, bumped by every UPDATE, matched by UPDATE and DELETE so a concurrent change raises `Error::StaleData` |
//! | `native_enum = false` | on a `#[derive(DbEnum)]` column (or `Option`/`Vec` of one): store it as `VARCHAR(n)` instead of the database enum |
//!
//! A field's type is a column type: a built-in one (see `orm_core::ColumnType`),
//! `Vec<T>` of one (an array, `T[]`; `Vec<u8>` is `BYTEA`), an enum with
//! `#[derive(DbEnum)]`, a newtype with `#[derive(DbNewtype)]`, or any type that
//! implements `orm_core::CustomType`.
//!
//! Flags (`primary_key`, `unique`, `index`, `skip`, `autoincrement`, `nullable`)
//! accept an explicit `= true` / `= false`.
//!
//! # Relationships
//!
//! SQLAlchemy's `relationship()`, declared on the struct, one attribute per
//! relationship: `#[orm(KIND(NAME = Target, option = "..", ..))]`.
//!
//! ```
//! use orm_core::{Cascade, Loading, Model, RelationKind, ToMany, ToOne};
//!
//! #[derive(Model, Clone, Debug)]
//! #[orm(table = "authors")]
//! #[orm(has_many(articles = Article, backref = "author", cascade = "all, delete-orphan"))]
//! struct Author {
//!     #[orm(primary_key)]
//!     id: Option<i32>,
//! }
//!
//! #[derive(Model, Clone, Debug)]
//! #[orm(table = "articles")]
//! #[orm(many_to_many(tags = Tag, secondary = ArticleTag, backref = "articles", order_by = "name"))]
//! struct Article {
//!     #[orm(primary_key)]
//!     id: Option<i32>,
//!     #[orm(foreign_key = "authors.id")]
//!     author_id: Option<i32>,
//! }
//!
//! #[derive(Model, Clone, Debug)]
//! #[orm(table = "tags")]
//! struct Tag {
//!     #[orm(primary_key)]
//!     id: Option<i32>,
//!     name: String,
//! }
//!
//! /// The association table: one row per (article, tag) pair.
//! #[derive(Model, Clone, Debug)]
//! #[orm(table = "article_tags")]
//! struct ArticleTag {
//!     #[orm(primary_key, foreign_key = "articles.id")]
//!     article_id: i32,
//!     #[orm(primary_key, foreign_key = "tags.id")]
//!     tag_id: i32,
//! }
//!
//! let articles: ToMany<Author, Article> = Author::articles;
//! // Generated by the backref on `Author`, though `Article` does not declare it.
//! let author: ToOne<Article, Author> = Article::author;
//! assert_eq!(author.def().kind, RelationKind::ManyToOne);
//! assert_eq!(articles.def().cascade, Cascade::new().delete(true).delete_orphan(true));
//! assert_eq!(author.def().cascade, Cascade::default(), "options stay on their side");
//! assert_eq!(Article::tags.def().order_by, Some("name"));
//! assert_eq!(Tag::articles.def().loading, Loading::Lazy);
//! // The foreign keys are found from the tables when first needed; `validate` checks now.
//! articles.def().validate()?;
//! Tag::articles.def().validate()?;
//! # Ok::<(), orm_core::Error>(())
//! ```
//!
//! | kind | shape (`orm_core::RelationKind`) | accessor |
//! |---|---|---|
//! | `has_many(articles = Article)` | `OneToMany`: `Article` holds a foreign key to this model | `Author::articles: ToMany<Author, Article>` |
//! | `has_one(profile = Profile)` | `OneToOne` (SQLAlchemy's `uselist=False`): `Profile` holds the foreign key | `User::profile: ToOne<User, Profile>` |
//! | `belongs_to(author = Author)` | `ManyToOne`: this model holds the foreign key | `Article::author: ToOne<Article, Author>` |
//! | `many_to_many(tags = Tag, secondary = ArticleTag)` | `ManyToMany` through the table of the model `ArticleTag` (`secondary` is required) | `Article::tags: ToMany<Article, Tag>` |
//!
//! | option | meaning |
//! |---|---|
//! | `backref = "author"` | also generates the reverse accessor on the target: `has_many`/`has_one` → `Target::author: ToOne` (many-to-one), `belongs_to` → `ToMany` (one-to-many), `many_to_many` → `ToMany` (many-to-many through the same `secondary`). Each definition names the other as its `reverse` |
//! | `back_populates = "author"` | the target declares the reverse itself (with `back_populates` naming this one); only recorded as `reverse`. Checked at compile time: the target must have that accessor, leading back to this model. Not together with `backref` |
//! | `foreign_key = "author_id"` | the foreign-key column, when the table holding it has several to the same table (else the one foreign key is found at run time): in the target for `has_many`/`has_one`, in this model for `belongs_to`, the association column pointing at this model for `many_to_many`. Copied to a backref, except a `many_to_many` one (whose source is the other model): there, declare both sides with `back_populates`, each with its own `foreign_key` (a self-referential many-to-many needs that) |
//! | `cascade = "all, delete-orphan"` | comma-separated `save-update`, `merge`, `delete`, `delete-orphan`, `all` (= `save-update, merge, delete`). Saving always cascades; `delete` deletes the targets with this model; `delete-orphan` deletes a target removed from the collection. Not on `belongs_to` (cascades flow from a parent to its children: put it on the parent's `has_many`/`has_one`); on `many_to_many` only `save-update`, `merge` (the session deletes association rows, never the models at the other end) |
//! | `lazy = "selectin"` | the default loading (`orm_core::Loading`): `select` (or `lazy`, the default), `selectin`, `joined`, `raise` |
//! | `order_by = "-created_on"` | sorts the loaded targets by a target column; a leading `-` is descending. Not on `belongs_to` |
//! | `secondary = ArticleTag` | `many_to_many` only: the model whose table is the association table |
//! | `passive_deletes` | `has_many`/`has_one` only: deleting this model leaves the children that are not loaded to the database's `ON DELETE` (no SELECT); children in memory follow what the database does. The foreign key needs `on_delete = "cascade"` or `"set null"` (checked when the relationship is first used) |
//!
//! `cascade`, `lazy`, `order_by` and `passive_deletes` apply to the declared direction only, never to
//! its backref (declare both sides with `back_populates` to set them on both).
//!
//! The target and `secondary` are type paths, resolved where the struct is declared
//! (`Self` names the struct: `has_many(children = Self, backref = "parent")`). An
//! accessor is an associated const, like the column handles, and as visible as the
//! struct; so its name must differ from the mapped fields and from the model's other
//! relationships. A backref is an inherent impl on the target, which must then be in
//! the same crate; a name clash there is reported by rustc at the backref's string.
//!
//! # Generated items
//!
//! * `impl orm_core::Model for S` (`table`, `values`, `value`, `set_value`,
//!   `from_row`, `changed_columns`, and `apply_insert_defaults` / `apply_onupdate`
//!   when a field uses `default` / `onupdate`).
//! * One typed column handle per mapped field, named after the field and as visible
//!   as the struct:
//!   `S::slug: orm_core::Col<S, String>`. An inherent method of `S` with a field's
//!   name would collide with it, and a field named like a `Model` method (`table`,
//!   `values`, ..) shadows `S::table()`: call `<S as Model>::table()` then.
//! * A registration so that `orm_core::MetaData::registered()` lists the table.
//! * Per relationship direction (a backref adds one on the target): a `static`
//!   `orm_core::RelationshipDef`, registered so that cascades, eager loading and
//!   `orm_core::relationship::RelationshipRegistration` listings find it, and the typed
//!   accessor (`S::articles: orm_core::ToMany<S, Article>`) whose `def()` returns it.
//!
//! The struct must have named fields, no generic parameters, and be
//! `Clone + Send + Sync + 'static` (the supertraits of `Model`); every mapped field's
//! type must implement `orm_core::ColumnType`.
//!
//! # Column value types
//!
//! [`macro@DbEnum`] maps a fieldless enum to a database enum and [`macro@DbNewtype`]
//! stores a one-field struct as its field; both implement `orm_core::CustomType`,
//! which any other type implements by hand.
#![warn(missing_docs)]
#![deny(unsafe_code)]

mod expand;
mod model;
mod parse;
mod value_type;

use proc_macro::TokenStream;

/// Derives `orm_core::Model`; see the [crate documentation](crate) for the attributes.
#[proc_macro_derive(Model, attributes(orm))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    syn::parse2(input.into())
        .and_then(expand::derive)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives `orm_core::DbEnum` (and `orm_core::CustomType`) for a fieldless enum: a
/// column of it is a database enum (`CREATE TYPE .. AS ENUM`, created and dropped by
/// `create_all`/`drop_all` and by migrations), compared with its values
/// (`Order::status.eq(Status::Paid)`).
///
/// ```
/// use orm_core::{DbEnum, Model};
///
/// #[derive(DbEnum, Debug, Clone, Copy, PartialEq)]
/// #[orm(type_name = "order_status")]
/// enum Status {
///     Pending,
///     Paid,
///     #[orm(rename = "cancelled")]
///     CanceledByUser,
/// }
///
/// #[derive(Model, Clone, Debug)]
/// struct Order {
///     #[orm(primary_key)]
///     id: Option<i32>,
///     status: Status,
/// }
///
/// let _paid = Order::status.eq(Status::Paid);
/// assert_eq!(Status::enum_type().labels, ["pending", "paid", "cancelled"]);
/// ```
///
/// | attribute | on | meaning |
/// |---|---|---|
/// | `type_name = "order_status"` | enum | the database type's name; default: the enum's name in snake_case |
/// | `native_enum = false` | enum | store it as `VARCHAR(n)` (`n` the longest label, or the field's `length`) instead of a database enum, for databases without enums; the field attribute `#[orm(native_enum = false)]` does the same for one column |
/// | `rename = "PAID"` | variant | the label; default: the variant's name in snake_case |
///
/// Variants carry no fields; labels are unique. The enum must be `Clone + PartialEq`.
/// The order of the variants is the order of the database type (what `<` compares).
#[proc_macro_derive(DbEnum, attributes(orm))]
pub fn derive_db_enum(input: TokenStream) -> TokenStream {
    syn::parse2(input.into())
        .and_then(value_type::db_enum::derive)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Derives `orm_core::CustomType` for a struct with one field: the column stores
/// the field's type (`struct Email(String)` is a `TEXT` column, `VARCHAR(n)` with a
/// `length`), the struct is what the model holds and what filters compare with.
///
/// ```
/// use orm_core::{DbNewtype, Model, SqlType};
///
/// #[derive(DbNewtype, Debug, Clone, PartialEq)]
/// struct Email(String);
///
/// #[derive(Model, Clone, Debug)]
/// struct User {
///     #[orm(primary_key)]
///     id: Option<i32>,
///     #[orm(length = 255)]
///     email: Email,
/// }
///
/// assert_eq!(User::table().columns[1].sql_type, SqlType::Varchar(255));
/// let _found = User::email.eq(Email("a@example.com".into()));
/// ```
///
/// For any other type, implement `orm_core::CustomType` (its representation and the
/// two conversions).
#[proc_macro_derive(DbNewtype, attributes(orm))]
pub fn derive_db_newtype(input: TokenStream) -> TokenStream {
    syn::parse2(input.into())
        .and_then(value_type::newtype::derive)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
