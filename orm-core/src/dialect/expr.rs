//! Default rendering of [`Expr`] nodes, with parentheses only where precedence needs them.

use super::select::write_select;
use super::window::write_window;
use super::{Dialect, SqlWriter};
use crate::expr::{BinaryOp, ColumnRef, Expr, Order};
use crate::value::Value;

/// Binding strength, loosest first (PostgreSQL's order, which is also the standard's
/// for these operators). Equal levels of different kinds never mix without parentheses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    Or,
    And,
    Not,
    Is,
    Comparison,
    /// `LIKE`, `IN`, `BETWEEN`.
    Predicate,
    /// `||`.
    Concat,
    Additive,
    Multiplicative,
    /// Columns, values, function calls, casts, literals, parenthesized subqueries.
    Atom,
}

fn op_prec(op: BinaryOp) -> Prec {
    match op {
        BinaryOp::Or => Prec::Or,
        BinaryOp::And => Prec::And,
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            Prec::Comparison
        }
        // PostgreSQL gives every other operator `||`'s precedence.
        BinaryOp::Concat | BinaryOp::Contains | BinaryOp::ContainedBy | BinaryOp::Overlaps => {
            Prec::Concat
        }
        BinaryOp::Add | BinaryOp::Sub => Prec::Additive,
        BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => Prec::Multiplicative,
    }
}

fn prec(e: &Expr) -> Prec {
    match e {
        Expr::Binary { op, .. } => op_prec(*op),
        Expr::Not(_) => Prec::Not,
        Expr::IsNull { .. } => Prec::Is,
        Expr::Like { .. } | Expr::InSelect { .. } | Expr::Between { .. } => Prec::Predicate,
        // A list of values may be written `x = ANY($1)`: it binds like a comparison.
        Expr::InList { .. } => Prec::Comparison,
        // `NOT EXISTS (..)` starts with NOT, so treat it like one.
        Expr::Exists { negated: true, .. } => Prec::Not,
        Expr::Column(_)
        | Expr::Value(_)
        | Expr::Function { .. }
        | Expr::CountStar
        | Expr::Exists { .. }
        | Expr::Cast { .. }
        | Expr::Bool(_)
        | Expr::Over { .. }
        | Expr::Filtered { .. }
        | Expr::Subquery(_)
        | Expr::Row(_) => Prec::Atom,
    }
}

fn op_sql(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Eq => " = ",
        BinaryOp::Ne => " <> ",
        BinaryOp::Lt => " < ",
        BinaryOp::Le => " <= ",
        BinaryOp::Gt => " > ",
        BinaryOp::Ge => " >= ",
        BinaryOp::And => " AND ",
        BinaryOp::Or => " OR ",
        BinaryOp::Add => " + ",
        BinaryOp::Sub => " - ",
        BinaryOp::Mul => " * ",
        BinaryOp::Div => " / ",
        BinaryOp::Mod => " % ",
        BinaryOp::Concat => " || ",
        BinaryOp::Contains => " @> ",
        BinaryOp::ContainedBy => " <@ ",
        BinaryOp::Overlaps => " && ",
    }
}

/// Left-associative operators: `a - b - c` is `(a - b) - c`. Comparisons are not
/// associative at all (`a = b = c` is an error in PostgreSQL).
fn left_associative(op: BinaryOp) -> bool {
    !matches!(op_prec(op), Prec::Comparison)
}

fn child_needs_parens(child: &Expr, parent: BinaryOp, is_left: bool) -> bool {
    let (c, p) = (prec(child), op_prec(parent));
    if c != p {
        return c < p;
    }
    // Same level: the child is a binary operator of the same group.
    if is_left {
        !left_associative(parent)
    } else {
        // `a AND (b AND c)` is `a AND b AND c`; arithmetic keeps its parentheses
        // (`a - (b - c)`, and `a * (b / c)` differs for integers).
        let same_op = matches!(child, Expr::Binary { op, .. } if *op == parent);
        !(same_op && matches!(parent, BinaryOp::And | BinaryOp::Or))
    }
}

fn write_wrapped<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, e: &Expr, parens: bool) {
    if parens {
        w.push_sql("(");
        write_expr(w, e);
        w.push_sql(")");
    } else {
        write_expr(w, e);
    }
}

/// An operand of `IS`, `LIKE`, `IN` or `BETWEEN`: anything looser than `||` is wrapped.
fn write_predicate_operand<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, e: &Expr) {
    write_wrapped(w, e, prec(e) <= Prec::Predicate);
}

/// Writes an expression. Values become bind parameters; identifiers are quoted.
pub(crate) fn write_expr<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, e: &Expr) {
    match e {
        Expr::Column(c) => write_column_ref(w, c),
        Expr::Value(v) => w.push_bind(v.clone()),
        Expr::Binary { left, op, right } => {
            write_wrapped(w, left, child_needs_parens(left, *op, true));
            w.push_sql(op_sql(*op));
            write_wrapped(w, right, child_needs_parens(right, *op, false));
        }
        Expr::Not(inner) => {
            w.push_sql("NOT ");
            write_wrapped(w, inner, prec(inner) != Prec::Atom);
        }
        Expr::IsNull { expr, negated } => {
            write_predicate_operand(w, expr);
            w.push_sql(if *negated { " IS NOT NULL" } else { " IS NULL" });
        }
        Expr::Like {
            expr,
            pattern,
            negated,
            case_insensitive,
            escape,
        } => write_like(w, expr, pattern, *negated, *case_insensitive, *escape),
        Expr::InList {
            expr,
            list,
            negated,
        } => write_in_list(w, expr, list, *negated),
        Expr::InSelect {
            expr,
            select,
            negated,
        } => {
            write_predicate_operand(w, expr);
            w.push_sql(if *negated { " NOT IN (" } else { " IN (" });
            write_select(w, select);
            w.push_sql(")");
        }
        Expr::Between {
            expr,
            low,
            high,
            negated,
        } => {
            write_predicate_operand(w, expr);
            w.push_sql(if *negated {
                " NOT BETWEEN "
            } else {
                " BETWEEN "
            });
            write_predicate_operand(w, low);
            w.push_sql(" AND ");
            write_predicate_operand(w, high);
        }
        Expr::Function { name, args } => {
            w.push_sql(name);
            w.push_sql("(");
            w.push_list(args, ", ", |w, a| write_expr(w, a));
            w.push_sql(")");
        }
        Expr::CountStar => w.push_sql("count(*)"),
        Expr::Exists { select, negated } => {
            w.push_sql(if *negated { "NOT EXISTS (" } else { "EXISTS (" });
            write_select(w, select);
            w.push_sql(")");
        }
        Expr::Cast { expr, sql_type } => {
            w.push_sql("CAST(");
            write_expr(w, expr);
            w.push_sql(" AS ");
            w.push_type(sql_type);
            w.push_sql(")");
        }
        Expr::Bool(b) => w.push_sql(if *b { "TRUE" } else { "FALSE" }),
        Expr::Over { function, window } => {
            write_expr(w, function);
            w.push_sql(" OVER (");
            write_window(w, window);
            w.push_sql(")");
        }
        Expr::Filtered {
            aggregate,
            condition,
        } => {
            write_expr(w, aggregate);
            w.push_sql(" FILTER (WHERE ");
            write_expr(w, condition);
            w.push_sql(")");
        }
        Expr::Subquery(select) => {
            w.push_sql("(");
            write_select(w, select);
            w.push_sql(")");
        }
        Expr::Row(items) => {
            w.push_sql("(");
            w.push_list(items, ", ", |w, e| write_expr(w, e));
            w.push_sql(")");
        }
    }
}

fn write_column_ref<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, c: &ColumnRef) {
    match &c.table {
        Some(t) => w.push_qualified(t, &c.column),
        None => w.push_identifier(&c.column),
    }
}

fn write_like<D: Dialect + ?Sized>(
    w: &mut SqlWriter<'_, D>,
    expr: &Expr,
    pattern: &Expr,
    negated: bool,
    case_insensitive: bool,
    escape: Option<char>,
) {
    let ilike = if case_insensitive {
        w.dialect().ilike_operator()
    } else {
        None
    };
    // Without an ILIKE operator, compare lower(expr) with lower(pattern).
    let lower = case_insensitive && ilike.is_none();
    let operand = |w: &mut SqlWriter<'_, D>, e: &Expr| {
        if lower {
            w.push_sql("lower(");
            write_expr(w, e);
            w.push_sql(")");
        } else {
            write_predicate_operand(w, e);
        }
    };
    operand(w, expr);
    w.push_sql(if negated { " NOT " } else { " " });
    w.push_sql(ilike.unwrap_or("LIKE"));
    w.push_sql(" ");
    operand(w, pattern);
    if let Some(c) = escape {
        w.push_sql(" ESCAPE ");
        w.push_string_literal(c.encode_utf8(&mut [0; 4]));
    }
}

fn write_in_list<D: Dialect + ?Sized>(
    w: &mut SqlWriter<'_, D>,
    expr: &Expr,
    list: &[Expr],
    negated: bool,
) {
    if list.is_empty() {
        // Nothing is IN an empty list, and everything is NOT IN it (even NULL).
        w.push_sql(if negated { "TRUE" } else { "FALSE" });
        return;
    }
    if let Some(values) = array_of_values(w.dialect(), expr, list) {
        // `x = ANY($1)` / `x <> ALL($1)`: the same three-valued logic as IN / NOT IN,
        // one parameter however long the list, and one SQL text for every length.
        write_wrapped(w, expr, prec(expr) <= Prec::Comparison);
        w.push_sql(if negated { " <> ALL(" } else { " = ANY(" });
        w.push_bind(Value::Array(values));
        w.push_sql(")");
        return;
    }
    write_predicate_operand(w, expr);
    w.push_sql(if negated { " NOT IN (" } else { " IN (" });
    w.push_list(list, ", ", |w, e| write_expr(w, e));
    w.push_sql(")");
}

/// The list's values, when the dialect binds arrays, every item is a plain value and
/// the tested expression gives the server the element type (it is not a bare value).
fn array_of_values<D: Dialect + ?Sized>(
    dialect: &D,
    expr: &Expr,
    list: &[Expr],
) -> Option<Vec<Value>> {
    if !dialect.array_parameters() || matches!(expr, Expr::Value(_)) {
        return None;
    }
    list.iter()
        .map(|e| match e {
            Expr::Value(v) => Some(v.clone()),
            _ => None,
        })
        .collect()
}

/// Writes one ORDER BY key.
pub(crate) fn write_order<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, o: &Order) {
    write_expr(w, &o.expr);
    if o.desc {
        w.push_sql(" DESC");
    }
    match o.nulls_first {
        Some(true) => w.push_sql(" NULLS FIRST"),
        Some(false) => w.push_sql(" NULLS LAST"),
        None => {}
    }
}
