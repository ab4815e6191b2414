//! Which origins a policy allows, and how a policy holds them: written (`*`, a list) or
//! named (`origins = NAME`: an [`OriginSource`], a function, an [`OriginLookup`]).

#[cfg(feature = "actix")]
use crate::lookup::OriginLookup;
#[cfg(feature = "actix")]
use crate::origin_fn::OriginFn;
use crate::origin_pattern::OriginPattern;
use crate::origin_source::OriginSource;

/// Which origins a policy allows (see [`Policy::origins`](crate::Policy::origins)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AllowedOrigins {
    /// `*`: every origin, answered with `Access-Control-Allow-Origin: *`.
    Any,
    /// These origins, each answered by echoing the request's `Origin`.
    List(&'static [OriginPattern]),
    /// The origins of an [`OriginSource`] (the list in force: it can be replaced while the
    /// server runs), each answered by echoing the request's `Origin`. Before the source is
    /// filled, no origin is allowed.
    Configured(&'static OriginSource),
    /// The origins a function of the request allows (`origins = FUNCTION`), each answered by
    /// echoing the request's `Origin`.
    #[cfg(feature = "actix")]
    Function(OriginFn),
    /// The origins an [`OriginLookup`] allows (`origins = LOOKUP`): asked once per origin and
    /// cached, each answered by echoing the request's `Origin`.
    #[cfg(feature = "actix")]
    Lookup(&'static OriginLookup),
}

impl AllowedOrigins {
    /// The origins written in the policy, `None` for `*` and for origins decided at run time
    /// (an [`OriginSource`]'s list in force is [`OriginSource::origins`]).
    ///
    /// ```
    /// use cors_runtime::{AllowedOrigins, OriginPattern, OriginSource};
    ///
    /// static LIST: [OriginPattern; 1] = [OriginPattern::Exact("https://app.example.com")];
    /// assert_eq!(AllowedOrigins::List(&LIST).patterns(), Some(&LIST[..]));
    /// assert_eq!(AllowedOrigins::Any.patterns(), None);
    ///
    /// static TENANTS: OriginSource = OriginSource::startup("tenants");
    /// TENANTS.set(["https://*.tenants.example"]).unwrap();
    /// assert_eq!(AllowedOrigins::Configured(&TENANTS).patterns(), None);
    /// ```
    pub fn patterns(&self) -> Option<&'static [OriginPattern]> {
        match *self {
            AllowedOrigins::List(list) => Some(list),
            _ => None,
        }
    }
}

/// How a [`Policy`](crate::Policy) holds its origins, as the `#[cors]` macro writes them: origins named with
/// `origins = NAME` are held through [`IsOriginSource`], so that a value of another type is a
/// compile error that says what `origins = NAME` expects (a `static` cannot call a trait
/// method, so the kind is read from it when a request needs it: see [`Policy::origins`](crate::Policy::origins)).
#[doc(hidden)]
#[derive(Clone, Copy)]
pub enum Origins {
    /// `*`.
    Any,
    /// These origins.
    List(&'static [OriginPattern]),
    /// The origins of an [`OriginSource`], a function or an [`OriginLookup`].
    Configured(&'static dyn IsOriginSource),
}

impl Origins {
    /// What the policy's origins are.
    pub(crate) fn view(self) -> AllowedOrigins {
        match self {
            Origins::Any => AllowedOrigins::Any,
            Origins::List(list) => AllowedOrigins::List(list),
            Origins::Configured(named) => named.origins(),
        }
    }
}

impl std::fmt::Debug for Origins {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.view().fmt(f)
    }
}

impl PartialEq for Origins {
    fn eq(&self, other: &Self) -> bool {
        self.view() == other.view()
    }
}

impl Eq for Origins {}

/// What `#[cors(origins = NAME)]` needs `NAME` to be: a `static` [`OriginSource`], a `static`
/// [`OriginLookup`], or a function `fn(origin: &str, head: &RequestHead) -> bool`. The macro
/// names it through this trait, so that anything else is an error on the user's token that
/// says so.
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "`origins = ..` names `{Self}`, which is neither an `OriginSource`, an `OriginLookup`, nor a function `fn(&str, &RequestHead) -> bool`",
    label = "not an `OriginSource`, an `OriginLookup` or an origin function",
    note = "write the origins in brackets, as in `origins = [\"https://app.example.com\"]`; or name a `static` declared as `static FRONTEND: OriginSource = OriginSource::env(\"FRONTEND_ORIGINS\");` or `static TENANTS: OriginLookup = OriginLookup::new(\"tenant origins\");`",
    note = "or name a function with this signature: `fn allows(origin: &str, head: &actix_web::dev::RequestHead) -> bool`"
)]
pub trait IsOriginSource: Sync {
    /// Which origins it allows.
    fn origins(&'static self) -> AllowedOrigins;
}

#[diagnostic::do_not_recommend]
impl IsOriginSource for OriginSource {
    fn origins(&'static self) -> AllowedOrigins {
        AllowedOrigins::Configured(self)
    }
}

#[cfg(feature = "actix")]
#[diagnostic::do_not_recommend]
impl IsOriginSource for OriginLookup {
    fn origins(&'static self) -> AllowedOrigins {
        AllowedOrigins::Lookup(self)
    }
}

#[cfg(feature = "actix")]
#[diagnostic::do_not_recommend]
impl<F> IsOriginSource for F
where
    F: Fn(&str, &actix_web::dev::RequestHead) -> bool + Sync + 'static,
{
    fn origins(&'static self) -> AllowedOrigins {
        AllowedOrigins::Function(OriginFn::new(self, std::any::type_name::<F>()))
    }
}
