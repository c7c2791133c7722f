//! The r2d2 adapter that lets the engine pool connections of any [`Backend`].

use super::{Backend, Connection, Url};
use crate::error::Error;
use std::sync::Arc;

/// Opens connections for the pool through a backend.
pub(crate) struct Manager {
    pub(crate) backend: Arc<dyn Backend>,
    pub(crate) url: Url,
}

impl r2d2::ManageConnection for Manager {
    type Connection = Box<dyn Connection>;
    type Error = Error;

    fn connect(&self) -> Result<Self::Connection, Error> {
        self.backend.connect(&self.url)
    }

    fn is_valid(&self, conn: &mut Self::Connection) -> Result<(), Error> {
        conn.batch_execute("")
    }

    fn has_broken(&self, conn: &mut Self::Connection) -> bool {
        conn.is_closed()
    }
}
