//! Pagination over 10,000 rows: offset pages with their total, and keyset pages
//! (`after(last_row)`) whose SQL is a row-value comparison an index answers: the
//! plan of a deep keyset page reads one page of index entries, an OFFSET page reads
//! every skipped row.

use orm_core::{Compiled, Error, Handle, MetaData, Model, Session, StatementLog, Value};
use tests::TestDb;

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "events")]
pub struct Event {
    #[orm(primary_key)]
    pub id: i32,
    pub created: i32,
    pub title: String,
    pub note: Option<String>,
}

const COLUMNS: &str = r#""events"."id", "events"."created", "events"."title", "events"."note""#;

/// Events 1..=10,000 whose `created` repeats (`id * 7 % 1000`), so the order needs
/// the id as a tie-breaker; an index on `(created, id)`; statistics gathered.
fn events(name: &str) -> (TestDb, Session, StatementLog) {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Event>()
        .create_all(&db.engine)
        .unwrap();
    db.execute_raw("CREATE INDEX events_created_id ON events (created, id)");
    let s = db.engine.session();
    s.add_all((1..=10_000).map(|id| Event {
        id,
        created: id * 7 % 1000,
        title: format!("event {id}"),
        note: None,
    }));
    s.commit().unwrap();
    db.execute_raw("ANALYZE events");
    let log = StatementLog::attach(&db.engine);
    let s = db.engine.session();
    (db, s, log)
}

/// Every id in `(created, id)` order.
fn expected_order() -> Vec<i32> {
    let mut ids: Vec<i32> = (1..=10_000).collect();
    ids.sort_by_key(|&id| (id * 7 % 1000, id));
    ids
}

fn ids(events: &[Handle<Event>]) -> Vec<i32> {
    events.iter().map(|e| e.read().id).collect()
}

#[test]
fn offset_pages_come_with_their_total() {
    let (_db, s, log) = events("page_offset");
    let q = s
        .query::<Event>()
        .order_by(Event::created)
        .order_by(Event::id);
    let page = q.paginate(3, 30).unwrap();
    assert_eq!(ids(&page.items), expected_order()[60..90]);
    assert_eq!((page.total, page.page, page.per_page), (10_000, 3, 30));
    assert_eq!(page.pages(), 334);
    assert!(page.has_next() && page.has_prev());
    let sent: Vec<String> = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("SELECT"))
        .collect();
    assert_eq!(
        sent,
        [
            r#"SELECT count(*) FROM "events""#.to_owned(),
            format!(
                r#"SELECT {COLUMNS} FROM "events" ORDER BY "events"."created", "events"."id" LIMIT $1 OFFSET $2"#
            ),
        ]
    );
    let last = q.paginate(334, 30).unwrap();
    assert_eq!(last.items.len(), 10);
    assert!(!last.has_next());
    let past = q.paginate(400, 30).unwrap();
    assert!(past.items.is_empty());
    assert_eq!(past.total, 10_000);

    let filtered = q
        .clone()
        .filter(Event::created.lt(10))
        .paginate(1, 50)
        .unwrap();
    assert_eq!(filtered.total, 100);
    assert_eq!(filtered.pages(), 2);
    assert!(matches!(q.paginate(0, 30), Err(Error::InvalidRequest(_))));
}

#[test]
fn keyset_pages_walk_everything_without_offset() {
    let (_db, s, log) = events("page_keyset");
    let ordered = || {
        s.query::<Event>()
            .order_by(Event::created)
            .order_by(Event::id)
            .limit(700)
    };
    let mut seen = Vec::new();
    let mut page = ordered().all().unwrap();
    while !page.is_empty() {
        seen.extend(ids(&page));
        let last = page.last().unwrap().clone();
        page = ordered().after(&last).unwrap().all().unwrap();
    }
    assert_eq!(seen, expected_order());
    let keyset = format!(
        r#"SELECT {COLUMNS} FROM "events" WHERE ("events"."created", "events"."id") > ($1, $2) ORDER BY "events"."created", "events"."id" LIMIT $3"#
    );
    let selects: Vec<String> = log
        .statements()
        .into_iter()
        .filter(|s| s.starts_with("SELECT"))
        .collect();
    assert_eq!(selects.len(), 16, "15 pages, then an empty one");
    assert!(selects[1..].iter().all(|s| *s == keyset), "{selects:?}");
    assert!(selects.iter().all(|s| !s.contains("OFFSET")));
}

/// `actual rows` of the scan node in the plan of `compiled` (run with EXPLAIN
/// ANALYZE), and whether that scan used the index.
fn scanned_rows(s: &Session, compiled: &Compiled) -> (i64, bool) {
    let explain = Compiled {
        sql: format!(
            "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY OFF, COSTS OFF) {}",
            compiled.sql
        ),
        params: compiled.params.clone(),
    };
    let lines: Vec<String> = s
        .query_compiled(&explain)
        .unwrap()
        .into_iter()
        .map(|mut r| r.take::<String>(0).unwrap())
        .collect();
    let scan = lines
        .iter()
        .find(|l| l.contains("Scan"))
        .unwrap_or_else(|| panic!("no scan in {lines:#?}"));
    let rows = scan
        .split("actual rows=")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no row count in {scan}"));
    (rows, scan.contains("Index"))
}

#[test]
fn a_deep_keyset_page_reads_one_page_of_the_index() {
    let (_db, s, _log) = events("page_deep");
    let order = expected_order();
    let deep = s.get::<Event>(order[9_499]).unwrap().unwrap();
    let base = || {
        s.query::<Event>()
            .order_by(Event::created)
            .order_by(Event::id)
            .limit(20)
    };
    let keyset = base().after(&deep).unwrap();
    assert_eq!(ids(&keyset.all().unwrap()), order[9_500..9_520]);
    let offset = base().offset(9_500);
    assert_eq!(ids(&offset.all().unwrap()), order[9_500..9_520]);

    let (keyset_rows, keyset_index) = scanned_rows(&s, &keyset.compiled());
    let (offset_rows, _) = scanned_rows(&s, &offset.compiled());
    assert!(keyset_index, "the row comparison is an index condition");
    assert_eq!(keyset_rows, 20, "one page of index entries");
    assert!(
        offset_rows >= 9_520,
        "OFFSET reads the skipped rows: {offset_rows}"
    );
}

#[test]
fn keysets_in_mixed_directions_and_by_values() {
    let (_db, s, _log) = events("page_mixed");
    let q = s
        .query_columns((Event::created, Event::id))
        .order_by(Event::created)
        .order_by(Event::id.desc())
        .after_values([Value::Int(500), Value::Int(1500)])
        .unwrap()
        .limit(3);
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "events"."created", "events"."id" FROM "events" WHERE "events"."created" > $1 OR "events"."created" = $2 AND "events"."id" < $3 ORDER BY "events"."created", "events"."id" DESC LIMIT $4"#
    );
    let mut all: Vec<(i32, i32)> = (1..=10_000).map(|id| (id * 7 % 1000, id)).collect();
    all.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let start = all.iter().position(|&r| r == (500, 1500)).unwrap();
    assert_eq!(q.all().unwrap(), all[start + 1..start + 4]);

    // Refused: a nullable key, a key of no column, no order at all.
    let any = s.query::<Event>().first().unwrap().unwrap();
    let nullable = s.query::<Event>().order_by(Event::note).after(&any);
    assert!(matches!(nullable, Err(Error::InvalidRequest(m)) if m.contains("events.note")));
    let unordered = s.query::<Event>().after(&any);
    assert!(matches!(unordered, Err(Error::InvalidRequest(_))));
    let null_value = s
        .query::<Event>()
        .order_by(Event::id)
        .after_values([Value::Null]);
    assert!(matches!(null_value, Err(Error::InvalidRequest(_))));
}
