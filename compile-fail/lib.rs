//! Compile-fail tests of `#[derive(Model)]` and the typed API: the cases are in
//! `ui/`, run by `compile_fail.rs` (`cargo test -p orm-compile-fail`). This library
//! is empty: the package exists so that trybuild builds only what the cases use.
