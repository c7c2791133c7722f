//! Arithmetic, SQL functions, aggregates and subqueries in expressions, each checked
//! twice: the exact PostgreSQL text the query compiles to, and the rows the server
//! returns.

use crate::common;
use crate::query_common;

use chrono::{NaiveDate, TimeZone, Utc};
use common::*;
use orm_core::func;
use query_common::*;
use rust_decimal::Decimal;

#[test]
fn arithmetic_in_filters_and_select_lists() {
    let (_db, s, _log) = seeded("op_arith");
    let q = s
        .query_columns(Product::name)
        .filter(Product::price.mul(2.0).gt(20.0))
        .order_by(Product::id);
    assert_eq!(
        run(
            q,
            r#"SELECT "products"."name" FROM "products" WHERE "products"."price" * $1 > $2 ORDER BY "products"."id""#
        ),
        ["book", "lamp"]
    );
    let q = s
        .query_columns(Product::name)
        .filter((Product::stock + 1).eq(4));
    assert_eq!(
        run(
            q,
            r#"SELECT "products"."name" FROM "products" WHERE "products"."stock" + $1 = $2"#
        ),
        ["book"]
    );
    let q = s
        .query_columns((
            Product::name,
            Product::price - 1.0,
            Product::stock * 2,
            Product::stock / 2,
            Product::stock.rem(3),
            Product::weight.mul(Decimal::from(1000)),
        ))
        .order_by(Product::id);
    let rows = run(
        q,
        r#"SELECT "products"."name", "products"."price" - $1, "products"."stock" * $2, "products"."stock" / $3, "products"."stock" % $4, "products"."weight" * $5 FROM "products" ORDER BY "products"."id""#,
    );
    assert_eq!(
        rows,
        [
            (
                "pen".to_owned(),
                0.5,
                Some(20),
                Some(5),
                Some(1),
                Some(Decimal::from(20))
            ),
            (
                "book".to_owned(),
                11.0,
                Some(6),
                Some(1),
                Some(0),
                Some(Decimal::from(450))
            ),
            ("lamp".to_owned(), 29.25, None, None, None, None),
        ]
    );
    let q = s
        .query_columns((
            Product::stock.add(Product::stock).sub(1),
            Product::price.div(2.0),
        ))
        .filter(Product::id.eq(1));
    assert_eq!(
        run(
            q,
            r#"SELECT "products"."stock" + "products"."stock" - $1, "products"."price" / $2 FROM "products" WHERE "products"."id" = $3"#
        ),
        [(Some(19), 0.75)]
    );
    let q = s
        .query_columns(Article::slug.concat("!"))
        .filter(Article::id.eq(1));
    assert_eq!(
        run(
            q,
            r#"SELECT "articles"."slug" || $1 FROM "articles" WHERE "articles"."id" = $2"#
        ),
        ["clean-python!"]
    );
}

#[test]
fn string_functions() {
    let (_db, s, _log) = seeded("op_strings");
    assert_eq!(
        slugs(
            &s,
            func::lower(Article::title).eq("how to write clean python"),
            r#"lower("articles"."title") = $1"#
        ),
        ["clean-python"]
    );
    assert_eq!(
        slugs(
            &s,
            func::upper(Article::slug).in_(["ORPHAN", "PG-CATALOGS"]),
            r#"upper("articles"."slug") = ANY($1)"#
        ),
        ["pg-catalogs", "orphan"]
    );
    let q = s
        .query_columns((
            func::upper(Article::slug),
            func::length(Article::slug),
            func::length(Article::content),
        ))
        .order_by(Article::id)
        .limit(2);
    assert_eq!(
        run(
            q,
            r#"SELECT upper("articles"."slug"), length("articles"."slug"), length("articles"."content") FROM "articles" ORDER BY "articles"."id" LIMIT $1"#
        ),
        [
            ("CLEAN-PYTHON".to_owned(), 12, Some(11)),
            ("PG-CATALOGS".to_owned(), 11, None)
        ]
    );
    let q = s
        .query_columns(func::coalesce(Article::content, "(none)"))
        .order_by(Article::id);
    assert_eq!(
        run(
            q,
            r#"SELECT coalesce("articles"."content", $1) FROM "articles" ORDER BY "articles"."id""#
        ),
        ["Lorem ipsum", "(none)", "Lorem ipsum", "(none)"]
    );
    assert_eq!(
        slugs(
            &s,
            func::length(Article::slug).gt(11) & func::lower(Article::slug).starts_with("sql"),
            r#"length("articles"."slug") > $1 AND lower("articles"."slug") LIKE $2 ESCAPE E'\\'"#
        ),
        ["sqlalchemy-postgres"]
    );
}

#[test]
fn now_and_localtimestamp() {
    let (_db, s, _log) = seeded("op_now");
    let q = s.query_columns(func::now());
    let now = run(q, "SELECT now()");
    assert!((Utc::now() - now[0]).num_seconds().abs() < 60, "{now:?}");
    let y2k = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
    assert_eq!(slugs(&s, func::now().gt(y2k), "now() > $1"), ALL);
    let naive = NaiveDate::from_ymd_opt(2000, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    assert_eq!(
        slugs(
            &s,
            Article::created_on.gt(naive) & Article::created_on.lt(func::localtimestamp()),
            r#""articles"."created_on" > $1 AND "articles"."created_on" < CAST(now() AS TIMESTAMP WITHOUT TIME ZONE)"#
        ),
        ALL
    );
}

#[test]
fn aggregates() {
    let (_db, s, _log) = seeded("op_aggregates");
    let q = s.query_columns((func::count(Article::author_id), func::count_star()));
    assert_eq!(
        run(
            q,
            r#"SELECT count("articles"."author_id"), count(*) FROM "articles""#
        ),
        [(3, 4)]
    );
    let q = s.query_columns((
        func::sum(Product::stock),
        func::sum(Product::price),
        func::sum(Product::weight),
        func::avg(Product::stock),
        func::min(Product::price),
        func::max(Product::name),
    ));
    let rows = run(
        q,
        r#"SELECT sum("products"."stock"), sum("products"."price"), sum("products"."weight"), avg("products"."stock"), min("products"."price"), max("products"."name") FROM "products""#,
    );
    assert_eq!(
        rows,
        [(
            Some(13i64),
            Some(43.75),
            Some(Decimal::new(470, 3)),
            Some(Decimal::new(65, 1)),
            Some(1.5),
            Some("pen".to_owned())
        )]
    );
    let avg = s
        .query_columns(func::avg(Product::price))
        .one()
        .unwrap()
        .unwrap();
    assert!((avg - 43.75 / 3.0).abs() < 1e-9, "{avg}");
    // Over no rows: count is 0, the others NULL.
    let q = s
        .query_columns((
            func::count_star(),
            func::sum(Product::stock),
            func::max(Product::price),
        ))
        .filter(Product::id.gt(100));
    assert_eq!(
        run(
            q,
            r#"SELECT count(*), sum("products"."stock"), max("products"."price") FROM "products" WHERE "products"."id" > $1"#
        ),
        [(0, None, None)]
    );
}

#[test]
fn in_subquery_and_not_in_subquery() {
    let (_db, s, _log) = seeded("op_subquery");
    let dotcom = s
        .query_columns(Author::id)
        .filter(Author::email.ends_with("@example.com"));
    let sub =
        r#"(SELECT "authors"."id" FROM "authors" WHERE "authors"."email" LIKE $1 ESCAPE E'\\')"#;
    assert_eq!(
        slugs(
            &s,
            Article::author_id.in_subquery(&dotcom),
            &format!(r#""articles"."author_id" IN {sub}"#)
        ),
        ["clean-python", "sqlalchemy-postgres"]
    );
    assert_eq!(
        slugs(
            &s,
            Article::author_id.not_in_subquery(&dotcom),
            &format!(r#""articles"."author_id" NOT IN {sub}"#)
        ),
        ["pg-catalogs"]
    );
    // The same subquery from a model query.
    let from_model = s
        .query::<Author>()
        .filter(Author::email.ends_with("@example.com"))
        .select_columns(Author::id);
    assert_eq!(
        slugs(
            &s,
            Article::author_id.in_subquery(from_model),
            &format!(r#""articles"."author_id" IN {sub}"#)
        ),
        ["clean-python", "sqlalchemy-postgres"]
    );
    // A typed expression on the left, an aggregate subquery on the right.
    let max_id = s.query_columns(func::max(Article::id));
    assert_eq!(
        slugs(
            &s,
            (Article::id + 0).in_subquery(max_id),
            r#""articles"."id" + $1 IN (SELECT max("articles"."id") FROM "articles")"#
        ),
        ["orphan"]
    );
}

#[test]
fn exists_and_not_exists_correlated() {
    let (_db, s, _log) = seeded("op_exists");
    let without_content = s
        .query::<Article>()
        .filter(Article::author_id.eq(Author::id))
        .filter(Article::content.is_null());
    let sub = format!(
        r#"(SELECT {ARTICLE_COLUMNS} FROM "articles" WHERE "articles"."author_id" = "authors"."id" AND "articles"."content" IS NULL)"#
    );
    let q = s
        .query_columns(Author::email)
        .filter(func::exists(&without_content))
        .order_by(Author::id);
    assert_eq!(
        run(
            q,
            &format!(
                r#"SELECT "authors"."email" FROM "authors" WHERE EXISTS {sub} ORDER BY "authors"."id""#
            )
        ),
        ["ahmed@example.org"]
    );
    let q = s
        .query_columns(Author::email)
        .filter(func::not_exists(&without_content))
        .order_by(Author::id);
    assert_eq!(
        run(
            q,
            &format!(
                r#"SELECT "authors"."email" FROM "authors" WHERE NOT EXISTS {sub} ORDER BY "authors"."id""#
            )
        ),
        ["ezz@example.com"]
    );
}

#[test]
fn typed_expressions_order_and_compare_like_columns() {
    let (_db, s, _log) = seeded("op_typed_order");
    let q = s
        .query_columns(Article::slug)
        .order_by(func::length(Article::slug).desc())
        .order_by(Article::slug);
    assert_eq!(
        run(
            q,
            r#"SELECT "articles"."slug" FROM "articles" ORDER BY length("articles"."slug") DESC, "articles"."slug""#
        ),
        [
            "sqlalchemy-postgres",
            "clean-python",
            "pg-catalogs",
            "orphan"
        ]
    );
    assert_eq!(
        slugs(
            &s,
            func::coalesce(Article::author_id, 0).eq(0),
            r#"coalesce("articles"."author_id", $1) = $2"#
        ),
        ["orphan"]
    );
    assert_eq!(
        slugs(
            &s,
            func::length(Article::content).is_null(),
            r#"length("articles"."content") IS NULL"#
        ),
        ["pg-catalogs", "orphan"]
    );
    assert_eq!(
        slugs(
            &s,
            func::length(Article::slug).between(6, 11),
            r#"length("articles"."slug") BETWEEN $1 AND $2"#
        ),
        ["pg-catalogs", "orphan"]
    );
}
