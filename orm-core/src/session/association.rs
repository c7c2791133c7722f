//! Many-to-many association rows: inserted and deleted at flush as collections change.

use super::persistence::Emitter;
use super::state::AssociationOp;
use super::AnyInstance;
use crate::error::Result;
use crate::expr::Expr;
use crate::relationship::{RelationKind, RelationshipRegistration};
use crate::statement::{key_filter_on, Delete, Insert, Statement};
use crate::value::Value;
use std::sync::Arc;

impl Emitter<'_> {
    /// Writes the pending association changes, consecutive additions to one association
    /// table as one multi-row INSERT.
    pub(crate) async fn associations(&mut self, ops: &[AssociationOp]) -> Result<()> {
        let mut i = 0;
        while i < ops.len() {
            let sec = ops[i]
                .def
                .resolved()?
                .secondary
                .clone()
                .expect("many-to-many");
            let names = |cols: &[usize]| {
                cols.iter()
                    .map(|&c| sec.table.columns[c].name.clone())
                    .collect::<Vec<_>>()
            };
            let row = |op: &AssociationOp| -> Result<Vec<Value>> {
                let mut v = op.parent.values_at(&sec.source_key)?;
                v.extend(op.child.values_at(&sec.target_key)?);
                Ok(v)
            };
            if !ops[i].add {
                let mut cols = sec.source_columns.to_vec();
                cols.extend(sec.target_columns.iter());
                let delete = Delete {
                    table: sec.table.name.clone(),
                    filter: Some(key_filter_on(sec.table, &cols, &row(&ops[i])?)),
                    returning: Vec::new(),
                };
                let compiled = self.dialect.compile(&Statement::Delete(delete));
                self.conn.execute(&compiled.sql, &compiled.params).await?;
                i += 1;
                continue;
            }
            let mut end = i;
            while end < ops.len() && ops[end].add && std::ptr::eq(ops[end].def, ops[i].def) {
                end += 1;
            }
            let mut columns = names(&sec.source_columns);
            columns.extend(names(&sec.target_columns));
            let insert = Insert {
                table: sec.table.name.clone(),
                columns,
                rows: ops[i..end].iter().map(row).collect::<Result<_>>()?,
                on_conflict: None,
                returning: Vec::new(),
            };
            let compiled = self.dialect.compile(&Statement::Insert(insert));
            self.conn.execute(&compiled.sql, &compiled.params).await?;
            i = end;
        }
        Ok(())
    }

    /// Deletes the association rows that reference instances about to be deleted.
    pub(crate) async fn unlink_deleted(&mut self, insts: &[Arc<dyn AnyInstance>]) -> Result<()> {
        let Some(source) = insts.first().map(|i| i.model_type()) else {
            return Ok(());
        };
        let defs = inventory::iter::<RelationshipRegistration>
            .into_iter()
            .map(|r| (r.def)())
            .filter(|d| d.kind == RelationKind::ManyToMany && (d.source_type)() == source);
        for def in defs {
            let sec = def.resolved()?.secondary.clone().expect("many-to-many");
            let filter = insts
                .iter()
                .map(|inst| {
                    let key = inst.values_at(&sec.source_key)?;
                    Ok(key_filter_on(sec.table, &sec.source_columns, &key))
                })
                .collect::<Result<Vec<Expr>>>()?
                .into_iter()
                .reduce(Expr::or)
                .unwrap_or(Expr::Bool(false));
            let delete = Delete {
                table: sec.table.name.clone(),
                filter: Some(filter),
                returning: Vec::new(),
            };
            let compiled = self.dialect.compile(&Statement::Delete(delete));
            self.conn.execute(&compiled.sql, &compiled.params).await?;
        }
        Ok(())
    }
}
