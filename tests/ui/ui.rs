//! Compile-time diagnostics of `#[cors]` (`fail/`, each with the `.stderr` a user sees) and
//! programs that must compile and run (`pass/`).
//!
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test -p ui-tests`, then read
//! them.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("fail/*.rs");
    t.pass("pass/*.rs");
}
