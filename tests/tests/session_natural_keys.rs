//! A changed natural primary key: the database's `ON UPDATE CASCADE` rewrites the
//! children's foreign keys, and after the flush the children in memory hold the new
//! key too, without an UPDATE of their own.

use orm_core::prelude::*;
use orm_core::StatementLog;
use tests::TestDb;

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "countries")]
#[orm(has_many(cities = City, backref = "country"))]
pub struct Country {
    #[orm(primary_key)]
    pub code: String,
    pub name: String,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "cities")]
pub struct City {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub name: String,
    #[orm(foreign_key = "countries.code", on_update = "cascade")]
    pub country_code: Option<String>,
}

/// No relationship declared: the foreign key alone says what the database does.
#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "embassies")]
pub struct Embassy {
    #[orm(primary_key)]
    pub id: Option<i32>,
    #[orm(foreign_key = "countries.code", on_update = "set null")]
    pub host_code: Option<String>,
}

fn setup(name: &str) -> (TestDb, Session, StatementLog) {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Country>()
        .with::<City>()
        .with::<Embassy>()
        .create_all(&db.engine)
        .expect("create_all");
    db.execute_raw(
        "INSERT INTO countries (code, name) VALUES ('UK', 'United Kingdom'), ('FR', 'France');
         INSERT INTO cities (name, country_code) VALUES ('London', 'UK'), ('Leeds', 'UK'), ('Paris', 'FR');
         INSERT INTO embassies (host_code) VALUES ('UK');",
    );
    let log = StatementLog::attach(&db.engine);
    let session = db.engine.session();
    (db, session, log)
}

fn city(session: &Session, name: &str) -> Handle<City> {
    session
        .query::<City>()
        .filter(City::name.eq(name))
        .one()
        .unwrap()
}

#[test]
fn loaded_children_hold_the_new_key_after_the_flush() {
    let (db, session, log) = setup("natural_key_children");
    let london = city(&session, "London");
    let paris = city(&session, "Paris");
    let uk = session.get::<Country>("UK").unwrap().unwrap();
    log.clear();
    uk.write().code = "GB".into();
    session.commit().unwrap();

    assert_eq!(london.read().country_code.as_deref(), Some("GB"));
    assert_eq!(paris.read().country_code.as_deref(), Some("FR"));
    assert!(
        !london.is_modified(),
        "the database already holds the new key"
    );
    // Only the parent's UPDATE: ON UPDATE CASCADE did the children.
    let updates: Vec<String> = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("UPDATE"))
        .collect();
    assert_eq!(updates.len(), 1, "{updates:#?}");
    assert_eq!(
        db.query_text("SELECT name, country_code FROM cities ORDER BY name"),
        [["Leeds", "GB"], ["London", "GB"], ["Paris", "FR"]]
    );
    // And the in-memory value is what a fresh SELECT returns.
    session.refresh(&london).unwrap();
    assert_eq!(london.read().country_code.as_deref(), Some("GB"));
}

#[test]
fn a_linked_child_needs_no_update_of_its_own() {
    let (_db, session, log) = setup("natural_key_linked");
    let uk = session.get::<Country>("UK").unwrap().unwrap();
    let cities = uk.collection(Country::cities).unwrap();
    assert_eq!(cities.len(), 2);
    log.clear();
    uk.write().code = "GB".into();
    session.commit().unwrap();
    for c in &cities {
        assert_eq!(c.read().country_code.as_deref(), Some("GB"));
        assert!(c.related(City::country).unwrap().unwrap().ptr_eq(&uk));
    }
    let updates = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("UPDATE"))
        .count();
    assert_eq!(updates, 1, "{:#?}", log.statements());
}

#[test]
fn on_update_set_null_is_mirrored_too() {
    let (db, session, _log) = setup("natural_key_set_null");
    let embassy = session.query::<Embassy>().one().unwrap();
    let uk = session.get::<Country>("UK").unwrap().unwrap();
    uk.write().code = "GB".into();
    session.commit().unwrap();
    assert_eq!(embassy.read().host_code, None);
    assert_eq!(db.query_text("SELECT host_code FROM embassies"), [["NULL"]]);
}

#[test]
fn rollback_gives_the_children_the_old_key_back() {
    let (_db, session, _log) = setup("natural_key_rollback");
    let london = city(&session, "London");
    let uk = session.get::<Country>("UK").unwrap().unwrap();
    uk.write().code = "GB".into();
    session.flush().unwrap();
    assert_eq!(london.read().country_code.as_deref(), Some("GB"));
    session.rollback().unwrap();
    assert_eq!(uk.read().code, "UK");
    assert_eq!(london.read().country_code.as_deref(), Some("UK"));
    assert!(session.get::<Country>("UK").unwrap().unwrap().ptr_eq(&uk));
}

#[test]
fn a_child_with_its_own_change_keeps_it_and_gets_the_new_key() {
    let (db, session, log) = setup("natural_key_dirty_child");
    let london = city(&session, "London");
    let uk = session.get::<Country>("UK").unwrap().unwrap();
    london.write().name = "Londinium".into();
    uk.write().code = "GB".into();
    log.clear();
    session.commit().unwrap();
    let city_update: Vec<String> = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("UPDATE \"cities\""))
        .collect();
    assert_eq!(city_update.len(), 1, "{city_update:#?}");
    assert!(
        !city_update[0].contains("country_code"),
        "the key came from ON UPDATE CASCADE: {}",
        city_update[0]
    );
    assert_eq!(london.read().country_code.as_deref(), Some("GB"));
    assert_eq!(
        db.query_text("SELECT name, country_code FROM cities WHERE id = 1"),
        [["Londinium", "GB"]]
    );
}

#[test]
fn a_failed_flush_puts_the_old_key_back_in_memory() {
    let (_db, session, log) = setup("natural_key_failed");
    let london = city(&session, "London");
    let uk = session.get::<Country>("UK").unwrap().unwrap();
    // One flush: the countries UPDATE succeeds (and London follows it in memory),
    // then the embassy's INSERT fails on its foreign key.
    uk.write().code = "GB".into();
    session.add(Embassy {
        host_code: Some("ZZ".into()),
        ..Default::default()
    });
    log.clear();
    let err = session.flush().unwrap_err();
    assert!(matches!(err, Error::ForeignKeyViolation(_)), "{err:?}");
    let sent = log.statements();
    assert!(
        sent.iter().any(|s| s.starts_with("UPDATE \"countries\"")),
        "{sent:#?}"
    );
    assert_eq!(london.read().country_code.as_deref(), Some("UK"));
    session.rollback().unwrap();
    assert_eq!(london.read().country_code.as_deref(), Some("UK"));
    assert_eq!(uk.read().code, "UK");
}
