//! The SQLAlchemy tutorial's queries, step by step, give the tutorial's outputs.

use crate::common;

use common::*;
use orm_core::{Error, Handle, Session};

const CLEAN: &str = "How to Write Clean Python";
const CATALOGS: &str = "How to Get Metadata from PostgreSQL System Catalogs";
const SQLA: &str = "Interacting with Databases using SQLAlchemy with PostgreSQL";

/// "Insert data": two authors, three articles, committed.
fn insert_data(session: &Session) -> [Handle<Article>; 3] {
    let ezz = session.add(Author {
        firstname: Some("Ezz".into()),
        lastname: Some("Eldin".into()),
        ..author("ezz@example.com")
    });
    let ahmed = session.add(Author {
        firstname: Some("Ahmed".into()),
        lastname: Some("Ahmed".into()),
        ..author("ahmed@example.com")
    });
    let article1 = session.add(article("clean-python", CLEAN));
    let article2 = session.add(article(
        "how-to-get-metadata-from-postgresql-system-catalogs",
        CATALOGS,
    ));
    let article3 = session.add(article("sqlalchemy-postgres", SQLA));
    session.link(&article1, Article::author_id, &ezz).unwrap();
    session.link(&article2, Article::author_id, &ahmed).unwrap();
    session.link(&article3, Article::author_id, &ezz).unwrap();
    session.commit().unwrap();
    [article1, article2, article3]
}

fn titles(it: impl IntoIterator<Item = orm_core::Result<Handle<Article>>>) -> Vec<String> {
    it.into_iter()
        .map(|a| a.unwrap().read().title.clone())
        .collect()
}

#[test]
fn the_tutorials_queries_give_its_outputs() {
    let (db, session, _log) = setup("tutorial_queries");
    let [article1, article2, _article3] = insert_data(&session);
    assert_eq!(article1.read().id, Some(1), "a fresh schema numbers from 1");

    // "Update data": a change through a handle is flushed before the next query.
    article2.write().slug = "postgresql-system-catalogs".into();
    let article_query = session.query::<Article>();
    let clean_py_article = article_query
        .clone()
        .filter(Article::slug.eq("clean-python"))
        .first()
        .unwrap()
        .unwrap();
    assert!(
        clean_py_article.ptr_eq(&article1),
        "the identity map's instance"
    );
    clean_py_article.write().title = "Clean Python".into();
    assert_eq!(article1.read().title, "Clean Python");

    let clean_py_query = article_query.filter(Article::slug.eq("clean-python"));
    let updated = clean_py_query
        .update([Article::title.set("Cleaner Python")])
        .unwrap();
    assert_eq!(updated, 1);
    let first = clean_py_query.first().unwrap().unwrap();
    assert_eq!(first.read().title, "Cleaner Python");
    assert_eq!(article1.read().title, "Cleaner Python");

    // "Query data".
    let all = session
        .query::<Article>()
        .order_by(Article::id)
        .all()
        .unwrap();
    assert_eq!(
        all.iter()
            .map(|a| a.read().title.clone())
            .collect::<Vec<_>>(),
        ["Cleaner Python", CATALOGS, SQLA]
    );
    assert_eq!(
        titles(session.query::<Article>().order_by(Article::id)),
        ["Cleaner Python", CATALOGS, SQLA],
        "iterating lazily gives the same"
    );
    let third: Option<(String, String)> = session
        .query_columns((Article::slug, Article::title))
        .order_by(Article::id)
        .nth(2)
        .unwrap();
    assert_eq!(
        third,
        Some(("sqlalchemy-postgres".to_owned(), SQLA.to_owned()))
    );
    let first = session
        .query::<Article>()
        .order_by(Article::id)
        .first()
        .unwrap()
        .unwrap();
    assert_eq!(first.read().id, Some(1));
    // The tutorial prints "Cleaner Python", "Interacting ...", "How to Get ..." here,
    // which is not a descending order of those titles (C < H < I in every
    // collation): PostgreSQL, like SQLAlchemy on it, returns them I, H, C.
    assert_eq!(
        titles(session.query::<Article>().order_by(Article::title.desc())),
        [SQLA, CATALOGS, "Cleaner Python"]
    );
    assert_eq!(
        titles(session.query::<Article>().order_by(Article::title)),
        ["Cleaner Python", CATALOGS, SQLA]
    );

    // "Commit": the database holds what the session showed.
    session.commit().unwrap();
    assert_eq!(session.query::<Author>().count().unwrap(), 2);
    assert_eq!(session.query::<Article>().count().unwrap(), 3);
    assert_eq!(
        db.query_text("SELECT slug, title FROM articles ORDER BY id"),
        [
            ["clean-python", "Cleaner Python"],
            ["postgresql-system-catalogs", CATALOGS],
            ["sqlalchemy-postgres", SQLA],
        ]
    );
}

#[test]
fn the_tutorials_lookups_by_slug_and_missing_rows() {
    let (_db, session, _log) = setup("tutorial_lookups");
    let [article1, _, article3] = insert_data(&session);
    let by_slug = |slug: &str| {
        session
            .query::<Article>()
            .filter(Article::slug.eq(slug.to_owned()))
    };
    assert!(by_slug("sqlalchemy-postgres")
        .one()
        .unwrap()
        .ptr_eq(&article3));
    assert!(matches!(
        by_slug("no-such-article").one(),
        Err(Error::NoResultFound(_))
    ));
    // The author's articles, as the tutorial's relationship shows them.
    let ezz_articles: Vec<String> = session
        .query_columns(Article::slug)
        .join_fk::<Author>()
        .unwrap()
        .filter(Author::email.eq("ezz@example.com"))
        .order_by(Article::id)
        .all()
        .unwrap();
    assert_eq!(ezz_articles, ["clean-python", "sqlalchemy-postgres"]);
    assert_eq!(article1.read().author_id, Some(1));
}
