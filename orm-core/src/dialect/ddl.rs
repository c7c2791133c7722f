//! Default rendering of DDL statements: `CREATE TABLE`, `DROP TABLE`, `CREATE INDEX`,
//! `DROP INDEX`, and `ALTER TABLE` (columns and constraints).

use super::{Dialect, SqlWriter};
use crate::schema::{CheckConstraint, Column, ForeignKey, UniqueConstraint};
use crate::statement::{
    AddForeignKey, AlterTable, AlterTableAction, ColumnChange, CreateIndex, CreateTable, DropIndex,
    DropTable,
};

/// `CREATE TABLE [IF NOT EXISTS] t (columns, PRIMARY KEY, UNIQUE.., FOREIGN KEY..)`.
///
/// Foreign keys listed in `omit_foreign_keys` are left out (they are added later
/// with `ALTER TABLE` to break a cycle).
pub(crate) fn write_create_table<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &CreateTable) {
    let t = &s.table;
    w.push_sql(if s.if_not_exists {
        "CREATE TABLE IF NOT EXISTS "
    } else {
        "CREATE TABLE "
    });
    w.push_identifier(&t.name);
    w.push_sql(" (");
    w.push_list(&t.columns, ", ", write_column);
    let pk: Vec<&str> = t.primary_key_columns().map(|c| c.name.as_str()).collect();
    if !pk.is_empty() {
        w.push_sql(", PRIMARY KEY (");
        w.push_identifier_list(&pk);
        w.push_sql(")");
    }
    for c in t.columns.iter().filter(|c| c.unique) {
        w.push_sql(", UNIQUE (");
        w.push_identifier(&c.name);
        w.push_sql(")");
    }
    for u in &t.unique_constraints {
        w.push_sql(", ");
        write_unique(w, u);
    }
    for fk in t
        .foreign_keys
        .iter()
        .filter(|fk| !s.omit_foreign_keys.contains(fk))
    {
        w.push_sql(", ");
        write_foreign_key(w, fk);
    }
    for check in &t.checks {
        w.push_sql(", ");
        write_check(w, check);
    }
    w.push_sql(")");
}

/// `[CONSTRAINT "name"] CHECK (expr)`; the condition is SQL written by the model's
/// author (`#[orm(check = "..")]`), rendered verbatim.
fn write_check<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, c: &CheckConstraint) {
    write_constraint_name(w, c.name.as_deref());
    w.push_sql("CHECK (");
    w.push_sql(&c.expr);
    w.push_sql(")");
}

/// `"name" TYPE [DEFAULT expr] [GENERATED .. AS IDENTITY] [NOT NULL]`.
///
/// The server default is DDL written by the model's author (e.g. `now()`), so it is
/// rendered verbatim. An autoincrement (identity) column is NOT NULL implicitly.
fn write_column<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, c: &Column) {
    w.push_identifier(&c.name);
    w.push_sql(" ");
    w.push_type(&c.sql_type);
    if let Some(default) = &c.server_default {
        w.push_sql(" DEFAULT ");
        w.push_sql(default);
    }
    if c.autoincrement {
        w.push_sql(" ");
        w.push_sql(w.dialect().autoincrement_clause());
    } else if !c.nullable {
        w.push_sql(" NOT NULL");
    }
}

/// `[CONSTRAINT "name"] UNIQUE (cols)`.
fn write_unique<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, u: &UniqueConstraint) {
    write_constraint_name(w, u.name.as_deref());
    w.push_sql("UNIQUE (");
    w.push_identifier_list(&u.columns);
    w.push_sql(")");
}

fn write_constraint_name<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, name: Option<&str>) {
    if let Some(name) = name {
        w.push_sql("CONSTRAINT ");
        w.push_identifier(name);
        w.push_sql(" ");
    }
}

/// `[CONSTRAINT "n"] FOREIGN KEY (cols) REFERENCES "t" (cols) [ON DELETE ..] [ON UPDATE ..]`.
fn write_foreign_key<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, fk: &ForeignKey) {
    write_constraint_name(w, fk.name.as_deref());
    w.push_sql("FOREIGN KEY (");
    w.push_identifier_list(&fk.columns);
    w.push_sql(") REFERENCES ");
    w.push_identifier(&fk.target_table);
    w.push_sql(" (");
    w.push_identifier_list(&fk.target_columns);
    w.push_sql(")");
    if let Some(a) = fk.on_delete {
        w.push_sql(" ON DELETE ");
        w.push_sql(a.as_sql());
    }
    if let Some(a) = fk.on_update {
        w.push_sql(" ON UPDATE ");
        w.push_sql(a.as_sql());
    }
}

/// `DROP TABLE [IF EXISTS] "t" [CASCADE]`.
pub(crate) fn write_drop_table<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &DropTable) {
    w.push_sql(if s.if_exists {
        "DROP TABLE IF EXISTS "
    } else {
        "DROP TABLE "
    });
    w.push_identifier(&s.name);
    if s.cascade {
        w.push_sql(" CASCADE");
    }
}

/// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] "ix" ON "t" [USING "method"] (cols) [WHERE cond]`.
///
/// A partial index's condition is SQL written by the model's author
/// (`#[orm(index(.., where = ".."))]`), rendered verbatim.
pub(crate) fn write_create_index<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &CreateIndex) {
    w.push_sql(if s.index.unique {
        "CREATE UNIQUE INDEX "
    } else {
        "CREATE INDEX "
    });
    if s.if_not_exists {
        w.push_sql("IF NOT EXISTS ");
    }
    w.push_identifier(&s.index.name);
    w.push_sql(" ON ");
    w.push_identifier(&s.table);
    if let Some(method) = &s.index.using {
        w.push_sql(" USING ");
        w.push_identifier(method);
    }
    w.push_sql(" (");
    w.push_identifier_list(&s.index.columns);
    w.push_sql(")");
    if let Some(condition) = &s.index.predicate {
        w.push_sql(" WHERE ");
        w.push_sql(condition);
    }
}

/// `ALTER TABLE "t" ADD FOREIGN KEY (..) REFERENCES ..`.
pub(crate) fn write_add_foreign_key<D: Dialect + ?Sized>(
    w: &mut SqlWriter<'_, D>,
    s: &AddForeignKey,
) {
    w.push_sql("ALTER TABLE ");
    w.push_identifier(&s.table);
    w.push_sql(" ADD ");
    write_foreign_key(w, &s.foreign_key);
}

/// `DROP INDEX [IF EXISTS] "ix"`.
pub(crate) fn write_drop_index<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &DropIndex) {
    w.push_sql(if s.if_exists {
        "DROP INDEX IF EXISTS "
    } else {
        "DROP INDEX "
    });
    w.push_identifier(&s.name);
}

/// `ALTER TABLE "t" <action>`.
pub(crate) fn write_alter_table<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, s: &AlterTable) {
    w.push_sql("ALTER TABLE ");
    w.push_identifier(&s.table);
    w.push_sql(" ");
    match &s.action {
        AlterTableAction::AddColumn(c) => {
            w.push_sql("ADD COLUMN ");
            write_column(w, c);
        }
        AlterTableAction::DropColumn(c) => {
            w.push_sql("DROP COLUMN ");
            w.push_identifier(c);
        }
        AlterTableAction::AlterColumn { column, change } => {
            w.push_sql("ALTER COLUMN ");
            w.push_identifier(column);
            w.push_sql(" ");
            write_column_change(w, change);
        }
        AlterTableAction::RenameColumn { from, to } => {
            w.push_sql("RENAME COLUMN ");
            w.push_identifier(from);
            w.push_sql(" TO ");
            w.push_identifier(to);
        }
        AlterTableAction::RenameTo(name) => {
            w.push_sql("RENAME TO ");
            w.push_identifier(name);
        }
        AlterTableAction::AddUnique(u) => {
            w.push_sql("ADD ");
            write_unique(w, u);
        }
        AlterTableAction::AddForeignKey(fk) => {
            w.push_sql("ADD ");
            write_foreign_key(w, fk);
        }
        AlterTableAction::AddCheck(c) => {
            w.push_sql("ADD ");
            write_check(w, c);
        }
        AlterTableAction::DropConstraint(name) => {
            w.push_sql("DROP CONSTRAINT ");
            w.push_identifier(name);
        }
    }
}

/// The part after `ALTER COLUMN "c" `.
fn write_column_change<D: Dialect + ?Sized>(w: &mut SqlWriter<'_, D>, change: &ColumnChange) {
    match change {
        ColumnChange::SetType(ty) => {
            w.push_sql("SET DATA TYPE ");
            w.push_type(ty);
        }
        ColumnChange::SetNotNull => w.push_sql("SET NOT NULL"),
        ColumnChange::DropNotNull => w.push_sql("DROP NOT NULL"),
        ColumnChange::SetDefault(expr) => {
            w.push_sql("SET DEFAULT ");
            w.push_sql(expr);
        }
        ColumnChange::DropDefault => w.push_sql("DROP DEFAULT"),
        ColumnChange::AddIdentity => {
            w.push_sql("ADD ");
            w.push_sql(w.dialect().autoincrement_clause());
        }
        ColumnChange::DropIdentity => w.push_sql("DROP IDENTITY"),
    }
}
