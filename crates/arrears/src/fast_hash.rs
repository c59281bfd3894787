//! A fast hasher for the per-run sets of detection (duplicate rows, affected workers) and
//! the register index.
//!
//! The set keys are small integers, one of them a slice of a keyed HMAC: evenly spread and
//! not choosable by anyone without the pseudonym key; the index keys come from the user's own
//! register. `SipHash`'s protection against crafted collisions buys nothing here, while it
//! cost about a fifth of the detection time.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// The multiply-rotate hash used by rustc (`FxHash`).
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x517c_c1b7_2722_0a95;

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    fn write_i32(&mut self, value: i32) {
        self.add(u64::from(value.cast_unsigned()));
    }

    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        // The multiply mixes every input bit into the high bits only; the table takes its
        // bucket from the low bits, so bring the high ones down (as rustc-hash 2 does).
        self.hash.rotate_left(26)
    }
}

/// A `HashSet` with [`FxHasher`].
pub(crate) type FastSet<T> = HashSet<T, BuildHasherDefault<FxHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_keys_stay_distinct() {
        let mut set: FastSet<(u32, u64, i32)> = FastSet::default();
        for employer in 0..100u32 {
            for worker in 0..100u64 {
                assert!(set.insert((employer, worker, 24_305)));
            }
        }
        assert_eq!(set.len(), 10_000);
        assert!(!set.insert((7, 7, 24_305)));
    }
}
