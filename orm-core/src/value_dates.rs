//! Dates and times as values, from `chrono` (the default feature) or the `time`
//! crate (feature `time`). With both, each reads the other's values: rows decode into
//! one of them (chrono's when it is on), whichever type the model uses.

#[cfg(all(feature = "chrono", feature = "time"))]
use crate::error::Error;
use crate::error::Result;
use crate::expr::{Expr, Operand};
use crate::value::{mismatch, FromValue, ToValue, Value};

/// `ToValue`, `From<T> for Value`, `Operand<T>` and `FromValue` (own variant, or
/// the other crate's through `$convert`) for one date or time type.
macro_rules! date_value {
    ($ty:ty, $variant:ident, $name:literal, $($other:ident => $convert:path),*) => {
        impl ToValue for $ty {
            fn to_value(&self) -> Value {
                Value::$variant(*self)
            }
        }
        impl From<$ty> for Value {
            fn from(v: $ty) -> Value {
                Value::$variant(v)
            }
        }
        impl Operand<$ty> for $ty {
            fn into_expr(self) -> Expr {
                Expr::Value(Value::$variant(self))
            }
        }
        impl Operand<$ty> for &$ty {
            fn into_expr(self) -> Expr {
                Expr::Value(Value::$variant(*self))
            }
        }
        impl FromValue for $ty {
            fn from_value(value: Value) -> Result<Self> {
                match value {
                    Value::$variant(v) => Ok(v),
                    $(Value::$other(v) => $convert(v),)*
                    other => mismatch($name, &other),
                }
            }
        }
    };
}

#[cfg(all(feature = "chrono", not(feature = "time")))]
mod chrono_only {
    use super::*;
    use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

    date_value!(NaiveDateTime, Timestamp, "NaiveDateTime",);
    date_value!(DateTime<Utc>, TimestampTz, "DateTime<Utc>",);
    date_value!(NaiveDate, Date, "NaiveDate",);
    date_value!(NaiveTime, Time, "NaiveTime",);
}

#[cfg(all(feature = "time", not(feature = "chrono")))]
mod time_only {
    use super::*;

    date_value!(
        time::PrimitiveDateTime,
        TimeTimestamp,
        "time::PrimitiveDateTime",
    );
    date_value!(
        time::OffsetDateTime,
        TimeTimestampTz,
        "time::OffsetDateTime",
    );
    date_value!(time::Date, TimeDate, "time::Date",);
    date_value!(time::Time, TimeTime, "time::Time",);
}

/// Both crates: each type also reads the other crate's variant.
#[cfg(all(feature = "chrono", feature = "time"))]
mod both {
    use super::*;
    use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

    /// The Julian day number of 0001-01-01, chrono's day 1 from the common era.
    const JULIAN_CE: i32 = 1_721_425;

    fn out_of_range(what: impl std::fmt::Display) -> Error {
        Error::Conversion(format!("{what} is out of the target type's range"))
    }

    fn date_to_time(d: NaiveDate) -> Result<time::Date> {
        time::Date::from_julian_day(d.num_days_from_ce() + JULIAN_CE).map_err(|_| out_of_range(d))
    }

    fn date_from_time(d: time::Date) -> Result<NaiveDate> {
        NaiveDate::from_num_days_from_ce_opt(d.to_julian_day() - JULIAN_CE)
            .ok_or_else(|| out_of_range(d))
    }

    fn time_to_time(t: NaiveTime) -> Result<time::Time> {
        let (h, m, s) = (t.hour() as u8, t.minute() as u8, t.second() as u8);
        time::Time::from_hms_nano(h, m, s, t.nanosecond()).map_err(|_| out_of_range(t))
    }

    fn time_from_time(t: time::Time) -> Result<NaiveTime> {
        let (h, m, s, n) = t.as_hms_nano();
        NaiveTime::from_hms_nano_opt(h.into(), m.into(), s.into(), n).ok_or_else(|| out_of_range(t))
    }

    fn timestamp_to_time(t: NaiveDateTime) -> Result<time::PrimitiveDateTime> {
        Ok(time::PrimitiveDateTime::new(
            date_to_time(t.date())?,
            time_to_time(t.time())?,
        ))
    }

    fn timestamp_from_time(t: time::PrimitiveDateTime) -> Result<NaiveDateTime> {
        Ok(date_from_time(t.date())?.and_time(time_from_time(t.time())?))
    }

    fn timestamptz_to_time(t: DateTime<Utc>) -> Result<time::OffsetDateTime> {
        Ok(timestamp_to_time(t.naive_utc())?.assume_utc())
    }

    fn timestamptz_from_time(t: time::OffsetDateTime) -> Result<DateTime<Utc>> {
        let utc = t.to_offset(time::UtcOffset::UTC);
        Ok(timestamp_from_time(time::PrimitiveDateTime::new(utc.date(), utc.time()))?.and_utc())
    }

    date_value!(NaiveDateTime, Timestamp, "NaiveDateTime", TimeTimestamp => timestamp_from_time);
    date_value!(DateTime<Utc>, TimestampTz, "DateTime<Utc>", TimeTimestampTz => timestamptz_from_time);
    date_value!(NaiveDate, Date, "NaiveDate", TimeDate => date_from_time);
    date_value!(NaiveTime, Time, "NaiveTime", TimeTime => time_from_time);
    date_value!(time::PrimitiveDateTime, TimeTimestamp, "time::PrimitiveDateTime", Timestamp => timestamp_to_time);
    date_value!(time::OffsetDateTime, TimeTimestampTz, "time::OffsetDateTime", TimestampTz => timestamptz_to_time);
    date_value!(time::Date, TimeDate, "time::Date", Date => date_to_time);
    date_value!(time::Time, TimeTime, "time::Time", Time => time_to_time);

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn each_crate_reads_the_others_values() {
            let at = NaiveDate::from_ymd_opt(-44, 3, 15)
                .unwrap()
                .and_hms_nano_opt(12, 30, 1, 123_456_789)
                .unwrap();
            let t = time::PrimitiveDateTime::from_value(Value::Timestamp(at)).unwrap();
            assert_eq!(t.to_string(), "-0044-03-15 12:30:01.123456789");
            assert_eq!(
                NaiveDateTime::from_value(Value::TimeTimestamp(t)).unwrap(),
                at
            );
            let utc = at.and_utc();
            let odt = time::OffsetDateTime::from_value(Value::TimestampTz(utc)).unwrap();
            let shifted = odt.to_offset(time::UtcOffset::from_hms(5, 30, 0).unwrap());
            assert_eq!(
                DateTime::<Utc>::from_value(Value::TimeTimestampTz(shifted)).unwrap(),
                utc
            );
        }
    }
}
