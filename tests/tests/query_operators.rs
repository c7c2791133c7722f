//! Every operator of the expression language (comparisons, NULL tests, IN lists,
//! BETWEEN, LIKE and its literal forms, AND/OR/NOT), each checked twice: the exact
//! PostgreSQL text the query compiles to, and the rows the server returns.
//! Functions, arithmetic and subqueries are in `query_functions.rs`.

use crate::common;
use crate::query_common;

use common::*;
use orm_core::Value;
use query_common::*;

#[test]
fn comparisons() {
    let (_db, s, _log) = seeded("op_compare");
    let id = r#""articles"."id""#;
    assert_eq!(
        slugs(&s, Article::id.eq(2), &format!("{id} = $1")),
        ["pg-catalogs"]
    );
    assert_eq!(
        slugs(&s, Article::id.ne(2), &format!("{id} <> $1")),
        ["clean-python", "sqlalchemy-postgres", "orphan"]
    );
    assert_eq!(
        slugs(&s, Article::id.lt(2), &format!("{id} < $1")),
        ["clean-python"]
    );
    assert_eq!(
        slugs(&s, Article::id.le(2), &format!("{id} <= $1")),
        ["clean-python", "pg-catalogs"]
    );
    assert_eq!(
        slugs(&s, Article::id.gt(3), &format!("{id} > $1")),
        ["orphan"]
    );
    assert_eq!(
        slugs(&s, Article::id.ge(3), &format!("{id} >= $1")),
        ["sqlalchemy-postgres", "orphan"]
    );
    // A column on the right is a column, not a value.
    assert_eq!(
        slugs(
            &s,
            Article::id.eq(Article::author_id),
            r#""articles"."id" = "articles"."author_id""#
        ),
        ["clean-python", "pg-catalogs"]
    );
}

#[test]
fn null_tests() {
    let (_db, s, _log) = seeded("op_null");
    let author = r#""articles"."author_id""#;
    let content = r#""articles"."content""#;
    assert_eq!(
        slugs(
            &s,
            Article::author_id.eq(None::<i32>),
            &format!("{author} IS NULL")
        ),
        ["orphan"]
    );
    assert_eq!(
        slugs(
            &s,
            Article::author_id.ne(None::<i32>),
            &format!("{author} IS NOT NULL")
        ),
        ["clean-python", "pg-catalogs", "sqlalchemy-postgres"]
    );
    assert_eq!(
        slugs(
            &s,
            Article::content.is_null(),
            &format!("{content} IS NULL")
        ),
        ["pg-catalogs", "orphan"]
    );
    assert_eq!(
        slugs(
            &s,
            Article::content.is_not_null(),
            &format!("{content} IS NOT NULL")
        ),
        ["clean-python", "sqlalchemy-postgres"]
    );
}

#[test]
fn in_lists_including_empty_ones_and_between() {
    let (_db, s, _log) = seeded("op_in");
    let id = r#""articles"."id""#;
    assert_eq!(
        slugs(&s, Article::id.in_([1, 3]), &format!("{id} = ANY($1)")),
        ["clean-python", "sqlalchemy-postgres"]
    );
    assert_eq!(
        slugs(&s, Article::id.not_in([1, 3]), &format!("{id} <> ALL($1)")),
        ["pg-catalogs", "orphan"]
    );
    // Nothing is in an empty list; everything is not in it.
    assert!(slugs(&s, Article::id.in_(Vec::<i32>::new()), "FALSE").is_empty());
    assert_eq!(
        slugs(&s, Article::id.not_in(Vec::<i32>::new()), "TRUE"),
        ALL
    );
    // NULL NOT IN (1) is unknown: the orphan is not returned.
    assert_eq!(
        slugs(
            &s,
            Article::author_id.not_in([1]),
            r#""articles"."author_id" <> ALL($1)"#
        ),
        ["pg-catalogs"]
    );
    assert_eq!(
        slugs(
            &s,
            Article::id.between(2, 3),
            &format!("{id} BETWEEN $1 AND $2")
        ),
        ["pg-catalogs", "sqlalchemy-postgres"]
    );
}

#[test]
fn like_ilike_and_literal_matches() {
    let (_db, s, _log) = seeded("op_like");
    let slug = r#""articles"."slug""#;
    let title = r#""articles"."title""#;
    assert_eq!(
        slugs(
            &s,
            Article::slug.like("%python%"),
            &format!("{slug} LIKE $1")
        ),
        ["clean-python"]
    );
    assert_eq!(
        slugs(
            &s,
            Article::slug.like("pg_catalogs"),
            &format!("{slug} LIKE $1")
        ),
        ["pg-catalogs"],
        "`_` is a wildcard in like()"
    );
    assert_eq!(
        slugs(
            &s,
            Article::title.ilike("%POSTGRESQL%"),
            &format!("{title} ILIKE $1")
        ),
        ["pg-catalogs", "sqlalchemy-postgres"]
    );
    let escaped = format!(r"{title} LIKE $1 ESCAPE E'\\'");
    assert_eq!(
        slugs(&s, Article::title.contains("SQL"), &escaped),
        ["pg-catalogs", "sqlalchemy-postgres"]
    );
    assert_eq!(
        slugs(&s, Article::title.starts_with("How to"), &escaped),
        ["clean-python", "pg-catalogs"]
    );
    assert_eq!(
        slugs(&s, Article::title.ends_with("PostgreSQL"), &escaped),
        ["sqlalchemy-postgres"]
    );
    assert!(slugs(
        &s,
        Article::slug.contains("pg_catalogs"),
        &format!(r"{slug} LIKE $1 ESCAPE E'\\'")
    )
    .is_empty());
    let q = s
        .query_columns(Article::slug)
        .filter(Article::slug.contains("a_b%c"));
    assert_eq!(q.compiled().params, [Value::from(r"%a\_b\%c%")]);
}

#[test]
fn and_or_not_as_methods_and_operators() {
    let (_db, s, _log) = seeded("op_bool");
    let (id, content) = (r#""articles"."id""#, r#""articles"."content""#);
    let either = || Article::id.eq(1) | Article::id.eq(4);
    assert_eq!(
        slugs(&s, either(), &format!("{id} = $1 OR {id} = $2")),
        ["clean-python", "orphan"]
    );
    assert_eq!(
        slugs(
            &s,
            Article::id.eq(1).or(Article::id.eq(4)),
            &format!("{id} = $1 OR {id} = $2")
        ),
        ["clean-python", "orphan"]
    );
    assert_eq!(
        slugs(
            &s,
            either() & Article::content.is_null(),
            &format!("({id} = $1 OR {id} = $2) AND {content} IS NULL")
        ),
        ["orphan"]
    );
    assert_eq!(
        slugs(
            &s,
            either().and(Article::content.is_null()),
            &format!("({id} = $1 OR {id} = $2) AND {content} IS NULL")
        ),
        ["orphan"]
    );
    assert_eq!(
        slugs(
            &s,
            !Article::content.is_null(),
            &format!("NOT ({content} IS NULL)")
        ),
        ["clean-python", "sqlalchemy-postgres"]
    );
    assert_eq!(
        slugs(&s, either().not(), &format!("NOT ({id} = $1 OR {id} = $2)")),
        ["pg-catalogs", "sqlalchemy-postgres"]
    );
    // Two filter() calls are ANDed.
    let q = s
        .query_columns(Article::slug)
        .filter(Article::id.gt(1))
        .filter(Article::id.lt(3));
    assert_eq!(
        run(
            q,
            &format!(r#"SELECT "articles"."slug" FROM "articles" WHERE {id} > $1 AND {id} < $2"#)
        ),
        ["pg-catalogs"]
    );
}
