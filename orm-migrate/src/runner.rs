//! [`Migrator`]: applies and reverts the migrations of a folder, recording them
//! in `orm_migrations`.
//!
//! Every migration runs in its own transaction together with its history row, so a
//! failing migration leaves the schema and the history as they were. Each
//! transaction first takes the dialect's migration lock (PostgreSQL: a
//! transaction-scoped advisory lock) and checks the history again under it, so two
//! deploys running `up` at the same moment apply each migration once.

use crate::files::{read_dir, MigrationFiles};
use crate::history::{self, AppliedMigration};
use chrono::{DateTime, Utc};
use orm_core::{Engine, EngineConnection, Error, Result};
use std::path::{Path, PathBuf};

/// Where a migration stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MigrationState {
    /// Applied at that time, and its `up.sql` is unchanged.
    Applied(DateTime<Utc>),
    /// Not applied yet.
    Pending,
    /// Applied, but its `up.sql` was edited afterwards.
    Edited,
    /// Recorded as applied, but its folder is gone.
    MissingFiles,
}

/// One line of `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    /// The version.
    pub version: String,
    /// The name.
    pub name: String,
    /// Where it stands.
    pub state: MigrationState,
}

/// Applies and reverts the migrations in one folder against one engine.
#[derive(Debug, Clone)]
pub struct Migrator {
    engine: Engine,
    dir: PathBuf,
}

impl Migrator {
    /// Migrations in `dir`, applied through `engine` (to its current schema).
    pub fn new(engine: &Engine, dir: impl Into<PathBuf>) -> Self {
        Migrator {
            engine: engine.clone(),
            dir: dir.into(),
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The migrations folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The migrations on disk, oldest first.
    pub fn files(&self) -> Result<Vec<MigrationFiles>> {
        read_dir(&self.dir)
    }

    /// The history, creating its table when missing.
    pub fn applied(&self) -> Result<Vec<AppliedMigration>> {
        let mut conn = self.engine.connect()?;
        self.prepare(&mut conn)
    }

    /// Every migration on disk or in the history, oldest first.
    pub fn status(&self) -> Result<Vec<MigrationStatus>> {
        let files = self.files()?;
        let applied = self.applied()?;
        let mut out: Vec<MigrationStatus> = files
            .iter()
            .map(|f| {
                let state = match applied.iter().find(|a| a.version == f.version) {
                    Some(a) if a.checksum != f.checksum() => MigrationState::Edited,
                    Some(a) => MigrationState::Applied(a.applied_at),
                    None => MigrationState::Pending,
                };
                MigrationStatus {
                    version: f.version.clone(),
                    name: f.name.clone(),
                    state,
                }
            })
            .collect();
        for a in applied
            .iter()
            .filter(|a| !files.iter().any(|f| f.version == a.version))
        {
            out.push(MigrationStatus {
                version: a.version.clone(),
                name: a.name.clone(),
                state: MigrationState::MissingFiles,
            });
        }
        out.sort_by(|a, b| a.version.cmp(&b.version));
        Ok(out)
    }

    /// Applies every pending migration, oldest first, each in its own transaction;
    /// returns the ones this call applied (`<version>_<name>`).
    ///
    /// Refuses to start, with [`Error::MigrationChecksumMismatch`], when an applied
    /// migration was edited. A failing migration stops the run with
    /// [`Error::MigrationFailed`]; the ones before it stay applied.
    pub fn up(&self) -> Result<Vec<String>> {
        let pending = self.pending()?;
        self.apply(&pending)
    }

    /// The migrations not applied yet, oldest first, after checking that no applied
    /// migration was edited.
    pub fn pending(&self) -> Result<Vec<MigrationFiles>> {
        let files = self.files()?;
        let applied = self.applied()?;
        verify(&files, &applied)?;
        Ok(files
            .into_iter()
            .filter(|f| !applied.iter().any(|a| a.version == f.version))
            .collect())
    }

    /// Applies `migrations` in order, each in its own transaction that takes the
    /// lock and then skips the migration if another run applied it meanwhile;
    /// returns the ones this call applied.
    pub fn apply(&self, migrations: &[MigrationFiles]) -> Result<Vec<String>> {
        let mut conn = self.engine.connect()?;
        let mut done = Vec::new();
        for f in migrations {
            let ran = locked(&mut conn, |conn| {
                if history::contains(conn, &f.version)? {
                    return Ok(false); // another run applied it while we waited
                }
                conn.batch_execute(&f.up).map_err(|e| failed(f, e))?;
                history::record(conn, &f.version, &f.name, &f.checksum())?;
                Ok(true)
            })?;
            if ran {
                done.push(f.id());
            }
        }
        Ok(done)
    }

    /// Reverts the last `n` applied migrations, newest first, each with its
    /// `down.sql` in its own transaction; returns the ones reverted.
    pub fn down(&self, n: usize) -> Result<Vec<String>> {
        let files = self.files()?;
        let mut conn = self.engine.connect()?;
        let applied = self.prepare(&mut conn)?;
        verify(&files, &applied)?;
        let mut done = Vec::new();
        for _ in 0..n {
            let reverted = locked(&mut conn, |conn| {
                let Some(last) = history::applied(conn)?.pop() else {
                    return Ok(None);
                };
                let file = files_for(&files, &last)?;
                let down = file.down.as_deref().ok_or_else(|| {
                    Error::Migration(format!("{} has no down.sql", file.path.display()))
                })?;
                conn.batch_execute(down).map_err(|e| failed(file, e))?;
                history::forget(conn, &last.version)?;
                Ok(Some(file.id()))
            })?;
            match reverted {
                Some(id) => done.push(id),
                None => break,
            }
        }
        Ok(done)
    }

    /// Creates the history table if needed (under the lock) and reads it.
    fn prepare(&self, conn: &mut EngineConnection) -> Result<Vec<AppliedMigration>> {
        locked(conn, history::ensure)?;
        history::applied(conn)
    }
}

fn files_for<'f>(
    files: &'f [MigrationFiles],
    applied: &AppliedMigration,
) -> Result<&'f MigrationFiles> {
    files
        .iter()
        .find(|f| f.version == applied.version)
        .ok_or_else(|| {
            Error::Migration(format!(
                "migration {}_{} is applied but its folder is not in the migrations folder",
                applied.version, applied.name
            ))
        })
}

/// Every applied migration still on disk has the checksum it was applied with.
fn verify(files: &[MigrationFiles], applied: &[AppliedMigration]) -> Result<()> {
    for a in applied {
        if let Some(f) = files.iter().find(|f| f.version == a.version) {
            let found = f.checksum();
            if found != a.checksum {
                return Err(Error::MigrationChecksumMismatch {
                    version: a.version.clone(),
                    name: a.name.clone(),
                    recorded: a.checksum.clone(),
                    found,
                });
            }
        }
    }
    Ok(())
}

fn failed(f: &MigrationFiles, e: Error) -> Error {
    Error::MigrationFailed {
        version: f.version.clone(),
        name: f.name.clone(),
        source: Box::new(e),
    }
}

/// Runs `f` in a transaction that first takes the migration lock; commits on
/// success, rolls back on error.
fn locked<T>(
    conn: &mut EngineConnection,
    f: impl FnOnce(&mut EngineConnection) -> Result<T>,
) -> Result<T> {
    conn.begin()?;
    let dialect = conn.engine().clone();
    let result = history::lock(conn, dialect.dialect()).and_then(|()| f(conn));
    match result {
        Ok(v) => {
            conn.commit()?;
            Ok(v)
        }
        Err(e) => {
            // The original error matters more than a failed rollback (whose
            // connection the pool then discards).
            let _ = conn.rollback();
            Err(e)
        }
    }
}
