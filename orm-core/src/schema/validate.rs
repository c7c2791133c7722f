//! What a column will hold for a value, decided before any SQL is sent: a value the
//! column would refuse or silently change is refused with a typed error naming the
//! table and column, and a value the column stores differently (timestamps cut to
//! microseconds, `NUMERIC(p, s)` rounded) is returned as stored, so that the caller
//! can hold exactly that in the object.

use super::{SqlType, Table};
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::value::Value;

/// Whether values of `ty` are checked at all: `VARCHAR(n)` and the types a dialect's
/// [`stored_value`](Dialect::stored_value) may change. Other columns are not read, so
/// checking costs nothing for them.
pub(crate) fn is_checked(ty: &SqlType) -> bool {
    match ty {
        SqlType::Array(element) => is_checked(element),
        _ => matches!(
            ty,
            SqlType::Varchar(_)
                | SqlType::Timestamp
                | SqlType::TimestampTz
                | SqlType::Time
                | SqlType::Json
                | SqlType::Numeric(Some(_))
        ),
    }
}

/// The value `table.columns[column]` will hold for `value`: `Ok(None)` when it holds
/// `value` itself, `Ok(Some(stored))` when it holds `stored` instead.
///
/// Fails with [`Error::ValueTooLong`] for a string with more characters (not bytes)
/// than the column's `VARCHAR(n)` (PostgreSQL raises an error, or trims trailing
/// spaces without one), and with [`Error::UnstorableValue`] when the dialect says the
/// column cannot hold the value faithfully. An array's elements are checked one by
/// one against the element type.
pub(crate) fn stored_value(
    dialect: &dyn Dialect,
    table: &Table,
    column: usize,
    value: &Value,
) -> Result<Option<Value>> {
    let col = &table.columns[column];
    stored_as(dialect, table, column, &col.sql_type, value)
}

fn stored_as(
    dialect: &dyn Dialect,
    table: &Table,
    column: usize,
    ty: &SqlType,
    value: &Value,
) -> Result<Option<Value>> {
    match (ty, value) {
        (SqlType::Array(element), Value::Array(items)) => {
            let mut stored: Option<Vec<Value>> = None;
            for (i, item) in items.iter().enumerate() {
                if let Some(s) = stored_as(dialect, table, column, element, item)? {
                    stored.get_or_insert_with(|| items.clone())[i] = s;
                }
            }
            Ok(stored.map(Value::Array))
        }
        (SqlType::Varchar(max), Value::Text(s)) => check_length(table, column, *max, s),
        _ => dialect.stored_value(value, ty).map_err(|reason| {
            let col = &table.columns[column];
            Error::UnstorableValue {
                table: table.name.clone(),
                column: col.name.clone(),
                reason,
            }
        }),
    }
}

/// A string fits a `VARCHAR(max)` when it has at most `max` characters.
fn check_length(table: &Table, column: usize, max: u32, s: &str) -> Result<Option<Value>> {
    // A string of at most `max` bytes has at most `max` characters.
    if s.len() > max as usize {
        let len = s.chars().count();
        if len > max as usize {
            return Err(Error::ValueTooLong {
                table: table.name.clone(),
                column: table.columns[column].name.clone(),
                max,
                len,
            });
        }
    }
    Ok(None)
}

/// Checks every checked column of `rows` (models about to be written outside a flush,
/// e.g. by an upsert), storing in each what its row will hold.
pub(crate) fn check_models<M: Model>(dialect: &dyn Dialect, rows: &mut [M]) -> Result<()> {
    let table = M::table();
    for c in (0..table.columns.len()).filter(|&c| is_checked(&table.columns[c].sql_type)) {
        for row in rows.iter_mut() {
            if let Some(stored) = stored_value(dialect, table, c, &row.value(c))? {
                row.set_value(c, stored)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::GenericDialect;
    use crate::schema::Column;

    fn table() -> Table {
        Table::new(
            "codes",
            vec![
                Column::new("id", SqlType::Integer).primary_key(),
                Column::new("code", SqlType::Varchar(3)),
            ],
        )
    }

    #[test]
    fn varchar_counts_characters() {
        let t = table();
        let check = |s: &str| stored_value(&GenericDialect, &t, 1, &Value::from(s));
        assert_eq!(check("äöü").unwrap(), None, "three characters, six bytes");
        let err = check("ab  ").unwrap_err();
        assert!(
            matches!(&err, Error::ValueTooLong { table, column, max: 3, len: 4 }
                if table == "codes" && column == "code"),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "value too long for `codes.code`: 4 characters, the column holds at most 3"
        );
        assert_eq!(
            stored_value(&GenericDialect, &t, 1, &Value::Null).unwrap(),
            None
        );
    }

    #[test]
    fn array_elements_are_checked_one_by_one() {
        let t = Table::new(
            "tagged",
            vec![Column::new(
                "tags",
                SqlType::Array(Box::new(SqlType::Varchar(3))),
            )],
        );
        assert!(is_checked(&t.columns[0].sql_type));
        let tags = |v: &[&str]| Value::Array(v.iter().map(|s| Value::from(*s)).collect());
        let check = |v: Value| stored_value(&GenericDialect, &t, 0, &v);
        assert_eq!(check(tags(&["abc", "de"])).unwrap(), None);
        let err = check(tags(&["abc", "long"])).unwrap_err();
        assert!(
            matches!(err, Error::ValueTooLong { max: 3, len: 4, .. }),
            "{err:?}"
        );
        assert!(!is_checked(&SqlType::Array(Box::new(SqlType::Text))));
    }
}
