//! Default rendering of every [`Statement`]: DML here, DDL in `ddl.rs`, expressions
//! in `expr.rs`. A dialect changes the output only through its hooks.

use super::ddl;
use super::enum_ddl;
use super::expr::write_expr;
pub(crate) use super::select::write_select;
use super::{Dialect, SqlWriter};
use crate::schema::SqlType;
use crate::statement::{
    Delete, Insert, OnConflict, OnConflictAction, Statement, Update, UpdateFromValues,
};
use crate::value::Value;
use std::borrow::Cow;

/// Standard SQL with `?` placeholders: the trait's defaults and nothing else.
///
/// Useful to look at what a statement renders to without a database, and as the
/// reference the real dialects are compared with.
#[derive(Debug, Clone, Copy, Default)]
pub struct GenericDialect;

impl Dialect for GenericDialect {
    fn name(&self) -> &'static str {
        "generic"
    }
}

/// Standard SQL type names; a dialect overrides only the names that differ.
///
/// ```
/// use orm_core::{dialect::standard_type_name, SqlType};
/// assert_eq!(standard_type_name(&SqlType::Varchar(100)), "VARCHAR(100)");
/// let status = SqlType::Enum(orm_core::EnumType::new("order status", &["paid"]));
/// assert_eq!(standard_type_name(&status), "\"order status\"");
/// assert_eq!(standard_type_name(&SqlType::Array(Box::new(status))), "\"order status\"[]");
/// ```
pub fn standard_type_name(ty: &SqlType) -> Cow<'static, str> {
    Cow::Borrowed(match ty {
        SqlType::SmallInt => "SMALLINT",
        SqlType::Integer => "INTEGER",
        SqlType::BigInt => "BIGINT",
        SqlType::Boolean => "BOOLEAN",
        SqlType::Real => "REAL",
        SqlType::Double => "DOUBLE PRECISION",
        SqlType::Numeric(None) => "NUMERIC",
        SqlType::Numeric(Some((p, s))) => return Cow::Owned(format!("NUMERIC({p}, {s})")),
        SqlType::Varchar(n) => return Cow::Owned(format!("VARCHAR({n})")),
        SqlType::Text => "TEXT",
        SqlType::Bytes => "BLOB",
        SqlType::Timestamp => "TIMESTAMP",
        SqlType::TimestampTz => "TIMESTAMP WITH TIME ZONE",
        SqlType::Date => "DATE",
        SqlType::Time => "TIME",
        SqlType::Uuid => "UUID",
        SqlType::Json => "JSON",
        SqlType::Custom(s) => return s.clone(),
        SqlType::Enum(e) => {
            let mut quoted = String::new();
            GenericDialect.write_identifier(&mut quoted, &e.name);
            return Cow::Owned(quoted);
        }
        SqlType::Array(inner) => return Cow::Owned(format!("{}[]", standard_type_name(inner))),
    })
}

/// Renders any statement.
pub(crate) fn write_statement<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &Statement) {
    match s {
        Statement::Select(s) => write_select(w, s),
        Statement::Insert(s) => write_insert(w, s),
        Statement::Update(s) => write_update(w, s),
        Statement::UpdateFromValues(s) => write_update_from_values(w, s),
        Statement::Delete(s) => write_delete(w, s),
        Statement::CreateTable(s) => ddl::write_create_table(w, s),
        Statement::DropTable(s) => ddl::write_drop_table(w, s),
        Statement::CreateIndex(s) => ddl::write_create_index(w, s),
        Statement::AddForeignKey(s) => ddl::write_add_foreign_key(w, s),
        Statement::DropIndex(s) => ddl::write_drop_index(w, s),
        Statement::AlterTable(s) => ddl::write_alter_table(w, s),
        Statement::CreateEnum(s) => enum_ddl::write_create_enum(w, s),
        Statement::DropEnum(s) => enum_ddl::write_drop_enum(w, s),
        Statement::AddEnumValue(s) => enum_ddl::write_add_enum_value(w, s),
        Statement::DeclareCursor(c) => {
            w.push_sql("DECLARE ");
            w.push_identifier(&c.name);
            w.push_sql(" NO SCROLL CURSOR FOR ");
            write_select(w, &c.select);
        }
        Statement::FetchCursor(c) => {
            w.push_sql(&format!("FETCH FORWARD {} FROM ", c.count));
            w.push_identifier(&c.name);
        }
        Statement::CloseCursor(c) => {
            w.push_sql("CLOSE ");
            w.push_identifier(&c.name);
        }
    }
}

pub(super) fn write_where<D: Dialect + ?Sized>(
    w: &mut SqlWriter<'_, D>,
    filter: Option<&crate::Expr>,
) {
    if let Some(f) = filter {
        w.push_sql(" WHERE ");
        write_expr(w, f);
    }
}

fn write_returning<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, columns: &[String]) {
    if !columns.is_empty() {
        w.push_sql(" RETURNING ");
        w.push_identifier_list(columns);
    }
}

/// `INSERT`. Without columns, one row is `DEFAULT VALUES` and several rows are
/// `VALUES (DEFAULT), (DEFAULT)` (the first column takes its default, like the rest).
fn write_insert<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &Insert) {
    let rows = s.rows.iter().map(|row| row.iter().cloned());
    write_insert_rows(w, s, s.rows.len(), rows);
}

/// Renders an INSERT, moving its values into the parameters instead of copying them
/// (the unit of work's batches carry whole rows of text).
pub(crate) fn write_insert_owned<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, mut s: Insert) {
    let rows = std::mem::take(&mut s.rows);
    let count = rows.len();
    write_insert_rows(w, &s, count, rows.into_iter());
}

fn write_insert_rows<D: Dialect + ?Sized, R: IntoIterator<Item = Value>>(
    w: &mut SqlWriter<'_, D>,
    s: &Insert,
    row_count: usize,
    rows: impl Iterator<Item = R>,
) {
    w.push_sql("INSERT INTO ");
    w.push_identifier(&s.table);
    if s.columns.is_empty() {
        if row_count <= 1 {
            w.push_sql(" DEFAULT VALUES");
        } else {
            w.push_sql(" VALUES ");
            w.push_sql(&vec!["(DEFAULT)"; row_count].join(", "));
        }
    } else {
        w.push_sql(" (");
        w.push_identifier_list(&s.columns);
        w.push_sql(") VALUES ");
        for (i, row) in rows.enumerate() {
            w.push_sql(if i == 0 { "(" } else { ", (" });
            for (j, v) in row.into_iter().enumerate() {
                if j > 0 {
                    w.push_sql(", ");
                }
                w.push_bind(v);
            }
            w.push_sql(")");
        }
    }
    if let Some(oc) = &s.on_conflict {
        write_on_conflict(w, oc);
    }
    write_returning(w, &s.returning);
}

/// `ON CONFLICT [(target)] DO NOTHING | DO UPDATE SET c = EXCLUDED.c`. An update
/// of no columns is `DO NOTHING` (SQL has no empty SET).
fn write_on_conflict<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, oc: &OnConflict) {
    w.push_sql(" ON CONFLICT");
    if !oc.target.is_empty() {
        w.push_sql(" (");
        w.push_identifier_list(&oc.target);
        w.push_sql(")");
    }
    match &oc.action {
        OnConflictAction::DoUpdate(cols) if !cols.is_empty() => {
            w.push_sql(" DO UPDATE SET ");
            w.push_list(cols, ", ", |w, c| {
                w.push_identifier(c);
                w.push_sql(" = EXCLUDED.");
                w.push_identifier(c);
            });
        }
        _ => w.push_sql(" DO NOTHING"),
    }
}

fn write_update<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &Update) {
    w.push_sql("UPDATE ");
    w.push_identifier(&s.table);
    w.push_sql(" SET ");
    w.push_list(&s.set, ", ", |w, (col, e)| {
        w.push_identifier(col);
        w.push_sql(" = ");
        write_expr(w, e);
    });
    write_where(w, s.filter.as_ref());
    write_returning(w, &s.returning);
}

/// The alias of the VALUES list in [`UpdateFromValues`].
const VALUES_ALIAS: &str = "__v";

/// The type a VALUES cell is cast to: the column's type without a length or
/// precision, because an explicit cast to `VARCHAR(n)` silently truncates (and to
/// `NUMERIC(p, s)` rounds) where the assignment to the column would raise an error.
fn cast_type(ty: &SqlType) -> Cow<'_, SqlType> {
    match ty {
        SqlType::Varchar(_) => Cow::Owned(SqlType::Text),
        SqlType::Numeric(Some(_)) => Cow::Owned(SqlType::Numeric(None)),
        other => Cow::Borrowed(other),
    }
}

/// `UPDATE t SET a = __v.a FROM (VALUES (..), ..) AS __v(k, a) WHERE t.k = __v.k`.
///
/// A column both matched and set (an optimistic-locking version: old value in the
/// key, new value in the set) gets the alias `<name>__new` for its new value.
fn write_update_from_values<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &UpdateFromValues) {
    let set_aliases: Vec<Cow<'_, str>> = s
        .set_columns
        .iter()
        .map(|(c, _)| {
            if s.key_columns.iter().any(|(k, _)| k == c) {
                Cow::Owned(format!("{c}__new"))
            } else {
                Cow::Borrowed(c.as_str())
            }
        })
        .collect();
    let types: Vec<Cow<'_, SqlType>> = (s.key_columns.iter().chain(&s.set_columns))
        .map(|(_, t)| cast_type(t))
        .collect();
    w.push_sql("UPDATE ");
    w.push_identifier(&s.table);
    w.push_sql(" SET ");
    w.push_list(
        s.set_columns.iter().zip(&set_aliases),
        ", ",
        |w, ((c, _), a)| {
            w.push_identifier(c);
            w.push_sql(" = ");
            w.push_qualified(VALUES_ALIAS, a);
        },
    );
    w.push_sql(" FROM (VALUES ");
    w.push_list(&s.rows, ", ", |w, row| {
        w.push_sql("(");
        w.push_list(row.iter().zip(&types), ", ", |w, (v, t)| {
            w.push_typed_bind(v.clone(), t)
        });
        w.push_sql(")");
    });
    w.push_sql(") AS ");
    w.push_identifier(VALUES_ALIAS);
    w.push_sql("(");
    let keys = s.key_columns.iter().map(|(k, _)| k.as_str());
    w.push_list(
        keys.chain(set_aliases.iter().map(|a| &**a)),
        ", ",
        |w, c| w.push_identifier(c),
    );
    w.push_sql(") WHERE ");
    w.push_list(&s.key_columns, " AND ", |w, (c, _)| {
        w.push_qualified(&s.table, c);
        w.push_sql(" = ");
        w.push_qualified(VALUES_ALIAS, c);
    });
}

fn write_delete<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &Delete) {
    w.push_sql("DELETE FROM ");
    w.push_identifier(&s.table);
    write_where(w, s.filter.as_ref());
    write_returning(w, &s.returning);
}
