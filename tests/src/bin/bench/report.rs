//! Medians, ratios and the printed tables (and the optional JSON file).

use ::tests::wire::WireCounts;
use std::fmt::Write as _;
use std::time::Duration;

/// The timings of one workload in one layout.
#[derive(Debug, Clone)]
pub struct Measured {
    /// Workload id.
    pub id: &'static str,
    /// Target ratio, if any.
    pub target: Option<f64>,
    /// Raw timings, one per repetition.
    pub raw: Vec<Duration>,
    /// ORM timings, one per repetition (paired with `raw` by index).
    pub orm: Vec<Duration>,
}

/// The median of `values` (mean of the middle two for an even count); 0 when empty.
pub fn median(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    if v.len() % 2 == 1 {
        v[mid]
    } else {
        (v[mid - 1] + v[mid]) / 2.0
    }
}

fn millis(d: &[Duration]) -> Vec<f64> {
    d.iter().map(|d| d.as_secs_f64() * 1e3).collect()
}

impl Measured {
    /// Median raw time, ms.
    pub fn raw_ms(&self) -> f64 {
        median(&millis(&self.raw))
    }

    /// Median ORM time, ms.
    pub fn orm_ms(&self) -> f64 {
        median(&millis(&self.orm))
    }

    /// ORM median / raw median.
    pub fn ratio(&self) -> f64 {
        self.orm_ms() / self.raw_ms()
    }

    /// Smallest and largest ratio of a repetition's ORM run to its paired raw run.
    pub fn pair_range(&self) -> (f64, f64) {
        let r: Vec<f64> = self
            .orm
            .iter()
            .zip(&self.raw)
            .map(|(o, r)| o.as_secs_f64() / r.as_secs_f64())
            .collect();
        let lo = r.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = r.iter().copied().fold(0.0, f64::max);
        (lo, hi)
    }

    /// `ok` / `MISS` / `-` (no target).
    pub fn verdict(&self) -> &'static str {
        match self.target {
            Some(t) if self.ratio() <= t => "ok",
            Some(_) => "MISS",
            None => "-",
        }
    }
}

/// What the counting pass saw for one side of one workload.
#[derive(Debug, Clone, Copy, Default)]
pub struct SideWire {
    /// The first run on the connection (statements prepared here).
    pub first: WireCounts,
    /// The second run (statements cached): what the timed runs send.
    pub warm: WireCounts,
    /// Statements the ORM's `StatementLog` recorded in the second run (`None`: raw).
    pub logged: Option<u64>,
}

/// Counting-pass results of one workload.
#[derive(Debug, Clone)]
pub struct WireRow {
    /// Workload id.
    pub id: &'static str,
    /// ORM side.
    pub orm: SideWire,
    /// Raw side.
    pub raw: SideWire,
}

/// The table of one layout.
pub fn layout_table(title: &str, rows: &[Measured], wire: &[WireRow]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{title}");
    let _ = writeln!(
        s,
        "{:<5} {:>10} {:>10} {:>7} {:>13} {:>7} {:>7} {:>13}",
        "", "raw ms", "ORM ms", "ratio", "pair range", "target", "", "stmts ORM/raw"
    );
    for m in rows {
        let (lo, hi) = m.pair_range();
        let target = m.target.map_or("-".to_owned(), |t| format!("≤{t}"));
        let stmts = wire
            .iter()
            .find(|w| w.id == m.id)
            .map_or("?".to_owned(), |w| {
                format!("{}/{}", w.orm.warm.statements(), w.raw.warm.statements())
            });
        let _ = writeln!(
            s,
            "{:<5} {:>10.2} {:>10.2} {:>6.2}× {:>13} {:>7} {:>7} {:>13}",
            m.id,
            m.raw_ms(),
            m.orm_ms(),
            m.ratio(),
            format!("{lo:.2}–{hi:.2}"),
            target,
            m.verdict(),
            stmts
        );
    }
    s
}

/// The wire-count table.
pub fn wire_table(rows: &[WireRow]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<5} {:<4} {:>6} {:>8} {:>6} {:>13} {:>13} {:>12} {:>14}",
        "",
        "side",
        "stmts",
        "Execute",
        "Query",
        "Parse 1st/2nd",
        "rtrips 1st/2nd",
        "Sync+Query",
        "StatementLog"
    );
    for r in rows {
        for (side, w) in [("ORM", &r.orm), ("raw", &r.raw)] {
            let log = match w.logged {
                Some(n) if n == w.warm.statements() => format!("{n} (=)"),
                Some(n) => format!("{n} (≠ wire!)"),
                None => "-".to_owned(),
            };
            let _ = writeln!(
                s,
                "{:<5} {:<4} {:>6} {:>8} {:>6} {:>13} {:>13} {:>12} {:>14}",
                r.id,
                side,
                w.warm.statements(),
                w.warm.execute,
                w.warm.query,
                format!("{}/{}", w.first.parse, w.warm.parse),
                format!("{}/{}", w.first.round_trips, w.warm.round_trips),
                w.warm.sync_points(),
                log
            );
        }
    }
    s
}

fn wire_json(w: &SideWire) -> serde_json::Value {
    serde_json::json!({
        "statements": w.warm.statements(),
        "execute": w.warm.execute,
        "query": w.warm.query,
        "parse_first_run": w.first.parse,
        "parse": w.warm.parse,
        "round_trips_first_run": w.first.round_trips,
        "round_trips": w.warm.round_trips,
        "sync_points": w.warm.sync_points(),
        "statement_log": w.logged,
    })
}

/// Everything as JSON (for `--json FILE`).
pub fn json(layouts: &[(String, Vec<Measured>)], wire: &[WireRow]) -> serde_json::Value {
    let layouts: Vec<_> = layouts
        .iter()
        .map(|(name, rows)| {
            let rows: Vec<_> = rows
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "workload": m.id,
                        "raw_ms": m.raw_ms(),
                        "orm_ms": m.orm_ms(),
                        "ratio": m.ratio(),
                        "target": m.target,
                        "raw_runs_ms": millis(&m.raw),
                        "orm_runs_ms": millis(&m.orm),
                    })
                })
                .collect();
            serde_json::json!({ "layout": name, "workloads": rows })
        })
        .collect();
    let wire: Vec<_> = wire
        .iter()
        .map(|r| serde_json::json!({ "workload": r.id, "orm": wire_json(&r.orm), "raw": wire_json(&r.raw) }))
        .collect();
    serde_json::json!({ "layouts": layouts, "wire": wire })
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
    }
}
