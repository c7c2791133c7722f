//! Compile-fail tests for `#[derive(Model)]`: one file per rule in `tests/ui/`, each
//! with the blessed compiler output beside it (`TRYBUILD=overwrite` re-blesses).

#[test]
fn derive_errors_point_at_the_user_span() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
}
