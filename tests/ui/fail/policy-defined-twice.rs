use actix_route_cors::cors_policy;

cors_policy!(pub(crate) API, origins = ["https://app.example.com"]);

// Two policies in one module with the same name.
cors_policy!(pub(crate) API, origins = ["https://admin.example.com"]);

fn main() {}
