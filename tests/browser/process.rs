//! The processes the suite starts (the WebDriver servers, Xvfb) and how they end.
//!
//! Each is started in a process group of its own, so that what it starts in turn (the driver's
//! browser, the browser's content processes) is in that group too: ending the group by its id
//! ends all of them. Two things end it, whichever comes first:
//!
//! - dropping the [`Process`] (the end of the run, or a panic unwinding through its owner);
//! - the test process ending in any other way (SIGKILL, abort): a small watchdog (`sh`) holds
//!   the read end of a pipe whose write end only this process holds; when it closes, the
//!   watchdog's `read` returns and it ends the group (TERM, then KILL after 5 s).
//!
//! Dropping the [`Process`] closes that pipe itself and waits (bounded) for the watchdog, so the
//! group is gone when the drop returns.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Ends the process group `$1` when its standard input closes: TERM, then KILL after 5 s.
const WATCHDOG: &str = r#"
read -r _ignored || true
kill -s TERM -- "-$1" 2>/dev/null
i=0
while kill -s 0 -- "-$1" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -s KILL -- "-$1" 2>/dev/null
exit 0
"#;

/// How long a drop waits for the watchdog to have ended the group.
const END_TIMEOUT: Duration = Duration::from_secs(8);

/// A process started in its own process group, ended (with all of its group) when dropped.
pub struct Process {
    name: String,
    child: Child,
    lifeline: Option<ChildStdin>,
    watchdog: Child,
}

impl Process {
    /// Starts `command` in a process group of its own, its output appended to `log`. With
    /// `stdout_piped`, its standard output is a pipe instead, for [`Process::take_stdout`].
    pub fn start(
        name: &str,
        command: &mut Command,
        log: &Path,
        stdout_piped: bool,
    ) -> Result<Process, String> {
        let log_file = |what: &str| {
            File::options()
                .create(true)
                .append(true)
                .open(log)
                .map_err(|e| format!("cannot open {} for {name}'s {what}: {e}", log.display()))
        };
        let stdout = if stdout_piped {
            Stdio::piped()
        } else {
            Stdio::from(log_file("output")?)
        };
        let child = command
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(Stdio::from(log_file("errors")?))
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start {name} ({:?}): {e}", command.get_program()))?;
        let group = child.id().to_string();
        let mut watchdog = match Command::new("sh")
            .arg("-c")
            .arg(WATCHDOG)
            .arg(format!("{name}-watchdog"))
            .arg(&group)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(watchdog) => watchdog,
            Err(e) => {
                let mut child = child;
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("cannot start sh to watch {name}: {e}"));
            }
        };
        let lifeline = watchdog.stdin.take();
        Ok(Process {
            name: name.to_owned(),
            child,
            lifeline,
            watchdog,
        })
    }

    /// The process id (also its process group's id).
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// The standard output, when [`Process::start`] piped it.
    pub fn take_stdout(&mut self) -> Option<ChildStdout> {
        self.child.stdout.take()
    }

    /// `Some(why)` once the process has exited.
    pub fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(format!("{} exited: {status}", self.name)),
            Ok(None) => None,
            Err(e) => Some(format!("{}: {e}", self.name)),
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        // Closing the lifeline makes the watchdog end the group.
        drop(self.lifeline.take());
        let deadline = Instant::now() + END_TIMEOUT;
        loop {
            // Reap the leader as soon as it exits, so that the watchdog does not wait for a
            // zombie.
            let _ = self.child.try_wait();
            match self.watchdog.try_wait() {
                Ok(Some(_)) | Err(_) => break,
                Ok(None) if Instant::now() > deadline => {
                    eprintln!(
                        "browser tests: the watchdog of {} (group {}) did not end within \
                         {END_TIMEOUT:?}; killing the leader",
                        self.name,
                        self.child.id()
                    );
                    let _ = self.child.kill();
                    let _ = self.watchdog.kill();
                    let _ = self.watchdog.wait();
                    break;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
        let _ = self.child.wait();
    }
}

/// Reads the first line of `stdout` within `timeout` (e.g. Xvfb's display number).
pub fn first_line(stdout: ChildStdout, timeout: Duration) -> Result<String, String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout).lines();
        let _ = tx.send(lines.next());
        // Keep draining, so that the process never blocks on a full pipe.
        for _ in lines {}
    });
    match rx.recv_timeout(timeout) {
        Ok(Some(Ok(line))) => Ok(line),
        Ok(_) => Err("it closed its output without a line".into()),
        Err(_) => Err(format!("no line within {timeout:?}")),
    }
}

/// A free TCP port on 127.0.0.1 (bound, then released for the driver to bind).
pub fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}

/// `name` in a folder of `PATH`, if it is a file there.
pub fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}
