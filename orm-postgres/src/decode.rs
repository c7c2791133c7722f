//! Result rows read back into [`Value`]s: a [`Decoder`] per column, chosen once per
//! result set, then every row decoded into a reused buffer.

use crate::decode_types as wire;
use orm_core::{Error, Result, Row, Value};
use postgres::types::{FromSql, Kind, Type};

type BoxError = Box<dyn std::error::Error + Sync + Send>;

/// How one result column is read into a [`Value`], chosen once per result set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decoder {
    Bool,
    Int2,
    Int4,
    Int8,
    Oid,
    Float4,
    Float8,
    Numeric,
    Text,
    EnumLabel,
    Bytes,
    Timestamp,
    TimestampTz,
    Date,
    Time,
    Uuid,
    Json,
    Void,
    /// A one-dimensional array of any type above; elements read by [`Element`].
    Array,
}

fn decoder(column: &postgres::Column) -> Result<Decoder> {
    let ty = column.type_();
    scalar_decoder(ty)
        .or_else(|| match ty.kind() {
            Kind::Array(element) if scalar_decoder(element).is_some() => Some(Decoder::Array),
            _ => None,
        })
        .ok_or_else(|| {
            Error::Conversion(format!(
                "column `{}` has type `{ty}`, which has no Value mapping; cast it in the query (e.g. `{}::text`)",
                column.name(),
                column.name()
            ))
        })
}

/// The decoder of a type that is not an array.
fn scalar_decoder(ty: &Type) -> Option<Decoder> {
    Some(match *ty {
        Type::BOOL => Decoder::Bool,
        Type::INT2 => Decoder::Int2,
        Type::INT4 => Decoder::Int4,
        Type::INT8 => Decoder::Int8,
        Type::OID => Decoder::Oid,
        Type::FLOAT4 => Decoder::Float4,
        Type::FLOAT8 => Decoder::Float8,
        Type::NUMERIC => Decoder::Numeric,
        Type::BYTEA => Decoder::Bytes,
        Type::TIMESTAMP => Decoder::Timestamp,
        Type::TIMESTAMPTZ => Decoder::TimestampTz,
        Type::DATE => Decoder::Date,
        Type::TIME => Decoder::Time,
        Type::UUID => Decoder::Uuid,
        Type::JSON | Type::JSONB => Decoder::Json,
        Type::VOID => Decoder::Void,
        _ if <String as FromSql>::accepts(ty) => Decoder::Text,
        _ if matches!(ty.kind(), Kind::Enum(_)) => Decoder::EnumLabel,
        _ => return None,
    })
}

/// The decoders for a result set's columns; an unsupported column type is an
/// [`Error::Conversion`] naming the column and the type.
pub(crate) fn decoders(columns: &[postgres::Column]) -> Result<Vec<Decoder>> {
    columns.iter().map(decoder).collect()
}

/// An enum's label, which travels as plain text.
struct Label(String);

impl<'a> FromSql<'a> for Label {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Label(std::str::from_utf8(raw)?.to_owned()))
    }

    fn accepts(ty: &Type) -> bool {
        matches!(ty.kind(), Kind::Enum(_))
    }
}

/// One array element, decoded by the element type's decoder (a NULL element is
/// `Value::Null` through `Option<Element>`).
struct Element(Value);

impl<'a> FromSql<'a> for Element {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        let d = scalar_decoder(ty).ok_or_else(|| format!("no Value mapping for `{ty}`"))?;
        raw_value(d, ty, raw).map(Element)
    }

    fn accepts(ty: &Type) -> bool {
        scalar_decoder(ty).is_some()
    }
}

/// A non-NULL value of type `ty` from its binary form.
fn raw_value(d: Decoder, ty: &Type, raw: &[u8]) -> Result<Value, BoxError> {
    fn of<'a, T: FromSql<'a>>(
        ty: &Type,
        raw: &'a [u8],
        wrap: impl FnOnce(T) -> Value,
    ) -> Result<Value, BoxError> {
        T::from_sql(ty, raw).map(wrap)
    }
    match d {
        Decoder::Bool => of(ty, raw, Value::Bool),
        Decoder::Int2 => of(ty, raw, Value::SmallInt),
        Decoder::Int4 => of(ty, raw, Value::Int),
        Decoder::Int8 => of(ty, raw, Value::BigInt),
        Decoder::Oid => of(ty, raw, |v: u32| Value::BigInt(v.into())),
        Decoder::Float4 => of(ty, raw, Value::Real),
        Decoder::Float8 => of(ty, raw, Value::Double),
        Decoder::Numeric => of(ty, raw, wire::NUMERIC),
        Decoder::Text => of(ty, raw, Value::Text),
        Decoder::EnumLabel => of(ty, raw, |l: Label| Value::Text(l.0)),
        Decoder::Bytes => of(ty, raw, Value::Bytes),
        Decoder::Timestamp => of::<wire::Timestamp>(ty, raw, wire::TIMESTAMP),
        Decoder::TimestampTz => of::<wire::TimestampTz>(ty, raw, wire::TIMESTAMPTZ),
        Decoder::Date => of::<wire::Date>(ty, raw, wire::DATE),
        Decoder::Time => of::<wire::Time>(ty, raw, wire::TIME),
        Decoder::Uuid => of::<wire::Uuid>(ty, raw, wire::UUID),
        Decoder::Json => of::<wire::Json>(ty, raw, wire::JSON),
        Decoder::Void => Ok(Value::Null),
        Decoder::Array => Err("arrays of arrays have no Value mapping".into()),
    }
}

/// An array of one dimension (an empty array included); more dimensions are refused
/// by the driver's `Vec` decoding.
fn array_value(items: Vec<Option<Element>>) -> Value {
    Value::Array(
        items
            .into_iter()
            .map(|e| e.map_or(Value::Null, |e| e.0))
            .collect(),
    )
}

fn get<'a, T: FromSql<'a>>(
    row: &'a postgres::Row,
    i: usize,
    wrap: impl FnOnce(T) -> Value,
) -> Result<Value> {
    match row.try_get::<_, Option<T>>(i) {
        Ok(v) => Ok(v.map_or(Value::Null, wrap)),
        Err(e) => Err(Error::Conversion(format!(
            "column `{}`: {e}",
            row.columns()[i].name()
        ))),
    }
}

fn decode_value(row: &postgres::Row, i: usize, d: Decoder) -> Result<Value> {
    match d {
        Decoder::Bool => get(row, i, Value::Bool),
        Decoder::Int2 => get(row, i, Value::SmallInt),
        Decoder::Int4 => get(row, i, Value::Int),
        Decoder::Int8 => get(row, i, Value::BigInt),
        Decoder::Oid => get(row, i, |v: u32| Value::BigInt(v.into())),
        Decoder::Float4 => get(row, i, Value::Real),
        Decoder::Float8 => get(row, i, Value::Double),
        Decoder::Numeric => get(row, i, wire::NUMERIC),
        Decoder::Text => get(row, i, Value::Text),
        Decoder::EnumLabel => get(row, i, |l: Label| Value::Text(l.0)),
        Decoder::Bytes => get(row, i, Value::Bytes),
        Decoder::Timestamp => get::<wire::Timestamp>(row, i, wire::TIMESTAMP),
        Decoder::TimestampTz => get::<wire::TimestampTz>(row, i, wire::TIMESTAMPTZ),
        Decoder::Date => get::<wire::Date>(row, i, wire::DATE),
        Decoder::Time => get::<wire::Time>(row, i, wire::TIME),
        Decoder::Uuid => get::<wire::Uuid>(row, i, wire::UUID),
        Decoder::Json => get::<wire::Json>(row, i, wire::JSON),
        Decoder::Void => Ok(Value::Null),
        Decoder::Array => get(row, i, array_value),
    }
}

/// Reads every column of `row` with the result set's `decoders`.
/// Decodes `row` into `out`, reusing its buffer.
pub(crate) fn decode_row_into(
    row: &postgres::Row,
    decoders: &[Decoder],
    out: &mut Row,
) -> Result<()> {
    out.clear();
    for (i, &d) in decoders.iter().enumerate() {
        out.push(decode_value(row, i, d)?);
    }
    Ok(())
}

pub(crate) fn decode_row(row: &postgres::Row, decoders: &[Decoder]) -> Result<Row> {
    // Sized up front: collecting `Result`s would start from a zero size hint and
    // reallocate several times per row.
    let mut values = Vec::with_capacity(decoders.len());
    for (i, &d) in decoders.iter().enumerate() {
        values.push(decode_value(row, i, d)?);
    }
    Ok(Row::new(values))
}
