use orm_core::{window, Model};

#[derive(Model, Clone)]
#[orm(table = "scores")]
struct Score {
    #[orm(primary_key)]
    id: i32,
    game: String,
    points: i32,
}

fn main() {
    let rank = window::rank().over(window::partition_by(Score::game));
    let _ = rank.clone().le(3);
    let _ = rank.le("first");
}
