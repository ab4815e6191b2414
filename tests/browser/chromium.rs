//! Finding and starting the Chromium that the browser tests drive.
//!
//! Chromium is started by us, not by the driver crate, so that it is bounded by our own rules: a
//! fresh profile, the flags this machine needs (its network is closed), an ephemeral DevTools
//! port, and a watchdog that ends it when the test process ends. The test process holds the write
//! end of the watchdog's stdin; however the process ends (all tests done, panic, SIGKILL), the
//! pipe closes, the watchdog's `read` returns, and it stops Chromium (TERM, then KILL after 5 s)
//! and removes the profile. A browser kept in a `static` is never dropped, so a `Drop` could not
//! do this.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How the tests learn where Chromium is.
pub const CHROMIUM_PATH_ENV: &str = "CHROMIUM_PATH";

/// Flags for a root user on a machine whose network is closed: no sandbox (root), no GPU, and no
/// background connections to Google's services (they would be refused, many at a time).
const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--disable-breakpad",
    // Several tabs run cases at once: none may be throttled for being in the background.
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--password-store=basic",
    "--use-mock-keychain",
    "--remote-debugging-address=127.0.0.1",
    // 0: Chromium picks a free port and prints the WebSocket address on stderr.
    "--remote-debugging-port=0",
];

/// The watchdog. `$1` is the profile folder, the rest is the command line of Chromium.
const WATCHDOG: &str = r#"
dir="$1"; shift
"$@" </dev/null &
pid=$!
read -r _ignored || true
kill -TERM "$pid" 2>/dev/null
i=0
while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -rf "$dir"
"#;

/// Where Chromium is: `$CHROMIUM_PATH` if set (it must exist), else `/usr/bin/chromium`, else
/// `chromium` on `PATH`. `Err` says what was looked at.
pub fn find() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(CHROMIUM_PATH_ENV) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "{CHROMIUM_PATH_ENV}={} does not exist",
                path.display()
            ))
        };
    }
    let usual = Path::new("/usr/bin/chromium");
    if usual.is_file() {
        return Ok(usual.to_path_buf());
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join("chromium"))
        .find(|candidate| candidate.is_file());
    on_path.ok_or_else(|| {
        format!("neither ${CHROMIUM_PATH_ENV}, /usr/bin/chromium nor `chromium` on PATH exists")
    })
}

/// A running Chromium. Dropping it (or the test process ending) stops it.
pub struct Chromium {
    /// `ws://127.0.0.1:PORT/devtools/browser/ID`.
    pub ws_url: String,
    /// Closing this ends the watchdog's `read`, which stops Chromium.
    _lifeline: ChildStdin,
    _watchdog: Child,
}

/// Starts Chromium with a fresh profile and waits (at most `timeout`) for its DevTools address.
pub fn launch(path: &Path, timeout: Duration) -> Result<Chromium, String> {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let profile = std::env::temp_dir().join(format!(
        "actix-route-cors-browser-{}-{nanos}",
        std::process::id()
    ));
    std::fs::create_dir_all(&profile)
        .map_err(|e| format!("cannot create profile folder {}: {e}", profile.display()))?;

    let mut watchdog = Command::new("sh")
        .arg("-c")
        .arg(WATCHDOG)
        .arg("chromium-watchdog")
        .arg(&profile)
        .arg(path)
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("about:blank")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start sh for {}: {e}", path.display()))?;
    let lifeline = watchdog.stdin.take().expect("stdin is piped");
    let stderr = watchdog.stderr.take().expect("stderr is piped");

    // Read stderr until the DevTools line, then keep draining it so Chromium never blocks on a
    // full pipe; the last lines are kept to explain a failed start.
    let (tx, rx) = mpsc::channel::<Result<String, String>>();
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        let mut seen: Vec<String> = Vec::new();
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.is_none() {
                continue;
            }
            if let Some(at) = line.find("ws://") {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(Ok(line[at..].trim().to_owned()));
                }
                continue;
            }
            seen.push(line);
            if seen.len() > 20 {
                seen.remove(0);
            }
        }
        if let Some(tx) = tx.take() {
            let _ = tx.send(Err(seen.join("\n")));
        }
    });
    let ws_url = match rx.recv_timeout(timeout) {
        Ok(Ok(url)) => url,
        Ok(Err(stderr)) => {
            return Err(format!(
                "{} exited before printing its DevTools address; its stderr:\n{stderr}",
                path.display()
            ))
        }
        Err(_) => {
            return Err(format!(
                "{} printed no DevTools address within {timeout:?}",
                path.display()
            ))
        }
    };
    Ok(Chromium {
        ws_url,
        _lifeline: lifeline,
        _watchdog: watchdog,
    })
}
