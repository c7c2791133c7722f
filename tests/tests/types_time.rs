//! The `time` crate as the alternative to chrono (feature `time`): its types are
//! columns of the same SQL types, values round-trip to the microsecond PostgreSQL
//! keeps, filters compare them, and a model may mix both crates.

use orm_core::prelude::*;
use orm_core::{SqlType, Value};
use tests::TestDb;
use time::macros::{date, datetime, time};
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

#[derive(Model, Clone, Debug, PartialEq)]
#[orm(table = "events")]
pub struct Event {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub starts: PrimitiveDateTime,
    pub logged: OffsetDateTime,
    pub day: Date,
    pub at: Time,
    pub holidays: Vec<Date>,
    pub ends: Option<PrimitiveDateTime>,
    /// chrono and time in one model.
    pub created: chrono::NaiveDateTime,
}

fn event() -> Event {
    Event {
        id: None,
        starts: datetime!(2024-02-29 13:14:15.123456789),
        logged: datetime!(1999-12-31 23:59:59.9999995 -05:00),
        day: date!(-0043 - 03 - 15),
        at: time!(23:59:59.999999999),
        holidays: vec![date!(2024 - 12 - 25), date!(2025 - 01 - 01)],
        ends: None,
        created: chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap(),
    }
}

fn setup(name: &str) -> (TestDb, Session) {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Event>()
        .create_all(&db.engine)
        .unwrap();
    let session = db.engine.session();
    (db, session)
}

#[test]
fn time_types_map_to_the_same_sql_types_as_chrono() {
    let types: Vec<SqlType> = Event::table()
        .columns
        .iter()
        .map(|c| c.sql_type.clone())
        .collect();
    assert_eq!(
        types,
        [
            SqlType::Integer,
            SqlType::Timestamp,
            SqlType::TimestampTz,
            SqlType::Date,
            SqlType::Time,
            SqlType::Array(Box::new(SqlType::Date)),
            SqlType::Timestamp,
            SqlType::Timestamp,
        ]
    );
}

#[test]
fn values_round_trip_as_the_server_stores_them() {
    let (db, session) = setup("time_round_trip");
    let h = session.add(event());
    session.commit().unwrap();
    let stored = Event {
        id: Some(1),
        starts: datetime!(2024-02-29 13:14:15.123456),
        logged: datetime!(1999-12-31 23:59:59.999999 -05:00),
        at: time!(23:59:59.999999),
        ..event()
    };
    assert_eq!(*h.read(), stored, "the object holds what its row holds");
    assert_eq!(
        db.query_text("SELECT starts, logged AT TIME ZONE 'UTC', day, at, holidays FROM events"),
        [[
            "2024-02-29 13:14:15.123456",
            "2000-01-01 04:59:59.999999",
            "0044-03-15 BC",
            "23:59:59.999999",
            "{2024-12-25,2025-01-01}"
        ]]
    );
    let fresh = db.engine.session();
    let loaded = fresh.get::<Event>(1).unwrap().unwrap();
    let loaded = loaded.read().clone();
    assert_eq!(
        loaded.logged.to_offset(time::UtcOffset::UTC),
        stored.logged.to_offset(time::UtcOffset::UTC)
    );
    assert_eq!(
        Event {
            logged: stored.logged,
            ..loaded
        },
        stored
    );
}

#[test]
fn filters_compare_time_values() {
    let (_db, session) = setup("time_filters");
    session.add(event());
    session.add(Event {
        starts: datetime!(2030-01-01 00:00),
        ends: Some(datetime!(2030-01-02 00:00)),
        ..event()
    });
    session.commit().unwrap();
    let later = session
        .query::<Event>()
        .filter(Event::starts.gt(datetime!(2025-01-01 0:00)))
        .filter(Event::day.eq(date!(-0043 - 03 - 15)))
        .filter(Event::holidays.contains([date!(2025 - 01 - 01)]))
        .all()
        .unwrap();
    assert_eq!(later.len(), 1);
    assert_eq!(later[0].read().ends, Some(datetime!(2030-01-02 00:00)));
    let n: Vec<Option<PrimitiveDateTime>> = session
        .query_columns(Event::ends)
        .filter(Event::ends.is_null())
        .all()
        .unwrap();
    assert_eq!(n, [None]);
    assert_eq!(
        Value::from(date!(2024 - 01 - 02)),
        Value::TimeDate(date!(2024 - 01 - 02))
    );
}
