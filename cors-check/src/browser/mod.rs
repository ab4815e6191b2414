//! What a browser does around a cross-origin `fetch()`, by the Fetch standard and as Chromium
//! does it: [`plan`] decides what is sent and whether a preflight goes first; [`requests`]
//! writes the preflight and the request as Chromium sends them; [`checks`] applies the CORS
//! checks to the answers, and says why a request is [`blocked`]; [`console`] words that as
//! Chromium's console does. [`rules`] holds the Fetch standard's rules on methods and request
//! headers that [`plan`] and [`checks`] apply; [`engines`], where engines differ from the
//! standard and from each other, measured or cited; [`local_network`], Chrome's Local Network
//! Access, which no response header grants.

pub mod blocked;
pub mod checks;
pub mod console;
pub mod engines;
pub mod local_network;
pub mod plan;
pub mod requests;
pub mod rules;
