//! What one notification says.

/// One change, as the trigger of [`crate::SCHEMA`] sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change<'a> {
    /// `+origin`: the origin was added.
    Added(&'a str),
    /// `-origin`: the origin was removed.
    Removed(&'a str),
    /// `*`, or a payload of no known form: start again from the table.
    Everything,
}

impl<'a> Change<'a> {
    /// Reads a notification's payload: the sign, the origin, and maybe a space and a number
    /// that makes it unique (origins have no spaces).
    pub(crate) fn parse(payload: &'a str) -> Self {
        let origin = |rest: &'a str| rest.split(' ').next().unwrap_or_default();
        if let Some(rest) = payload.strip_prefix('+') {
            Change::Added(origin(rest))
        } else if let Some(rest) = payload.strip_prefix('-') {
            Change::Removed(origin(rest))
        } else {
            Change::Everything
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Change;

    #[test]
    fn payloads() {
        assert_eq!(
            Change::parse("+https://a.example"),
            Change::Added("https://a.example")
        );
        assert_eq!(
            Change::parse("-https://a.example"),
            Change::Removed("https://a.example")
        );
        assert_eq!(
            Change::parse("+https://a.example 17"),
            Change::Added("https://a.example")
        );
        assert_eq!(
            Change::parse("-https://a.example 18"),
            Change::Removed("https://a.example")
        );
        assert_eq!(Change::parse("*"), Change::Everything);
        assert_eq!(Change::parse("https://a.example"), Change::Everything);
        assert_eq!(Change::parse(""), Change::Everything);
    }
}
