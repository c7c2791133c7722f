//! Pagination: offset pages with their total ([`Page`], `paginate`), and keyset
//! pagination (`after`), which stays fast on deep pages.
//!
//! Keyset pagination continues after the last row seen: with `ORDER BY a, b` it adds
//! `WHERE (a, b) > ($1, $2)`, a row-value comparison an index on `(a, b)` answers
//! directly, where `OFFSET n` reads and discards `n` rows first.
//!
//! ```no_run
//! # use orm_core::{Col, Model, Session};
//! # fn demo<Article: Model>(session: &Session, id: Col<Article, i32>) -> orm_core::Result<()> {
//! let page = session.query::<Article>().order_by(id).paginate(3, 20)?;
//! println!("page {} of {}", page.page, page.pages());
//! if let Some(last) = page.items.last() {
//!     let next = session.query::<Article>().order_by(id).after(last)?.limit(20).all()?;
//! }
//! # Ok(()) }
//! ```

use super::Query;
use crate::error::{Error, Result};
use crate::expr::{BinaryOp, Expr, Order};
use crate::model::Model;
use crate::session::Handle;
use crate::statement::Select;
use crate::value::Value;

/// One page of a query's results, with the total across all pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The results on this page.
    pub items: Vec<T>,
    /// How many results the query has in all.
    pub total: i64,
    /// This page's number, from 1.
    pub page: u64,
    /// Results per page.
    pub per_page: u64,
}

impl<T> Page<T> {
    /// How many pages there are (at least 1).
    pub fn pages(&self) -> u64 {
        let total = u64::try_from(self.total).unwrap_or(0);
        total.div_ceil(self.per_page.max(1)).max(1)
    }

    /// Whether a page follows this one.
    pub fn has_next(&self) -> bool {
        self.page < self.pages()
    }

    /// Whether a page precedes this one.
    pub fn has_prev(&self) -> bool {
        self.page > 1
    }
}

/// `select` without its limit and offset (to count), and limited to page `page`
/// (from 1) of `per_page` rows.
pub(crate) fn page_selects(select: Select, page: u64, per_page: u64) -> Result<(Select, Select)> {
    if page == 0 || per_page == 0 {
        return Err(Error::InvalidRequest(format!(
            "pages are numbered from 1 and hold at least one row (got page {page} of {per_page})"
        )));
    }
    let mut all = select;
    all.limit = None;
    all.offset = None;
    let mut one = all.clone();
    one.offset = Some((page - 1).saturating_mul(per_page));
    one.limit = Some(per_page);
    Ok((one, all))
}

/// The condition selecting rows after the row whose ORDER BY keys are `values`:
/// `(a, b) > ($1, $2)` when every key sorts the same way, otherwise
/// `a > $1 OR (a = $1 AND b < $2) ...`.
pub(crate) fn keyset_condition(order: &[Order], values: Vec<Value>) -> Result<Expr> {
    if order.is_empty() || order.len() != values.len() {
        return Err(Error::InvalidRequest(format!(
            "keyset pagination needs one value per ORDER BY key ({} keys, {} values)",
            order.len(),
            values.len()
        )));
    }
    if values.iter().any(Value::is_null) {
        return Err(Error::InvalidRequest(
            "keyset pagination needs non-NULL sort keys (a NULL cannot be compared)".into(),
        ));
    }
    let op = |o: &Order| if o.desc { BinaryOp::Lt } else { BinaryOp::Gt };
    let values: Vec<Expr> = values.into_iter().map(Expr::Value).collect();
    if order.len() == 1 {
        let [v] = <[Expr; 1]>::try_from(values).expect("one value");
        return Ok(order[0].expr.clone().binary(op(&order[0]), v));
    }
    if order.iter().all(|o| o.desc == order[0].desc) {
        let keys = order.iter().map(|o| o.expr.clone()).collect();
        return Ok(Expr::Row(keys).binary(op(&order[0]), Expr::Row(values)));
    }
    let branch = |i: usize| {
        let equal = (0..i).map(|j| {
            order[j]
                .expr
                .clone()
                .binary(BinaryOp::Eq, values[j].clone())
        });
        let past = order[i]
            .expr
            .clone()
            .binary(op(&order[i]), values[i].clone());
        Expr::all(equal.chain([past]))
    };
    Ok((0..order.len())
        .map(branch)
        .reduce(Expr::or)
        .expect("at least one key"))
}

impl<M: Model> Query<'_, M> {
    /// Keyset pagination: only the rows after `last` in the query's order, where
    /// `last` is the last result of the previous page. Every ORDER BY key must be a
    /// NOT NULL column of `M`; end with a unique one (the primary key) so that no row
    /// is skipped or repeated. [`Error::InvalidRequest`] otherwise.
    pub fn after(self, last: &Handle<M>) -> Result<Self> {
        let table = M::table();
        let model = last.read();
        let mut values = Vec::with_capacity(self.core.select.order_by.len());
        for o in &self.core.select.order_by {
            let column = match &o.expr {
                Expr::Column(c) if c.table.as_deref() == Some(table.name.as_str()) => {
                    table.column_index(&c.column)
                }
                _ => None,
            };
            let i = column.ok_or_else(|| {
                Error::InvalidRequest(format!(
                    "keyset pagination orders by columns of `{}` only",
                    table.name
                ))
            })?;
            if table.columns[i].nullable {
                return Err(Error::InvalidRequest(format!(
                    "keyset pagination needs NOT NULL sort keys; `{}.{}` is nullable",
                    table.name, table.columns[i].name
                )));
            }
            values.push(model.value(i));
        }
        drop(model);
        self.after_values(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::GenericDialect;
    use crate::expr::Col;
    use crate::Dialect;

    struct T;
    const A: Col<T, i32> = Col::new("t", "a", 0);
    const B: Col<T, i32> = Col::new("t", "b", 1);

    fn sql(order: &[Order]) -> String {
        let values = vec![Value::Int(1); order.len()];
        let mut s = Select::from("t");
        s.and_where(keyset_condition(order, values).unwrap());
        GenericDialect.compile(&s.into()).sql
    }

    #[test]
    fn one_direction_is_a_row_comparison() {
        assert_eq!(sql(&[A.asc()]), r#"SELECT * FROM "t" WHERE "t"."a" > ?"#);
        assert_eq!(
            sql(&[A.desc(), B.desc()]),
            r#"SELECT * FROM "t" WHERE ("t"."a", "t"."b") < (?, ?)"#
        );
    }

    #[test]
    fn mixed_directions_expand() {
        assert_eq!(
            sql(&[A.asc(), B.desc()]),
            r#"SELECT * FROM "t" WHERE "t"."a" > ? OR "t"."a" = ? AND "t"."b" < ?"#
        );
    }

    #[test]
    fn refuses_nulls_and_wrong_counts() {
        assert!(keyset_condition(&[A.asc()], vec![Value::Null]).is_err());
        assert!(keyset_condition(&[A.asc()], vec![]).is_err());
        assert!(keyset_condition(&[], vec![]).is_err());
    }
}
