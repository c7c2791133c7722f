//! Grouping sets on column queries: `GROUP BY ROLLUP (..)` and `GROUP BY CUBE (..)`,
//! with [`func::grouping`](crate::func::grouping) to tell subtotal rows apart.
//!
//! ```no_run
//! # use orm_core::{func, Col, Model, Session};
//! # fn demo<Sale: Model>(session: &Session, region: Col<Sale, String>,
//! #     amount: Col<Sale, i32>) -> orm_core::Result<()> {
//! // Per-region totals and the grand total (region NULL, grouping 1).
//! let rows: Vec<(Option<String>, Option<i64>, i32)> = session
//!     .query_columns((region.nullable(), func::sum(amount), func::grouping(region)))
//!     .group_by_rollup(region)
//!     .all()?;
//! # Ok(()) }
//! ```

use super::columns::Columns;
use super::ColumnQuery;
use crate::expr::Expr;
use std::borrow::Cow;

fn grouping_set(name: &'static str, keys: impl Columns) -> Expr {
    Expr::Function {
        name: Cow::Borrowed(name),
        args: keys.exprs(),
    }
}

impl<C: Columns> ColumnQuery<'_, C> {
    /// `GROUP BY ROLLUP (keys)`: groups for each prefix of `keys` (a column or a
    /// tuple), down to the grand total, where the rolled-up keys read NULL.
    pub fn group_by_rollup(mut self, keys: impl Columns) -> Self {
        let set = grouping_set("ROLLUP", keys);
        self.core.select.group_by.push(set);
        self
    }

    /// `GROUP BY CUBE (keys)`: groups for every subset of `keys`.
    pub fn group_by_cube(mut self, keys: impl Columns) -> Self {
        let set = grouping_set("CUBE", keys);
        self.core.select.group_by.push(set);
        self
    }
}
