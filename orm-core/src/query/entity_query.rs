//! [`EntityQuery`]: a query of several models at once, returned as tuples of handles
//! (SQLAlchemy's `session.query(Article, Author).join(..)`).

use super::base::Core;
use super::builder::{builder_methods, terminal_methods};
use super::entities::{Entities, EntityLoader};
use super::iter::{Cursor, EntityIter};
use crate::error::Result;
use crate::expr::AsSelect;
use crate::session::Session;
use crate::statement::model_items;
use crate::statement::Select;
use std::marker::PhantomData;

/// A query returning a tuple of handles per row, one per model of `E`
/// (`(Article, Option<Author>)` gives `(Handle<Article>, Option<Handle<Author>>)`).
///
/// Every model's columns are selected in order; the FROM clause is every model's
/// table that is not joined, so join the others (`join_fk`, `outer_join_fk`, `join`)
/// or get their cross product. Handles come from the identity map, so the same row
/// gives the same handle in every tuple. Rows are not de-duplicated.
///
/// ```
/// # tests::doc_blog!();
/// # fn main() -> orm_core::Result<()> {
/// # let db = blog_db("doc_query_models");
/// # let session = db.engine.session();
/// // Every article with its author, `None` for articles without one.
/// let rows = session
///     .query_models::<(Article, Option<Author>)>()
///     .outer_join_fk::<Author>()?
///     .order_by(Article::slug)
///     .all()?;
/// let (article, author) = &rows[0];
/// assert_eq!(article.slug(), "clean-python");
/// assert_eq!(author.as_ref().map(|a| a.name()).as_deref(), Some("Ezz"));
/// assert!(rows[1].1.is_none(), "the draft has no author");
/// # Ok(()) }
/// ```
pub struct EntityQuery<'s, E: Entities> {
    pub(super) core: Core<'s>,
    populate_existing: bool,
    _entities: PhantomData<fn() -> E>,
}

impl<E: Entities> Clone for EntityQuery<'_, E> {
    fn clone(&self) -> Self {
        EntityQuery {
            core: self.core.clone(),
            populate_existing: self.populate_existing,
            _entities: PhantomData,
        }
    }
}

impl Session {
    /// A query of several models, returning a tuple of handles per row:
    /// `session.query_models::<(Article, Author)>().join_fk::<Author>()?`.
    pub fn query_models<E: Entities>(&self) -> EntityQuery<'_, E> {
        EntityQuery::from_core(Core::new(self, Select::default(), Vec::new()), false)
    }
}

impl<'s, E: Entities> EntityQuery<'s, E> {
    /// A query with `core`'s statement, selecting every column of `E`'s models.
    pub(crate) fn from_core(mut core: Core<'s>, populate_existing: bool) -> Self {
        core.select.items.clear();
        for table in E::tables() {
            core.select.items.extend(model_items(table));
            core.know(table);
        }
        EntityQuery {
            core,
            populate_existing,
            _entities: PhantomData,
        }
    }

    builder_methods!();

    /// Overwrite instances already in the session with the loaded rows (unless they
    /// have unflushed changes).
    pub fn populate_existing(mut self) -> Self {
        self.populate_existing = true;
        self
    }

    /// The statement this query runs (with its FROM clause filled in).
    pub fn statement(&self) -> Select {
        self.core.full_select()
    }

    fn what(&self) -> String {
        let names: Vec<&str> = E::tables().iter().map(|t| t.name.as_str()).collect();
        format!("row of ({})", names.join(", "))
    }

    pub(crate) async fn load_in(
        &self,
        st: &mut crate::session::SessionState,
        shared: &std::sync::Arc<crate::session::SessionShared>,
        select: Select,
    ) -> Result<Vec<E::Output>> {
        let rows = self.core.rows(st, shared, select).await?;
        let mut loader = EntityLoader::new(st, shared, self.populate_existing);
        rows.into_iter()
            .map(|mut row| E::load(&mut loader, &mut row))
            .collect()
    }

    terminal_methods!(E::Output);

    /// Streams the tuples through a server-side cursor.
    pub fn iter(&self) -> Result<EntityIter<'s, E>> {
        let select = self.core.full_select();
        let cursor = Cursor::open(self.core.session, select, self.core.fetch_size)?;
        Ok(EntityIter::new(cursor, self.populate_existing))
    }
}

impl<E: Entities> AsSelect for EntityQuery<'_, E> {
    /// The query as a subquery.
    fn as_select(&self) -> Select {
        self.core.full_select()
    }
}
