//! [`Entity`] and [`Entities`]: the models a multi-model query returns, and how a
//! joined row becomes one handle per model through the identity map.

use crate::error::{Error, Result};
use crate::model::Model;
use crate::row::Row;
use crate::schema::Table;
use crate::session::{Handle, SessionShared, SessionState};
use std::sync::Arc;

/// Access to the session's identity map while a row is read (opaque).
pub struct EntityLoader<'a> {
    st: &'a mut SessionState,
    shared: &'a Arc<SessionShared>,
    populate_existing: bool,
}

impl<'a> EntityLoader<'a> {
    pub(crate) fn new(
        st: &'a mut SessionState,
        shared: &'a Arc<SessionShared>,
        populate_existing: bool,
    ) -> Self {
        EntityLoader {
            st,
            shared,
            populate_existing,
        }
    }

    /// The handle of the `M` whose columns start at `offset`, or `None` when the
    /// primary key there is NULL (an outer join that found no row).
    fn load<M: Model>(&mut self, row: &mut Row, offset: usize) -> Result<Option<Handle<M>>> {
        let present = M::table()
            .primary_key_indices()
            .iter()
            .all(|&i| row.get(offset + i).is_some_and(|v| !v.is_null()));
        if !present {
            return Ok(None);
        }
        self.st
            .materialize_at::<M>(self.shared, row, offset, self.populate_existing)
            .map(Some)
    }
}

/// One model in a multi-model query: `M` gives a `Handle<M>` per row; `Option<M>`
/// gives `Option<Handle<M>>`, `None` where an outer join found no row.
pub trait Entity {
    /// What one row gives for this model.
    type Output;

    /// The model's table.
    fn entity_table() -> &'static Table;

    /// Reads the model's columns, starting at `offset`.
    #[doc(hidden)]
    fn load(loader: &mut EntityLoader<'_>, row: &mut Row, offset: usize) -> Result<Self::Output>;
}

impl<M: Model> Entity for M {
    type Output = Handle<M>;

    fn entity_table() -> &'static Table {
        M::table()
    }

    fn load(loader: &mut EntityLoader<'_>, row: &mut Row, offset: usize) -> Result<Handle<M>> {
        loader.load::<M>(row, offset)?.ok_or_else(|| {
            Error::UnexpectedNull(format!(
                "`{}` (no row was joined; select it as Option<{}> for an outer join)",
                M::table().name,
                std::any::type_name::<M>()
            ))
        })
    }
}

impl<M: Model> Entity for Option<M> {
    type Output = Option<Handle<M>>;

    fn entity_table() -> &'static Table {
        M::table()
    }

    fn load(
        loader: &mut EntityLoader<'_>,
        row: &mut Row,
        offset: usize,
    ) -> Result<Option<Handle<M>>> {
        loader.load::<M>(row, offset)
    }
}

/// The models of a multi-model query: a tuple of 2 to 4 [`Entity`]s
/// (`(Article, Option<Author>)`), giving a tuple of handles per row.
pub trait Entities {
    /// What one row gives: a tuple of handles.
    type Output;

    /// The models' tables, in order.
    fn tables() -> Vec<&'static Table>;

    /// Reads one result from a row holding every model's columns in order.
    #[doc(hidden)]
    fn load(loader: &mut EntityLoader<'_>, row: &mut Row) -> Result<Self::Output>;
}

macro_rules! tuple_entities {
    ($($name:ident),+) => {
        impl<$($name: Entity),+> Entities for ($($name,)+) {
            type Output = ($($name::Output,)+);

            fn tables() -> Vec<&'static Table> {
                vec![$($name::entity_table()),+]
            }

            #[allow(unused_assignments)]
            fn load(loader: &mut EntityLoader<'_>, row: &mut Row) -> Result<Self::Output> {
                let mut offset = 0;
                Ok(($(
                    {
                        let item = $name::load(loader, row, offset)?;
                        offset += $name::entity_table().columns.len();
                        item
                    },
                )+))
            }
        }
    };
}

tuple_entities!(A, B);
tuple_entities!(A, B, C);
tuple_entities!(A, B, C, D);
