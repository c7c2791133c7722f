//! Hostile values travel as bind parameters: quotes, semicolons, LIKE wildcards,
//! backslashes, placeholders and a 10 MB string are stored and matched literally and
//! never executed; a NUL byte (which PostgreSQL text cannot hold) is a typed error
//! with nothing written.

use crate::common;

use common::*;
use orm_core::{Error, Session};

const HOSTILE: [&str; 9] = [
    "'; DROP TABLE articles; --",
    "\"; DROP TABLE \"articles\"; --",
    "Robert'); DELETE FROM authors; --",
    "50% off_sale",
    r"back\slash \\ double \' quote",
    "$1 $2 ? :name",
    "E'\\x27' OR '1'='1",
    "*/ /* -- ; COMMIT; BEGIN",
    "ünïcödé ☃ 'quoted'",
];

/// Adds one article per hostile string (as slug, title and content) and commits.
fn insert_hostile(session: &Session) {
    let author = session.add(author("'; DROP TABLE authors; --@example.com"));
    session.flush().unwrap();
    let author_id = author.read().id;
    session.add_all(HOSTILE.iter().enumerate().map(|(i, h)| Article {
        slug: format!("{i}:{h}"),
        title: (*h).to_owned(),
        content: Some(format!("{h}{h}")),
        author_id,
        ..Default::default()
    }));
    session.commit().unwrap();
}

fn titles_where(session: &Session, cond: orm_core::Expr) -> Vec<String> {
    session
        .query_columns(Article::title)
        .filter(cond)
        .order_by(Article::id)
        .all()
        .unwrap()
}

#[test]
fn hostile_values_are_stored_literally() {
    let (db, session, log) = setup("inject_store");
    insert_hostile(&session);
    assert!(
        log.entries()
            .iter()
            .all(|(sql, _)| !HOSTILE.iter().any(|h| sql.contains(h))),
        "no value is inlined into SQL text"
    );
    assert_eq!(
        db.tables(),
        ["articles", "authors", "categories", "countries"]
    );
    let stored = db.query_strings("SELECT title, content FROM articles ORDER BY id");
    for (row, h) in stored.iter().zip(HOSTILE) {
        assert_eq!(row[0].as_deref(), Some(h));
        assert_eq!(row[1].as_deref(), Some(format!("{h}{h}").as_str()));
    }
    assert_eq!(
        db.query_text("SELECT email FROM authors"),
        [["'; DROP TABLE authors; --@example.com"]]
    );
    // Read back through the ORM, and found by equality and IN.
    let fresh = db.engine.session();
    let titles: Vec<String> = fresh
        .query_columns(Article::title)
        .order_by(Article::id)
        .all()
        .unwrap();
    assert_eq!(titles, HOSTILE);
    for h in HOSTILE {
        assert_eq!(titles_where(&fresh, Article::title.eq(h)), [h], "{h}");
    }
    assert_eq!(titles_where(&fresh, Article::title.in_(HOSTILE)), HOSTILE);
    assert_eq!(fresh.query::<Author>().count().unwrap(), 1);
}

#[test]
fn like_patterns_match_hostile_text_literally() {
    let (_db, session, _log) = setup("inject_like");
    insert_hostile(&session);
    // contains/starts_with/ends_with escape %, _ and \: they match those characters only.
    assert_eq!(
        titles_where(&session, Article::title.contains("%")),
        [HOSTILE[3]]
    );
    assert_eq!(
        titles_where(&session, Article::title.contains("_")),
        [HOSTILE[3]]
    );
    assert_eq!(
        titles_where(&session, Article::title.contains("% off_")),
        [HOSTILE[3]]
    );
    assert!(titles_where(&session, Article::title.contains("%%")).is_empty());
    assert_eq!(
        titles_where(&session, Article::title.contains(r"\\")),
        [HOSTILE[4]]
    );
    assert_eq!(
        titles_where(&session, Article::title.contains(r"\")),
        [HOSTILE[4], HOSTILE[6]]
    );
    assert_eq!(
        titles_where(&session, Article::title.starts_with("'; DROP")),
        [HOSTILE[0]]
    );
    assert_eq!(
        titles_where(&session, Article::title.ends_with("; --")),
        &HOSTILE[..3]
    );
    assert_eq!(
        titles_where(&session, Article::title.contains("$1")),
        [HOSTILE[5]]
    );
    assert_eq!(
        titles_where(&session, Article::title.contains("'1'='1")),
        [HOSTILE[6]]
    );
    // like() takes a pattern: its wildcards work, its quotes are just characters.
    assert_eq!(
        titles_where(&session, Article::title.like("%'; DROP%")),
        [HOSTILE[0]]
    );
    assert_eq!(
        titles_where(&session, Article::title.ilike("%; delete from%")),
        [HOSTILE[2]]
    );
    assert_eq!(
        titles_where(&session, Article::title.like("50_ off%")),
        [HOSTILE[3]]
    );
    // Nothing was dropped or deleted along the way.
    assert_eq!(
        session.query::<Article>().count().unwrap(),
        HOSTILE.len() as i64
    );
    assert_eq!(session.query::<Author>().count().unwrap(), 1);
}

#[test]
fn a_ten_megabyte_string_round_trips_and_matches() {
    let (db, session, _log) = setup("inject_big");
    let unit = "'; DROP TABLE articles; -- 100% _\\ ";
    let big: String = unit.repeat(10 * 1024 * 1024 / unit.len() + 1);
    assert!(big.len() >= 10 * 1024 * 1024);
    let mut a = article("big", "Big");
    a.content = Some(big.clone());
    session.add(a);
    session.commit().unwrap();
    let content = session
        .query_columns(Article::content)
        .one()
        .unwrap()
        .unwrap();
    assert_eq!(content.len(), big.len());
    assert!(content == big);
    let n = |cond| session.query::<Article>().filter(cond).count().unwrap();
    assert_eq!(n(Article::content.eq(big.clone())), 1);
    // Patterns: a 1 MB prefix; a suffix and an infix kept short, because LIKE '%..'
    // on a periodic 10 MB text costs the server (text x pattern) comparisons.
    assert_eq!(n(Article::content.starts_with(&big[..1024 * 1024])), 1);
    assert_eq!(n(Article::content.ends_with(&big[big.len() - 200..])), 1);
    assert_eq!(n(Article::content.contains(&big[3..200])), 1);
    assert_eq!(n(Article::content.contains(&format!("{unit}x"))), 0);
    assert_eq!(
        db.query_text("SELECT length(content)::text FROM articles"),
        [[big.chars().count().to_string()]]
    );
    assert_eq!(
        db.tables(),
        ["articles", "authors", "categories", "countries"]
    );
}

#[test]
fn a_nul_byte_is_a_typed_error_and_nothing_is_written() {
    let (db, session, _log) = setup("inject_nul");
    session.add(article("ok", "Kept"));
    session.commit().unwrap();

    session.add(article("nul", "a\0b; DROP TABLE articles; --"));
    let err = session.commit().unwrap_err();
    let info = err
        .db_info()
        .unwrap_or_else(|| panic!("a server error: {err:?}"));
    assert_eq!(info.code, "22021", "character_not_in_repertoire: {err}");
    assert!(matches!(err, Error::Database(_)), "{err:?}");
    session.rollback().unwrap();
    assert_eq!(db.query_text("SELECT slug FROM articles"), [["ok"]]);

    // In a filter value too; the session is usable after rollback.
    let err = session
        .query::<Article>()
        .filter(Article::title.eq("Kept\0"))
        .all()
        .unwrap_err();
    assert_eq!(
        err.db_info().map(|i| i.code.as_str()),
        Some("22021"),
        "{err}"
    );
    session.rollback().unwrap();
    let err = session
        .query::<Article>()
        .filter(Article::title.contains("\0"))
        .count()
        .unwrap_err();
    assert_eq!(
        err.db_info().map(|i| i.code.as_str()),
        Some("22021"),
        "{err}"
    );
    session.rollback().unwrap();
    assert_eq!(session.query::<Article>().count().unwrap(), 1);
    assert_eq!(
        db.tables(),
        ["articles", "authors", "categories", "countries"]
    );
}
