//! Golden strings for the default renderers (the generic dialect). PostgreSQL's
//! spelling of every statement is tested in `orm-postgres`.

use super::{Compiled, Dialect, GenericDialect, TransactionOp};
use crate::expr::{BinaryOp, Expr};
use crate::schema::{Column, SqlType, Table};
use crate::statement::{CreateTable, Insert, Select, Statement, UpdateFromValues};
use crate::value::Value;

fn sql(s: impl Into<Statement>) -> String {
    GenericDialect.compile(&s.into()).sql
}

fn expr_sql(e: Expr) -> Compiled {
    let mut s = Select::default();
    s.and_where(e);
    let mut c = GenericDialect.compile(&s.into());
    c.sql = c.sql.trim_start_matches("SELECT * WHERE ").to_owned();
    c
}

fn col(name: &'static str) -> Expr {
    Expr::column("t", name)
}

fn v(i: i32) -> Expr {
    Expr::value(i)
}

#[test]
fn and_of_or_keeps_parentheses() {
    let e = col("a").binary(BinaryOp::Eq, v(1)).and(
        col("b")
            .binary(BinaryOp::Eq, v(2))
            .or(col("c").binary(BinaryOp::Eq, v(3))),
    );
    assert_eq!(
        expr_sql(e).sql,
        r#""t"."a" = ? AND ("t"."b" = ? OR "t"."c" = ?)"#
    );
}

#[test]
fn or_of_ands_needs_no_parentheses() {
    let e = col("a")
        .binary(BinaryOp::Eq, v(1))
        .and(col("b").binary(BinaryOp::Eq, v(2)))
        .or(col("c").binary(BinaryOp::Eq, v(3)));
    assert_eq!(
        expr_sql(e).sql,
        r#""t"."a" = ? AND "t"."b" = ? OR "t"."c" = ?"#
    );
}

#[test]
fn chained_and_is_flat_on_both_sides() {
    let right = col("b").and(col("c"));
    assert_eq!(
        expr_sql(col("a").and(right)).sql,
        r#""t"."a" AND "t"."b" AND "t"."c""#
    );
}

#[test]
fn arithmetic_respects_associativity() {
    let left = col("a").binary(BinaryOp::Sub, col("b"));
    assert_eq!(
        expr_sql(left.binary(BinaryOp::Sub, col("c"))).sql,
        r#""t"."a" - "t"."b" - "t"."c""#
    );
    let right = col("b").binary(BinaryOp::Sub, col("c"));
    assert_eq!(
        expr_sql(col("a").binary(BinaryOp::Sub, right)).sql,
        r#""t"."a" - ("t"."b" - "t"."c")"#
    );
    let sum = col("a").binary(BinaryOp::Add, col("b"));
    assert_eq!(
        expr_sql(sum.binary(BinaryOp::Mul, v(2))).sql,
        r#"("t"."a" + "t"."b") * ?"#
    );
}

#[test]
fn comparisons_do_not_chain() {
    let eq = col("a").binary(BinaryOp::Eq, col("b"));
    assert_eq!(
        expr_sql(eq.binary(BinaryOp::Eq, Expr::Bool(true))).sql,
        r#"("t"."a" = "t"."b") = TRUE"#
    );
}

#[test]
fn not_wraps_anything_but_an_atom() {
    assert_eq!(
        expr_sql(col("a").binary(BinaryOp::Eq, v(1)).not()).sql,
        r#"NOT ("t"."a" = ?)"#
    );
    assert_eq!(expr_sql(col("flag").not()).sql, r#"NOT "t"."flag""#);
}

#[test]
fn predicate_operands_are_wrapped_when_looser() {
    let e = Expr::IsNull {
        expr: Box::new(col("a").binary(BinaryOp::Eq, col("b"))),
        negated: true,
    };
    assert_eq!(expr_sql(e).sql, r#"("t"."a" = "t"."b") IS NOT NULL"#);
    let e = Expr::Between {
        expr: Box::new(col("a").binary(BinaryOp::Add, v(1))),
        low: Box::new(v(2)),
        high: Box::new(v(3)),
        negated: false,
    };
    assert_eq!(expr_sql(e).sql, r#""t"."a" + ? BETWEEN ? AND ?"#);
}

#[test]
fn case_insensitive_like_lowers_both_sides_without_ilike() {
    let e = Expr::Like {
        expr: Box::new(col("name")),
        pattern: Box::new(Expr::value("a%")),
        negated: true,
        case_insensitive: true,
        escape: Some('\\'),
    };
    assert_eq!(
        expr_sql(e).sql,
        r#"lower("t"."name") NOT LIKE lower(?) ESCAPE '\'"#
    );
}

#[test]
fn escape_character_quote_is_doubled() {
    let e = Expr::Like {
        expr: Box::new(col("name")),
        pattern: Box::new(Expr::value("a'%")),
        negated: false,
        case_insensitive: false,
        escape: Some('\''),
    };
    assert_eq!(expr_sql(e).sql, r#""t"."name" LIKE ? ESCAPE ''''"#);
}

#[test]
fn empty_in_lists_are_constant() {
    let empty = |negated| Expr::InList {
        expr: Box::new(col("a")),
        list: vec![],
        negated,
    };
    let c = expr_sql(col("b").and(empty(false)));
    assert_eq!(c.sql, r#""t"."b" AND FALSE"#);
    assert!(c.params.is_empty());
    assert_eq!(expr_sql(empty(true)).sql, "TRUE");
}

#[test]
fn params_follow_placeholder_order() {
    let e = Expr::InList {
        expr: Box::new(col("a")),
        list: vec![v(1), v(2)],
        negated: false,
    }
    .and(col("b").binary(BinaryOp::Eq, Expr::value("x")));
    let c = expr_sql(e);
    assert_eq!(c.sql, r#""t"."a" IN (?, ?) AND "t"."b" = ?"#);
    assert_eq!(
        c.params,
        vec![Value::Int(1), Value::Int(2), Value::Text("x".into())]
    );
}

#[test]
fn generic_types_and_casts() {
    let table = Table::new(
        "t",
        vec![
            Column::new("id", SqlType::Integer)
                .primary_key()
                .autoincrement(),
            Column::new("data", SqlType::Bytes),
        ],
    );
    assert_eq!(
        sql(CreateTable {
            table,
            if_not_exists: false,
            omit_foreign_keys: vec![],
        }),
        r#"CREATE TABLE "t" ("id" INTEGER GENERATED BY DEFAULT AS IDENTITY, "data" BLOB, PRIMARY KEY ("id"))"#
    );
    let u = UpdateFromValues {
        table: "t".into(),
        key_columns: vec![("id".into(), SqlType::Integer)],
        set_columns: vec![("name".into(), SqlType::Varchar(10))],
        rows: vec![vec![Value::Int(1), Value::from("a")]],
    };
    assert_eq!(
        sql(u),
        r#"UPDATE "t" SET "name" = "__v"."name" FROM (VALUES (CAST(? AS INTEGER), CAST(? AS TEXT))) AS "__v"("id", "name") WHERE "t"."id" = "__v"."id""#
    );
}

#[test]
fn insert_without_columns() {
    let one = Insert {
        table: "t".into(),
        rows: vec![vec![]],
        ..Insert::default()
    };
    assert_eq!(sql(one), r#"INSERT INTO "t" DEFAULT VALUES"#);
    let two = Insert {
        table: "t".into(),
        rows: vec![vec![], vec![]],
        returning: vec!["id".into()],
        ..Insert::default()
    };
    assert_eq!(
        sql(two),
        r#"INSERT INTO "t" VALUES (DEFAULT), (DEFAULT) RETURNING "id""#
    );
}

#[test]
fn transaction_statements_quote_savepoints() {
    let d = GenericDialect;
    assert_eq!(d.transaction_sql(TransactionOp::Begin), "BEGIN");
    assert_eq!(
        d.transaction_sql(TransactionOp::RollbackToSavepoint("sp\"1")),
        r#"ROLLBACK TO SAVEPOINT "sp""1""#
    );
}
