//! [`TextParam`]: a [`Value`] sent in PostgreSQL's text format with no declared type,
//! so that a statement runs in one round trip without being prepared first (the
//! unnamed statement), as libpq's `PQexecParams` does. The server infers each
//! parameter's type from the statement and parses the text with that type's input
//! function. Used when `statement_cache_capacity=0` (PgBouncer in transaction mode).

use bytes::{BufMut, BytesMut};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use orm_core::Value;
use postgres::types::{Format, IsNull, ToSql, Type};
use std::fmt::Write;

type BoxError = Box<dyn std::error::Error + Sync + Send>;

/// A value bound as text, for a parameter declared `unknown`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TextParam<'a>(pub(crate) &'a Value);

/// A float as PostgreSQL reads it: shortest round-trip digits, or its words for the
/// special values.
fn float_text<F: std::fmt::LowerExp>(
    v: F,
    finite: bool,
    positive: bool,
    nan: bool,
    out: &mut String,
) {
    if nan {
        out.push_str("NaN");
    } else if !finite {
        out.push_str(if positive { "Infinity" } else { "-Infinity" });
    } else {
        let _ = write!(out, "{v:e}");
    }
}

/// ISO dates; years before 1 as PostgreSQL's `BC` form.
fn date_text(d: NaiveDate, out: &mut String) {
    if d.year() > 0 {
        let _ = write!(out, "{}", d.format("%Y-%m-%d"));
    } else {
        let _ = write!(out, "{:04}-{} BC", 1 - d.year(), d.format("%m-%d"));
    }
}

fn timestamp_text(t: NaiveDateTime, out: &mut String) {
    date_text(t.date(), out);
    let _ = write!(out, " {}", t.time().format("%H:%M:%S%.f"));
    if t.date().year() <= 0 {
        // "BC" must close the literal: move it after the time.
        if let Some(pos) = out.find(" BC") {
            out.replace_range(pos..pos + 3, "");
            out.push_str(" BC");
        }
    }
}

/// The text form of `v` (never called for NULL).
fn text(v: &Value) -> String {
    let mut s = String::new();
    match v {
        Value::Null => {}
        Value::Bool(b) => s.push_str(if *b { "t" } else { "f" }),
        Value::SmallInt(i) => s = i.to_string(),
        Value::Int(i) => s = i.to_string(),
        Value::BigInt(i) => s = i.to_string(),
        Value::Real(f) => float_text(*f, f.is_finite(), *f > 0.0, f.is_nan(), &mut s),
        Value::Double(f) => float_text(*f, f.is_finite(), *f > 0.0, f.is_nan(), &mut s),
        Value::Numeric(d) => s = d.to_string(),
        Value::Text(t) => s.push_str(t),
        Value::Bytes(b) => {
            s.push_str("\\x");
            for byte in b {
                let _ = write!(s, "{byte:02x}");
            }
        }
        Value::Timestamp(t) => timestamp_text(*t, &mut s),
        Value::TimestampTz(t) => {
            timestamp_text(t.naive_utc(), &mut s);
            s.push_str("+00");
        }
        Value::Date(d) => date_text(*d, &mut s),
        Value::Time(t) => s = t.format("%H:%M:%S%.f").to_string(),
        Value::Uuid(u) => s = u.hyphenated().to_string(),
        Value::Json(j) => s = j.to_string(),
    }
    s
}

impl ToSql for TextParam<'_> {
    fn to_sql(&self, _ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        if self.0.is_null() {
            return Ok(IsNull::Yes);
        }
        out.put_slice(text(self.0).as_bytes());
        Ok(IsNull::No)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    fn encode_format(&self, _ty: &Type) -> Format {
        Format::Text
    }

    fn to_sql_checked(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        self.to_sql(ty, out)
    }
}

/// Every parameter as text, declared `unknown` so the server infers its type.
pub(crate) fn text_params(params: &[Value]) -> impl Iterator<Item = (TextParam<'_>, Type)> {
    params.iter().map(|v| (TextParam(v), Type::UNKNOWN))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_postgres_reads_back() {
        assert_eq!(text(&Value::Double(0.1)), "1e-1");
        assert_eq!(text(&Value::Double(-0.0)), "-0e0");
        assert_eq!(text(&Value::Double(f64::NEG_INFINITY)), "-Infinity");
        assert_eq!(text(&Value::Bytes(vec![0, 255])), "\\x00ff");
        let d = NaiveDate::from_ymd_opt(-43, 3, 15).unwrap();
        assert_eq!(text(&Value::Date(d)), "0044-03-15 BC");
        let t = d.and_hms_micro_opt(12, 0, 1, 5).unwrap();
        assert_eq!(text(&Value::Timestamp(t)), "0044-03-15 12:00:01.000005 BC");
    }
}
