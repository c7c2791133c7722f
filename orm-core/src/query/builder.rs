//! The builder methods and terminals every query type has, written once.
//!
//! A query type holds a `Core` in a field `core`; for the terminals it also has
//! `async fn load_in(&self, &mut SessionState, &Arc<SessionShared>, Select) ->
//! Result<Vec<Item>>` (run a statement, turn rows into items) and
//! `fn what(&self) -> String` (what one row is, for error messages).

/// `filter`, `order_by`, `limit`, `offset`, `distinct`, the joins and `fetch_size`.
macro_rules! builder_methods {
    () => {
        /// Adds a WHERE condition; several calls are ANDed.
        pub fn filter(mut self, condition: $crate::Expr) -> Self {
            self.core.select.and_where(condition);
            self
        }

        /// Adds an ORDER BY key (`Article::title.desc()`, `func::count(..).desc()`,
        /// `.nulls_last()`); several calls add more keys.
        pub fn order_by(mut self, order: impl Into<$crate::Order>) -> Self {
            self.core.select.order_by.push(order.into());
            self
        }

        /// At most `n` rows. `limit(0)` is an empty slice (whatever the offset): every
        /// terminal returns nothing (`count()` 0, `exists()` false) without sending SQL.
        pub fn limit(mut self, n: u64) -> Self {
            self.core.select.limit = Some(n);
            self
        }

        /// Skips the first `n` rows.
        pub fn offset(mut self, n: u64) -> Self {
            self.core.select.offset = Some(n);
            self
        }

        /// `SELECT DISTINCT`.
        pub fn distinct(mut self) -> Self {
            self.core.select.distinct = true;
            self
        }

        /// `SELECT DISTINCT ON (key, ..)`: one row per distinct `key` (several calls
        /// add keys), the first in the query's order, which must start with the keys.
        pub fn distinct_on(mut self, key: impl $crate::ColumnExpr) -> Self {
            self.core.select.distinct_on.push(key.to_expr());
            self
        }

        /// Keyset pagination: only rows after the one whose ORDER BY keys are
        /// `values` (`(a, b) > ($1, $2)` for `ORDER BY a, b`), which an index on
        /// the keys serves without reading the skipped rows as OFFSET does.
        /// [`Error::InvalidRequest`](crate::Error::InvalidRequest) without ORDER BY,
        /// for a NULL, or for a value count that differs from the key count.
        pub fn after_values(
            mut self,
            values: impl IntoIterator<Item = $crate::Value>,
        ) -> $crate::Result<Self> {
            let values = values.into_iter().collect();
            let cond =
                $crate::query::paginate::keyset_condition(&self.core.select.order_by, values)?;
            self.core.select.and_where(cond);
            Ok(self)
        }

        /// `JOIN <N's table> ON on` (inner join). Filter and order on `N`'s columns
        /// afterwards; the results stay what the query selects.
        pub fn join<N: $crate::Model>(mut self, on: $crate::Expr) -> Self {
            self.core
                .join(N::table(), $crate::statement::JoinKind::Inner, on);
            self
        }

        /// `LEFT OUTER JOIN <N's table> ON on`.
        pub fn outer_join<N: $crate::Model>(mut self, on: $crate::Expr) -> Self {
            self.core
                .join(N::table(), $crate::statement::JoinKind::LeftOuter, on);
            self
        }

        /// `RIGHT OUTER JOIN <N's table> ON on`: every `N` row, with the query's
        /// rows where they match (select the query's model as `Option<M>` in a
        /// [`query_models`](crate::Session::query_models) query, or its columns).
        pub fn right_join<N: $crate::Model>(mut self, on: $crate::Expr) -> Self {
            self.core
                .join(N::table(), $crate::statement::JoinKind::RightOuter, on);
            self
        }

        /// `FULL OUTER JOIN <N's table> ON on`: every row of both sides, matched
        /// where the condition holds.
        pub fn full_join<N: $crate::Model>(mut self, on: $crate::Expr) -> Self {
            self.core
                .join(N::table(), $crate::statement::JoinKind::FullOuter, on);
            self
        }

        $crate::query::source::source_methods!();
        $crate::query::lock::lock_methods!();

        /// Inner join to `N` along the foreign key between `N`'s table and a table
        /// already in the query. [`Error::InvalidRequest`](crate::Error::InvalidRequest),
        /// naming the tables, when there is no such foreign key or more than one
        /// (use [`join`](Self::join) with a condition then) or when `N`'s table is
        /// already in the query.
        pub fn join_fk<N: $crate::Model>(mut self) -> $crate::Result<Self> {
            self.core
                .join_fk(N::table(), $crate::statement::JoinKind::Inner)?;
            Ok(self)
        }

        /// Left outer join to `N` along a foreign key, as [`join_fk`](Self::join_fk).
        pub fn outer_join_fk<N: $crate::Model>(mut self) -> $crate::Result<Self> {
            self.core
                .join_fk(N::table(), $crate::statement::JoinKind::LeftOuter)?;
            Ok(self)
        }

        /// Rows fetched per round trip by `iter()`.
        pub fn fetch_size(mut self, rows: u32) -> Self {
            self.core.fetch_size = rows.max(1);
            self
        }

        /// The SQL and parameters this query sends for [`all`](Self::all).
        pub fn compiled(&self) -> $crate::Compiled {
            self.core.compiled()
        }
    };
}

/// `all`, `first`, `nth`, `one`, `one_or_none`, `count`, `exists` and `paginate`,
/// returning `$item`s: each runs one `async fn` of the query (its `load_in`, or the
/// core's `count_of`/`exists`) through [`Core::run`](super::base::Core::run), so an
/// async flavour of these terminals awaits the same functions.
macro_rules! terminal_methods {
    ($item:ty) => {
        /// Every result, in the query's order.
        pub fn all(&self) -> $crate::Result<Vec<$item>> {
            let select = self.core.full_select();
            self.core
                .run(async |st, shared| self.load_in(st, shared, select).await)
        }

        /// The first result (`LIMIT 1`), or `None`.
        pub fn first(&self) -> $crate::Result<Option<$item>> {
            let select = $crate::query::base::first_select(self.core.full_select());
            let found = self
                .core
                .run(async |st, shared| self.load_in(st, shared, select).await)?;
            Ok(found.into_iter().next())
        }

        /// The result at position `index` (0-based; `OFFSET index LIMIT 1`), or `None`
        /// past the end (SQLAlchemy's `query[index]`).
        pub fn nth(&self, index: u64) -> $crate::Result<Option<$item>> {
            let Some(select) = $crate::query::base::nth_select(self.core.full_select(), index)
            else {
                return Ok(None);
            };
            let found = self
                .core
                .run(async |st, shared| self.load_in(st, shared, select).await)?;
            Ok(found.into_iter().next())
        }

        /// Exactly one result: [`Error::NoResultFound`](crate::Error::NoResultFound) if
        /// none, [`Error::MultipleResultsFound`](crate::Error::MultipleResultsFound) if several.
        pub fn one(&self) -> $crate::Result<$item> {
            self.one_or_none()?.ok_or_else(|| {
                $crate::Error::NoResultFound(format!("no {} matched the query", self.what()))
            })
        }

        /// At most one result: `None` if none,
        /// [`Error::MultipleResultsFound`](crate::Error::MultipleResultsFound) if several.
        pub fn one_or_none(&self) -> $crate::Result<Option<$item>> {
            let select = $crate::query::base::one_select(self.core.full_select());
            let found = self
                .core
                .run(async |st, shared| self.load_in(st, shared, select).await)?;
            $crate::query::base::single(found, || self.what())
        }

        /// Number of rows the query returns (`SELECT count(*)`; over the query as a
        /// subquery when it has DISTINCT, GROUP BY, LIMIT or OFFSET).
        pub fn count(&self) -> $crate::Result<i64> {
            let select = self.core.full_select();
            self.core
                .run(async |st, shared| self.core.count_of(st, shared, select).await)
        }

        /// Whether the query returns any row (`SELECT EXISTS (..)`).
        pub fn exists(&self) -> $crate::Result<bool> {
            self.core
                .run(async |st, shared| self.core.exists(st, shared).await)
        }

        /// Page `page` (from 1) of `per_page` results, with the total: two
        /// statements, `count(*)` and the page (`LIMIT per_page OFFSET ..`). The
        /// query's own limit and offset are replaced.
        pub fn paginate(
            &self,
            page: u64,
            per_page: u64,
        ) -> $crate::Result<$crate::query::Page<$item>> {
            let (one, all) =
                $crate::query::paginate::page_selects(self.core.full_select(), page, per_page)?;
            self.core.run(async |st, shared| {
                let total = self.core.count_of(st, shared, all).await?;
                Ok($crate::query::Page {
                    items: self.load_in(st, shared, one).await?,
                    total,
                    page,
                    per_page,
                })
            })
        }
    };
}

pub(crate) use builder_methods;
pub(crate) use terminal_methods;
