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
    /// Reads a notification's payload.
    pub(crate) fn parse(payload: &'a str) -> Self {
        if let Some(origin) = payload.strip_prefix('+') {
            Change::Added(origin)
        } else if let Some(origin) = payload.strip_prefix('-') {
            Change::Removed(origin)
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
        assert_eq!(Change::parse("*"), Change::Everything);
        assert_eq!(Change::parse("https://a.example"), Change::Everything);
        assert_eq!(Change::parse(""), Change::Everything);
    }
}
