//! The flush plan: which tables to visit in which order, and which rows of each table
//! to insert, check for changes, or delete.

use super::links::Links;
use super::AnyInstance;
use crate::error::{Error, Result};
use crate::schema::Table;
use crate::util::topological;
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// The work of one table in a flush.
pub(crate) struct TableWork {
    pub(crate) table: &'static Table,
    /// Pending instances, in add order.
    pub(crate) inserts: Vec<Arc<dyn AnyInstance>>,
    /// Persistent instances written to since the last flush.
    pub(crate) modified: Vec<Arc<dyn AnyInstance>>,
    /// Instances marked for deletion.
    pub(crate) deletes: Vec<Arc<dyn AnyInstance>>,
}

/// Tables in dependency order: parents before children.
pub(crate) struct FlushPlan {
    pub(crate) tables: Vec<TableWork>,
}

impl FlushPlan {
    pub(crate) fn new(
        pending: &[Arc<dyn AnyInstance>],
        modified: &[Arc<dyn AnyInstance>],
        deleted: &[Arc<dyn AnyInstance>],
        links: &Links,
    ) -> FlushPlan {
        let mut works: Vec<TableWork> = Vec::new();
        let mut index: HashMap<&'static str, usize> = HashMap::default();
        let mut slot = |table: &'static Table, works: &mut Vec<TableWork>| -> usize {
            *index.entry(table.name.as_str()).or_insert_with(|| {
                works.push(TableWork {
                    table,
                    inserts: Vec::new(),
                    modified: Vec::new(),
                    deletes: Vec::new(),
                });
                works.len() - 1
            })
        };
        for inst in pending {
            let i = slot(inst.table(), &mut works);
            works[i].inserts.push(Arc::clone(inst));
        }
        for inst in modified {
            let i = slot(inst.table(), &mut works);
            works[i].modified.push(Arc::clone(inst));
        }
        for inst in deleted {
            let i = slot(inst.table(), &mut works);
            works[i].deletes.push(Arc::clone(inst));
        }
        let names: Vec<&str> = works.iter().map(|w| w.table.name.as_str()).collect();
        let edges = dependency_edges(&works, links, &names);
        let order = table_order(works.len(), &edges);
        let mut slots: Vec<Option<TableWork>> = works.into_iter().map(Some).collect();
        let tables = order.into_iter().filter_map(|i| slots[i].take()).collect();
        FlushPlan { tables }
    }
}

/// Parents before children; tables on a foreign-key cycle go last, in first-seen order
/// (their rows must then not depend on each other within one flush).
fn table_order(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    match topological::sort(n, edges) {
        Ok(order) => order,
        Err(cycle) => {
            let acyclic: Vec<(usize, usize)> = edges
                .iter()
                .copied()
                .filter(|(a, b)| !cycle.remaining.contains(a) && !cycle.remaining.contains(b))
                .collect();
            let mut order: Vec<usize> = topological::sort(n, &acyclic)
                .unwrap_or_else(|_| (0..n).collect())
                .into_iter()
                .filter(|i| !cycle.remaining.contains(i))
                .collect();
            order.extend(&cycle.remaining);
            order
        }
    }
}

/// `(parent, child)` pairs among the tables of the plan, from foreign keys and links.
fn dependency_edges(works: &[TableWork], links: &Links, names: &[&str]) -> Vec<(usize, usize)> {
    let pos = |name: &str| names.iter().position(|n| *n == name);
    let mut edges = Vec::new();
    for (child, w) in works.iter().enumerate() {
        for fk in &w.table.foreign_keys {
            if let Some(parent) = pos(&fk.target_table) {
                if parent != child {
                    edges.push((parent, child));
                }
            }
        }
    }
    for l in links.iter() {
        if let (Some(p), Some(c)) = (pos(&l.parent.table().name), pos(&l.child.table().name)) {
            if p != c {
                edges.push((p, c));
            }
        }
    }
    edges
}

/// Splits pending rows of one table into levels so that a row linked to another
/// pending row of the same table (a tree) is inserted after it.
pub(crate) fn insert_levels(
    rows: &[Arc<dyn AnyInstance>],
    links: &Links,
) -> Result<Vec<Vec<Arc<dyn AnyInstance>>>> {
    let ids: HashMap<u64, usize> = rows.iter().enumerate().map(|(i, r)| (r.id(), i)).collect();
    let mut parents: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    for l in links.iter() {
        if let (Some(&c), Some(&p)) = (ids.get(&l.child.id()), ids.get(&l.parent.id())) {
            parents[c].push(p);
        }
    }
    if parents.iter().all(Vec::is_empty) {
        return Ok(vec![rows.to_vec()]);
    }
    let mut level: Vec<Option<usize>> = vec![None; rows.len()];
    for i in 0..rows.len() {
        row_level(i, &parents, &mut level, 0)?;
    }
    let depth = level.iter().flatten().max().copied().unwrap_or(0);
    let mut out = vec![Vec::new(); depth + 1];
    for (i, r) in rows.iter().enumerate() {
        out[level[i].unwrap_or(0)].push(Arc::clone(r));
    }
    Ok(out)
}

fn row_level(
    i: usize,
    parents: &[Vec<usize>],
    level: &mut [Option<usize>],
    depth: usize,
) -> Result<usize> {
    if let Some(l) = level[i] {
        return Ok(l);
    }
    if depth > parents.len() {
        return Err(Error::InvalidRequest(
            "pending rows of one table reference each other in a cycle; break it by flushing one first".into(),
        ));
    }
    let mut l = 0;
    for &p in &parents[i] {
        l = l.max(row_level(p, parents, level, depth + 1)? + 1);
    }
    level[i] = Some(l);
    Ok(l)
}
