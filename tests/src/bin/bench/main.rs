//! The ORM against hand-written `postgres` code on the same work (DESIGN.md,
//! "Performance targets"), in one run on one server, reported as ratios of medians.
//!
//! ```text
//! cargo run --release -p tests --bin bench -- [--quick] [--layout same|split|both] [--repeat N]
//!     [--json FILE] [--only W1,W3,..] [--expire-on-commit]
//! ```
//!
//! See `docs/BENCHMARKS.md`.

mod count;
mod fixture;
mod model;
mod pinning;
mod report;
mod runner;
mod w1_insert;
mod w2_load;
mod w3_lookup;
mod w4_update;
mod w5_eager;
mod workload;

use fixture::{BResult, Fixture, Sizes};
use pinning::Layout;
use std::process::ExitCode;

/// Command-line options.
#[derive(Debug)]
struct Args {
    quick: bool,
    layouts: Vec<Layout>,
    repeat: Option<usize>,
    json: Option<String>,
    only: Option<Vec<String>>,
    expire_on_commit: bool,
}

const USAGE: &str = "usage: bench [--quick] [--layout same|split|both] [--repeat N] [--json FILE] [--only W1,W3,..] [--expire-on-commit]";

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        quick: false,
        layouts: vec![Layout::Same, Layout::Split],
        repeat: None,
        json: None,
        only: None,
        expire_on_commit: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value\n{USAGE}"));
        match a.as_str() {
            "--quick" => args.quick = true,
            "--expire-on-commit" => args.expire_on_commit = true,
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
    if fx.expire_on_commit {
        println!("ORM sessions expire every instance at commit (--expire-on-commit)");
    }
    println!("schema {} (dropped at the end)", fx.schema);

    println!(
        "\nWire counts (counting pass through the proxy, untimed; second run on the connection):"
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
    for layout in layouts {
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

    if let Some(path) = args.json {
        let doc = report::json(&results, &wire_rows);
        std::fs::write(&path, serde_json::to_string_pretty(&doc)?)?;
        println!("wrote {path}");
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
