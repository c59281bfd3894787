//! HMAC-SHA256 (RFC 2104) of short messages, in exactly two SHA-256 compressions.
//!
//! A pseudonym is computed for every row of files of millions of rows, and its message
//! (`hkid NUL canonical-HKID`) is short. HMAC is `H(K ⊕ opad ‖ H(K ⊕ ipad ‖ m))`: the states
//! after the two key blocks are computed once per key, and a message that fits one block
//! with its padding (55 bytes at most) then costs one compression for the inner hash and
//! one for the outer. The `hmac` crate, its keyed state built once and cloned per message,
//! reaches the same result with a copy of both states, block buffering and padding
//! bookkeeping per message: `lmo arrears` took 7–9% longer with it on the 300,000-employer
//! month of `bench/arrears.sh` (wall and CPU medians of 21 interleaved rounds, 2026-12-04).
//! Longer messages are refused; the tests check the result against the `hmac` crate.

use sha2::block_api::compress256;
use sha2::{Digest, Sha256};

const BLOCK_BYTES: usize = 64;
/// A message of one block: the block less the `0x80` marker and the 64-bit length.
pub(crate) const MESSAGE_BYTES_MAX: usize = BLOCK_BYTES - 1 - 8;
/// FIPS 180-4, 5.3.3.
const INITIAL_STATE: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// The SHA-256 states after the inner and the outer key block of one key.
#[derive(Clone)]
pub(crate) struct OneBlockHmac {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl OneBlockHmac {
    pub(crate) fn new(key: &[u8]) -> OneBlockHmac {
        let mut key_block = [0u8; BLOCK_BYTES];
        if key.len() > BLOCK_BYTES {
            let digest = Sha256::digest(key);
            key_block[..digest.len()].copy_from_slice(&digest);
        } else {
            key_block[..key.len()].copy_from_slice(key);
        }
        let state_after = |pad: u8| {
            let mut block = key_block;
            for byte in &mut block {
                *byte ^= pad;
            }
            let mut state = INITIAL_STATE;
            compress256(&mut state, &[block]);
            state
        };
        OneBlockHmac {
            inner: state_after(0x36),
            outer: state_after(0x5c),
        }
    }

    /// The MAC of the concatenated `parts`; `None` when they are longer than
    /// [`MESSAGE_BYTES_MAX`].
    pub(crate) fn mac(&self, parts: &[&[u8]]) -> Option<[u8; 32]> {
        let mut block = [0u8; BLOCK_BYTES];
        let mut length = 0;
        for part in parts {
            block
                .get_mut(length..length + part.len())
                .filter(|_| length + part.len() <= MESSAGE_BYTES_MAX)?
                .copy_from_slice(part);
            length += part.len();
        }
        let inner = last_block(self.inner, block, length);
        let mut block = [0u8; BLOCK_BYTES];
        block[..inner.len()].copy_from_slice(&inner);
        Some(last_block(self.outer, block, inner.len()))
    }
}

/// Pads `block`, which holds the last `length` bytes of a message that follows one key
/// block, compresses it into `state` and returns the digest.
fn last_block(mut state: [u32; 8], mut block: [u8; BLOCK_BYTES], length: usize) -> [u8; 32] {
    block[length] = 0x80;
    let bits = ((BLOCK_BYTES + length) as u64) * 8;
    block[BLOCK_BYTES - 8..].copy_from_slice(&bits.to_be_bytes());
    compress256(&mut state, &[block]);
    let mut digest = [0u8; 32];
    for (bytes, word) in digest.chunks_exact_mut(4).zip(state) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use hmac::{Hmac, KeyInit, Mac};
    use proptest::prelude::*;
    use sha2::Sha256;

    use super::{MESSAGE_BYTES_MAX, OneBlockHmac};

    fn reference(key: &[u8], message: &[u8]) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
        mac.update(message);
        mac.finalize().into_bytes().to_vec()
    }

    #[test]
    fn rfc_4231_test_case_2() {
        // Key "Jefe", data "what do ya want for nothing?".
        let mac = OneBlockHmac::new(b"Jefe")
            .mac(&[b"what do ya want ", b"for nothing?"])
            .expect("short");
        let hex = mac.iter().fold(String::new(), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        });
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn longer_messages_are_refused() {
        let hmac = OneBlockHmac::new(&[7; 32]);
        assert!(hmac.mac(&[&[1; MESSAGE_BYTES_MAX]]).is_some());
        assert!(hmac.mac(&[&[1; MESSAGE_BYTES_MAX + 1]]).is_none());
        assert!(hmac.mac(&[&[1; 40], &[2; 16]]).is_none());
    }

    proptest! {
        #[test]
        fn equals_the_hmac_crate(
            key in proptest::collection::vec(any::<u8>(), 0..200),
            message in proptest::collection::vec(any::<u8>(), 0..=MESSAGE_BYTES_MAX),
            split in 0usize..=MESSAGE_BYTES_MAX,
        ) {
            let split = split.min(message.len());
            let (head, tail) = message.split_at(split);
            let ours = OneBlockHmac::new(&key).mac(&[head, tail]).expect("fits one block");
            prop_assert_eq!(ours.to_vec(), reference(&key, &message));
        }
    }
}
