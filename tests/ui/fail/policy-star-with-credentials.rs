use actix_route_cors::cors_policy;

// A policy is checked by the same rules as #[cors]: `*` cannot go with `credentials`.
cors_policy!(API, origins = ["*"], credentials);

fn main() {}
