//! Compile-fail tests for `#[derive(Model)]` and the typed API, with the blessed
//! compiler output beside each file in `ui/` (`TRYBUILD=overwrite` re-blesses).
//!
//! The cases are grouped, one module per rule named after it, in files by when
//! the error is found: attributes and relationships (by the derive itself), types
//! (by type checking the generated code) and lints (on the generated code). trybuild first builds this
//! package's dependencies in a target directory of its own; this package depends on
//! orm-core only, not on the backend and the test helpers, which is most of what
//! made the suite slow when it lived in the `tests` crate.

#[test]
fn derive_errors_point_at_the_user_span() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
}
