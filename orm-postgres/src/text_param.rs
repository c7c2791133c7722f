//! [`TextParam`]: a [`Value`] sent in PostgreSQL's text format with no declared type,
//! so that a statement runs in one round trip without being prepared first (the
//! unnamed statement), as libpq's `PQexecParams` does. The server infers each
//! parameter's type from the statement and parses the text with that type's input
//! function. Used when `statement_cache_capacity=0` (PgBouncer in transaction mode).

#[cfg(feature = "serde_json")]
use crate::json;
use bytes::{BufMut, BytesMut};
#[cfg(feature = "chrono")]
use chrono::{Datelike, Timelike};
#[cfg(any(feature = "chrono", feature = "time"))]
use orm_core::dialect::truncate_to_micros;
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

/// ISO dates; years before 1 as PostgreSQL's `BC` form (`0044-03-15 BC`).
#[cfg(any(feature = "chrono", feature = "time"))]
fn date_text(year: i32, month: u32, day: u32, out: &mut String) {
    if year > 0 {
        let _ = write!(out, "{year:04}-{month:02}-{day:02}");
    } else {
        let _ = write!(out, "{:04}-{month:02}-{day:02} BC", 1 - year);
    }
}

/// `HH:MM:SS[.ffffff]` (the value is already whole microseconds).
#[cfg(any(feature = "chrono", feature = "time"))]
fn time_text(hms: (u32, u32, u32), nanos: u32, out: &mut String) {
    let _ = write!(out, "{:02}:{:02}:{:02}", hms.0, hms.1, hms.2);
    if nanos != 0 {
        let _ = write!(out, ".{:06}", nanos / 1000);
    }
}

/// A date and a time; "BC" must close the literal, after the time.
#[cfg(any(feature = "chrono", feature = "time"))]
fn timestamp_text(ymd: (i32, u32, u32), hms: (u32, u32, u32), nanos: u32, out: &mut String) {
    date_text(ymd.0, ymd.1, ymd.2, out);
    let bc = out.ends_with(" BC");
    if bc {
        out.truncate(out.len() - 3);
    }
    out.push(' ');
    time_text(hms, nanos, out);
    if bc {
        out.push_str(" BC");
    }
}

#[cfg(feature = "chrono")]
fn chrono_ymd(d: chrono::NaiveDate) -> (i32, u32, u32) {
    (d.year(), d.month(), d.day())
}

#[cfg(feature = "chrono")]
fn chrono_hms(t: chrono::NaiveTime) -> (u32, u32, u32) {
    (t.hour(), t.minute(), t.second())
}

#[cfg(feature = "time")]
fn time_ymd(d: time::Date) -> (i32, u32, u32) {
    (d.year(), u8::from(d.month()).into(), d.day().into())
}

#[cfg(feature = "time")]
fn time_hms(t: time::Time) -> (u32, u32, u32) {
    (t.hour().into(), t.minute().into(), t.second().into())
}

/// The text form of `v` (never called for NULL). Timestamps and times are cut to
/// whole microseconds first, as in binary binding (PostgreSQL's text input would
/// round them instead); JSON documents are written as in binary binding.
fn text(v: &Value, ty: &Type) -> Result<String, BoxError> {
    #[cfg(any(feature = "chrono", feature = "time"))]
    if let Some(cut) = truncate_to_micros(v) {
        return text(&cut, ty);
    }
    let mut s = String::new();
    match v {
        Value::Null => {}
        Value::Bool(b) => s.push_str(if *b { "t" } else { "f" }),
        Value::SmallInt(i) => s = i.to_string(),
        Value::Int(i) => s = i.to_string(),
        Value::BigInt(i) => s = i.to_string(),
        Value::Real(f) => float_text(*f, f.is_finite(), *f > 0.0, f.is_nan(), &mut s),
        Value::Double(f) => float_text(*f, f.is_finite(), *f > 0.0, f.is_nan(), &mut s),
        #[cfg(feature = "rust_decimal")]
        Value::Numeric(d) => s = d.to_string(),
        Value::Text(t) => s.push_str(t),
        Value::Bytes(b) => {
            s.push_str("\\x");
            for byte in b {
                let _ = write!(s, "{byte:02x}");
            }
        }
        #[cfg(feature = "chrono")]
        Value::Timestamp(t) => timestamp_text(
            chrono_ymd(t.date()),
            chrono_hms(t.time()),
            t.nanosecond(),
            &mut s,
        ),
        #[cfg(feature = "chrono")]
        Value::TimestampTz(t) => {
            let t = t.naive_utc();
            timestamp_text(
                chrono_ymd(t.date()),
                chrono_hms(t.time()),
                t.nanosecond(),
                &mut s,
            );
            s.push_str("+00");
        }
        #[cfg(feature = "chrono")]
        Value::Date(d) => {
            let (y, m, d) = chrono_ymd(*d);
            date_text(y, m, d, &mut s);
        }
        #[cfg(feature = "chrono")]
        Value::Time(t) => time_text(chrono_hms(*t), t.nanosecond(), &mut s),
        #[cfg(feature = "time")]
        Value::TimeTimestamp(t) => timestamp_text(
            time_ymd(t.date()),
            time_hms(t.time()),
            t.nanosecond(),
            &mut s,
        ),
        #[cfg(feature = "time")]
        Value::TimeTimestampTz(t) => {
            let t = t.to_offset(time::UtcOffset::UTC);
            timestamp_text(
                time_ymd(t.date()),
                time_hms(t.time()),
                t.nanosecond(),
                &mut s,
            );
            s.push_str("+00");
        }
        #[cfg(feature = "time")]
        Value::TimeDate(d) => {
            let (y, m, d) = time_ymd(*d);
            date_text(y, m, d, &mut s);
        }
        #[cfg(feature = "time")]
        Value::TimeTime(t) => time_text(time_hms(*t), t.nanosecond(), &mut s),
        #[cfg(feature = "uuid")]
        Value::Uuid(u) => s = u.hyphenated().to_string(),
        #[cfg(feature = "serde_json")]
        Value::Json(j) => s = json_text(j, ty)?,
        Value::Array(items) => array_text(items, ty, &mut s)?,
    }
    Ok(s)
}

/// A JSON document as binary binding writes it; `-0.0` is refused unless the
/// parameter is known to be `json` (the type is `unknown` when not yet inferred).
#[cfg(feature = "serde_json")]
fn json_text(doc: &serde_json::Value, ty: &Type) -> Result<String, BoxError> {
    let mut out = BytesMut::new();
    json::write_document(doc, *ty != Type::JSON, &mut out)?;
    Ok(String::from_utf8(out.to_vec())?)
}

/// An array literal, `{"a","b",NULL}`: every element quoted, `"` and `\` escaped.
fn array_text(items: &[Value], ty: &Type, out: &mut String) -> Result<(), BoxError> {
    out.push('{');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if item.is_null() {
            out.push_str("NULL");
            continue;
        }
        out.push('"');
        for c in text(item, ty)?.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    }
    out.push('}');
    Ok(())
}

impl ToSql for TextParam<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        if self.0.is_null() {
            return Ok(IsNull::Yes);
        }
        out.put_slice(text(self.0, ty)?.as_bytes());
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

    #[cfg(any(feature = "chrono", feature = "time"))]
    fn t(v: &Value) -> String {
        text(v, &Type::UNKNOWN).unwrap()
    }

    #[test]
    #[cfg(feature = "chrono")]
    fn texts_postgres_reads_back() {
        use chrono::NaiveDate;
        assert_eq!(t(&Value::Double(0.1)), "1e-1");
        assert_eq!(t(&Value::Double(-0.0)), "-0e0");
        assert_eq!(t(&Value::Double(f64::NEG_INFINITY)), "-Infinity");
        assert_eq!(t(&Value::Bytes(vec![0, 255])), "\\x00ff");
        let d = NaiveDate::from_ymd_opt(-43, 3, 15).unwrap();
        assert_eq!(t(&Value::Date(d)), "0044-03-15 BC");
        let ts = d.and_hms_micro_opt(12, 0, 1, 5).unwrap();
        assert_eq!(t(&Value::Timestamp(ts)), "0044-03-15 12:00:01.000005 BC");
    }

    #[test]
    #[cfg(all(feature = "chrono", feature = "serde_json"))]
    fn texts_follow_the_binary_rules() {
        use chrono::NaiveDate;
        let d = NaiveDate::from_ymd_opt(2024, 1, 2).unwrap();
        let ts = d.and_hms_nano_opt(3, 4, 5, 123_456_789).unwrap();
        assert_eq!(t(&Value::Timestamp(ts)), "2024-01-02 03:04:05.123456");
        let doc = serde_json::json!({"x": 1e16});
        assert_eq!(t(&Value::Json(doc)), r#"{"x":10000000000000000.0}"#);
        assert!(text(&Value::Json(serde_json::json!([-0.0])), &Type::UNKNOWN).is_err());
        let list = Value::Array(vec![
            Value::Text("a\"b\\c".into()),
            Value::Null,
            Value::Int(7),
        ]);
        assert_eq!(t(&list), r#"{"a\"b\\c",NULL,"7"}"#);
    }

    #[test]
    #[cfg(feature = "time")]
    fn time_crate_values_read_like_chrono_ones() {
        use time::macros::{date, datetime, time};
        assert_eq!(
            t(&Value::TimeTimestamp(
                datetime!(2024-01-02 03:04:05.123456789)
            )),
            "2024-01-02 03:04:05.123456"
        );
        assert_eq!(
            t(&Value::TimeTimestampTz(
                datetime!(2024-01-02 03:04:05 +02:00)
            )),
            "2024-01-02 01:04:05+00"
        );
        assert_eq!(t(&Value::TimeDate(date!(-0043 - 03 - 15))), "0044-03-15 BC");
        assert_eq!(t(&Value::TimeTime(time!(23:59:59.5))), "23:59:59.500000");
    }
}
