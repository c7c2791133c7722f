//! [`MetaData`]: a set of tables, filled from the registry of derived models, and
//! `create_all`/`drop_all` in foreign-key order.

use super::{EnumType, ForeignKey, Table};
use crate::connection::{Engine, RoutedConnection};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::util::drive::drive;
use crate::util::topological;

/// One derived model, submitted to the global registry by `#[derive(Model)]`.
///
/// Users do not build this by hand; [`MetaData::registered`] reads them all.
pub struct ModelRegistration {
    /// The model's table.
    pub table: fn() -> &'static Table,
}

inventory::collect!(ModelRegistration);

/// A collection of tables that can be created or dropped together.
///
/// ```
/// use orm_core::{Column, MetaData, SqlType, Table};
/// let mut md = MetaData::new();
/// md.add_table(Table::new("tags", vec![Column::new("id", SqlType::Integer).primary_key()]));
/// assert_eq!(md.tables().len(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct MetaData {
    tables: Vec<Table>,
    /// Enum types beyond those the columns use (see [`MetaData::add_enum`]).
    pub(super) enums: Vec<EnumType>,
}

impl MetaData {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every model derived anywhere in the program (SQLAlchemy's `Base.metadata`).
    pub fn registered() -> Self {
        let mut md = Self::new();
        for reg in inventory::iter::<ModelRegistration> {
            md.add_table((reg.table)().clone());
        }
        md.tables.sort_by(|a, b| a.name.cmp(&b.name));
        md
    }

    /// Adds a model's table (builder form).
    pub fn with<M: Model>(mut self) -> Self {
        self.add_table(M::table().clone());
        self
    }

    /// Adds a table; a table of the same name is replaced.
    pub fn add_table(&mut self, table: Table) {
        match self.tables.iter_mut().find(|t| t.name == table.name) {
            Some(existing) => *existing = table,
            None => self.tables.push(table),
        }
    }

    /// The tables, in insertion order.
    pub fn tables(&self) -> &[Table] {
        &self.tables
    }

    /// The table called `name`.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// A metadata's tables in creation order (parents before children), from
/// [`MetaData::table_order`]; drop them in reverse.
#[derive(Debug)]
pub struct TableOrder<'m> {
    /// The tables, parents before children (otherwise in declaration order).
    pub tables: Vec<&'m Table>,
    /// Foreign keys that close a cycle, with their table: create the tables without
    /// them, then add them with `ALTER TABLE`.
    pub deferred: Vec<(&'m Table, &'m ForeignKey)>,
}

/// The order in which to create a metadata's tables, and the foreign keys that must
/// wait for `ALTER TABLE` because they close a cycle.
#[derive(Debug)]
pub(crate) struct Plan<'m> {
    /// Table positions, parents before children.
    pub(crate) order: Vec<usize>,
    /// Per table position, the foreign keys left out of its `CREATE TABLE`.
    pub(crate) omitted: Vec<Vec<&'m ForeignKey>>,
    /// Per table position, whether the table is on a foreign-key cycle.
    pub(crate) on_cycle: Vec<bool>,
}

impl MetaData {
    /// Creates every table that does not exist yet in the connection's current
    /// schema, with its indexes, parents before children; first the enum types the
    /// columns use that do not exist yet.
    ///
    /// Foreign keys are checked first: one naming an undeclared table or column is
    /// an [`Error::Schema`] before any statement is sent. Tables that reference each
    /// other in a cycle are created without the cycle's foreign keys, which are then
    /// added with `ALTER TABLE` (as SQLAlchemy does); a table referencing itself is
    /// created in one statement. Existing tables are left alone ("checkfirst"), so
    /// calling this twice is harmless. Everything runs in one transaction.
    ///
    /// # Examples
    ///
    /// ```
    /// # let db = tests::TestDb::new("doc_create_all");
    /// # let engine = &db.engine;
    /// use orm_core::{Column, MetaData, SqlType, Table};
    /// let mut md = MetaData::new();
    /// md.add_table(Table::new("tags", vec![
    ///     Column::new("id", SqlType::Integer).primary_key().autoincrement(),
    /// ]));
    /// md.create_all(engine)?;
    /// md.create_all(engine)?; // checks first: nothing to do
    /// # assert_eq!(db.tables(), ["tags"]);
    /// # Ok::<(), orm_core::Error>(())
    /// ```
    pub fn create_all(&self, engine: &Engine) -> Result<()> {
        let plan = self.plan()?;
        drive(async {
            let mut conn = RoutedConnection::plain(engine.clone()).await?;
            self.create_on(&mut conn, &plan).await
        })
    }

    /// Drops every table of this metadata that exists in the connection's current
    /// schema, children before parents, in one transaction.
    ///
    /// Tables on a foreign-key cycle are dropped with `CASCADE` (which removes the
    /// other cycle members' constraints on them, and any view built on them); the
    /// others without, so a table outside the metadata that still references one
    /// makes the drop fail rather than silently losing its constraint. The enum types
    /// the columns use are dropped last (a table outside the metadata still using one
    /// makes the drop fail).
    pub fn drop_all(&self, engine: &Engine) -> Result<()> {
        let plan = self.plan()?;
        drive(async {
            let mut conn = RoutedConnection::plain(engine.clone()).await?;
            self.drop_on(&mut conn, &plan).await
        })
    }

    /// Checks that every foreign key names declared tables and columns, and that
    /// enum types of one name have one set of labels.
    fn validate(&self) -> Result<()> {
        self.validate_enums()?;
        for t in &self.tables {
            for fk in &t.foreign_keys {
                self.validate_foreign_key(t, fk)?;
            }
        }
        self.validate_relationships()
    }

    /// Checks that every derived relationship from one of these tables can find its
    /// foreign key (exactly one, or the one it names), so a broken relationship fails
    /// here, at set-up, rather than at first use.
    pub fn validate_relationships(&self) -> Result<()> {
        let ours = |name: &str| self.tables.iter().any(|t| t.name == name);
        for reg in inventory::iter::<crate::relationship::RelationshipRegistration> {
            let def = (reg.def)();
            if ours(&(def.source)().name) && ours(&(def.target)().name) {
                def.validate()?;
            }
        }
        Ok(())
    }

    fn validate_foreign_key(&self, t: &Table, fk: &ForeignKey) -> Result<()> {
        let from = format!("{}.{}", t.name, column_list(&fk.columns));
        let to = format!("{}.{}", fk.target_table, column_list(&fk.target_columns));
        if let Some(c) = fk.columns.iter().find(|c| t.column(c).is_none()) {
            return Err(Error::Schema(format!(
                "foreign key {from} references {to}, but table \"{}\" has no column \"{c}\"",
                t.name
            )));
        }
        let Some(target) = self.table(&fk.target_table) else {
            return Err(Error::Schema(format!(
                "{from} references {to}, but no table \"{}\" is declared",
                fk.target_table
            )));
        };
        if let Some(c) = fk
            .target_columns
            .iter()
            .find(|c| target.column(c).is_none())
        {
            return Err(Error::Schema(format!(
                "{from} references {to}, but table \"{}\" has no column \"{c}\"",
                target.name
            )));
        }
        if fk.columns.len() != fk.target_columns.len() || fk.columns.is_empty() {
            return Err(Error::Schema(format!(
                "{from} references {to}: the foreign key has {} column(s) but references {}",
                fk.columns.len(),
                fk.target_columns.len()
            )));
        }
        Ok(())
    }

    /// Validates, then orders the tables parents-first.
    pub(crate) fn plan(&self) -> Result<Plan<'_>> {
        self.validate()?;
        self.ordering()
    }

    /// The tables parents-first, and the foreign keys to add after them because they
    /// close a cycle, without validating: a foreign key to a table outside this
    /// metadata is ignored. Migrations order the creation and the dropping of tables
    /// (models or reflected) with it.
    ///
    /// ```
    /// use orm_core::{Column, MetaData, SqlType, Table};
    /// let mut md = MetaData::new();
    /// md.add_table(Table::new("articles", vec![
    ///     Column::new("author_id", SqlType::Integer).references("authors", "id"),
    /// ]));
    /// md.add_table(Table::new("authors", vec![Column::new("id", SqlType::Integer).primary_key()]));
    /// let order = md.table_order()?;
    /// let names: Vec<&str> = order.tables.iter().map(|t| t.name.as_str()).collect();
    /// assert_eq!(names, ["authors", "articles"]);
    /// assert!(order.deferred.is_empty());
    /// # Ok::<(), orm_core::Error>(())
    /// ```
    pub fn table_order(&self) -> Result<TableOrder<'_>> {
        let plan = self.ordering()?;
        let deferred = plan
            .order
            .iter()
            .flat_map(|&i| plan.omitted[i].iter().map(move |&fk| (&self.tables[i], fk)))
            .collect();
        Ok(TableOrder {
            tables: plan.order.iter().map(|&i| &self.tables[i]).collect(),
            deferred,
        })
    }

    /// Orders the tables parents-first. Foreign keys between tables of one cycle are
    /// set aside; what remains is acyclic.
    fn ordering(&self) -> Result<Plan<'_>> {
        let position = |name: &str| self.tables.iter().position(|t| t.name == name);
        // (parent, child, the child's foreign key); self-references need no order.
        let mut links = Vec::new();
        for (child, t) in self.tables.iter().enumerate() {
            for fk in &t.foreign_keys {
                let parent = position(&fk.target_table).unwrap_or(child);
                if parent != child {
                    links.push((parent, child, fk));
                }
            }
        }
        let n = self.tables.len();
        let edges: Vec<(usize, usize)> = links.iter().map(|&(p, c, _)| (p, c)).collect();
        let mut cycle_of = vec![None; n];
        for (id, cycle) in topological::find_cycles(n, &edges).iter().enumerate() {
            for &i in cycle {
                cycle_of[i] = Some(id);
            }
        }
        let mut omitted = vec![Vec::new(); n];
        let mut kept = Vec::new();
        for &(p, c, fk) in &links {
            if cycle_of[p].is_some() && cycle_of[p] == cycle_of[c] {
                omitted[c].push(fk);
            } else {
                kept.push((p, c));
            }
        }
        let order = topological::sort(n, &kept).map_err(|e| {
            let names: Vec<&str> = e.remaining.iter().map(|&i| &*self.tables[i].name).collect();
            Error::Schema(format!(
                "cannot order tables {} by their foreign keys",
                names.join(", ")
            ))
        })?;
        let on_cycle = cycle_of.iter().map(Option::is_some).collect();
        Ok(Plan {
            order,
            omitted,
            on_cycle,
        })
    }
}

/// `a` for one column, `(a, b)` for several.
fn column_list(columns: &[String]) -> String {
    match columns {
        [one] => one.clone(),
        many => format!("({})", many.join(", ")),
    }
}

/// Creates every table of [`MetaData::registered`] (every derived model) that does
/// not exist yet; see [`MetaData::create_all`].
pub fn create_all(engine: &Engine) -> Result<()> {
    MetaData::registered().create_all(engine)
}

/// Drops every table of [`MetaData::registered`] that exists; see
/// [`MetaData::drop_all`].
pub fn drop_all(engine: &Engine) -> Result<()> {
    MetaData::registered().drop_all(engine)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, ReferentialAction, SqlType};

    fn id() -> Column {
        Column::new("id", SqlType::Integer).primary_key()
    }

    fn table(name: &str, refs: &[(&str, &str)]) -> Table {
        let mut cols = vec![id()];
        for (col, target) in refs {
            cols.push(Column::new(*col, SqlType::Integer).references(target, "id"));
        }
        Table::new(name, cols)
    }

    fn md(tables: Vec<Table>) -> MetaData {
        let mut md = MetaData::new();
        for t in tables {
            md.add_table(t);
        }
        md
    }

    fn ordered_names(md: &MetaData) -> Vec<&str> {
        let plan = md.plan().unwrap();
        plan.order.iter().map(|&i| &*md.tables[i].name).collect()
    }

    #[test]
    fn parents_before_children_otherwise_declaration_order() {
        let md = md(vec![
            table("comments", &[("article_id", "articles")]),
            table("articles", &[("author_id", "authors")]),
            table("tags", &[]),
            table("authors", &[]),
        ]);
        assert_eq!(
            ordered_names(&md),
            ["tags", "authors", "articles", "comments"]
        );
    }

    #[test]
    fn unknown_target_table_is_named_with_both_ends() {
        let md = md(vec![table("articles", &[("author_id", "authors")])]);
        let err = md.plan().unwrap_err();
        assert_eq!(
            err.to_string(),
            "schema error: articles.author_id references authors.id, but no table \"authors\" is declared"
        );
    }

    #[test]
    fn unknown_target_column_is_named() {
        let authors = Table::new("authors", vec![Column::new("uid", SqlType::Integer)]);
        let md = md(vec![
            authors,
            table("articles", &[("author_id", "authors")]),
        ]);
        let msg = md.plan().unwrap_err().to_string();
        assert!(
            msg.contains("table \"authors\" has no column \"id\""),
            "{msg}"
        );
    }

    #[test]
    fn cycle_foreign_keys_are_deferred_and_marked() {
        let a = table("a", &[("b_id", "b")]);
        let b = table("b", &[("a_id", "a")]).with_foreign_key(
            ForeignKey::to("id", "c", "id").on_delete(ReferentialAction::Cascade),
        );
        let c = table("c", &[("self_id", "c")]);
        let md = md(vec![a, b, c]);
        let plan = md.plan().unwrap();
        assert_eq!(ordered_names(&md), ["a", "c", "b"]);
        assert_eq!(plan.omitted[0].len(), 1);
        assert_eq!(plan.omitted[0][0].target_table, "b");
        assert_eq!(plan.omitted[1].len(), 1);
        assert_eq!(plan.omitted[1][0].target_table, "a");
        assert!(plan.omitted[2].is_empty(), "a self-reference stays inline");
        assert_eq!(plan.on_cycle, [true, true, false]);
    }
}
