use actix_route_cors::cors_policy;

cors_policy!(BASE, origins = ["https://app.example.com"]);

// A policy cannot be built on another one.
cors_policy!(API, policy = BASE, max_age = 600);

fn main() {}
