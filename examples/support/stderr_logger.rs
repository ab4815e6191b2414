//! A minimal `log` logger for the examples: this crate's records (the reason for each refused
//! CORS request, target `actix_route_cors`) from `info` up, everything else from `warn` up, on
//! stderr. A real server would use `env_logger` or `tracing-subscriber` instead.

struct StderrLogger;

impl log::Log for StderrLogger {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        let floor = if m.target() == "actix_route_cors" {
            log::Level::Info
        } else {
            log::Level::Warn
        };
        m.level() <= floor
    }
    fn log(&self, r: &log::Record<'_>) {
        if self.enabled(r.metadata()) {
            eprintln!("[{} {}] {}", r.level(), r.target(), r.args());
        }
    }
    fn flush(&self) {}
}

/// Installs the logger (once; a second call changes nothing).
pub fn install() {
    let _ = log::set_logger(&StderrLogger).map(|()| log::set_max_level(log::LevelFilter::Info));
}
