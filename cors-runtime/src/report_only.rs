//! Report-only mode: a policy evaluated and recorded, but not enforced.

use std::sync::atomic::{AtomicU8, Ordering};

/// What a route only reports instead of enforcing: the `report_only` key of `#[cors]` and
/// `cors_policy!`, or [`report_only_everywhere`] for every route of the process.
///
/// In report-only mode the policy is evaluated for every request exactly as when it is
/// enforced, and what it would have done is recorded (a log record that says "would refuse"
/// and why, and the metrics), but the route's responses do not change.
///
/// ```
/// use cors_runtime::ReportOnly;
///
/// assert!(ReportOnly::Everything > ReportOnly::Writes);
/// assert!(ReportOnly::Writes > ReportOnly::Nothing);
/// assert_eq!(ReportOnly::Writes.to_string(), "report-only writes");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[repr(u8)]
pub enum ReportOnly {
    /// The policy is enforced (the default).
    #[default]
    Nothing = 0,
    /// Requests refused before the handler — cross-origin writes and WebSocket handshakes from
    /// origins the policy does not allow — reach it, and are recorded as "would refuse"; the
    /// CORS headers are enforced. The usual first step before turning write protection on.
    Writes = 1,
    /// Nothing the route sends changes: no CORS header is added or removed, no preflight is
    /// answered (it goes where it would go without `#[cors]`), nothing is refused before the
    /// handler. Every decision is recorded.
    Everything = 2,
}

impl ReportOnly {
    /// The stronger of `self` and the process-wide setting ([`report_only_everywhere`]): what
    /// a route whose policy says `self` does now. One atomic load.
    #[inline]
    pub fn in_force(self) -> ReportOnly {
        let everywhere = match EVERYWHERE.load(Ordering::Relaxed) {
            0 => ReportOnly::Nothing,
            1 => ReportOnly::Writes,
            _ => ReportOnly::Everything,
        };
        self.max(everywhere)
    }

    /// Whether requests refused before the handler are only reported.
    #[inline]
    pub fn spares_writes(self) -> bool {
        self >= ReportOnly::Writes
    }

    /// Whether nothing is enforced.
    #[inline]
    pub fn spares_everything(self) -> bool {
        self == ReportOnly::Everything
    }
}

impl std::fmt::Display for ReportOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ReportOnly::Nothing => "enforced",
            ReportOnly::Writes => "report-only writes",
            ReportOnly::Everything => "report-only",
        })
    }
}

static EVERYWHERE: AtomicU8 = AtomicU8::new(ReportOnly::Nothing as u8);

/// Puts every `#[cors]` route of the process in report-only mode, at least as far as `mode`
/// says (a route whose own policy says more keeps it): the switch for a whole app, usually set
/// once at start-up from configuration, and changeable while the server runs (each request
/// reads it once).
///
/// ```
/// use cors_runtime::{report_only_everywhere, ReportOnly};
///
/// report_only_everywhere(ReportOnly::Writes);
/// assert_eq!(ReportOnly::Nothing.in_force(), ReportOnly::Writes);
/// assert_eq!(ReportOnly::Everything.in_force(), ReportOnly::Everything);
/// report_only_everywhere(ReportOnly::Nothing);
/// assert_eq!(ReportOnly::Nothing.in_force(), ReportOnly::Nothing);
/// ```
pub fn report_only_everywhere(mode: ReportOnly) {
    EVERYWHERE.store(mode as u8, Ordering::Relaxed);
}
