//! Emitting a flush plan's statements: batched INSERT ... RETURNING, UPDATE (one row,
//! or many through `UPDATE ... FROM (VALUES ...)`), and DELETE ... WHERE pk IN (...).

use super::flush_plan::insert_levels;
use super::transaction::{TxLogEntry, UndoLog};
use super::AnyInstance;
use crate::connection::RoutedConnection;
use crate::dialect::Dialect;
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::schema::Table;
use crate::statement::{key_filter_on, Delete, Insert, Statement, Update, UpdateFromValues};
use crate::value::Value;
use std::sync::Arc;

/// Most rows in one INSERT or batched UPDATE (large statements plan and parse slower).
pub(crate) const BATCH_ROWS: usize = 1000;

/// What the statements of one flush need.
pub(crate) struct Emitter<'a> {
    pub(crate) conn: &'a mut RoutedConnection,
    pub(crate) dialect: &'a dyn Dialect,
    pub(crate) links: &'a super::links::Links,
    pub(crate) associations: &'a [super::state::AssociationOp],
    pub(crate) undo: UndoLog,
    pub(crate) log: Vec<TxLogEntry>,
    /// Persistent instances marked as changed by the flush itself (foreign-key sync).
    pub(crate) touched: Vec<Arc<dyn AnyInstance>>,
    /// Instances in memory whose rows `ON UPDATE` rewrites, not applied yet.
    pub(crate) key_cascades: Vec<super::key_cascade::KeyCascade>,
}

/// One persistent instance with changed columns.
struct Dirty {
    inst: Arc<dyn AnyInstance>,
    columns: Vec<usize>,
    old_key: Vec<Value>,
}

impl Emitter<'_> {
    /// Copies parent keys into the foreign-key columns of `table`'s linked children;
    /// persistent children this newly marks as changed are added to `touched`.
    pub(crate) fn sync_links(&mut self, table: &Table) -> Result<()> {
        for l in self
            .links
            .iter()
            .filter(|l| l.child.table().name == table.name)
        {
            for (&c, &p) in l.child_columns.iter().zip(l.parent_columns.iter()) {
                let v = l.parent.value(p)?;
                if !v.is_null() && l.child.value(c)? != v {
                    // A pending child is inserted whole; only a persistent one needs
                    // its change tracked for the UPDATE.
                    if l.child.state() == super::InstanceState::Persistent && l.child.touch()? {
                        self.touched.push(Arc::clone(&l.child));
                    }
                    self.undo.set(&l.child, c, v)?;
                }
            }
        }
        Ok(())
    }

    /// Inserts pending rows, parents of the same table first, reading generated values back.
    pub(crate) async fn insert(
        &mut self,
        table: &Table,
        rows: &[Arc<dyn AnyInstance>],
    ) -> Result<()> {
        for level in insert_levels(rows, self.links)? {
            self.sync_links(table)?;
            for inst in &level {
                if let Some(v) = version_column(table) {
                    let start = inst.value(v)?;
                    if start.is_null() || start.as_i64() == Some(0) {
                        self.undo.set(inst, v, Value::BigInt(1))?;
                    }
                }
                let defaults = table
                    .columns
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.has_default);
                self.undo.remember(inst, defaults.map(|(i, _)| i))?;
                inst.apply_insert_defaults()?;
                super::validate::prepare_defaults(self.dialect, &mut self.undo, inst)?;
            }
            let mut values: Vec<Vec<Value>> =
                level.iter().map(|i| i.values()).collect::<Result<_>>()?;
            let mut start = 0;
            while start < level.len() {
                let omitted = omitted_columns(table, &values[start]);
                let mut end = start + 1;
                while end < level.len() && omitted_columns(table, &values[end]) == omitted {
                    end += 1;
                }
                self.insert_group(table, &level[start..end], &mut values[start..end], &omitted)
                    .await?;
                start = end;
            }
        }
        Ok(())
    }

    async fn insert_group(
        &mut self,
        table: &Table,
        insts: &[Arc<dyn AnyInstance>],
        values: &mut [Vec<Value>],
        omitted: &[bool],
    ) -> Result<()> {
        let included: Vec<usize> = (0..table.columns.len()).filter(|&i| !omitted[i]).collect();
        let returning: Vec<usize> = (0..table.columns.len())
            .filter(|&i| table.columns[i].server_generated())
            .collect();
        let per_batch = if included.is_empty() {
            1
        } else {
            BATCH_ROWS
                .min(self.dialect.max_params() / included.len())
                .max(1)
        };
        for (chunk_i, chunk) in insts.chunks(per_batch).enumerate() {
            let offset = chunk_i * per_batch;
            let insert = Insert {
                table: table.name.clone(),
                columns: included
                    .iter()
                    .map(|&i| table.columns[i].name.clone())
                    .collect(),
                rows: values[offset..offset + chunk.len()]
                    .iter_mut()
                    .map(|row| {
                        included
                            .iter()
                            .map(|&i| std::mem::take(&mut row[i]))
                            .collect()
                    })
                    .collect(),
                on_conflict: None,
                returning: returning
                    .iter()
                    .map(|&i| table.columns[i].name.clone())
                    .collect(),
            };
            let compiled = self.dialect.compile_owned(Statement::Insert(insert));
            if returning.is_empty() {
                let n = self.conn.execute(&compiled.sql, &compiled.params).await?;
                expect_rows(table, "INSERT", n as usize, chunk.len())?;
            } else {
                let rows = self.conn.query(&compiled.sql, &compiled.params).await?;
                expect_rows(table, "INSERT", rows.len(), chunk.len())?;
                for (inst, mut row) in chunk.iter().zip(rows) {
                    for (pos, &col) in returning.iter().enumerate() {
                        self.undo.set(inst, col, row.take_value(pos))?;
                    }
                }
            }
            self.log
                .extend(chunk.iter().map(|i| TxLogEntry::Inserted(Arc::clone(i))));
        }
        Ok(())
    }

    /// Updates the changed columns of `modified` instances of `table`.
    pub(crate) async fn update(
        &mut self,
        table: &Table,
        modified: &[Arc<dyn AnyInstance>],
    ) -> Result<()> {
        let mut dirty = Vec::new();
        for inst in modified {
            let Some((mut columns, mut old_key)) = inst.changes()? else {
                continue;
            };
            if columns.is_empty() {
                continue;
            }
            let onupdate = table
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| c.has_onupdate);
            self.undo.remember(inst, onupdate.map(|(i, _)| i))?;
            columns.extend(inst.apply_onupdate(&columns)?);
            super::validate::prepare_columns(self.dialect, &mut self.undo, inst, &columns)?;
            let old = inst.snapshot_values();
            if let Some(v) = version_column(table) {
                let current = match &old {
                    Some(o) => o[v].clone(),
                    None => inst.value(v)?,
                };
                self.undo.set(inst, v, bump(&current))?;
                columns.push(v);
                old_key.push(current);
            }
            columns.sort_unstable();
            columns.dedup();
            if let Some(old) = old {
                self.log.push(TxLogEntry::Updated(Arc::clone(inst), old));
            }
            dirty.push(Dirty {
                inst: Arc::clone(inst),
                columns,
                old_key,
            });
        }
        let mut groups: Vec<(Vec<usize>, Vec<Dirty>)> = Vec::new();
        for d in dirty {
            match groups.iter_mut().find(|(cols, _)| *cols == d.columns) {
                Some((_, members)) => members.push(d),
                None => groups.push((d.columns.clone(), vec![d])),
            }
        }
        for (columns, members) in groups {
            self.update_group(table, &columns, &members).await?;
        }
        Ok(())
    }

    async fn update_group(
        &mut self,
        table: &Table,
        columns: &[usize],
        members: &[Dirty],
    ) -> Result<()> {
        if let [one] = members {
            let values = one.inst.values_at(columns)?;
            let update = Update {
                table: table.name.clone(),
                set: columns
                    .iter()
                    .zip(values)
                    .map(|(&c, v)| (table.columns[c].name.clone(), Expr::Value(v)))
                    .collect(),
                filter: Some(key_filter_on(table, &match_columns(table), &one.old_key)),
                returning: Vec::new(),
            };
            let compiled = self.dialect.compile(&Statement::Update(update));
            let n = self.conn.execute(&compiled.sql, &compiled.params).await?;
            return expect_rows(table, "UPDATE", n as usize, 1);
        }
        let pk = match_columns(table);
        let typed = |i: &usize| {
            (
                table.columns[*i].name.clone(),
                table.columns[*i].sql_type.clone(),
            )
        };
        let per_batch = BATCH_ROWS
            .min(self.dialect.max_params() / (pk.len() + columns.len()))
            .max(1);
        for chunk in members.chunks(per_batch) {
            let stmt = UpdateFromValues {
                table: table.name.clone(),
                key_columns: pk.iter().map(typed).collect(),
                set_columns: columns.iter().map(typed).collect(),
                rows: chunk
                    .iter()
                    .map(|d| {
                        let mut row = d.old_key.clone();
                        row.extend(d.inst.values_at(columns)?);
                        Ok(row)
                    })
                    .collect::<Result<_>>()?,
            };
            let compiled = self.dialect.compile(&Statement::UpdateFromValues(stmt));
            let n = self.conn.execute(&compiled.sql, &compiled.params).await?;
            expect_rows(table, "UPDATE", n as usize, chunk.len())?;
        }
        Ok(())
    }

    /// Deletes the rows of `insts`, a batch of primary keys per statement.
    pub(crate) async fn delete(
        &mut self,
        table: &Table,
        insts: &[Arc<dyn AnyInstance>],
    ) -> Result<()> {
        let pk_len = table.primary_key_indices().len().max(1);
        let per_batch = BATCH_ROWS.min(self.dialect.max_params() / pk_len).max(1);
        let matched = match_columns(table);
        for chunk in insts.chunks(per_batch) {
            let keys: Vec<Vec<Value>> = chunk
                .iter()
                .map(|i| i.values_at(&matched))
                .collect::<Result<_>>()?;
            let filter = if matched.len() == 1 {
                let col = &table.columns[matched[0]].name;
                Expr::InList {
                    expr: Box::new(Expr::column(table.name.clone(), col.clone())),
                    list: keys
                        .into_iter()
                        .map(|mut k| Expr::Value(k.remove(0)))
                        .collect(),
                    negated: false,
                }
            } else {
                keys.iter()
                    .map(|k| key_filter_on(table, &matched, k))
                    .reduce(Expr::or)
                    .unwrap_or(Expr::Bool(false))
            };
            let delete = Delete {
                table: table.name.clone(),
                filter: Some(filter),
                returning: Vec::new(),
            };
            let compiled = self.dialect.compile(&Statement::Delete(delete));
            let n = self.conn.execute(&compiled.sql, &compiled.params).await?;
            expect_rows(table, "DELETE", n as usize, chunk.len())?;
            self.log
                .extend(chunk.iter().map(|i| TxLogEntry::Deleted(Arc::clone(i))));
        }
        Ok(())
    }
}

/// The version counter column, if the table has one.
fn version_column(table: &Table) -> Option<usize> {
    table.columns.iter().position(|c| c.version)
}

/// The columns an UPDATE or DELETE matches a row by: the primary key, plus the
/// version counter (so a row changed concurrently matches nothing: `StaleData`).
fn match_columns(table: &Table) -> Vec<usize> {
    let mut cols = table.primary_key_indices().to_vec();
    cols.extend(version_column(table));
    cols
}

/// The next value of a version counter.
fn bump(v: &Value) -> Value {
    match v {
        Value::SmallInt(i) => Value::SmallInt(i.saturating_add(1)),
        Value::Int(i) => Value::Int(i.saturating_add(1)),
        Value::BigInt(i) => Value::BigInt(i.saturating_add(1)),
        _ => Value::BigInt(1),
    }
}

/// Columns left out of an INSERT so the server fills them: server-generated and NULL.
fn omitted_columns(table: &Table, values: &[Value]) -> Vec<bool> {
    table
        .columns
        .iter()
        .zip(values)
        .map(|(c, v)| c.server_generated() && v.is_null())
        .collect()
}

fn expect_rows(table: &Table, verb: &str, got: usize, expected: usize) -> Result<()> {
    if got == expected {
        return Ok(());
    }
    Err(Error::StaleData(format!(
        "{verb} on table `{}` expected to match {expected} row(s); {got} matched (changed or deleted concurrently?)",
        table.name
    )))
}
