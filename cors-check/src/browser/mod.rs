//! What a browser does around a cross-origin `fetch()`, by the Fetch standard and as Chromium
//! does it: [`plan`] decides what is sent and whether a preflight goes first; [`requests`]
//! writes the preflight and the request as Chromium sends them; [`checks`] applies the CORS
//! checks to the answers; [`console`] words a refusal as Chromium's console does.

pub mod checks;
pub mod console;
pub mod plan;
pub mod requests;
