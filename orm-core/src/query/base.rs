//! [`Core`]: what every kind of query holds (session, statement, known tables), and
//! the statement shapes its terminals run (first, nth, one, count, exists).

use super::join::fk_condition;
use crate::error::{Error, Result};
use crate::expr::Expr;
use crate::row::Row;
use crate::schema::{ModelRegistration, Table};
use crate::session::{Session, SessionShared, SessionState};
use crate::statement::{anon, Join, JoinKind, Select, SelectItem, Statement, TableRef};
use crate::{Compiled, Dialect};
use std::borrow::Cow;
use std::sync::Arc;

/// Rows fetched per round trip when a query is iterated lazily.
pub const DEFAULT_FETCH_SIZE: u32 = 1000;

/// The session, the statement being built, and the tables the query knows the
/// metadata of (its models and joined models), shared by every query type.
#[derive(Clone)]
pub(crate) struct Core<'s> {
    pub(crate) session: &'s Session,
    pub(crate) select: Select,
    pub(crate) tables: Vec<&'static Table>,
    pub(crate) fetch_size: u32,
    /// Overrides the session's route for this query's statements.
    pub(crate) route: Option<crate::connection::Route>,
}

impl<'s> Core<'s> {
    pub(crate) fn new(session: &'s Session, select: Select, tables: Vec<&'static Table>) -> Self {
        Core {
            session,
            select,
            tables,
            fetch_size: DEFAULT_FETCH_SIZE,
            route: None,
        }
    }

    /// Adds `JOIN table ON on`.
    pub(crate) fn join(&mut self, table: &'static Table, kind: JoinKind, on: Expr) {
        self.join_table_ref(TableRef::new(table.name.clone()), table, kind, on);
    }

    /// Adds `JOIN item ON on`, `item` being `table` or an alias of it.
    pub(crate) fn join_table_ref(
        &mut self,
        item: TableRef,
        table: &'static Table,
        kind: JoinKind,
        on: Expr,
    ) {
        self.select.joins.push(Join {
            kind,
            table: item,
            on,
        });
        self.know(table);
    }

    /// Adds a join to `table` along the one foreign key between it and a table
    /// already in the query (a table only selected from may be joined instead).
    pub(crate) fn join_fk(&mut self, table: &'static Table, kind: JoinKind) -> Result<()> {
        if names_of(&self.select).iter().any(|n| *n == table.name) {
            return Err(Error::InvalidRequest(format!(
                "table `{}` is already in the query; join it a second time through an \
                 alias (`join_to(&aliased::<Model>(), on)`)",
                table.name
            )));
        }
        let left: Vec<&Table> = names_of(&self.full_select())
            .iter()
            .filter(|n| **n != table.name)
            .filter_map(|n| self.table(n))
            .collect();
        let on = fk_condition(&left, table)?;
        self.join(table, kind, on);
        Ok(())
    }

    pub(crate) fn know(&mut self, table: &'static Table) {
        if !self.tables.iter().any(|t| std::ptr::eq(*t, table)) {
            self.tables.push(table);
        }
    }

    /// The metadata of the table called `name`: one the query knows, else a derived model's.
    fn table(&self, name: &str) -> Option<&'static Table> {
        self.tables
            .iter()
            .copied()
            .find(|t| t.name == name)
            .or_else(|| {
                inventory::iter::<ModelRegistration>
                    .into_iter()
                    .map(|r| (r.table)())
                    .find(|t| t.name == name)
            })
    }

    /// The statement to run: the FROM clause gets every table a selected column
    /// belongs to that is neither in FROM nor joined yet (in select-list order); an
    /// anonymous alias of a table comes as `"table" AS "alias"`.
    pub(crate) fn full_select(&self) -> Select {
        let mut s = self.select.clone();
        let mut present = names_of(&s);
        let mut missing = Vec::new();
        for item in &s.items {
            item.expr.for_each_column(&mut |c| {
                if let Some(t) = &c.table {
                    if !present.contains(t) {
                        present.push(t.clone());
                        missing.push(match anon::aliased_table(t) {
                            Some(table) => TableRef::aliased(table.to_owned(), t.clone()),
                            None => TableRef::new(t.clone()),
                        });
                    }
                }
            });
        }
        s.from.extend(missing);
        s
    }

    pub(crate) fn compiled(&self) -> Compiled {
        self.session
            .engine()
            .dialect()
            .compile(&Statement::Select(self.full_select()))
    }

    /// `select` compiled, refused with [`Error::TooManyParameters`] before the session
    /// sends anything (not even `BEGIN`) when it has too many parameters.
    fn compile(&self, select: Select) -> Result<Compiled> {
        compile_checked(self.session.engine().dialect(), &Statement::Select(select))
    }

    /// Runs one operation of the query on the session's state (see
    /// [`SessionShared::run`]): the blocking terminals are this around an `async fn`.
    pub(crate) fn run<T>(
        &self,
        op: impl AsyncFnOnce(&mut SessionState, &Arc<SessionShared>) -> Result<T>,
    ) -> Result<T> {
        self.session.shared().run(op)
    }

    /// Runs `select` after autoflush, on the query's route; its rows.
    pub(crate) async fn rows(
        &self,
        st: &mut SessionState,
        shared: &Arc<SessionShared>,
        select: Select,
    ) -> Result<Vec<Row>> {
        if is_empty_slice(st, &select)? {
            return Ok(Vec::new());
        }
        let compiled = self.compile(select)?;
        st.autoflush(shared).await?;
        st.override_route(shared, self.route).await?;
        let rows = st.query(shared, &compiled).await;
        st.restore_route();
        rows
    }

    /// Runs `select` after autoflush and hands each row to `f` as it is decoded,
    /// with the identity map at hand (no `Vec` of every row is built).
    pub(crate) async fn each_row(
        &self,
        st: &mut SessionState,
        shared: &Arc<SessionShared>,
        select: Select,
        f: &mut HandleSink<'_>,
    ) -> Result<()> {
        if is_empty_slice(st, &select)? {
            return Ok(());
        }
        let compiled = self.compile(select)?;
        st.autoflush(shared).await?;
        st.override_route(shared, self.route).await?;
        let done = st
            .query_each(shared, &compiled, &mut |identity, row| {
                f(identity, shared, row)
            })
            .await;
        st.restore_route();
        done
    }

    async fn scalar<T: crate::FromValue>(
        &self,
        st: &mut SessionState,
        shared: &Arc<SessionShared>,
        select: Select,
        what: &str,
    ) -> Result<T> {
        let row = self.rows(st, shared, select).await?.into_iter().next();
        row.ok_or_else(|| Error::Conversion(format!("{what} returned no row")))?
            .take::<T>(0)
    }

    /// Number of rows `select` returns: `SELECT count(*)` with the same FROM and
    /// WHERE, or over the query as a subquery when it has DISTINCT, GROUP BY, LIMIT,
    /// OFFSET or a set operation. Row locks are left out (nothing is returned to lock).
    /// An empty slice (`limit(0)`) counts 0 without SQL.
    pub(crate) async fn count_of(
        &self,
        st: &mut SessionState,
        shared: &Arc<SessionShared>,
        mut select: Select,
    ) -> Result<i64> {
        if is_empty_slice(st, &select)? {
            return Ok(0);
        }
        select.order_by.clear();
        select.lock = None;
        let count_item = SelectItem {
            expr: Expr::CountStar,
            alias: None,
        };
        let wrap = select.distinct
            || !select.distinct_on.is_empty()
            || select.limit.is_some()
            || select.offset.is_some()
            || !select.group_by.is_empty()
            || select.having.is_some()
            || !select.set_ops.is_empty();
        let counted = if wrap {
            let mut outer = Select::default();
            outer.items.push(count_item);
            outer.from_subquery = Some(Box::new(select));
            outer
        } else {
            select.items = vec![count_item];
            select
        };
        self.scalar(st, shared, counted, "count(*)").await
    }

    /// Whether the query returns any row: `SELECT EXISTS (query)`.
    pub(crate) async fn exists(
        &self,
        st: &mut SessionState,
        shared: &Arc<SessionShared>,
    ) -> Result<bool> {
        if is_empty_slice(st, &self.select)? {
            return Ok(false);
        }
        let mut inner = self.full_select();
        inner.order_by.clear();
        inner.lock = None;
        let mut outer = Select::default();
        outer.items.push(SelectItem {
            expr: Expr::Exists {
                select: Box::new(inner),
                negated: false,
            },
            alias: None,
        });
        self.scalar(st, shared, outer, "EXISTS").await
    }
}

/// `statement` compiled by the session's dialect, refused with
/// [`Error::TooManyParameters`] when it has more parameters than the dialect allows.
pub(crate) fn compile_checked(dialect: &dyn Dialect, statement: &Statement) -> Result<Compiled> {
    let compiled = dialect.compile(statement);
    dialect.check_params(compiled.params.len())?;
    Ok(compiled)
}

/// True when `select` is an empty slice (`LIMIT 0`, any offset): its result is empty
/// whatever the tables hold, so the caller sends nothing, not even the autoflush.
/// A session that needs `rollback()` still fails with [`Error::PendingRollback`].
pub(crate) fn is_empty_slice(st: &SessionState, select: &Select) -> Result<bool> {
    if select.limit != Some(0) {
        return Ok(false);
    }
    st.tx.check_usable()?;
    Ok(true)
}

/// Names (or aliases) of the tables in `select`'s FROM and joins.
fn names_of(select: &Select) -> Vec<Cow<'static, str>> {
    select
        .from
        .iter()
        .chain(select.joins.iter().map(|j| &j.table))
        .map(|t| t.visible_name().clone())
        .collect()
}

/// `select` limited to its first row (a `limit(0)` stays 0).
pub(crate) fn first_select(mut select: Select) -> Select {
    select.limit = Some(select.limit.map_or(1, |l| l.min(1)));
    select
}

/// `select` limited to its row at `index`, or `None` when `index` is past its limit.
pub(crate) fn nth_select(mut select: Select, index: u64) -> Option<Select> {
    let limit = select.limit.map_or(1, |l| l.saturating_sub(index).min(1));
    if limit == 0 {
        return None;
    }
    select.offset = Some(select.offset.unwrap_or(0).saturating_add(index));
    select.limit = Some(limit);
    Some(select)
}

/// `select` limited to two rows: enough to tell one result from several.
pub(crate) fn one_select(mut select: Select) -> Select {
    select.limit = Some(select.limit.map_or(2, |l| l.min(2)));
    select
}

/// The only item of `found`: `None` if empty, [`Error::MultipleResultsFound`] if several.
pub(crate) fn single<T>(mut found: Vec<T>, what: impl FnOnce() -> String) -> Result<Option<T>> {
    match found.len() {
        0 => Ok(None),
        1 => Ok(found.pop()),
        _ => Err(Error::MultipleResultsFound(format!(
            "more than one {} matched the query",
            what()
        ))),
    }
}

/// A consumer of decoded rows that builds handles through the identity map.
pub(crate) type HandleSink<'a> = dyn FnMut(&mut crate::session::IdentityMap, &Arc<SessionShared>, &mut Row) -> Result<()>
    + Send
    + 'a;
