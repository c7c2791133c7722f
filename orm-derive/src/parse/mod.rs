//! Reading the `#[orm(..)]` attributes: the error accumulator, the attribute names,
//! and the parsers for container and field attributes and their values.

pub mod attr;
pub mod ctxt;
mod meta;
pub mod sql_type;
pub mod symbol;
mod unknown;
pub mod value;

#[cfg(test)]
mod tests;
