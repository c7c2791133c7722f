//! The SQLAlchemy ORM tutorial ("How to Interact with Databases using SQLAlchemy with
//! PostgreSQL"), ported step by step. Run it with `cargo run -p blog-example`.
//!
//! Options: `--database-url URL` (or the `DATABASE_URL` variable; default
//! `postgres://postgres@127.0.0.1:5432/test`) and `--echo` to print every SQL statement
//! with its parameters. Each run drops and recreates the example's own two tables, and
//! commits at the end so the rows stay for inspection.

mod models;
mod tutorial;

use std::process::ExitCode;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

struct Args {
    database_url: String,
    echo: bool,
}

fn parse_args() -> Result<Args, lexopt::Error> {
    use lexopt::prelude::*;
    let mut args = Args {
        database_url: std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.to_owned()),
        echo: false,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("database-url") => args.database_url = parser.value()?.string()?,
            Long("echo") => args.echo = true,
            Short('h') | Long("help") => {
                println!(
                    "usage: blog-example [--database-url URL] [--echo]\n\n{}",
                    USAGE
                );
                std::process::exit(0);
            }
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(args)
}

const USAGE: &str = "Runs the SQLAlchemy authors-and-articles tutorial against PostgreSQL.\n\
  --database-url URL  database to use (default: $DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test)\n\
  --echo              print every SQL statement and its parameters";

/// Prints the SQL log (`orm::sql` target) to stdout, one statement per line.
fn install_echo() {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::prelude::*;
    let layer = tracing_subscriber::fmt::layer()
        .with_target(false)
        .with_level(false)
        .with_ansi(false)
        .without_time()
        .with_writer(std::io::stdout);
    tracing_subscriber::registry()
        .with(layer.with_filter(Targets::new().with_target("orm::sql", LevelFilter::INFO)))
        .init();
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\nusage: blog-example [--database-url URL] [--echo]");
            return ExitCode::from(2);
        }
    };
    if args.echo {
        install_echo();
    }
    match tutorial::run(&args.database_url, args.echo) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("hint: {}", tutorial::hint(&e));
            ExitCode::FAILURE
        }
    }
}
