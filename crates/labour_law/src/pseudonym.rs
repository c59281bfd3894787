//! Keyed pseudonyms for HKIDs.
//!
//! A pseudonym is HMAC-SHA256 under a secret key (from configuration, never the store) over
//! `hkid NUL canonical-HKID`, truncated to 128 bits and written `p_` + 32 lowercase hex
//! digits. Without the key a pseudonym cannot be recomputed from a guessed HKID, which a
//! plain hash would allow (there are only about 10^9 well-formed HKIDs). The `hkid` prefix
//! keeps the pseudonyms of HKIDs apart from those of any other kind of value a later
//! version might pseudonymise; names are not pseudonymised but dropped at ingest.
//!
//! Collisions: for n distinct values the chance that any two of 128-bit pseudonyms collide
//! is at most n² / 2^129. For Hong Kong's roughly 3 × 10^6 employees that is about
//! 1.3 × 10^-26, and still about 1.5 × 10^-21 for 10^9 values, so a pseudonym can stand in
//! for the person as a join key.

use std::fmt;

use serde::Deserialize;

use crate::one_block_hmac::{MESSAGE_BYTES_MAX, OneBlockHmac};
use crate::{Hkid, LabourLawError};

/// The first 16 bytes of the HMAC, written `p_` followed by 32 lowercase hex digits.
///
/// Held as bytes, not text: a run over millions of rows makes one per row, so it is `Copy`
/// and allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pseudonym([u8; Pseudonym::BYTES]);

impl Pseudonym {
    const PREFIX: &'static str = "p_";
    pub const BYTES: usize = 16;

    /// The first 64 bits, as an in-memory key: two values share them with a chance of
    /// about n² / 2^65 among n values.
    pub fn first_64_bits(self) -> u64 {
        let mut word = [0u8; 8];
        word.copy_from_slice(&self.0[..8]);
        u64::from_be_bytes(word)
    }

    /// The pseudonym's bytes, to keep it in a file of lmo's own (a spill file of the
    /// duplicate check); [`Pseudonym::from_bytes`] reads it back.
    pub fn to_bytes(self) -> [u8; Pseudonym::BYTES] {
        self.0
    }

    /// A pseudonym from [`Pseudonym::to_bytes`]; bytes from anywhere else make one that no
    /// HKID has.
    pub fn from_bytes(bytes: [u8; Pseudonym::BYTES]) -> Pseudonym {
        Pseudonym(bytes)
    }

    fn from_mac(mac: &[u8]) -> Pseudonym {
        let mut bytes = [0u8; Pseudonym::BYTES];
        bytes.copy_from_slice(&mac[..Pseudonym::BYTES]);
        Pseudonym(bytes)
    }
}

impl fmt::Display for Pseudonym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Pseudonym::PREFIX)?;
        for byte in self.0 {
            write!(f, "{byte:02x}")?;
        }
        Ok(())
    }
}

/// The secret key of the pseudonyms, as configured (`LMO_PSEUDONYM_KEY` or the config
/// file). Its `Debug` never shows the key, so whatever holds it can be printed or logged.
/// The length is checked where the key is used, by [`Pseudonymiser::new`].
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct PseudonymKey(String);

impl PseudonymKey {
    pub fn new(key: impl Into<String>) -> PseudonymKey {
        PseudonymKey(key.into())
    }

    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PseudonymKey(<redacted>)")
    }
}

/// What the HMAC input starts with: the kind of value, then NUL.
const HKID_PREFIX: &[u8] = b"hkid\0";

// Every HKID's message fits the one block of `OneBlockHmac`.
const _: () = assert!(HKID_PREFIX.len() + Hkid::CANONICAL_MAX <= MESSAGE_BYTES_MAX);

/// Computes pseudonyms under one secret key.
///
/// Holds the keyed HMAC state, not the key bytes, and its `Debug` shows neither.
#[derive(Clone)]
pub struct Pseudonymiser {
    /// Two SHA-256 compressions per HKID.
    hmac: OneBlockHmac,
}

impl Pseudonymiser {
    /// Shorter keys are rejected: below 128 bits a key could be found by brute force.
    pub const KEY_BYTES_MIN: usize = 16;

    /// Refuses keys shorter than [`Pseudonymiser::KEY_BYTES_MIN`], and keys that are one
    /// character repeated or white space (a placeholder such as `xxxxxxxxxxxxxxxx` is the
    /// first thing a guesser tries, whatever its length).
    pub fn new(key: &[u8]) -> Result<Pseudonymiser, LabourLawError> {
        if key.len() < Pseudonymiser::KEY_BYTES_MIN {
            return Err(LabourLawError::KeyTooShort(key.len()));
        }
        let text = String::from_utf8_lossy(key);
        let mut characters = text.chars().filter(|character| !character.is_whitespace());
        let first = characters.next();
        if characters.all(|character| Some(character) == first) {
            return Err(LabourLawError::KeyNotSecret);
        }
        Ok(Pseudonymiser {
            hmac: OneBlockHmac::new(key),
        })
    }

    pub fn hkid(&self, id: &Hkid) -> Pseudonym {
        let mac = self
            .hmac
            .mac(&[HKID_PREFIX, id.canonical()])
            .expect("an HKID's message fits one block (asserted above)");
        Pseudonym::from_mac(&mac)
    }
}

impl fmt::Debug for Pseudonymiser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pseudonymiser { key: <redacted> }")
    }
}

#[cfg(test)]
mod tests {
    use super::PseudonymKey;

    #[test]
    fn debug_never_shows_the_key() {
        let key = PseudonymKey::new("a secret of at least 16 bytes");
        let shown = format!("{key:?} {:?} {key:#?}", Some(&key));
        assert_eq!(
            shown,
            "PseudonymKey(<redacted>) Some(PseudonymKey(<redacted>)) PseudonymKey(<redacted>)"
        );
        assert_eq!(key.as_bytes(), b"a secret of at least 16 bytes");
    }
}
