//! The route audit: every `#[cors]` route of a program is listed by
//! `actix_route_cors::audit::routes()`, with its path, methods, origins (or their source),
//! credentials, headers, exposed headers, `max_age`, handler and named policy. This binary
//! contains exactly the `#[cors]` routes of the `audit` example's app, so the table
//! `cargo run --example audit` prints is asserted here, cell by cell: it is a test binary of its
//! own for that (the other integration tests, in `tests/it`, register routes of their own).

#[path = "../examples/audit/app.rs"]
#[allow(dead_code)]
mod app;

use actix_route_cors::{audit, AllowedOrigins};

/// Fills the source as `cargo run --example audit` does without `FRONTEND_ORIGINS`.
fn load() {
    // `set` is idempotent for the same origins, so every test may call it.
    app::FRONTEND
        .set(app::STAND_IN_ORIGINS)
        .expect("valid origins");
}

/// The table's columns, in order.
const COLUMNS: [&str; 11] = [
    "PATH",
    "METHODS",
    "ORIGINS",
    "CREDENTIALS",
    "WRITES",
    "HEADERS",
    "EXPOSE",
    "MAX AGE",
    "MODE",
    "HANDLER",
    "POLICY",
];

/// The cells of each route's line of `table`, cut at the offsets where the header line's
/// column names start.
fn cells(table: &str) -> Vec<[String; 11]> {
    let mut lines = table.lines();
    let header = lines.next().expect("a header line");
    let starts = COLUMNS.map(|name| header.find(name).expect(name));
    lines
        .map(|line| {
            std::array::from_fn(|i| {
                let end = starts.get(i + 1).map_or(line.len(), |&e| e.min(line.len()));
                line[starts[i].min(line.len())..end].trim_end().to_owned()
            })
        })
        .collect()
}

#[test]
fn every_cors_route_is_listed_with_its_policy() {
    load();
    let routes = audit::routes();
    let rows = cells(&audit::Table::new(&routes).to_string());
    let expected = [
        [
            "/admin/users/{id}",
            "DELETE",
            "https://admin.example.com",
            "yes",
            "refused",
            "-",
            "-",
            "0",
            "enforced",
            "delete_user",
            "-",
        ],
        [
            "/v1/me",
            "GET",
            "env FRONTEND_ORIGINS: https://app.example.com, https://*.preview.example.com",
            "yes",
            "-",
            "-",
            "-",
            "600",
            "enforced",
            "me",
            "FRONTEND_API",
        ],
        [
            "/v1/me",
            "PUT",
            "env FRONTEND_ORIGINS: https://app.example.com, https://*.preview.example.com",
            "yes",
            "refused",
            "content-type, x-request-id",
            "-",
            "600",
            "enforced",
            "update_me",
            "FRONTEND_API",
        ],
        [
            "/v1/orders",
            "GET, POST (preflight: POST)",
            "env FRONTEND_ORIGINS: https://app.example.com, https://*.preview.example.com",
            "yes",
            "refused",
            "content-type",
            "-",
            "600",
            "enforced",
            "orders",
            "FRONTEND_API",
        ],
        [
            "/v1/orders/live",
            "GET (WebSocket)",
            "env FRONTEND_ORIGINS: https://app.example.com, https://*.preview.example.com",
            "yes",
            "-",
            "-",
            "-",
            "-",
            "enforced",
            "orders_live",
            "-",
        ],
        [
            "/v1/stats",
            "GET",
            "*",
            "no",
            "-",
            "-",
            "x-total-count",
            "-",
            "enforced",
            "stats",
            "OPEN_DATA",
        ],
        [
            "/v1/t/{tenant}/widget",
            "GET",
            "fn audit::app::tenant_site",
            "no",
            "-",
            "-",
            "-",
            "-",
            "enforced",
            "widget",
            "-",
        ],
    ];
    assert_eq!(rows, expected.map(|row| row.map(str::to_owned)));
    // A route without `#[cors]` (`purge_cache`) is not listed.
    assert!(routes.iter().all(|r| r.info().handler() != "purge_cache"));
}

#[test]
fn the_table_is_aligned_and_names_every_column() {
    load();
    let table = audit::Table::new(&audit::routes()).to_string();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 8, "{table}");
    let header: Vec<&str> = lines[0]
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(header, COLUMNS, "{table}");
    assert!(lines[0].starts_with("PATH  ") && lines[0].ends_with("  POLICY"));
    // Every column starts at the same offset on every line.
    let starts = |line: &str, cell: &str| line.find(cell).expect(cell);
    let handler_col = starts(lines[0], "HANDLER");
    for (line, handler) in lines[1..].iter().zip([
        "delete_user",
        "me",
        "update_me",
        "orders",
        "orders_live",
        "stats",
    ]) {
        assert_eq!(
            starts(line, &format!("  {handler}  ")) + 2,
            handler_col,
            "{table}"
        );
        assert_eq!(*line, line.trim_end(), "no trailing spaces");
    }
}

/// The README shows what `cargo run --example audit` prints: the same text, to the byte.
#[test]
fn the_readme_shows_the_examples_output() {
    load();
    let readme = include_str!("../README.md");
    let command = "$ cargo run --example audit\n";
    let start = readme
        .find(command)
        .expect("the README runs the audit example")
        + command.len();
    let shown = &readme[start..start + readme[start..].find("```").expect("end of the block")];
    assert_eq!(shown, app::report());
}

#[test]
fn routes_expose_their_policy_for_programmatic_checks() {
    load();
    // For example, a check a team could run in CI: no credentialed route is open to `*`.
    for route in audit::routes() {
        let policy = route.policy();
        assert!(!(policy.credentials() && policy.origins() == AllowedOrigins::Any));
    }
    let orders = audit::routes()
        .into_iter()
        .find(|r| r.info().handler() == "orders")
        .expect("listed");
    assert_eq!(orders.info().methods(), ["GET", "POST"]);
    assert_eq!(orders.policy().methods(), ["POST"]);
    assert_eq!(orders.info().policy_name(), Some("FRONTEND_API"));
}

/// `cargo run --example audit -- --json`: a JSON document a tool can read, with the
/// exact header values each route sends.
#[test]
fn the_json_export_parses_and_says_what_each_route_sends() {
    load();
    let json: serde_json::Value =
        serde_json::from_str(&app::report_json()).expect("the audit is valid JSON");
    assert_eq!(json["format"], "actix-route-cors audit");
    assert_eq!(json["version"], audit::JSON_VERSION);
    let routes = json["routes"].as_array().expect("a list of routes");
    assert_eq!(routes.len(), audit::routes().len());
    let orders = routes
        .iter()
        .find(|r| r["handler"] == "orders")
        .expect("orders is listed");
    assert_eq!(orders["path"], "/v1/orders");
    assert_eq!(orders["policy"], "FRONTEND_API");
    assert_eq!(orders["methods"], serde_json::json!(["GET", "POST"]));
    assert_eq!(orders["preflight_methods"], serde_json::json!(["POST"]));
    assert_eq!(
        orders["origins"],
        serde_json::json!({
            "any": false,
            "list": ["https://app.example.com", "https://*.preview.example.com"],
            "source": "env FRONTEND_ORIGINS",
        })
    );
    assert_eq!(orders["credentials"], true);
    assert_eq!(orders["protects_writes"], true);
    assert_eq!(
        orders["headers"],
        serde_json::json!({
            "access-control-allow-methods": "POST",
            "access-control-allow-headers": "content-type",
            "access-control-expose-headers": null,
            "access-control-max-age": "600",
        })
    );
    assert_eq!(orders["websocket"], false);
    // A WebSocket endpoint: no CORS header makes it readable, the policy's origins decide who
    // may open it.
    let live = routes
        .iter()
        .find(|r| r["handler"] == "orders_live")
        .unwrap();
    assert_eq!(live["websocket"], true);
    assert_eq!(live["credentials"], false);
    assert_eq!(live["methods"], serde_json::json!(["GET"]));
    let stats = routes.iter().find(|r| r["handler"] == "stats").unwrap();
    assert_eq!(stats["origins"]["any"], true);
    assert_eq!(stats["origins"]["list"], serde_json::json!([]));
    assert_eq!(stats["protects_writes"], false);
    assert_eq!(
        stats["headers"]["access-control-expose-headers"],
        "x-total-count"
    );
    // Every route's values are the policy's own, as `audit::routes()` gives them.
    for (json, route) in routes.iter().zip(audit::routes()) {
        let policy = route.policy();
        assert_eq!(json["handler"], route.info().handler());
        assert_eq!(
            json["headers"]["access-control-allow-methods"],
            policy.allow_methods_value()
        );
        assert_eq!(json["credentials"], policy.credentials());
    }
}
