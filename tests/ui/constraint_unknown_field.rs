use orm_core::Model;

#[derive(Model, Clone, Default)]
#[orm(unique(team_id, usr_id))]
#[orm(index(cache))]
#[orm(unique(team_id, team_id))]
struct Membership {
    #[orm(primary_key)]
    id: Option<i32>,
    team_id: i32,
    user_id: i32,
    #[orm(skip)]
    cache: Vec<u8>,
}

fn main() {}
