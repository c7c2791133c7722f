//! Default rendering of a [`Select`]: `WITH`, `DISTINCT [ON]`, FROM items (tables,
//! aliases, derived tables), joins, set operations, `ORDER BY`/`LIMIT`/`OFFSET` and
//! the row-locking clause.

use super::expr::{write_expr, write_order};
use super::generic::write_where;
use super::{Dialect, SqlWriter};
use crate::expr::{Expr, Order};
use crate::statement::anon;
use crate::statement::{
    JoinKind, Lock, LockStrength, LockWait, Select, SelectItem, TableRef, With,
};
use crate::value::Value;

/// Renders a SELECT (also used for subqueries). An empty select list renders `*`.
pub(crate) fn write_select<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &Select) {
    if let Some(with) = &s.with {
        write_with(w, with);
    }
    write_select_core(w, s);
    for op in &s.set_ops {
        w.push_sql(" ");
        w.push_sql(op.op.keyword());
        w.push_sql(" ");
        if op.select.needs_parens_as_operand() {
            w.push_sql("(");
            write_select(w, &op.select);
            w.push_sql(")");
        } else {
            write_select(w, &op.select);
        }
    }
    write_order_by(w, &s.order_by, !s.set_ops.is_empty());
    if let Some(n) = s.limit {
        push_count(w, " LIMIT ", n);
    }
    if let Some(n) = s.offset {
        push_count(w, " OFFSET ", n);
    }
    if let Some(lock) = &s.lock {
        write_lock(w, lock);
    }
}

/// `SELECT [DISTINCT [ON (..)]] items FROM .. JOIN .. WHERE .. GROUP BY .. HAVING ..`.
fn write_select_core<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &Select) {
    w.push_sql("SELECT ");
    if !s.distinct_on.is_empty() {
        w.push_sql("DISTINCT ON (");
        w.push_list(&s.distinct_on, ", ", |w, e| write_expr(w, e));
        w.push_sql(") ");
    } else if s.distinct {
        w.push_sql("DISTINCT ");
    }
    if s.items.is_empty() {
        w.push_sql("*");
    }
    w.push_list(&s.items, ", ", write_item);
    write_from(w, s);
    write_where(w, s.filter.as_ref());
    if !s.group_by.is_empty() {
        w.push_sql(" GROUP BY ");
        w.push_list(&s.group_by, ", ", |w, e| write_expr(w, e));
    }
    if let Some(h) = &s.having {
        w.push_sql(" HAVING ");
        write_expr(w, h);
    }
}

/// ` FROM a, b, (..) AS "anon_1" JOIN .. ON ..`. The count wrapper's subquery gets
/// the next anonymous name, so it never shadows a name inside it.
fn write_from<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &Select) {
    if !s.from.is_empty() {
        w.push_sql(" FROM ");
        w.push_list(&s.from, ", ", write_table_ref);
    }
    if let Some(sub) = &s.from_subquery {
        w.push_sql(if s.from.is_empty() { " FROM (" } else { ", (" });
        write_select(w, sub);
        w.push_sql(") AS ");
        w.push_identifier(&anon::subquery_alias());
    }
    for j in &s.joins {
        w.push_sql(match j.kind {
            JoinKind::Inner => " JOIN ",
            JoinKind::LeftOuter => " LEFT OUTER JOIN ",
            JoinKind::RightOuter => " RIGHT OUTER JOIN ",
            JoinKind::FullOuter => " FULL OUTER JOIN ",
        });
        write_table_ref(w, &j.table);
        w.push_sql(" ON ");
        write_expr(w, &j.on);
    }
}

fn write_item<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, item: &SelectItem) {
    write_expr(w, &item.expr);
    if let Some(alias) = &item.alias {
        w.push_sql(" AS ");
        w.push_identifier(alias);
    }
}

/// `WITH [RECURSIVE] "a" ("c1", ..) AS (..), "b" AS (..) ` (with a trailing space).
fn write_with<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, with: &With) {
    w.push_sql(if with.recursive {
        "WITH RECURSIVE "
    } else {
        "WITH "
    });
    w.push_list(&with.ctes, ", ", |w, cte| {
        w.push_identifier(&cte.name);
        write_column_names(w, &cte.columns);
        w.push_sql(" AS (");
        write_select(w, &cte.select);
        w.push_sql(")");
    });
    w.push_sql(" ");
}

/// ` ("a", "b")`, or nothing for no names.
fn write_column_names<D: Dialect + ?Sized>(
    w: &mut SqlWriter<'_, D>,
    names: &[std::borrow::Cow<'static, str>],
) {
    if !names.is_empty() {
        w.push_sql(" (");
        w.push_identifier_list(names);
        w.push_sql(")");
    }
}

/// `"t"`, `"t" AS "a"`, or `(SELECT ..) AS "d" ("c1", ..)`.
fn write_table_ref<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, t: &TableRef) {
    if let Some(derived) = &t.derived {
        w.push_sql("(");
        write_select(w, &derived.select);
        w.push_sql(") AS ");
        w.push_identifier(&t.name);
        write_column_names(w, &derived.columns);
        return;
    }
    w.push_identifier(&t.name);
    if let Some(alias) = &t.alias {
        w.push_sql(" AS ");
        w.push_identifier(alias);
    }
}

/// ` ORDER BY ..`. The ORDER BY of a set operation may only name output columns,
/// so there a column is written by its bare name.
fn write_order_by<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, keys: &[Order], compound: bool) {
    if keys.is_empty() {
        return;
    }
    w.push_sql(" ORDER BY ");
    w.push_list(keys, ", ", |w, o| match &o.expr {
        Expr::Column(c) if compound => {
            let bare = Order {
                expr: Expr::Column(crate::expr::ColumnRef {
                    table: None,
                    column: c.column.clone(),
                }),
                ..o.clone()
            };
            write_order(w, &bare);
        }
        _ => write_order(w, o),
    });
}

/// `LIMIT`/`OFFSET` are bind parameters (BIGINT), so pages of one query share one
/// SQL text and one prepared statement. Counts above `i64::MAX` saturate.
fn push_count<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, keyword: &str, n: u64) {
    w.push_sql(keyword);
    w.push_bind(Value::BigInt(i64::try_from(n).unwrap_or(i64::MAX)));
}

/// ` FOR UPDATE [OF "t", ..] [NOWAIT | SKIP LOCKED]`.
fn write_lock<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, lock: &Lock) {
    w.push_sql(match lock.strength {
        LockStrength::Update => " FOR UPDATE",
        LockStrength::NoKeyUpdate => " FOR NO KEY UPDATE",
        LockStrength::Share => " FOR SHARE",
        LockStrength::KeyShare => " FOR KEY SHARE",
    });
    if !lock.of.is_empty() {
        w.push_sql(" OF ");
        w.push_list(&lock.of, ", ", |w, t| w.push_identifier(t));
    }
    w.push_sql(match lock.wait {
        LockWait::Wait => "",
        LockWait::NoWait => " NOWAIT",
        LockWait::SkipLocked => " SKIP LOCKED",
    });
}
