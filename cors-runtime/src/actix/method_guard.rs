//! The method guard of a `#[cors]` route.

use actix_web::guard::{Guard, GuardContext};

/// Matches requests whose method is one of these (compared byte for byte).
///
/// The `#[cors]` macro puts it on the route's resource, in place of the method guards that
/// `#[get]` and friends would add.
#[derive(Debug, Clone, Copy)]
pub struct MethodGuard(pub &'static [&'static str]);

impl Guard for MethodGuard {
    fn check(&self, ctx: &GuardContext<'_>) -> bool {
        let method = ctx.head().method.as_str();
        self.0.contains(&method)
    }
}
