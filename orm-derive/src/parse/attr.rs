//! `#[orm(..)]` on the struct ([`Container`]) and on its fields ([`Field`]).
//!
//! Every attribute is parsed by name; an unknown name or a second occurrence is an
//! error at the user's span. Errors are collected in the [`Ctxt`], so one build
//! reports every mistake. Relationship attributes (`has_many(..)`, ..) may repeat; each
//! is read by [`super::relationship`]. The recording itself lives in [`super::meta`].

use super::constraint::{self, IndexSpec, UniqueSpec};
use super::ctxt::Ctxt;
use super::meta::{for_each_meta, ok, Attr};
use super::rel_value::RelationshipKind;
use super::relationship::Relationship;
use super::sql_type::SqlTypeSpec;
use super::symbol::{self, Symbol};
use super::unknown::{unknown, unknown_as, Kind};
use super::value::{self, ForeignKeyTarget, ReferentialAction, Spanned};
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{ExprPath, LitStr};

/// The struct-level attributes.
pub struct Container {
    /// `table = "articles"`.
    pub table: Option<Spanned<LitStr>>,
    /// `has_many(..)`, `has_one(..)`, `belongs_to(..)`, `many_to_many(..)`, in order.
    pub relationships: Vec<Relationship>,
    /// `unique(a, b)`, in order.
    pub uniques: Vec<UniqueSpec>,
    /// `index(a, b, ..)`, in order.
    pub indexes: Vec<IndexSpec>,
    /// `check = ".."`, in order.
    pub checks: Vec<Spanned<String>>,
}

impl Container {
    /// Reads the `#[orm(..)]` attributes of the struct.
    pub fn from_ast(cx: &Ctxt, attrs: &[syn::Attribute]) -> Self {
        let mut b = ContainerBuilder {
            table: Attr::new(symbol::TABLE),
            relationships: Vec::new(),
            uniques: Vec::new(),
            indexes: Vec::new(),
            checks: Vec::new(),
        };
        for_each_meta(cx, attrs, |meta| b.parse_meta(cx, meta));
        Container {
            table: b.table.finish(),
            relationships: b.relationships,
            uniques: b.uniques,
            indexes: b.indexes,
            checks: b.checks,
        }
    }
}

/// The struct attributes while they are read.
struct ContainerBuilder {
    table: Attr<LitStr>,
    relationships: Vec<Relationship>,
    uniques: Vec<UniqueSpec>,
    indexes: Vec<IndexSpec>,
    checks: Vec<Spanned<String>>,
}

impl ContainerBuilder {
    fn parse_meta(&mut self, cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<()> {
        let parens = meta.input.peek(syn::token::Paren);
        if meta.path == symbol::TABLE {
            self.table.set(cx, meta, ok(value::non_empty_string))
        } else if meta.path == symbol::UNIQUE_COLUMNS && parens {
            self.uniques.extend(constraint::parse_unique(cx, meta)?);
            Ok(())
        } else if meta.path == symbol::INDEX_COLUMNS && parens {
            self.indexes.extend(constraint::parse_index(cx, meta)?);
            Ok(())
        } else if meta.path == symbol::CHECK {
            self.checks.push(constraint::parse_check(meta)?);
            Ok(())
        } else if let Some(kind) = RelationshipKind::from_path(&meta.path) {
            self.relationships
                .extend(Relationship::parse(cx, meta, kind)?);
            Ok(())
        } else if looks_like_a_relationship(meta) {
            let (what, kinds) = ("relationship kind", symbol::RELATIONSHIP_KINDS);
            unknown_as(cx, meta, what, kinds, symbol::HAS_MANY)
        } else {
            unknown(cx, meta, symbol::CONTAINER_ATTRS, Kind::Field)
        }
    }
}

/// `name(..)` that is not a field attribute: meant as a relationship.
fn looks_like_a_relationship(meta: &ParseNestedMeta) -> bool {
    let name = meta
        .path
        .get_ident()
        .map(|i| i.to_string())
        .unwrap_or_default();
    meta.input.peek(syn::token::Paren) && symbol::lookup(symbol::FIELD_ATTRS, &name).is_none()
}

/// The attributes of one field.
pub struct Field {
    /// `primary_key`.
    pub primary_key: Option<Spanned<bool>>,
    /// `autoincrement` / `autoincrement = false`.
    pub autoincrement: Option<Spanned<bool>>,
    /// `length = 100`.
    pub length: Option<Spanned<u32>>,
    /// `unique`.
    pub unique: Option<Spanned<bool>>,
    /// `index`.
    pub index: Option<Spanned<bool>>,
    /// `nullable` / `nullable = false`.
    pub nullable: Option<Spanned<bool>>,
    /// `default = path::to_fn`.
    pub default: Option<Spanned<ExprPath>>,
    /// `onupdate = path::to_fn`.
    pub onupdate: Option<Spanned<ExprPath>>,
    /// `server_default = "now()"`.
    pub server_default: Option<Spanned<String>>,
    /// `foreign_key = "authors.id"`.
    pub foreign_key: Option<Spanned<ForeignKeyTarget>>,
    /// `on_delete = "cascade"`.
    pub on_delete: Option<Spanned<ReferentialAction>>,
    /// `on_update = "cascade"`.
    pub on_update: Option<Spanned<ReferentialAction>>,
    /// `sql_type = "VARCHAR(20)"`.
    pub sql_type: Option<Spanned<SqlTypeSpec>>,
    /// `column = "name"`.
    pub column: Option<Spanned<String>>,
    /// `skip`.
    pub skip: Option<Spanned<bool>>,
    /// `version`.
    pub version: Option<Spanned<bool>>,
    /// `native_enum = false`.
    pub native_enum: Option<Spanned<bool>>,
}

/// The field attributes while they are read.
struct FieldBuilder {
    primary_key: Attr<bool>,
    autoincrement: Attr<bool>,
    length: Attr<u32>,
    unique: Attr<bool>,
    index: Attr<bool>,
    nullable: Attr<bool>,
    default: Attr<ExprPath>,
    onupdate: Attr<ExprPath>,
    server_default: Attr<String>,
    foreign_key: Attr<ForeignKeyTarget>,
    on_delete: Attr<ReferentialAction>,
    on_update: Attr<ReferentialAction>,
    sql_type: Attr<SqlTypeSpec>,
    column: Attr<String>,
    skip: Attr<bool>,
    version: Attr<bool>,
    native_enum: Attr<bool>,
}

impl Field {
    /// Reads the `#[orm(..)]` attributes of one field.
    pub fn from_ast(cx: &Ctxt, field: &syn::Field) -> Self {
        let mut b = FieldBuilder::new();
        for_each_meta(cx, &field.attrs, |meta| b.parse_meta(cx, meta));
        b.validate(cx);
        b.finish()
    }
}

impl FieldBuilder {
    fn new() -> Self {
        use symbol::*;
        FieldBuilder {
            primary_key: Attr::new(PRIMARY_KEY),
            autoincrement: Attr::new(AUTOINCREMENT),
            length: Attr::new(LENGTH),
            unique: Attr::new(UNIQUE),
            index: Attr::new(INDEX),
            nullable: Attr::new(NULLABLE),
            default: Attr::new(DEFAULT),
            onupdate: Attr::new(ONUPDATE),
            server_default: Attr::new(SERVER_DEFAULT),
            foreign_key: Attr::new(FOREIGN_KEY),
            on_delete: Attr::new(ON_DELETE),
            on_update: Attr::new(ON_UPDATE),
            sql_type: Attr::new(SQL_TYPE),
            column: Attr::new(COLUMN),
            skip: Attr::new(SKIP),
            version: Attr::new(VERSION),
            native_enum: Attr::new(NATIVE_ENUM),
        }
    }

    fn parse_meta(&mut self, cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<()> {
        use symbol::*;
        let p = &meta.path;
        let name = |m: &ParseNestedMeta| value::non_empty_string(m).map(|l| l.value());
        if p == PRIMARY_KEY {
            self.primary_key.set(cx, meta, ok(value::flag))
        } else if p == AUTOINCREMENT {
            self.autoincrement.set(cx, meta, ok(value::flag))
        } else if p == LENGTH {
            self.length.set(cx, meta, ok(value::positive_u32))
        } else if p == UNIQUE {
            self.unique.set(cx, meta, ok(value::flag))
        } else if p == INDEX {
            self.index.set(cx, meta, ok(value::flag))
        } else if p == NULLABLE {
            self.nullable.set(cx, meta, ok(value::flag))
        } else if p == DEFAULT {
            self.default.set(cx, meta, ok(value::function_path))
        } else if p == ONUPDATE {
            self.onupdate.set(cx, meta, ok(value::function_path))
        } else if p == SERVER_DEFAULT {
            self.server_default.set(cx, meta, ok(name))
        } else if p == FOREIGN_KEY {
            self.foreign_key.set(cx, meta, value::foreign_key)
        } else if p == ON_DELETE {
            self.on_delete.set(cx, meta, value::action)
        } else if p == ON_UPDATE {
            self.on_update.set(cx, meta, value::action)
        } else if p == SQL_TYPE {
            self.sql_type.set(cx, meta, ok(value::sql_type))
        } else if p == COLUMN {
            self.column.set(cx, meta, ok(name))
        } else if p == SKIP {
            self.skip.set(cx, meta, ok(value::flag))
        } else if p == VERSION {
            self.version.set(cx, meta, ok(value::flag))
        } else if p == NATIVE_ENUM {
            self.native_enum.set(cx, meta, ok(value::flag))
        } else {
            unknown(cx, meta, FIELD_ATTRS, Kind::Container)
        }
    }

    /// Rules about attributes of one field that only make sense together.
    fn validate(&self, cx: &Ctxt) {
        if self.foreign_key.span.is_none() {
            for (name, span) in [self.on_delete.seen(), self.on_update.seen()]
                .into_iter()
                .flatten()
            {
                let msg = format!(
                    "`{name}` needs a `foreign_key` on the same field\n{}",
                    name.help()
                );
                cx.error_at(span, msg);
            }
        }
        if let (Some(span), Some(_)) = (self.length.span, self.sql_type.span) {
            let msg = "`length` has no effect together with `sql_type`\nhelp: put the length in the type: `#[orm(sql_type = \"VARCHAR(100)\")]`";
            cx.error_at(span, msg);
        }
        if let (Some(span), Some(true)) = (self.nullable.span, self.nullable.value) {
            if self.primary_key.value == Some(true) {
                let msg = "a primary-key column is never NULL\nhelp: remove `nullable`";
                cx.error_at(span, msg);
            }
        }
        if self.skip.value == Some(true) {
            self.validate_skip(cx);
        }
    }

    /// A `skip` field is not a column, so no column attribute applies to it.
    fn validate_skip(&self, cx: &Ctxt) {
        for (name, span) in self.column_attrs_seen() {
            let msg = format!("`{name}` does not apply to a `skip` field, which is not a column\nhelp: remove `{name}`, or remove `skip` to map the field");
            cx.error_at(span, msg);
        }
    }

    fn column_attrs_seen(&self) -> Vec<(Symbol, Span)> {
        [
            self.primary_key.seen(),
            self.autoincrement.seen(),
            self.length.seen(),
            self.unique.seen(),
            self.index.seen(),
            self.nullable.seen(),
            self.default.seen(),
            self.onupdate.seen(),
            self.server_default.seen(),
            self.foreign_key.seen(),
            self.on_delete.seen(),
            self.on_update.seen(),
            self.sql_type.seen(),
            self.column.seen(),
            self.version.seen(),
            self.native_enum.seen(),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    fn finish(self) -> Field {
        Field {
            primary_key: self.primary_key.finish(),
            autoincrement: self.autoincrement.finish(),
            length: self.length.finish(),
            unique: self.unique.finish(),
            index: self.index.finish(),
            nullable: self.nullable.finish(),
            default: self.default.finish(),
            onupdate: self.onupdate.finish(),
            server_default: self.server_default.finish(),
            foreign_key: self.foreign_key.finish(),
            on_delete: self.on_delete.finish(),
            on_update: self.on_update.finish(),
            sql_type: self.sql_type.finish(),
            column: self.column.finish(),
            skip: self.skip.finish(),
            version: self.version.finish(),
            native_enum: self.native_enum.finish(),
        }
    }
}
