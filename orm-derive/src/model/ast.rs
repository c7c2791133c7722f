//! [`ModelDef`]: the struct as the code generator sees it, every choice resolved.

use super::constraints::{self, Constraints, FieldNames};
use super::infer;
use super::relation::RelationDef;
use crate::parse::attr::{Container, Field};
use crate::parse::ctxt::Ctxt;
use crate::parse::sql_type::SqlTypeSpec;
use crate::parse::value::{ReferentialAction, Spanned};
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::spanned::Spanned as _;
use syn::{Data, DeriveInput, ExprPath, Fields, Ident, Type, Visibility};

/// A struct deriving `Model`.
pub struct ModelDef {
    /// The struct's name.
    pub ident: Ident,
    /// The struct's visibility, given to its column handles.
    pub vis: Visibility,
    /// The table name.
    pub table: String,
    /// The mapped fields, in declaration order (= table column order).
    pub columns: Vec<ColumnDef>,
    /// The `skip` fields, filled with `Default::default()` when loading.
    pub skipped: Vec<SkippedDef>,
    /// The relationships declared on the struct, in order.
    pub relationships: Vec<RelationDef>,
    /// `unique(..)`, `index(..)` and `check` on the struct.
    pub constraints: Constraints,
}

/// A field mapped to a column.
pub struct ColumnDef {
    /// The Rust field.
    pub member: Ident,
    /// The field's visibility, given to its getter and setter on handles.
    pub vis: Visibility,
    /// The field's type.
    pub ty: Type,
    /// The SQL column name.
    pub name: String,
    /// Where the name comes from: the `column` attribute, else the field.
    pub name_span: Span,
    /// The column's position in the table.
    pub position: usize,
    /// Part of the primary key.
    pub primary_key: bool,
    /// The database generates the value.
    pub autoincrement: bool,
    /// An explicit `nullable`; `None` leaves it to `ColumnType::NULLABLE`.
    pub nullable: Option<bool>,
    /// A single-column UNIQUE constraint.
    pub unique: bool,
    /// A single-column index.
    pub index: bool,
    /// How the SQL type is chosen.
    pub sql_type: SqlTypeDef,
    /// A SQL DEFAULT expression.
    pub server_default: Option<String>,
    /// A function called at insert when the value is `None`.
    pub default: Option<ExprPath>,
    /// A function called at every update that does not set the column.
    pub onupdate: Option<ExprPath>,
    /// The referenced column.
    pub foreign_key: Option<ForeignKeyDef>,
    /// The optimistic-concurrency version counter.
    pub version: bool,
    /// `native_enum = false`: an enum column stored as text.
    pub text_enum: bool,
}

/// How a column's SQL type is chosen.
pub enum SqlTypeDef {
    /// From the Rust type (`ColumnType::sql_type`), with the `length` attribute if any.
    Inferred {
        /// `length = n`.
        length: Option<Spanned<u32>>,
    },
    /// Spelled by `sql_type = "..."`.
    Explicit(SqlTypeSpec),
}

/// A single-column foreign key.
pub struct ForeignKeyDef {
    /// The referenced table.
    pub table: String,
    /// The referenced column.
    pub column: String,
    /// `ON DELETE`.
    pub on_delete: Option<ReferentialAction>,
    /// `ON UPDATE`.
    pub on_update: Option<ReferentialAction>,
}

/// A field that is not a column.
pub struct SkippedDef {
    /// The Rust field.
    pub member: Ident,
    /// The field's type (must implement `Default`).
    pub ty: Type,
}

impl ModelDef {
    /// Builds the model, reporting attribute errors and unsupported input shapes in
    /// `cx`. `None` when the input is not a struct with named fields.
    pub fn from_ast(cx: &Ctxt, input: &DeriveInput) -> Option<ModelDef> {
        let container = Container::from_ast(cx, &input.attrs);
        let fields = named_fields(cx, input)?;
        reject_generics(cx, input);
        let table = match container.table {
            Some(t) => t.value.value(),
            None => infer::snake_case(&input.ident.unraw().to_string()),
        };
        let ident = &input.ident;
        let relationships = container
            .relationships
            .into_iter()
            .map(|r| RelationDef::new(ident, r))
            .collect();
        let mut model = ModelDef {
            ident: ident.clone(),
            vis: input.vis.clone(),
            table,
            columns: Vec::new(),
            skipped: Vec::new(),
            relationships,
            constraints: Constraints::default(),
        };
        let fields: Vec<(&syn::Field, Field)> =
            fields.map(|f| (f, Field::from_ast(cx, f))).collect();
        let single_key = fields.iter().filter(|(_, a)| is_key(a)).count() == 1;
        for (field, attrs) in fields {
            model.add_field(field, attrs, single_key);
        }
        let fields = FieldNames {
            table: &model.table,
            columns: &model.columns,
            skipped: model
                .skipped
                .iter()
                .map(|s| s.member.unraw().to_string())
                .collect(),
        };
        let (u, i, c) = (container.uniques, container.indexes, container.checks);
        model.constraints = constraints::resolve(cx, &fields, u, i, c);
        Some(model)
    }

    /// The primary-key columns.
    pub fn primary_key(&self) -> impl Iterator<Item = &ColumnDef> {
        self.columns.iter().filter(|c| c.primary_key)
    }

    fn add_field(&mut self, field: &syn::Field, attrs: Field, single_key: bool) {
        let Some(member) = field.ident.clone() else {
            return;
        };
        let ty = field.ty.clone();
        if flag(&attrs.skip) {
            self.skipped.push(SkippedDef { member, ty });
            return;
        }
        let position = self.columns.len();
        let mut column = ColumnDef::new(member, ty, position, attrs, single_key);
        column.vis = field.vis.clone();
        self.columns.push(column);
    }
}

/// A mapped field marked `primary_key`.
fn is_key(attrs: &Field) -> bool {
    flag(&attrs.primary_key) && !flag(&attrs.skip)
}

impl ColumnDef {
    /// The `length` attribute, when the type is inferred.
    pub fn length(&self) -> Option<u32> {
        match &self.sql_type {
            SqlTypeDef::Inferred { length } => length.as_ref().map(|l| l.value),
            SqlTypeDef::Explicit(_) => None,
        }
    }

    fn new(member: Ident, ty: Type, position: usize, attrs: Field, single_key: bool) -> Self {
        let primary_key = flag(&attrs.primary_key);
        // An explicit `autoincrement` wins; otherwise a lone primary key spelled
        // `Option<i16|i32|i64>` is generated by the database.
        let autoincrement = attrs.autoincrement.map_or_else(
            || primary_key && single_key && infer::is_optional_integer(&ty),
            |a| a.value,
        );
        let (name, name_span) = match attrs.column {
            Some(c) => (c.value, c.span),
            None => (member.unraw().to_string(), member.span()),
        };
        let sql_type = match attrs.sql_type {
            Some(s) => SqlTypeDef::Explicit(s.value),
            None => SqlTypeDef::Inferred {
                length: attrs.length,
            },
        };
        let foreign_key = attrs.foreign_key.map(|fk| ForeignKeyDef {
            table: fk.value.table,
            column: fk.value.column,
            on_delete: attrs.on_delete.map(|a| a.value),
            on_update: attrs.on_update.map(|a| a.value),
        });
        ColumnDef {
            member,
            vis: Visibility::Inherited,
            ty,
            name,
            name_span,
            position,
            primary_key,
            autoincrement,
            nullable: attrs.nullable.map(|n| n.value),
            unique: flag(&attrs.unique),
            index: flag(&attrs.index),
            sql_type,
            server_default: attrs.server_default.map(|s| s.value),
            default: attrs.default.map(|d| d.value),
            onupdate: attrs.onupdate.map(|d| d.value),
            foreign_key,
            version: flag(&attrs.version),
            text_enum: attrs.native_enum.is_some_and(|n| !n.value),
        }
    }
}

fn flag(attr: &Option<Spanned<bool>>) -> bool {
    attr.as_ref().is_some_and(|a| a.value)
}

/// The named fields of a struct; anything else is reported.
fn named_fields<'a>(
    cx: &Ctxt,
    input: &'a DeriveInput,
) -> Option<impl Iterator<Item = &'a syn::Field>> {
    let name = &input.ident;
    let what = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => return Some(named.named.iter()),
            Fields::Unnamed(_) => "a tuple struct",
            Fields::Unit => "a unit struct",
        },
        Data::Enum(_) => "an enum",
        Data::Union(_) => "a union",
    };
    let msg = format!(
        "`#[derive(Model)]` maps a struct with named fields to a table; `{name}` is {what}\nhelp: declare it as `struct {name} {{ #[orm(primary_key)] id: Option<i32>, .. }}`"
    );
    cx.error_spanned_by(name, msg);
    None
}

fn reject_generics(cx: &Ctxt, input: &DeriveInput) {
    let generics = &input.generics;
    if !generics.params.is_empty() || generics.where_clause.is_some() {
        let msg = format!(
            "`#[derive(Model)]` does not support generic parameters: a model maps to one table\nhelp: remove the parameters from `{}`",
            input.ident
        );
        let span = match &generics.where_clause {
            Some(w) if generics.params.is_empty() => w.span(),
            _ => generics.span(),
        };
        cx.error_at(span, msg);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn model(input: DeriveInput) -> ModelDef {
        let cx = Ctxt::new();
        let model = ModelDef::from_ast(&cx, &input);
        cx.check().expect("no errors");
        model.expect("a struct")
    }

    fn autoincrement(m: &ModelDef) -> Vec<bool> {
        m.columns.iter().map(|c| c.autoincrement).collect()
    }

    #[test]
    fn a_lone_optional_integer_key_is_generated() {
        let m = model(parse_quote! {
            struct Tag { #[orm(primary_key)] id: Option<i64>, n: Option<i32> }
        });
        assert_eq!(autoincrement(&m), [true, false]);
    }

    #[test]
    fn explicit_autoincrement_wins_both_ways() {
        let m = model(parse_quote! {
            struct Tag {
                #[orm(primary_key, autoincrement = false)] id: Option<i32>,
                #[orm(autoincrement)] n: i64,
            }
        });
        assert_eq!(autoincrement(&m), [false, true]);
    }

    #[test]
    fn a_composite_key_is_not_generated() {
        let m = model(parse_quote! {
            struct Link {
                #[orm(primary_key)] a: Option<i32>,
                #[orm(primary_key)] b: Option<i32>,
            }
        });
        assert_eq!(autoincrement(&m), [false, false]);
    }

    #[test]
    fn names_come_from_the_struct_and_fields() {
        let m = model(parse_quote! {
            struct BlogPost {
                #[orm(primary_key)] id: Option<i32>,
                r#type: String,
                #[orm(column = "body_text")] body: String,
                #[orm(skip)] cache: Vec<u8>,
            }
        });
        assert_eq!(m.table, "blog_post");
        let names: Vec<&str> = m.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "type", "body_text"]);
        assert_eq!(m.columns[2].position, 2);
        assert_eq!(m.skipped[0].member, "cache");
    }
}
