//! The keys of `#[cors(...)]` and `cors_policy!(...)`: the one list of them, with where each
//! may be written. Messages, suggestions and the merge of a named policy read it from here.

/// Where a key may be written when a handler uses a named policy. Each key is set in one place,
/// so that nothing is ever merged or overridden silently.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// Only in the policy: who may read, and with which trust.
    Policy,
    /// Only on the handler: what the route serves.
    Handler,
    /// In either, but not both.
    Either,
}

/// One key.
pub(crate) struct Key {
    pub(crate) name: &'static str,
    /// Accepted by `cors_policy!` (every key is accepted by `#[cors]`).
    pub(crate) in_policy: bool,
    pub(crate) place: Place,
}

const fn key(name: &'static str, in_policy: bool, place: Place) -> Key {
    Key {
        name,
        in_policy,
        place,
    }
}

/// Every key, in the order messages list them.
pub(crate) const KEYS: [Key; 13] = [
    key("origins", true, Place::Policy),
    key("methods", false, Place::Handler),
    key("headers", true, Place::Either),
    key("expose", true, Place::Either),
    key("credentials", true, Place::Policy),
    key("max_age", true, Place::Either),
    key("private_network", true, Place::Policy),
    key("writes_from_any_origin", true, Place::Policy),
    key("dangerously_trust_http_origins", true, Place::Policy),
    key("websocket", true, Place::Either),
    key("report_only", true, Place::Either),
    key("policy", false, Place::Handler),
    key("crate", true, Place::Either),
];

/// Where the keys are written, for messages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Site {
    /// `#[cors(...)]`.
    Attribute,
    /// `cors_policy!(NAME, ...)`.
    Policy,
}

impl Site {
    /// The attribute or macro, as messages name it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Site::Attribute => "#[cors]",
            Site::Policy => "cors_policy!",
        }
    }

    fn accepts(self, key: &Key) -> bool {
        self == Site::Attribute || key.in_policy
    }

    /// The keys accepted here, as `origins, methods, ..`.
    pub(crate) fn keys(self) -> String {
        let names: Vec<&str> = KEYS
            .iter()
            .filter(|k| self.accepts(k))
            .map(|k| k.name)
            .collect();
        names.join(", ")
    }
}

/// Where `name` (a known key) may be written next to a named policy.
pub(crate) fn place(name: &str) -> Place {
    KEYS.iter()
        .find(|k| k.name == name)
        .map_or(Place::Either, |k| k.place)
}

/// The key accepted at `site` that an unknown one most likely meant: one it contains
/// (`allowed_origins`, `expose_headers`, `max_age_secs`) or that contains it (`private`), else
/// one a typo or two away (`orgins`, `credentails`).
pub(crate) fn suggest(unknown: &str, site: Site) -> Option<&'static str> {
    // `expose` is tried before `headers`, for `expose_headers`.
    let mut by_priority: Vec<&Key> = KEYS.iter().collect();
    by_priority.swap(2, 3);
    let unknown = unknown.to_ascii_lowercase();
    let contained = |k: &&&Key| {
        unknown.contains(k.name.trim_end_matches('s'))
            || (unknown.len() >= 4 && k.name.contains(unknown.as_str()))
    };
    by_priority
        .iter()
        .find(contained)
        .or_else(|| {
            by_priority
                .iter()
                .min_by_key(|k| distance(&unknown, k.name))
                .filter(|k| distance(&unknown, k.name) <= 2)
        })
        .filter(|k| site.accepts(k))
        .map(|k| k.name)
}

/// Levenshtein distance between two short ASCII strings.
fn distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}
