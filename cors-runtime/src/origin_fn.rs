//! Origins decided by a function of the request: `#[cors(origins = FUNCTION)]`.

use std::fmt;

use actix_web::dev::RequestHead;

/// The function a policy's `origins = FUNCTION` names, with its path (for the audit, log
/// records and refusals).
///
/// The function is `fn(origin: &str, head: &RequestHead) -> bool`: the request's `Origin`
/// (visible ASCII, at most [`MAX_ASKED_ORIGIN_LEN`](crate::MAX_ASKED_ORIGIN_LEN) bytes; any
/// other value is refused without calling it) and the request's head (method, URI, headers),
/// so that a tenant named by the host or a path segment can be told apart. It is called once
/// per request that carries one `Origin`, preflights included, on the worker's thread: it
/// must not block (a database is asked through an [`OriginLookup`](crate::OriginLookup)).
///
/// `null` (the origin of sandboxed documents and `file:` pages) is passed like any other
/// origin: it is allowed only if the function returns `true` for `"null"`.
#[derive(Clone, Copy)]
pub struct OriginFn {
    f: &'static (dyn Fn(&str, &RequestHead) -> bool + Sync),
    name: &'static str,
}

impl OriginFn {
    /// The function `f`, named `name`.
    pub(crate) fn new(
        f: &'static (dyn Fn(&str, &RequestHead) -> bool + Sync),
        name: &'static str,
    ) -> Self {
        Self { f, name }
    }

    /// The function's path, as `std::any::type_name` gives it (`my_app::tenants::allows`).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Asks the function about `origin`.
    pub fn call(&self, origin: &str, head: &RequestHead) -> bool {
        (self.f)(origin, head)
    }
}

impl fmt::Debug for OriginFn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OriginFn({})", self.name)
    }
}

/// Two are equal when they name the same function.
impl PartialEq for OriginFn {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && std::ptr::addr_eq(self.f, other.f)
    }
}

impl Eq for OriginFn {}
