//! Streaming through a server-side cursor: the statements it sends, closing it when
//! the caller stops early, and memory that stays flat over 200,000 rows.
//!
//! `cargo test -p tests --test query_streaming -- --nocapture` prints the figures.

use crate::common;

use common::*;
use std::sync::Mutex;

const ROWS: usize = 200_000;
/// Most the resident set may grow between row 20,000 and row 200,000.
const MAX_GROWTH_KB: u64 = 20 * 1024;

/// The memory tests run one at a time, so that one's allocations do not show in the
/// other's figures.
static MEMORY: Mutex<()> = Mutex::new(());

/// The process's resident set size, in kB (`VmRSS` of `/proc/self/status`).
fn rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmRSS line")
}

fn fill(db: &tests::TestDb) {
    db.execute_raw(&format!(
        "INSERT INTO articles (slug, title, content, created_on) \
         SELECT 'slug-' || g, 'Title number ' || g, repeat('lorem ipsum ', 8), now() \
         FROM generate_series(1, {ROWS}) AS g"
    ));
}

/// Resident set sizes before streaming, at row 20,000 and at the last row.
struct Figures {
    before: u64,
    at_20k: u64,
    at_200k: u64,
}

impl Figures {
    fn report(&self, what: &str) {
        eprintln!(
            "{what}: RSS before {} kB, at 20,000 rows {} kB, at {ROWS} rows {} kB; \
             growth 20k -> 200k: {} kB",
            self.before,
            self.at_20k,
            self.at_200k,
            self.at_200k as i64 - self.at_20k as i64
        );
        assert!(
            self.at_200k.saturating_sub(self.at_20k) < MAX_GROWTH_KB,
            "{what}: memory grew by {} kB between 20,000 and {ROWS} rows",
            self.at_200k - self.at_20k
        );
    }
}

/// Streams `items`, dropping each, and records the RSS at 20,000 and at `ROWS` items.
fn measure<T>(
    items: impl Iterator<Item = orm_core::Result<T>>,
    mut check: impl FnMut(usize, &T),
) -> Figures {
    let before = rss_kb();
    let (mut at_20k, mut at_200k, mut n) = (0, 0, 0);
    for item in items {
        let item = item.unwrap();
        check(n, &item);
        drop(item);
        n += 1;
        if n == 20_000 {
            at_20k = rss_kb();
        }
        if n == ROWS {
            at_200k = rss_kb();
        }
    }
    assert_eq!(n, ROWS);
    Figures {
        before,
        at_20k,
        at_200k,
    }
}

#[test]
fn streaming_200k_instances_keeps_memory_flat() {
    let _one_at_a_time = MEMORY.lock().unwrap_or_else(|p| p.into_inner());
    let (db, session, log) = setup("stream_models");
    fill(&db);
    let q = session.query::<Article>().order_by(Article::id);
    let figures = measure(q.iter().unwrap(), |i, a| {
        assert_eq!(a.read().id, Some(i as i32 + 1));
    });
    figures.report("query::<Article>().iter()");
    assert!(session.identity_map_len() < 10, "dropped handles are freed");
    let fetches = dml(&log).iter().filter(|s| s.starts_with("FETCH")).count();
    assert_eq!(fetches, ROWS / 1000 + 1, "1000 rows per round trip");
}

#[test]
fn streaming_200k_column_tuples_keeps_memory_flat() {
    let _one_at_a_time = MEMORY.lock().unwrap_or_else(|p| p.into_inner());
    let (db, session, _log) = setup("stream_columns");
    fill(&db);
    let q = session
        .query_columns((Article::id, Article::slug, Article::title))
        .order_by(Article::id)
        .fetch_size(2000);
    let figures = measure(q.iter().unwrap(), |i, (id, slug, _)| {
        assert_eq!(*id, Some(i as i32 + 1));
        assert_eq!(slug.len(), format!("slug-{}", i + 1).len());
    });
    figures.report("query_columns((id, slug, title)).iter()");
    assert_eq!(
        session.identity_map_len(),
        0,
        "column queries load no instances"
    );
}

#[test]
fn the_iterator_declares_fetches_and_closes_a_cursor() {
    let (_db, session, log) = setup("stream_statements");
    session.add_all((0..5).map(|i| article(&format!("s{i}"), &format!("T{i}"))));
    session.commit().unwrap();
    log.clear();
    let q = session
        .query::<Article>()
        .filter(Article::slug.ne("s4"))
        .order_by(Article::id)
        .fetch_size(2);
    let slugs: Vec<String> = q
        .iter()
        .unwrap()
        .map(|a| a.unwrap().read().slug.clone())
        .collect();
    assert_eq!(slugs, ["s0", "s1", "s2", "s3"]);
    assert_eq!(
        dml(&log),
        [
            format!(
                r#"DECLARE "orm_cursor_1" NO SCROLL CURSOR FOR SELECT {cols} FROM "articles" WHERE "articles"."slug" <> $1 ORDER BY "articles"."id""#,
                cols = r#""articles"."id", "articles"."slug", "articles"."title", "articles"."created_on", "articles"."updated_on", "articles"."content", "articles"."author_id""#
            ),
            r#"FETCH FORWARD 2 FROM "orm_cursor_1""#.to_owned(),
            r#"FETCH FORWARD 2 FROM "orm_cursor_1""#.to_owned(),
            r#"FETCH FORWARD 2 FROM "orm_cursor_1""#.to_owned(),
            r#"CLOSE "orm_cursor_1""#.to_owned(),
        ]
    );
    // Column tuples stream the same way.
    log.clear();
    let pairs: Vec<(String, String)> = session
        .query_columns((Article::slug, Article::title))
        .order_by(Article::id)
        .fetch_size(3)
        .into_iter()
        .collect::<orm_core::Result<_>>()
        .unwrap();
    assert_eq!(pairs.len(), 5);
    assert_eq!(
        dml(&log),
        [
            r#"DECLARE "orm_cursor_2" NO SCROLL CURSOR FOR SELECT "articles"."slug", "articles"."title" FROM "articles" ORDER BY "articles"."id""#,
            r#"FETCH FORWARD 3 FROM "orm_cursor_2""#,
            r#"FETCH FORWARD 3 FROM "orm_cursor_2""#,
            r#"CLOSE "orm_cursor_2""#,
        ]
    );
}

#[test]
fn breaking_out_early_closes_the_cursor() {
    let (_db, session, log) = setup("stream_break");
    session.add_all((0..10).map(|i| article(&format!("b{i}"), "T")));
    session.commit().unwrap();
    log.clear();
    for (i, a) in session
        .query::<Article>()
        .order_by(Article::id)
        .fetch_size(4)
        .into_iter()
        .enumerate()
    {
        a.unwrap();
        if i == 1 {
            break;
        }
    }
    let stmts = dml(&log);
    assert_eq!(stmts.len(), 3, "{stmts:#?}");
    assert!(stmts[0].starts_with(r#"DECLARE "orm_cursor_1""#));
    assert_eq!(stmts[1], r#"FETCH FORWARD 4 FROM "orm_cursor_1""#);
    assert_eq!(stmts[2], r#"CLOSE "orm_cursor_1""#);
    // The session keeps working in the same transaction, cursors included.
    assert_eq!(session.query::<Article>().count().unwrap(), 10);
    let mut cols = session
        .query_columns(Article::slug)
        .order_by(Article::id)
        .iter()
        .unwrap();
    assert_eq!(cols.next().unwrap().unwrap(), "b0");
    drop(cols);
    assert_eq!(dml(&log).last().unwrap(), r#"CLOSE "orm_cursor_2""#);
    session.add(article("after", "T"));
    session.commit().unwrap();
    assert_eq!(session.query::<Article>().count().unwrap(), 11);
}
