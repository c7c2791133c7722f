//! `--scaling`: W1 and W2 again at 100,000 articles (their ratios should stay within
//! 10% of the 10,000-row ones: linear), and the heap memory of loading 100,000
//! articles as objects, ORM and raw.

use crate::fixture::{BResult, Fixture, Sizes, APP_NAME};
use crate::memory::{self, Heap};
use crate::model::{Article, RawArticle, ARTICLE_COLUMNS};
use crate::pinning::Layout;
use crate::report::Measured;
use crate::runner::Timed;
use crate::workload::Workload;
use std::fmt::Write as _;

/// The scaled sizes: ten times the articles.
pub const SCALED: Sizes = Sizes {
    authors: 10,
    articles: 100_000,
    lookups: 2_000,
    updates: 1_000,
};

/// The workloads that are scaled.
pub const SCALED_IDS: [&str; 2] = ["W1", "W2"];

/// Heap bytes of loading every article of the fixture, ORM and raw.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    /// Rows loaded.
    pub rows: usize,
    /// `session.query::<Article>().all()` (the session kept alive with its objects).
    pub orm: Heap,
    /// The raw rows mapped into a `Vec<RawArticle>`.
    pub raw: Heap,
}

/// The timings of one layout (`None`: unpinned).
pub type LayoutRuns = (Option<Layout>, Vec<Measured>);

/// Times the scaled workloads in each layout on a 100,000-article fixture.
pub fn time(
    workloads: &[Workload],
    layouts: &[Option<Layout>],
    repeat: usize,
) -> BResult<(Fixture, Vec<LayoutRuns>)> {
    let mut fx = Fixture::create(SCALED)?;
    let scaled: Vec<Workload> = workloads
        .iter()
        .copied()
        .filter(|w| SCALED_IDS.contains(&w.id))
        .collect();
    let mut timed = Timed::open(&mut fx, &scaled)?;
    let mut out = Vec::new();
    for &layout in layouts {
        let (rows, _) = timed.run_layout(&mut fx, &scaled, layout, repeat)?;
        out.push((layout, rows));
    }
    Ok((fx, out))
}

/// Loads every article of `fx` with the ORM and raw, counting heap bytes.
pub fn memory(fx: &mut Fixture) -> BResult<Memory> {
    fx.ensure_seeded()?;
    let engine = fx.engine(APP_NAME, None)?;
    let mut raw = fx.raw(APP_NAME, None)?;
    let select = raw.prepare(&format!("SELECT {ARTICLE_COLUMNS} FROM articles"))?;
    let load_orm = || -> BResult<_> {
        let session = fx.session(&engine);
        let articles = session.query::<Article>().all()?;
        Ok((session, articles))
    };
    // Warm-up: the pooled connection, its prepared statement and buffers exist.
    for _ in 0..2 {
        drop(load_orm()?);
    }
    let (orm, loaded) = memory::measure(load_orm);
    let rows = loaded?.1.len();
    let load_raw = |db: &mut crate::fixture::RawDb| -> BResult<Vec<RawArticle>> {
        Ok(db
            .client
            .query(&select, &[])?
            .iter()
            .map(RawArticle::from_row)
            .collect())
    };
    drop(load_raw(&mut raw)?);
    let (raw_heap, raw_rows) = memory::measure(|| load_raw(&mut raw));
    if raw_rows?.len() != rows || rows != fx.sizes.articles {
        return Err(format!(
            "memory: loaded {rows} articles, expected {}",
            fx.sizes.articles
        )
        .into());
    }
    Ok(Memory {
        rows,
        orm,
        raw: raw_heap,
    })
}

/// The scaling table: each scaled workload's ratio at 10,000 and 100,000 rows.
pub fn table(
    base: &[(String, Vec<Measured>)],
    scaled: &[(String, Vec<Measured>)],
    base_articles: usize,
) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\nScaling (ratio ORM/raw at {base_articles} and {} articles; linear = within 10%):",
        SCALED.articles
    );
    let _ = writeln!(
        s,
        "{:<5} {:<8} {:>9} {:>10} {:>11} {:>8}",
        "", "layout", "base", "scaled", "scaled/base", ""
    );
    for (layout, rows) in scaled {
        for m in rows {
            let Some(b) = base
                .iter()
                .filter(|(l, _)| l == layout)
                .flat_map(|(_, r)| r)
                .find(|b| b.id == m.id)
            else {
                continue;
            };
            let change = m.ratio() / b.ratio();
            let verdict = if (change - 1.0).abs() <= 0.10 {
                "ok"
            } else {
                "MISS"
            };
            let _ = writeln!(
                s,
                "{:<5} {:<8} {:>8.2}× {:>9.2}× {:>10.2} {:>8}",
                m.id,
                layout,
                b.ratio(),
                m.ratio(),
                change,
                verdict
            );
        }
    }
    s
}

/// The memory lines.
pub fn memory_lines(m: &Memory) -> String {
    let per = |bytes: usize| bytes as f64 / m.rows as f64;
    format!(
        "\nHeap while loading {} articles (bytes per row above the bytes in use before):\n  \
         ORM  peak {:>6.0}  held after load {:>6.0}\n  raw  peak {:>6.0}  held after load {:>6.0}\n  \
         ORM peak - raw held: {:.0} bytes per row of overhead\n",
        m.rows,
        per(m.orm.peak),
        per(m.orm.held),
        per(m.raw.peak),
        per(m.raw.held),
        per(m.orm.peak) - per(m.raw.held),
    )
}
