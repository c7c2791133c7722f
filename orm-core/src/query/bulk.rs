//! Bulk UPDATE and DELETE on a filtered query, and how they synchronize the session.

use super::evaluate::Evaluator;
use super::Query;
use crate::error::{Error, Result};
use crate::expr::{Col, Expr, Operand};
use crate::model::Model;
use crate::schema::validate::stored_value;
use crate::schema::ColumnType;
use crate::session::{AnyInstance, InstanceState, SessionShared, SessionState};
use crate::statement::{Delete, Statement, Update};
use crate::value::Value;
use crate::Row;
use std::any::TypeId;
use std::marker::PhantomData;
use std::sync::Arc;

/// How a bulk update or delete updates instances already loaded in the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SyncStrategy {
    /// `RETURNING` the affected keys (and new values) and apply them to loaded
    /// instances: exact for any condition or expression. The default.
    #[default]
    Fetch,
    /// Apply the filter in memory to the loaded instances of the model (before the
    /// statement runs), compute the assigned values for the ones that match, and
    /// update or delete them: no extra data comes back. Filters and assignments may
    /// use the model's own columns, values, comparisons, `and`/`or`/`not`, `is_null`,
    /// `in_`, `between`, `like`/`contains`/..., arithmetic (`age - 10`) and `||`
    /// (`name.concat("!")`), computed with PostgreSQL's rules (integer division
    /// truncates, `REAL` arithmetic is `f32`, overflow and division by zero are errors,
    /// `NUMERIC(p, s)` rounds). Anything else (functions, casts, subqueries, other
    /// tables' columns, decimal division) is [`Error::InvalidRequest`] naming what
    /// could not be evaluated, before the statement is sent: use `Fetch` then (there
    /// is no silent fall-back). An error PostgreSQL would raise for a loaded row
    /// (overflow, division by zero) is an [`Error::InvalidRequest`] too, before the
    /// statement is sent.
    /// Text is ordered by code point in memory, which may differ from the server's
    /// collation for `<`/`>` on mixed-case or accented text.
    Evaluate,
    /// Leave loaded instances as they are (they may be stale afterwards).
    None,
}

/// One `column = value` of a bulk update, made by [`Col::set`].
pub struct Assignment<M> {
    pub(crate) column: usize,
    pub(crate) name: &'static str,
    pub(crate) value: Expr,
    _model: PhantomData<fn() -> M>,
}

impl<M, T: ColumnType> Col<M, T> {
    /// `column = value`, for [`Query::update`].
    pub fn set(self, value: impl Operand<T::Base>) -> Assignment<M> {
        Assignment {
            column: self.index(),
            name: self.name(),
            value: value.into_expr(),
            _model: PhantomData,
        }
    }
}

impl<M: Model> Query<'_, M> {
    fn bulk_filter(&self, verb: &str) -> Result<Option<Expr>> {
        let s = &self.core.select;
        if !s.joins.is_empty() || s.limit.is_some() || s.offset.is_some() || !s.group_by.is_empty()
        {
            return Err(Error::InvalidRequest(format!(
                "bulk {verb} takes only filter(); joins, limit, offset and group_by cannot be applied"
            )));
        }
        Ok(s.filter.clone())
    }

    /// `UPDATE ... SET ... WHERE <filter>`; returns the number of rows updated. Loaded
    /// instances are synchronized (SQLAlchemy's `synchronize_session='fetch'`).
    pub fn update(&self, assignments: impl IntoIterator<Item = Assignment<M>>) -> Result<u64> {
        self.update_with(assignments, SyncStrategy::Fetch)
    }

    /// [`update`](Query::update) with an explicit [`SyncStrategy`].
    pub fn update_with(
        &self,
        assignments: impl IntoIterator<Item = Assignment<M>>,
        sync: SyncStrategy,
    ) -> Result<u64> {
        let mut assignments: Vec<Assignment<M>> = assignments.into_iter().collect();
        if assignments.is_empty() {
            return Ok(0);
        }
        let table = M::table();
        // Columns with an `onupdate` function are set too, as an instance UPDATE does.
        let set: Vec<usize> = assignments.iter().map(|a| a.column).collect();
        for (column, value) in M::onupdate_values(&set) {
            assignments.push(Assignment {
                column,
                name: table.columns[column].name.as_str(),
                value: Expr::Value(value),
                _model: PhantomData,
            });
        }
        self.prepare_values(&mut assignments)?;
        let pk = table.primary_key_indices();
        let mut returning: Vec<String> = Vec::new();
        if sync == SyncStrategy::Fetch {
            returning.extend(pk.iter().map(|&i| table.columns[i].name.clone()));
            returning.extend(assignments.iter().map(|a| a.name.to_owned()));
        }
        let update = Update {
            table: table.name.clone(),
            set: assignments
                .iter()
                .map(|a| (a.name.to_owned(), a.value.clone()))
                .collect(),
            filter: self.bulk_filter("update")?,
            returning,
        };
        let stmt = Statement::Update(update);
        self.core.run(async |st, shared| {
            let done = self.run_bulk(st, shared, stmt, sync, &assignments).await?;
            Self::apply_update(st, done, &assignments)
        })
    }

    /// After a bulk update: the new values go into the loaded instances it matched.
    fn apply_update(
        st: &SessionState,
        done: BulkDone,
        assignments: &[Assignment<M>],
    ) -> Result<u64> {
        for (inst, values) in &done.matched {
            for (a, v) in assignments.iter().zip(values) {
                inst.set_loaded_value(a.column, v.clone())?;
            }
        }
        let Some(rows) = done.rows else {
            return Ok(done.count);
        };
        let pk = M::table().primary_key_indices();
        for mut row in rows {
            let key: Vec<_> = (0..pk.len()).map(|i| row.take_value(i)).collect();
            let Some(inst) = st.lookup::<M>(&key) else {
                continue;
            };
            for (pos, a) in assignments.iter().enumerate() {
                inst.set_loaded_value(a.column, row.take_value(pk.len() + pos))?;
            }
        }
        Ok(done.count)
    }

    /// Assigned values are checked against their columns and replaced by what the
    /// columns will store (see [`Session::flush`](crate::Session::flush)), whatever
    /// the strategy, before any SQL.
    fn prepare_values(&self, assignments: &mut [Assignment<M>]) -> Result<()> {
        let dialect = self.core.session.engine().dialect();
        for a in assignments.iter_mut() {
            if let Expr::Value(v) = &a.value {
                if let Some(stored) = stored_value(dialect, M::table(), a.column, v)? {
                    a.value = Expr::Value(stored);
                }
            }
        }
        Ok(())
    }

    /// `DELETE FROM ... WHERE <filter>`; returns the number of rows deleted. Loaded
    /// instances of deleted rows become [`InstanceState::Deleted`] and leave the identity map.
    pub fn delete(&self) -> Result<u64> {
        self.delete_with(SyncStrategy::Fetch)
    }

    /// [`delete`](Query::delete) with an explicit [`SyncStrategy`].
    pub fn delete_with(&self, sync: SyncStrategy) -> Result<u64> {
        let table = M::table();
        let pk = table.primary_key_indices();
        let delete = Delete {
            table: table.name.clone(),
            filter: self.bulk_filter("delete")?,
            returning: if sync == SyncStrategy::Fetch {
                pk.iter().map(|&i| table.columns[i].name.clone()).collect()
            } else {
                Vec::new()
            },
        };
        let stmt = Statement::Delete(delete);
        self.core.run(async |st, shared| {
            let done = self.run_bulk(st, shared, stmt, sync, &[]).await?;
            Ok(Self::apply_delete(st, done))
        })
    }

    /// After a bulk delete: the loaded instances of deleted rows are forgotten.
    fn apply_delete(st: &mut SessionState, done: BulkDone) -> u64 {
        for (inst, _) in done.matched {
            st.forget_deleted(inst);
        }
        for row in done.rows.unwrap_or_default() {
            if let Some(inst) = st.lookup::<M>(&row.into_values()) {
                st.forget_deleted(inst);
            }
        }
        done.count
    }

    /// Runs a bulk statement after autoflush. With `Fetch`, returns its RETURNING
    /// rows; with `Evaluate`, the loaded instances the filter matched beforehand, each
    /// with the values `assignments` give it (computed before the statement runs).
    pub(crate) async fn run_bulk(
        &self,
        st: &mut SessionState,
        shared: &Arc<SessionShared>,
        stmt: Statement,
        sync: SyncStrategy,
        assignments: &[Assignment<M>],
    ) -> Result<BulkDone> {
        let compiled = super::base::compile_checked(shared.engine.dialect(), &stmt)?;
        st.autoflush(shared).await?;
        let mut matched = Vec::new();
        let loaded = st.identity.instances_of(TypeId::of::<M>());
        // Before any SQL: a guard on a loaded instance would stop its synchronization.
        for inst in &loaded {
            inst.check_free(true)?;
        }
        if sync == SyncStrategy::Evaluate {
            let evaluator = Evaluator::new(M::table(), self.core.select.filter.as_ref())?;
            for a in assignments {
                evaluator.check_assignment(a.name, &a.value)?;
            }
            for inst in loaded {
                if inst.state() != InstanceState::Persistent {
                    continue;
                }
                let row = inst.values()?;
                if evaluator.matches(&row)? {
                    let values = self.evaluated(&evaluator, assignments, &row)?;
                    matched.push((inst, values));
                }
            }
        }
        if sync == SyncStrategy::Fetch {
            let rows = st.query(shared, &compiled).await?;
            Ok(BulkDone {
                count: rows.len() as u64,
                rows: Some(rows),
                matched,
            })
        } else {
            Ok(BulkDone {
                count: st.execute(shared, &compiled).await?,
                rows: None,
                matched,
            })
        }
    }

    /// The values `assignments` give the row `row` (every right-hand side sees the
    /// row before the update, as in SQL), as their columns will store them.
    fn evaluated(
        &self,
        evaluator: &Evaluator<'_>,
        assignments: &[Assignment<M>],
        row: &[Value],
    ) -> Result<Vec<Value>> {
        let dialect = self.core.session.engine().dialect();
        assignments
            .iter()
            .map(|a| {
                let v = evaluator.eval(&a.value, row)?;
                Ok(stored_value(dialect, M::table(), a.column, &v)?.unwrap_or(v))
            })
            .collect()
    }
}

/// What a bulk statement did, for synchronizing the session.
pub(crate) struct BulkDone {
    count: u64,
    rows: Option<Vec<Row>>,
    /// With `Evaluate`: the matched loaded instances and their new values.
    matched: Vec<(Arc<dyn AnyInstance>, Vec<Value>)>,
}

impl crate::session::SessionState {
    /// Marks a loaded instance whose row a bulk delete removed.
    pub(crate) fn forget_deleted(&mut self, inst: Arc<dyn AnyInstance>) {
        if let Some(key) = inst.identity_key() {
            self.identity.remove(&key);
        }
        inst.set_state(InstanceState::Deleted);
        self.tx_log.push(crate::session::TxLogEntry::Deleted(inst));
    }
}
