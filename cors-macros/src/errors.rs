//! Collecting every error of one attribute, so that all are reported at once.

use proc_macro2::Span;

/// An error whose message says what is wrong and, on a `help:` line, how to fix it.
///
/// A stable proc macro cannot attach a real `help` note, so the help is the message's second
/// line; rustc indents it under the message's first line, above the code snippet:
///
/// ```text
/// error: `https://app.example.com/` ends with `/`, but browsers send origins without ...
///        help: write "https://app.example.com"
///  --> src/main.rs:4:19
/// ```
pub(crate) fn error(
    span: Span,
    message: impl std::fmt::Display,
    help: impl std::fmt::Display,
) -> syn::Error {
    syn::Error::new(span, format!("{message}\nhelp: {help}"))
}

/// Like [`error`], pointing at all of `tokens` (`-1`, `60 * 10`, `http::Method::GET`) rather
/// than at their first token only.
pub(crate) fn error_spanned(
    tokens: impl quote::ToTokens,
    message: impl std::fmt::Display,
    help: impl std::fmt::Display,
) -> syn::Error {
    syn::Error::new_spanned(tokens, format!("{message}\nhelp: {help}"))
}

/// The errors found so far.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, err: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(err),
            None => self.0 = Some(err),
        }
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}
