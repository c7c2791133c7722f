//! Loading relationships: lazily for one parent, or eagerly for a whole query result
//! (`selectin`: one more SELECT per relationship; `joined`: LEFT OUTER JOIN in the same
//! statement).

use super::def::{Loading, RelationKind, RelationshipDef, RelationshipRegistration, ToMany, ToOne};
use super::resolve::{Resolved, Side};
use crate::error::Result;
use crate::expr::{BinaryOp, Expr, Order};
use crate::row::Row;
use crate::session::GroupKey;
use crate::session::{AnyInstance, CollectionKey, Link, SessionShared, SessionState};
use crate::statement::{Join, JoinKind, Select, SelectItem, Statement, TableRef};
use crate::value::Value;
use rustc_hash::FxHashMap as HashMap;
use std::any::TypeId;
use std::sync::Arc;

/// Most parent keys in one `IN (...)` list of a selectin load.
const SELECTIN_CHUNK: usize = 10_000;

/// A per-query loading strategy for one relationship (`.options(selectin(Author::articles))`).
#[derive(Debug, Clone, Copy)]
pub struct LoaderOption {
    pub(crate) def: &'static RelationshipDef,
    pub(crate) loading: Loading,
}

/// Either kind of relationship descriptor.
pub trait Relation {
    /// The relationship's metadata.
    fn relationship(&self) -> &'static RelationshipDef;
}

impl<S, T> Relation for ToOne<S, T> {
    fn relationship(&self) -> &'static RelationshipDef {
        self.def()
    }
}

impl<S, T> Relation for ToMany<S, T> {
    fn relationship(&self) -> &'static RelationshipDef {
        self.def()
    }
}

/// A relationship whose declaring model is `S` (for joins along it).
pub trait RelationOf<S>: Relation {}

impl<S, T> RelationOf<S> for ToOne<S, T> {}
impl<S, T> RelationOf<S> for ToMany<S, T> {}

/// Load `rel` for every result of the query with one extra SELECT ... WHERE key IN (...).
pub fn selectin(rel: impl Relation) -> LoaderOption {
    LoaderOption {
        def: rel.relationship(),
        loading: Loading::Selectin,
    }
}

/// Load `rel` in the query's own statement with a LEFT OUTER JOIN.
pub fn joined(rel: impl Relation) -> LoaderOption {
    LoaderOption {
        def: rel.relationship(),
        loading: Loading::Joined,
    }
}

/// The eager loaders that apply to a query of the model `source`: the relationships
/// declared `selectin`/`joined`, overridden by the query's own options.
pub(crate) fn eager_loaders(source: TypeId, explicit: &[LoaderOption]) -> Vec<LoaderOption> {
    let mut out: Vec<LoaderOption> = inventory::iter::<RelationshipRegistration>
        .into_iter()
        .map(|r| (r.def)())
        .filter(|d| {
            (d.source_type)() == source && matches!(d.loading, Loading::Selectin | Loading::Joined)
        })
        .filter(|d| !explicit.iter().any(|o| std::ptr::eq(o.def, *d)))
        .map(|def| LoaderOption {
            def,
            loading: def.loading,
        })
        .collect();
    out.extend(
        explicit
            .iter()
            .filter(|o| (o.def.source_type)() == source)
            .copied(),
    );
    out
}

fn key_of(values: &[Value]) -> Option<crate::session::GroupKey> {
    crate::session::GroupKey::new(TypeId::of::<()>(), values)
}

/// `cols IN (keys)` (single column) or `(c1 = .. AND c2 = ..) OR ...`.
fn in_keys(table: &str, names: &[&str], keys: &[Vec<Value>]) -> Expr {
    if let [name] = names {
        return Expr::InList {
            expr: Box::new(Expr::column(table.to_owned(), (*name).to_owned())),
            list: keys.iter().map(|k| Expr::Value(k[0].clone())).collect(),
            negated: false,
        };
    }
    keys.iter()
        .map(|k| {
            Expr::all(names.iter().zip(k).map(|(n, v)| {
                Expr::column(table.to_owned(), (*n).to_owned())
                    .binary(BinaryOp::Eq, Expr::Value(v.clone()))
            }))
        })
        .reduce(Expr::or)
        .unwrap_or(Expr::Bool(false))
}

fn order_for(def: &RelationshipDef, table: &str) -> Option<Order> {
    def.order_by.map(|spec| {
        let (desc, col) = match spec.strip_prefix('-') {
            Some(c) => (true, c),
            None => (false, spec),
        };
        Order {
            expr: Expr::column(table.to_owned(), col.to_owned()),
            desc,
            nulls_first: None,
        }
    })
}

/// The SELECT of a collection's children for a chunk of parent keys, plus where the
/// grouping (parent key) values sit in each row.
fn children_select(
    def: &RelationshipDef,
    r: &Resolved,
    keys: &[Vec<Value>],
) -> (Select, Vec<usize>) {
    let target = (def.target)();
    let mut select = crate::statement::model_select(target);
    if let Some(o) = order_for(def, &target.name) {
        select.order_by.push(o);
    }
    match &r.secondary {
        None => {
            let names: Vec<&str> = r
                .child_columns
                .iter()
                .map(|&c| target.columns[c].name.as_str())
                .collect();
            select.and_where(in_keys(&target.name, &names, keys));
            (select, r.child_columns.to_vec())
        }
        Some(sec) => {
            let assoc = sec.table.name.as_str();
            let on = Expr::all(
                sec.target_columns
                    .iter()
                    .zip(&sec.target_key)
                    .map(|(&a, &t)| {
                        Expr::column(assoc.to_owned(), sec.table.columns[a].name.clone()).binary(
                            BinaryOp::Eq,
                            Expr::column(target.name.clone(), target.columns[t].name.clone()),
                        )
                    }),
            );
            select.joins.push(Join {
                kind: JoinKind::Inner,
                table: TableRef::new(assoc.to_owned()),
                on,
            });
            let names: Vec<&str> = sec
                .source_columns
                .iter()
                .map(|&c| sec.table.columns[c].name.as_str())
                .collect();
            let width = target.columns.len();
            for n in &names {
                select.items.push(SelectItem {
                    expr: Expr::column(assoc.to_owned(), (*n).to_owned()),
                    alias: None,
                });
            }
            select.and_where(in_keys(assoc, &names, keys));
            (select, (width..width + names.len()).collect())
        }
    }
}

/// Loads the children of each of `parents` along `def` (one list per parent, in order),
/// with one SELECT per chunk of parent keys.
pub(crate) async fn load_children(
    st: &mut SessionState,
    shared: &Arc<SessionShared>,
    def: &'static RelationshipDef,
    parents: &[Arc<dyn AnyInstance>],
) -> Result<Vec<Vec<Arc<dyn AnyInstance>>>> {
    let r = def.resolved()?;
    let key_cols = &r.parent_columns;
    let keys: Vec<Vec<Value>> = parents
        .iter()
        .map(|p| p.values_at(key_cols))
        .collect::<Result<_>>()?;
    let mut groups: HashMap<crate::session::GroupKey, Vec<Arc<dyn AnyInstance>>> =
        HashMap::default();
    let wanted: Vec<Vec<Value>> = keys
        .iter()
        .filter(|k| key_of(k).is_some())
        .cloned()
        .collect();
    for chunk in wanted.chunks(SELECTIN_CHUNK / key_cols.len().max(1)) {
        let (select, group_at) = children_select(def, r, chunk);
        let compiled = shared.engine.dialect().compile(&Statement::Select(select));
        st.query_each(shared, &compiled, &mut |identity, row| {
            let group = GroupKey::from_row(TypeId::of::<()>(), row, 0, &group_at);
            let child = (def.load_target)(identity, shared, row, 0)?;
            if let Some(k) = group {
                groups.entry(k).or_default().push(child);
            }
            Ok(())
        })
        .await?;
    }
    Ok(keys
        .iter()
        .map(|k| {
            key_of(k)
                .and_then(|k| groups.get(&k).cloned())
                .unwrap_or_default()
        })
        .collect())
}

/// Loads the parents named by the foreign keys of `children` (many-to-one) with one
/// SELECT per chunk, and links each child to its parent.
async fn load_parents(
    st: &mut SessionState,
    shared: &Arc<SessionShared>,
    def: &'static RelationshipDef,
    children: &[Arc<dyn AnyInstance>],
) -> Result<()> {
    let r = def.resolved()?;
    let parent = r.parent_table;
    let mut keys: Vec<Vec<Value>> = Vec::new();
    for c in children {
        let k = c.values_at(&r.child_columns)?;
        if key_of(&k).is_some() && !keys.contains(&k) {
            keys.push(k);
        }
    }
    let names: Vec<&str> = r
        .parent_columns
        .iter()
        .map(|&c| parent.columns[c].name.as_str())
        .collect();
    let mut found: HashMap<crate::session::GroupKey, Arc<dyn AnyInstance>> = HashMap::default();
    for chunk in keys.chunks(SELECTIN_CHUNK / names.len().max(1)) {
        let mut select = crate::statement::model_select(parent);
        select.and_where(in_keys(&parent.name, &names, chunk));
        let compiled = shared.engine.dialect().compile(&Statement::Select(select));
        for mut row in st.query(shared, &compiled).await? {
            let k: Vec<Value> = r
                .parent_columns
                .iter()
                .map(|&i| row.get(i).cloned().unwrap_or_default())
                .collect();
            let p = (def.load_target)(&mut st.identity, shared, &mut row, 0)?;
            if let Some(k) = key_of(&k) {
                found.insert(k, p);
            }
        }
    }
    for c in children {
        let k = c.values_at(&r.child_columns)?;
        if let Some(p) = key_of(&k).and_then(|k| found.get(&k)) {
            st.links.insert(Link {
                child: Arc::clone(c),
                child_columns: r.child_columns.clone(),
                parent: Arc::clone(p),
                parent_columns: r.parent_columns.clone(),
            });
        }
    }
    Ok(())
}

/// Stores loaded collections for `parents`.
fn store_collections(
    st: &mut SessionState,
    def: &'static RelationshipDef,
    parents: &[Arc<dyn AnyInstance>],
    lists: Vec<Vec<Arc<dyn AnyInstance>>>,
) -> Result<()> {
    let r = def.resolved()?;
    let (table, columns) = match &r.secondary {
        Some(sec) => (sec.table.name.as_str(), sec.source_columns.clone()),
        None => (r.child_table.name.as_str(), r.child_columns.clone()),
    };
    for (p, list) in parents.iter().zip(lists) {
        let key = CollectionKey {
            parent: p.id(),
            table,
            columns: columns.clone(),
        };
        st.collections.insert(key, list);
    }
    Ok(())
}

/// Runs the selectin loaders (and joined ones that could not join) for a query result.
pub(crate) async fn load_eager(
    st: &mut SessionState,
    shared: &Arc<SessionShared>,
    loaders: &[LoaderOption],
    parents: &[Arc<dyn AnyInstance>],
) -> Result<()> {
    if parents.is_empty() {
        return Ok(());
    }
    for o in loaders {
        let r = o.def.resolved()?;
        if o.def.kind == RelationKind::ManyToOne || r.holder == Side::Source {
            load_parents(st, shared, o.def, parents).await?;
        } else {
            let lists = load_children(st, shared, o.def, parents).await?;
            store_collections(st, o.def, parents, lists)?;
        }
    }
    Ok(())
}

/// A LEFT OUTER JOIN added to a query for a `joined` loader.
pub(crate) struct JoinedLoad {
    def: &'static RelationshipDef,
    offset: usize,
}

/// Adds LEFT OUTER JOINs (with aliased tables) for the joinable loaders; returns what
/// was joined and the loaders left for selectin.
pub(crate) fn add_joins(
    select: &mut Select,
    source_table: &str,
    loaders: Vec<LoaderOption>,
) -> Result<(Vec<JoinedLoad>, Vec<LoaderOption>)> {
    let limited = select.limit.is_some() || select.offset.is_some();
    let mut joined = Vec::new();
    let mut rest = Vec::new();
    for o in loaders {
        let r = o.def.resolved()?;
        if o.loading != Loading::Joined
            || r.secondary.is_some()
            || (limited && o.def.is_collection())
        {
            rest.push(o);
            continue;
        }
        let alias = format!("orm_joined_{}", joined.len() + 1);
        let target = (o.def.target)();
        let on = Expr::all(
            r.child_columns
                .iter()
                .zip(r.parent_columns.iter())
                .map(|(&c, &p)| {
                    let (child_side, parent_side) = if r.holder == Side::Source {
                        (source_table.to_owned(), alias.clone())
                    } else {
                        (alias.clone(), source_table.to_owned())
                    };
                    Expr::column(child_side, r.child_table.columns[c].name.clone()).binary(
                        BinaryOp::Eq,
                        Expr::column(parent_side, r.parent_table.columns[p].name.clone()),
                    )
                }),
        );
        let offset = select.items.len();
        for c in &target.columns {
            select.items.push(SelectItem {
                expr: Expr::column(alias.clone(), c.name.clone()),
                alias: None,
            });
        }
        if let Some(mut order) = order_for(o.def, &alias) {
            order.expr = order.expr.clone();
            select.order_by.push(order);
        }
        select.joins.push(Join {
            kind: JoinKind::LeftOuter,
            table: TableRef::aliased(target.name.clone(), alias),
            on,
        });
        joined.push(JoinedLoad { def: o.def, offset });
    }
    Ok((joined, rest))
}

/// Reads the joined part of one row for each joined loader: the target instance (if
/// the outer join found one) is added to the parent's collection or linked as its parent.
pub(crate) fn read_joined_row(
    st: &mut SessionState,
    shared: &Arc<SessionShared>,
    joins: &[JoinedLoad],
    parent: &Arc<dyn AnyInstance>,
    row: &mut Row,
    seen: &mut HashMap<(u64, usize), Vec<Arc<dyn AnyInstance>>>,
) -> Result<()> {
    for (j_index, j) in joins.iter().enumerate() {
        let target = (j.def.target)();
        let present = target
            .primary_key_indices()
            .iter()
            .all(|&i| row.get(j.offset + i).is_some_and(|v| !v.is_null()));
        let list = seen.entry((parent.id(), j_index)).or_default();
        if !present {
            continue;
        }
        let child = (j.def.load_target)(&mut st.identity, shared, row, j.offset)?;
        if !list.iter().any(|c| c.id() == child.id()) {
            list.push(child);
        }
    }
    Ok(())
}

/// Stores what the joined loaders read, once every row was seen.
pub(crate) fn finish_joined(
    st: &mut SessionState,
    joins: &[JoinedLoad],
    parents: &[Arc<dyn AnyInstance>],
    mut seen: HashMap<(u64, usize), Vec<Arc<dyn AnyInstance>>>,
) -> Result<()> {
    for (j_index, j) in joins.iter().enumerate() {
        let r = j.def.resolved()?;
        let lists: Vec<Vec<Arc<dyn AnyInstance>>> = parents
            .iter()
            .map(|p| seen.remove(&(p.id(), j_index)).unwrap_or_default())
            .collect();
        if r.holder == Side::Source {
            for (child, found) in parents.iter().zip(lists) {
                if let Some(p) = found.into_iter().next() {
                    st.links.insert(Link {
                        child: Arc::clone(child),
                        child_columns: r.child_columns.clone(),
                        parent: p,
                        parent_columns: r.parent_columns.clone(),
                    });
                }
            }
        } else {
            store_collections(st, j.def, parents, lists)?;
        }
    }
    Ok(())
}
