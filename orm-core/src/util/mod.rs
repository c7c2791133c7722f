//! Small algorithms shared by the schema and the unit of work, and the poll-once
//! driver the blocking API runs the core's futures with.

pub(crate) mod drive;

pub(crate) mod topological;
