//! The catalog queries behind reflection: one row per column, per constraint column
//! and per index column, for every table of one schema (`$1`, or the connection's
//! `current_schema()` when `$1` is NULL). Every name is cast to `text` and every
//! flag to a plain type so the rows decode as ordinary values.

use orm_core::{Compiled, Value};

/// The schema filter shared by the queries.
const SCHEMA: &str = "n.nspname = COALESCE($1::text, current_schema()::text)";

fn compiled(sql: String, schema: Option<&str>) -> Compiled {
    Compiled {
        sql,
        params: vec![schema.map_or(Value::Null, Value::from)],
    }
}

/// `(table, column, format_type, not null, default expr, identity kind,
/// owns a serial sequence, enum type name, is an array)`, ordered by table and
/// column position. The enum type name is that of the column's type or of its
/// array's element type, when it is an enum. Ordinary and partitioned tables only;
/// generated columns report no default.
pub(crate) fn columns(schema: Option<&str>) -> Compiled {
    compiled(
        format!(
            "SELECT c.relname::text, a.attname::text, \
             pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, \
             CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(d.adbin, d.adrelid) END, \
             a.attidentity::text, \
             (a.attidentity = '' AND pg_catalog.pg_get_serial_sequence(\
             pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(c.relname), \
             a.attname) IS NOT NULL), \
             et.typname::text, t.typcategory = 'A' \
             FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             JOIN pg_catalog.pg_attribute a \
             ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
             JOIN pg_catalog.pg_type t ON t.oid = a.atttypid \
             LEFT JOIN pg_catalog.pg_type et ON et.typtype = 'e' \
             AND et.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END \
             LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum \
             WHERE c.relkind IN ('r', 'p') AND {SCHEMA} \
             ORDER BY c.relname, a.attnum"
        ),
        schema,
    )
}

/// `(table, constraint, kind p/u/f, column, target table, target column, on delete,
/// on update)`, one row per constrained column in key order.
pub(crate) fn constraints(schema: Option<&str>) -> Compiled {
    compiled(
        format!(
            "SELECT c.relname::text, con.conname::text, con.contype::text, \
             a.attname::text, ft.relname::text, fa.attname::text, \
             con.confdeltype::text, con.confupdtype::text \
             FROM pg_catalog.pg_constraint con \
             JOIN pg_catalog.pg_class c ON c.oid = con.conrelid \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord) \
             JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum \
             LEFT JOIN pg_catalog.pg_class ft ON ft.oid = con.confrelid \
             LEFT JOIN pg_catalog.pg_attribute fa \
             ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[k.ord] \
             WHERE con.contype IN ('p', 'u', 'f') AND c.relkind IN ('r', 'p') AND {SCHEMA} \
             ORDER BY c.relname, con.conname, k.ord"
        ),
        schema,
    )
}

/// `(table, index, unique, column, method, partial index condition)`, one row per
/// key column in order, for the indexes that back no constraint and are column
/// lists (expression indexes are not reflected).
pub(crate) fn indexes(schema: Option<&str>) -> Compiled {
    compiled(
        format!(
            "SELECT t.relname::text, i.relname::text, ix.indisunique, a.attname::text, \
             am.amname::text, pg_catalog.pg_get_expr(ix.indpred, ix.indrelid) \
             FROM pg_catalog.pg_index ix \
             JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid \
             JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid \
             JOIN pg_catalog.pg_am am ON am.oid = i.relam \
             JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace \
             CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) \
             JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
             WHERE {SCHEMA} AND t.relkind IN ('r', 'p') AND k.ord <= ix.indnkeyatts \
             AND ix.indexprs IS NULL \
             AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con \
             WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid \
             AND con.contype IN ('p', 'u', 'x')) \
             ORDER BY t.relname, i.relname, k.ord"
        ),
        schema,
    )
}

/// `(table, constraint, condition)` for every CHECK constraint, the condition as
/// the server prints it back.
pub(crate) fn checks(schema: Option<&str>) -> Compiled {
    compiled(
        format!(
            "SELECT c.relname::text, con.conname::text, \
             pg_catalog.pg_get_expr(con.conbin, con.conrelid) \
             FROM pg_catalog.pg_constraint con \
             JOIN pg_catalog.pg_class c ON c.oid = con.conrelid \
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
             WHERE con.contype = 'c' AND c.relkind IN ('r', 'p') AND {SCHEMA} \
             ORDER BY c.relname, con.conname"
        ),
        schema,
    )
}

/// `(enum type, label)` for every enum type of the schema, labels in sort order.
pub(crate) fn enums(schema: Option<&str>) -> Compiled {
    compiled(
        format!(
            "SELECT t.typname::text, e.enumlabel::text \
             FROM pg_catalog.pg_type t \
             JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace \
             JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid \
             WHERE t.typtype = 'e' AND {SCHEMA} \
             ORDER BY t.typname, e.enumsortorder"
        ),
        schema,
    )
}
