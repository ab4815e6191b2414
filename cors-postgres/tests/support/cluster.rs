//! A PostgreSQL cluster of the test's own: `initdb` in a temporary directory, a server on
//! 127.0.0.1 at a free port (its socket in the same directory), stopped and removed when
//! dropped. Debian's PostgreSQL 15 (`apt-get install postgresql`); `initdb` refuses to run as
//! root, so as root every PostgreSQL program runs as the package's `postgres` user.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU32, Ordering};

use cors_postgres::tokio_postgres::Config;

/// Where Debian's postgresql-15 puts its programs.
const BIN: &str = "/usr/lib/postgresql/15/bin";

/// A running PostgreSQL server, stopped and removed on drop.
pub struct Cluster {
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl Cluster {
    /// Starts one; `None` (after a loud message) when PostgreSQL is not installed here, but
    /// under `CI=true` a missing PostgreSQL fails the test.
    pub fn start() -> Option<Cluster> {
        if !Path::new(BIN).join("initdb").exists() {
            let message = format!(
                "PostgreSQL 15 is not installed ({BIN}/initdb is missing): \
                 `apt-get install -y postgresql` to run the PostgreSQL tests"
            );
            if std::env::var("CI").is_ok_and(|ci| ci == "true") {
                panic!("{message} (CI=true: they must run)");
            }
            eprintln!("\n**************** SKIPPED: {message} ****************\n");
            return None;
        }
        static COUNT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "cors-postgres-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let as_postgres = is_root();
        let cluster = Cluster {
            port: free_port(),
            dir,
            as_postgres,
        };
        if as_postgres {
            run(Command::new("chown")
                .arg("postgres:postgres")
                .arg(&cluster.dir));
        }
        let data = cluster.data();
        let mut initdb = cluster.program("initdb");
        initdb
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
                "-D",
            ])
            .arg(&data);
        run(&mut initdb);
        cluster.pg_ctl_start();
        Some(cluster)
    }

    /// Connection settings for the server (user `postgres`, database `postgres`, no password:
    /// `trust` on a cluster of the test's own).
    pub fn config(&self) -> Config {
        let mut config = Config::new();
        config
            .host("127.0.0.1")
            .port(self.port)
            .user("postgres")
            .dbname("postgres");
        config
    }

    /// The server's TCP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Restarts the server (every connection drops).
    pub fn restart(&self) {
        let mut stop = self.program("pg_ctl");
        stop.args(["-m", "fast", "-w", "stop", "-D"])
            .arg(self.data());
        run(&mut stop);
        self.pg_ctl_start();
    }

    fn pg_ctl_start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            self.port,
            self.dir.display()
        );
        let mut start = self.program("pg_ctl");
        start
            .args(["-w", "-t", "60", "-o", &options, "-l"])
            .arg(self.dir.join("server.log"))
            .arg("-D")
            .arg(self.data())
            .arg("start");
        run(&mut start);
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn program(&self, name: &str) -> Command {
        let path = Path::new(BIN).join(name);
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }

    /// The server's process id, from its `postmaster.pid`.
    fn pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.data().join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let pid = self.pid();
        let mut stop = self.program("pg_ctl");
        stop.args(["-m", "immediate", "-w", "stop", "-D"])
            .arg(self.data());
        let stopped = stop.output().is_ok_and(|out| out.status.success());
        if !stopped {
            if let Some(pid) = pid {
                // By its PID, never by name: other tests' servers keep running.
                let _ = Command::new("kill")
                    .args(["-KILL", &pid.to_string()])
                    .status();
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn run(command: &mut Command) -> Output {
    let out = command.output().expect("the program runs");
    assert!(
        out.status.success(),
        "{command:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
