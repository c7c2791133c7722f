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
//! # Container attribute
//!
//! | attribute | meaning |
//! |---|---|
//! | `table = "articles"` | the table name; default: the struct name in snake_case (`BlogPost` → `blog_post`, no plural) |
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
//!
//! Flags (`primary_key`, `unique`, `index`, `skip`, `autoincrement`, `nullable`)
//! accept an explicit `= true` / `= false`.
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
//!
//! The struct must have named fields, no generic parameters, and be
//! `Clone + Send + Sync + 'static` (the supertraits of `Model`); every mapped field's
//! type must implement `orm_core::ColumnType`.
#![warn(missing_docs)]
#![deny(unsafe_code)]

mod expand;
mod model;
mod parse;

use proc_macro::TokenStream;

/// Derives `orm_core::Model`; see the [crate documentation](crate) for the attributes.
#[proc_macro_derive(Model, attributes(orm))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    syn::parse2(input.into())
        .and_then(expand::derive)
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}
