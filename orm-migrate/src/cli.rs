//! The `migrate` command line, for a user's own binary to embed (the models live
//! in the user's crate, so autogenerate runs there):
//!
//! ```
//! use orm_core::MetaData;
//!
//! fn main() -> std::process::ExitCode {
//!     let mut args = std::env::args_os().skip(1).peekable();
//!     if args.peek().is_some_and(|a| a == "migrate") {
//!         let engine = orm_postgres::create_engine("postgres://postgres@127.0.0.1/app").unwrap();
//!         return orm_migrate::Cli::new(MetaData::registered(), &engine)
//!             .dir("migrations")
//!             .run(args.skip(1));
//!     }
//!     // ... the program itself
//!     std::process::ExitCode::SUCCESS
//! }
//! ```

use crate::autogen::autogenerate;
use crate::diff::Renames;
use crate::generate::generate;
use crate::runner::{MigrationState, Migrator};
use orm_core::{Engine, Error, MetaData, Result};
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// One `migrate` subcommand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `generate <name> [--rename-table OLD=NEW].. [--rename-column TABLE.OLD=NEW]..`
    Generate {
        /// The migration's name.
        name: String,
        /// Declared renames.
        renames: Renames,
    },
    /// `up`: apply every pending migration.
    Up,
    /// `down [N]`: revert the last N (default 1).
    Down(usize),
    /// `status`: list migrations and whether each is applied.
    Status,
    /// `check`: exit 1 when the models and the database differ.
    Check,
}

/// What a command found, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done (exit 0).
    Done,
    /// `check` found a difference (exit 1).
    Differs,
}

/// Usage text.
pub const USAGE: &str = "\
usage: migrate <command> [--dir PATH]
  generate NAME [--rename-table OLD=NEW].. [--rename-column TABLE.OLD=NEW]..
                  write a migration from the difference between the models and the database
  up              apply every pending migration
  down [N]        revert the last N applied migrations (default 1)
  status          list the migrations and whether each is applied
  check           exit 1 when the models and the database differ
exit codes: 0 success, 1 check found differences, 2 error";

/// The `migrate` command line bound to the program's models and engine.
#[derive(Debug, Clone)]
pub struct Cli {
    models: MetaData,
    engine: Engine,
    dir: PathBuf,
}

impl Cli {
    /// Commands over `models`, against `engine`'s database; migrations in
    /// `./migrations` unless [`Cli::dir`] says otherwise.
    pub fn new(models: MetaData, engine: &Engine) -> Self {
        Cli {
            models,
            engine: engine.clone(),
            dir: PathBuf::from("migrations"),
        }
    }

    /// The default migrations folder (`--dir` overrides it).
    pub fn dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.dir = dir.into();
        self
    }

    /// Parses `args` (what follows `migrate`), runs the command, prints to stdout
    /// and stderr, and returns the exit code (0, 1 when `check` differs, 2 on error).
    pub fn run<I, S>(&self, args: I) -> ExitCode
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
        if args.iter().any(|a| a == "--help" || a == "-h") {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        let (command, dir) = match parse_args(args) {
            Ok(parsed) => parsed,
            Err(e) => {
                eprintln!("error: {e}\n{USAGE}");
                return ExitCode::from(2);
            }
        };
        let cli = match dir {
            Some(dir) => self.clone().dir(dir),
            None => self.clone(),
        };
        match cli.execute(&command, &mut std::io::stdout()) {
            Ok(Outcome::Done) => ExitCode::SUCCESS,
            Ok(Outcome::Differs) => ExitCode::from(1),
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        }
    }

    /// Runs `command`, writing its report to `out`.
    pub fn execute(&self, command: &Command, out: &mut dyn Write) -> Result<Outcome> {
        let migrator = Migrator::new(&self.engine, &self.dir);
        match command {
            Command::Generate { name, renames } => {
                match generate(&migrator, &self.models, name, renames)? {
                    None => say(out, "no changes: the database matches the models")?,
                    Some(g) => {
                        say(out, &format!("created {}", g.path.display()))?;
                        print_plan(out, &g.plan)?;
                    }
                }
            }
            Command::Up => {
                let applied = migrator.up()?;
                if applied.is_empty() {
                    say(out, "nothing to apply")?;
                }
                for id in applied {
                    say(out, &format!("applied {id}"))?;
                }
            }
            Command::Down(n) => {
                let reverted = migrator.down(*n)?;
                if reverted.is_empty() {
                    say(out, "nothing to revert")?;
                }
                for id in reverted {
                    say(out, &format!("reverted {id}"))?;
                }
            }
            Command::Status => status(&migrator, out)?,
            Command::Check => return check(&self.engine, &self.models, out),
        }
        Ok(Outcome::Done)
    }
}

fn say(out: &mut dyn Write, line: &str) -> Result<()> {
    writeln!(out, "{line}").map_err(|e| Error::Migration(format!("cannot write output: {e}")))
}

fn print_plan(out: &mut dyn Write, plan: &crate::Plan) -> Result<()> {
    for note in &plan.notes {
        say(out, &format!("  note: {note}"))?;
    }
    for step in &plan.steps {
        say(out, &format!("  {}", step.operation.describe()))?;
        for w in &step.warnings {
            say(out, &format!("    warning: {w}"))?;
        }
    }
    Ok(())
}

fn status(migrator: &Migrator, out: &mut dyn Write) -> Result<()> {
    let all = migrator.status()?;
    if all.is_empty() {
        say(
            out,
            &format!("no migrations in {}", migrator.dir().display()),
        )?;
    }
    for s in all {
        let state = match s.state {
            MigrationState::Applied(at) => {
                format!("applied {}", at.format("%Y-%m-%d %H:%M:%S UTC"))
            }
            MigrationState::Pending => "pending".to_owned(),
            MigrationState::Edited => "EDITED after it was applied (checksum mismatch)".to_owned(),
            MigrationState::MissingFiles => "applied, but its folder is missing".to_owned(),
        };
        say(out, &format!("{}_{}  {state}", s.version, s.name))?;
    }
    Ok(())
}

fn check(engine: &Engine, models: &MetaData, out: &mut dyn Write) -> Result<Outcome> {
    let plan = autogenerate(engine, models, &Renames::default())?;
    if plan.is_empty() {
        say(out, "the database matches the models")?;
        return Ok(Outcome::Done);
    }
    say(out, "the database differs from the models:")?;
    print_plan(out, &plan)?;
    Ok(Outcome::Differs)
}

/// Parses the arguments after `migrate` into a command and an optional `--dir`.
///
/// ```
/// use orm_migrate::{parse_args, Command};
/// let (cmd, dir) = parse_args(["down", "2", "--dir", "db/migrations"]).unwrap();
/// assert_eq!(cmd, Command::Down(2));
/// assert_eq!(dir.unwrap().to_str(), Some("db/migrations"));
/// ```
pub fn parse_args<I, S>(args: I) -> std::result::Result<(Command, Option<PathBuf>), String>
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(args);
    let mut words: Vec<String> = Vec::new();
    let mut dir = None;
    let mut renames = Renames::default();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Long("dir") => dir = Some(PathBuf::from(value(&mut parser)?)),
            Long("rename-table") => {
                let v = value(&mut parser)?;
                let (from, to) = v.split_once('=').ok_or("--rename-table takes OLD=NEW")?;
                renames = renames.table(from, to);
            }
            Long("rename-column") => {
                let v = value(&mut parser)?;
                let bad = "--rename-column takes TABLE.OLD=NEW";
                let (left, to) = v.split_once('=').ok_or(bad)?;
                let (table, from) = left.split_once('.').ok_or(bad)?;
                renames = renames.column(table, from, to);
            }
            Short('h') | Long("help") => return Err("help requested".into()),
            Value(v) => words.push(v.into_string().map_err(|_| "arguments must be UTF-8")?),
            other => return Err(other.unexpected().to_string()),
        }
    }
    let command = command(&words, renames)?;
    Ok((command, dir))
}

fn value(parser: &mut lexopt::Parser) -> std::result::Result<String, String> {
    parser
        .value()
        .map_err(|e| e.to_string())?
        .into_string()
        .map_err(|_| "arguments must be UTF-8".to_owned())
}

fn command(words: &[String], renames: Renames) -> std::result::Result<Command, String> {
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    if !renames.is_empty() && words.first() != Some(&"generate") {
        return Err("renames are declared with `generate`".into());
    }
    match words.as_slice() {
        ["generate", name] => Ok(Command::Generate {
            name: (*name).to_owned(),
            renames,
        }),
        ["generate"] => Err("generate needs a name, e.g. `generate add_tags`".into()),
        ["up"] => Ok(Command::Up),
        ["down"] => Ok(Command::Down(1)),
        ["down", n] => n
            .parse()
            .map(Command::Down)
            .map_err(|_| format!("down takes a number of migrations, not `{n}`")),
        ["status"] => Ok(Command::Status),
        ["check"] => Ok(Command::Check),
        [] => Err("a command is needed".into()),
        other => Err(format!("unknown command `{}`", other.join(" "))),
    }
}
