//! The suite's own test harness (`harness = false`): every case runs once on each engine, each
//! engine in a thread of its own with one WebDriver session, the engines at the same time; when
//! all have run, the results are written out and compared with the agreement matrix of
//! `docs/browsers.md` (see `matrix.rs`).
//!
//! It understands what `cargo test` passes on: filters (a substring of `case::engine`, or the
//! whole name with `--exact`), `--list`, `--skip FILTER`; other options are accepted and ignored.
//! `BROWSER_ENGINES=firefox,webkit` runs only those engines. A missing engine is skipped with a
//! loud message naming what to install, except with `CI=true`, where it is a failure.
//!
//! Output follows libtest's: one `test NAME ... ok` line per case and engine, the failures with
//! what the case printed, and a `test result:` line.

use crate::engine::{Engine, Session, Unavailable};
use crate::matrix;
use std::any::Any;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The cases one engine runs, by name, in order.
type Cases = Vec<(String, fn())>;

/// One case: a function that runs on the engine of the current thread ([`run`]).
pub struct Trial {
    pub name: String,
    pub run: fn(),
}

/// `trials![module::case, ...]`: the cases, named by their path.
macro_rules! trials {
    ($($case:path),* $(,)?) => {
        vec![$($crate::harness::Trial {
            name: stringify!($case).replace(' ', ""),
            run: $case,
        }),*]
    };
}
pub(crate) use trials;

/// A difference between an engine and the standard (or the other engines) that a case expects
/// and names: the engine, what it does, and the bug or the section of the standard.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    pub engine: Engine,
    pub what: String,
    pub link: String,
}

/// How one case went on one engine.
#[derive(Debug, Clone)]
pub enum Verdict {
    Pass,
    /// Passed, asserting the engine's own behaviour where it differs.
    Differs(Vec<Difference>),
    Fail(String),
    /// The engine is not installed (not in CI).
    Skipped(String),
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub case: String,
    pub engine: Engine,
    pub verdict: Verdict,
    /// What the case measured, by name (for the matrix's tables of measurements).
    pub observations: Vec<(String, String)>,
    /// What the case printed (shown when it fails).
    pub log: Vec<String>,
}

/// What the case running on this thread has recorded so far.
#[derive(Default)]
struct Record {
    differences: Vec<Difference>,
    observations: Vec<(String, String)>,
    log: Vec<String>,
    panic: Option<String>,
}

/// The engine of this thread, with its session and what every case on it shares.
pub struct Run {
    pub engine: Engine,
    pub session: Session,
    /// The origin of the page the window shows, when it is the test page (`None` after a case
    /// navigated elsewhere).
    pub page: RefCell<Option<String>>,
}

thread_local! {
    static RUN: RefCell<Option<Rc<Run>>> = const { RefCell::new(None) };
    static RECORD: RefCell<Option<Record>> = const { RefCell::new(None) };
}

/// The engine run of this thread; panics outside a case.
pub fn run() -> Rc<Run> {
    RUN.with(|r| r.borrow().clone())
        .expect("a browser case runs on an engine's thread")
}

/// The engine of the case running on this thread.
pub fn engine() -> Engine {
    run().engine
}

/// Records that the current case expects `what` of its engine, which differs from the standard
/// or from the other engines, with the engine's bug or the standard's section (`link`).
pub fn differs(what: &str, link: &str) {
    let engine = engine();
    with_record(|r| {
        let d = Difference {
            engine,
            what: what.to_owned(),
            link: link.to_owned(),
        };
        if !r.differences.contains(&d) {
            r.differences.push(d);
        }
    });
}

/// Records a measurement of the current case (`name`: `value`), shown in the matrix.
pub fn observe(name: &str, value: &str) {
    with_record(|r| r.observations.push((name.to_owned(), value.to_owned())));
}

/// Why a case did not run (a tool it needs is missing): not a failure, except in CI.
struct Skip(String);

/// Ends the current case as skipped, with `why` (a failure with `CI=true`).
pub fn skip(why: &str) -> ! {
    panic::panic_any(Skip(why.to_owned()))
}

/// A line of the current case's log (printed when it fails).
pub fn log(line: String) {
    with_record(|r| r.log.push(line));
}

fn with_record(f: impl FnOnce(&mut Record)) {
    RECORD.with(|r| {
        if let Some(record) = r.borrow_mut().as_mut() {
            f(record);
        }
    });
}

/// The command line, as libtest reads it (the part the suite uses).
#[derive(Default)]
struct Args {
    filters: Vec<String>,
    skip: Vec<String>,
    exact: bool,
    list: bool,
}

impl Args {
    fn parse() -> Args {
        let mut args = Args::default();
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--exact" => args.exact = true,
                "--list" => args.list = true,
                "--skip" => args.skip.extend(it.next()),
                // Options that take a value.
                "--test-threads" | "--color" | "--format" | "--logfile" | "-Z" => {
                    it.next();
                }
                a if a.starts_with('-') => {}
                _ => args.filters.push(arg),
            }
        }
        args
    }

    fn selects(&self, name: &str) -> bool {
        let matches = |f: &String| {
            if self.exact {
                name == f
            } else {
                name.contains(f.as_str())
            }
        };
        (self.filters.is_empty() || self.filters.iter().any(matches))
            && !self.skip.iter().any(|s| name.contains(s.as_str()))
    }
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The engines to run: `BROWSER_ENGINES` (comma-separated ids), or all three.
fn engines() -> Vec<Engine> {
    match std::env::var("BROWSER_ENGINES") {
        Ok(list) if !list.trim().is_empty() => Engine::ALL
            .into_iter()
            .filter(|e| list.split(',').any(|id| id.trim() == e.id()))
            .collect(),
        _ => Engine::ALL.to_vec(),
    }
}

/// Where the suite writes its results and the drivers' logs.
pub fn out_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser")
}

fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}

/// Runs `trials` on every engine and checks the matrix; exits non-zero on a failure.
pub fn main(trials: Vec<Trial>) {
    let started = Instant::now();
    let args = Args::parse();
    let engines = engines();
    let full_name = |case: &str, engine: Engine| format!("{case}::{}", engine.id());
    if args.list {
        for trial in &trials {
            for &engine in &engines {
                let name = full_name(&trial.name, engine);
                if args.selects(&name) {
                    println!("{name}: test");
                }
            }
        }
        println!("{}: test", matrix::TRIAL);
        return;
    }

    // A panic inside a case is recorded with the case (printed once, with its log), not on
    // stderr as it happens.
    let default_hook = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        let inside = RECORD.with(|r| r.borrow().is_some());
        if info.payload().downcast_ref::<Skip>().is_some() {
            // Not a failure: the harness says why.
        } else if inside {
            let location = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let message = panic_message(info.payload());
            with_record(|r| {
                r.panic.get_or_insert(format!("{message}{location}"));
            });
        } else {
            default_hook(info);
        }
    }));

    let selected: Cases = trials.iter().map(|t| (t.name.clone(), t.run)).collect();
    let mut filtered_out = 0;
    let mut plan: BTreeMap<Engine, Cases> = BTreeMap::new();
    for &engine in &engines {
        for (name, run) in &selected {
            if args.selects(&full_name(name, engine)) {
                plan.entry(engine).or_default().push((name.clone(), *run));
            } else {
                filtered_out += 1;
            }
        }
    }
    let total: usize = plan.values().map(Vec::len).sum();
    println!("\nrunning {total} tests");
    if total > 0 {
        if let Err(why) = crate::world::start() {
            panic!("the servers of the browser tests did not start: {why}");
        }
    }

    let outcomes: Arc<Mutex<Vec<Outcome>>> = Arc::default();
    let versions: Arc<Mutex<BTreeMap<Engine, String>>> = Arc::default();
    let timings: Arc<Mutex<Vec<String>>> = Arc::default();
    let threads: Vec<_> = plan
        .into_iter()
        .map(|(engine, cases)| {
            let outcomes = Arc::clone(&outcomes);
            let versions = Arc::clone(&versions);
            let timings = Arc::clone(&timings);
            std::thread::Builder::new()
                .name(engine.id().to_owned())
                .spawn(move || {
                    run_engine(engine, cases, &outcomes, &versions, &timings);
                })
                .expect("a thread per engine")
        })
        .collect();
    for thread in threads {
        let _ = thread.join();
    }

    let outcomes = std::mem::take(&mut *outcomes.lock().unwrap_or_else(|e| e.into_inner()));
    let versions = versions.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut passed = outcomes
        .iter()
        .filter(|o| matches!(o.verdict, Verdict::Pass | Verdict::Differs(_)))
        .count();
    let mut ignored = outcomes
        .iter()
        .filter(|o| matches!(o.verdict, Verdict::Skipped(_)))
        .count();
    let mut failures: Vec<(String, String, Vec<String>)> = outcomes
        .iter()
        .filter_map(|o| match &o.verdict {
            Verdict::Fail(why) => Some((full_name(&o.case, o.engine), why.clone(), o.log.clone())),
            _ => None,
        })
        .collect();

    // The matrix: checked (or written) only when every case ran on every engine.
    let complete = args.filters.is_empty()
        && args.skip.is_empty()
        && engines.len() == Engine::ALL.len()
        && outcomes
            .iter()
            .all(|o| !matches!(o.verdict, Verdict::Skipped(_)));
    if args.selects(matrix::TRIAL) || complete {
        let names: Vec<String> = trials.iter().map(|t| t.name.clone()).collect();
        match matrix::check(&names, &outcomes, &versions, complete) {
            matrix::Matrix::Agrees(what) => {
                println!("test {} ... ok ({what})", matrix::TRIAL);
                passed += 1;
            }
            matrix::Matrix::NotChecked(why) => {
                println!("test {} ... ignored ({why})", matrix::TRIAL);
                ignored += 1;
            }
            matrix::Matrix::Disagrees(why) => {
                println!("test {} ... FAILED", matrix::TRIAL);
                failures.push((matrix::TRIAL.to_owned(), why, Vec::new()));
            }
        }
    }

    for line in timings.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        println!("{line}");
    }
    if !failures.is_empty() {
        println!("\nfailures:\n");
        for (name, why, log) in &failures {
            println!("---- {name} ----");
            for line in log {
                println!("{line}");
            }
            println!("{why}\n");
        }
        println!("failures:");
        for (name, _, _) in &failures {
            println!("    {name}");
        }
    }
    let result = if failures.is_empty() { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {result}. {passed} passed; {} failed; {ignored} ignored; 0 measured; \
         {filtered_out} filtered out; finished in {:.2}s\n",
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    let _ = std::io::stdout().flush();
    if !failures.is_empty() {
        std::process::exit(101);
    }
}

/// Starts `engine`'s session and runs `cases` on it, one after the other.
fn run_engine(
    engine: Engine,
    cases: Cases,
    outcomes: &Mutex<Vec<Outcome>>,
    versions: &Mutex<BTreeMap<Engine, String>>,
    timings: &Mutex<Vec<String>>,
) {
    let push = |outcome: Outcome| {
        let name = format!("{}::{}", outcome.case, outcome.engine.id());
        let status = match &outcome.verdict {
            Verdict::Pass => "ok".to_owned(),
            Verdict::Differs(d) => format!(
                "ok (differs: {})",
                d.iter()
                    .map(|d| d.what.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            Verdict::Fail(_) => "FAILED".to_owned(),
            Verdict::Skipped(why) => format!("ignored ({why})"),
        };
        println!("test {name} ... {status}");
        outcomes
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(outcome);
    };
    let started = Instant::now();
    let session = match Session::start(engine, &out_dir()) {
        Ok(session) => session,
        Err(unavailable) => {
            let (message, fail) = match unavailable {
                Unavailable::Missing(why) => (
                    format!(
                        "{engine} not found ({why}); install it with `{}`",
                        engine.install_hint()
                    ),
                    in_ci(),
                ),
                Unavailable::Broken(why) => (format!("{engine} did not start: {why}"), true),
            };
            if !fail {
                let _ = writeln!(
                    std::io::stderr(),
                    "\n!!!!!!!! browser tests SKIPPED on {engine}: {message}\n"
                );
            }
            for (case, _) in cases {
                let verdict = if fail {
                    Verdict::Fail(if in_ci() {
                        format!("{message} -- CI=true, so a missing browser is a failure")
                    } else {
                        message.clone()
                    })
                } else {
                    Verdict::Skipped(message.clone())
                };
                push(Outcome {
                    case,
                    engine,
                    verdict,
                    observations: Vec::new(),
                    log: Vec::new(),
                });
            }
            return;
        }
    };
    let start_time = started.elapsed();
    versions
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(engine, session.version.clone());
    let run = Rc::new(Run {
        engine,
        session,
        page: RefCell::new(None),
    });
    RUN.with(|r| *r.borrow_mut() = Some(Rc::clone(&run)));
    let count = cases.len();
    for (case, body) in cases {
        RECORD.with(|r| *r.borrow_mut() = Some(Record::default()));
        let result = panic::catch_unwind(AssertUnwindSafe(body));
        let record = RECORD.with(|r| r.borrow_mut().take()).unwrap_or_default();
        let verdict = match result {
            Ok(()) if record.differences.is_empty() => Verdict::Pass,
            Ok(()) => Verdict::Differs(record.differences),
            Err(payload) => match payload.downcast_ref::<Skip>() {
                Some(Skip(why)) if in_ci() => {
                    Verdict::Fail(format!("{why} -- CI=true, so this is a failure"))
                }
                Some(Skip(why)) => {
                    let _ = writeln!(
                        std::io::stderr(),
                        "\n!!!!!!!! browser test `{case}` SKIPPED on {engine}: {why}\n"
                    );
                    Verdict::Skipped(why.clone())
                }
                None => Verdict::Fail(
                    record
                        .panic
                        .unwrap_or_else(|| panic_message(payload.as_ref())),
                ),
            },
        };
        if matches!(verdict, Verdict::Fail(_)) {
            // The page may be anywhere now: the next case loads its own.
            *run.page.borrow_mut() = None;
        }
        push(Outcome {
            case,
            engine,
            verdict,
            observations: record.observations,
            log: record.log,
        });
    }
    RUN.with(|r| *r.borrow_mut() = None);
    let version = run.session.version.clone();
    drop(run);
    timings
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(format!(
        "{engine} {version}: {count} cases in {:.1} s (the driver and browser started in {:.1} s)",
        started.elapsed().as_secs_f64(),
        start_time.as_secs_f64()
    ));
}

/// Waits until `ready` returns `Some`, at most `timeout`, polling every 20 ms.
pub fn poll<T>(timeout: Duration, mut ready: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = ready() {
            return Some(value);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
