//! The terminals (`all`, `first`, `nth`, `one`, `one_or_none`, `count`, `exists`) on
//! model and column queries, `limit`/`offset`, `distinct` and ordering: the rows, the
//! errors, and the statements sent.

use crate::common;
use crate::query_common;

use common::*;
use orm_core::{Error, Handle, Value};
use query_common::*;

fn slugs_of(handles: &[Handle<Article>]) -> Vec<String> {
    handles.iter().map(|h| h.read().slug.clone()).collect()
}

/// The SQL and parameters of the last statement sent.
fn last(log: &orm_core::StatementLog) -> (String, Vec<Value>) {
    log.entries().pop().expect("a statement was sent")
}

#[test]
fn all_and_first() {
    let (_db, s, log) = seeded("term_all_first");
    let q = s.query::<Article>().order_by(Article::id);
    assert_eq!(
        q.compiled().sql,
        format!(r#"SELECT {ARTICLE_COLUMNS} FROM "articles" ORDER BY "articles"."id""#)
    );
    let all = q.all().unwrap();
    assert_eq!(
        slugs_of(&all),
        [
            "clean-python",
            "pg-catalogs",
            "sqlalchemy-postgres",
            "orphan"
        ]
    );
    let first = q.first().unwrap().unwrap();
    assert!(
        first.ptr_eq(&all[0]),
        "the identity map gives the same handle"
    );
    assert_eq!(
        last(&log),
        (
            format!(
                r#"SELECT {ARTICLE_COLUMNS} FROM "articles" ORDER BY "articles"."id" LIMIT $1"#
            ),
            vec![Value::BigInt(1)]
        )
    );
    assert!(q
        .clone()
        .filter(Article::slug.eq("nope"))
        .first()
        .unwrap()
        .is_none());
    let slug = s
        .query_columns(Article::slug)
        .order_by(Article::id.desc())
        .first()
        .unwrap();
    assert_eq!(slug.as_deref(), Some("orphan"));
}

#[test]
fn one_and_one_or_none() {
    let (_db, s, log) = seeded("term_one");
    let by_slug = |slug: &str| {
        s.query::<Article>()
            .filter(Article::slug.eq(slug.to_owned()))
    };
    let a = by_slug("orphan").one().unwrap();
    assert_eq!(a.read().title, TITLE_4);
    let (sql, params) = last(&log);
    assert!(
        sql.ends_with(r#"WHERE "articles"."slug" = $1 LIMIT $2"#),
        "{sql}"
    );
    assert_eq!(params, [Value::from("orphan"), Value::BigInt(2)]);

    assert!(
        matches!(by_slug("nope").one(), Err(Error::NoResultFound(m)) if m.contains("articles"))
    );
    assert!(by_slug("nope").one_or_none().unwrap().is_none());
    assert!(by_slug("orphan").one_or_none().unwrap().unwrap().ptr_eq(&a));
    let several = s.query::<Article>().filter(Article::author_id.eq(1));
    assert!(matches!(several.one(), Err(Error::MultipleResultsFound(m)) if m.contains("articles")));
    assert!(matches!(
        several.one_or_none(),
        Err(Error::MultipleResultsFound(_))
    ));

    // The same on column queries.
    let titles = s.query_columns(Article::title);
    assert_eq!(
        titles.clone().filter(Article::id.eq(4)).one().unwrap(),
        TITLE_4
    );
    assert!(matches!(
        titles.clone().filter(Article::id.eq(9)).one(),
        Err(Error::NoResultFound(_))
    ));
    assert_eq!(
        titles
            .clone()
            .filter(Article::id.eq(9))
            .one_or_none()
            .unwrap(),
        None
    );
    assert!(matches!(titles.one(), Err(Error::MultipleResultsFound(_))));
    // Still usable after the errors (they are not database errors).
    assert_eq!(s.query::<Article>().count().unwrap(), 4);
}

#[test]
fn count_and_exists() {
    let (_db, s, log) = seeded("term_count");
    assert_eq!(s.query::<Article>().count().unwrap(), 4);
    assert_eq!(last(&log).0, r#"SELECT count(*) FROM "articles""#);
    let with_author = s
        .query::<Article>()
        .filter(Article::author_id.is_not_null());
    assert_eq!(with_author.count().unwrap(), 3);
    assert_eq!(
        last(&log).0,
        r#"SELECT count(*) FROM "articles" WHERE "articles"."author_id" IS NOT NULL"#
    );
    // LIMIT and DISTINCT count over the query as a subquery.
    assert_eq!(with_author.clone().limit(2).count().unwrap(), 2);
    assert_eq!(
        last(&log).0,
        format!(
            r#"SELECT count(*) FROM (SELECT {ARTICLE_COLUMNS} FROM "articles" WHERE "articles"."author_id" IS NOT NULL LIMIT $1) AS "anon_1""#
        )
    );
    let authors = s.query_columns(Article::author_id).distinct();
    assert_eq!(authors.count().unwrap(), 3, "1, 2 and NULL");
    assert_eq!(
        last(&log).0,
        r#"SELECT count(*) FROM (SELECT DISTINCT "articles"."author_id" FROM "articles") AS "anon_1""#
    );

    assert!(with_author.exists().unwrap());
    assert_eq!(
        last(&log).0,
        format!(
            r#"SELECT EXISTS (SELECT {ARTICLE_COLUMNS} FROM "articles" WHERE "articles"."author_id" IS NOT NULL)"#
        )
    );
    assert!(!s
        .query_columns(Article::id)
        .filter(Article::id.gt(10))
        .exists()
        .unwrap());
    assert_eq!(
        last(&log).0,
        r#"SELECT EXISTS (SELECT "articles"."id" FROM "articles" WHERE "articles"."id" > $1)"#
    );
}

#[test]
fn nth_offset_and_limit() {
    let (_db, s, log) = seeded("term_nth");
    let q = s.query::<Article>().order_by(Article::id);
    assert_eq!(q.nth(0).unwrap().unwrap().read().slug, "clean-python");
    assert_eq!(q.nth(3).unwrap().unwrap().read().slug, "orphan");
    assert_eq!(
        last(&log),
        (
            format!(
                r#"SELECT {ARTICLE_COLUMNS} FROM "articles" ORDER BY "articles"."id" LIMIT $1 OFFSET $2"#
            ),
            vec![Value::BigInt(1), Value::BigInt(3)]
        )
    );
    assert!(q.nth(4).unwrap().is_none(), "past the end is None");
    // Past the query's own limit: None without asking the server.
    let sent = log.len();
    assert!(q.clone().limit(2).nth(2).unwrap().is_none());
    assert_eq!(log.len(), sent);
    // Offsets add up.
    assert_eq!(
        q.clone().offset(1).nth(1).unwrap().unwrap().read().slug,
        "sqlalchemy-postgres"
    );
    assert_eq!(
        slugs_of(&q.clone().offset(2).all().unwrap()),
        ["sqlalchemy-postgres", "orphan"]
    );
    assert_eq!(
        slugs_of(&q.clone().offset(1).limit(2).all().unwrap()),
        ["pg-catalogs", "sqlalchemy-postgres"]
    );
    let cols = s
        .query_columns((Article::slug, Article::author_id))
        .order_by(Article::id);
    assert_eq!(
        cols.nth(1).unwrap(),
        Some(("pg-catalogs".to_owned(), Some(2)))
    );
    assert_eq!(cols.nth(9).unwrap(), None);
}

#[test]
fn limit_zero_returns_nothing() {
    let (_db, s, log) = seeded("term_limit0");
    let q = s.query::<Article>().limit(0);
    assert!(q.all().unwrap().is_empty());
    assert!(q.first().unwrap().is_none());
    assert!(q.one_or_none().unwrap().is_none());
    assert!(matches!(q.one(), Err(Error::NoResultFound(_))));
    assert!(q.nth(0).unwrap().is_none());
    assert_eq!(q.count().unwrap(), 0);
    assert!(!q.exists().unwrap());
    let cols = s.query_columns(Article::slug).limit(0);
    assert!(cols.all().unwrap().is_empty());
    assert_eq!(cols.first().unwrap(), None);
    assert_eq!(cols.iter().unwrap().count(), 0);
    assert!(
        log.is_empty(),
        "an empty slice sends nothing: {:?}",
        log.statements()
    );
}

#[test]
fn distinct() {
    let (_db, s, _log) = seeded("term_distinct");
    let q = s
        .query_columns(Article::author_id)
        .distinct()
        .order_by(Article::author_id.asc().nulls_first());
    assert_eq!(
        q.compiled().sql,
        r#"SELECT DISTINCT "articles"."author_id" FROM "articles" ORDER BY "articles"."author_id" NULLS FIRST"#
    );
    assert_eq!(q.all().unwrap(), [None, Some(1), Some(2)]);
    let q = s.query::<Author>().distinct().order_by(Author::id);
    assert_eq!(
        q.compiled().sql,
        format!(r#"SELECT DISTINCT {AUTHOR_COLUMNS} FROM "authors" ORDER BY "authors"."id""#)
    );
    assert_eq!(q.count().unwrap(), 2);
}

#[test]
fn order_by_several_keys_directions_and_nulls() {
    let (_db, s, _log) = seeded("term_order");
    let cols = || s.query_columns((Article::author_id, Article::slug));
    let q = cols()
        .order_by(Article::author_id.desc().nulls_last())
        .order_by(Article::slug.asc());
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "articles"."author_id", "articles"."slug" FROM "articles" ORDER BY "articles"."author_id" DESC NULLS LAST, "articles"."slug""#
    );
    let pairs = |v: Vec<(Option<i32>, String)>| -> Vec<(Option<i32>, String)> { v };
    let expected = |v: &[(Option<i32>, &str)]| -> Vec<(Option<i32>, String)> {
        v.iter().map(|(a, s)| (*a, (*s).to_owned())).collect()
    };
    assert_eq!(
        pairs(q.all().unwrap()),
        expected(&[
            (Some(2), "pg-catalogs"),
            (Some(1), "clean-python"),
            (Some(1), "sqlalchemy-postgres"),
            (None, "orphan"),
        ])
    );
    // PostgreSQL's defaults: NULLs sort as larger than any value.
    let q = cols()
        .order_by(Article::author_id.desc())
        .order_by(Article::slug.desc());
    assert!(q
        .compiled()
        .sql
        .ends_with(r#"ORDER BY "articles"."author_id" DESC, "articles"."slug" DESC"#));
    assert_eq!(
        pairs(q.all().unwrap()),
        expected(&[
            (None, "orphan"),
            (Some(2), "pg-catalogs"),
            (Some(1), "sqlalchemy-postgres"),
            (Some(1), "clean-python"),
        ])
    );
    let q = cols()
        .order_by(Article::author_id.asc().nulls_first())
        .order_by(Article::id);
    assert!(q
        .compiled()
        .sql
        .ends_with(r#"ORDER BY "articles"."author_id" NULLS FIRST, "articles"."id""#));
    assert_eq!(
        pairs(q.all().unwrap()),
        expected(&[
            (None, "orphan"),
            (Some(1), "clean-python"),
            (Some(1), "sqlalchemy-postgres"),
            (Some(2), "pg-catalogs"),
        ])
    );
    let titles = s
        .query::<Article>()
        .order_by(Article::title.desc())
        .all()
        .unwrap();
    assert_eq!(
        titles
            .iter()
            .map(|a| a.read().title.clone())
            .collect::<Vec<_>>(),
        [TITLE_4, TITLE_3, TITLE_1, TITLE_2]
    );
}
