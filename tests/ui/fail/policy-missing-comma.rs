use actix_route_cors::cors_policy;

// The name is separated from the keys by a comma.
cors_policy!(API origins = ["https://app.example.com"]);

fn main() {}
