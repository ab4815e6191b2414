//! Reading the audit document (`actix_route_cors::audit::Json`, version 1): what each route
//! promises.

use serde_json::Value;

/// What one route promises, read from the audit document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// `handler`, for the report.
    pub handler: String,
    /// The paths to request: `mounted_paths`, or `path` when none is known.
    pub paths: Vec<String>,
    /// `methods`: those the handler serves.
    pub methods: Vec<String>,
    /// `preflight_methods`.
    pub preflight_methods: Vec<String>,
    /// `origins.any`.
    pub any_origin: bool,
    /// `origins.list`; `None` when a source was not loaded when the audit was made, or when a
    /// function or a lookup decides the origins at run time.
    pub origins: Option<Vec<String>>,
    /// `origins.source`: where the origins come from, if not written (`env VAR`,
    /// `startup ..`, `fn path`, `lookup ..`).
    pub source: Option<String>,
    /// `credentials`.
    pub credentials: bool,
    /// The exact `access-control-allow-methods` value.
    pub allow_methods: String,
    /// The exact `access-control-allow-headers` value, if sent.
    pub allow_headers: Option<String>,
    /// The exact `access-control-expose-headers` value, if sent.
    pub expose: Option<String>,
    /// The exact `access-control-max-age` value, if sent.
    pub max_age: Option<String>,
}

/// Reads the audit document (version 1).
pub fn parse(json: &str) -> Result<Vec<Route>, String> {
    let doc: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    if doc["format"] != "actix-route-cors audit" {
        return Err(
            "not an actix-route-cors audit (its `format` is not \"actix-route-cors audit\"): \
             make one with `cargo run --example audit -- --json` or `audit::Json`"
                .to_owned(),
        );
    }
    if doc["version"] != 1 {
        return Err(format!(
            "audit version {} is not one this cors-check reads (1)",
            doc["version"]
        ));
    }
    let routes = doc["routes"]
        .as_array()
        .ok_or("the audit has no `routes` list")?;
    routes
        .iter()
        .enumerate()
        .map(|(i, r)| route(i, r))
        .collect()
}

fn strings(v: &Value, what: &str) -> Result<Vec<String>, String> {
    v.as_array()
        .ok_or_else(|| format!("`{what}` is not a list"))?
        .iter()
        .map(|s| {
            s.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("`{what}` holds something else than strings"))
        })
        .collect()
}

fn opt_string(v: &Value, what: &str) -> Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        _ => Err(format!("`{what}` is neither a string nor null")),
    }
}

fn route(i: usize, r: &Value) -> Result<Route, String> {
    let at = |e: String| format!("route {i}: {e}");
    let handler = r["handler"]
        .as_str()
        .ok_or_else(|| at("no `handler`".into()))?
        .to_owned();
    let mut paths = strings(&r["mounted_paths"], "mounted_paths").map_err(at)?;
    if paths.is_empty() {
        paths.push(
            r["path"]
                .as_str()
                .ok_or_else(|| at("no `path`".into()))?
                .to_owned(),
        );
    }
    let headers = &r["headers"];
    Ok(Route {
        handler,
        paths,
        methods: strings(&r["methods"], "methods").map_err(at)?,
        preflight_methods: strings(&r["preflight_methods"], "preflight_methods").map_err(at)?,
        any_origin: r["origins"]["any"].as_bool().unwrap_or(false),
        origins: match &r["origins"]["list"] {
            Value::Null => None,
            list => Some(strings(list, "origins.list").map_err(at)?),
        },
        source: r["origins"]["source"].as_str().map(str::to_owned),
        credentials: r["credentials"].as_bool().unwrap_or(false),
        allow_methods: headers["access-control-allow-methods"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        allow_headers: opt_string(
            &headers["access-control-allow-headers"],
            "access-control-allow-headers",
        )
        .map_err(at)?,
        expose: opt_string(
            &headers["access-control-expose-headers"],
            "access-control-expose-headers",
        )
        .map_err(at)?,
        max_age: opt_string(&headers["access-control-max-age"], "access-control-max-age")
            .map_err(at)?,
    })
}
