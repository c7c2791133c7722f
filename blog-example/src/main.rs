//! The SQLAlchemy ORM tutorial ("How to Interact with Databases using SQLAlchemy with
//! PostgreSQL"), ported step by step. Run it with `cargo run -p blog-example`.
//!
//! Options: `--database-url URL` (or the `DATABASE_URL` variable; default
//! `postgres://postgres@127.0.0.1:5432/test`) and `--echo` to print every SQL statement
//! with its parameters. Each run drops and recreates the example's own two tables, and
//! commits at the end so the rows stay for inspection.
//!
//! `blog-example migrate generate NAME | up | down [N] | status | check [--dir PATH]`
//! runs the migrations command line (`orm_migrate::Cli`) over the same models instead,
//! with the migrations in `blog-example/migrations/` and the database from
//! `DATABASE_URL`.

mod models;
mod tutorial;

use orm_core::MetaData;

use std::ffi::OsString;
use std::process::ExitCode;

const DEFAULT_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The example's migrations, wherever the binary is started from.
const MIGRATIONS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");

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
                    "usage: blog-example [--database-url URL] [--echo]\n       blog-example migrate <command> [--dir PATH]\n\n{}",
                    USAGE
                );
                std::process::exit(0);
            }
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(args)
}

const USAGE: &str = "Runs the SQLAlchemy authors-and-articles tutorial against PostgreSQL,\n\
  or, after `migrate`, the migrations command (`migrate --help` lists its commands).\n\
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

/// `blog-example migrate ...`: the migrations command line over the blog's models.
fn migrate(args: impl Iterator<Item = OsString>) -> ExitCode {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_URL.to_owned());
    let engine = match orm_postgres::create_engine(url.as_str()) {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    orm_migrate::Cli::new(MetaData::registered(), &engine)
        .dir(MIGRATIONS_DIR)
        .run(args)
}

fn main() -> ExitCode {
    let mut argv = std::env::args_os().skip(1).peekable();
    if argv.peek().is_some_and(|a| a == "migrate") {
        return migrate(argv.skip(1));
    }
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
