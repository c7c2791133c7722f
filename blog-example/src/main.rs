//! The SQLAlchemy ORM tutorial ("How to Interact with Databases using SQLAlchemy with
//! PostgreSQL"), ported step by step. Run it with `cargo run -p blog-example`.
//!
//! Options: `--database-url URL` (or the `DATABASE_URL` variable; default
//! `postgres://postgres@127.0.0.1:5432/test`) and `--echo` to print every SQL statement
//! with its parameters (to stderr: the engine's `echo`, no logging set-up needed).
//! Each run drops and recreates the example's own two tables, and commits at the end
//! so the rows stay for inspection.
//!
//! Exit status: 0 on success (also when the reader of its output goes away, as in
//! `blog-example | head`), 1 when the database or the ORM fails (with a hint naming
//! the command that fixes the cause), 2 for a bad command line or URL.
//!
//! `blog-example migrate generate NAME | up | down [N] | status | check [--dir PATH]`
//! runs the migrations command line (`orm_migrate::Cli`) over the same models instead,
//! with the migrations in `blog-example/migrations/` and the database from
//! `DATABASE_URL`.

mod hints;
mod models;
mod output;
mod tutorial;

use orm_core::{Error, MetaData, Url};
use output::{Out, Stop};

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
  --echo              print every SQL statement and its parameters (to stderr)";

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

/// The URL to run against, refused unless it is a PostgreSQL one (the port would
/// otherwise quietly use PostgreSQL whatever the scheme says).
fn postgres_url(raw: &str) -> Result<Url, String> {
    let url: Url = raw.parse().map_err(|e: Error| {
        format!("{e}\nhint: pass a URL like {DEFAULT_URL} with --database-url or DATABASE_URL")
    })?;
    match url.backend_name() {
        "postgres" | "postgresql" => Ok(url),
        other => Err(format!(
            "blog-example runs on PostgreSQL only, and `{other}://` is not PostgreSQL\n\
             hint: give a postgres:// URL, e.g. {DEFAULT_URL}"
        )),
    }
}

fn tutorial(url: &Url, echo: bool) -> ExitCode {
    let mut out = Out::new(std::io::stdout().lock());
    match tutorial::run(&mut out, url, echo) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader is gone (`| head`): nobody is left to tell, stop quietly.
        Err(Stop::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(Stop::Output(e)) => {
            eprintln!("error: cannot write the output: {e}");
            ExitCode::FAILURE
        }
        Err(Stop::Orm(e)) => {
            eprintln!("error: {e}");
            eprintln!("hint: {}", hints::hint(&e, url));
            ExitCode::FAILURE
        }
    }
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
    match postgres_url(&args.database_url) {
        Ok(url) => tutorial(&url, args.echo),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
