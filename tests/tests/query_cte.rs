//! Common table expressions on a tree of 10,000 nodes in 12 levels: every
//! descendant of a node by `WITH RECURSIVE` in one statement, one level by a
//! self-join, a recursive CTE of column tuples (paths), and plain CTEs read as
//! models, joined, and used in a subquery.

use orm_core::{aliased, Handle, MetaData, Model, Session, StatementLog};
use std::collections::{BTreeSet, HashMap};
use tests::TestDb;

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "nodes")]
#[orm(has_many(children = Node, backref = "parent"))]
pub struct Node {
    #[orm(primary_key)]
    pub id: i32,
    pub name: String,
    #[orm(foreign_key = "nodes.id")]
    pub parent_id: Option<i32>,
    pub depth: i32,
}

/// One node of the shape: id, parent, depth.
type Shape = (i32, Option<i32>, i32);

const COLUMNS: &str = r#""nodes"."id", "nodes"."name", "nodes"."parent_id", "nodes"."depth""#;

/// The tree: level 0 is the root, levels 1 to 10 double (node `i` of a level has
/// node `i / 2` of the level above as parent), and level 11 holds the remaining
/// 7,953 nodes spread over the 1,024 nodes of level 10. Ids are 1..=10,000 in level
/// order. Returns each node's parent.
fn tree_shape() -> Vec<Shape> {
    let mut nodes = Vec::with_capacity(10_000);
    let mut first_of_level = vec![1];
    nodes.push((1, None, 0));
    for depth in 1..12 {
        let size = if depth < 11 {
            1 << depth
        } else {
            10_000 - nodes.len()
        };
        let start = nodes.len() as i32 + 1;
        let above = first_of_level[depth - 1];
        let above_size = 1 << (depth - 1);
        for i in 0..size as i32 {
            let parent = if depth < 11 { i / 2 } else { i % above_size };
            nodes.push((start + i, Some(above + parent), depth as i32));
        }
        first_of_level.push(start);
    }
    nodes
}

fn tree(name: &str) -> (TestDb, Session, StatementLog, Vec<Shape>) {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Node>()
        .create_all(&db.engine)
        .unwrap();
    let shape = tree_shape();
    let s = db.engine.session();
    s.add_all(shape.iter().map(|&(id, parent_id, depth)| Node {
        id,
        name: format!("n{id}"),
        parent_id,
        depth,
    }));
    s.commit().unwrap();
    let log = StatementLog::attach(&db.engine);
    let s = db.engine.session();
    (db, s, log, shape)
}

/// `root` and every node below it, from the shape.
fn expected_descendants(shape: &[Shape], root: i32) -> BTreeSet<i32> {
    let mut children: HashMap<i32, Vec<i32>> = HashMap::new();
    for &(id, parent, _) in shape {
        if let Some(p) = parent {
            children.entry(p).or_default().push(id);
        }
    }
    let mut found = BTreeSet::from([root]);
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        for &c in children.get(&n).into_iter().flatten() {
            found.insert(c);
            stack.push(c);
        }
    }
    found
}

fn ids(nodes: &[Handle<Node>]) -> BTreeSet<i32> {
    nodes.iter().map(|n| n.read().id).collect()
}

/// The statements sent, without transaction control.
fn sent(log: &StatementLog) -> Vec<String> {
    log.statements()
        .into_iter()
        .filter(|s| !matches!(s.as_str(), "BEGIN" | "COMMIT" | "ROLLBACK"))
        .collect()
}

#[test]
fn the_shape_has_10000_nodes_in_12_levels() {
    let shape = tree_shape();
    assert_eq!(shape.len(), 10_000);
    assert_eq!(shape.iter().map(|n| n.2).max(), Some(11));
    assert_eq!(expected_descendants(&shape, 1).len(), 10_000);
}

#[test]
fn descendants_of_a_node_to_any_depth_in_one_statement() {
    let (_db, s, log, shape) = tree("cte_descendants");
    let start = 4; // the first node of level 2
    let tree = s
        .query::<Node>()
        .filter(Node::id.eq(start))
        .recursive_cte("tree", |tree| {
            s.query::<Node>()
                .join_to(tree, Node::parent_id.eq(tree.col(Node::id)))
        });
    let q = s.query_from(&tree).order_by(Node::id);
    let sql = format!(
        r#"WITH RECURSIVE "tree" AS (SELECT {COLUMNS} FROM "nodes" WHERE "nodes"."id" = $1 UNION ALL SELECT {COLUMNS} FROM "nodes" JOIN "tree" ON "nodes"."parent_id" = "tree"."id") SELECT {COLUMNS} FROM "tree" AS "nodes" ORDER BY "nodes"."id""#
    );
    assert_eq!(q.compiled().sql, sql);
    let found = q.all().unwrap();
    assert_eq!(sent(&log), [sql], "one statement");
    let expected = expected_descendants(&shape, start);
    assert!(expected.len() > 2_000, "{}", expected.len());
    assert_eq!(ids(&found), expected);
    assert_eq!(found.iter().map(|n| n.read().depth).max(), Some(11));

    // Loaded through the identity map: the same handle as a get.
    let n = s.get::<Node>(start).unwrap().unwrap();
    assert!(n.ptr_eq(&found[0]));
    assert_eq!(sent(&log).len(), 1, "get found it in the identity map");

    // From the root: the whole tree, counted in SQL.
    let all = s
        .query::<Node>()
        .filter(Node::parent_id.is_null())
        .recursive_cte("tree", |tree| {
            s.query::<Node>()
                .join_to(tree, Node::parent_id.eq(tree.col(Node::id)))
        });
    assert_eq!(s.query_from(&all).count().unwrap(), 10_000);
}

#[test]
fn one_level_by_self_join() {
    let (_db, s, log, shape) = tree("cte_self_join");
    let start = 4;
    let parent = aliased::<Node>();
    let q = s
        .query::<Node>()
        .join_to(&parent, Node::parent_id.eq(parent.col(Node::id)))
        .filter(parent.col(Node::id).eq(start))
        .order_by(Node::id);
    assert_eq!(
        q.compiled().sql,
        format!(
            r#"SELECT {COLUMNS} FROM "nodes" JOIN "nodes" AS "nodes_1" ON "nodes"."parent_id" = "nodes_1"."id" WHERE "nodes_1"."id" = $1 ORDER BY "nodes"."id""#
        )
    );
    let children: BTreeSet<i32> = shape
        .iter()
        .filter(|n| n.1 == Some(start))
        .map(|n| n.0)
        .collect();
    assert_eq!(ids(&q.all().unwrap()), children);

    // Two levels down: grandchildren through a second alias.
    let grandparent = aliased::<Node>();
    let q = s
        .query::<Node>()
        .join_to(&parent, Node::parent_id.eq(parent.col(Node::id)))
        .join_to(
            &grandparent,
            parent.col(Node::parent_id).eq(grandparent.col(Node::id)),
        )
        .filter(grandparent.col(Node::id).eq(start));
    let grandchildren: BTreeSet<i32> = shape
        .iter()
        .filter(|n| n.1.is_some_and(|p| children.contains(&p)))
        .map(|n| n.0)
        .collect();
    assert_eq!(ids(&q.all().unwrap()), grandchildren);
    assert!(sent(&log)
        .last()
        .unwrap()
        .contains(r#"JOIN "nodes" AS "nodes_2" ON "nodes_1"."parent_id" = "nodes_2"."id""#));
}

#[test]
fn a_recursive_cte_of_tuples_builds_paths() {
    let (_db, s, log, _shape) = tree("cte_paths");
    let paths = s
        .query_columns((Node::id, Node::name, Node::depth))
        .filter(Node::id.eq(3))
        .recursive_cte("paths", |paths| {
            let (id, path, depth) = paths.columns();
            s.query_columns((Node::id, path.concat("/").concat(Node::name), depth.add(1)))
                .join_to(paths, Node::parent_id.eq(id))
        });
    assert_eq!(paths.column_names(), ["id", "name", "depth"]);
    let (id, path, depth) = paths.columns();
    let q = s
        .query_columns((id.clone(), path, depth))
        .select_from_source(&paths)
        .filter(id.eq(10_000));
    let sql = r#"WITH RECURSIVE "paths" ("id", "name", "depth") AS (SELECT "nodes"."id", "nodes"."name", "nodes"."depth" FROM "nodes" WHERE "nodes"."id" = $1 UNION ALL SELECT "nodes"."id", "paths"."name" || $2 || "nodes"."name", "paths"."depth" + $3 FROM "nodes" JOIN "paths" ON "nodes"."parent_id" = "paths"."id") SELECT "paths"."id", "paths"."name", "paths"."depth" FROM "paths" WHERE "paths"."id" = $4"#;
    assert_eq!(q.compiled().sql, sql);
    let (leaf, walked, depth) = q.one().unwrap();
    assert_eq!(leaf, 10_000);
    assert_eq!(depth, 11);
    let steps: Vec<&str> = walked.split('/').collect();
    assert_eq!(steps.len(), 11, "{walked}");
    assert_eq!(steps[0], "n3");
    assert_eq!(steps[10], "n10000");
    assert_eq!(
        sent(&log),
        [format!("{sql} LIMIT $5")],
        "one() asks for two rows"
    );
}

#[test]
fn a_cte_read_as_models_joined_and_used_in_a_subquery() {
    let (_db, s, log, shape) = tree("cte_plain");
    let leaves = s.query::<Node>().filter(Node::depth.eq(11)).cte("leaves");
    let q = s
        .query_from(&leaves)
        .filter(Node::name.like("n99%"))
        .order_by(Node::id);
    assert_eq!(
        q.compiled().sql,
        format!(
            r#"WITH "leaves" AS (SELECT {COLUMNS} FROM "nodes" WHERE "nodes"."depth" = $1) SELECT {COLUMNS} FROM "leaves" AS "nodes" WHERE "nodes"."name" LIKE $2 ORDER BY "nodes"."id""#
        )
    );
    let expected: BTreeSet<i32> = shape
        .iter()
        .filter(|n| n.2 == 11 && format!("n{}", n.0).starts_with("n99"))
        .map(|n| n.0)
        .collect();
    assert_eq!(ids(&q.all().unwrap()), expected);

    // Level-10 nodes with more than 7 leaves: the CTE joined to the table.
    let busy = s
        .query_columns(Node::id)
        .join_to(&leaves, leaves.col(Node::parent_id).eq(Node::id))
        .group_by(Node::id)
        .having(orm_core::func::count(leaves.col(Node::id)).gt(7))
        .order_by(Node::id);
    let mut per_parent: HashMap<i32, usize> = HashMap::new();
    for n in shape.iter().filter(|n| n.2 == 11) {
        *per_parent.entry(n.1.unwrap()).or_default() += 1;
    }
    let mut expected: Vec<i32> = per_parent
        .into_iter()
        .filter(|&(_, c)| c > 7)
        .map(|(p, _)| p)
        .collect();
    expected.sort_unstable();
    assert_eq!(busy.all().unwrap(), expected);

    // In a subquery: parents of leaves, the CTE defined inside the subquery.
    log.clear();
    let parents = s
        .query::<Node>()
        .filter(
            Node::id.in_subquery(
                s.query_columns(leaves.col(Node::parent_id))
                    .select_from_source(&leaves),
            ),
        )
        .count()
        .unwrap();
    assert_eq!(parents, 1024);
    assert!(
        sent(&log)[0].contains(r#"IN (WITH "leaves" AS (SELECT"#),
        "{:?}",
        sent(&log)
    );
}
