//! What a column stores for a value under standard SQL rules, so that the flush can
//! hold in each object exactly what its row holds.

use crate::schema::SqlType;
use crate::value::Value;
#[cfg(feature = "chrono")]
use chrono::{SubsecRound, Timelike};
#[cfg(feature = "rust_decimal")]
use rust_decimal::RoundingStrategy;

/// `value` with its digits after the sixth fractional digit of a second dropped, for a
/// timestamp or time that has any; `None` for every other value.
///
/// SQL's `TIMESTAMP` and `TIME` keep six fractional digits and chrono (like the
/// `time` crate) keeps nine. The
/// rule is the same for every year: the value moves back to the start of its
/// microsecond (chrono's `trunc_subsecs(6)`). It never leaves its second, so a time
/// never leaves its day (`23:59:59.9999999` becomes `23:59:59.999999`, where rounding
/// would give `24:00:00`, which a `NaiveTime` cannot hold).
///
/// ```
/// # #[cfg(feature = "chrono")] {
/// use chrono::NaiveDate;
/// use orm_core::{dialect::truncate_to_micros, Value};
/// let at = NaiveDate::from_ymd_opt(1969, 7, 20).unwrap().and_hms_nano_opt(20, 17, 40, 123_456_789).unwrap();
/// let cut = NaiveDate::from_ymd_opt(1969, 7, 20).unwrap().and_hms_micro_opt(20, 17, 40, 123_456).unwrap();
/// assert_eq!(truncate_to_micros(&Value::Timestamp(at)), Some(Value::Timestamp(cut)));
/// assert_eq!(truncate_to_micros(&Value::Timestamp(cut)), None);
/// # }
/// ```
pub fn truncate_to_micros(value: &Value) -> Option<Value> {
    let nanos = subsec_nanos(value)?;
    if nanos % 1000 == 0 {
        return None;
    }
    cut_to_micros(value, nanos - nanos % 1000)
}

/// The nanoseconds within the second of a timestamp or time.
fn subsec_nanos(value: &Value) -> Option<u32> {
    match value {
        #[cfg(feature = "chrono")]
        Value::Timestamp(v) => Some(v.nanosecond()),
        #[cfg(feature = "chrono")]
        Value::TimestampTz(v) => Some(v.nanosecond()),
        #[cfg(feature = "chrono")]
        Value::Time(v) => Some(v.nanosecond()),
        #[cfg(feature = "time")]
        Value::TimeTimestamp(v) => Some(v.nanosecond()),
        #[cfg(feature = "time")]
        Value::TimeTimestampTz(v) => Some(v.nanosecond()),
        #[cfg(feature = "time")]
        Value::TimeTime(v) => Some(v.nanosecond()),
        _ => None,
    }
}

/// The timestamp or time with `nanos` (whole microseconds) within its second.
fn cut_to_micros(value: &Value, nanos: u32) -> Option<Value> {
    let _ = nanos;
    match value {
        #[cfg(feature = "chrono")]
        Value::Timestamp(v) => Some(Value::Timestamp(v.trunc_subsecs(6))),
        #[cfg(feature = "chrono")]
        Value::TimestampTz(v) => Some(Value::TimestampTz(v.trunc_subsecs(6))),
        #[cfg(feature = "chrono")]
        Value::Time(v) => Some(Value::Time(v.trunc_subsecs(6))),
        #[cfg(feature = "time")]
        Value::TimeTimestamp(v) => v.replace_nanosecond(nanos).ok().map(Value::TimeTimestamp),
        #[cfg(feature = "time")]
        Value::TimeTimestampTz(v) => v.replace_nanosecond(nanos).ok().map(Value::TimeTimestampTz),
        #[cfg(feature = "time")]
        Value::TimeTime(v) => v.replace_nanosecond(nanos).ok().map(Value::TimeTime),
        _ => None,
    }
}

/// What a column of type `ty` stores for `value` under standard SQL rules, when that
/// differs from `value` (the default of
/// [`Dialect::stored_value`](super::Dialect::stored_value)):
///
/// - `TIMESTAMP`, `TIMESTAMP WITH TIME ZONE`, `TIME`: whole microseconds
///   ([`truncate_to_micros`]);
/// - `NUMERIC(p, s)`: rounded to `s` places, half away from zero, as the column rounds
///   on assignment, and written with exactly `s` places, as the column returns it.
///
/// A type spelled by the user (`SqlType::Custom`) is taken as storing values as they are.
///
/// ```
/// use orm_core::{dialect::standard_stored_value, SqlType, Value};
/// assert_eq!(standard_stored_value(&Value::Int(3), &SqlType::Integer), Ok(None));
/// # #[cfg(feature = "rust_decimal")] {
/// use rust_decimal::Decimal;
/// let ty = SqlType::Numeric(Some((10, 2)));
/// let stored = standard_stored_value(&Value::Numeric(Decimal::new(1005, 3)), &ty);
/// assert_eq!(stored, Ok(Some(Value::Numeric(Decimal::new(101, 2)))));
/// # }
/// ```
pub fn standard_stored_value(value: &Value, ty: &SqlType) -> Result<Option<Value>, String> {
    Ok(match (ty, value) {
        (SqlType::Timestamp | SqlType::TimestampTz | SqlType::Time, _) => truncate_to_micros(value),
        #[cfg(feature = "rust_decimal")]
        (SqlType::Numeric(Some((_, scale))), Value::Numeric(d)) if d.scale() != *scale => {
            let mut rounded =
                d.round_dp_with_strategy(*scale, RoundingStrategy::MidpointAwayFromZero);
            rounded.rescale(*scale);
            (rounded != *d || rounded.scale() != d.scale()).then_some(Value::Numeric(rounded))
        }
        _ => None,
    })
}

#[cfg(all(test, feature = "chrono", feature = "rust_decimal"))]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};
    use rust_decimal::Decimal;

    #[test]
    fn times_never_leave_their_day() {
        let last = NaiveTime::from_hms_nano_opt(23, 59, 59, 999_999_999).unwrap();
        assert_eq!(
            truncate_to_micros(&Value::Time(last)),
            Some(Value::Time(
                NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999).unwrap()
            ))
        );
    }

    #[test]
    fn negative_years_move_back_too() {
        let date = NaiveDate::from_ymd_opt(-44, 3, 15).unwrap();
        let at = date.and_hms_nano_opt(12, 0, 0, 1_999).unwrap();
        assert_eq!(
            truncate_to_micros(&Value::Timestamp(at)),
            Some(Value::Timestamp(
                date.and_hms_micro_opt(12, 0, 0, 1).unwrap()
            ))
        );
    }

    #[test]
    fn numeric_rounds_half_away_from_zero_and_pads() {
        let ty = SqlType::Numeric(Some((10, 2)));
        let stored = |d: Decimal| match standard_stored_value(&Value::Numeric(d), &ty) {
            Ok(Some(Value::Numeric(v))) => v.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(stored(Decimal::new(-1005, 3)), "-1.01");
        assert_eq!(stored(Decimal::new(1015, 3)), "1.02");
        assert_eq!(stored(Decimal::new(7, 0)), "7.00");
        assert_eq!(
            standard_stored_value(&Value::Numeric(Decimal::new(700, 2)), &ty),
            Ok(None)
        );
    }
}
