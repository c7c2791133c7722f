//! Small algorithms the rest of the crate shares.

pub(crate) mod topological;
