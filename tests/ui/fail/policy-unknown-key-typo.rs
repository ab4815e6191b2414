use actix_route_cors::cors_policy;

// `credentails` is a typo of `credentials`.
cors_policy!(API, origins = ["https://app.example.com"], credentails);

fn main() {}
