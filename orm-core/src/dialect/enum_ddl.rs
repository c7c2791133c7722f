//! Default rendering of the enum-type statements: `CREATE TYPE .. AS ENUM`,
//! `DROP TYPE`, `ALTER TYPE .. ADD VALUE`. Labels are string literals written by the
//! dialect; they come from the models' enums, never from run-time data.

use super::{Dialect, SqlWriter};
use crate::statement::{AddEnumValue, CreateEnum, DropEnum, LabelPosition};

/// `CREATE TYPE "name" AS ENUM ('a', 'b')`.
pub(crate) fn write_create_enum<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &CreateEnum) {
    w.push_sql("CREATE TYPE ");
    w.push_identifier(&s.enum_type.name);
    w.push_sql(" AS ENUM (");
    w.push_list(&s.enum_type.labels, ", ", |w, l| w.push_string_literal(l));
    w.push_sql(")");
}

/// `DROP TYPE [IF EXISTS] "name"`.
pub(crate) fn write_drop_enum<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &DropEnum) {
    w.push_sql(if s.if_exists {
        "DROP TYPE IF EXISTS "
    } else {
        "DROP TYPE "
    });
    w.push_identifier(&s.name);
}

/// `ALTER TYPE "name" ADD VALUE [IF NOT EXISTS] 'label' [BEFORE|AFTER 'other']`.
pub(crate) fn write_add_enum_value<D: Dialect + ?Sized>(
    w: &mut SqlWriter<'_, D>,
    s: &AddEnumValue,
) {
    w.push_sql("ALTER TYPE ");
    w.push_identifier(&s.name);
    w.push_sql(if s.if_not_exists {
        " ADD VALUE IF NOT EXISTS "
    } else {
        " ADD VALUE "
    });
    w.push_string_literal(&s.label);
    match &s.position {
        LabelPosition::Last => {}
        LabelPosition::Before(other) => {
            w.push_sql(" BEFORE ");
            w.push_string_literal(other);
        }
        LabelPosition::After(other) => {
            w.push_sql(" AFTER ");
            w.push_string_literal(other);
        }
    }
}
