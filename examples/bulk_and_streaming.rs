//! Bulk work: 10,000 rows inserted in a few multi-row statements, streamed back
//! through a server-side cursor (memory bounded by the fetch size), aggregated in
//! SQL, and changed or deleted by bulk statements that keep loaded objects in step.
//!
//! Run with `cargo run --example bulk_and_streaming` (server from `DATABASE_URL`).

use orm_core::prelude::*;
use orm_examples::Scratch;

#[derive(Model, Clone, Debug, Default)]
#[orm(table = "events")]
pub struct Event {
    #[orm(primary_key)]
    pub id: Option<i64>,
    #[orm(length = 20, index)]
    pub kind: String,
    pub amount: i32,
    pub processed: bool,
}

const ROWS: i32 = 10_000;

pub fn main() -> orm_core::Result<()> {
    let scratch = Scratch::new("bulk")?;
    let engine = orm_postgres::create_engine(scratch.url().clone())?;
    MetaData::new().with::<Event>().create_all(&engine)?;
    let log = StatementLog::attach(&engine);

    // One flush, a handful of multi-row INSERT ... RETURNING statements.
    let session = engine.session();
    let kinds = ["click", "view", "buy"];
    let added = session.add_all((0..ROWS).map(|i| Event {
        kind: kinds[i as usize % 3].into(),
        amount: i % 100,
        ..Default::default()
    }));
    session.commit()?;
    let inserts = log
        .statements()
        .iter()
        .filter(|s| s.starts_with("INSERT"))
        .count();
    println!(
        "{} rows inserted by {inserts} INSERT statements",
        added.len()
    );
    assert!(added.iter().all(|e| e.id().is_some()), "keys read back");
    drop(added); // unchanged objects nobody holds are freed from the session

    // Streamed: rows arrive 1,000 at a time; each object is freed once dropped.
    let mut total = 0i64;
    for event in session
        .query::<Event>()
        .order_by(Event::id)
        .fetch_size(1_000)
    {
        total += i64::from(event?.amount());
    }
    println!(
        "streamed {ROWS} rows, total amount {total}, {} objects still in memory",
        session.identity_map_len()
    );
    assert_eq!(total, (0..ROWS).map(|i| i64::from(i % 100)).sum::<i64>());

    // Aggregated in SQL: typed tuples.
    let per_kind: Vec<(String, i64)> = session
        .query_columns((Event::kind, func::count_star()))
        .group_by(Event::kind)
        .order_by(Event::kind)
        .all()?;
    println!("per kind: {per_kind:?}");
    assert_eq!(per_kind.len(), 3);

    // Bulk UPDATE and DELETE: one statement each; a loaded object sees the change.
    let first = session.get::<Event>(1_i64)?.expect("the first event");
    let clicks = session
        .query::<Event>()
        .filter(Event::kind.eq("click"))
        .update([Event::processed.set(true)])?;
    assert!(
        first.processed(),
        "event 1 is a click, updated in memory too"
    );
    let small = session
        .query::<Event>()
        .filter(Event::amount.lt(10))
        .delete()?;
    session.commit()?;
    println!("{clicks} clicks marked processed, {small} small events deleted");
    assert_eq!(
        session.query::<Event>().count()?,
        i64::from(ROWS) - small as i64
    );
    Ok(())
}
