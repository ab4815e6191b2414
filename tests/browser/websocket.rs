//! WebSocket handshakes in each engine: `GET /ws` (`#[cors(origins = [.., PAGE_A], websocket)]`,
//! an actix-ws echo, `tests/websocket/app.rs`) refuses the handshake of a page of another origin
//! before its handler runs, so `new WebSocket(..)` fails there and the server upgrades nothing;
//! from the allowed page and from the API's own page the socket opens and echoes.
//!
//! Every engine sends `Origin` with a handshake. Firefox and WebKit also send Fetch Metadata
//! (`Sec-Fetch-Site`), as the standard has it for a request whose mode is `websocket`; Chromium
//! does not, and the route then compares the origin with its `Host`: either way the API's own
//! page passes although no `origins` list names it, and a page of another origin is refused.

use crate::api::{PAGE_A, PAGE_B};
use crate::case::{Case, OwnTab};
use crate::engine::Engine;
use crate::harness;
use crate::websocket_app::{self, Counts};

/// The `Sec-Fetch-Site` an engine sends with a handshake whose site relation is `site`.
fn fetch_site(engine: Engine, site: &str) -> Option<String> {
    match engine {
        Engine::Firefox | Engine::Webkit => Some(site.to_owned()),
        Engine::Chromium => {
            harness::differs(
                "sends no Fetch Metadata (`Sec-Fetch-Site`) with a WebSocket handshake; the \
                 route then compares `Origin` with `Host`, and decides the same",
                "https://w3c.github.io/webappsec-fetch-metadata/#sec-fetch-mode-header",
            );
            None
        }
    }
}

/// Loads the case's own page (see [`OwnTab`]).
macro_rules! own_tab {
    ($name:ident, $open:path, $where:expr) => {
        $open(stringify!($name), $where)
    };
}

pub fn a_socket_from_a_refused_page_fails_and_nothing_is_upgraded() {
    let c = case!(
        a_socket_from_a_refused_page_fails_and_nothing_is_upgraded,
        PAGE_B
    );
    assert_eq!(c.websocket("/ws", "hello"), "error");
    let seen = c.server_saw();
    assert_eq!(seen.len(), 1, "{seen:#?}");
    assert_eq!((seen[0].method.as_str(), seen[0].status), ("GET", 403));
    assert_eq!(seen[0].origin.as_deref(), Some(PAGE_B));
    assert_eq!(seen[0].fetch_site, fetch_site(c.engine(), "same-site"));
    assert_eq!(websocket_app::counts(c.token()), Counts::default());
}

pub fn a_socket_from_the_allowed_page_opens_and_echoes() {
    let c = case!(a_socket_from_the_allowed_page_opens_and_echoes, PAGE_A);
    assert_eq!(c.websocket("/ws", "hello"), "echo:hello");
    // Origins a function decides, alike.
    assert_eq!(c.websocket("/ws/fn", "again"), "echo:again");
    let seen = c.server_saw();
    assert_eq!(seen.len(), 2, "{seen:#?}");
    assert!(seen.iter().all(|s| s.status == 101), "{seen:#?}");
    assert_eq!(seen[0].origin.as_deref(), Some(PAGE_A));
    assert_eq!(
        websocket_app::counts(c.token()),
        Counts {
            runs: 2,
            upgrades: 2
        }
    );
}

pub fn a_socket_from_the_apis_own_page_opens() {
    // The API's own origin is in no `origins` list: it is the one `Host` names.
    let tab = own_tab!(
        a_socket_from_the_apis_own_page_opens,
        OwnTab::open_on_api,
        "/form"
    );
    assert_eq!(tab.websocket("/ws", "own"), "echo:own");
    assert_eq!(websocket_app::counts(tab.token()).upgrades, 1);
    let seen = crate::api::seen_with_token(tab.token());
    let handshake = seen
        .iter()
        .find(|s| s.status == 101)
        .expect("the handshake");
    assert_eq!(
        handshake.fetch_site,
        fetch_site(tab.engine(), "same-origin")
    );
}
