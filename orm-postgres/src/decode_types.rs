//! The Rust types result columns decode through, chosen by the type-integration
//! features: dates and times as chrono's (the default) or the `time` crate's, UUIDs
//! as `uuid::Uuid` or their text, JSON as `serde_json::Value` or its text, NUMERIC
//! as `Decimal` or (without `rust_decimal`) the nearest `f64`.

use orm_core::Value;
#[cfg(any(not(feature = "uuid"), not(feature = "serde_json")))]
use postgres::types::{FromSql, Type};

#[cfg(any(
    not(feature = "uuid"),
    not(feature = "serde_json"),
    not(any(feature = "chrono", feature = "time"))
))]
type BoxError = Box<dyn std::error::Error + Sync + Send>;

#[cfg(feature = "chrono")]
mod dates {
    use orm_core::Value;
    pub(crate) type Timestamp = chrono::NaiveDateTime;
    pub(crate) type TimestampTz = chrono::DateTime<chrono::Utc>;
    pub(crate) type Date = chrono::NaiveDate;
    pub(crate) type Time = chrono::NaiveTime;
    pub(crate) const TIMESTAMP: fn(Timestamp) -> Value = Value::Timestamp;
    pub(crate) const TIMESTAMPTZ: fn(TimestampTz) -> Value = Value::TimestampTz;
    pub(crate) const DATE: fn(Date) -> Value = Value::Date;
    pub(crate) const TIME: fn(Time) -> Value = Value::Time;
}

#[cfg(all(feature = "time", not(feature = "chrono")))]
mod dates {
    use orm_core::Value;
    pub(crate) type Timestamp = time::PrimitiveDateTime;
    pub(crate) type TimestampTz = time::OffsetDateTime;
    pub(crate) type Date = time::Date;
    pub(crate) type Time = time::Time;
    pub(crate) const TIMESTAMP: fn(Timestamp) -> Value = Value::TimeTimestamp;
    pub(crate) const TIMESTAMPTZ: fn(TimestampTz) -> Value = Value::TimeTimestampTz;
    pub(crate) const DATE: fn(Date) -> Value = Value::TimeDate;
    pub(crate) const TIME: fn(Time) -> Value = Value::TimeTime;
}

/// Neither `chrono` nor `time`: a date or time column is an error naming the fix.
#[cfg(not(any(feature = "chrono", feature = "time")))]
mod dates {
    use super::BoxError;
    use orm_core::Value;
    use postgres::types::{FromSql, Type};

    pub(crate) struct NoDates;

    impl<'a> FromSql<'a> for NoDates {
        fn from_sql(ty: &Type, _: &'a [u8]) -> Result<Self, BoxError> {
            Err(
                format!("a `{ty}` value needs the `chrono` or the `time` feature of orm-postgres")
                    .into(),
            )
        }

        fn accepts(_: &Type) -> bool {
            true
        }
    }

    pub(crate) type Timestamp = NoDates;
    pub(crate) type TimestampTz = NoDates;
    pub(crate) type Date = NoDates;
    pub(crate) type Time = NoDates;
    fn never(_: NoDates) -> Value {
        Value::Null
    }
    pub(crate) const TIMESTAMP: fn(NoDates) -> Value = never;
    pub(crate) const TIMESTAMPTZ: fn(NoDates) -> Value = never;
    pub(crate) const DATE: fn(NoDates) -> Value = never;
    pub(crate) const TIME: fn(NoDates) -> Value = never;
}

pub(crate) use dates::{Date, Time, Timestamp, TimestampTz, DATE, TIME, TIMESTAMP, TIMESTAMPTZ};

/// A UUID column's Rust type.
#[cfg(feature = "uuid")]
pub(crate) type Uuid = uuid::Uuid;
/// A UUID column's value.
#[cfg(feature = "uuid")]
pub(crate) const UUID: fn(Uuid) -> Value = Value::Uuid;

/// A UUID read as its hyphenated text, without the `uuid` feature.
#[cfg(not(feature = "uuid"))]
pub(crate) struct UuidText(String);

#[cfg(not(feature = "uuid"))]
impl<'a> FromSql<'a> for UuidText {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        let hex: Vec<String> = raw.iter().map(|b| format!("{b:02x}")).collect();
        let hex = hex.concat();
        if hex.len() != 32 {
            return Err("a uuid is 16 bytes".into());
        }
        let parts = [
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..],
        ];
        Ok(UuidText(parts.join("-")))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::UUID
    }
}

#[cfg(not(feature = "uuid"))]
pub(crate) type Uuid = UuidText;
#[cfg(not(feature = "uuid"))]
pub(crate) const UUID: fn(Uuid) -> Value = |u| Value::Text(u.0);

/// A JSON column's Rust type.
#[cfg(feature = "serde_json")]
pub(crate) type Json = serde_json::Value;
/// A JSON column's value.
#[cfg(feature = "serde_json")]
pub(crate) const JSON: fn(Json) -> Value = Value::Json;

/// A JSON document read as its text, without the `serde_json` feature.
#[cfg(not(feature = "serde_json"))]
pub(crate) struct JsonText(String);

#[cfg(not(feature = "serde_json"))]
impl<'a> FromSql<'a> for JsonText {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        let text = match (ty, raw.split_first()) {
            (&Type::JSONB, Some((1, rest))) => rest, // jsonb binary format version 1
            (&Type::JSONB, _) => return Err("unsupported jsonb format".into()),
            _ => raw,
        };
        Ok(JsonText(std::str::from_utf8(text)?.to_owned()))
    }

    fn accepts(ty: &Type) -> bool {
        matches!(*ty, Type::JSON | Type::JSONB)
    }
}

#[cfg(not(feature = "serde_json"))]
pub(crate) type Json = JsonText;
#[cfg(not(feature = "serde_json"))]
pub(crate) const JSON: fn(Json) -> Value = |j| Value::Text(j.0);

/// A NUMERIC value: a `Decimal`, or without the `rust_decimal` feature the nearest
/// `f64` (the driver reads NUMERIC through `rust_decimal` either way).
#[cfg(feature = "rust_decimal")]
pub(crate) const NUMERIC: fn(rust_decimal::Decimal) -> Value = Value::Numeric;
#[cfg(not(feature = "rust_decimal"))]
pub(crate) const NUMERIC: fn(rust_decimal::Decimal) -> Value = |d| {
    use rust_decimal::prelude::ToPrimitive;
    d.to_f64().map_or(Value::Null, Value::Double)
};

/// The 16 bytes of a UUID written as 32 hex digits, hyphens anywhere (or none).
pub(crate) fn uuid_bytes(text: &str) -> Option<[u8; 16]> {
    let digits: Vec<u8> = text
        .chars()
        .filter(|c| *c != '-')
        .map(|c| c.to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    if digits.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, pair) in digits.chunks(2).enumerate() {
        out[i] = pair[0] << 4 | pair[1];
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_text_round_trips() {
        let bytes = uuid_bytes("67e55044-10b1-426f-9247-bb680e5fe0c8").unwrap();
        assert_eq!(bytes[0], 0x67);
        assert_eq!(bytes[15], 0xc8);
        assert!(uuid_bytes("67e55044").is_none());
        assert!(uuid_bytes("zze55044-10b1-426f-9247-bb680e5fe0c8").is_none());
    }
}
