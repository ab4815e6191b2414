use actix_route_cors::{cors_policy, OriginSource};

static FRONTEND: OriginSource = OriginSource::env("FRONTEND_ORIGINS");

// The policy is expanded in its handlers' modules: `FRONTEND` must be named from the crate root.
cors_policy!(API, origins = FRONTEND, credentials);

fn main() {
    let _ = &FRONTEND;
}
