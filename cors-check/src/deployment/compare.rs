//! What a probe's response must carry, and how a response differs from it.

use std::fmt;

use crate::net::response::Response;

/// What a probe's response must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// An allowed preflight: `2xx` and these exact fields, each once (`None`: absent).
    Preflight(Vec<(&'static str, Option<String>)>),
    /// An allowed actual request: these exact fields, each once (`None`: absent).
    Actual(Vec<(&'static str, Option<String>)>),
    /// A refused origin: no `Access-Control-Allow-Origin`.
    Refused,
}

/// How a response differs from what the policy promises.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The preflight's status is not `2xx`.
    Status(u16),
    /// A field the policy sends is missing.
    Missing {
        name: &'static str,
        expected: String,
    },
    /// A field the policy does not send is there.
    Added { name: String, value: String },
    /// A field is sent more than once.
    Duplicated { name: String, values: Vec<String> },
    /// A field has another value.
    Changed {
        name: &'static str,
        expected: String,
        got: String,
    },
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Status(s) => write!(f, "status {s}, not 2xx: the preflight fails"),
            Difference::Missing { name, expected } => {
                write!(
                    f,
                    "{name} missing (the policy sends `{expected}`): stripped on the way?"
                )
            }
            Difference::Added { name, value } => write!(
                f,
                "{name}: `{value}` sent, which the policy does not send: added on the way?"
            ),
            Difference::Duplicated { name, values } => write!(
                f,
                "{name} sent {} times ({}): browsers refuse the response",
                values.len(),
                values
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Difference::Changed {
                name,
                expected,
                got,
            } => write!(f, "{name} is `{got}`, the policy sends `{expected}`"),
        }
    }
}

fn text(v: &[u8]) -> String {
    cors_runtime::text::Quoted::all(v).to_string()
}

/// How `response` differs from what `expect` says.
pub fn compare(expect: &Expect, response: &Response) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut fields: Vec<(&'static str, Option<String>)> = Vec::new();
    match expect {
        Expect::Preflight(f) => {
            if !response.is_ok() {
                out.push(Difference::Status(response.status));
            }
            fields.extend(f.iter().cloned());
        }
        Expect::Actual(f) => fields.extend(f.iter().cloned()),
        Expect::Refused => {
            let acao: Vec<String> = response
                .get_all("access-control-allow-origin")
                .map(text)
                .collect();
            if let Some(first) = acao.first() {
                out.push(Difference::Added {
                    name: "access-control-allow-origin".to_owned(),
                    value: first.clone(),
                });
            }
            return out;
        }
    }
    for (name, expected) in &fields {
        let got: Vec<String> = response.get_all(name).map(text).collect();
        if got.len() > 1 {
            out.push(Difference::Duplicated {
                name: (*name).to_owned(),
                values: got,
            });
            continue;
        }
        match (expected, got.first()) {
            (Some(e), None) => out.push(Difference::Missing {
                name,
                expected: e.clone(),
            }),
            (None, Some(g)) => out.push(Difference::Added {
                name: (*name).to_owned(),
                value: g.clone(),
            }),
            (Some(e), Some(g)) if e != g => out.push(Difference::Changed {
                name,
                expected: e.clone(),
                got: g.clone(),
            }),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, fields: &[(&str, &str)]) -> Response {
        Response {
            status_line: format!("HTTP/1.1 {status}"),
            status,
            fields: fields
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.as_bytes().to_vec()))
                .collect(),
            body: Vec::new(),
        }
    }

    #[test]
    fn differences_are_named() {
        let expect = Expect::Actual(vec![
            (
                "access-control-allow-origin",
                Some("https://a.example".into()),
            ),
            ("access-control-allow-credentials", Some("true".into())),
            ("access-control-expose-headers", None),
        ]);
        let stripped = response(200, &[("access-control-allow-origin", "https://a.example")]);
        assert_eq!(
            compare(&expect, &stripped),
            [Difference::Missing {
                name: "access-control-allow-credentials",
                expected: "true".into()
            }]
        );
        let doubled = response(
            200,
            &[
                ("access-control-allow-origin", "https://a.example"),
                ("Access-Control-Allow-Origin", "*"),
                ("access-control-allow-credentials", "true"),
            ],
        );
        assert_eq!(
            compare(&expect, &doubled),
            [Difference::Duplicated {
                name: "access-control-allow-origin".into(),
                values: vec!["https://a.example".into(), "*".into()]
            }]
        );
        assert!(compare(&Expect::Refused, &response(403, &[])).is_empty());
    }
}
