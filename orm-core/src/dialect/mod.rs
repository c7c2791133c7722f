//! The [`Dialect`] trait: the only place statements become SQL text.

use crate::statement::Statement;
use crate::value::Value;
use std::fmt;

/// SQL text plus its bind parameters, in placeholder order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Compiled {
    /// The SQL text, with placeholders.
    pub sql: String,
    /// The bind parameters.
    pub params: Vec<Value>,
}

/// Turns statements into SQL text for one database.
pub trait Dialect: Send + Sync + fmt::Debug {
    /// The dialect's name, e.g. `postgresql`.
    fn name(&self) -> &'static str;

    /// Renders `statement` with every value as a bind parameter.
    fn compile(&self, statement: &Statement) -> Compiled;

    /// The most bind parameters one statement may carry.
    fn max_params(&self) -> usize {
        65_535
    }
}
