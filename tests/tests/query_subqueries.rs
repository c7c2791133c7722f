//! Subqueries wherever SQL takes them: scalar subqueries compared and selected,
//! correlated subqueries, `EXISTS`, and derived tables (a subquery in FROM) joined to
//! models or read as models.

use crate::common;
use crate::query_common;

use common::*;
use orm_core::{func, StatementLog};
use query_common::*;

#[test]
fn scalar_subqueries_compare_with_eq_and_lt() {
    let (_db, s, _log) = seeded("subq_scalar_compare");
    let newest = s.query_columns(func::max(Article::id)).scalar_subquery();
    let q = s
        .query_columns(Article::slug)
        .filter(Article::id.eq(newest));
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "articles"."slug" FROM "articles" WHERE "articles"."id" = (SELECT max("articles"."id") FROM "articles")"#
    );
    assert_eq!(q.all().unwrap(), ["orphan"]);

    let average = s.query_columns(func::avg(Product::price)).scalar_subquery();
    let cheap = s
        .query_columns(Product::name)
        .filter(Product::price.lt(average))
        .order_by(Product::name);
    assert_eq!(
        cheap.compiled().sql,
        r#"SELECT "products"."name" FROM "products" WHERE "products"."price" < (SELECT avg("products"."price") FROM "products") ORDER BY "products"."name""#
    );
    assert_eq!(cheap.all().unwrap(), ["book", "pen"]);
}

#[test]
fn a_correlated_scalar_subquery_selected_as_a_column() {
    let (_db, s, _log) = seeded("subq_correlated");
    let articles_of_author = s
        .query_columns(func::count_star())
        .select_from::<Article>()
        .filter(Article::author_id.eq(Author::id))
        .scalar_subquery();
    let q = s
        .query_columns((Author::email, articles_of_author.clone()))
        .order_by(articles_of_author.desc());
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "authors"."email", (SELECT count(*) FROM "articles" WHERE "articles"."author_id" = "authors"."id") FROM "authors" ORDER BY (SELECT count(*) FROM "articles" WHERE "articles"."author_id" = "authors"."id") DESC"#
    );
    assert_eq!(
        q.all().unwrap(),
        [
            ("ezz@example.com".to_owned(), 2),
            ("ahmed@example.org".to_owned(), 1)
        ]
    );
}

#[test]
fn correlated_exists_and_not_exists() {
    let (_db, s, _log) = seeded("subq_exists");
    s.add(author("nobody@example.net"));
    let about_python = s
        .query_columns(Article::id)
        .filter(Article::author_id.eq(Author::id))
        .filter(Article::title.contains("Python"));
    let q = s.query::<Author>().filter(func::exists(&about_python));
    assert_eq!(
        q.compiled().sql,
        format!(
            r#"SELECT {AUTHOR_COLUMNS} FROM "authors" WHERE EXISTS (SELECT "articles"."id" FROM "articles" WHERE "articles"."author_id" = "authors"."id" AND "articles"."title" LIKE $1 ESCAPE E'\\')"#
        )
    );
    let found = q.all().unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].read().email, "ezz@example.com");

    let any_article = s
        .query_columns(Article::id)
        .filter(Article::author_id.eq(Author::id));
    let idle: Vec<String> = s
        .query_columns(Author::email)
        .filter(func::not_exists(any_article))
        .all()
        .unwrap();
    assert_eq!(
        idle,
        ["nobody@example.net"],
        "the pending author was flushed first"
    );
}

#[test]
fn a_derived_table_joined_to_a_model() {
    let (_db, s, _log) = seeded("subq_derived_join");
    let counts = s
        .query_columns((Article::author_id, func::count(Article::id)))
        .group_by(Article::author_id)
        .subquery();
    assert_eq!(counts.column_names(), ["author_id", "col_2"]);
    let (who, n) = counts.columns();
    let q = s
        .query_columns((Author::email, n.clone()))
        .join_to(&counts, Author::id.eq(who.clone()))
        .order_by(n.clone().desc());
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "authors"."email", "anon_1"."col_2" FROM "authors" JOIN (SELECT "articles"."author_id", count("articles"."id") FROM "articles" GROUP BY "articles"."author_id") AS "anon_1" ("author_id", "col_2") ON "authors"."id" = "anon_1"."author_id" ORDER BY "anon_1"."col_2" DESC"#
    );
    assert_eq!(
        q.all().unwrap(),
        [
            ("ezz@example.com".to_owned(), 2),
            ("ahmed@example.org".to_owned(), 1)
        ]
    );

    // Counting a DISTINCT query wraps it: the wrapper is the next anonymous name.
    let log = StatementLog::attach(s.engine());
    let distinct = s
        .query_columns(Author::email)
        .join_to(&counts, Author::id.eq(who.clone()))
        .distinct();
    assert_eq!(distinct.count().unwrap(), 2);
    let counted = log.statements().pop().unwrap();
    assert!(
        counted.starts_with(r#"SELECT count(*) FROM (SELECT DISTINCT "authors"."email" FROM "authors" JOIN (SELECT"#)
            && counted.ends_with(r#"AS "anon_1" ("author_id", "col_2") ON "authors"."id" = "anon_1"."author_id") AS "anon_2""#),
        "{counted}"
    );

    // Models joined to it, filtered on its columns.
    let prolific = s
        .query::<Author>()
        .join_to(&counts, Author::id.eq(who))
        .filter(n.gt(1))
        .all()
        .unwrap();
    assert_eq!(prolific.len(), 1);
    assert_eq!(prolific[0].read().email, "ezz@example.com");
}

#[test]
fn models_read_from_a_subquery() {
    let (_db, s, _log) = seeded("subq_models_from");
    let loaded = s
        .query::<Article>()
        .filter(Article::slug.eq("pg-catalogs"))
        .one()
        .unwrap();
    let with_content = s
        .query::<Article>()
        .filter(Article::content.is_null())
        .subquery();
    let q = s
        .query_from(&with_content)
        .filter(Article::author_id.is_not_null());
    assert_eq!(
        q.compiled().sql,
        format!(
            r#"SELECT {ARTICLE_COLUMNS} FROM (SELECT {ARTICLE_COLUMNS} FROM "articles" WHERE "articles"."content" IS NULL) AS "articles" WHERE "articles"."author_id" IS NOT NULL"#
        )
    );
    let found = q.all().unwrap();
    assert_eq!(found.len(), 1);
    assert!(found[0].ptr_eq(&loaded), "the identity map's instance");
}
