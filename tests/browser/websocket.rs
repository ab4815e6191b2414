//! WebSocket handshakes in Chromium: `GET /ws` (`#[cors(origins = [.., PAGE_A], websocket)]`,
//! an actix-ws echo, `tests/websocket/app.rs`) refuses the handshake of a page of another origin
//! before its handler runs, so `new WebSocket(..)` fails there and the server upgrades nothing;
//! from the allowed page and from the API's own page the socket opens and echoes.
//!
//! Chromium sends `Origin` with a handshake but no Fetch Metadata (`Sec-Fetch-Site`): the route
//! compares the origin with its `Host`, so the API's own page passes although no `origins` list
//! names it.

use crate::api::{PAGE_A, PAGE_B};
use crate::case::{Case, OwnTab};
use crate::websocket_app::{self, Counts};

/// Opens a tab of the case's own, or returns from the test when the browser is missing.
macro_rules! own_tab {
    ($name:ident, $open:path, $where:expr) => {
        match $open(stringify!($name), $where) {
            Some(tab) => tab,
            None => return,
        }
    };
}

#[test]
fn a_socket_from_a_refused_page_fails_and_nothing_is_upgraded() {
    let c = case!(
        a_socket_from_a_refused_page_fails_and_nothing_is_upgraded,
        PAGE_B
    );
    assert_eq!(c.websocket("/ws", "hello"), "error");
    let seen = c.server_saw();
    assert_eq!(seen.len(), 1, "{seen:#?}");
    assert_eq!((seen[0].method.as_str(), seen[0].status), ("GET", 403));
    assert_eq!(seen[0].origin.as_deref(), Some(PAGE_B));
    assert_eq!(seen[0].fetch_site, None);
    assert_eq!(websocket_app::counts(c.token()), Counts::default());
}

#[test]
fn a_socket_from_the_allowed_page_opens_and_echoes() {
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

#[test]
fn a_socket_from_the_apis_own_page_opens() {
    // The API's own origin is in no `origins` list: it is the one `Host` names.
    let tab = own_tab!(
        a_socket_from_the_apis_own_page_opens,
        OwnTab::open_on_api,
        "/form"
    );
    assert_eq!(tab.websocket("/ws", "own"), "echo:own");
    assert_eq!(websocket_app::counts(tab.token()).upgrades, 1);
}
