//! [`Value`], the dynamic SQL value, and the conversions between it and Rust types.

use crate::error::{Error, Result};
#[cfg(feature = "chrono")]
use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
#[cfg(feature = "rust_decimal")]
use rust_decimal::Decimal;
#[cfg(feature = "uuid")]
use uuid::Uuid;

/// A SQL value as it travels between models, statements and backends.
///
/// NULL is untyped: the server infers a parameter's type from the statement. The
/// variants of the optional type integrations exist with their cargo feature:
/// `chrono` (the default) and `time` for dates and times, `rust_decimal`, `uuid`,
/// `serde_json`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// SQL NULL.
    #[default]
    Null,
    /// BOOLEAN.
    Bool(bool),
    /// SMALLINT.
    SmallInt(i16),
    /// INTEGER.
    Int(i32),
    /// BIGINT.
    BigInt(i64),
    /// REAL.
    Real(f32),
    /// DOUBLE PRECISION.
    Double(f64),
    /// NUMERIC.
    #[cfg(feature = "rust_decimal")]
    Numeric(Decimal),
    /// TEXT or VARCHAR.
    Text(String),
    /// BYTEA.
    Bytes(Vec<u8>),
    /// TIMESTAMP (without time zone).
    #[cfg(feature = "chrono")]
    Timestamp(NaiveDateTime),
    /// TIMESTAMPTZ.
    #[cfg(feature = "chrono")]
    TimestampTz(DateTime<Utc>),
    /// DATE.
    #[cfg(feature = "chrono")]
    Date(NaiveDate),
    /// TIME.
    #[cfg(feature = "chrono")]
    Time(NaiveTime),
    /// TIMESTAMP (without time zone), as the `time` crate holds it.
    #[cfg(feature = "time")]
    TimeTimestamp(time::PrimitiveDateTime),
    /// TIMESTAMPTZ, as the `time` crate holds it.
    #[cfg(feature = "time")]
    TimeTimestampTz(time::OffsetDateTime),
    /// DATE, as the `time` crate holds it.
    #[cfg(feature = "time")]
    TimeDate(time::Date),
    /// TIME, as the `time` crate holds it.
    #[cfg(feature = "time")]
    TimeTime(time::Time),
    /// UUID.
    #[cfg(feature = "uuid")]
    Uuid(Uuid),
    /// JSON or JSONB.
    #[cfg(feature = "serde_json")]
    Json(serde_json::Value),
    /// An array, bound as one parameter (`x = ANY($1)` for an `IN` list of values).
    /// Its elements take the array's element type, as single values do.
    Array(Vec<Value>),
}

impl Value {
    /// True for [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as an `i64`, for any integer variant.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::SmallInt(v) => Some(v.into()),
            Value::Int(v) => Some(v.into()),
            Value::BigInt(v) => Some(v),
            _ => None,
        }
    }

    /// A short name of the variant, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "NULL",
            Value::Bool(_) => "bool",
            Value::SmallInt(_) => "i16",
            Value::Int(_) => "i32",
            Value::BigInt(_) => "i64",
            Value::Real(_) => "f32",
            Value::Double(_) => "f64",
            #[cfg(feature = "rust_decimal")]
            Value::Numeric(_) => "Decimal",
            Value::Text(_) => "String",
            Value::Bytes(_) => "Vec<u8>",
            #[cfg(feature = "chrono")]
            Value::Timestamp(_) => "NaiveDateTime",
            #[cfg(feature = "chrono")]
            Value::TimestampTz(_) => "DateTime<Utc>",
            #[cfg(feature = "chrono")]
            Value::Date(_) => "NaiveDate",
            #[cfg(feature = "chrono")]
            Value::Time(_) => "NaiveTime",
            #[cfg(feature = "time")]
            Value::TimeTimestamp(_) => "time::PrimitiveDateTime",
            #[cfg(feature = "time")]
            Value::TimeTimestampTz(_) => "time::OffsetDateTime",
            #[cfg(feature = "time")]
            Value::TimeDate(_) => "time::Date",
            #[cfg(feature = "time")]
            Value::TimeTime(_) => "time::Time",
            #[cfg(feature = "uuid")]
            Value::Uuid(_) => "Uuid",
            #[cfg(feature = "serde_json")]
            Value::Json(_) => "serde_json::Value",
            Value::Array(_) => "array",
        }
    }
}

/// Converts a Rust value into a [`Value`] (by reference: models keep their data).
///
/// ```
/// use orm_core::{ToValue, Value};
/// assert_eq!("hi".to_value(), Value::Text("hi".into()));
/// assert_eq!(None::<i32>.to_value(), Value::Null);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored in a column",
    label = "not a column type",
    note = "for a fieldless enum add `#[derive(DbEnum)]`, for a newtype `#[derive(DbNewtype)]`; for any other type implement `orm_core::CustomType` (`type Repr`, `fn to_repr`, `fn from_repr`)"
)]
pub trait ToValue {
    /// The value as a [`Value`].
    fn to_value(&self) -> Value;
}

/// Converts a [`Value`] read from the database back into a Rust value.
///
/// ```
/// use orm_core::{FromValue, Value};
/// assert_eq!(i64::from_value(Value::Int(7)).unwrap(), 7);
/// assert_eq!(Option::<String>::from_value(Value::Null).unwrap(), None);
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a column",
    label = "not a column type",
    note = "for a fieldless enum add `#[derive(DbEnum)]`, for a newtype `#[derive(DbNewtype)]`; for any other type implement `orm_core::CustomType` (`type Repr`, `fn to_repr`, `fn from_repr`)"
)]
pub trait FromValue: Sized {
    /// Converts `value`, failing with [`Error::Conversion`] or [`Error::UnexpectedNull`].
    fn from_value(value: Value) -> Result<Self>;
}

pub(crate) fn mismatch<T>(expected: &str, got: &Value) -> Result<T> {
    if got.is_null() {
        return Err(Error::UnexpectedNull(format!("expected {expected}")));
    }
    Err(Error::Conversion(format!(
        "expected {expected}, got {}",
        got.kind()
    )))
}

macro_rules! simple_value {
    ($ty:ty, $variant:ident, $name:literal) => {
        impl ToValue for $ty {
            fn to_value(&self) -> Value {
                Value::$variant(self.clone())
            }
        }
        impl FromValue for $ty {
            fn from_value(value: Value) -> Result<Self> {
                match value {
                    Value::$variant(v) => Ok(v),
                    other => mismatch($name, &other),
                }
            }
        }
        impl From<$ty> for Value {
            fn from(v: $ty) -> Value {
                Value::$variant(v)
            }
        }
    };
}

simple_value!(bool, Bool, "bool");
simple_value!(f64, Double, "f64");
simple_value!(String, Text, "String");
simple_value!(Vec<u8>, Bytes, "Vec<u8>");
#[cfg(feature = "rust_decimal")]
simple_value!(Decimal, Numeric, "Decimal");
#[cfg(feature = "uuid")]
simple_value!(Uuid, Uuid, "Uuid");
#[cfg(feature = "serde_json")]
simple_value!(serde_json::Value, Json, "serde_json::Value");

macro_rules! int_value {
    ($ty:ty, $variant:ident, $name:literal) => {
        impl ToValue for $ty {
            fn to_value(&self) -> Value {
                Value::$variant(*self)
            }
        }
        impl FromValue for $ty {
            fn from_value(value: Value) -> Result<Self> {
                match value.as_i64() {
                    Some(v) => <$ty>::try_from(v)
                        .map_err(|_| Error::Conversion(format!("{v} does not fit in {}", $name))),
                    None => mismatch($name, &value),
                }
            }
        }
        impl From<$ty> for Value {
            fn from(v: $ty) -> Value {
                Value::$variant(v)
            }
        }
    };
}

int_value!(i16, SmallInt, "i16");
int_value!(i32, Int, "i32");
int_value!(i64, BigInt, "i64");

impl ToValue for f32 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}

impl FromValue for f32 {
    fn from_value(value: Value) -> Result<Self> {
        match value {
            Value::Real(v) => Ok(v),
            Value::Double(v) => Ok(v as f32),
            other => mismatch("f32", &other),
        }
    }
}

impl From<f32> for Value {
    fn from(v: f32) -> Value {
        Value::Real(v)
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_owned())
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_owned())
    }
}

impl ToValue for &str {
    fn to_value(&self) -> Value {
        Value::Text((*self).to_owned())
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: Value) -> Result<Self> {
        match value {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl FromValue for Value {
    fn from_value(value: Value) -> Result<Self> {
        Ok(value)
    }
}
