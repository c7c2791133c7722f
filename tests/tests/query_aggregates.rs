//! Aggregates in column queries: GROUP BY, HAVING, ordering by an aggregate,
//! aggregates over joins, and counting grouped queries.

use crate::common;
use crate::query_common;

use common::*;
use orm_core::func;
use query_common::*;

const GROUPED: &str = r#"SELECT "articles"."author_id", count("articles"."id") FROM "articles" GROUP BY "articles"."author_id""#;

#[test]
fn group_by_and_having() {
    let (_db, s, log) = seeded("agg_having");
    let q = s
        .query_columns((Article::author_id, func::count(Article::id)))
        .group_by(Article::author_id)
        .having(func::count(Article::id).gt(1));
    assert_eq!(
        q.compiled().sql,
        format!(r#"{GROUPED} HAVING count("articles"."id") > $1"#)
    );
    assert_eq!(q.all().unwrap(), [(Some(1), 2)]);
    // Counting a grouped query counts its groups.
    let all_groups = s
        .query_columns((Article::author_id, func::count(Article::id)))
        .group_by(Article::author_id);
    assert_eq!(all_groups.count().unwrap(), 3);
    assert_eq!(
        dml(&log).pop().unwrap(),
        format!(r#"SELECT count(*) FROM ({GROUPED}) AS "anon_1""#)
    );
    assert_eq!(q.count().unwrap(), 1);
    // Several having() calls are ANDed.
    let q = all_groups
        .clone()
        .having(func::count(Article::id).ge(1))
        .having(func::max(Article::id).lt(4));
    assert_eq!(
        q.compiled().sql,
        format!(r#"{GROUPED} HAVING count("articles"."id") >= $1 AND max("articles"."id") < $2"#)
    );
    let mut got = q.all().unwrap();
    got.sort();
    assert_eq!(got, [(Some(1), 2), (Some(2), 1)]);
}

#[test]
fn ordering_by_an_aggregate() {
    let (_db, s, _log) = seeded("agg_order");
    let q = s
        .query_columns((
            Article::author_id,
            func::count(Article::id),
            func::min(Article::slug),
            func::max(Article::id),
        ))
        .group_by(Article::author_id)
        .order_by(func::count(Article::id).desc())
        .order_by(Article::author_id.asc().nulls_first());
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "articles"."author_id", count("articles"."id"), min("articles"."slug"), max("articles"."id") FROM "articles" GROUP BY "articles"."author_id" ORDER BY count("articles"."id") DESC, "articles"."author_id" NULLS FIRST"#
    );
    assert_eq!(
        q.all().unwrap(),
        [
            (Some(1), 2, Some("clean-python".to_owned()), Some(3)),
            (None, 1, Some("orphan".to_owned()), Some(4)),
            (Some(2), 1, Some("pg-catalogs".to_owned()), Some(2)),
        ]
    );
    assert_eq!(
        q.first().unwrap(),
        Some((Some(1), 2, Some("clean-python".to_owned()), Some(3)))
    );
}

#[test]
fn aggregates_over_a_join() {
    let (_db, s, _log) = seeded("agg_join");
    s.add(author("lonely@example.net"));
    s.flush().unwrap();
    let q = s
        .query_columns((Author::email, func::count(Article::id)))
        .outer_join_fk::<Article>()
        .unwrap()
        .group_by(Author::email)
        .order_by(Author::email);
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "authors"."email", count("articles"."id") FROM "authors" LEFT OUTER JOIN "articles" ON "articles"."author_id" = "authors"."id" GROUP BY "authors"."email" ORDER BY "authors"."email""#
    );
    let rows: Vec<(String, i64)> = q.all().unwrap();
    assert_eq!(
        rows,
        [
            ("ahmed@example.org".to_owned(), 1),
            ("ezz@example.com".to_owned(), 2),
            ("lonely@example.net".to_owned(), 0),
        ]
    );
    // Authors whose articles all have content.
    let q = s
        .query_columns(Author::email)
        .join_fk::<Article>()
        .unwrap()
        .group_by(Author::email)
        .having(func::count(Article::content).eq(func::count_star()));
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "authors"."email" FROM "authors" JOIN "articles" ON "articles"."author_id" = "authors"."id" GROUP BY "authors"."email" HAVING count("articles"."content") = count(*)"#
    );
    assert_eq!(q.all().unwrap(), ["ezz@example.com"]);
}

#[test]
fn aggregates_without_group_by_and_select_from() {
    let (_db, s, _log) = seeded("agg_plain");
    let q = s
        .query_columns(func::count_star())
        .select_from::<Article>()
        .filter(Article::content.is_null());
    assert_eq!(
        q.compiled().sql,
        r#"SELECT count(*) FROM "articles" WHERE "articles"."content" IS NULL"#
    );
    assert_eq!(q.one().unwrap(), 2);
    let q = s.query_columns((
        func::count(Product::stock),
        func::sum(Product::stock),
        func::avg(Product::price),
        func::min(Product::weight),
        func::max(Product::weight),
    ));
    let (n, sum, avg, min, max) = q.one().unwrap();
    assert_eq!((n, sum), (2, Some(13)));
    assert!((avg.unwrap() - 14.583_333_333).abs() < 1e-6);
    assert_eq!(
        (min, max),
        (
            Some(rust_decimal::Decimal::new(20, 3)),
            Some(rust_decimal::Decimal::new(450, 3))
        )
    );
    // A distinct count, as a subquery.
    let authors = s.query_columns(Article::author_id).distinct();
    assert_eq!(authors.count().unwrap(), 3);
}
