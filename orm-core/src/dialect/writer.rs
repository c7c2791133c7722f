//! [`SqlWriter`]: SQL text and its bind parameters, built together.

use super::{Compiled, Dialect};
use crate::schema::SqlType;
use crate::statement::anon::{self, AnonNames};
use crate::value::Value;

/// Accumulates SQL text and bind parameters; identifiers, placeholders and type
/// names are spelled by the dialect, so renderers never format them by hand.
///
/// ```
/// use orm_core::dialect::{GenericDialect, SqlWriter};
/// use orm_core::Value;
///
/// let mut w = SqlWriter::new(&GenericDialect);
/// w.push_sql("SELECT * FROM ");
/// w.push_identifier("odd\"name");
/// w.push_sql(" WHERE ");
/// w.push_identifier("id");
/// w.push_sql(" = ");
/// w.push_bind(Value::Int(3));
/// let c = w.finish();
/// assert_eq!(c.sql, r#"SELECT * FROM "odd""name" WHERE "id" = ?"#);
/// assert_eq!(c.params, vec![Value::Int(3)]);
/// ```
#[derive(Debug)]
pub struct SqlWriter<'d, D: Dialect + ?Sized> {
    dialect: &'d D,
    sql: String,
    params: Vec<Value>,
    anon: AnonNames,
}

impl<'d, D: Dialect + ?Sized> SqlWriter<'d, D> {
    /// An empty writer for `dialect`.
    pub fn new(dialect: &'d D) -> Self {
        SqlWriter {
            dialect,
            sql: String::with_capacity(128),
            params: Vec::new(),
            anon: AnonNames::default(),
        }
    }

    /// The dialect spelling this statement.
    pub fn dialect(&self) -> &'d D {
        self.dialect
    }

    /// Appends SQL text verbatim (keywords and punctuation only, never values).
    pub fn push_sql(&mut self, sql: &str) {
        self.sql.push_str(sql);
    }

    /// Appends `ident` quoted by the dialect. An anonymous name (an unnamed alias or
    /// subquery) is written as `<base>_<n>`, numbered within this statement.
    pub fn push_identifier(&mut self, ident: &str) {
        if anon::is_anon(ident) {
            let name = self.anon.resolve(ident);
            self.dialect.write_identifier(&mut self.sql, name);
        } else {
            self.dialect.write_identifier(&mut self.sql, ident);
        }
    }

    /// Appends `table.column`, both quoted.
    pub fn push_qualified(&mut self, table: &str, column: &str) {
        self.push_identifier(table);
        self.sql.push('.');
        self.push_identifier(column);
    }

    /// Appends a placeholder and records `value` as its bind parameter.
    pub fn push_bind(&mut self, value: Value) {
        self.params.push(value);
        self.dialect
            .write_placeholder(&mut self.sql, self.params.len());
    }

    /// Appends a placeholder cast to `ty` and records `value` as its parameter.
    pub fn push_typed_bind(&mut self, value: Value, ty: &SqlType) {
        self.params.push(value);
        self.dialect
            .write_typed_placeholder(&mut self.sql, self.params.len(), ty);
    }

    /// Appends the dialect's name for `ty`.
    pub fn push_type(&mut self, ty: &SqlType) {
        let name = self.dialect.type_name(ty);
        self.sql.push_str(&name);
    }

    /// Appends a string literal (text the crate controls, never user values).
    pub fn push_string_literal(&mut self, text: &str) {
        self.dialect.write_string_literal(&mut self.sql, text);
    }

    /// Appends `items` separated by `sep`, each written by `write`.
    pub fn push_list<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        sep: &str,
        mut write: impl FnMut(&mut Self, T),
    ) {
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(sep);
            }
            write(self, item);
        }
    }

    /// Appends `"a", "b", ...` for column names.
    pub fn push_identifier_list<S: AsRef<str>>(&mut self, names: &[S]) {
        self.push_list(names, ", ", |w, n| w.push_identifier(n.as_ref()));
    }

    /// Number of bind parameters so far.
    pub fn param_count(&self) -> usize {
        self.params.len()
    }

    /// The SQL text and parameters.
    pub fn finish(self) -> Compiled {
        Compiled {
            sql: self.sql,
            params: self.params,
        }
    }
}
