//! The ORM against hand-written `postgres` code on the same work (DESIGN.md,
//! "Performance targets"), in one run on one server, reported as ratios of medians.
//!
//! ```text
//! cargo run --release -p tests --bin bench -- [--quick] [--layout same|split|both] [--repeat N]
//!     [--json FILE] [--only W1,W3,..] [--expire-on-commit] [--scaling]
//! ```
//!
//! See `docs/BENCHMARKS.md`.

mod count;
mod fixture;
mod memory;
mod model;
mod pinning;
mod report;
mod runner;
mod scaling;
mod w1_insert;
mod w2_load;
mod w3_lookup;
mod w4_update;
mod w5_eager;
mod w5_joined;
mod workload;

use fixture::{BResult, Fixture, Sizes};
use pinning::Layout;
use std::process::ExitCode;

/// Counts heap bytes while `--scaling` measures memory (idle otherwise).
#[global_allocator]
static ALLOCATOR: memory::Counting = memory::Counting;

/// Command-line options.
#[derive(Debug)]
struct Args {
    quick: bool,
    layouts: Vec<Layout>,
    repeat: Option<usize>,
    json: Option<String>,
    only: Option<Vec<String>>,
    expire_on_commit: bool,
    scaling: bool,
    orm_only: Option<usize>,
    raw_only: Option<usize>,
}

const USAGE: &str = "usage: bench [--quick] [--layout same|split|both] [--repeat N] [--json FILE] [--only W1,W3,..] [--expire-on-commit] [--scaling] [--orm-only N] [--raw-only N]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        quick: false,
        layouts: vec![Layout::Same, Layout::Split],
        repeat: None,
        json: None,
        only: None,
        expire_on_commit: false,
        scaling: false,
        orm_only: None,
        raw_only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value\n{USAGE}"));
        match a.as_str() {
            "--quick" => args.quick = true,
            "--expire-on-commit" => args.expire_on_commit = true,
            "--scaling" => args.scaling = true,
            "--orm-only" | "--raw-only" => {
                let n: usize = value()?
                    .parse()
                    .map_err(|_| format!("{a} needs a number\n{USAGE}"))?;
                if a == "--orm-only" {
                    args.orm_only = Some(n.max(1));
                } else {
                    args.raw_only = Some(n.max(1));
                }
            }
            "--layout" => {
                args.layouts = match value()?.as_str() {
                    "same" => vec![Layout::Same],
                    "split" => vec![Layout::Split],
                    "both" => vec![Layout::Same, Layout::Split],
                    other => return Err(format!("unknown layout `{other}`\n{USAGE}")),
                }
            }
            "--repeat" => {
                let n: usize = value()?
                    .parse()
                    .map_err(|_| format!("--repeat needs a number\n{USAGE}"))?;
                args.repeat = Some(n.max(1));
            }
            "--json" => args.json = Some(value()?),
            "--only" => {
                let ids = value()?
                    .split(',')
                    .map(|s| s.trim().to_uppercase())
                    .collect();
                args.only = Some(ids);
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(args)
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

fn run(args: Args) -> BResult<()> {
    let sizes = if args.quick {
        Sizes::QUICK
    } else {
        Sizes::FULL
    };
    let repeat = args.repeat.unwrap_or(if args.quick { 3 } else { 11 });
    let mut workloads = workload::all();
    if let Some(only) = &args.only {
        workloads.retain(|w| only.iter().any(|id| id == &w.id.to_uppercase()));
        if workloads.is_empty() {
            return Err(format!("--only {}: no such workload", only.join(",")).into());
        }
    }
    let cpus = pinning::cpus();
    println!(
        "bench: {} authors, {} articles, {} lookups, {} updates; {repeat} repetitions per side; {} CPUs; load average {}",
        sizes.authors, sizes.articles, sizes.lookups, sizes.updates, cpus, loadavg()
    );
    for w in &workloads {
        println!("  {:<4} {}", w.id, w.label);
    }

    let mut layouts: Vec<Option<Layout>> = args.layouts.iter().copied().map(Some).collect();
    if !pinning::pin_self(Layout::CLIENT_CPU) {
        println!("taskset is not available or failed: unpinned: ratios are noise");
        layouts = vec![None];
    } else if cpus < 2 && layouts.contains(&Some(Layout::Split)) {
        println!("only one CPU: the split layout is skipped");
        layouts.retain(|l| *l != Some(Layout::Split));
    }

    let mut fx = Fixture::create(sizes)?;
    fx.expire_on_commit = args.expire_on_commit;
    if args.orm_only.is_some() || args.raw_only.is_some() {
        return one_side(&mut fx, &workloads, args.orm_only, args.raw_only);
    }
    if fx.expire_on_commit {
        println!("ORM sessions expire every instance at commit (--expire-on-commit)");
    }
    println!("schema {} (dropped at the end)", fx.schema);

    println!(
        "\nWire counts (counting pass through the proxy, untimed; 1st = first run on a fresh connection, 2nd = warm run, what the timed runs send):"
    );
    let mut wire_rows = Vec::new();
    {
        let mut counter = count::Counter::start(&fx)?;
        for w in &workloads {
            wire_rows.push(counter.count(&mut fx, w)?);
        }
        let (wire, log) = counter.get_of_loaded(&mut fx)?;
        print!("{}", report::wire_table(&wire_rows));
        println!(
            "W3 check: a second session.get::<Article>(id) of a loaded article sent {wire} statements on the wire, {log} in the StatementLog{}",
            if wire == 0 && log == 0 { "" } else { "  <-- expected 0" }
        );
    }

    let mut timed = runner::Timed::open(&mut fx, &workloads)?;
    let mut results = Vec::new();
    for &layout in &layouts {
        let (rows, pids) = timed.run_layout(&mut fx, &workloads, layout, repeat)?;
        let title = match layout {
            Some(l) => format!(
                "\nLayout {}: client on CPU {}, backends {:?} on CPU {}; medians of {repeat}; load average {}",
                l.name(),
                Layout::CLIENT_CPU,
                pids,
                l.backend_cpu(),
                loadavg()
            ),
            None => format!("\nunpinned: ratios are noise; medians of {repeat}"),
        };
        print!("{}", report::layout_table(&title, &rows, &wire_rows));
        results.push((layout.map_or("unpinned", Layout::name).to_owned(), rows));
    }
    println!("\nratio = ORM median / raw median; pair range = min–max of ORM/raw over the interleaved pairs; stmts = Execute + simple Query per run");

    let mut scaled = Vec::new();
    let mut memory = None;
    if args.scaling {
        let scale_repeat = (repeat / 2).max(3);
        let (mut big, runs) = scaling::time(&workloads, &layouts, scale_repeat)?;
        scaled = runs
            .into_iter()
            .map(|(l, rows)| (l.map_or("unpinned", Layout::name).to_owned(), rows))
            .collect();
        print!("{}", scaling::table(&results, &scaled, sizes.articles));
        let m = scaling::memory(&mut big)?;
        print!("{}", scaling::memory_lines(&m));
        memory = Some(m);
    }

    if let Some(path) = args.json {
        let mut doc = report::json(&results, &wire_rows);
        doc["scaled"] = report::json(&scaled, &[])["layouts"].clone();
        if let Some(m) = memory {
            doc["memory"] = serde_json::json!({
                "rows": m.rows,
                "orm_peak_bytes": m.orm.peak, "orm_held_bytes": m.orm.held,
                "raw_peak_bytes": m.raw.peak, "raw_held_bytes": m.raw.held,
            });
        }
        std::fs::write(&path, serde_json::to_string_pretty(&doc)?)?;
        println!("wrote {path}");
    }
    Ok(())
}

/// `--orm-only N` / `--raw-only N`: one side of each workload N times, nothing
/// else (for `perf record` or `valgrind --tool=callgrind`), with the median time.
fn one_side(
    fx: &mut Fixture,
    workloads: &[workload::Workload],
    orm: Option<usize>,
    raw: Option<usize>,
) -> BResult<()> {
    let engine = fx.engine(fixture::APP_NAME, None)?;
    let mut db = fx.raw(fixture::APP_NAME, None)?;
    for w in workloads {
        for (side, n) in [("ORM", orm), ("raw", raw)] {
            let Some(n) = n else { continue };
            let mut run = |fx: &mut Fixture| match side {
                "ORM" => (w.orm)(fx, &engine),
                _ => (w.raw)(fx, &mut db),
            };
            run(fx)?;
            let mut ms = Vec::with_capacity(n);
            for _ in 0..n {
                ms.push(run(fx)?.as_secs_f64() * 1e3);
            }
            println!(
                "{:<4} {side} only: median {:.2} ms of {n}",
                w.id,
                report::median(&ms)
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}
