//! Joins: on an explicit condition or along a foreign key, inner and left outer;
//! filtering and ordering on the joined model; results as the primary model
//! (de-duplicated), as tuples of handles, or as column tuples.

use crate::common;
use crate::query_common;

use common::*;
use orm_core::{Error, Model};
use query_common::*;

/// One foreign key, to `articles`: reviews -> articles -> authors is a chain.
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "reviews")]
pub struct Review {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(foreign_key = "articles.id")]
    pub article_id: Option<i32>,
    pub stars: i32,
}

/// Two foreign keys to `authors`, so `join_fk` between them is ambiguous.
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "mentorships")]
pub struct Mentorship {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(foreign_key = "authors.id")]
    pub mentor_id: Option<i32>,
    #[orm(foreign_key = "authors.id")]
    pub mentee_id: Option<i32>,
}

const JOIN_AUTHORS: &str = r#"JOIN "authors" ON "articles"."author_id" = "authors"."id""#;

#[test]
fn inner_join_on_a_condition_or_a_foreign_key() {
    let (_db, s, _log) = seeded("join_inner");
    let explicit = s
        .query::<Article>()
        .join::<Author>(Article::author_id.eq(Author::id))
        .filter(Author::firstname.eq("Ezz"))
        .order_by(Article::id);
    let sql = format!(
        r#"SELECT {ARTICLE_COLUMNS} FROM "articles" {JOIN_AUTHORS} WHERE "authors"."firstname" = $1 ORDER BY "articles"."id""#
    );
    assert_eq!(explicit.compiled().sql, sql);
    let by_fk = s
        .query::<Article>()
        .join_fk::<Author>()
        .unwrap()
        .filter(Author::firstname.eq("Ezz"))
        .order_by(Article::id);
    assert_eq!(by_fk.compiled().sql, sql);
    let slugs: Vec<String> = by_fk
        .all()
        .unwrap()
        .iter()
        .map(|a| a.read().slug.clone())
        .collect();
    assert_eq!(slugs, ["clean-python", "sqlalchemy-postgres"]);
    assert_eq!(explicit.count().unwrap(), 2);
    assert!(explicit
        .first()
        .unwrap()
        .unwrap()
        .ptr_eq(&by_fk.all().unwrap()[0]));
}

#[test]
fn ordering_by_the_joined_models_columns() {
    let (_db, s, _log) = seeded("join_order");
    let q = s
        .query::<Article>()
        .join_fk::<Author>()
        .unwrap()
        .order_by(Author::email)
        .order_by(Article::id.desc());
    assert_eq!(
        q.compiled().sql,
        format!(
            r#"SELECT {ARTICLE_COLUMNS} FROM "articles" {JOIN_AUTHORS} ORDER BY "authors"."email", "articles"."id" DESC"#
        )
    );
    let slugs: Vec<String> = q
        .all()
        .unwrap()
        .iter()
        .map(|a| a.read().slug.clone())
        .collect();
    assert_eq!(
        slugs,
        ["pg-catalogs", "sqlalchemy-postgres", "clean-python"]
    );
}

#[test]
fn the_primary_model_is_returned_once_per_instance() {
    let (_db, s, _log) = seeded("join_dedupe");
    let q = s
        .query::<Author>()
        .outer_join_fk::<Article>()
        .unwrap()
        .order_by(Author::id);
    assert_eq!(
        q.compiled().sql,
        format!(
            r#"SELECT {AUTHOR_COLUMNS} FROM "authors" LEFT OUTER JOIN "articles" ON "articles"."author_id" = "authors"."id" ORDER BY "authors"."id""#
        )
    );
    let emails: Vec<String> = q
        .all()
        .unwrap()
        .iter()
        .map(|a| a.read().email.clone())
        .collect();
    assert_eq!(emails, ["ezz@example.com", "ahmed@example.org"]);
    assert_eq!(q.count().unwrap(), 3, "count() counts the joined rows");
    let streamed: Vec<String> = q
        .iter()
        .unwrap()
        .map(|a| a.unwrap().read().email.clone())
        .collect();
    assert_eq!(streamed, emails, "streaming skips repeats too");
    let with_content = s
        .query::<Author>()
        .join_fk::<Article>()
        .unwrap()
        .filter(Article::content.is_not_null());
    assert_eq!(with_content.one().unwrap().read().email, "ezz@example.com");
}

#[test]
fn tuples_of_models_with_an_outer_join() {
    let (_db, s, log) = seeded("join_tuples");
    let q = s
        .query_models::<(Article, Option<Author>)>()
        .outer_join_fk::<Author>()
        .unwrap()
        .order_by(Article::id);
    assert_eq!(
        q.compiled().sql,
        format!(
            r#"SELECT {ARTICLE_COLUMNS}, {AUTHOR_COLUMNS} FROM "articles" LEFT OUTER {JOIN_AUTHORS} ORDER BY "articles"."id""#
        )
    );
    let rows = q.all().unwrap();
    let got: Vec<(String, Option<String>)> = rows
        .iter()
        .map(|(a, au)| {
            (
                a.read().slug.clone(),
                au.as_ref().map(|au| au.read().email.clone()),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "clean-python".to_owned(),
                Some("ezz@example.com".to_owned())
            ),
            (
                "pg-catalogs".to_owned(),
                Some("ahmed@example.org".to_owned())
            ),
            (
                "sqlalchemy-postgres".to_owned(),
                Some("ezz@example.com".to_owned())
            ),
            ("orphan".to_owned(), None),
        ]
    );
    // One instance per row: the same author handle twice, and the one get() returns.
    let (ezz1, ezz2) = (rows[0].1.clone().unwrap(), rows[2].1.clone().unwrap());
    assert!(ezz1.ptr_eq(&ezz2));
    let sent = log.len();
    assert!(s.get::<Author>(1).unwrap().unwrap().ptr_eq(&ezz1));
    assert_eq!(log.len(), sent, "already loaded");
    // The terminals work on tuples too.
    let (first, _) = q.first().unwrap().unwrap();
    assert!(first.ptr_eq(&rows[0].0));
    assert!(q.nth(3).unwrap().unwrap().1.is_none());
    assert_eq!(q.count().unwrap(), 4);
    assert_eq!(q.iter().unwrap().count(), 4);
}

#[test]
fn with_entity_adds_a_model_to_a_query() {
    let (_db, s, _log) = seeded("join_with_entity");
    let q = s
        .query::<Article>()
        .join_fk::<Author>()
        .unwrap()
        .filter(Author::lastname.is_null())
        .with_entity::<Author>();
    assert_eq!(
        q.compiled().sql,
        format!(
            r#"SELECT {ARTICLE_COLUMNS}, {AUTHOR_COLUMNS} FROM "articles" {JOIN_AUTHORS} WHERE "authors"."lastname" IS NULL"#
        )
    );
    let (article, author) = q.one().unwrap();
    assert_eq!(
        (article.read().slug.as_str(), author.read().email.as_str()),
        ("pg-catalogs", "ahmed@example.org")
    );
    // A model that an outer join may miss must be asked for as Option<_>.
    let missing = s
        .query::<Article>()
        .outer_join_fk::<Author>()
        .unwrap()
        .filter(Article::author_id.is_null())
        .with_entity::<Author>()
        .all()
        .unwrap_err();
    assert!(
        matches!(&missing, Error::UnexpectedNull(m) if m.contains("Option<")),
        "{missing}"
    );
}

#[test]
fn column_queries_join_too() {
    let (_db, s, _log) = seeded("join_columns");
    let q = s
        .query_columns((Article::slug, Author::email))
        .join_fk::<Author>()
        .unwrap()
        .order_by(Article::id);
    assert_eq!(
        q.compiled().sql,
        format!(
            r#"SELECT "articles"."slug", "authors"."email" FROM "articles" {JOIN_AUTHORS} ORDER BY "articles"."id""#
        )
    );
    assert_eq!(q.all().unwrap().len(), 3);
    // From the other side, outer: the missing side's columns read as nullable.
    let q = s
        .query_columns((Author::email, Article::slug.nullable()))
        .outer_join_fk::<Article>()
        .unwrap()
        .filter(Author::firstname.eq("Ahmed"));
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "authors"."email", "articles"."slug" FROM "authors" LEFT OUTER JOIN "articles" ON "articles"."author_id" = "authors"."id" WHERE "authors"."firstname" = $1"#
    );
    assert_eq!(
        q.all().unwrap(),
        [(
            "ahmed@example.org".to_owned(),
            Some("pg-catalogs".to_owned())
        )]
    );
    let lonely = s.add(author("lonely@example.net"));
    s.flush().unwrap();
    let q = s
        .query_columns((Author::email, Article::slug.nullable()))
        .outer_join::<Article>(Article::author_id.eq(Author::id))
        .filter(Author::id.eq(lonely.read().id));
    assert_eq!(q.one().unwrap(), ("lonely@example.net".to_owned(), None));
}

#[test]
fn a_chain_of_foreign_key_joins() {
    let (db, s, _log) = seeded("join_chain");
    metadata().with::<Review>().create_all(&db.engine).unwrap();
    db.execute_raw("INSERT INTO reviews (article_id, stars) VALUES (1, 5), (3, 4)");
    let q = s
        .query_columns((Review::stars, Article::slug))
        .join_fk::<Article>()
        .unwrap()
        .order_by(Review::id);
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "reviews"."stars", "articles"."slug" FROM "reviews" JOIN "articles" ON "reviews"."article_id" = "articles"."id" ORDER BY "reviews"."id""#
    );
    assert_eq!(
        q.all().unwrap(),
        [
            (5, "clean-python".to_owned()),
            (4, "sqlalchemy-postgres".to_owned())
        ]
    );
    // reviews -> articles -> authors: the second join goes along articles' key.
    let q = s
        .query::<Review>()
        .join_fk::<Article>()
        .unwrap()
        .join_fk::<Author>()
        .unwrap()
        .filter(Author::firstname.eq("Ezz"));
    assert!(q.compiled().sql.ends_with(&format!(
        r#"FROM "reviews" JOIN "articles" ON "reviews"."article_id" = "articles"."id" {JOIN_AUTHORS} WHERE "authors"."firstname" = $1"#
    )), "{}", q.compiled().sql);
    assert_eq!(q.count().unwrap(), 2);
}

#[test]
fn join_fk_errors_name_the_tables() {
    let (_db, s, log) = seeded("join_errors");
    let err = s.query::<Article>().join_fk::<Country>().err().unwrap();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("`countries`") && m.contains("`articles`")),
        "{err}"
    );
    let err = s.query::<Mentorship>().join_fk::<Author>().err().unwrap();
    assert!(
        matches!(&err, Error::InvalidRequest(m)
            if m.contains("2 foreign keys") && m.contains("`authors`") && m.contains("`mentorships`")),
        "{err}"
    );
    // The explicit condition resolves the ambiguity.
    let q = s
        .query::<Mentorship>()
        .join::<Author>(Mentorship::mentee_id.eq(Author::id));
    assert!(q
        .compiled()
        .sql
        .contains(r#"JOIN "authors" ON "mentorships"."mentee_id" = "authors"."id""#));
    let err = s.query::<Category>().join_fk::<Category>().err().unwrap();
    assert!(
        matches!(&err, Error::InvalidRequest(m) if m.contains("already in the query")),
        "{err}"
    );
    let err = s
        .query::<Article>()
        .join_fk::<Author>()
        .unwrap()
        .join_fk::<Author>()
        .err()
        .unwrap();
    assert!(matches!(&err, Error::InvalidRequest(_)), "{err}");
    assert!(dml(&log).is_empty(), "nothing was sent");
}
