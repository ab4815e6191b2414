//! Compile-time diagnostics of `#[cors]` (`tests/ui/fail`, each with the `.stderr` a user sees)
//! and programs that must compile (`tests/ui/pass`).
//!
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test --test ui`, then read them.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/fail/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
