//! Optimistic concurrency: a `version` column is set at insert, bumped by every UPDATE,
//! and matched by UPDATE and DELETE, so a concurrent change raises `StaleData`.

use orm_core::prelude::*;
use orm_core::Error;
use tests::TestDb;

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "docs")]
pub struct Doc {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub body: String,
    #[orm(version)]
    pub version: i32,
}

fn setup(name: &str) -> (TestDb, Session, StatementLog) {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Doc>()
        .create_all(&db.engine)
        .unwrap();
    let log = StatementLog::attach(&db.engine);
    let session = db.engine.session();
    (db, session, log)
}

#[test]
fn version_starts_at_one_and_is_bumped_by_updates() {
    let (db, session, log) = setup("version_bump");
    let d = session.add(Doc {
        body: "a".into(),
        ..Default::default()
    });
    session.commit().unwrap();
    assert_eq!(d.read().version, 1);
    d.write().body = "b".into();
    session.commit().unwrap();
    assert_eq!(d.read().version, 2);
    assert_eq!(
        db.query_text("SELECT body, version FROM docs"),
        [["b", "2"]]
    );
    let update = log
        .statements()
        .into_iter()
        .find(|s| s.starts_with("UPDATE"))
        .unwrap();
    assert!(update.contains("\"version\""), "matched and set: {update}");
}

#[test]
fn a_concurrent_change_makes_the_update_stale() {
    let (db, session, _log) = setup("version_stale_update");
    let d = session.add(Doc {
        body: "mine".into(),
        ..Default::default()
    });
    session.commit().unwrap();
    db.execute_raw("UPDATE docs SET body = 'theirs', version = version + 1");
    d.write().body = "mine again".into();
    assert!(matches!(session.commit(), Err(Error::StaleData(_))));
    session.rollback().unwrap();
    assert_eq!(
        d.read().version,
        1,
        "the bump was undone with the failed flush"
    );
    assert_eq!(
        db.query_text("SELECT body, version FROM docs"),
        [["theirs", "2"]]
    );
}

#[test]
fn a_concurrent_change_makes_the_delete_stale() {
    let (db, session, _log) = setup("version_stale_delete");
    let d = session.add(Doc {
        body: "x".into(),
        ..Default::default()
    });
    session.commit().unwrap();
    db.execute_raw("UPDATE docs SET version = version + 1");
    session.delete(&d).unwrap();
    assert!(matches!(session.commit(), Err(Error::StaleData(_))));
    session.rollback().unwrap();
    assert_eq!(db.query_text("SELECT count(*) FROM docs"), [["1"]]);
}

#[test]
fn batched_updates_check_every_version() {
    let (db, session, log) = setup("version_batch");
    let docs = session.add_all((0..3).map(|i| Doc {
        body: format!("d{i}"),
        ..Default::default()
    }));
    session.commit().unwrap();
    log.clear();
    for d in &docs {
        d.write().body.push('!');
    }
    session.commit().unwrap();
    let updates: Vec<String> = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("UPDATE"))
        .collect();
    assert_eq!(updates.len(), 1, "{updates:#?}");
    assert_eq!(
        db.query_text("SELECT body, version FROM docs ORDER BY id"),
        [["d0!", "2"], ["d1!", "2"], ["d2!", "2"]]
    );
    // One row changed behind the session's back: the whole batch is stale.
    db.execute_raw("UPDATE docs SET version = 9 WHERE body = 'd1!'");
    for d in &docs {
        d.write().body.push('?');
    }
    assert!(matches!(session.commit(), Err(Error::StaleData(_))));
    session.rollback().unwrap();
    assert_eq!(
        db.query_text("SELECT count(*) FROM docs WHERE body LIKE '%?'"),
        [["0"]]
    );
}
