use actix_route_cors::cors;

#[cors(origins = ["https://app.example.com"])]
struct ListItems;

fn main() {
    // The struct is still emitted: no second error here.
    let _ = ListItems;
}
