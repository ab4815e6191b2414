use actix_route_cors::cors_policy;

// The policy's name, which handlers write in `policy = ..`, is missing.
cors_policy!(origins = ["https://app.example.com"], credentials);

fn main() {}
