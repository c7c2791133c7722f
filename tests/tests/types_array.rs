//! Array columns: `Vec<T>` of every supported scalar is `T[]` (`Vec<u8>` stays
//! BYTEA), values round-trip (NULL elements, empty and NULL arrays included), the
//! array operators select the right rows, and a vector changed in place is one
//! UPDATE of that column.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use orm_core::prelude::*;
use orm_core::{Error, Value};
use rust_decimal::Decimal;
use tests::TestDb;
use uuid::Uuid;

#[derive(Model, Clone, Debug, PartialEq, Default)]
#[orm(table = "every_array")]
pub struct EveryArray {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub flags: Vec<bool>,
    pub smalls: Vec<i16>,
    pub ints: Vec<i32>,
    pub bigs: Vec<i64>,
    pub reals: Vec<f32>,
    pub doubles: Vec<f64>,
    pub texts: Vec<String>,
    #[orm(length = 5)]
    pub codes: Vec<String>,
    pub amounts: Vec<Decimal>,
    pub days: Vec<NaiveDate>,
    pub moments: Vec<NaiveDateTime>,
    pub instants: Vec<DateTime<Utc>>,
    pub times: Vec<NaiveTime>,
    pub ids: Vec<Uuid>,
    pub docs: Vec<serde_json::Value>,
    pub blobs: Vec<Vec<u8>>,
    pub sparse: Vec<Option<i32>>,
    pub maybe: Option<Vec<String>>,
    pub blob: Vec<u8>,
}

fn setup<M: Model>(name: &str) -> (TestDb, Session, StatementLog) {
    let db = TestDb::new(name);
    MetaData::new().with::<M>().create_all(&db.engine).unwrap();
    let log = StatementLog::attach(&db.engine);
    let session = db.engine.session();
    (db, session, log)
}

fn full_row() -> EveryArray {
    let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let moment = day.and_hms_micro_opt(13, 14, 15, 123_456).unwrap();
    EveryArray {
        id: None,
        flags: vec![true, false],
        smalls: vec![-3, i16::MAX],
        ints: vec![1, 2, 3],
        bigs: vec![i64::MIN, 0],
        reals: vec![0.5, -1.25],
        doubles: vec![0.1, 1e300],
        texts: vec![
            "a \"quoted\" text".into(),
            "{braces}, commas".into(),
            String::new(),
        ],
        codes: vec!["ab".into(), "cdefg".into()],
        amounts: vec![Decimal::new(12345, 2), Decimal::new(-1, 3)],
        days: vec![day],
        moments: vec![moment],
        instants: vec![Utc.with_ymd_and_hms(2001, 9, 9, 1, 46, 40).unwrap()],
        times: vec![NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999).unwrap()],
        ids: vec![Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0)],
        docs: vec![serde_json::json!({"a": [1, 2]}), serde_json::json!(null)],
        blobs: vec![vec![0, 255], vec![]],
        sparse: vec![Some(1), None, Some(3)],
        maybe: Some(vec!["x".into()]),
        blob: vec![1, 2, 3],
    }
}

#[test]
fn every_scalar_maps_to_its_array_type_and_vec_u8_stays_bytea() {
    let (db, _session, _log) = setup::<EveryArray>("array_ddl");
    let types = db.query_text(
        "SELECT column_name, format_type(a.atttypid, a.atttypmod) FROM information_schema.columns c \
         JOIN pg_attribute a ON a.attrelid = 'every_array'::regclass AND a.attname = c.column_name \
         WHERE c.table_schema = current_schema() AND c.table_name = 'every_array' \
         ORDER BY c.ordinal_position",
    );
    let expected = [
        ("id", "integer"),
        ("flags", "boolean[]"),
        ("smalls", "smallint[]"),
        ("ints", "integer[]"),
        ("bigs", "bigint[]"),
        ("reals", "real[]"),
        ("doubles", "double precision[]"),
        ("texts", "text[]"),
        ("codes", "character varying(5)[]"),
        ("amounts", "numeric[]"),
        ("days", "date[]"),
        ("moments", "timestamp without time zone[]"),
        ("instants", "timestamp with time zone[]"),
        ("times", "time without time zone[]"),
        ("ids", "uuid[]"),
        ("docs", "jsonb[]"),
        ("blobs", "bytea[]"),
        ("sparse", "integer[]"),
        ("maybe", "text[]"),
        ("blob", "bytea"),
    ];
    let expected: Vec<Vec<String>> = expected
        .iter()
        .map(|(c, t)| vec![(*c).to_owned(), (*t).to_owned()])
        .collect();
    assert_eq!(types, expected);
    assert_eq!(
        db.query_text(
            "SELECT column_name, is_nullable FROM information_schema.columns \
             WHERE table_schema = current_schema() AND column_name IN ('texts', 'maybe') ORDER BY 1"
        ),
        [["maybe", "YES"], ["texts", "NO"]]
    );
}

#[test]
fn values_round_trip_through_insert_and_select() {
    let (db, session, _log) = setup::<EveryArray>("array_round_trip");
    let row = full_row();
    session.add(row.clone());
    session.add(EveryArray {
        maybe: None,
        ..EveryArray::default()
    });
    session.commit().unwrap();
    let fresh = db.engine.session();
    let loaded: Vec<EveryArray> = fresh
        .query::<EveryArray>()
        .order_by(EveryArray::id)
        .all()
        .unwrap()
        .iter()
        .map(|h| h.read().clone())
        .collect();
    assert_eq!(loaded[0], EveryArray { id: Some(1), ..row });
    assert_eq!(
        loaded[1],
        EveryArray {
            id: Some(2),
            ..EveryArray::default()
        },
        "empty arrays and a NULL one"
    );
    assert_eq!(
        db.query_text(
            "SELECT texts, sparse, maybe, cardinality(texts) FROM every_array ORDER BY id"
        ),
        [
            [
                r#"{"a \"quoted\" text","{braces}, commas",""}"#,
                "{1,NULL,3}",
                "{x}",
                "3"
            ],
            ["{}", "{}", "NULL", "0"]
        ]
    );
}

#[test]
fn a_too_long_element_is_refused_before_any_sql() {
    let (db, session, log) = setup::<EveryArray>("array_too_long");
    session.add(EveryArray {
        codes: vec!["ok".into(), "toolong".into()],
        ..EveryArray::default()
    });
    let err = session.commit().unwrap_err();
    assert!(
        matches!(&err, Error::ValueTooLong { column, max: 5, len: 7, .. } if column == "codes"),
        "{err:?}"
    );
    assert!(
        log.statements().iter().all(|s| !s.starts_with("INSERT")),
        "{:?}",
        log.statements()
    );
    session.rollback().unwrap();
    assert_eq!(db.count("every_array"), 0);
}

#[test]
fn timestamps_in_arrays_are_kept_as_stored() {
    let (_db, session, _log) = setup::<EveryArray>("array_micros");
    let at = NaiveDate::from_ymd_opt(2024, 1, 2)
        .unwrap()
        .and_hms_nano_opt(3, 4, 5, 123_456_789)
        .unwrap();
    let h = session.add(EveryArray {
        moments: vec![at],
        ..EveryArray::default()
    });
    session.commit().unwrap();
    let stored = at - chrono::Duration::nanoseconds(789);
    assert_eq!(
        h.read().moments,
        [stored],
        "the object holds what the row holds"
    );
    let fresh = session.query::<EveryArray>().one().unwrap();
    assert_eq!(fresh.read().moments, [stored]);
}

#[derive(Model, Clone, Debug, PartialEq)]
#[orm(table = "posts")]
pub struct Post {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub title: String,
    pub tags: Vec<String>,
    pub scores: Vec<i32>,
}

fn posts(session: &Session) {
    for (title, tags, scores) in [
        ("a", vec!["rust", "orm"], vec![1, 2]),
        ("b", vec!["rust"], vec![]),
        ("c", vec!["python", "orm"], vec![5]),
        ("d", vec![], vec![2, 5]),
    ] {
        session.add(Post {
            id: None,
            title: title.into(),
            tags: tags.into_iter().map(String::from).collect(),
            scores,
        });
    }
    session.commit().unwrap();
}

fn titles(session: &Session, filter: Expr) -> Vec<String> {
    session
        .query::<Post>()
        .filter(filter)
        .order_by(Post::title)
        .all()
        .unwrap()
        .iter()
        .map(|p| p.read().title.clone())
        .collect()
}

#[test]
fn array_operators_select_the_right_rows() {
    let (_db, session, log) = setup::<Post>("array_operators");
    posts(&session);
    assert_eq!(titles(&session, Post::tags.contains(["rust"])), ["a", "b"]);
    assert_eq!(
        titles(
            &session,
            Post::tags.contains(vec!["rust".to_owned(), "orm".to_owned()])
        ),
        ["a"]
    );
    assert_eq!(
        titles(&session, Post::tags.contained_by(["rust", "orm"])),
        ["a", "b", "d"],
        "the empty array is contained by every array"
    );
    assert_eq!(
        titles(&session, Post::tags.overlaps(["orm", "go"])),
        ["a", "c"]
    );
    assert_eq!(titles(&session, Post::scores.any(5)), ["c", "d"]);
    assert_eq!(
        titles(&session, Post::scores.overlaps(&[1, 5][..])),
        ["a", "c", "d"]
    );
    assert_eq!(
        titles(&session, Post::tags.array_length().eq(2)),
        ["a", "c"]
    );
    assert_eq!(
        titles(&session, Post::tags.array_length().is_null()),
        ["d"],
        "array_length of an empty array is NULL"
    );
    assert_eq!(titles(&session, Post::scores.cardinality().eq(0)), ["b"]);
    assert_eq!(titles(&session, Post::tags.eq(["rust"])), ["b"]);
    let sql = log.statements();
    let wheres: Vec<&str> = sql
        .iter()
        .filter_map(|s| s.split(" WHERE ").nth(1))
        .map(|w| w.split(" ORDER BY").next().unwrap_or(w))
        .collect();
    assert_eq!(
        wheres,
        [
            r#""posts"."tags" @> $1"#,
            r#""posts"."tags" @> $1"#,
            r#""posts"."tags" <@ $1"#,
            r#""posts"."tags" && $1"#,
            r#"$1 = ANY("posts"."scores")"#,
            r#""posts"."scores" && $1"#,
            r#"array_length("posts"."tags", $1) = $2"#,
            r#"array_length("posts"."tags", $1) IS NULL"#,
            r#"cardinality("posts"."scores") = $1"#,
            r#""posts"."tags" = $1"#,
        ]
    );
}

#[test]
fn only_a_changed_vector_is_written_and_only_its_column() {
    let (db, session, log) = setup::<Post>("array_tracking");
    posts(&session);
    let a = session
        .query::<Post>()
        .filter(Post::title.eq("a"))
        .one()
        .unwrap();
    log.clear();
    a.write().scores.push(3);
    let _unchanged = a.read().tags.clone();
    {
        let mut w = a.write();
        w.tags = vec!["rust".into(), "orm".into()]; // equal: not a change
    }
    session.commit().unwrap();
    let writes: Vec<(String, Vec<Value>)> = log
        .entries()
        .into_iter()
        .filter(|(s, _)| s.starts_with("UPDATE"))
        .collect();
    assert_eq!(writes.len(), 1);
    assert_eq!(
        writes[0].0,
        r#"UPDATE "posts" SET "scores" = $1 WHERE "posts"."id" = $2"#
    );
    assert_eq!(
        writes[0].1,
        [
            Value::Array(vec![1.into(), 2.into(), 3.into()]),
            Value::Int(1)
        ]
    );
    log.clear();
    a.write().scores.sort();
    session.commit().unwrap();
    assert!(
        log.statements().iter().all(|s| !s.starts_with("UPDATE")),
        "an unchanged vector writes nothing: {:?}",
        log.statements()
    );
    assert_eq!(
        db.query_text("SELECT tags, scores FROM posts WHERE title = 'a'"),
        [["{rust,orm}", "{1,2,3}"]]
    );
}

#[test]
fn array_columns_in_column_queries_and_bulk_updates() {
    let (db, session, _log) = setup::<Post>("array_columns");
    posts(&session);
    let tags: Vec<Vec<String>> = session
        .query_columns(Post::tags)
        .filter(Post::title.eq("c"))
        .all()
        .unwrap();
    assert_eq!(tags, [vec!["python".to_owned(), "orm".to_owned()]]);
    let n = session
        .query::<Post>()
        .filter(Post::tags.contains(["rust"]))
        .update([Post::tags.set(["archived"])])
        .unwrap();
    assert_eq!(n, 2);
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT title, tags FROM posts ORDER BY title"),
        [
            ["a", "{archived}"],
            ["b", "{archived}"],
            ["c", "{python,orm}"],
            ["d", "{}"]
        ]
    );
}

#[test]
fn several_changed_vectors_are_one_batched_update() {
    let (db, session, log) = setup::<Post>("array_batched");
    posts(&session);
    let all = session.query::<Post>().order_by(Post::title).all().unwrap();
    log.clear();
    all[0].write().tags.push("new".into());
    all[2].write().tags.clear();
    session.commit().unwrap();
    let updates: Vec<String> = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("UPDATE"))
        .collect();
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert!(updates[0].contains("$2::TEXT[]"), "{}", updates[0]);
    assert_eq!(
        db.query_text("SELECT title, tags FROM posts ORDER BY title"),
        [
            ["a", "{rust,orm,new}"],
            ["b", "{rust}"],
            ["c", "{}"],
            ["d", "{}"]
        ]
    );
}
