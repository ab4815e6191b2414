//! A `metrics` recorder for tests: every counter and gauge an atomic, kept by name and labels,
//! readable by the test. Installed once per test binary, before any handle is registered
//! (handles registered before would count into nothing).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, OnceLock};

use metrics::atomics::AtomicU64;
use metrics::{Counter, Gauge, Histogram, Key, KeyName, Metadata, Recorder, SharedString, Unit};

/// A series: the metric's name and its labels, sorted.
pub type Series = (String, Vec<(String, String)>);

#[derive(Default)]
pub struct TestRecorder {
    series: Mutex<BTreeMap<Series, Arc<AtomicU64>>>,
}

fn series(key: &Key) -> Series {
    let mut labels: Vec<(String, String)> = key
        .labels()
        .map(|l| (l.key().to_owned(), l.value().to_owned()))
        .collect();
    labels.sort();
    (key.name().to_owned(), labels)
}

impl TestRecorder {
    fn slot(&self, key: &Key) -> Arc<AtomicU64> {
        let mut all = self.series.lock().unwrap();
        Arc::clone(all.entry(series(key)).or_default())
    }
}

impl Recorder for TestRecorder {
    fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
    fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}

    fn register_counter(&self, key: &Key, _: &Metadata<'_>) -> Counter {
        Counter::from_arc(self.slot(key))
    }

    fn register_gauge(&self, key: &Key, _: &Metadata<'_>) -> Gauge {
        Gauge::from_arc(self.slot(key))
    }

    fn register_histogram(&self, _: &Key, _: &Metadata<'_>) -> Histogram {
        Histogram::noop()
    }
}

static RECORDER: OnceLock<&'static TestRecorder> = OnceLock::new();

/// The recorder of this test binary, installed on first use.
pub fn recorder() -> &'static TestRecorder {
    RECORDER.get_or_init(|| {
        let recorder: &'static TestRecorder = Box::leak(Box::default());
        metrics::set_global_recorder(recorder).expect("no other recorder in this test binary");
        recorder
    })
}

impl TestRecorder {
    /// The value of the counter `name` with exactly these labels (0 if never registered).
    pub fn counter(&self, name: &str, labels: &[(&str, &str)]) -> u64 {
        let mut labels: Vec<(String, String)> = labels
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        labels.sort();
        self.series
            .lock()
            .unwrap()
            .get(&(name.to_owned(), labels))
            .map_or(0, |v| v.load(Ordering::Acquire))
    }

    /// The value of the gauge `name` with exactly these labels.
    pub fn gauge(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        f64::from_bits(self.counter(name, labels))
    }

    /// Every series of `name`.
    pub fn series(&self, name: &str) -> Vec<Series> {
        self.series
            .lock()
            .unwrap()
            .keys()
            .filter(|(n, _)| n == name)
            .cloned()
            .collect()
    }
}
