//! PostgreSQL's DML differences: `$n` placeholders and `$n::type` casts. Golden
//! strings for every statement and expression kind below.

use super::types::type_name;
use orm_core::SqlType;
use std::fmt::Write;

/// `$1`, `$2`, ...
pub(crate) fn write_placeholder(out: &mut String, index: usize) {
    // Writing to a String cannot fail.
    let _ = write!(out, "${index}");
}

/// `$1::INTEGER`: tells the server a parameter's type where it cannot infer it
/// (the columns of a `VALUES` list).
pub(crate) fn write_typed_placeholder(out: &mut String, index: usize, ty: &SqlType) {
    write_placeholder(out, index);
    out.push_str("::");
    out.push_str(&type_name(ty));
}

#[cfg(test)]
mod tests {
    use crate::PgDialect;
    use orm_core::statement::{
        Delete, Insert, Join, JoinKind, OnConflict, OnConflictAction, Select, SelectItem,
        Statement, TableRef, Update, UpdateFromValues,
    };
    use orm_core::{BinaryOp, Compiled, Dialect, Expr, Order, SqlType, Value};

    fn compile(s: impl Into<Statement>) -> Compiled {
        PgDialect.compile(&s.into())
    }

    fn sql(s: impl Into<Statement>) -> String {
        compile(s).sql
    }

    /// The WHERE clause of `SELECT * FROM "t" WHERE <e>`.
    fn where_sql(e: Expr) -> (String, Vec<Value>) {
        let mut s = Select::from("t");
        s.and_where(e);
        let c = compile(s);
        let sql = c.sql.strip_prefix(r#"SELECT * FROM "t" WHERE "#).unwrap();
        (sql.to_owned(), c.params)
    }

    fn w(e: Expr) -> String {
        where_sql(e).0
    }

    fn col(name: &'static str) -> Expr {
        Expr::column("t", name)
    }

    fn val(v: impl Into<Value>) -> Expr {
        Expr::value(v)
    }

    fn like(negated: bool, case_insensitive: bool, escape: Option<char>) -> Expr {
        Expr::Like {
            expr: Box::new(col("name")),
            pattern: Box::new(val("a%")),
            negated,
            case_insensitive,
            escape,
        }
    }

    fn sub_select() -> Select {
        let mut s = Select::from("u");
        s.item(Expr::column("u", "id"))
            .and_where(Expr::column("u", "active").binary(BinaryOp::Eq, val(true)));
        s
    }

    #[test]
    fn every_binary_operator() {
        let cases = [
            (BinaryOp::Eq, "="),
            (BinaryOp::Ne, "<>"),
            (BinaryOp::Lt, "<"),
            (BinaryOp::Le, "<="),
            (BinaryOp::Gt, ">"),
            (BinaryOp::Ge, ">="),
            (BinaryOp::And, "AND"),
            (BinaryOp::Or, "OR"),
            (BinaryOp::Add, "+"),
            (BinaryOp::Sub, "-"),
            (BinaryOp::Mul, "*"),
            (BinaryOp::Div, "/"),
            (BinaryOp::Mod, "%"),
            (BinaryOp::Concat, "||"),
            (BinaryOp::Contains, "@>"),
            (BinaryOp::ContainedBy, "<@"),
            (BinaryOp::Overlaps, "&&"),
        ];
        for (op, text) in cases {
            assert_eq!(
                w(col("a").binary(op, val(1))),
                format!(r#""t"."a" {text} $1"#)
            );
        }
    }

    #[test]
    fn nested_boolean_logic() {
        let e = col("a")
            .binary(BinaryOp::Eq, val(1))
            .and(is_null(col("b")).or(col("c").binary(BinaryOp::Gt, val(2))));
        let (sql, params) = where_sql(e);
        assert_eq!(sql, r#""t"."a" = $1 AND ("t"."b" IS NULL OR "t"."c" > $2)"#);
        assert_eq!(params, vec![Value::Int(1), Value::Int(2)]);
        let e = col("a").or(col("b")).and(col("c").or(col("d"))).not();
        assert_eq!(
            w(e),
            r#"NOT (("t"."a" OR "t"."b") AND ("t"."c" OR "t"."d"))"#
        );
    }

    fn is_null(e: Expr) -> Expr {
        Expr::IsNull {
            expr: Box::new(e),
            negated: false,
        }
    }

    #[test]
    fn is_null_and_is_not_null() {
        assert_eq!(w(is_null(col("a"))), r#""t"."a" IS NULL"#);
        let e = Expr::IsNull {
            expr: Box::new(col("a")),
            negated: true,
        };
        assert_eq!(w(e), r#""t"."a" IS NOT NULL"#);
    }

    #[test]
    fn like_variants() {
        assert_eq!(w(like(false, false, None)), r#""t"."name" LIKE $1"#);
        assert_eq!(w(like(true, false, None)), r#""t"."name" NOT LIKE $1"#);
        assert_eq!(w(like(false, true, None)), r#""t"."name" ILIKE $1"#);
        assert_eq!(w(like(true, true, None)), r#""t"."name" NOT ILIKE $1"#);
        assert_eq!(
            w(like(false, false, Some('\\'))),
            r#""t"."name" LIKE $1 ESCAPE E'\\'"#
        );
        assert_eq!(
            w(like(false, false, Some('\''))),
            r#""t"."name" LIKE $1 ESCAPE ''''"#
        );
        assert_eq!(
            w(like(false, true, Some('#'))),
            r#""t"."name" ILIKE $1 ESCAPE '#'"#
        );
    }

    #[test]
    fn in_lists() {
        let list = |items: Vec<Expr>, negated| Expr::InList {
            expr: Box::new(col("id")),
            list: items,
            negated,
        };
        // Values: one array parameter, whatever the length.
        let (sql, params) = where_sql(list(vec![val(1), val(2), val(3)], false));
        assert_eq!(sql, r#""t"."id" = ANY($1)"#);
        assert_eq!(
            params,
            vec![Value::Array(vec![
                Value::Int(1),
                Value::Int(2),
                Value::Int(3)
            ])]
        );
        assert_eq!(w(list(vec![val(1)], true)), r#""t"."id" <> ALL($1)"#);
        // Expressions in the list, or a bare value tested: one parameter each.
        let (sql, params) = where_sql(list(vec![val(1), col("x")], false));
        assert_eq!(sql, r#""t"."id" IN ($1, "t"."x")"#);
        assert_eq!(params.len(), 1);
        let e = Expr::InList {
            expr: Box::new(val(1)),
            list: vec![val(1), val(2)],
            negated: false,
        };
        assert_eq!(w(e), "$1 IN ($2, $3)");
        // `= ANY` binds like a comparison: a comparison of it is parenthesized.
        let e = list(vec![val(1)], false).binary(BinaryOp::Eq, Expr::Bool(false));
        assert_eq!(w(e), r#"("t"."id" = ANY($1)) = FALSE"#);
        let (sql, params) = where_sql(list(vec![], false));
        assert_eq!(sql, "FALSE");
        assert!(params.is_empty());
        assert_eq!(w(list(vec![], true)), "TRUE");
    }

    #[test]
    fn subqueries_share_parameter_numbering() {
        let e = col("x").binary(BinaryOp::Eq, val(0)).and(Expr::InSelect {
            expr: Box::new(col("owner_id")),
            select: Box::new(sub_select()),
            negated: false,
        });
        let (sql, params) = where_sql(e);
        assert_eq!(
            sql,
            r#""t"."x" = $1 AND "t"."owner_id" IN (SELECT "u"."id" FROM "u" WHERE "u"."active" = $2)"#
        );
        assert_eq!(params, vec![Value::Int(0), Value::Bool(true)]);
        let e = Expr::InSelect {
            expr: Box::new(col("owner_id")),
            select: Box::new(sub_select()),
            negated: true,
        };
        assert!(w(e).starts_with(r#""t"."owner_id" NOT IN (SELECT"#));
    }

    #[test]
    fn exists_and_not_exists() {
        let e = Expr::Exists {
            select: Box::new(sub_select()),
            negated: false,
        };
        assert_eq!(
            w(e),
            r#"EXISTS (SELECT "u"."id" FROM "u" WHERE "u"."active" = $1)"#
        );
        let e = Expr::Exists {
            select: Box::new(sub_select()),
            negated: true,
        };
        assert!(w(col("a").and(e)).starts_with(r#""t"."a" AND NOT EXISTS (SELECT"#));
    }

    #[test]
    fn between() {
        let b = |negated| Expr::Between {
            expr: Box::new(col("n")),
            low: Box::new(val(1)),
            high: Box::new(val(9)),
            negated,
        };
        assert_eq!(w(b(false)), r#""t"."n" BETWEEN $1 AND $2"#);
        assert_eq!(
            w(b(true).and(col("m"))),
            r#""t"."n" NOT BETWEEN $1 AND $2 AND "t"."m""#
        );
    }

    #[test]
    fn functions_casts_literals() {
        let f = Expr::Function {
            name: "lower".into(),
            args: vec![col("name")],
        };
        assert_eq!(
            w(f.binary(BinaryOp::Eq, val("x"))),
            r#"lower("t"."name") = $1"#
        );
        let coalesce = Expr::Function {
            name: "coalesce".into(),
            args: vec![col("a"), val(0)],
        };
        assert_eq!(w(coalesce), r#"coalesce("t"."a", $1)"#);
        let cast = Expr::Cast {
            expr: Box::new(val("2024-01-01")),
            sql_type: SqlType::Date,
        };
        assert_eq!(w(cast), "CAST($1 AS DATE)");
        assert_eq!(w(Expr::Bool(true)), "TRUE");
        assert_eq!(w(Expr::Bool(false)), "FALSE");
        assert_eq!(
            w(Expr::CountStar.binary(BinaryOp::Gt, val(1))),
            "count(*) > $1"
        );
    }

    #[test]
    fn null_is_a_bind_parameter_too() {
        let (sql, params) = where_sql(col("a").binary(BinaryOp::Eq, Expr::Value(Value::Null)));
        assert_eq!(sql, r#""t"."a" = $1"#);
        assert_eq!(params, vec![Value::Null]);
    }

    #[test]
    fn unqualified_and_quoted_columns() {
        let c = Expr::Column(orm_core::ColumnRef {
            table: None,
            column: r#"we"ird"#.into(),
        });
        assert_eq!(w(c), r#""we""ird""#);
        assert_eq!(w(Expr::column(r#"t"x"#, "c")), r#""t""x"."c""#);
    }

    #[test]
    fn full_select() {
        let mut s = Select::from("articles");
        s.distinct = true;
        s.from[0].alias = Some("a".into());
        s.items = vec![
            SelectItem {
                expr: Expr::column("a", "title"),
                alias: None,
            },
            SelectItem {
                expr: Expr::CountStar,
                alias: Some("n".into()),
            },
        ];
        s.joins = vec![
            Join {
                kind: JoinKind::Inner,
                table: TableRef::new("authors"),
                on: Expr::column("authors", "id")
                    .binary(BinaryOp::Eq, Expr::column("a", "author_id")),
            },
            Join {
                kind: JoinKind::LeftOuter,
                table: TableRef::aliased("tags", "t2"),
                on: Expr::column("t2", "article_id").binary(BinaryOp::Eq, Expr::column("a", "id")),
            },
        ];
        s.and_where(Expr::column("authors", "email").binary(BinaryOp::Ne, val("x@y")));
        s.group_by = vec![Expr::column("a", "title")];
        s.having = Some(Expr::CountStar.binary(BinaryOp::Ge, val(2)));
        s.order_by = vec![
            Order {
                expr: Expr::column("a", "title"),
                desc: false,
                nulls_first: None,
            },
            Order {
                expr: Expr::column("a", "created_on"),
                desc: true,
                nulls_first: Some(false),
            },
            Order {
                expr: Expr::column("a", "id"),
                desc: false,
                nulls_first: Some(true),
            },
        ];
        s.limit = Some(10);
        s.offset = Some(20);
        let c = compile(s);
        assert_eq!(
            c.sql,
            concat!(
                r#"SELECT DISTINCT "a"."title", count(*) AS "n" FROM "articles" AS "a" "#,
                r#"JOIN "authors" ON "authors"."id" = "a"."author_id" "#,
                r#"LEFT OUTER JOIN "tags" AS "t2" ON "t2"."article_id" = "a"."id" "#,
                r#"WHERE "authors"."email" <> $1 GROUP BY "a"."title" HAVING count(*) >= $2 "#,
                r#"ORDER BY "a"."title", "a"."created_on" DESC NULLS LAST, "a"."id" NULLS FIRST "#,
                r#"LIMIT $3 OFFSET $4"#
            )
        );
        assert_eq!(
            c.params,
            vec![
                Value::from("x@y"),
                Value::Int(2),
                Value::BigInt(10),
                Value::BigInt(20)
            ]
        );
    }

    #[test]
    fn select_without_items_or_from() {
        assert_eq!(sql(Select::from("t")), r#"SELECT * FROM "t""#);
        let mut s = Select::default();
        s.item(val(1));
        assert_eq!(sql(s), "SELECT $1");
        let mut s = Select::from("t");
        s.offset = Some(u64::MAX);
        assert_eq!(compile(s).params, vec![Value::BigInt(i64::MAX)]);
    }

    fn insert(columns: &[&str], rows: Vec<Vec<Value>>) -> Insert {
        Insert {
            table: "authors".into(),
            columns: columns.iter().map(|c| (*c).to_owned()).collect(),
            rows,
            on_conflict: None,
            returning: vec![],
        }
    }

    #[test]
    fn insert_multi_row_returning() {
        let mut i = insert(
            &["firstname", "email"],
            vec![
                vec![Value::from("Ezz"), Value::from("e@x")],
                vec![Value::Null, Value::from("n@x")],
            ],
        );
        i.returning = vec!["id".into(), "joined".into()];
        let c = compile(i);
        assert_eq!(
            c.sql,
            r#"INSERT INTO "authors" ("firstname", "email") VALUES ($1, $2), ($3, $4) RETURNING "id", "joined""#
        );
        assert_eq!(c.params.len(), 4);
        assert_eq!(c.params[2], Value::Null);
    }

    #[test]
    fn insert_default_values() {
        let mut one = insert(&[], vec![vec![]]);
        one.returning = vec!["id".into()];
        assert_eq!(
            sql(one),
            r#"INSERT INTO "authors" DEFAULT VALUES RETURNING "id""#
        );
        let three = insert(&[], vec![vec![], vec![], vec![]]);
        assert_eq!(
            sql(three),
            r#"INSERT INTO "authors" VALUES (DEFAULT), (DEFAULT), (DEFAULT)"#
        );
    }

    #[test]
    fn insert_on_conflict() {
        let mut i = insert(
            &["email", "firstname"],
            vec![vec![val_of("e"), val_of("f")]],
        );
        i.on_conflict = Some(OnConflict {
            target: vec!["email".into()],
            action: OnConflictAction::DoNothing,
        });
        assert_eq!(
            sql(i.clone()),
            r#"INSERT INTO "authors" ("email", "firstname") VALUES ($1, $2) ON CONFLICT ("email") DO NOTHING"#
        );
        i.on_conflict = Some(OnConflict {
            target: vec!["email".into()],
            action: OnConflictAction::DoUpdate(vec!["firstname".into(), "la\"st".into()]),
        });
        i.returning = vec!["id".into()];
        assert_eq!(
            sql(i.clone()),
            r#"INSERT INTO "authors" ("email", "firstname") VALUES ($1, $2) ON CONFLICT ("email") DO UPDATE SET "firstname" = EXCLUDED."firstname", "la""st" = EXCLUDED."la""st" RETURNING "id""#
        );
        i.on_conflict = Some(OnConflict {
            target: vec![],
            action: OnConflictAction::DoUpdate(vec![]),
        });
        i.returning.clear();
        assert!(sql(i).ends_with("VALUES ($1, $2) ON CONFLICT DO NOTHING"));
    }

    fn val_of(s: &str) -> Value {
        Value::from(s)
    }

    #[test]
    fn update() {
        let u = Update {
            table: "articles".into(),
            set: vec![
                ("title".into(), val("New")),
                (
                    "views".into(),
                    Expr::column("articles", "views").binary(BinaryOp::Add, val(1)),
                ),
            ],
            filter: Some(Expr::column("articles", "id").binary(BinaryOp::Eq, val(7))),
            returning: vec!["updated_on".into()],
        };
        let c = compile(u);
        assert_eq!(
            c.sql,
            r#"UPDATE "articles" SET "title" = $1, "views" = "articles"."views" + $2 WHERE "articles"."id" = $3 RETURNING "updated_on""#
        );
        assert_eq!(c.params, vec![val_of("New"), Value::Int(1), Value::Int(7)]);
    }

    #[test]
    fn update_from_values() {
        let u = UpdateFromValues {
            table: "articles".into(),
            key_columns: vec![("id".into(), SqlType::Integer)],
            set_columns: vec![
                ("title".into(), SqlType::Varchar(100)),
                ("price".into(), SqlType::Numeric(Some((10, 2)))),
                ("data".into(), SqlType::Json),
            ],
            rows: vec![
                vec![Value::Int(1), val_of("a"), Value::Null, Value::Null],
                vec![Value::Int(2), val_of("b"), Value::Null, Value::Null],
            ],
        };
        let c = compile(u);
        assert_eq!(
            c.sql,
            concat!(
                r#"UPDATE "articles" SET "title" = "__v"."title", "price" = "__v"."price", "data" = "__v"."data" "#,
                r#"FROM (VALUES ($1::INTEGER, $2::TEXT, $3::NUMERIC, $4::JSONB), ($5::INTEGER, $6::TEXT, $7::NUMERIC, $8::JSONB)) "#,
                r#"AS "__v"("id", "title", "price", "data") WHERE "articles"."id" = "__v"."id""#
            )
        );
        assert_eq!(c.params.len(), 8);
        assert_eq!(c.params[4], Value::Int(2));
    }

    #[test]
    fn update_from_values_composite_key_and_version() {
        let u = UpdateFromValues {
            table: "t".into(),
            key_columns: vec![
                ("a".into(), SqlType::BigInt),
                ("version".into(), SqlType::Integer),
            ],
            set_columns: vec![
                ("version".into(), SqlType::Integer),
                ("at".into(), SqlType::TimestampTz),
            ],
            rows: vec![vec![
                Value::BigInt(1),
                Value::Int(3),
                Value::Int(4),
                Value::Null,
            ]],
        };
        assert_eq!(
            sql(u),
            concat!(
                r#"UPDATE "t" SET "version" = "__v"."version__new", "at" = "__v"."at" "#,
                r#"FROM (VALUES ($1::BIGINT, $2::INTEGER, $3::INTEGER, $4::TIMESTAMP WITH TIME ZONE)) "#,
                r#"AS "__v"("a", "version", "version__new", "at") "#,
                r#"WHERE "t"."a" = "__v"."a" AND "t"."version" = "__v"."version""#
            )
        );
    }

    #[test]
    fn delete() {
        let d = Delete {
            table: "articles".into(),
            filter: Some(Expr::column("articles", "author_id").binary(BinaryOp::Eq, val(3))),
            returning: vec!["id".into()],
        };
        assert_eq!(
            sql(d),
            r#"DELETE FROM "articles" WHERE "articles"."author_id" = $1 RETURNING "id""#
        );
        let all = Delete {
            table: "a\"b".into(),
            filter: None,
            returning: vec![],
        };
        assert_eq!(sql(all), r#"DELETE FROM "a""b""#);
    }

    #[test]
    fn transaction_keywords_quote_savepoint_names() {
        use orm_core::TransactionOp;
        let d = PgDialect;
        assert_eq!(d.transaction_sql(TransactionOp::Begin), "BEGIN");
        assert_eq!(d.transaction_sql(TransactionOp::Commit), "COMMIT");
        assert_eq!(d.transaction_sql(TransactionOp::Rollback), "ROLLBACK");
        assert_eq!(
            d.transaction_sql(TransactionOp::Savepoint("sa_1")),
            r#"SAVEPOINT "sa_1""#
        );
        assert_eq!(
            d.transaction_sql(TransactionOp::ReleaseSavepoint("x\"; COMMIT; --")),
            r#"RELEASE SAVEPOINT "x""; COMMIT; --""#
        );
        assert_eq!(
            d.transaction_sql(TransactionOp::RollbackToSavepoint("sp")),
            r#"ROLLBACK TO SAVEPOINT "sp""#
        );
    }
}
