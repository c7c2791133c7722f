use orm_core::{CustomType, Model};

#[derive(Debug, Clone, PartialEq)]
struct Point {
    x: i32,
    y: i32,
}

impl CustomType for Point {
    type Repr = String;

    fn to_repr(&self) -> String {
        format!("{},{}", self.x, self.y)
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Polygon(Vec<(i32, i32)>);

impl CustomType for Polygon {
    type Repr = Vec<(i32, i32)>;

    fn to_repr(&self) -> Vec<(i32, i32)> {
        self.0.clone()
    }

    fn from_repr(points: Vec<(i32, i32)>) -> orm_core::Result<Self> {
        Ok(Polygon(points))
    }
}

#[derive(Model, Clone)]
struct Shape {
    #[orm(primary_key)]
    id: Option<i32>,
    at: Point,
}

fn main() {}
