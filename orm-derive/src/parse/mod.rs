//! Reading the `#[orm(..)]` attributes: the error accumulator, the attribute names,
//! and the parsers for container and field attributes and their values.

pub mod attr;
pub mod constraint;
pub mod ctxt;
pub mod meta;
pub mod rel_value;
pub mod relationship;
pub mod sql_type;
pub mod symbol;
pub mod unknown;
pub mod value;

#[cfg(test)]
mod relationship_tests;
#[cfg(test)]
mod tests;
