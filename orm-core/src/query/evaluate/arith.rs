//! Arithmetic and concatenation in memory, with PostgreSQL's results and errors, for
//! [`SyncStrategy::Evaluate`](crate::SyncStrategy::Evaluate).
//!
//! Both operands must have the same type, as the typed API makes them (`Col<M, i32>`
//! takes `i32` operands):
//!
//! - integers: `+ - * / %`, division truncating toward zero and the remainder taking
//!   the dividend's sign; a result out of the type's range and division by zero are
//!   errors, as in PostgreSQL;
//! - floats: `+ - * /` in the column's own precision (`REAL` in `f32`), with
//!   PostgreSQL's overflow, underflow and division-by-zero errors; there is no float `%`;
//! - decimals: `+ - * %`, exact (a result `rust_decimal` cannot hold exactly is
//!   refused); `/` is refused, because PostgreSQL picks the quotient's scale itself.
//!   The column's `NUMERIC(p, s)` rounding is applied afterwards, as for any value;
//! - text: `||`.
//!
//! NULL on either side gives NULL.

use super::refuse;
use crate::error::{Error, Result};
use crate::expr::BinaryOp;
use crate::value::Value;
#[cfg(feature = "rust_decimal")]
use rust_decimal::Decimal;

/// Float arithmetic in the type's own precision, with the checks of PostgreSQL's
/// `float.h`: an infinite result from finite operands is an overflow, a zero product
/// or quotient of non-zero operands an underflow, a zero divisor an error.
macro_rules! float_op {
    ($ty:ty, $a:expr, $op:expr, $b:expr) => {{
        let (a, b): ($ty, $ty) = ($a, $b);
        match $op {
            BinaryOp::Add => check_float(a + b, a.is_infinite() || b.is_infinite(), false),
            BinaryOp::Sub => check_float(a - b, a.is_infinite() || b.is_infinite(), false),
            BinaryOp::Mul => check_float(
                a * b,
                a.is_infinite() || b.is_infinite(),
                a != 0.0 && b != 0.0,
            ),
            BinaryOp::Div if b == 0.0 && !a.is_nan() => db_error("division by zero"),
            BinaryOp::Div => check_float(a / b, a.is_infinite(), a != 0.0 && !b.is_infinite()),
            other => refuse(format_args!(
                "the operator {other:?} on floats (PostgreSQL has no float `%`)"
            )),
        }
    }};
}

/// An error PostgreSQL would raise for the same computation.
fn db_error<T>(what: &str) -> Result<T> {
    Err(Error::InvalidRequest(format!(
        "SyncStrategy::Evaluate: {what} for a loaded row (PostgreSQL would refuse the \
         statement as well); nothing was sent"
    )))
}

/// `l op r` for an arithmetic operator or `||`.
pub(super) fn apply(l: &Value, op: BinaryOp, r: &Value) -> Result<Value> {
    use Value as V;
    if l.is_null() || r.is_null() {
        return Ok(V::Null);
    }
    Ok(match (l, r) {
        (V::SmallInt(a), V::SmallInt(b)) => V::SmallInt(int(*a, op, *b, "smallint")?),
        (V::Int(a), V::Int(b)) => V::Int(int(*a, op, *b, "integer")?),
        (V::BigInt(a), V::BigInt(b)) => V::BigInt(int(*a, op, *b, "bigint")?),
        (V::Double(a), V::Double(b)) => V::Double(float_op!(f64, *a, op, *b)?),
        (V::Real(a), V::Real(b)) => V::Real(float_op!(f32, *a, op, *b)?),
        #[cfg(feature = "rust_decimal")]
        (V::Numeric(a), V::Numeric(b)) => V::Numeric(numeric(*a, op, *b)?),
        (V::Text(a), V::Text(b)) if op == BinaryOp::Concat => V::Text(format!("{a}{b}")),
        _ => {
            return refuse(format_args!(
                "{op:?} on {} and {} (operands of different or unsupported types)",
                l.kind(),
                r.kind()
            ))
        }
    })
}

/// Integer arithmetic, computed in `i128` (where no operation of two `i64` overflows)
/// and narrowed back with PostgreSQL's range check.
fn int<T>(a: T, op: BinaryOp, b: T, type_name: &str) -> Result<T>
where
    T: Into<i128> + TryFrom<i128>,
{
    let (a, b): (i128, i128) = (a.into(), b.into());
    let v = match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div | BinaryOp::Mod if b == 0 => return db_error("division by zero"),
        // Rust's `/` and `%` truncate toward zero, as PostgreSQL's do.
        BinaryOp::Div => a / b,
        BinaryOp::Mod => a % b,
        other => return refuse(format_args!("the operator {other:?} on integers")),
    };
    T::try_from(v).or_else(|_| db_error(&format!("{type_name} out of range ({v})")))
}

/// `v`, unless it is an overflow (infinite from finite operands) or an underflow
/// (zero where `zero_is_underflow`).
fn check_float<F: Copy + PartialEq + Into<f64>>(
    v: F,
    inputs_infinite: bool,
    zero_is_underflow: bool,
) -> Result<F> {
    let f: f64 = v.into();
    if f.is_infinite() && !inputs_infinite {
        return db_error("value out of range: overflow");
    }
    if f == 0.0 && zero_is_underflow {
        return db_error("value out of range: underflow");
    }
    Ok(v)
}

/// Exact decimal arithmetic: the result must carry every digit PostgreSQL's `numeric`
/// would (`rust_decimal` rounds past 28 digits; that is refused).
#[cfg(feature = "rust_decimal")]
fn numeric(a: Decimal, op: BinaryOp, b: Decimal) -> Result<Decimal> {
    let (result, exact_scale) = match op {
        BinaryOp::Add => (a.checked_add(b), a.scale().max(b.scale())),
        BinaryOp::Sub => (a.checked_sub(b), a.scale().max(b.scale())),
        BinaryOp::Mul => (a.checked_mul(b), a.scale() + b.scale()),
        BinaryOp::Mod if b.is_zero() => return db_error("division by zero"),
        BinaryOp::Mod => (a.checked_rem(b), a.scale().max(b.scale())),
        other => {
            return refuse(format_args!(
                "the operator {other:?} on decimals (PostgreSQL chooses the scale of a \
                 numeric quotient)"
            ))
        }
    };
    match result {
        Some(v) if v.scale() == exact_scale || v.is_zero() => Ok(v),
        _ => refuse(format_args!(
            "{a} {op:?} {b} exactly (more digits than a rust_decimal::Decimal holds)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use BinaryOp::*;

    #[test]
    fn integers_truncate_toward_zero_and_check_their_range() {
        assert_eq!(
            apply(&Value::Int(-7), Div, &Value::Int(2)).unwrap(),
            Value::Int(-3)
        );
        assert_eq!(
            apply(&Value::Int(-7), Mod, &Value::Int(2)).unwrap(),
            Value::Int(-1)
        );
        assert_eq!(
            apply(&Value::BigInt(i64::MIN), Mod, &Value::BigInt(-1)).unwrap(),
            Value::BigInt(0),
            "PostgreSQL special-cases INT_MIN % -1"
        );
        let err = apply(&Value::Int(i32::MAX), Add, &Value::Int(1)).unwrap_err();
        assert!(err.to_string().contains("integer out of range"), "{err}");
        let err = apply(&Value::SmallInt(i16::MIN), Div, &Value::SmallInt(-1)).unwrap_err();
        assert!(err.to_string().contains("smallint out of range"), "{err}");
        assert!(apply(&Value::Int(1), Div, &Value::Int(0)).is_err());
        assert_eq!(
            apply(&Value::Null, Add, &Value::Int(1)).unwrap(),
            Value::Null
        );
        assert!(apply(&Value::Int(1), Add, &Value::BigInt(1)).is_err());
    }

    #[test]
    fn floats_follow_postgresql_checks() {
        assert_eq!(
            apply(&Value::Real(0.1), Add, &Value::Real(0.2)).unwrap(),
            Value::Real(0.1f32 + 0.2f32)
        );
        let err = apply(&Value::Double(1e300), Mul, &Value::Double(1e300)).unwrap_err();
        assert!(err.to_string().contains("overflow"), "{err}");
        let err = apply(&Value::Double(1e-300), Mul, &Value::Double(1e-300)).unwrap_err();
        assert!(err.to_string().contains("underflow"), "{err}");
        assert!(apply(&Value::Double(1.0), Div, &Value::Double(0.0)).is_err());
        assert!(apply(&Value::Double(1.0), Mod, &Value::Double(2.0)).is_err());
        let inf = Value::Double(f64::INFINITY);
        assert_eq!(apply(&inf, Add, &Value::Double(1.0)).unwrap(), inf);
    }

    #[test]
    #[cfg(feature = "rust_decimal")]
    fn decimals_are_exact_or_refused() {
        let d = |s: &str| Value::Numeric(s.parse().unwrap());
        assert_eq!(apply(&d("1.25"), Mul, &d("0.5")).unwrap(), d("0.625"));
        assert_eq!(apply(&d("-7.5"), Mod, &d("2")).unwrap(), d("-1.5"));
        assert!(apply(&d("1"), Div, &d("3")).is_err());
        let big = d("0.1234567890123456789012345678");
        assert!(
            apply(&big, Mul, &big).is_err(),
            "56 decimal places do not fit"
        );
    }

    #[test]
    fn text_concatenates() {
        assert_eq!(
            apply(&Value::from("pen"), Concat, &Value::from("!")).unwrap(),
            Value::from("pen!")
        );
        assert!(apply(&Value::from("a"), Add, &Value::from("b")).is_err());
    }
}
