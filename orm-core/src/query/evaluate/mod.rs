//! [`Evaluator`]: a bulk statement's WHERE clause and SET expressions applied in memory
//! to loaded instances, for [`SyncStrategy::Evaluate`](super::SyncStrategy::Evaluate).
//!
//! It understands the columns of one table, bound values, `TRUE`/`FALSE`,
//! comparisons, `AND`/`OR`/`NOT` (SQL's three-valued logic: NULL is unknown),
//! `IS [NOT] NULL`, `[NOT] IN (list)`, `BETWEEN`, `[I]LIKE` with `%`, `_` and an
//! escape character, and arithmetic and `||` with PostgreSQL's results (see
//! `arith.rs`). Anything else (functions, casts, subqueries, other tables' columns)
//! is refused with [`Error::InvalidRequest`] before the statement runs.

mod arith;
mod like;

use crate::error::{Error, Result};
use crate::expr::{BinaryOp, ColumnRef, Expr};
use crate::schema::Table;
use crate::value::Value;
use like::like;
#[cfg(feature = "rust_decimal")]
use rust_decimal::{prelude::ToPrimitive, Decimal};
use std::cmp::Ordering;

/// A WHERE clause checked to be evaluable on rows of one table.
pub(crate) struct Evaluator<'a> {
    table: &'a Table,
    filter: Option<&'a Expr>,
}

pub(super) fn refuse<T>(what: impl std::fmt::Display) -> Result<T> {
    Err(Error::InvalidRequest(format!(
        "SyncStrategy::Evaluate cannot evaluate {what} in memory; use SyncStrategy::Fetch"
    )))
}

impl<'a> Evaluator<'a> {
    /// Checks that `filter` (no filter matches everything) can be evaluated on `table`'s rows.
    pub(crate) fn new(table: &'a Table, filter: Option<&'a Expr>) -> Result<Self> {
        let ev = Evaluator { table, filter };
        if let Some(f) = filter {
            ev.check(f)?;
        }
        Ok(ev)
    }

    /// Checks that `value`, assigned to `column`, can be evaluated on the table's rows.
    pub(crate) fn check_assignment(&self, column: &str, value: &Expr) -> Result<()> {
        self.check(value).map_err(|e| match e {
            Error::InvalidRequest(m) => {
                Error::InvalidRequest(format!("{m} (the value assigned to `{column}`)"))
            }
            other => other,
        })
    }

    fn column(&self, c: &ColumnRef) -> Result<usize> {
        let own = !matches!(c.table.as_deref(), Some(t) if t != self.table.name);
        match self.table.column_index(&c.column) {
            Some(i) if own => Ok(i),
            _ => refuse(format_args!(
                "column `{}.{}` (not a column of `{}`)",
                c.table.as_deref().unwrap_or(""),
                c.column,
                self.table.name
            )),
        }
    }

    /// An enum column orders by its type's label order, which its values (labels as
    /// text) do not carry: `<`, `<=`, `>`, `>=` on one are refused.
    fn check_enum_order(&self, left: &Expr, op: BinaryOp, right: &Expr) -> Result<()> {
        if !matches!(
            op,
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge
        ) {
            return Ok(());
        }
        for side in [left, right] {
            if let Expr::Column(c) = side {
                let ty = &self.table.columns[self.column(c)?].sql_type;
                if matches!(ty, crate::schema::SqlType::Enum(_)) {
                    return refuse(format_args!(
                        "an order comparison of the enum column `{}` (it orders by the type's labels)",
                        c.column
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_binary(&self, left: &Expr, op: BinaryOp, right: &Expr) -> Result<()> {
        self.check_enum_order(left, op, right)?;
        match op {
            BinaryOp::And
            | BinaryOp::Or
            | BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::Add
            | BinaryOp::Sub
            | BinaryOp::Mul
            | BinaryOp::Div
            | BinaryOp::Mod
            | BinaryOp::Concat => self.check(left).and_then(|()| self.check(right)),
            BinaryOp::Contains | BinaryOp::ContainedBy | BinaryOp::Overlaps => {
                refuse("an array operator")
            }
        }
    }

    fn check(&self, e: &Expr) -> Result<()> {
        match e {
            Expr::Column(c) => self.column(c).map(drop),
            Expr::Value(_) | Expr::Bool(_) => Ok(()),
            Expr::Binary { left, op, right } => self.check_binary(left, *op, right),
            Expr::Not(e) | Expr::IsNull { expr: e, .. } => self.check(e),
            Expr::Like { expr, pattern, .. } => self.check(expr).and_then(|()| self.check(pattern)),
            Expr::InList { expr, list, .. } => {
                self.check(expr)?;
                list.iter().try_for_each(|e| self.check(e))
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                self.check(expr)?;
                self.check(low)?;
                self.check(high)
            }
            Expr::Function { name, .. } => refuse(format_args!("the function `{name}`")),
            Expr::CountStar => refuse("count(*)"),
            Expr::InSelect { .. } | Expr::Exists { .. } => refuse("a subquery"),
            Expr::Cast { .. } => refuse("a CAST"),
            Expr::Over { .. } => refuse("a window function"),
            Expr::Filtered { .. } => refuse("an aggregate"),
            Expr::Subquery(_) => refuse("a subquery"),
            Expr::Row(_) => refuse("a row value"),
        }
    }

    /// Whether the row with `values` (in table column order) matches the filter
    /// (unknown, from NULLs, does not match).
    pub(crate) fn matches(&self, values: &[Value]) -> Result<bool> {
        match self.filter {
            None => Ok(true),
            Some(f) => Ok(matches!(self.eval(f, values)?, Value::Bool(true))),
        }
    }

    /// The value of `e` on the row with `values` (in table column order);
    /// conditions give `Bool` or `Null` (unknown).
    pub(crate) fn eval(&self, e: &Expr, values: &[Value]) -> Result<Value> {
        Ok(match e {
            Expr::Column(c) => values.get(self.column(c)?).cloned().unwrap_or_default(),
            Expr::Value(v) => v.clone(),
            Expr::Bool(b) => Value::Bool(*b),
            Expr::Binary { left, op, right } => {
                let (l, r) = (self.eval(left, values)?, self.eval(right, values)?);
                match op {
                    BinaryOp::And => and(truth(&l)?, truth(&r)?),
                    BinaryOp::Or => not(and(not(truth(&l)?), not(truth(&r)?))),
                    BinaryOp::Add
                    | BinaryOp::Sub
                    | BinaryOp::Mul
                    | BinaryOp::Div
                    | BinaryOp::Mod
                    | BinaryOp::Concat => return arith::apply(&l, *op, &r),
                    op => compare(&l, *op, &r)?,
                }
                .map_or(Value::Null, Value::Bool)
            }
            Expr::Not(inner) => {
                not(truth(&self.eval(inner, values)?)?).map_or(Value::Null, Value::Bool)
            }
            Expr::IsNull { expr, negated } => {
                Value::Bool(self.eval(expr, values)?.is_null() != *negated)
            }
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                let v = self.eval(expr, values)?;
                let mut found = Some(false);
                for item in list {
                    found = not(and(
                        not(found),
                        not(compare(&v, BinaryOp::Eq, &self.eval(item, values)?)?),
                    ));
                }
                negate_if(found, *negated).map_or(Value::Null, Value::Bool)
            }
            Expr::Between {
                expr,
                low,
                high,
                negated,
            } => {
                let v = self.eval(expr, values)?;
                let ge = compare(&v, BinaryOp::Ge, &self.eval(low, values)?)?;
                let le = compare(&v, BinaryOp::Le, &self.eval(high, values)?)?;
                negate_if(and(ge, le), *negated).map_or(Value::Null, Value::Bool)
            }
            Expr::Like {
                expr,
                pattern,
                negated,
                case_insensitive,
                escape,
            } => {
                let (v, p) = (self.eval(expr, values)?, self.eval(pattern, values)?);
                let found = match (&v, &p) {
                    (Value::Null, _) | (_, Value::Null) => None,
                    (Value::Text(t), Value::Text(p)) => Some(if *case_insensitive {
                        like(&t.to_lowercase(), &p.to_lowercase(), escape.unwrap_or('\\'))
                    } else {
                        like(t, p, escape.unwrap_or('\\'))
                    }),
                    _ => return refuse(format_args!("LIKE on {} and {}", v.kind(), p.kind())),
                };
                negate_if(found, *negated).map_or(Value::Null, Value::Bool)
            }
            other => return refuse(format_args!("{other:?}")),
        })
    }
}

fn truth(v: &Value) -> Result<Option<bool>> {
    match v {
        Value::Bool(b) => Ok(Some(*b)),
        Value::Null => Ok(None),
        other => refuse(format_args!("a {} used as a condition", other.kind())),
    }
}

fn not(v: Option<bool>) -> Option<bool> {
    v.map(|b| !b)
}

fn negate_if(v: Option<bool>, negated: bool) -> Option<bool> {
    if negated {
        not(v)
    } else {
        v
    }
}

/// SQL `AND`: false wins over unknown.
fn and(l: Option<bool>, r: Option<bool>) -> Option<bool> {
    match (l, r) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// `l op r` for a comparison operator; `None` when either side is NULL.
fn compare(l: &Value, op: BinaryOp, r: &Value) -> Result<Option<bool>> {
    let Some(ord) = order(l, r)? else {
        return Ok(None);
    };
    Ok(Some(match op {
        BinaryOp::Eq => ord == Ordering::Equal,
        BinaryOp::Ne => ord != Ordering::Equal,
        BinaryOp::Lt => ord == Ordering::Less,
        BinaryOp::Le => ord != Ordering::Greater,
        BinaryOp::Gt => ord == Ordering::Greater,
        BinaryOp::Ge => ord != Ordering::Less,
        other => return refuse(format_args!("the operator {other:?}")),
    }))
}

fn as_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Real(f) => Some(f64::from(*f)),
        Value::Double(f) => Some(*f),
        #[cfg(feature = "rust_decimal")]
        Value::Numeric(d) => d.to_f64(),
        other => other.as_i64().map(|i| i as f64),
    }
}

#[cfg(feature = "rust_decimal")]
fn as_decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Numeric(d) => Some(*d),
        other => other.as_i64().map(Decimal::from),
    }
}

/// How `l` orders against `r`; `None` when either is NULL. Numbers compare across
/// integer, decimal and float types; strings compare by code point (PostgreSQL's
/// "C" collation), which agrees with any collation on equality.
fn order(l: &Value, r: &Value) -> Result<Option<Ordering>> {
    use Value as V;
    if l.is_null() || r.is_null() {
        return Ok(None);
    }
    let ord = match (l, r) {
        _ if l.as_i64().is_some() && r.as_i64().is_some() => l.as_i64().cmp(&r.as_i64()),
        #[cfg(feature = "rust_decimal")]
        (V::Numeric(_), _) | (_, V::Numeric(_))
            if as_decimal(l).is_some() && as_decimal(r).is_some() =>
        {
            as_decimal(l).cmp(&as_decimal(r))
        }
        _ if as_f64(l).is_some() && as_f64(r).is_some() => {
            match as_f64(l).partial_cmp(&as_f64(r)) {
                Some(o) => o,
                None => return refuse("a comparison with NaN"),
            }
        }
        (V::Text(a), V::Text(b)) => a.cmp(b),
        (V::Bool(a), V::Bool(b)) => a.cmp(b),
        (V::Bytes(a), V::Bytes(b)) => a.cmp(b),
        #[cfg(feature = "chrono")]
        (V::Timestamp(a), V::Timestamp(b)) => a.cmp(b),
        #[cfg(feature = "chrono")]
        (V::TimestampTz(a), V::TimestampTz(b)) => a.cmp(b),
        #[cfg(feature = "chrono")]
        (V::Date(a), V::Date(b)) => a.cmp(b),
        #[cfg(feature = "chrono")]
        (V::Time(a), V::Time(b)) => a.cmp(b),
        #[cfg(feature = "time")]
        (V::TimeTimestamp(a), V::TimeTimestamp(b)) => a.cmp(b),
        #[cfg(feature = "time")]
        (V::TimeTimestampTz(a), V::TimeTimestampTz(b)) => a.cmp(b),
        #[cfg(feature = "time")]
        (V::TimeDate(a), V::TimeDate(b)) => a.cmp(b),
        #[cfg(feature = "time")]
        (V::TimeTime(a), V::TimeTime(b)) => a.cmp(b),
        #[cfg(feature = "uuid")]
        (V::Uuid(a), V::Uuid(b)) => a.cmp(b),
        _ => {
            return refuse(format_args!(
                "a comparison of {} with {}",
                l.kind(),
                r.kind()
            ))
        }
    };
    Ok(Some(ord))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, SqlType};

    fn table() -> Table {
        Table::new(
            "t",
            vec![
                Column::new("id", SqlType::Integer).primary_key(),
                Column::new("name", SqlType::Text),
            ],
        )
    }

    fn eval(e: Expr, values: &[Value]) -> Result<bool> {
        let t = table();
        Evaluator::new(&t, Some(&e))?.matches(values)
    }

    #[test]
    fn three_valued_logic() {
        let id = || Expr::column("t", "id");
        let name = || Expr::column("t", "name");
        let row = [Value::Int(3), Value::Null];
        assert!(eval(id().binary(BinaryOp::Gt, Expr::value(2i64)), &row).unwrap());
        // NULL = 'x' is unknown: neither it nor its negation matches.
        let eq = name().binary(BinaryOp::Eq, Expr::value("x"));
        assert!(!eval(eq.clone(), &row).unwrap());
        assert!(!eval(eq.clone().not(), &row).unwrap());
        assert!(eval(eq.or(Expr::Bool(true)), &row).unwrap());
        let in_list = Expr::InList {
            expr: Box::new(id()),
            list: vec![Expr::value(1), Expr::Value(Value::Null)],
            negated: true,
        };
        assert!(
            !eval(in_list, &row).unwrap(),
            "3 NOT IN (1, NULL) is unknown"
        );
    }

    #[test]
    fn enum_columns_compare_for_equality_only() {
        use crate::schema::EnumType;
        let t = Table::new(
            "t",
            vec![Column::new(
                "status",
                SqlType::Enum(EnumType::new("s", &["new", "done"])),
            )],
        );
        let status = || Expr::column("t", "status");
        let eq = status().binary(BinaryOp::Eq, Expr::value("done"));
        assert!(Evaluator::new(&t, Some(&eq)).is_ok());
        let gt = status().binary(BinaryOp::Gt, Expr::value("new"));
        let err = Evaluator::new(&t, Some(&gt)).err().unwrap();
        assert!(err.to_string().contains("enum column `status`"), "{err}");
    }

    #[test]
    fn refuses_what_it_cannot_evaluate() {
        let f = Expr::Function {
            name: "lower".into(),
            args: vec![Expr::column("t", "name")],
        };
        let err = eval(f.binary(BinaryOp::Eq, Expr::value("x")), &[]).unwrap_err();
        assert!(err.to_string().contains("SyncStrategy::Fetch"), "{err}");
        let other = Expr::column("u", "id").binary(BinaryOp::Eq, Expr::value(1));
        assert!(matches!(eval(other, &[]), Err(Error::InvalidRequest(_))));
    }
}
