//! Where browser engines differ from the Fetch standard or from each other: one entry per
//! difference, each engine's behaviour with the version it was measured in (or the source it
//! was read from), and the links. The whole table is [`DEVIATIONS`], so that it can be
//! reviewed in one place; [`checks`](super::checks) asks it, and the report words it.
//!
//! An entry is added only for what was measured in a real engine or can be cited (a bug, a
//! source file, a status entry). Everything not listed here is taken to be as the Fetch
//! standard says, in every engine.
//!
//! `--engine` chooses whose verdict the exit status is ([`Judge`]): the Fetch standard's (the
//! default) or one engine's.

use std::fmt;

/// A browser engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Chromium's (Chrome, Edge, Opera, Brave, ...).
    Chromium,
    /// Firefox's (Gecko).
    Firefox,
    /// WebKit (Safari, and every browser on iOS; WebKitGTK and WPE on Linux).
    WebKit,
}

impl Engine {
    /// Every engine, in the order the report names them.
    pub const ALL: [Engine; 3] = [Engine::Chromium, Engine::Firefox, Engine::WebKit];

    /// The engine's name, as the report writes it.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Chromium => "Chromium",
            Engine::Firefox => "Firefox",
            Engine::WebKit => "WebKit",
        }
    }

    /// The value of `--engine` that names it.
    pub fn option(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox",
            Engine::WebKit => "webkit",
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whose verdict decides the exit status: `--engine`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Judge {
    /// The Fetch standard's (the default): where an engine differs, the report says so beside
    /// the verdict.
    #[default]
    Standard,
    /// One engine's, as [`DEVIATIONS`] records it.
    Engine(Engine),
}

impl Judge {
    /// Reads the value of `--engine`: `chromium`, `firefox`, `webkit` or `standard`.
    pub fn parse(value: &str) -> Result<Judge, String> {
        if value == "standard" {
            return Ok(Judge::Standard);
        }
        Engine::ALL
            .into_iter()
            .find(|e| e.option() == value)
            .map(Judge::Engine)
            .ok_or_else(|| {
                format!("--engine `{value}`: write chromium, firefox, webkit or standard (the default: the Fetch standard's verdict)")
            })
    }

    /// Whether this judge lets `quirk` pass where the standard refuses it.
    pub fn allows(self, quirk: Quirk) -> bool {
        match self {
            Judge::Standard => false,
            Judge::Engine(engine) => !deviation(quirk).behaviour(engine).follows_standard,
        }
    }

    /// Who blocks or allows, as the verdict names it: `a browser that follows the Fetch
    /// standard`, `Chromium`.
    pub fn who(self) -> &'static str {
        match self {
            Judge::Standard => "a browser",
            Judge::Engine(engine) => engine.name(),
        }
    }
}

/// A difference between the standard and the engines, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quirk {
    /// `Access-Control-Allow-Headers: *` taken to cover `authorization` (no credentials).
    AuthorizationCoveredByWildcard,
}

/// What one engine does about one [`Deviation`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Behaviour {
    /// The engine.
    pub engine: Engine,
    /// The engine and the version it was established in, as the report names it: `Chromium
    /// 156`.
    pub version: &'static str,
    /// It does what the standard says.
    pub follows_standard: bool,
    /// How it is known: `measured` (run in the engine) or `read` (in its source or bug
    /// tracker).
    pub evidence: Evidence,
    /// Where it is written down.
    pub source: &'static str,
}

/// How a [`Behaviour`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// Run in the engine: a page on one origin, `fetch()` to a server on another, driven
    /// through W3C WebDriver on the team's machine.
    Measured,
    /// Read in the engine's source, bug tracker or status entry.
    Read,
}

/// One difference between the Fetch standard and what engines do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deviation {
    /// Its name.
    pub quirk: Quirk,
    /// What the server sends and the page asks for, in words.
    pub case: &'static str,
    /// What the Fetch standard says of it.
    pub standard: &'static str,
    /// Where the standard says it.
    pub standard_source: &'static str,
    /// Where a change is discussed.
    pub discussion: &'static str,
    /// Each engine's behaviour, in [`Engine::ALL`]'s order.
    pub engines: [Behaviour; 3],
    /// What an engine that differs does, after its name: ``lets `*` cover `authorization` ``.
    pub engine_does: &'static str,
    /// The same after several names: ``let `*` cover `authorization` ``.
    pub engines_do: &'static str,
    /// What to do on the server so that every engine and the standard agree.
    pub fix: &'static str,
}

impl Deviation {
    /// What `engine` does.
    pub fn behaviour(&self, engine: Engine) -> &Behaviour {
        // `engines` is in `Engine::ALL`'s order: its index is the engine's.
        &self.engines[Engine::ALL.iter().position(|e| *e == engine).unwrap_or(0)]
    }

    /// The engines that do not follow the standard here.
    pub fn lenient(&self) -> impl Iterator<Item = &Behaviour> {
        self.engines.iter().filter(|b| !b.follows_standard)
    }
}

/// Every recorded difference.
pub const DEVIATIONS: [Deviation; 1] = [Deviation {
    quirk: Quirk::AuthorizationCoveredByWildcard,
    case: "`Access-Control-Allow-Headers: *` in a preflight's answer, and a request without credentials that sends `Authorization`",
    standard: "`*` covers every request header name except `authorization`, which must be listed by name (a CORS non-wildcard request-header name): the request is blocked",
    standard_source: "https://fetch.spec.whatwg.org/#cors-non-wildcard-request-header-name",
    discussion: "https://github.com/whatwg/fetch/issues/1919",
    engines: [
        Behaviour {
            engine: Engine::Chromium,
            version: "Chromium 156",
            follows_standard: false,
            evidence: Evidence::Measured,
            // The standard's check sits behind CorsNonWildcardRequestHeadersSupport, disabled
            // by default; the old behaviour's deprecation is a DevTools issue.
            source: "https://chromestatus.com/feature/5742041264816128 (services/network/cors/preflight_result.cc: the check is behind kCorsNonWildcardRequestHeadersSupport, disabled by default)",
        },
        Behaviour {
            engine: Engine::Firefox,
            version: "Firefox 153",
            follows_standard: false,
            evidence: Evidence::Measured,
            source: "https://bugzilla.mozilla.org/show_bug.cgi?id=1687364 (pref network.cors_preflight.authorization_covered_by_wildcard, true by default)",
        },
        Behaviour {
            engine: Engine::WebKit,
            version: "WebKit 2.50",
            follows_standard: false,
            evidence: Evidence::Measured,
            source: "https://github.com/whatwg/fetch/issues/1919 (Safari allows it too)",
        },
    ],
    engine_does: "lets `*` cover `authorization`",
    engines_do: "let `*` cover `authorization`",
    fix: "list `authorization` by name in Access-Control-Allow-Headers",
}];

/// The entry of `quirk`.
pub fn deviation(quirk: Quirk) -> &'static Deviation {
    DEVIATIONS
        .iter()
        .find(|d| d.quirk == quirk)
        .unwrap_or(&DEVIATIONS[0])
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.into_iter().collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The versions of the engines that do not follow the standard for `quirk`, but `except`:
/// `Chromium 156, Firefox 153 and WebKit 2.50`.
pub fn lenient_engines(quirk: Quirk, except: Option<Engine>) -> String {
    and_list(
        deviation(quirk)
            .lenient()
            .filter(|b| Some(b.engine) != except)
            .map(|b| b.version),
    )
}

/// How what [`lenient_engines`] names is known: `measured`, `read in their source` or both.
pub fn evidence(quirk: Quirk) -> &'static str {
    let lenient: Vec<&Behaviour> = deviation(quirk).lenient().collect();
    if lenient.iter().all(|b| b.evidence == Evidence::Measured) {
        "measured"
    } else if lenient.iter().all(|b| b.evidence == Evidence::Read) {
        "read in their source"
    } else {
        "measured or read in their source"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_engine_order_and_cites_each_fact() {
        for d in &DEVIATIONS {
            for (behaviour, engine) in d.engines.iter().zip(Engine::ALL) {
                assert_eq!(behaviour.engine, engine);
                assert!(behaviour.version.starts_with(engine.name()));
                assert!(behaviour.source.starts_with("https://"));
            }
            assert!(d
                .standard_source
                .starts_with("https://fetch.spec.whatwg.org/"));
            assert!(d.discussion.starts_with("https://"));
        }
    }

    #[test]
    fn judges() {
        assert_eq!(Judge::parse("standard"), Ok(Judge::Standard));
        assert_eq!(Judge::parse("webkit"), Ok(Judge::Engine(Engine::WebKit)));
        assert!(Judge::parse("safari")
            .unwrap_err()
            .starts_with("--engine `safari`"));
        let q = Quirk::AuthorizationCoveredByWildcard;
        assert!(!Judge::Standard.allows(q));
        for engine in Engine::ALL {
            assert!(Judge::Engine(engine).allows(q), "{engine}");
        }
        assert_eq!(
            lenient_engines(q, None),
            "Chromium 156, Firefox 153 and WebKit 2.50"
        );
        assert_eq!(
            lenient_engines(q, Some(Engine::Firefox)),
            "Chromium 156 and WebKit 2.50"
        );
        assert_eq!(evidence(q), "measured");
    }
}
