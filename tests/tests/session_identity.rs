//! The identity map, `get`, `expunge`, `refresh`, autoflush, Send, and freeing.

use crate::common;

use common::*;
use orm_core::{InstanceState, Model, Session};

#[test]
fn get_of_a_loaded_object_sends_nothing() {
    let (_db, session, log) = setup("identity_get");
    let a = session.add(author("g@example.com"));
    session.flush().unwrap();
    let id = a.read().id.unwrap();
    log.clear();
    let got = session.get::<Author>(id).unwrap().unwrap();
    assert!(got.ptr_eq(&a));
    assert!(log.is_empty(), "{:#?}", log.statements());
    // A missing key is one SELECT and None.
    assert!(session.get::<Author>(id + 1000).unwrap().is_none());
    assert_eq!(dml(&log).len(), 1);
}

#[test]
fn two_queries_for_one_row_give_the_same_handle() {
    let (_db, session, _log) = setup("identity_queries");
    let a = session.add(article("same", "Same"));
    session.commit().unwrap();
    let q1 = session
        .query::<Article>()
        .filter(Article::slug.eq("same"))
        .one()
        .unwrap();
    let q2 = session.query::<Article>().first().unwrap().unwrap();
    assert!(q1.ptr_eq(&a) && q2.ptr_eq(&a));
    q1.write().title = "Changed through q1".into();
    assert_eq!(a.read().title, "Changed through q1");
}

#[test]
fn a_query_does_not_overwrite_unflushed_changes_unless_asked() {
    let (db, session, _log) = setup("identity_populate");
    session.set_autoflush(false);
    let a = session.add(author("p@example.com"));
    session.commit().unwrap();
    a.write().firstname = Some("local".into());
    db.query_strings("UPDATE authors SET lastname = 'remote'");
    let again = session.query::<Author>().one().unwrap();
    assert!(again.ptr_eq(&a));
    assert_eq!(a.read().firstname.as_deref(), Some("local"));
    assert_eq!(a.read().lastname, None, "loaded instance left as it is");
    session.flush().unwrap();
    session.commit().unwrap();
    session.query::<Author>().populate_existing().all().unwrap();
    assert_eq!(a.read().lastname.as_deref(), Some("remote"));
}

#[test]
fn autoflush_runs_before_queries_and_can_be_switched_off() {
    let (_db, session, _log) = setup("identity_autoflush");
    session.add(author("auto@example.com"));
    assert_eq!(session.query::<Author>().count().unwrap(), 1);
    session.set_autoflush(false);
    session.add(author("manual@example.com"));
    assert_eq!(session.query::<Author>().count().unwrap(), 1);
    session.flush().unwrap();
    assert_eq!(session.query::<Author>().count().unwrap(), 2);
}

#[test]
fn expunge_detaches_and_refresh_reloads() {
    let (db, session, _log) = setup("identity_expunge");
    let a = session.add(author("e@example.com"));
    session.commit().unwrap();
    let id = a.read().id.unwrap();

    db.query_strings("UPDATE authors SET firstname = 'fresh'");
    a.write().firstname = Some("stale".into());
    session.refresh(&a).unwrap();
    assert_eq!(a.read().firstname.as_deref(), Some("fresh"));
    assert!(!a.is_modified());

    session.expunge(&a);
    assert_eq!(session.state(&a), InstanceState::Detached);
    let other = session.get::<Author>(id).unwrap().unwrap();
    assert!(
        !other.ptr_eq(&a),
        "an expunged instance is no longer in the identity map"
    );
    // A detached instance cannot come back while its identity is taken.
    assert!(session.attach(&a).is_err());
}

#[test]
fn deleting_a_pending_object_just_forgets_it() {
    let (_db, session, log) = setup("identity_delete_pending");
    let a = session.add(author("p@example.com"));
    session.delete(&a).unwrap();
    session.commit().unwrap();
    assert_eq!(session.state(&a), InstanceState::Transient);
    assert!(dml(&log).is_empty());
}

#[test]
fn session_is_send_and_moves_between_threads() {
    fn assert_send<T: Send>() {}
    assert_send::<Session>();
    assert_send::<orm_core::Handle<Author>>();
    let (db, session, _log) = setup("identity_send");
    let h = session.add(author("t@example.com"));
    let session = std::thread::spawn(move || {
        session.commit().unwrap();
        session
    })
    .join()
    .unwrap();
    assert!(h.read().id.is_some());
    drop(session);
    assert_eq!(db.count("authors"), 1);
}

#[test]
fn dropping_the_session_and_handles_frees_every_instance() {
    let (_db, session, _log) = setup("identity_leak");
    let ezz = session.add(author("ezz@example.com"));
    let a1 = session.add(article("a1", "A1"));
    let a2 = session.add(article("a2", "A2"));
    session.link(&a1, Article::author_id, &ezz).unwrap();
    session.link(&a2, Article::author_id, &ezz).unwrap();
    session.commit().unwrap();
    let loaded = session.query::<Article>().all().unwrap();
    let weak: Vec<_> = [ezz.downgrade()].into_iter().collect::<Vec<_>>();
    let weak_articles: Vec<_> = loaded.iter().map(|h| h.downgrade()).collect();
    drop((ezz, a1, a2, loaded));
    drop(session);
    assert!(weak.iter().all(|w| w.upgrade().is_none()), "author freed");
    assert!(
        weak_articles.iter().all(|w| w.upgrade().is_none()),
        "articles freed"
    );
}

#[test]
fn unchanged_instances_nobody_holds_are_not_kept_alive_by_the_session() {
    let (_db, session, _log) = setup("identity_weak");
    session.add_all((0..10).map(|i| author(&format!("w{i}@example.com"))));
    session.commit().unwrap();
    let weak: Vec<_> = session
        .query::<Author>()
        .all()
        .unwrap()
        .iter()
        .map(|h| h.downgrade())
        .collect();
    assert_eq!(weak.len(), 10);
    assert!(weak.iter().all(|w| w.upgrade().is_none()));
    assert_eq!(session.identity_map_len(), 0);
}

#[test]
fn merge_copies_a_plain_value_onto_the_sessions_instance() {
    let (db, session, log) = setup("identity_merge");
    let a = session.add(author("m@example.com"));
    session.commit().unwrap();
    let id = a.read().id;

    // A plain value for the same row (e.g. deserialized from a request).
    let edited = Author {
        id,
        firstname: Some("Merged".into()),
        ..author("m@example.com")
    };
    log.clear();
    let merged = session.merge(edited.clone()).unwrap();
    assert!(merged.ptr_eq(&a), "the loaded instance takes the values");
    assert!(log.is_empty(), "loaded: no SELECT");
    session.commit().unwrap();
    let updates: Vec<String> = dml(&log)
        .into_iter()
        .filter(|s| s.starts_with("UPDATE"))
        .collect();
    assert_eq!(updates.len(), 1);
    assert!(
        updates[0].contains("\"firstname\"") && !updates[0].contains("\"email\""),
        "{}",
        updates[0]
    );

    // In another session the row is loaded first, then updated.
    let s2 = db.engine.session();
    let again = s2
        .merge(Author {
            lastname: Some("Two".into()),
            ..edited
        })
        .unwrap();
    assert_eq!(again.state(), InstanceState::Persistent);
    s2.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT firstname, lastname FROM authors"),
        [["Merged", "Two"]]
    );

    // A key that does not exist yet, or no key at all: added as new.
    let fresh = s2
        .merge(Author {
            id: Some(4242),
            ..author("new@example.com")
        })
        .unwrap();
    assert_eq!(fresh.state(), InstanceState::Pending);
    let keyless = s2.merge(author("keyless@example.com")).unwrap();
    assert_eq!(keyless.state(), InstanceState::Pending);
    s2.commit().unwrap();
    assert_eq!(db.query_text("SELECT count(*) FROM authors"), [["3"]]);
}

#[test]
fn table_debug_reads_like_sqlalchemy() {
    let text = format!("{:?}", Article::table());
    assert!(
        text.starts_with("Table('articles', MetaData(), Column('id', Integer()"),
        "{text}"
    );
    assert_eq!(text, Article::table().to_string());
}
