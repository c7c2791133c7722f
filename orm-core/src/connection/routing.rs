//! Read replicas: which server a statement goes to ([`Route`], [`classify`]); which
//! replica can take a read is `replicas.rs`.

/// Where a session (or one query) sends its statements, when the engine has
/// replicas. Without replicas everything goes to the primary whatever the route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Route {
    /// Reads go to a replica while the transaction has written nothing and holds
    /// no locks; the first write, lock, savepoint or cursor moves the transaction
    /// to the primary for the rest of it.
    #[default]
    Auto,
    /// Everything goes to the primary.
    Primary,
    /// Reads go to a replica even after the transaction wrote (they do not see its
    /// uncommitted changes); writes still go to the primary.
    Replica,
}

/// The server that ran a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServerRole {
    /// The primary (the engine's URL).
    Primary,
    /// The replica at this index of `EngineOptions::replicas`.
    Replica(usize),
}

/// What a statement needs from the server that runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A plain read (`SELECT` without a locking clause, `FETCH`, `CLOSE`).
    Read,
    /// Opens a cursor (`DECLARE`): under [`Route::Auto`] it moves the transaction to
    /// the primary, so that a flush during the iteration cannot strand it.
    Cursor,
    /// Anything else: writes, locks, DDL, savepoints, settings.
    Write,
}

/// Case-insensitive `needle` (ASCII upper case) in `hay`.
pub(super) fn contains_keyword(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// True when a `SELECT` takes row locks (`FOR UPDATE`, `FOR SHARE`, ...).
fn locks_rows(sql: &str) -> bool {
    [
        "FOR UPDATE",
        "FOR NO KEY UPDATE",
        "FOR SHARE",
        "FOR KEY SHARE",
    ]
    .iter()
    .any(|k| contains_keyword(sql, k))
}

/// True when a statement may change data besides its leading keyword (a
/// data-modifying CTE: `WITH x AS (DELETE ..) SELECT ..`).
fn modifies_data(sql: &str) -> bool {
    ["INSERT ", "UPDATE ", "DELETE ", "MERGE ", " INTO "]
        .iter()
        .any(|k| contains_keyword(sql, k))
}

/// Classifies a statement by its leading keyword. Anything not known to be a plain
/// read is a write, so a misreading can only send a read to the primary. A `WITH`
/// query is a read unless it locks rows or any of its parts could write.
pub(crate) fn classify(sql: &str) -> Kind {
    let head = sql.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
    let word_end = head
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(head.len());
    let word = &head[..word_end];
    let is = |k: &str| word.eq_ignore_ascii_case(k);
    if is("SELECT") || is("VALUES") || is("TABLE") || is("SHOW") {
        if locks_rows(sql) || contains_keyword(sql, " INTO ") {
            return Kind::Write;
        }
        return Kind::Read;
    }
    if is("WITH") {
        return if locks_rows(sql) || modifies_data(sql) {
            Kind::Write
        } else {
            Kind::Read
        };
    }
    if is("FETCH") || is("CLOSE") || is("MOVE") {
        return Kind::Read;
    }
    if is("DECLARE") && !locks_rows(sql) {
        return Kind::Cursor;
    }
    Kind::Write
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_writes_and_locks() {
        assert_eq!(classify(r#"SELECT "a"."id" FROM "a""#), Kind::Read);
        assert_eq!(classify("  (select 1) union (select 2)"), Kind::Read);
        assert_eq!(classify("FETCH FORWARD 100 FROM \"c\""), Kind::Read);
        assert_eq!(
            classify("DECLARE \"c\" NO SCROLL CURSOR FOR SELECT 1"),
            Kind::Cursor
        );
        assert_eq!(classify("SELECT * FROM t FOR UPDATE"), Kind::Write);
        assert_eq!(
            classify("select * from t for share skip locked"),
            Kind::Write
        );
        assert_eq!(classify("SELECT 1 INTO t2"), Kind::Write);
        assert_eq!(classify("INSERT INTO t VALUES (1)"), Kind::Write);
        assert_eq!(
            classify("WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x"),
            Kind::Write
        );
        assert_eq!(classify("SAVEPOINT sp_1"), Kind::Write);
    }

    #[test]
    fn with_queries_read_unless_they_lock_or_write() {
        let tree = r#"WITH RECURSIVE "tree" AS (SELECT "nodes"."id" FROM "nodes" UNION ALL SELECT "nodes"."id" FROM "nodes" JOIN "tree" ON "nodes"."parent_id" = "tree"."id") SELECT * FROM "tree""#;
        assert_eq!(classify(tree), Kind::Read);
        assert_eq!(
            classify(r#"WITH "t" AS (SELECT 1) SELECT * FROM "jobs" FOR UPDATE SKIP LOCKED"#),
            Kind::Write
        );
        assert_eq!(
            classify(r#"with "t" as (update "jobs" set "x" = $1 returning *) select * from "t""#),
            Kind::Write
        );
        assert_eq!(
            classify(r#"WITH "t" AS (INSERT INTO "a" VALUES ($1)) SELECT 1"#),
            Kind::Write
        );
    }
}
