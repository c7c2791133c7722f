//! Window functions (a leaderboard with `rank() OVER (PARTITION BY ..)`,
//! `row_number`, `dense_rank`, `lag`/`lead`, aggregates over frames), aggregates
//! with `FILTER (WHERE ..)`, `DISTINCT ON`, and `GROUP BY ROLLUP / CUBE`.

use orm_core::window::{self, partition_by};
use orm_core::{func, FrameBound, MetaData, Model, Session, StatementLog};
use tests::TestDb;

#[derive(Model, Clone, Debug, Default, PartialEq)]
#[orm(table = "scores")]
pub struct Score {
    #[orm(primary_key)]
    pub id: Option<i32>,
    pub game: String,
    pub player: String,
    pub points: i32,
}

/// | id | game | player | points |
/// |---|---|---|---|
/// | 1 | chess | alice | 30 |
/// | 2 | chess | bob | 50 |
/// | 3 | chess | carol | 50 |
/// | 4 | chess | dave | 10 |
/// | 5 | go | alice | 70 |
/// | 6 | go | erin | 40 |
/// | 7 | go | frank | 70 |
fn scores(name: &str) -> (TestDb, Session, StatementLog) {
    let db = TestDb::new(name);
    MetaData::new()
        .with::<Score>()
        .create_all(&db.engine)
        .unwrap();
    let s = db.engine.session();
    let rows = [
        ("chess", "alice", 30),
        ("chess", "bob", 50),
        ("chess", "carol", 50),
        ("chess", "dave", 10),
        ("go", "alice", 70),
        ("go", "erin", 40),
        ("go", "frank", 70),
    ];
    s.add_all(rows.iter().map(|&(game, player, points)| Score {
        id: None,
        game: game.into(),
        player: player.into(),
        points,
    }));
    s.commit().unwrap();
    let log = StatementLog::attach(&db.engine);
    let s = db.engine.session();
    (db, s, log)
}

fn row(game: &str, player: &str, rank: i64) -> (String, String, i64) {
    (game.into(), player.into(), rank)
}

#[test]
fn a_leaderboard_ranks_within_each_game() {
    let (_db, s, log) = scores("window_leaderboard");
    let by_points = || partition_by(Score::game).order_by(Score::points.desc());
    let rank = window::rank().over(by_points());
    let q = s
        .query_columns((Score::game, Score::player, rank.clone()))
        .order_by(Score::game)
        .order_by(rank)
        .order_by(Score::player);
    let rank_sql = r#"rank() OVER (PARTITION BY "scores"."game" ORDER BY "scores"."points" DESC)"#;
    assert_eq!(
        q.compiled().sql,
        format!(
            r#"SELECT "scores"."game", "scores"."player", {rank_sql} FROM "scores" ORDER BY "scores"."game", {rank_sql}, "scores"."player""#
        )
    );
    assert_eq!(
        q.all().unwrap(),
        [
            row("chess", "bob", 1),
            row("chess", "carol", 1),
            row("chess", "alice", 3),
            row("chess", "dave", 4),
            row("go", "alice", 1),
            row("go", "frank", 1),
            row("go", "erin", 3),
        ]
    );

    // The podium: ranks up to 2, filtered outside the window (a derived table).
    let ranked = s
        .query_columns((
            Score::game,
            Score::player,
            window::dense_rank().over(by_points()),
        ))
        .subquery();
    let (game, player, place) = ranked.columns();
    let podium = s
        .query_columns((game.clone(), player.clone(), place.clone()))
        .select_from_source(&ranked)
        .filter(place.clone().le(2))
        .order_by(game)
        .order_by(place)
        .order_by(player);
    assert_eq!(
        podium.all().unwrap(),
        [
            row("chess", "bob", 1),
            row("chess", "carol", 1),
            row("chess", "alice", 2),
            row("go", "alice", 1),
            row("go", "frank", 1),
            row("go", "erin", 2),
        ]
    );
    assert!(log.statements().last().unwrap().contains(
        r#"dense_rank() OVER (PARTITION BY "scores"."game" ORDER BY "scores"."points" DESC)"#
    ));
}

#[test]
fn row_number_lag_lead_and_distribution() {
    let (_db, s, _log) = scores("window_functions");
    let w = || {
        partition_by(Score::game)
            .order_by(Score::points.desc())
            .order_by(Score::player)
    };
    let q = s
        .query_columns((
            Score::player,
            window::row_number().over(w()),
            window::lag(Score::points).over(w()),
            window::lead_or(Score::points, 1, -1).over(w()),
            window::ntile(2).over(w()),
        ))
        .filter(Score::game.eq("chess"))
        .order_by(Score::points.desc())
        .order_by(Score::player);
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "scores"."player", row_number() OVER (PARTITION BY "scores"."game" ORDER BY "scores"."points" DESC, "scores"."player"), lag("scores"."points") OVER (PARTITION BY "scores"."game" ORDER BY "scores"."points" DESC, "scores"."player"), lead("scores"."points", $1, $2) OVER (PARTITION BY "scores"."game" ORDER BY "scores"."points" DESC, "scores"."player"), ntile($3) OVER (PARTITION BY "scores"."game" ORDER BY "scores"."points" DESC, "scores"."player") FROM "scores" WHERE "scores"."game" = $4 ORDER BY "scores"."points" DESC, "scores"."player""#
    );
    assert_eq!(
        q.all().unwrap(),
        [
            ("bob".to_owned(), 1, None, 50, 1),
            ("carol".to_owned(), 2, Some(50), 30, 1),
            ("alice".to_owned(), 3, Some(50), 10, 2),
            ("dave".to_owned(), 4, Some(30), -1, 2),
        ]
    );
    let share = s
        .query_columns(window::percent_rank().over(window::order_by(Score::points)))
        .order_by(Score::points)
        .first()
        .unwrap();
    assert_eq!(share, Some(0.0));
}

#[test]
fn aggregates_over_frames() {
    let (_db, s, _log) = scores("window_frames");
    let running = func::sum(Score::points).over(
        partition_by(Score::game)
            .order_by(Score::id)
            .rows(FrameBound::UnboundedPreceding, FrameBound::CurrentRow),
    );
    let pairs = func::sum(Score::points)
        .over(window::order_by(Score::id).rows(FrameBound::Preceding(1), FrameBound::CurrentRow));
    let per_game = func::count_star().over(partition_by(Score::game));
    let q = s
        .query_columns((Score::id, running, pairs, per_game))
        .order_by(Score::id);
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "scores"."id", sum("scores"."points") OVER (PARTITION BY "scores"."game" ORDER BY "scores"."id" ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), sum("scores"."points") OVER (ORDER BY "scores"."id" ROWS BETWEEN $1 PRECEDING AND CURRENT ROW), count(*) OVER (PARTITION BY "scores"."game") FROM "scores" ORDER BY "scores"."id""#
    );
    let rows: Vec<(i32, Option<i64>, Option<i64>, i64)> = q
        .all()
        .unwrap()
        .into_iter()
        .map(|(id, a, b, c)| (id.unwrap(), a, b, c))
        .collect();
    assert_eq!(
        rows,
        [
            (1, Some(30), Some(30), 4),
            (2, Some(80), Some(80), 4),
            (3, Some(130), Some(100), 4),
            (4, Some(140), Some(60), 4),
            (5, Some(70), Some(80), 3),
            (6, Some(110), Some(110), 3),
            (7, Some(180), Some(110), 3),
        ]
    );
    let groups = func::count_star().over(
        window::order_by(Score::points).groups(FrameBound::CurrentRow, FrameBound::Following(1)),
    );
    let counts: Vec<i64> = s
        .query_columns(groups)
        .order_by(Score::points)
        .order_by(Score::id)
        .all()
        .unwrap();
    // Points 10, 30, 40, 50, 50, 70, 70: this row's group and the next one.
    assert_eq!(counts, [2, 2, 3, 4, 4, 2, 2]);
}

#[test]
fn filter_on_aggregates() {
    let (_db, s, _log) = scores("window_filter");
    let high = func::count_star().filter(Score::points.ge(50));
    let others = func::sum(Score::points).filter(Score::player.ne("alice"));
    let q = s
        .query_columns((Score::game, high, others))
        .group_by(Score::game)
        .order_by(Score::game);
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "scores"."game", count(*) FILTER (WHERE "scores"."points" >= $1), sum("scores"."points") FILTER (WHERE "scores"."player" <> $2) FROM "scores" GROUP BY "scores"."game" ORDER BY "scores"."game""#
    );
    assert_eq!(
        q.all().unwrap(),
        [
            ("chess".to_owned(), 2, Some(110)),
            ("go".to_owned(), 2, Some(110)),
        ]
    );
}

#[test]
fn distinct_on_keeps_the_first_row_per_key() {
    let (_db, s, _log) = scores("window_distinct_on");
    let q = s
        .query::<Score>()
        .distinct_on(Score::game)
        .order_by(Score::game)
        .order_by(Score::points.desc())
        .order_by(Score::player);
    assert_eq!(
        q.compiled().sql,
        r#"SELECT DISTINCT ON ("scores"."game") "scores"."id", "scores"."game", "scores"."player", "scores"."points" FROM "scores" ORDER BY "scores"."game", "scores"."points" DESC, "scores"."player""#
    );
    let best: Vec<(String, String)> = q
        .all()
        .unwrap()
        .iter()
        .map(|h| (h.read().game.clone(), h.read().player.clone()))
        .collect();
    assert_eq!(
        best,
        [
            ("chess".into(), "bob".into()),
            ("go".into(), "alice".into())
        ]
    );
    assert_eq!(q.count().unwrap(), 2);
}

#[test]
fn rollup_and_cube() {
    let (_db, s, _log) = scores("window_rollup");
    let q = s
        .query_columns((
            Score::game.nullable(),
            func::sum(Score::points),
            func::grouping(Score::game),
        ))
        .group_by_rollup(Score::game)
        .order_by(Score::game.asc().nulls_last());
    assert_eq!(
        q.compiled().sql,
        r#"SELECT "scores"."game", sum("scores"."points"), grouping("scores"."game") FROM "scores" GROUP BY ROLLUP("scores"."game") ORDER BY "scores"."game" NULLS LAST"#
    );
    assert_eq!(
        q.all().unwrap(),
        [
            (Some("chess".to_owned()), Some(140), 0),
            (Some("go".to_owned()), Some(180), 0),
            (None, Some(320), 1),
        ]
    );
    let cube = s
        .query_columns((
            Score::game.nullable(),
            Score::player.nullable(),
            func::count_star(),
        ))
        .group_by_cube((Score::game, Score::player));
    assert!(cube
        .compiled()
        .sql
        .ends_with(r#"GROUP BY CUBE("scores"."game", "scores"."player")"#));
    // 7 (game, player) pairs, 2 games, 6 players, 1 grand total.
    assert_eq!(cube.count().unwrap(), 16);
}
