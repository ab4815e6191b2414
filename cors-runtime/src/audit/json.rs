//! The audit as JSON: what each `#[cors]` route promises, for tools that check a running
//! deployment against it (`cors-check --deployment`).

use crate::report_only::ReportOnly;
use std::fmt::{self, Write as _};

use crate::actix::{Mounted, RouteCors};
use crate::origin_source::SourceKind;
use crate::origins::AllowedOrigins;

/// The version of the JSON document [`Json`] writes; it changes when a field changes meaning or
/// goes away (new fields may be added without a new version).
pub const JSON_VERSION: u32 = 1;

/// Routes as a JSON document, for tools: the route's identity, what it serves, which origins it
/// allows and the exact CORS header values it sends.
///
/// ```text
/// {
///   "format": "actix-route-cors audit",
///   "version": 1,
///   "routes": [
///     {
///       "handler": "me",                        // the handler function
///       "policy": "SPA",                        // the named policy, or null
///       "path": "/me",                          // as written in the route attribute
///       "mounted_paths": ["/api/me"],           // full paths, with `Json::mounted` (else [])
///       "methods": ["GET"],                     // served by the handler at this path
///       "preflight_methods": ["GET"],           // a preflight may ask for these
///       "origins": {
///         "any": false,                         // `*`
///         "list": ["https://app.example.com"],  // exact origins and `https://*.example.com` patterns (a source's list in force);
///                                               // null for a source not loaded, a function or a lookup
///         "source": null                        // "env VAR" or "startup <what>" for an OriginSource, "fn <path>" for a
///                                               // function, "lookup <description>" for an OriginLookup
///       },
///       "credentials": true,
///       "private_network": false,
///       "protects_writes": true,                // cross-origin writes from other origins are refused
///       "websocket": false,                     // declared a WebSocket endpoint (`websocket`)
///       "mode": "enforced",                     // or "report_only", "report_only_writes", as in force now
///       "headers": {                            // the exact values sent, or null when not sent
///         "access-control-allow-methods": "GET",
///         "access-control-allow-headers": "content-type",
///         "access-control-expose-headers": null,
///         "access-control-max-age": "600"
///       }
///     }
///   ]
/// }
/// ```
///
/// Strings are escaped as JSON requires; the document is pretty-printed, one key per line.
#[derive(Debug, Clone, Copy)]
pub struct Json<'a> {
    routes: &'a [&'static RouteCors],
    mounted: Option<&'a Mounted>,
}

impl<'a> Json<'a> {
    /// The document of `routes` (usually [`routes()`](super::routes)).
    pub fn new(routes: &'a [&'static RouteCors]) -> Self {
        Self {
            routes,
            mounted: None,
        }
    }

    /// The document with the full paths at which the routes are mounted in one app
    /// (`mounted_paths`), which `cors-check --deployment` requests.
    pub fn mounted(self, mounted: &'a Mounted) -> Self {
        Self {
            mounted: Some(mounted),
            ..self
        }
    }
}

/// A string, quoted and escaped for JSON.
struct Str<'a>(&'a str);

impl fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c if u32::from(c) < 0x20 => write!(f, "\\u{:04x}", u32::from(c))?,
                c => f.write_char(c)?,
            }
        }
        f.write_char('"')
    }
}

/// An optional string: quoted, or `null`.
struct OptStr<'a>(Option<&'a str>);

impl fmt::Display for OptStr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(s) => Str(s).fmt(f),
            None => f.write_str("null"),
        }
    }
}

/// A list of strings on one line.
struct List<I>(I);

impl<I, S> fmt::Display for List<I>
where
    I: IntoIterator<Item = S> + Clone,
    S: AsRef<str>,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('[')?;
        for (i, s) in self.0.clone().into_iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            Str(s.as_ref()).fmt(f)?;
        }
        f.write_char(']')
    }
}

fn route(f: &mut fmt::Formatter<'_>, r: &RouteCors, mounted: Option<&Mounted>) -> fmt::Result {
    let info = r.info();
    let policy = r.policy();
    let origins = policy.origins();
    let source = match origins {
        AllowedOrigins::Configured(s) => Some(match s.kind() {
            SourceKind::Env(var) => format!("env {var}"),
            SourceKind::Startup(what) => format!("startup {what}"),
        }),
        AllowedOrigins::Function(function) => Some(format!("fn {}", function.name())),
        AllowedOrigins::Lookup(lookup) => Some(format!("lookup {}", lookup.description())),
        _ => None,
    };
    let list: Option<Vec<String>> = match origins {
        AllowedOrigins::Any => Some(Vec::new()),
        AllowedOrigins::Configured(source) => source.origins().map(|list| list.to_vec()),
        other => other
            .patterns()
            .map(|p| p.iter().map(ToString::to_string).collect()),
    };
    let mounted = mounted.map(|m| m.paths(r)).unwrap_or_default();
    writeln!(f, "    {{")?;
    writeln!(f, "      \"handler\": {},", Str(info.handler()))?;
    writeln!(f, "      \"policy\": {},", OptStr(info.policy_name()))?;
    writeln!(f, "      \"path\": {},", Str(info.path()))?;
    writeln!(f, "      \"mounted_paths\": {},", List(mounted.iter()))?;
    writeln!(f, "      \"methods\": {},", List(info.methods().iter()))?;
    writeln!(
        f,
        "      \"preflight_methods\": {},",
        List(policy.methods().iter())
    )?;
    writeln!(f, "      \"origins\": {{")?;
    writeln!(
        f,
        "        \"any\": {},",
        matches!(origins, AllowedOrigins::Any)
    )?;
    match &list {
        Some(list) => writeln!(f, "        \"list\": {},", List(list.iter()))?,
        None => writeln!(f, "        \"list\": null,")?,
    }
    writeln!(f, "        \"source\": {}", OptStr(source.as_deref()))?;
    writeln!(f, "      }},")?;
    writeln!(f, "      \"credentials\": {},", policy.credentials())?;
    writeln!(
        f,
        "      \"private_network\": {},",
        policy.private_network()
    )?;
    writeln!(
        f,
        "      \"protects_writes\": {},",
        policy.protects_writes()
    )?;
    writeln!(f, "      \"websocket\": {},", info.is_websocket())?;
    let mode = match policy.report_only().in_force() {
        ReportOnly::Nothing => "enforced",
        ReportOnly::Writes => "report_only_writes",
        ReportOnly::Everything => "report_only",
    };
    writeln!(f, "      \"mode\": {},", Str(mode))?;
    writeln!(f, "      \"headers\": {{")?;
    writeln!(
        f,
        "        \"access-control-allow-methods\": {},",
        Str(policy.allow_methods_value())
    )?;
    writeln!(
        f,
        "        \"access-control-allow-headers\": {},",
        OptStr(policy.allow_headers_value())
    )?;
    writeln!(
        f,
        "        \"access-control-expose-headers\": {},",
        OptStr(policy.expose_value())
    )?;
    writeln!(
        f,
        "        \"access-control-max-age\": {}",
        OptStr(policy.max_age_value())
    )?;
    writeln!(f, "      }}")?;
    write!(f, "    }}")
}

impl fmt::Display for Json<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{{")?;
        writeln!(f, "  \"format\": \"actix-route-cors audit\",")?;
        writeln!(f, "  \"version\": {JSON_VERSION},")?;
        if self.routes.is_empty() {
            return writeln!(f, "  \"routes\": []\n}}");
        }
        writeln!(f, "  \"routes\": [")?;
        for (i, r) in self.routes.iter().enumerate() {
            route(f, r, self.mounted)?;
            writeln!(f, "{}", if i + 1 < self.routes.len() { "," } else { "" })?;
        }
        writeln!(f, "  ]")?;
        writeln!(f, "}}")
    }
}

#[cfg(test)]
mod tests {
    use super::Str;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(
            Str("a\"b\\c\n\u{1}é{id:\\d+}").to_string(),
            "\"a\\\"b\\\\c\\n\\u0001é{id:\\\\d+}\""
        );
    }
}
