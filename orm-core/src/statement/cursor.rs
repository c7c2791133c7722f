//! Server-side cursor statements, used to stream large results in chunks.

use super::Select;

/// `DECLARE name NO SCROLL CURSOR FOR select` (inside a transaction).
#[derive(Debug, Clone, PartialEq)]
pub struct DeclareCursor {
    /// Cursor name.
    pub name: String,
    /// The query.
    pub select: Select,
}

/// `FETCH FORWARD count FROM name`.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchCursor {
    /// Cursor name.
    pub name: String,
    /// Rows per fetch.
    pub count: u32,
}

/// `CLOSE name`.
#[derive(Debug, Clone, PartialEq)]
pub struct CloseCursor {
    /// Cursor name.
    pub name: String,
}
