//! Golden strings for the SELECT clauses of issue 13 (generic dialect): locks, WITH,
//! set operations, derived tables, windows, FILTER, row values, anonymous names.

use super::{Dialect, GenericDialect};
use crate::expr::{BinaryOp, Expr, FrameBound, Window};
use crate::statement::{
    anon, Cte, Lock, LockStrength, LockWait, Select, SetOperation, SetOperator, TableRef, With,
};
use crate::value::Value;

fn sql(s: Select) -> String {
    GenericDialect.compile(&s.into()).sql
}

fn select(table: &'static str, column: &'static str) -> Select {
    let mut s = Select::from(table);
    s.item(Expr::column(table, column));
    s
}

#[test]
fn locks_with_strength_tables_and_waiting() {
    let mut s = Select::from("a");
    s.limit = Some(1);
    s.lock = Some(Lock {
        strength: LockStrength::KeyShare,
        of: vec!["a".into(), "b".into()],
        wait: LockWait::NoWait,
    });
    assert_eq!(
        sql(s),
        r#"SELECT * FROM "a" LIMIT ? FOR KEY SHARE OF "a", "b" NOWAIT"#
    );
}

#[test]
fn with_recursive_names_its_columns() {
    let mut body = select("n", "id");
    body.set_ops.push(SetOperation {
        op: SetOperator::UnionAll,
        select: select("t", "id"),
    });
    let mut cte = Cte::new("t", body);
    cte.columns = vec!["id".into()];
    let mut s = Select::from("t");
    s.with = Some(With {
        recursive: true,
        ctes: vec![cte, Cte::new("u", select("n", "id"))],
    });
    assert_eq!(
        sql(s),
        r#"WITH RECURSIVE "t" ("id") AS (SELECT "n"."id" FROM "n" UNION ALL SELECT "t"."id" FROM "t"), "u" AS (SELECT "n"."id" FROM "n") SELECT * FROM "t""#
    );
}

#[test]
fn set_operands_with_their_own_tail_are_parenthesized() {
    let mut right = select("b", "y");
    right.limit = Some(2);
    let mut s = select("a", "x");
    s.set_ops.push(SetOperation {
        op: SetOperator::Except,
        select: right,
    });
    s.set_ops.push(SetOperation {
        op: SetOperator::Intersect,
        select: select("c", "z"),
    });
    s.order_by
        .push(crate::expr::Col::<(), i32>::new("a", "x", 0).asc());
    s.limit = Some(5);
    assert_eq!(
        sql(s),
        r#"SELECT "a"."x" FROM "a" EXCEPT (SELECT "b"."y" FROM "b" LIMIT ?) INTERSECT SELECT "c"."z" FROM "c" ORDER BY "x" LIMIT ?"#
    );
}

#[test]
fn derived_tables_and_aliases_in_from() {
    let mut s = Select::default();
    s.from.push(TableRef::aliased("nodes", "p"));
    s.from
        .push(TableRef::derived("d", select("n", "id"), vec!["k".into()]));
    s.distinct_on.push(Expr::column("p", "id"));
    assert_eq!(
        sql(s),
        r#"SELECT DISTINCT ON ("p"."id") * FROM "nodes" AS "p", (SELECT "n"."id" FROM "n") AS "d" ("k")"#
    );
}

#[test]
fn windows_filters_and_row_values() {
    let f = || Expr::Function {
        name: "sum".into(),
        args: vec![Expr::column("t", "x")],
    };
    let cases = [
        (Window::default(), "sum(\"t\".\"x\") OVER ()"),
        (
            Window::default().range(FrameBound::Preceding(3), FrameBound::UnboundedFollowing),
            "sum(\"t\".\"x\") OVER (RANGE BETWEEN ? PRECEDING AND UNBOUNDED FOLLOWING)",
        ),
    ];
    for (window, expected) in cases {
        let mut s = Select::default();
        s.item(Expr::Over {
            function: Box::new(f()),
            window: Box::new(window),
        });
        assert_eq!(sql(s), format!("SELECT {expected}"));
    }
    let mut s = Select::default();
    s.item(Expr::Filtered {
        aggregate: Box::new(Expr::CountStar),
        condition: Box::new(
            Expr::Row(vec![Expr::column("t", "a"), Expr::value(1)]).binary(
                BinaryOp::Ge,
                Expr::Row(vec![Expr::value(2), Expr::value(3)]),
            ),
        ),
    });
    let c = GenericDialect.compile(&s.into());
    assert_eq!(
        c.sql,
        r#"SELECT count(*) FILTER (WHERE ("t"."a", ?) >= (?, ?))"#
    );
    assert_eq!(c.params, [Value::Int(1), Value::Int(2), Value::Int(3)]);
}

#[test]
fn anonymous_names_are_numbered_per_statement() {
    let (a, b, sub) = (
        anon::table_alias("n"),
        anon::table_alias("n"),
        anon::subquery_alias(),
    );
    let mut inner = Select::default();
    inner.item(Expr::column(a.clone(), "id"));
    let mut s = Select::default();
    s.item(Expr::column(b.clone(), "id"));
    s.from.push(TableRef::aliased("n", b));
    s.from.push(TableRef::aliased("n", a));
    s.from.push(TableRef::derived(sub, inner, vec![]));
    assert_eq!(
        sql(s),
        r#"SELECT "n_1"."id" FROM "n" AS "n_1", "n" AS "n_2", (SELECT "n_2"."id") AS "anon_1""#
    );
}
