//! Small algorithms shared by the schema and the unit of work.

pub(crate) mod topological;
