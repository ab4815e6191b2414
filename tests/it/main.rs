//! The facade's integration tests, as modules of one test binary (one link of actix-web for
//! all of them). Requests go through a real `App`, with the request helpers and the log capture
//! of `tests/support/mod.rs`; `origin_forms.rs` runs the scenarios every form of origins passes
//! over the one policy of `tests/support/policy.rs`.
//!
//! Three tests keep a binary of their own, each for a property of the whole process:
//! `tests/allocations.rs` (a counting `#[global_allocator]`, and no logger installed),
//! `tests/audit.rs` (`audit::routes()` lists every `#[cors]` route linked into the program, and
//! that binary links exactly the audit example's) and `tests/log_records.rs` (it installs its
//! own logger, and the hint it checks is logged once per process, and not at all once a
//! `CorsFirst` was built).

#[path = "../support/policy.rs"]
mod policy;
#[path = "../support/mod.rs"]
mod support;

mod configured_origins;
mod conformance;
mod cross_origin_writes;
mod hostile;
mod live_reload;
#[cfg(feature = "metrics")]
mod metrics;
mod migration;
mod named_policies;
mod origin_fn;
mod origin_forms;
mod origin_lookup;
mod report_only;
mod runtime_actual;
mod runtime_errors;
mod runtime_preflight;
mod rust_version;
