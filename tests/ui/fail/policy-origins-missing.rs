use actix_route_cors::cors_policy;

// A policy says who may read: it needs `origins`.
cors_policy!(API, headers = ["content-type"], credentials);

fn main() {}
