use actix_route_cors::cors_policy;

cors_policy!(ACCOUNT, origins = ["http://app.example.com"], credentials);

fn main() {}
