//! What the tutorial prints: each result beside the tutorial's Python and the Rust
//! call that produced it, written so that a closed pipe (`blog-example | head`) ends
//! the run quietly instead of panicking.

use orm_core::Error;
use std::fmt;
use std::io::{self, Write};

/// Why the tutorial stopped early.
#[derive(Debug)]
pub enum Stop {
    /// The ORM or the database failed.
    Orm(Error),
    /// Standard output is gone (the reader closed the pipe) or failed.
    Output(io::Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Orm(e)
    }
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Self {
        Stop::Output(e)
    }
}

/// The result of a tutorial step.
pub type Step<T = ()> = Result<T, Stop>;

/// Where the Python side ends and the Rust call begins, in characters.
const RUST_COLUMN: usize = 56;

/// The tutorial's output (standard output, or any writer in tests).
pub struct Out<W: Write> {
    w: W,
}

impl<W: Write> Out<W> {
    /// Prints to `w`.
    pub fn new(w: W) -> Self {
        Out { w }
    }

    /// A step heading: `== title ==` after a blank line.
    pub fn step(&mut self, title: &str) -> io::Result<()> {
        writeln!(self.w, "\n== {title} ==")
    }

    /// A line of text.
    pub fn line(&mut self, text: impl fmt::Display) -> io::Result<()> {
        writeln!(self.w, "{text}")
    }

    /// `python = value` and, beside it, `# Rust: rust`.
    pub fn shown(&mut self, python: &str, rust: &str, value: &dyn Shown) -> io::Result<()> {
        self.beside(&format!("{python} = {}", value.shown()), rust)
    }

    /// `python` (a statement with no value to show) and, beside it, `# Rust: rust`.
    pub fn ran(&mut self, python: &str, rust: &str) -> io::Result<()> {
        self.beside(python, rust)
    }

    fn beside(&mut self, left: &str, rust: &str) -> io::Result<()> {
        let pad = RUST_COLUMN.saturating_sub(left.chars().count()).max(2);
        writeln!(self.w, "{left}{:pad$}# Rust: {rust}", "")
    }
}

/// A value printed the way the tutorial's Python prints it (`None` for a missing
/// value, text as is).
pub trait Shown {
    /// The printed form.
    fn shown(&self) -> String;
}

impl Shown for String {
    fn shown(&self) -> String {
        self.clone()
    }
}

impl Shown for bool {
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl Shown for u64 {
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl Shown for u32 {
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl Shown for i32 {
    fn shown(&self) -> String {
        self.to_string()
    }
}

impl<T: Shown> Shown for Option<T> {
    fn shown(&self) -> String {
        self.as_ref()
            .map_or_else(|| "None".to_owned(), Shown::shown)
    }
}

impl Shown for Vec<String> {
    fn shown(&self) -> String {
        format!("{self:?}")
    }
}

impl Shown for (String, String) {
    fn shown(&self) -> String {
        format!("{self:?}")
    }
}

/// The Rust source of an expression as `stringify!` gives it, on one line (it
/// breaks long ones, before a `.` or after a `,`).
pub fn rust_text(source: &str) -> String {
    let mut text = String::new();
    for part in source.lines().map(str::trim) {
        if !text.is_empty() && !part.starts_with('.') {
            text.push(' ');
        }
        text.push_str(part);
    }
    text
}

/// Evaluates a Rust expression, prints it beside the tutorial's Python and its
/// value (`out.shown`), and gives the value back: the Rust shown is the code that ran.
macro_rules! show {
    ($out:expr, $python:expr, $rust:expr) => {{
        let value = $rust;
        $out.shown(
            $python,
            &$crate::output::rust_text(stringify!($rust)),
            &value,
        )?;
        value
    }};
}

/// Evaluates a Rust expression whose value is not shown, printing it beside the
/// tutorial's Python (`out.ran`), and gives the value back.
macro_rules! ran {
    ($out:expr, $python:expr, $rust:expr) => {{
        let value = $rust;
        $out.ran($python, &$crate::output::rust_text(stringify!($rust)))?;
        value
    }};
}

pub(crate) use {ran, show};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rust_call_is_printed_beside_the_python() {
        let mut out = Out::new(Vec::new());
        out.shown("article1.id", "article1.id()", &None::<i32>)
            .unwrap();
        out.ran(&"x".repeat(60), "f()").unwrap();
        let text = String::from_utf8(out.w).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            format!("article1.id = None{}# Rust: article1.id()", " ".repeat(38))
        );
        assert_eq!(lines[1], format!("{}  # Rust: f()", "x".repeat(60)));
    }

    #[test]
    fn stringified_rust_is_one_line() {
        assert_eq!(rust_text("f((a,\nb))"), "f((a, b))");
        assert_eq!(rust_text("a()?\n.b()"), "a()?.b()");
    }
}
