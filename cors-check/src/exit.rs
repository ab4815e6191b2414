//! How a run ends: its exit status, and the message of a usage error.

use crate::cli::USAGE;

/// Exit status: a browser would allow the request (with `--deployment`: every route answers as
/// its policy says; with `--probe`: no finding).
pub const ALLOWED: u8 = 0;
/// Exit status: a browser would block the request (with `--deployment`: some route answers
/// otherwise; with `--probe`: a finding).
pub const BLOCKED: u8 = 1;
/// Exit status: usage or network error (a certificate a browser refuses is one; with
/// `--deployment`, an audit that cannot be read too).
pub const ERROR: u8 = 2;

/// Prints `message` and the usage text on standard error; returns [`ERROR`].
pub fn usage_error(message: &str) -> u8 {
    eprintln!("cors-check: {message}\n\n{USAGE}");
    ERROR
}
