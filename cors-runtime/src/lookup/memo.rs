//! Each worker's memo of its last few answers, in front of the shared cache: a request whose
//! origin a worker has just answered takes no lock and hashes nothing.
//!
//! A memo entry is the shared cache's answer as the worker read it, with that answer's expiry
//! and the lookup's epoch at the time; [`forget`](super::OriginLookup::forget) and
//! [`clear`](super::OriginLookup::clear) move the epoch on, so that every worker's memo of the
//! lookup is void from then on. Origins are compared byte for byte, as the cache's keys are.

use std::cell::RefCell;
use std::time::Instant;

use actix_web::http::header::HeaderValue;

use super::flight::Answer;
use super::OriginLookup;
use crate::verdict::Verdict;

/// Entries per worker (for all lookups together).
const SLOTS: usize = 4;
/// The longest origin a memo holds (inline, so that filling it allocates nothing).
const KEY: usize = 64;

struct Slot {
    /// The lookup's address; 0 for an empty slot.
    lookup: usize,
    epoch: u64,
    len: usize,
    key: [u8; KEY],
    verdict: Verdict,
    echo: Option<HeaderValue>,
    expires: Option<Instant>,
}

impl Slot {
    const EMPTY: Slot = Slot {
        lookup: 0,
        epoch: 0,
        len: 0,
        key: [0; KEY],
        verdict: Verdict::Refused,
        echo: None,
        expires: None,
    };
}

struct Memo {
    slots: [Slot; SLOTS],
    /// The slot the next new entry replaces.
    next: usize,
}

thread_local! {
    static MEMO: RefCell<Memo> = const {
        RefCell::new(Memo { slots: [Slot::EMPTY; SLOTS], next: 0 })
    };
}

fn address(lookup: &'static OriginLookup) -> usize {
    std::ptr::from_ref(lookup) as usize
}

/// The answer this worker memoised for `origin` from `lookup` in `epoch`, if it has not
/// expired at `now`.
pub(crate) fn recall(
    lookup: &'static OriginLookup,
    epoch: u64,
    origin: &[u8],
    now: Instant,
) -> Option<Answer> {
    let lookup = address(lookup);
    MEMO.try_with(|memo| {
        let memo = memo.borrow();
        let slot = memo
            .slots
            .iter()
            .find(|s| s.lookup == lookup && s.len == origin.len() && s.key[..s.len] == *origin)?;
        (slot.epoch == epoch && slot.expires.is_some_and(|e| now < e))
            .then(|| (slot.verdict, slot.echo.clone()))
    })
    .ok()
    .flatten()
}

/// Memoises `answer` for `origin` from `lookup` (read from the shared cache in `epoch`, valid
/// until `expires`), in place of this origin's previous entry or of the oldest one.
pub(crate) fn remember(
    lookup: &'static OriginLookup,
    epoch: u64,
    origin: &[u8],
    (verdict, echo): &Answer,
    expires: Instant,
) {
    if origin.len() > KEY {
        return;
    }
    let lookup = address(lookup);
    let _ = MEMO.try_with(|memo| {
        let mut memo = memo.borrow_mut();
        let i =
            match memo.slots.iter().position(|s| {
                s.lookup == lookup && s.len == origin.len() && s.key[..s.len] == *origin
            }) {
                Some(i) => i,
                None => {
                    let i = memo.next;
                    memo.next = (i + 1) % SLOTS;
                    i
                }
            };
        let slot = &mut memo.slots[i];
        slot.lookup = lookup;
        slot.epoch = epoch;
        slot.len = origin.len();
        slot.key[..origin.len()].copy_from_slice(origin);
        slot.verdict = *verdict;
        slot.echo.clone_from(echo);
        slot.expires = Some(expires);
    });
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use actix_web::http::header::HeaderValue;

    use super::{recall, remember, SLOTS};
    use crate::lookup::OriginLookup;
    use crate::verdict::Verdict;

    static ONE: OriginLookup = OriginLookup::new("memo test one");
    static TWO: OriginLookup = OriginLookup::new("memo test two");

    #[test]
    fn a_memo_answers_only_for_its_lookup_origin_epoch_and_time() {
        let now = Instant::now();
        let later = now + Duration::from_secs(10);
        let allowed = (
            Verdict::Allowed,
            Some(HeaderValue::from_static("https://a.example")),
        );
        remember(&ONE, 7, b"https://a.example", &allowed, later);
        assert_eq!(
            recall(&ONE, 7, b"https://a.example", now),
            Some(allowed.clone())
        );
        for other in [
            &b"https://A.example"[..],
            b"https://a.example.",
            b"https://a.exampl",
            b"",
        ] {
            assert_eq!(recall(&ONE, 7, other, now), None);
        }
        assert_eq!(
            recall(&TWO, 7, b"https://a.example", now),
            None,
            "another lookup"
        );
        assert_eq!(
            recall(&ONE, 8, b"https://a.example", now),
            None,
            "forgotten since"
        );
        assert_eq!(
            recall(&ONE, 7, b"https://a.example", later),
            None,
            "expired"
        );

        // Refusals too; an origin too long to hold inline is not memoised.
        remember(&TWO, 0, b"null", &(Verdict::Refused, None), later);
        assert_eq!(
            recall(&TWO, 0, b"null", now),
            Some((Verdict::Refused, None))
        );
        let long = [b'a'; 65];
        remember(&TWO, 0, &long, &(Verdict::Refused, None), later);
        assert_eq!(recall(&TWO, 0, &long, now), None);

        // The oldest entry makes room; remembering an origin again replaces its entry.
        for i in 0..SLOTS {
            let origin = format!("https://o{i}.example");
            remember(&ONE, 7, origin.as_bytes(), &(Verdict::Refused, None), later);
        }
        assert_eq!(recall(&ONE, 7, b"https://a.example", now), None);
        remember(&ONE, 7, b"https://o3.example", &allowed, later);
        assert_eq!(recall(&ONE, 7, b"https://o3.example", now), Some(allowed));
    }
}
