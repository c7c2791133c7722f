//! Upsert: `INSERT ... ON CONFLICT (target) DO UPDATE ... RETURNING *`, with the
//! resulting rows going through the identity map.

use super::{Handle, Session, SessionShared, SessionState};
use crate::dialect::{Compiled, Dialect};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::statement::{Insert, OnConflict, OnConflictAction, Statement};
use std::sync::Arc;

/// What an upsert does when a row with the same conflict key exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnConflictDo {
    /// Overwrite every other column with the new values (`DO UPDATE`).
    Update,
    /// Keep the existing row (`DO NOTHING`); it is not returned.
    Nothing,
}

impl Session {
    /// Inserts `models`, or, where a row with the same `conflict` columns (a primary
    /// key or unique constraint, by column name) exists, updates it (or leaves it, with
    /// [`OnConflictDo::Nothing`]), in multi-row statements. Returns the handles of the
    /// rows written, with the values now in the database (server defaults, generated
    /// keys, the existing key on conflict); instances already loaded are refreshed.
    ///
    /// Pending changes are flushed first. Rust-side `default` functions are applied.
    ///
    /// ```
    /// # tests::doc_blog!();
    /// # fn main() -> orm_core::Result<()> {
    /// # let db = blog_db("doc_upsert");
    /// # let session = db.engine.session();
    /// use orm_core::OnConflictDo;
    /// let rows = vec![
    ///     Article { slug: "clean-python".into(), title: "Cleaner Python".into(), ..Default::default() },
    ///     Article { slug: "rust-orm".into(), title: "A Rust ORM".into(), ..Default::default() },
    /// ];
    /// let handles = session.upsert(rows, &["slug"], OnConflictDo::Update)?;
    /// assert_eq!(handles[0].id(), Some(1), "the existing row, updated");
    /// assert_eq!(handles[0].title(), "Cleaner Python");
    /// assert!(handles[1].id() > Some(4), "a new row");
    /// # Ok(()) }
    /// ```
    pub fn upsert<M: Model>(
        &self,
        models: impl IntoIterator<Item = M>,
        conflict: &[&str],
        action: OnConflictDo,
    ) -> Result<Vec<Handle<M>>> {
        let table = M::table();
        if let Some(bad) = conflict.iter().find(|c| table.column(c).is_none()) {
            return Err(Error::InvalidRequest(format!(
                "upsert conflict column `{bad}` is not a column of `{}`",
                table.name
            )));
        }
        let mut rows: Vec<M> = models.into_iter().collect();
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        rows.iter_mut().for_each(Model::apply_insert_defaults);
        crate::schema::validate::check_models(self.engine().dialect(), &mut rows)?;
        let statements = upsert_statements(&rows, conflict, action, self.engine().dialect());
        self.shared()
            .run(async |st, shared| st.upsert::<M>(shared, &statements).await)
    }
}

impl SessionState {
    /// Runs upsert statements after autoflush; each returned row goes through the
    /// identity map (loaded instances refreshed).
    pub(crate) async fn upsert<M: Model>(
        &mut self,
        shared: &Arc<SessionShared>,
        statements: &[Compiled],
    ) -> Result<Vec<Handle<M>>> {
        self.autoflush(shared).await?;
        let mut out = Vec::new();
        for compiled in statements {
            for row in self.query(shared, compiled).await? {
                let handle = self.materialize::<M>(shared, row, true)?;
                self.tx_log
                    .push(super::TxLogEntry::Upserted(handle.erased()));
                out.push(handle);
            }
        }
        Ok(out)
    }
}

/// The multi-row `INSERT ... ON CONFLICT ... RETURNING *` statements for `rows`,
/// as many rows per statement as the dialect's parameter limit allows (at most 1,000).
fn upsert_statements<M: Model>(
    rows: &[M],
    conflict: &[&str],
    action: OnConflictDo,
    dialect: &dyn Dialect,
) -> Vec<Compiled> {
    let table = M::table();
    // Columns the server generates are left out when no row gives them a value.
    let included: Vec<usize> = (0..table.columns.len())
        .filter(|&i| {
            !table.columns[i].server_generated() || rows.iter().any(|r| !r.value(i).is_null())
        })
        .collect();
    let update: Vec<String> = included
        .iter()
        .map(|&i| &table.columns[i])
        .filter(|c| !c.primary_key && !conflict.contains(&c.name.as_str()))
        .map(|c| c.name.clone())
        .collect();
    let on_conflict = OnConflict {
        target: conflict.iter().map(|c| (*c).to_owned()).collect(),
        action: match action {
            OnConflictDo::Update if !update.is_empty() => OnConflictAction::DoUpdate(update),
            _ => OnConflictAction::DoNothing,
        },
    };
    let per_batch = (dialect.max_params() / included.len().max(1)).clamp(1, 1000);
    rows.chunks(per_batch)
        .map(|chunk| {
            let insert = Insert {
                table: table.name.clone(),
                columns: included
                    .iter()
                    .map(|&i| table.columns[i].name.clone())
                    .collect(),
                rows: chunk
                    .iter()
                    .map(|r| included.iter().map(|&i| r.value(i)).collect())
                    .collect(),
                on_conflict: Some(on_conflict.clone()),
                returning: table.columns.iter().map(|c| c.name.clone()).collect(),
            };
            dialect.compile_owned(Statement::Insert(insert))
        })
        .collect()
}
