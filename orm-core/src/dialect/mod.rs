//! The [`Dialect`] trait: the only place statements become SQL text.
//!
//! A dialect is a handful of small hooks (placeholders, identifier quoting, type
//! names, ...) plus default renderers for every [`Statement`] and
//! [`Expr`](crate::Expr) node, written once in this module against a [`SqlWriter`].
//! A database overrides only the hooks where it differs from standard SQL.

mod ddl;
mod enum_ddl;
mod expr;
mod generic;
mod select;
mod stored;
mod window;
mod writer;

#[cfg(test)]
mod select_tests;
#[cfg(test)]
mod tests;

pub use generic::{standard_type_name, GenericDialect};
pub use stored::{standard_stored_value, truncate_to_micros};
pub use writer::SqlWriter;

use crate::error::{Error, Result};
use crate::schema::SqlType;
use crate::statement::Statement;
use crate::value::Value;
use std::borrow::Cow;
use std::fmt;

/// SQL text plus its bind parameters, in placeholder order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Compiled {
    /// The SQL text, with placeholders.
    pub sql: String,
    /// The bind parameters.
    pub params: Vec<Value>,
}

/// A transaction-control statement, spelled by [`Dialect::transaction_sql`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionOp<'a> {
    /// Start a transaction.
    Begin,
    /// Commit the transaction.
    Commit,
    /// Roll the transaction back.
    Rollback,
    /// Create the named savepoint.
    Savepoint(&'a str),
    /// Release the named savepoint.
    ReleaseSavepoint(&'a str),
    /// Roll back to the named savepoint.
    RollbackToSavepoint(&'a str),
}

/// Turns statements into SQL text for one database.
///
/// Every method but [`name`](Dialect::name) has a default that writes standard SQL
/// (`?` placeholders, `"`-quoted identifiers); a database overrides only what it
/// spells differently. Every value becomes a bind parameter and every identifier is
/// quoted, so no user data is ever inlined into the SQL text.
///
/// ```
/// use orm_core::dialect::GenericDialect;
/// use orm_core::statement::Select;
/// use orm_core::{Dialect, Expr};
///
/// let mut s = Select::from("tags");
/// s.item(Expr::column("tags", "name"))
///     .and_where(Expr::column("tags", "id").binary(orm_core::BinaryOp::Eq, Expr::value(7)));
/// let c = GenericDialect.compile(&s.into());
/// assert_eq!(c.sql, r#"SELECT "tags"."name" FROM "tags" WHERE "tags"."id" = ?"#);
/// assert_eq!(c.params, vec![orm_core::Value::Int(7)]);
/// ```
pub trait Dialect: Send + Sync + fmt::Debug {
    /// The dialect's name, e.g. `postgresql`.
    fn name(&self) -> &'static str;

    /// Renders `statement` with every value as a bind parameter.
    fn compile(&self, statement: &Statement) -> Compiled {
        let mut w = SqlWriter::new(self);
        generic::write_statement(&mut w, statement);
        w.finish()
    }

    /// Like [`compile`](Dialect::compile), consuming the statement so that large
    /// values (an INSERT's rows) move into the parameters instead of being copied.
    fn compile_owned(&self, statement: Statement) -> Compiled {
        match statement {
            Statement::Insert(insert) => {
                let mut w = SqlWriter::new(self);
                generic::write_insert_owned(&mut w, insert);
                w.finish()
            }
            other => self.compile(&other),
        }
    }

    /// The most bind parameters one statement may carry.
    fn max_params(&self) -> usize {
        65_535
    }

    /// Fails with [`Error::TooManyParameters`] when a statement with `count` bind
    /// parameters exceeds [`max_params`](Dialect::max_params). Every statement an
    /// engine connection sends is checked first, so an oversized one is never sent.
    ///
    /// ```
    /// use orm_core::{dialect::GenericDialect, Dialect, Error};
    /// assert!(GenericDialect.check_params(65_535).is_ok());
    /// assert!(matches!(
    ///     GenericDialect.check_params(70_000),
    ///     Err(Error::TooManyParameters { count: 70_000, max: 65_535 })
    /// ));
    /// ```
    fn check_params(&self, count: usize) -> Result<()> {
        let max = self.max_params();
        if count > max {
            return Err(Error::TooManyParameters { count, max });
        }
        Ok(())
    }

    /// Whether a list of values may be bound as one array parameter, so that
    /// `x IN (list)` is written `x = ANY($1)` (and `NOT IN` as `<> ALL($1)`) whatever
    /// the list's length. Default: `false`, and each value is its own parameter.
    fn array_parameters(&self) -> bool {
        false
    }

    /// What a column of type `ty` stores for `value`, when that differs from `value`:
    /// `Ok(None)` when it stores the value as it is, `Ok(Some(v))` when it keeps `v`
    /// instead, `Err(reason)` when it cannot hold the value faithfully at all. The
    /// flush stores the returned value in the object too, so the object equals its
    /// row. Default: [`standard_stored_value`] (timestamps and times to whole
    /// microseconds, `NUMERIC(p, s)` rounded to `s` places).
    fn stored_value(&self, value: &Value, ty: &SqlType) -> Result<Option<Value>, String> {
        standard_stored_value(value, ty)
    }

    /// Writes the placeholder of the `index`-th bind parameter (1-based). Default: `?`.
    fn write_placeholder(&self, out: &mut String, index: usize) {
        let _ = index;
        out.push('?');
    }

    /// Writes a placeholder with an explicit type, so the server knows the type of a
    /// parameter it cannot infer (a `VALUES` list). Default: `CAST(? AS type)`.
    fn write_typed_placeholder(&self, out: &mut String, index: usize, ty: &SqlType) {
        out.push_str("CAST(");
        self.write_placeholder(out, index);
        out.push_str(" AS ");
        out.push_str(&self.type_name(ty));
        out.push(')');
    }

    /// Writes `ident` as a quoted identifier. Default: SQL-standard double quotes,
    /// with an embedded `"` doubled.
    fn write_identifier(&self, out: &mut String, ident: &str) {
        out.push('"');
        for ch in ident.chars() {
            if ch == '"' {
                out.push('"');
            }
            out.push(ch);
        }
        out.push('"');
    }

    /// Writes a string literal. Only used for text this crate controls (the `LIKE`
    /// escape character), never for user values. Default: `'...'`, `'` doubled.
    fn write_string_literal(&self, out: &mut String, text: &str) {
        out.push('\'');
        for ch in text.chars() {
            if ch == '\'' {
                out.push('\'');
            }
            out.push(ch);
        }
        out.push('\'');
    }

    /// The type's name in DDL and casts. Default: standard SQL names.
    fn type_name(&self, ty: &SqlType) -> Cow<'static, str> {
        generic::standard_type_name(ty)
    }

    /// The column clause that lets the server generate an autoincrement column's
    /// value. Default: the SQL-standard `GENERATED BY DEFAULT AS IDENTITY`.
    fn autoincrement_clause(&self) -> &'static str {
        "GENERATED BY DEFAULT AS IDENTITY"
    }

    /// The case-insensitive `LIKE` operator, if the database has one (`ILIKE`).
    /// Default: `None`, and both sides are wrapped in `lower(..)` instead.
    fn ilike_operator(&self) -> Option<&'static str> {
        None
    }

    /// A query returning, one per row, the names of the tables in the schema that
    /// unqualified table names resolve to (used by `create_all`'s "checkfirst").
    fn list_tables_query(&self) -> Compiled {
        Compiled {
            sql: "SELECT table_name FROM information_schema.tables \
                  WHERE table_schema = CURRENT_SCHEMA"
                .to_owned(),
            params: Vec::new(),
        }
    }

    /// A query returning, one per row, the names of the enum types in the schema that
    /// unqualified names resolve to; `None` when the database has no enum types
    /// (then enums are stored as text, `#[orm(native_enum = false)]`). Default: `None`.
    fn list_enum_types_query(&self) -> Option<Compiled> {
        None
    }

    /// The backend's schema [`Inspector`](crate::Inspector), used by migrations to
    /// reflect the live schema. Default: none.
    fn inspector(&self) -> Option<&dyn crate::Inspector> {
        None
    }

    /// The SQL of a transaction-control statement; savepoint names are quoted.
    fn transaction_sql(&self, op: TransactionOp<'_>) -> String {
        let (keyword, name) = match op {
            TransactionOp::Begin => return "BEGIN".to_owned(),
            TransactionOp::Commit => return "COMMIT".to_owned(),
            TransactionOp::Rollback => return "ROLLBACK".to_owned(),
            TransactionOp::Savepoint(n) => ("SAVEPOINT ", n),
            TransactionOp::ReleaseSavepoint(n) => ("RELEASE SAVEPOINT ", n),
            TransactionOp::RollbackToSavepoint(n) => ("ROLLBACK TO SAVEPOINT ", n),
        };
        let mut sql = keyword.to_owned();
        self.write_identifier(&mut sql, name);
        sql
    }
}
