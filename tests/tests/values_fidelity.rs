//! Objects equal their rows after every flush: timestamps and times keep exactly the
//! microseconds PostgreSQL stores (sub-microsecond digits are dropped, one rule for
//! every year), `VARCHAR(n)` refuses what it would trim, JSONB floats come back bit
//! for bit and `-0.0` (which JSONB cannot hold) is refused, `NUMERIC(p, s)` holds the
//! value rounded as the column rounds it.

use crate::common;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, SubsecRound, Timelike, Utc};
use common::dml;
use orm_core::{Error, Handle, MetaData, Model, OnConflictDo, Session, StatementLog, SyncStrategy};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use serde_json::{json, Value as Json};
use tests::TestDb;

fn now_naive() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn now_utc() -> DateTime<Utc> {
    Utc::now()
}

fn now_time() -> NaiveTime {
    Utc::now().time()
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "moments")]
struct Moment {
    #[orm(primary_key)]
    id: Option<i32>,
    at: NaiveDateTime,
    at_tz: DateTime<Utc>,
    time: NaiveTime,
    #[orm(default = now_naive)]
    created: Option<NaiveDateTime>,
    #[orm(default = now_utc, onupdate = now_utc)]
    touched: Option<DateTime<Utc>>,
    #[orm(default = now_time, onupdate = now_time)]
    touched_time: Option<NaiveTime>,
    note: Option<String>,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "codes")]
struct Code {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(length = 5, unique)]
    code: String,
    #[orm(length = 3)]
    short: Option<String>,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "docs")]
struct Doc {
    #[orm(primary_key)]
    id: Option<i32>,
    body: Json,
}

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "prices")]
struct Price {
    #[orm(primary_key)]
    id: Option<i32>,
    #[orm(sql_type = "NUMERIC(10, 2)")]
    amount: Decimal,
}

fn setup(name: &str) -> (TestDb, Session, StatementLog) {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Moment>()
        .with::<Code>()
        .with::<Doc>()
        .with::<Price>()
        .create_all(&db.engine)
        .expect("create_all");
    let log = StatementLog::attach(&db.engine);
    let session = db.engine.session();
    (db, session, log)
}

/// A random date and time with nanoseconds, years 4000 BC (-3999) to 9999 AD, so
/// about a third of them fall before 2000 (where rounding used to differ).
fn random_datetime(rng: &mut StdRng) -> NaiveDateTime {
    let date = NaiveDate::from_ymd_opt(
        rng.gen_range(-3999..=9999),
        rng.gen_range(1..=12),
        rng.gen_range(1..=28),
    )
    .unwrap();
    date.and_time(random_time(rng))
}

fn random_time(rng: &mut StdRng) -> NaiveTime {
    // Include the last nanoseconds of a day: rounding up would leave the day.
    let nanos = match rng.gen_range(0..10) {
        0 => 999_999_999,
        1 => rng.gen_range(999_999_000..1_000_000_000),
        _ => rng.gen_range(0..1_000_000_000),
    };
    NaiveTime::from_hms_nano_opt(
        rng.gen_range(0..24),
        rng.gen_range(0..60),
        rng.gen_range(0..60),
        nanos,
    )
    .unwrap()
}

fn random_moment(rng: &mut StdRng) -> Moment {
    Moment {
        at: random_datetime(rng),
        at_tz: random_datetime(rng).and_utc(),
        time: random_time(rng),
        ..Default::default()
    }
}

/// Every row of `moments` read by a fresh session (not through the identity map).
fn fresh_moments(db: &TestDb) -> Vec<Moment> {
    db.engine
        .session()
        .query::<Moment>()
        .order_by(Moment::id)
        .all()
        .unwrap()
        .iter()
        .map(Handle::to_model)
        .collect()
}

fn assert_equal_rows(db: &TestDb, handles: &[Handle<Moment>]) {
    let fresh = fresh_moments(db);
    assert_eq!(fresh.len(), handles.len());
    for (h, row) in handles.iter().zip(&fresh) {
        assert_eq!(&h.to_model(), row, "the object equals its row");
    }
}

#[test]
fn timestamps_and_times_equal_their_rows_after_insert_and_update() {
    let (db, session, _log) = setup("fidelity_timestamps");
    let mut rng = StdRng::seed_from_u64(2000);
    let originals: Vec<Moment> = (0..400).map(|_| random_moment(&mut rng)).collect();
    let handles = session.add_all(originals.clone());
    session.commit().unwrap();
    assert_equal_rows(&db, &handles);
    // The rule: sub-microsecond digits are dropped, whatever the year.
    for (h, m) in handles.iter().zip(&originals) {
        let got = h.read();
        assert_eq!(got.at, m.at.trunc_subsecs(6));
        assert_eq!(got.at_tz, m.at_tz.trunc_subsecs(6));
        assert_eq!(got.time, m.time.trunc_subsecs(6));
        assert_eq!(got.created.unwrap().nanosecond() % 1000, 0);
    }

    // UPDATE of many rows (one batched statement), and of one row alone; `onupdate`
    // functions give nanosecond values too.
    for h in &handles {
        let mut w = h.write();
        w.at = random_datetime(&mut rng);
        w.at_tz = random_datetime(&mut rng).and_utc();
    }
    session.commit().unwrap();
    assert_equal_rows(&db, &handles);
    handles[7].write().time = random_time(&mut rng);
    session.commit().unwrap();
    assert_equal_rows(&db, &handles);
    // A change of a column without timestamps still runs the `onupdate` functions.
    handles[3].write().note = Some("touched".into());
    session.commit().unwrap();
    assert_equal_rows(&db, &handles);
}

#[test]
fn values_bound_in_filters_follow_the_same_rule() {
    let (db, session, _log) = setup("fidelity_filters");
    let at = NaiveDate::from_ymd_opt(1969, 7, 20)
        .unwrap()
        .and_hms_nano_opt(20, 17, 40, 123_456_789)
        .unwrap();
    session.add(Moment {
        at,
        at_tz: at.and_utc(),
        time: at.time(),
        ..Default::default()
    });
    session.commit().unwrap();
    assert_eq!(
        db.query_text("SELECT at::text, at_tz AT TIME ZONE 'UTC', time::text FROM moments"),
        [[
            "1969-07-20 20:17:40.123456",
            "1969-07-20 20:17:40.123456",
            "20:17:40.123456"
        ]],
        "before 2000 the digits are dropped too (they used to round up)"
    );
    let s = db.engine.session();
    let found = s
        .query::<Moment>()
        .filter(Moment::at.eq(at))
        .count()
        .unwrap();
    assert_eq!(found, 1, "the same value given to a filter matches its row");
}

#[test]
fn bulk_update_with_evaluate_stores_what_the_row_holds() {
    let (db, session, _log) = setup("fidelity_bulk");
    let mut rng = StdRng::seed_from_u64(7);
    let handles = session.add_all((0..5).map(|_| random_moment(&mut rng)));
    session.commit().unwrap();
    let at = random_datetime(&mut rng);
    session
        .query::<Moment>()
        .update_with([Moment::at.set(at)], SyncStrategy::Evaluate)
        .unwrap();
    session.commit().unwrap();
    assert_equal_rows(&db, &handles);
    assert_eq!(handles[0].read().at, at.trunc_subsecs(6));
}

fn code(code: &str) -> Code {
    Code {
        code: code.into(),
        ..Default::default()
    }
}

fn assert_too_long(err: &Error, column: &str, max: u32, len: usize) {
    assert!(
        matches!(err, Error::ValueTooLong { table, column: c, max: m, len: l }
            if table == "codes" && c == column && *m == max && *l == len),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("codes") && text.contains(column), "{text}");
}

#[test]
fn varchar_counts_characters_and_refuses_longer_values_before_any_sql() {
    let (db, session, log) = setup("fidelity_varchar");
    // Five characters, ten bytes: fits.
    session.add(code("ééééé"));
    session.commit().unwrap();
    assert_eq!(db.query_text("SELECT code FROM codes"), [["ééééé"]]);

    log.clear();
    let kept = session.add(code("ok"));
    // PostgreSQL would silently trim these trailing spaces; the ORM refuses.
    let bad = session.add(code("abc   "));
    let err = session.flush().unwrap_err();
    assert_too_long(&err, "code", 5, 6);
    assert!(dml(&log).is_empty(), "no INSERT sent: {:?}", dml(&log));
    // The documented failed-flush state: everything needs rollback().
    assert!(matches!(session.flush(), Err(Error::PendingRollback(_))));
    session.rollback().unwrap();
    assert_eq!(db.count("codes"), 1, "nothing written");
    assert_eq!(bad.read().code, "abc   ", "the object is left as it was");
    drop((kept, bad));

    // A change to a loaded object, too.
    let loaded = session.query::<Code>().one().unwrap();
    loaded.write().short = Some("four".into());
    log.clear();
    let err = session.commit().unwrap_err();
    assert_too_long(&err, "short", 3, 4);
    assert!(dml(&log).is_empty(), "no UPDATE sent: {:?}", dml(&log));
    session.rollback().unwrap();
    assert_eq!(db.query_text("SELECT short FROM codes"), [["NULL"]]);
}

#[test]
fn varchar_is_checked_in_bulk_updates_and_upserts() {
    let (db, session, log) = setup("fidelity_varchar_bulk");
    session.add(code("a"));
    session.commit().unwrap();
    log.clear();
    for sync in [
        SyncStrategy::Fetch,
        SyncStrategy::Evaluate,
        SyncStrategy::None,
    ] {
        let err = session
            .query::<Code>()
            .update_with([Code::code.set("toolong")], sync)
            .unwrap_err();
        assert_too_long(&err, "code", 5, 7);
    }
    let err = session
        .upsert(vec![code("abcdefgh")], &["code"], OnConflictDo::Update)
        .unwrap_err();
    assert_too_long(&err, "code", 5, 8);
    assert!(dml(&log).is_empty(), "no SQL sent: {:?}", dml(&log));
    // The session is still usable: nothing reached the server.
    session
        .query::<Code>()
        .update([Code::code.set("b")])
        .unwrap();
    session.commit().unwrap();
    assert_eq!(db.query_text("SELECT code FROM codes"), [["b"]]);
}

/// Doubles of every magnitude: random bit patterns (finite ones), random values of
/// everyday size, and the edges (integral values beyond 2^53, subnormals, extremes).
fn random_doubles(rng: &mut StdRng, n: usize) -> Vec<f64> {
    let mut out = vec![
        1e16,
        -1e17,
        1e300,
        123_456_789_012_345_680.0,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        5e-324,
        0.1,
        0.0,
        1.0 / 3.0,
    ];
    while out.len() < n {
        let f = if rng.gen_bool(0.5) {
            f64::from_bits(rng.gen())
        } else {
            rng.gen_range(-1e6..1e6)
        };
        if f.is_finite() && f != 0.0 {
            out.push(f);
        }
    }
    out
}

#[test]
fn jsonb_floats_round_trip_bit_for_bit() {
    let (db, session, _log) = setup("fidelity_json");
    let mut rng = StdRng::seed_from_u64(42);
    let doubles = random_doubles(&mut rng, 3000);
    let docs: Vec<Doc> = doubles
        .chunks(100)
        .map(|c| Doc {
            id: None,
            body: json!({ "values": c, "first": c[0], "nested": [{ "x": c[1] }] }),
        })
        .collect();
    let handles = session.add_all(docs.clone());
    session.commit().unwrap();
    let fresh = db
        .engine
        .session()
        .query::<Doc>()
        .order_by(Doc::id)
        .all()
        .unwrap();
    let mut off = Vec::new();
    for ((h, f), original) in handles.iter().zip(&fresh).zip(&docs) {
        assert_eq!(
            h.read().body,
            original.body,
            "the object keeps its document"
        );
        let got = f.read().body["values"].as_array().unwrap().clone();
        for (g, want) in got.iter().zip(original.body["values"].as_array().unwrap()) {
            let (g, want) = (g.as_f64().unwrap(), want.as_f64().unwrap());
            if g.to_bits() != want.to_bits() {
                off.push((want, g));
            }
        }
        assert_eq!(
            f.read().body,
            original.body,
            "the row holds the same document"
        );
    }
    assert!(
        off.is_empty(),
        "{} of {} differ: {:?}",
        off.len(),
        doubles.len(),
        &off[..off.len().min(5)]
    );
}

#[test]
fn jsonb_refuses_negative_zero_naming_the_column() {
    let (db, session, log) = setup("fidelity_json_zero");
    session.add(Doc {
        id: None,
        body: json!({ "a": [1.5, -0.0] }),
    });
    log.clear();
    let err = session.flush().unwrap_err();
    assert!(
        matches!(&err, Error::UnstorableValue { table, column, .. } if table == "docs" && column == "body"),
        "{err:?}"
    );
    assert!(err.to_string().contains("-0"), "{err}");
    assert!(dml(&log).is_empty(), "{:?}", dml(&log));
    session.rollback().unwrap();
    assert_eq!(db.count("docs"), 0);
    // Positive zero is fine.
    let h = session.add(Doc {
        id: None,
        body: json!({ "a": 0.0 }),
    });
    session.commit().unwrap();
    assert_eq!(
        db.engine
            .session()
            .query::<Doc>()
            .one()
            .unwrap()
            .read()
            .body,
        h.read().body
    );
}

#[test]
fn numeric_with_a_scale_holds_the_rounded_value() {
    let (db, session, _log) = setup("fidelity_numeric");
    let cases = [
        ("1.005", "1.01"),
        ("1.015", "1.02"),
        ("-1.005", "-1.01"),
        ("2.444", "2.44"),
        ("7", "7"),
    ];
    let handles: Vec<_> = cases
        .iter()
        .map(|(given, _)| {
            session.add(Price {
                id: None,
                amount: given.parse().unwrap(),
            })
        })
        .collect();
    session.commit().unwrap();
    let rows = db.query_text("SELECT amount::text FROM prices ORDER BY id");
    for ((h, (_, want)), row) in handles.iter().zip(&cases).zip(&rows) {
        assert_eq!(row[0].parse::<Decimal>().unwrap(), want.parse().unwrap());
        assert_eq!(h.read().amount, want.parse::<Decimal>().unwrap());
    }
}
