use actix_route_cors::cors_policy;

// `methods` belongs on each handler: the routes sharing a policy serve different methods.
cors_policy!(
    API,
    origins = ["https://app.example.com"],
    methods = [GET, POST]
);

fn main() {}
