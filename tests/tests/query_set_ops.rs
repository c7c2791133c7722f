//! Set operations: `UNION [ALL]`, `INTERSECT [ALL]`, `EXCEPT [ALL]` of model queries
//! (results are handles, further filtered, ordered and limited) and of column
//! queries (ordered by output column, counted, used as `IN` subqueries and CTEs).

use crate::common;
use crate::query_common;

use common::*;
use orm_core::{Handle, Query, Session};
use query_common::*;

fn by_ezz(s: &Session) -> Query<'_, Article> {
    s.query::<Article>()
        .join_fk::<Author>()
        .unwrap()
        .filter(Author::firstname.eq("Ezz"))
}

fn about_postgres(s: &Session) -> Query<'_, Article> {
    s.query::<Article>()
        .filter(Article::title.contains("PostgreSQL"))
}

fn slugs_of(articles: &[Handle<Article>]) -> Vec<String> {
    articles.iter().map(|a| a.read().slug.clone()).collect()
}

#[test]
fn set_operations_of_model_queries() {
    let (_db, s, log) = seeded("setop_models");
    let union = by_ezz(&s).union(about_postgres(&s)).order_by(Article::id);
    let by_ezz_sql = format!(
        r#"SELECT {ARTICLE_COLUMNS} FROM "articles" JOIN "authors" ON "articles"."author_id" = "authors"."id" WHERE "authors"."firstname" = $1"#
    );
    let about_sql = format!(
        r#"SELECT {ARTICLE_COLUMNS} FROM "articles" WHERE "articles"."title" LIKE $2 ESCAPE E'\\'"#
    );
    assert_eq!(
        union.compiled().sql,
        format!(
            r#"SELECT {ARTICLE_COLUMNS} FROM ({by_ezz_sql} UNION {about_sql}) AS "articles" ORDER BY "articles"."id""#
        )
    );
    let found = union.all().unwrap();
    assert_eq!(
        slugs_of(&found),
        ["clean-python", "pg-catalogs", "sqlalchemy-postgres"]
    );
    let again = s
        .query::<Article>()
        .filter(Article::id.eq(1))
        .one()
        .unwrap();
    assert!(again.ptr_eq(&found[0]), "handles of the identity map");
    assert_eq!(log.statements().len(), 3, "BEGIN and two SELECTs");

    let both = by_ezz(&s).intersect(about_postgres(&s)).all().unwrap();
    assert_eq!(slugs_of(&both), ["sqlalchemy-postgres"]);
    let only_ezz = by_ezz(&s).except(about_postgres(&s)).all().unwrap();
    assert_eq!(slugs_of(&only_ezz), ["clean-python"]);

    // The combined rows are filtered, ordered and limited like a table.
    let last = by_ezz(&s)
        .union_all(about_postgres(&s))
        .filter(Article::content.is_not_null())
        .order_by(Article::id.desc())
        .first()
        .unwrap()
        .unwrap();
    assert_eq!(last.read().slug, "sqlalchemy-postgres");
    assert_eq!(by_ezz(&s).union_all(about_postgres(&s)).count().unwrap(), 4);
}

#[test]
fn set_operations_of_column_queries() {
    let (_db, s, _log) = seeded("setop_columns");
    let names = s
        .query_columns(Author::email)
        .union(s.query_columns(Article::slug))
        .order_by(Author::email);
    assert_eq!(
        names.compiled().sql,
        r#"SELECT "authors"."email" FROM "authors" UNION SELECT "articles"."slug" FROM "articles" ORDER BY "email""#
    );
    assert_eq!(
        names.all().unwrap(),
        [
            "ahmed@example.org",
            "clean-python",
            "ezz@example.com",
            "orphan",
            "pg-catalogs",
            "sqlalchemy-postgres"
        ]
    );
    assert_eq!(names.count().unwrap(), 6);
    assert_eq!(
        names.clone().limit(2).offset(1).all().unwrap(),
        ["clean-python", "ezz@example.com"]
    );

    let with_articles = s
        .query_columns(Author::id)
        .intersect(s.query_columns(Article::author_id));
    let mut ids = with_articles.all().unwrap();
    ids.sort();
    assert_eq!(ids.len(), 2);
    // author_id is 1, 2, 1, NULL: EXCEPT ALL removes one 1 and the 2.
    let mut rest = s
        .query_columns(Article::author_id)
        .except_all(s.query_columns(Author::id))
        .all()
        .unwrap();
    rest.sort();
    assert_eq!(rest, [None, ids[0]]);
    let twice = s
        .query_columns(Author::id)
        .union_all(s.query_columns(Author::id))
        .intersect_all(s.query_columns(Article::author_id));
    assert_eq!(
        twice.compiled().sql,
        r#"SELECT "authors"."id" FROM "authors" UNION ALL SELECT "authors"."id" FROM "authors" INTERSECT ALL SELECT "articles"."author_id" FROM "articles""#
    );
}

#[test]
fn operands_keep_their_own_order_and_limit() {
    let (_db, s, _log) = seeded("setop_operands");
    let first_slug = s
        .query_columns(Article::slug)
        .order_by(Article::id)
        .limit(1);
    let first_email = s.query_columns(Author::email).order_by(Author::id).limit(1);
    let q = first_slug.union_all(first_email);
    assert_eq!(
        q.compiled().sql,
        r#"SELECT * FROM (SELECT "articles"."slug" FROM "articles" ORDER BY "articles"."id" LIMIT $1) AS "anon_1" UNION ALL (SELECT "authors"."email" FROM "authors" ORDER BY "authors"."id" LIMIT $2)"#
    );
    let mut got = q.all().unwrap();
    got.sort();
    assert_eq!(got, ["clean-python", "ezz@example.com"]);
}

#[test]
fn a_set_operation_as_subquery_and_cte() {
    let (_db, s, _log) = seeded("setop_subquery");
    let ids = s
        .query_columns(Author::id)
        .filter(Author::firstname.eq("Ahmed"))
        .union(
            s.query_columns(Author::id)
                .filter(Author::email.like("nobody%")),
        );
    let q = s
        .query_columns(Article::slug)
        .filter(Article::author_id.in_subquery(&ids));
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "articles"."slug" FROM "articles" WHERE "articles"."author_id" IN (SELECT "authors"."id" FROM "authors" WHERE "authors"."firstname" = $1 UNION SELECT "authors"."id" FROM "authors" WHERE "authors"."email" LIKE $2)"#
    );
    assert_eq!(q.all().unwrap(), ["pg-catalogs"]);

    let everyone = s
        .query_columns(Author::email)
        .union(s.query_columns(Article::slug))
        .cte("everyone");
    let name = everyone.columns();
    let q = s
        .query_columns(name.clone())
        .select_from_source(&everyone)
        .filter(name.clone().like("%@%"))
        .order_by(name);
    assert_eq!(
        q.compiled().sql,
        r#"WITH "everyone" ("email") AS (SELECT "authors"."email" FROM "authors" UNION SELECT "articles"."slug" FROM "articles") SELECT "everyone"."email" FROM "everyone" WHERE "everyone"."email" LIKE $1 ORDER BY "everyone"."email""#
    );
    assert_eq!(q.all().unwrap(), ["ahmed@example.org", "ezz@example.com"]);
}
