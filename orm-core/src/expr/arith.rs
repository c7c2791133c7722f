//! Arithmetic and concatenation on columns and typed expressions: methods
//! (`Article::id.add(1)`) and the operators `+ - * / %`, both giving a [`TypedExpr`]
//! of the column's type.

use super::{BinaryOp, Col, ColumnExpr, Expr, Operand, TypedExpr};
use crate::schema::ColumnType;
#[cfg(feature = "rust_decimal")]
use rust_decimal::Decimal;
use std::ops::{Add, Div, Mul, Rem, Sub};

/// A numeric base type, with the types PostgreSQL gives its `sum` and `avg`
/// (`sum(integer)` is a `bigint`, `avg(integer)` a `numeric`, ...). A `numeric`
/// result is a `Decimal` with the `rust_decimal` feature, an `f64` without it.
pub trait Numeric: ColumnType {
    /// The type of `sum(x)` (before NULL: an empty sum is NULL).
    type Sum: ColumnType;
    /// The type of `avg(x)` (before NULL).
    type Avg: ColumnType;
}

macro_rules! numeric {
    ($($ty:ty => $sum:ty, $avg:ty);* $(;)?) => {$(
        impl Numeric for $ty {
            type Sum = $sum;
            type Avg = $avg;
        }
    )*};
}

numeric!(
    f32 => f32, f64;
    f64 => f64, f64;
);

#[cfg(feature = "rust_decimal")]
numeric!(
    i16 => i64, Decimal;
    i32 => i64, Decimal;
    i64 => Decimal, Decimal;
    Decimal => Decimal, Decimal;
);

#[cfg(not(feature = "rust_decimal"))]
numeric!(
    i16 => i64, f64;
    i32 => i64, f64;
    i64 => f64, f64;
);

/// A string column type, with the type of its `length(..)` (`Option<i32>` for a
/// nullable column, `i32` otherwise).
pub trait TextType: ColumnType<Base = String> {
    /// The type of `length(x)`.
    type Length: ColumnType;
}

impl TextType for String {
    type Length = i32;
}

impl TextType for Option<String> {
    type Length = Option<i32>;
}

fn arith<T, B, R: Operand<B>>(left: Expr, op: BinaryOp, right: R) -> TypedExpr<T> {
    TypedExpr::new(left.binary(op, right.into_expr()))
}

macro_rules! arith_methods {
    () => {
        /// `self + rhs`.
        #[allow(clippy::should_implement_trait)]
        pub fn add(self, rhs: impl Operand<T::Base>) -> TypedExpr<T> {
            arith(self.to_expr(), BinaryOp::Add, rhs)
        }

        /// `self - rhs`.
        #[allow(clippy::should_implement_trait)]
        pub fn sub(self, rhs: impl Operand<T::Base>) -> TypedExpr<T> {
            arith(self.to_expr(), BinaryOp::Sub, rhs)
        }

        /// `self * rhs`.
        #[allow(clippy::should_implement_trait)]
        pub fn mul(self, rhs: impl Operand<T::Base>) -> TypedExpr<T> {
            arith(self.to_expr(), BinaryOp::Mul, rhs)
        }

        /// `self / rhs` (integer division for integer columns, as in SQL).
        #[allow(clippy::should_implement_trait)]
        pub fn div(self, rhs: impl Operand<T::Base>) -> TypedExpr<T> {
            arith(self.to_expr(), BinaryOp::Div, rhs)
        }

        /// `self % rhs` (remainder).
        #[allow(clippy::should_implement_trait)]
        pub fn rem(self, rhs: impl Operand<T::Base>) -> TypedExpr<T> {
            arith(self.to_expr(), BinaryOp::Mod, rhs)
        }
    };
}

impl<M, T> Col<M, T>
where
    T: ColumnType,
    T::Base: Numeric,
{
    arith_methods!();
}

impl<T> TypedExpr<T>
where
    T: ColumnType,
    T::Base: Numeric,
{
    arith_methods!();
}

impl<M, T: ColumnType<Base = String>> Col<M, T> {
    /// `self || rhs` (string concatenation; NULL if either side is NULL).
    pub fn concat(self, rhs: impl Operand<String>) -> TypedExpr<T> {
        arith(self.to_expr(), BinaryOp::Concat, rhs)
    }
}

impl<T: ColumnType<Base = String>> TypedExpr<T> {
    /// `self || rhs` (string concatenation; NULL if either side is NULL).
    pub fn concat(self, rhs: impl Operand<String>) -> TypedExpr<T> {
        arith(self.to_expr(), BinaryOp::Concat, rhs)
    }
}

macro_rules! arith_operator {
    ($($trait:ident $method:ident $op:ident),*) => {$(
        impl<M, T, R> $trait<R> for Col<M, T>
        where
            T: ColumnType,
            T::Base: Numeric,
            R: Operand<T::Base>,
        {
            type Output = TypedExpr<T>;

            fn $method(self, rhs: R) -> TypedExpr<T> {
                arith(self.to_expr(), BinaryOp::$op, rhs)
            }
        }

        impl<T, R> $trait<R> for TypedExpr<T>
        where
            T: ColumnType,
            T::Base: Numeric,
            R: Operand<T::Base>,
        {
            type Output = TypedExpr<T>;

            fn $method(self, rhs: R) -> TypedExpr<T> {
                arith(self.into_inner(), BinaryOp::$op, rhs)
            }
        }
    )*};
}

arith_operator!(Add add Add, Sub sub Sub, Mul mul Mul, Div div Div, Rem rem Mod);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::GenericDialect;
    use crate::statement::Select;
    use crate::Dialect;

    struct Product;
    const PRICE: Col<Product, f64> = Col::new("products", "price", 1);
    const STOCK: Col<Product, Option<i32>> = Col::new("products", "stock", 2);
    const NAME: Col<Product, String> = Col::new("products", "name", 3);

    fn sql(e: Expr) -> String {
        let mut s = Select::default();
        s.item(e);
        GenericDialect.compile(&s.into()).sql
    }

    #[test]
    fn methods_and_operators_render_alike() {
        assert_eq!(
            sql(PRICE.mul(2.0).into()),
            r#"SELECT "products"."price" * ?"#
        );
        assert_eq!(sql((PRICE * 2.0).into()), sql(PRICE.mul(2.0).into()));
        assert_eq!(
            sql(((STOCK + 1) * 3).into()),
            r#"SELECT ("products"."stock" + ?) * ?"#
        );
        assert_eq!(
            sql((STOCK - STOCK.rem(4)).into()),
            r#"SELECT "products"."stock" - "products"."stock" % ?"#
        );
        assert_eq!(
            sql(NAME.concat("!").into()),
            r#"SELECT "products"."name" || ?"#
        );
    }

    #[test]
    fn arithmetic_is_comparable_and_typed() {
        let e: TypedExpr<Option<i32>> = STOCK.add(STOCK);
        assert_eq!(
            sql(e.gt(10)),
            r#"SELECT "products"."stock" + "products"."stock" > ?"#
        );
        assert_eq!(sql(PRICE.div(PRICE).eq(1.0)), sql((PRICE / PRICE).eq(1.0)));
    }
}
