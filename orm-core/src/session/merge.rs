//! `merge`: copy a detached or plain value into the session's instance for its key.

use super::{Handle, Session};
use crate::error::Result;
use crate::model::Model;

impl Session {
    /// Merges `model` into the session (SQLAlchemy's `session.merge`): the instance with
    /// the same primary key (from the identity map, or loaded by one SELECT) takes
    /// `model`'s values, and only the columns that differ are updated at the next flush;
    /// when no such row exists (or the key is not set yet), `model` is added as new.
    /// Returns the session's handle; `model` itself stays a plain value.
    ///
    /// ```
    /// # tests::doc_blog!();
    /// # fn main() -> orm_core::Result<()> {
    /// # let db = blog_db("doc_merge");
    /// # let session = db.engine.session();
    /// // A plain value, e.g. deserialized from a form: article 1 with a new title.
    /// let edited = Article {
    ///     id: Some(1),
    ///     slug: "clean-python".into(),
    ///     title: "Cleaner Python".into(),
    ///     author_id: Some(1),
    /// };
    /// let managed = session.merge(edited)?;
    /// session.commit()?; // UPDATE of the changed columns only
    /// assert_eq!(managed.title(), "Cleaner Python");
    /// # assert_eq!(db.query_text("SELECT title FROM articles WHERE id = 1"), [["Cleaner Python"]]);
    /// # Ok(()) }
    /// ```
    pub fn merge<M: Model>(&self, model: M) -> Result<Handle<M>> {
        let key = model.primary_key();
        if key.iter().any(crate::Value::is_null) {
            return Ok(self.add(model));
        }
        let existing = self
            .shared()
            .run(async |st, shared| st.get::<M>(shared, key).await)?;
        match existing {
            Some(handle) => {
                // A guard held on the session's instance would make the copy wait.
                handle.erased().check_free(true)?;
                let changed = model.changed_columns(&handle.read());
                if !changed.is_empty() {
                    *handle.write() = model;
                }
                Ok(handle)
            }
            None => Ok(self.add(model)),
        }
    }
}
