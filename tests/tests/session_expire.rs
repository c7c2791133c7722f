//! Expiry as in SQLAlchemy: `expire(h)`, `expire_all()` and the `expire_on_commit`
//! option make a later read see what other transactions committed.

use crate::common;

use common::*;
use orm_core::{Error, Handle, InstanceState, MetaData, Model};

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "shelves")]
#[orm(has_many(books = Book, backref = "shelf", order_by = "id"))]
pub struct Shelf {
    #[orm(primary_key)]
    pub id: Option<i32>,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "books")]
pub struct Book {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub title: String,
    #[orm(foreign_key = "shelves.id")]
    pub shelf_id: Option<i32>,
}

fn selects(log: &orm_core::StatementLog) -> usize {
    dml(log).iter().filter(|s| s.starts_with("SELECT")).count()
}

#[test]
fn an_expired_instance_is_reloaded_at_its_next_read() {
    let (db, session, log) = setup("expire_one");
    let a = session.add(author("x@example.com"));
    session.commit().unwrap();
    db.execute_raw("UPDATE authors SET firstname = 'Elsewhere'");
    assert_eq!(a.read().firstname, None, "not expired: the loaded value");

    log.clear();
    session.expire(&a).unwrap();
    assert!(a.is_expired());
    assert!(log.is_empty(), "expiring sends nothing");
    assert_eq!(a.read().firstname.as_deref(), Some("Elsewhere"));
    assert_eq!(selects(&log), 1);
    assert!(!a.is_expired());
    a.read();
    assert_eq!(selects(&log), 1, "reloaded once");
}

#[test]
fn expiring_discards_unflushed_changes() {
    let (db, session, _log) = setup("expire_discards");
    session.set_autoflush(false);
    let a = session.add(author("d@example.com"));
    session.commit().unwrap();
    a.write().lastname = Some("Unsaved".into());
    session.expire(&a).unwrap();
    assert_eq!(a.read().lastname, None);
    assert!(!a.is_modified());
    session.commit().unwrap();
    assert_eq!(db.query_text("SELECT lastname FROM authors"), [["NULL"]]);
}

#[test]
fn expire_on_commit_makes_reads_after_commit_see_other_transactions() {
    let (db, session, log) = setup("expire_on_commit");
    session.set_expire_on_commit(true);
    let a = session.add(author("c@example.com"));
    let b = session.add(author("d@example.com"));
    session.commit().unwrap();
    assert!(a.is_expired() && b.is_expired());
    db.execute_raw("UPDATE authors SET firstname = 'Committed elsewhere'");

    log.clear();
    assert_eq!(a.read().firstname.as_deref(), Some("Committed elsewhere"));
    assert_eq!(selects(&log), 1, "one SELECT for the instance read");
    // A query refreshes the expired instances it returns, without populate_existing.
    let all = session.query::<Author>().all().unwrap();
    assert!(all.iter().any(|h| h.ptr_eq(&b)));
    assert!(!b.is_expired());
    assert_eq!(b.read().firstname.as_deref(), Some("Committed elsewhere"));
}

#[test]
fn without_expire_on_commit_reads_after_commit_send_nothing() {
    let (_db, session, log) = setup("expire_default_off");
    let a = session.add(author("o@example.com"));
    session.commit().unwrap();
    log.clear();
    assert!(!a.is_expired());
    assert!(a.read().id.is_some());
    assert!(log.is_empty(), "{:#?}", log.statements());
}

#[test]
fn expire_all_reloads_every_instance() {
    let (db, session, _log) = setup("expire_all");
    let a = session.add(author("all@example.com"));
    let c = session.add(Category {
        name: "root".into(),
        ..Default::default()
    });
    session.commit().unwrap();
    db.execute_raw("UPDATE authors SET lastname = 'L'; UPDATE categories SET name = 'renamed'");
    session.expire_all().unwrap();
    assert!(a.is_expired() && c.is_expired());
    assert_eq!(a.read().lastname.as_deref(), Some("L"));
    assert_eq!(c.read().name, "renamed");
}

#[test]
fn get_of_an_expired_instance_reloads_it_or_finds_it_gone() {
    let (db, session, log) = setup("expire_get");
    let a = session.add(author("g@example.com"));
    let b = session.add(author("h@example.com"));
    session.commit().unwrap();
    let (ida, idb) = (a.read().id.unwrap(), b.read().id.unwrap());
    session.expire_all().unwrap();
    db.execute_raw(&format!(
        "UPDATE authors SET firstname = 'Fresh' WHERE id = {ida}; DELETE FROM authors WHERE id = {idb}"
    ));
    log.clear();
    let again = session.get::<Author>(ida).unwrap().unwrap();
    assert!(again.ptr_eq(&a));
    assert_eq!(selects(&log), 1);
    assert_eq!(a.read().firstname.as_deref(), Some("Fresh"));
    assert!(session.get::<Author>(idb).unwrap().is_none());
    assert_eq!(b.state(), InstanceState::Detached, "its row is gone");
}

#[test]
fn load_reports_what_read_cannot() {
    let (db, session, _log) = setup("expire_load");
    let a = session.add(author("l@example.com"));
    session.commit().unwrap();
    session.expire(&a).unwrap();
    db.execute_raw("DELETE FROM authors");
    let err = a.load().unwrap_err();
    assert!(matches!(err, Error::NoResultFound(_)), "{err:?}");
    assert_eq!(a.state(), InstanceState::Detached);
}

#[test]
fn only_persistent_instances_can_be_expired() {
    let (_db, session, _log) = setup("expire_pending");
    let a = session.add(author("p@example.com"));
    assert!(matches!(session.expire(&a), Err(Error::InvalidRequest(_))));
}

#[test]
fn expired_collections_load_again() {
    let (db, session, _log) = setup("expire_collections");
    MetaData::new()
        .with::<Shelf>()
        .with::<Book>()
        .create_all(&db.engine)
        .unwrap();
    db.execute_raw(
        "INSERT INTO shelves DEFAULT VALUES; INSERT INTO books (title, shelf_id) VALUES ('a', 1);",
    );
    session.set_expire_on_commit(true);
    let shelf = session.get::<Shelf>(1).unwrap().unwrap();
    assert_eq!(shelf.collection(Shelf::books).unwrap().len(), 1);
    session.commit().unwrap();
    db.execute_raw("INSERT INTO books (title, shelf_id) VALUES ('b', 1);");
    let titles: Vec<String> = shelf
        .collection(Shelf::books)
        .unwrap()
        .iter()
        .map(|b: &Handle<Book>| b.read().title.clone())
        .collect();
    assert_eq!(titles, ["a", "b"]);
}
