//! `generate`: compare the models with a database that is up to date with its
//! migrations, and write the difference as a new migration folder.

use crate::autogen::autogenerate;
use crate::diff::Renames;
use crate::files::{next_version, write};
use crate::plan::Plan;
use crate::runner::{MigrationState, Migrator};
use chrono::Utc;
use orm_core::{Error, MetaData, Result};
use std::path::PathBuf;

/// A migration written by [`generate`].
#[derive(Debug, Clone)]
pub struct Generated {
    /// The new folder.
    pub path: PathBuf,
    /// What it does.
    pub plan: Plan,
}

/// Writes a migration named `name` that brings the database of `migrator` to
/// `models`; `None` when they already agree (nothing is written).
///
/// The database must have every migration of the folder applied (otherwise the
/// difference would repeat what a pending migration does): this returns
/// [`Error::Migration`] asking for `up` first.
pub fn generate(
    migrator: &Migrator,
    models: &MetaData,
    name: &str,
    renames: &Renames,
) -> Result<Option<Generated>> {
    let behind: Vec<String> = migrator
        .status()?
        .into_iter()
        .filter(|s| matches!(s.state, MigrationState::Pending | MigrationState::Edited))
        .map(|s| format!("{}_{}", s.version, s.name))
        .collect();
    if !behind.is_empty() {
        return Err(Error::Migration(format!(
            "the database is behind its migrations ({}): run `migrate up` first, so that \
             generate compares the models with the schema the migrations make",
            behind.join(", ")
        )));
    }
    let engine = migrator.engine();
    let plan = autogenerate(engine, models, renames)?;
    if plan.is_empty() {
        return Ok(None);
    }
    let version = next_version(Utc::now(), &migrator.files()?);
    let title = format!("{version}_{}", crate::files::folder_name_part(name));
    let script = plan.render(engine.dialect(), &title);
    let path = write(migrator.dir(), &version, name, &script)?;
    Ok(Some(Generated { path, plan }))
}
