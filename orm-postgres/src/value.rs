//! Values on the wire: [`PgValue`] binds a [`Value`] as the parameter type the
//! server inferred; `decode.rs` reads result rows back into [`Value`]s.

#[cfg(feature = "serde_json")]
use crate::json;
use bytes::{BufMut, BytesMut};
#[cfg(any(feature = "chrono", feature = "time"))]
use orm_core::dialect::truncate_to_micros;
use orm_core::Value;
use postgres::types::{IsNull, Kind, ToSql, Type};
#[cfg(feature = "rust_decimal")]
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::fmt;

// The connection reads rows through here, as before the split.
pub(crate) use crate::decode::{decode_row, decode_row_into};

type BoxError = Box<dyn std::error::Error + Sync + Send>;

/// A [`Value`] bound as a statement parameter.
///
/// PostgreSQL infers each parameter's type from the statement; the value is
/// converted to that type here: integers narrow with a range check (an `i64` bound
/// to an `integer` column), integers and floats widen to `numeric` and
/// `double precision`, text goes to any text-like type, to `json`/`jsonb` (as the
/// document's text) and to enums. NULL binds to any type. A value that does not
/// fit the inferred type fails in `to_sql` with a message naming both types.
///
/// Values are bound so that the server stores exactly what the flush keeps in the
/// object: timestamps and times as whole microseconds (the digits after the sixth
/// dropped, in every year), JSON documents with floats that read back bit for bit
/// (`-0.0` refused for `jsonb`), and an [`Value::Array`] as an array of the inferred
/// element type (`x = ANY($1)`).
#[derive(Debug, Clone, Copy)]
pub struct PgValue<'a>(pub &'a Value);

/// Why a value could not be bound (returned through `postgres` as the cause of its
/// "error serializing parameter" error).
#[derive(Debug)]
pub(crate) struct BindError(String);

impl fmt::Display for BindError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BindError {}

fn mismatch(value: &Value, ty: &Type) -> BoxError {
    Box::new(BindError(format!(
        "cannot bind a {} value to a parameter of type {ty} (pass a matching value or cast the parameter in SQL)",
        value.kind()
    )))
}

fn out_of_range(shown: impl fmt::Display, ty: &Type) -> BoxError {
    Box::new(BindError(format!(
        "{shown} is out of range for a parameter of type {ty}"
    )))
}

/// Binds `v` as itself when its Rust type accepts `ty`.
fn exact<T: ToSql>(
    v: &T,
    original: &Value,
    ty: &Type,
    out: &mut BytesMut,
) -> Result<IsNull, BoxError> {
    if T::accepts(ty) {
        v.to_sql(ty, out)
    } else {
        Err(mismatch(original, ty))
    }
}

fn int_to_sql(v: i64, original: &Value, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    match *ty {
        Type::INT2 => i16::try_from(v)
            .map_err(|_| out_of_range(v, ty))?
            .to_sql(ty, out),
        Type::INT4 => i32::try_from(v)
            .map_err(|_| out_of_range(v, ty))?
            .to_sql(ty, out),
        Type::INT8 => v.to_sql(ty, out),
        Type::OID => u32::try_from(v)
            .map_err(|_| out_of_range(v, ty))?
            .to_sql(ty, out),
        Type::NUMERIC => Decimal::from(v).to_sql(ty, out),
        // Only integers the float represents exactly.
        Type::FLOAT4 if f64::from(v as f32) as i128 == i128::from(v) => (v as f32).to_sql(ty, out),
        Type::FLOAT8 if (v as f64) as i128 == i128::from(v) => (v as f64).to_sql(ty, out),
        Type::FLOAT4 | Type::FLOAT8 => Err(Box::new(BindError(format!(
            "{v} cannot be represented exactly by a parameter of type {ty}"
        )))),
        _ => Err(mismatch(original, ty)),
    }
}

fn float_to_sql(
    v: f64,
    original: &Value,
    ty: &Type,
    out: &mut BytesMut,
) -> Result<IsNull, BoxError> {
    match *ty {
        Type::FLOAT8 => v.to_sql(ty, out),
        Type::FLOAT4 if v.is_finite() && (v as f32).is_infinite() => Err(out_of_range(v, ty)),
        Type::FLOAT4 => (v as f32).to_sql(ty, out),
        Type::NUMERIC => {
            let d = match *original {
                // f32 -> Decimal keeps the f32's own shortest digits (0.1, not 0.1000000015).
                Value::Real(f) => Decimal::try_from(f),
                _ => Decimal::try_from(v),
            };
            d.map_err(|_| out_of_range(v, ty))?.to_sql(ty, out)
        }
        _ => Err(mismatch(original, ty)),
    }
}

#[cfg(feature = "rust_decimal")]
fn numeric_to_sql(
    d: &Decimal,
    original: &Value,
    ty: &Type,
    out: &mut BytesMut,
) -> Result<IsNull, BoxError> {
    match *ty {
        Type::NUMERIC => d.to_sql(ty, out),
        Type::FLOAT4 | Type::FLOAT8 => {
            let f = d.to_f64().ok_or_else(|| out_of_range(d, ty))?;
            float_to_sql(f, original, ty, out)
        }
        Type::INT2 | Type::INT4 | Type::INT8 | Type::OID => {
            if !d.fract().is_zero() {
                return Err(Box::new(BindError(format!(
                    "{d} has a fractional part and cannot be bound to a parameter of type {ty}"
                ))));
            }
            let i = d.to_i64().ok_or_else(|| out_of_range(d, ty))?;
            int_to_sql(i, original, ty, out)
        }
        _ => Err(mismatch(original, ty)),
    }
}

/// Text binds to text-like types, to JSON (the text is the document), to enums (the
/// text is the label) and to `uuid` (the text form, how UUIDs travel without the
/// `uuid` feature).
fn text_to_sql(
    s: &str,
    original: &Value,
    ty: &Type,
    out: &mut BytesMut,
) -> Result<IsNull, BoxError> {
    if <&str as ToSql>::accepts(ty) {
        return s.to_sql(ty, out);
    }
    match (ty, ty.kind()) {
        (&Type::JSONB, _) => {
            out.put_u8(1); // jsonb binary format version
            out.put_slice(s.as_bytes());
        }
        (&Type::JSON, _) | (_, Kind::Enum(_)) => out.put_slice(s.as_bytes()),
        (&Type::UUID, _) => {
            let bytes = crate::decode_types::uuid_bytes(s)
                .ok_or_else(|| Box::new(BindError(format!("`{s}` is not a UUID"))) as BoxError)?;
            out.put_slice(&bytes);
        }
        _ => return Err(mismatch(original, ty)),
    }
    Ok(IsNull::No)
}

#[cfg(any(feature = "chrono", feature = "time"))]
/// Timestamps and times are cut to whole microseconds first
/// ([`truncate_to_micros`]): the driver's own conversion counts microseconds from
/// 2000-01-01 toward zero, which rounds values before 2000 up and later ones down.
fn time_to_sql(original: &Value, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    let cut = truncate_to_micros(original);
    match cut.as_ref().unwrap_or(original) {
        #[cfg(feature = "chrono")]
        Value::Timestamp(v) => exact(v, original, ty, out),
        #[cfg(feature = "chrono")]
        Value::TimestampTz(v) => exact(v, original, ty, out),
        #[cfg(feature = "chrono")]
        Value::Time(v) => exact(v, original, ty, out),
        #[cfg(feature = "time")]
        Value::TimeTimestamp(v) => exact(v, original, ty, out),
        #[cfg(feature = "time")]
        Value::TimeTimestampTz(v) => exact(v, original, ty, out),
        #[cfg(feature = "time")]
        Value::TimeTime(v) => exact(v, original, ty, out),
        _ => Err(mismatch(original, ty)),
    }
}

/// A document goes to `json`/`jsonb` as text written by [`json::write_document`]
/// (floats that read back bit for bit; `-0.0` refused for `jsonb`).
#[cfg(feature = "serde_json")]
fn json_to_sql(
    doc: &serde_json::Value,
    original: &Value,
    ty: &Type,
    out: &mut BytesMut,
) -> Result<IsNull, BoxError> {
    let jsonb = match *ty {
        Type::JSONB => true,
        Type::JSON => false,
        _ => return Err(mismatch(original, ty)),
    };
    if jsonb {
        out.put_u8(1); // jsonb binary format version
    }
    json::write_document(doc, jsonb, out).map_err(|e| Box::new(BindError(e.to_string())))?;
    Ok(IsNull::No)
}

/// An array binds to an array type, each element as a value of the element type.
fn array_to_sql(
    items: &[Value],
    original: &Value,
    ty: &Type,
    out: &mut BytesMut,
) -> Result<IsNull, BoxError> {
    if !matches!(ty.kind(), Kind::Array(_)) {
        return Err(mismatch(original, ty));
    }
    let elements: Vec<PgValue<'_>> = items.iter().map(PgValue).collect();
    elements.to_sql(ty, out)
}

impl ToSql for PgValue<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        let original = self.0;
        match original {
            Value::Null => Ok(IsNull::Yes),
            Value::Bool(v) => exact(v, original, ty, out),
            Value::SmallInt(v) => int_to_sql(i64::from(*v), original, ty, out),
            Value::Int(v) => int_to_sql(i64::from(*v), original, ty, out),
            Value::BigInt(v) => int_to_sql(*v, original, ty, out),
            Value::Real(v) => float_to_sql(f64::from(*v), original, ty, out),
            Value::Double(v) => float_to_sql(*v, original, ty, out),
            #[cfg(feature = "rust_decimal")]
            Value::Numeric(v) => numeric_to_sql(v, original, ty, out),
            Value::Text(v) => text_to_sql(v, original, ty, out),
            Value::Bytes(v) => exact(&v.as_slice(), original, ty, out),
            #[cfg(feature = "chrono")]
            Value::Timestamp(_) | Value::TimestampTz(_) | Value::Time(_) => {
                time_to_sql(original, ty, out)
            }
            #[cfg(feature = "chrono")]
            Value::Date(v) => exact(v, original, ty, out),
            #[cfg(feature = "time")]
            Value::TimeTimestamp(_) | Value::TimeTimestampTz(_) | Value::TimeTime(_) => {
                time_to_sql(original, ty, out)
            }
            #[cfg(feature = "time")]
            Value::TimeDate(v) => exact(v, original, ty, out),
            #[cfg(feature = "uuid")]
            Value::Uuid(v) => exact(v, original, ty, out),
            #[cfg(feature = "serde_json")]
            Value::Json(v) => json_to_sql(v, original, ty, out),
            Value::Array(items) => array_to_sql(items, original, ty, out),
        }
    }

    /// Every type is accepted here; whether the value fits is decided by `to_sql`,
    /// which knows the value.
    fn accepts(_: &Type) -> bool {
        true
    }

    fn to_sql_checked(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        self.to_sql(ty, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bind(v: Value, ty: &Type) -> Result<Vec<u8>, String> {
        let mut out = BytesMut::new();
        match PgValue(&v).to_sql_checked(ty, &mut out) {
            Ok(IsNull::No) => Ok(out.to_vec()),
            Ok(IsNull::Yes) => Ok(b"NULL".to_vec()),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn null_binds_to_any_type() {
        for ty in [Type::INT4, Type::TEXT, Type::JSONB, Type::UUID, Type::BYTEA] {
            assert_eq!(bind(Value::Null, &ty).unwrap(), b"NULL");
        }
    }

    #[test]
    fn integers_narrow_with_a_range_check() {
        assert_eq!(
            bind(Value::BigInt(7), &Type::INT4).unwrap(),
            7i32.to_be_bytes()
        );
        assert_eq!(
            bind(Value::Int(-2), &Type::INT2).unwrap(),
            (-2i16).to_be_bytes()
        );
        assert_eq!(
            bind(Value::SmallInt(5), &Type::INT8).unwrap(),
            5i64.to_be_bytes()
        );
        let err = bind(Value::BigInt(1 << 40), &Type::INT4).unwrap_err();
        assert_eq!(
            err,
            "1099511627776 is out of range for a parameter of type int4"
        );
        assert!(bind(Value::Int(70_000), &Type::INT2).is_err());
        assert!(bind(Value::Int(-1), &Type::OID).is_err());
    }

    #[test]
    fn integers_widen_to_numeric_and_exact_floats() {
        assert!(bind(Value::Int(3), &Type::NUMERIC).is_ok());
        assert_eq!(
            bind(Value::Int(3), &Type::FLOAT8).unwrap(),
            3f64.to_be_bytes()
        );
        assert!(bind(Value::BigInt(i64::MAX), &Type::FLOAT8).is_err());
        assert!(bind(Value::BigInt((1 << 24) + 1), &Type::FLOAT4).is_err());
    }

    #[test]
    #[cfg(feature = "rust_decimal")]
    fn floats_and_decimals() {
        assert_eq!(
            bind(Value::Real(1.5), &Type::FLOAT8).unwrap(),
            1.5f64.to_be_bytes()
        );
        assert_eq!(
            bind(Value::Double(1.5), &Type::FLOAT4).unwrap(),
            1.5f32.to_be_bytes()
        );
        assert!(bind(Value::Double(1e300), &Type::FLOAT4).is_err());
        assert!(bind(Value::Double(f64::NAN), &Type::NUMERIC).is_err());
        let d = Decimal::new(1250, 2);
        assert!(bind(Value::Numeric(d), &Type::NUMERIC).is_ok());
        assert!(bind(Value::Numeric(d), &Type::INT4)
            .unwrap_err()
            .contains("fractional"));
        assert_eq!(
            bind(Value::Numeric(Decimal::new(1200, 2)), &Type::INT4).unwrap(),
            12i32.to_be_bytes()
        );
    }

    #[test]
    fn text_to_text_json_and_mismatches() {
        for ty in [
            Type::TEXT,
            Type::VARCHAR,
            Type::BPCHAR,
            Type::NAME,
            Type::JSON,
        ] {
            assert_eq!(bind(Value::from("{}"), &ty).unwrap(), b"{}");
        }
        assert_eq!(bind(Value::from("{}"), &Type::JSONB).unwrap(), b"\x01{}");
        let err = bind(Value::from("5"), &Type::INT4).unwrap_err();
        assert!(
            err.starts_with("cannot bind a String value to a parameter of type int4"),
            "{err}"
        );
        assert!(bind(Value::Int(5), &Type::TEXT).is_err());
    }

    #[test]
    fn arrays_bind_to_array_types_element_by_element() {
        let list = Value::Array(vec![Value::BigInt(7), Value::Null]);
        let bytes = bind(list.clone(), &Type::INT4_ARRAY).unwrap();
        // One dimension, with a NULL, of int4 (oid 23): two elements from index 1.
        let header: Vec<u8> = [1i32, 1, 23, 2, 1]
            .iter()
            .flat_map(|v| v.to_be_bytes())
            .collect();
        assert_eq!(bytes[..20], header[..]);
        assert_eq!(bytes[20..], [0, 0, 0, 4, 0, 0, 0, 7, 255, 255, 255, 255]);
        assert!(bind(list, &Type::INT4).is_err());
        let too_big = Value::Array(vec![Value::BigInt(1 << 40)]);
        assert!(bind(too_big, &Type::INT4_ARRAY)
            .unwrap_err()
            .contains("out of range"));
    }

    #[test]
    #[cfg(feature = "chrono")]
    fn timestamps_bind_as_whole_microseconds_in_every_year() {
        // Half a microsecond before 2000: the driver alone rounds it up to 2000-01-01.
        let ts = chrono::NaiveDate::from_ymd_opt(1999, 12, 31)
            .unwrap()
            .and_hms_nano_opt(23, 59, 59, 999_999_500)
            .unwrap();
        assert_eq!(
            bind(Value::Timestamp(ts), &Type::TIMESTAMP).unwrap(),
            (-1i64).to_be_bytes()
        );
        assert_eq!(
            bind(Value::TimestampTz(ts.and_utc()), &Type::TIMESTAMPTZ).unwrap(),
            (-1i64).to_be_bytes()
        );
        assert_eq!(
            bind(Value::Time(ts.time()), &Type::TIME).unwrap(),
            86_399_999_999i64.to_be_bytes()
        );
    }

    #[test]
    #[cfg(feature = "serde_json")]
    fn json_documents_keep_their_floats() {
        let doc = serde_json::json!({"a": 1e16});
        assert_eq!(
            bind(Value::Json(doc.clone()), &Type::JSONB).unwrap(),
            b"\x01{\"a\":10000000000000000.0}"
        );
        assert_eq!(
            bind(Value::Json(doc), &Type::JSON).unwrap(),
            b"{\"a\":10000000000000000.0}"
        );
        let zero = Value::Json(serde_json::json!([-0.0]));
        assert!(bind(zero.clone(), &Type::JSONB)
            .unwrap_err()
            .contains("negative zero"));
        assert_eq!(bind(zero, &Type::JSON).unwrap(), b"[-0.0]");
    }

    #[test]
    #[cfg(all(feature = "chrono", feature = "uuid", feature = "serde_json"))]
    fn typed_values_need_their_own_type() {
        let ts = chrono::NaiveDate::from_ymd_opt(2024, 1, 2)
            .unwrap()
            .and_hms_opt(3, 4, 5)
            .unwrap();
        assert!(bind(Value::Timestamp(ts), &Type::TIMESTAMP).is_ok());
        assert!(bind(Value::Timestamp(ts), &Type::TIMESTAMPTZ).is_err());
        assert!(bind(Value::Bool(true), &Type::INT4).is_err());
        assert!(bind(Value::Bytes(vec![1]), &Type::BYTEA).is_ok());
        assert!(bind(Value::Json(serde_json::json!([1])), &Type::JSONB).is_ok());
        assert!(bind(Value::Uuid(uuid::Uuid::nil()), &Type::TEXT).is_err());
    }
}
