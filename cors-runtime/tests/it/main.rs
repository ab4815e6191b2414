//! The runtime's integration tests, as modules of one test binary (one link of actix-web and
//! proptest for all of them): the validation rules (`rules.rs`), the CORS decisions without
//! actix-web (`algorithm.rs`), and property tests over generated policies and requests, the
//! pure decisions and through a real actix-web service (`properties.rs`).

mod algorithm;
mod dangerous_origins;
mod properties;
mod rules;
