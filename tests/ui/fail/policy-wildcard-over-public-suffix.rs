use actix_route_cors::cors_policy;

// A policy is checked by the same rules as #[cors]: no wildcard on a public suffix.
cors_policy!(PREVIEWS, origins = ["https://*.pages.dev"]);

fn main() {}
