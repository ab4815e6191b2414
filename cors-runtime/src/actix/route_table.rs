//! The `#[cors]` routes of one app by their full paths, found for a request path without
//! looking at every route: an index of the literal segments each full path starts with.

use actix_web::dev::ResourceDef;

use super::mounted::{Mounted, MountedRoute};

/// What the routes mounted on a request's path say about a method.
#[derive(Debug)]
pub(crate) enum OnPath<'t> {
    /// No `#[cors]` route is mounted on this path.
    None,
    /// The first route (in the order actix-web tries them) whose handler serves the method.
    Served(&'t MountedRoute),
    /// `#[cors]` routes are mounted on this path, none for this method: the first of them.
    Unserved(&'t MountedRoute),
}

#[derive(Debug)]
struct Entry {
    route: MountedRoute,
    /// The full pattern with its dynamic segments renamed (a scope and its route may both
    /// name a segment `{id}`, which one `ResourceDef` cannot hold).
    def: ResourceDef,
}

/// A node of the index: the routes whose literal prefix ends with this node's segment, and the
/// next literal segments, sorted for binary search.
#[derive(Debug, Default)]
struct Node {
    here: Vec<u32>,
    children: Vec<(Box<str>, Node)>,
}

/// The `#[cors]` routes of one app, indexed by the literal segments their full paths start
/// with. Finding the routes for a path walks one node per path segment (a binary search among
/// that node's children), then tests with actix-web's own matcher only the routes whose
/// literal prefix the path has: the cost grows with the path's depth, not with the number of
/// routes.
#[derive(Debug, Default)]
pub(crate) struct RouteTable {
    entries: Vec<Entry>,
    root: Node,
}

impl RouteTable {
    /// Indexes the routes of an app, kept in their order: the order in which actix-web tries
    /// them.
    pub(crate) fn new(mounted: Mounted) -> Self {
        let mut table = RouteTable::default();
        for route in mounted.into_routes() {
            let Some(def) = resource_def(&route.pattern) else {
                log::error!(
                    target: crate::log_target::LOG_TARGET,
                    "#[cors] route `{}` is mounted at `{}`, a path this crate cannot match: its preflights are left to the app's routing",
                    route.cors.route,
                    route.pattern,
                );
                continue;
            };
            let index = u32::try_from(table.entries.len()).expect("fewer than 2^32 routes");
            let mut node = &mut table.root;
            for segment in literal_segments(&route.pattern) {
                let at = match node.children.binary_search_by(|(s, _)| (**s).cmp(segment)) {
                    Ok(at) => at,
                    Err(at) => {
                        node.children.insert(at, (segment.into(), Node::default()));
                        at
                    }
                };
                node = &mut node.children[at].1;
            }
            node.here.push(index);
            table.entries.push(Entry { route, def });
        }
        table
    }

    /// Whether no `#[cors]` route is mounted.
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The routes mounted on `path` whose handler serves `method` (compared byte for byte).
    pub(crate) fn find(&self, path: &str, method: &[u8]) -> OnPath<'_> {
        let mut first_served: Option<u32> = None;
        let mut first: Option<u32> = None;
        self.each_matching(path, |i, entry| {
            if first.is_none_or(|f| i < f) {
                first = Some(i);
            }
            if entry.route.methods.iter().any(|m| m.as_bytes() == method)
                && first_served.is_none_or(|f| i < f)
            {
                first_served = Some(i);
            }
        });
        let route = |i: u32| &self.entries[i as usize].route;
        match (first_served, first) {
            (Some(i), _) => OnPath::Served(route(i)),
            (None, Some(i)) => OnPath::Unserved(route(i)),
            (None, None) => OnPath::None,
        }
    }

    /// The methods the routes mounted on `path` serve, each once, in order.
    pub(crate) fn methods_on(&self, path: &str) -> Vec<&'static str> {
        let mut found: Vec<(u32, &'static [&'static str])> = Vec::new();
        self.each_matching(path, |i, entry| found.push((i, entry.route.methods)));
        found.sort_by_key(|(i, _)| *i);
        let mut methods: Vec<&'static str> = Vec::new();
        for m in found.into_iter().flat_map(|(_, ms)| ms.iter()) {
            if !methods.contains(m) {
                methods.push(m);
            }
        }
        methods
    }

    /// Calls `f` with every route whose full path matches `path`: those indexed at each node
    /// the path's literal segments lead to.
    fn each_matching(&self, path: &str, mut f: impl FnMut(u32, &Entry)) {
        let mut node = &self.root;
        let mut segments = path.strip_prefix('/').map(|p| p.split('/'));
        loop {
            for &i in &node.here {
                let entry = &self.entries[i as usize];
                if entry.def.is_match(path) {
                    f(i, entry);
                }
            }
            let Some(segment) = segments.as_mut().and_then(Iterator::next) else {
                return;
            };
            match node.children.binary_search_by(|(s, _)| (**s).cmp(segment)) {
                Ok(at) => node = &node.children[at].1,
                Err(_) => return,
            }
        }
    }
}

/// The segments of `pattern` that are literal text, before its first dynamic segment: those a
/// matching path must have, each whole. A pattern that does not start with `/` has none.
fn literal_segments(pattern: &str) -> impl Iterator<Item = &str> {
    let literal = match pattern.find('{') {
        // Up to the `/` before the dynamic segment: the segment it is in is not literal.
        Some(brace) => pattern[..brace]
            .rfind('/')
            .map_or("", |slash| &pattern[..slash]),
        None => pattern,
    };
    literal
        .strip_prefix('/')
        .map(|rest| rest.split('/'))
        .into_iter()
        .flatten()
}

/// The `ResourceDef` that matches what `pattern` (a concatenation of actix-web patterns)
/// matches, its dynamic segments renamed `s0`, `s1`.. so that names repeated across a scope
/// and its route do not clash. `None` if actix-web's parser refuses it.
fn resource_def(pattern: &str) -> Option<ResourceDef> {
    let renamed = rename_segments(pattern)?;
    std::panic::catch_unwind(|| ResourceDef::new(renamed)).ok()
}

/// `pattern` with each dynamic segment `{name}` or `{name:regex}` renamed, found as
/// actix-router finds them: a `{` opens one, the `}` that balances it closes it.
fn rename_segments(pattern: &str) -> Option<String> {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut rest = pattern;
    let mut n = 0usize;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let mut depth = 0usize;
        let mut close = None;
        for (i, c) in rest[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(open + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let close = close?;
        let inner = &rest[open + 1..close];
        let regex = inner.split_once(':').map(|(_, regex)| regex);
        out.push_str(&format!("{{s{n}"));
        if let Some(regex) = regex {
            out.push(':');
            out.push_str(regex);
        }
        out.push('}');
        n += 1;
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_segments_stop_before_the_first_dynamic_segment() {
        let segs = |p| literal_segments(p).collect::<Vec<_>>();
        assert_eq!(segs("/api/items"), ["api", "items"]);
        assert_eq!(segs("/api/items/"), ["api", "items", ""]);
        assert_eq!(segs("/api/items/{id}"), ["api", "items"]);
        assert_eq!(segs("/api/v{version}/x"), ["api"]);
        assert_eq!(segs("/{tenant}/items"), Vec::<&str>::new());
        assert_eq!(segs("/"), [""]);
        assert_eq!(segs(""), Vec::<&str>::new());
    }

    #[test]
    fn segments_are_renamed_keeping_their_regex_and_tail() {
        assert_eq!(
            rename_segments(r"/t/{id}/items/{id:\d{3}}/{tail}*").unwrap(),
            r"/t/{s0}/items/{s1:\d{3}}/{s2}*"
        );
        assert_eq!(rename_segments("/a/{b").as_deref(), None);
    }
}
