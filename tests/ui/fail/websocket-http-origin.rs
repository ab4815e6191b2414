use actix_route_cors::cors;
use actix_web::{get, App, HttpResponse};

// Browsers send cookies with every handshake: a plain-HTTP page off loopback is refused as it
// is next to `credentials`. Loopback pages are fine.
#[cors(origins = ["http://localhost:*", "http://chat.example.com"], websocket)]
#[get("/socket")]
async fn socket() -> HttpResponse {
    HttpResponse::Ok().finish()
}

fn main() {
    let _ = App::new().service(socket);
}
