//! The model of a derive input: what the struct declares, resolved (column names,
//! autoincrement, types, relationships), and the cross-field rules it must follow.

pub mod ast;
pub mod check;
pub mod constraints;
pub mod infer;
pub mod relation;
