//! The tenants example's `App` and database, as a library: `main.rs` serves them, and so do
//! this package's test (`tests/tenants.rs`) and the browser suite (`tests/browser`).

#![forbid(unsafe_code)]

pub mod app;
pub mod db;
