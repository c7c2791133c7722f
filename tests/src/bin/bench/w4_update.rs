//! W4: load `updates` articles, change the title of each, commit. Every run writes
//! new titles (a fresh revision number), so every row really changes.

use crate::fixture::{BResult, Fixture, RawDb};
use crate::model::{self, Article, RawArticle, ARTICLE_COLUMNS};
use orm_core::Engine;
use std::time::{Duration, Instant};

/// The new title of article `id` at `revision`.
fn new_title(id: i32, revision: u64) -> String {
    format!("Title of article {id} rev {revision}")
}

/// ORM: `query::<Article>().limit(n).all()`, `h.write().title = ..`, `commit()`. The
/// flush batches the changes into `UPDATE ... FROM (VALUES ...)` (title and the
/// `onupdate` column `updated_on`).
pub fn orm(fx: &mut Fixture, engine: &Engine) -> BResult<Duration> {
    fx.ensure_seeded()?;
    let revision = fx.next_revision();
    let start = Instant::now();
    let changed = {
        let session = fx.session(engine);
        let articles = session
            .query::<Article>()
            .limit(fx.sizes.updates as u64)
            .all()?;
        for h in &articles {
            let mut a = h.write();
            a.title = new_title(a.id.unwrap_or_default(), revision);
        }
        session.commit()?;
        articles.len()
    };
    let elapsed = start.elapsed();
    check(fx, changed, revision)?;
    Ok(elapsed)
}

/// The prepared `SELECT .. LIMIT $1` of W4's raw sides (the same rows as the ORM loads).
fn select(db: &mut RawDb) -> BResult<postgres::Statement> {
    db.prepare(&format!("SELECT {ARTICLE_COLUMNS} FROM articles LIMIT $1"))
}

/// Loads `n` articles into plain structs.
fn load(
    tx: &mut postgres::Transaction<'_>,
    select: &postgres::Statement,
    n: usize,
) -> BResult<Vec<RawArticle>> {
    Ok(tx
        .query(select, &[&(n as i64)])?
        .iter()
        .map(RawArticle::from_row)
        .collect())
}

/// Raw, the target's baseline: in a transaction, load, then one prepared
/// `UPDATE ... WHERE id = $n` per row (setting `updated_on` too, as the ORM does).
pub fn raw(fx: &mut Fixture, db: &mut RawDb) -> BResult<Duration> {
    fx.ensure_seeded()?;
    let revision = fx.next_revision();
    let select = select(db)?;
    let update = db.prepare("UPDATE articles SET title = $1, updated_on = $2 WHERE id = $3")?;
    let start = Instant::now();
    let mut tx = db.client.transaction()?;
    let mut articles = load(&mut tx, &select, fx.sizes.updates)?;
    for a in &mut articles {
        a.title = new_title(a.id, revision);
        a.updated_on = Some(model::now());
        tx.execute(&update, &[&a.title, &a.updated_on, &a.id])?;
    }
    tx.commit()?;
    let elapsed = start.elapsed();
    check(fx, articles.len(), revision)?;
    Ok(elapsed)
}

/// Raw, batched (for reference, no target): load, then one `UPDATE ... FROM unnest(..)`
/// with three array parameters.
pub fn raw_batched(fx: &mut Fixture, db: &mut RawDb) -> BResult<Duration> {
    fx.ensure_seeded()?;
    let revision = fx.next_revision();
    let update = db.prepare(
        "UPDATE articles AS a SET title = v.title, updated_on = v.updated_on \
         FROM unnest($1::int4[], $2::varchar[], $3::timestamp[]) AS v(id, title, updated_on) \
         WHERE a.id = v.id",
    )?;
    let select = select(db)?;
    let start = Instant::now();
    let mut tx = db.client.transaction()?;
    let mut articles = load(&mut tx, &select, fx.sizes.updates)?;
    let now = model::now();
    for a in &mut articles {
        a.title = new_title(a.id, revision);
        a.updated_on = Some(now);
    }
    let ids: Vec<i32> = articles.iter().map(|a| a.id).collect();
    let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
    let stamps: Vec<_> = articles.iter().map(|a| a.updated_on).collect();
    tx.execute(&update, &[&ids, &titles, &stamps])?;
    tx.commit()?;
    let changed = articles.len();
    let elapsed = start.elapsed();
    check(fx, changed, revision)?;
    Ok(elapsed)
}

/// Every side must have changed `updates` rows, and the server must hold the new titles.
fn check(fx: &mut Fixture, changed: usize, revision: u64) -> BResult<()> {
    let n = fx.sizes.updates;
    let pattern = format!("% rev {revision}");
    let row = fx.admin().query_one(
        "SELECT count(*) FROM articles WHERE title LIKE $1",
        &[&pattern],
    )?;
    let stored: i64 = row.get(0);
    if changed != n || stored != n as i64 {
        return Err(format!("W4: changed {changed}, stored {stored}, expected {n}").into());
    }
    Ok(())
}
