use actix_route_cors::cors_policy;

// A policy is a macro shared within its crate: it cannot be `pub`.
cors_policy!(pub API, origins = ["https://app.example.com"]);

fn main() {}
