//! The duplicate-row check of the per-employee files: one row per employer, employee and
//! period start.
//!
//! Statements are normally grouped by employer (a trustee's file is a series of employer
//! statements), so the check keeps only the current employer's keys in a small set that
//! stays in cache. Every key also goes to an append-only log; if an employer's rows turn
//! up again after another employer's, the file is not grouped, and the check switches for
//! the rest of the file to one set of every key, built from the log.

use rustc_hash::FxHashSet;

/// (employer, first 64 bits of the employee's pseudonym, period start as a number).
pub(crate) type DuplicateKey = (u32, u64, i32);

/// Keys per log chunk: chunks are never reallocated, so the log grows without copying.
const LOG_CHUNK: usize = 1 << 16;
/// A run's set larger than this is dropped rather than cleared: clearing costs its
/// capacity, on every later employer.
const RUN_SET_KEEP: usize = 1 << 10;

pub(crate) enum DuplicateCheck {
    Grouped(Grouped),
    Scattered(FxHashSet<DuplicateKey>),
}

pub(crate) struct Grouped {
    current: Option<u32>,
    run: FxHashSet<(u64, i32)>,
    /// Employers whose run has ended, by employer index.
    ended: Vec<bool>,
    log: Vec<Vec<DuplicateKey>>,
}

impl DuplicateCheck {
    pub(crate) fn new(employers: usize) -> DuplicateCheck {
        DuplicateCheck::Grouped(Grouped {
            current: None,
            run: FxHashSet::default(),
            ended: vec![false; employers],
            log: Vec::new(),
        })
    }

    /// Records `key`; `false` when it was recorded before.
    pub(crate) fn insert(&mut self, key: DuplicateKey) -> bool {
        match self {
            DuplicateCheck::Scattered(all) => all.insert(key),
            DuplicateCheck::Grouped(grouped) => {
                if let Some(new) = grouped.insert(key) {
                    return new;
                }
                let mut all: FxHashSet<DuplicateKey> =
                    grouped.log.iter().flatten().copied().collect();
                let new = all.insert(key);
                *self = DuplicateCheck::Scattered(all);
                new
            }
        }
    }
}

impl Grouped {
    /// `None` when `key`'s employer had an earlier run: the file is not grouped.
    fn insert(&mut self, key: DuplicateKey) -> Option<bool> {
        let (employer, worker, day) = key;
        if self.current != Some(employer) {
            if self.ended.get(employer as usize).copied().unwrap_or(true) {
                return None;
            }
            if let Some(previous) = self.current.replace(employer)
                && let Some(ended) = self.ended.get_mut(previous as usize)
            {
                *ended = true;
            }
            if self.run.capacity() > RUN_SET_KEEP {
                self.run = FxHashSet::default();
            } else {
                self.run.clear();
            }
        }
        if !self.run.insert((worker, day)) {
            return Some(false);
        }
        match self.log.last_mut() {
            Some(chunk) if chunk.len() < LOG_CHUNK => chunk.push(key),
            _ => {
                let mut chunk = Vec::with_capacity(LOG_CHUNK);
                chunk.push(key);
                self.log.push(chunk);
            }
        }
        Some(true)
    }
}

#[cfg(test)]
mod tests {
    use super::DuplicateCheck;

    #[test]
    fn grouped_and_scattered_files_find_the_same_duplicates() {
        // (employer, worker) rows: grouped, then the same rows interleaved.
        let grouped = [(0, 1), (0, 2), (0, 1), (1, 1), (1, 3), (2, 1), (2, 1)];
        let scattered = [
            (0, 1),
            (1, 1),
            (0, 2),
            (1, 3),
            (0, 1),
            (2, 1),
            (1, 3),
            (0, 2),
        ];
        let verdicts = |rows: &[(u32, u64)]| {
            let mut check = DuplicateCheck::new(3);
            rows.iter()
                .map(|&(employer, worker)| check.insert((employer, worker, 20_000)))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            verdicts(&grouped),
            [true, true, false, true, true, true, false]
        );
        assert_eq!(
            verdicts(&scattered),
            [true, true, true, true, false, true, false, false]
        );
    }

    #[test]
    fn a_large_employer_then_many_small_ones() {
        let mut check = DuplicateCheck::new(1_001);
        for worker in 0..5_000 {
            assert!(check.insert((0, worker, 1)));
        }
        assert!(!check.insert((0, 4_999, 1)));
        for employer in 1..=1_000 {
            assert!(check.insert((employer, 7, 1)));
            assert!(check.insert((employer, 7, 2)), "another period start");
            assert!(!check.insert((employer, 7, 1)));
        }
        // Back to the first employer: the file is not grouped; its keys are still known.
        assert!(!check.insert((0, 123, 1)));
        assert!(check.insert((0, 5_000, 1)));
    }
}
