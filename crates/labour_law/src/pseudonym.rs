//! Keyed pseudonyms for HKIDs and names.
//!
//! A pseudonym is HMAC-SHA256 under a secret key (from configuration, never the store) over
//! `kind NUL normalised-value`, truncated to 128 bits and written `p_` + 32 lowercase hex
//! digits. Without the key a pseudonym cannot be recomputed from a guessed HKID, which a
//! plain hash would allow (there are only about 10^9 well-formed HKIDs).
//!
//! The kind prefix separates the domains: an HKID and a name can never share a pseudonym
//! by construction of the input, whatever their text.
//!
//! Collisions: for n distinct values the chance that any two of 128-bit pseudonyms collide
//! is at most n² / 2^129. For Hong Kong's roughly 3 × 10^6 employees that is about
//! 1.3 × 10^-26, and still about 1.5 × 10^-21 for 10^9 values, so a pseudonym can stand in
//! for the person as a join key.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::one_block_hmac::OneBlockHmac;
use crate::{Hkid, LabourLawError};

/// What a pseudonymised value is; part of the HMAC input, so the same text under two
/// kinds gives two unrelated pseudonyms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PseudonymKind {
    Hkid,
    Name,
}

impl PseudonymKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PseudonymKind::Hkid => "hkid",
            PseudonymKind::Name => "name",
        }
    }
}

/// The first 16 bytes of the HMAC, written `p_` followed by 32 lowercase hex digits.
///
/// Held as bytes, not text: a run over millions of rows makes one per row, so it is `Copy`
/// and allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pseudonym([u8; Pseudonym::BYTES]);

impl Pseudonym {
    const PREFIX: &'static str = "p_";
    const BYTES: usize = 16;

    /// The first 64 bits, as an in-memory key: two values share them with a chance of
    /// about n² / 2^65 among n values.
    pub fn first_64_bits(self) -> u64 {
        let mut word = [0u8; 8];
        word.copy_from_slice(&self.0[..8]);
        u64::from_be_bytes(word)
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

/// Computes pseudonyms under one secret key.
///
/// Holds the keyed HMAC state, not the key bytes, and its `Debug` shows neither.
#[derive(Clone)]
pub struct Pseudonymiser {
    /// For the usual short values (every HKID, most names): two compressions each.
    short: OneBlockHmac,
    /// For longer values (long names): keyed; each starts from a copy.
    keyed: Hmac<Sha256>,
}

impl Pseudonymiser {
    /// Shorter keys are rejected: below 128 bits a key could be found by brute force.
    pub const KEY_BYTES_MIN: usize = 16;

    pub fn new(key: &[u8]) -> Result<Pseudonymiser, LabourLawError> {
        if key.len() < Pseudonymiser::KEY_BYTES_MIN {
            return Err(LabourLawError::KeyTooShort(key.len()));
        }
        // HMAC accepts keys of any length, so this cannot fail; map it anyway rather than panic.
        let keyed = Hmac::<Sha256>::new_from_slice(key)
            .map_err(|_| LabourLawError::KeyTooShort(key.len()))?;
        Ok(Pseudonymiser {
            short: OneBlockHmac::new(key),
            keyed,
        })
    }

    /// The pseudonym of `value` read as `kind`: an HKID is parsed (and must be valid) and
    /// taken in its canonical form; a name is normalised as in [`Pseudonymiser::name`].
    pub fn pseudonym(&self, kind: PseudonymKind, value: &str) -> Result<Pseudonym, LabourLawError> {
        match kind {
            PseudonymKind::Hkid => Ok(self.hkid(&Hkid::parse(value)?)),
            PseudonymKind::Name => self.name(value),
        }
    }

    pub fn hkid(&self, id: &Hkid) -> Pseudonym {
        self.compute(PseudonymKind::Hkid, id.canonical())
    }

    /// Names that differ only in case or in the amount of whitespace get one pseudonym:
    /// the name is trimmed, every run of Unicode whitespace (including the ideographic
    /// space U+3000) becomes one space, and letters are lower-cased with Unicode rules.
    pub fn name(&self, name: &str) -> Result<Pseudonym, LabourLawError> {
        let normalised = normalise_name(name);
        if normalised.is_empty() {
            return Err(LabourLawError::EmptyName);
        }
        Ok(self.compute(PseudonymKind::Name, normalised.as_bytes()))
    }

    /// HMAC over `kind NUL canonical`.
    fn compute(&self, kind: PseudonymKind, canonical: &[u8]) -> Pseudonym {
        let prefix = kind.as_str().as_bytes();
        if let Some(mac) = self.short.mac(&[prefix, b"\0", canonical]) {
            return Pseudonym::from_mac(&mac);
        }
        let mut mac = self.keyed.clone();
        mac.update(prefix);
        mac.update(b"\0");
        mac.update(canonical);
        Pseudonym::from_mac(&mac.finalize().into_bytes())
    }
}

impl fmt::Debug for Pseudonymiser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pseudonymiser { key: <redacted> }")
    }
}

/// Trims, collapses every run of Unicode whitespace (including the ideographic space
/// U+3000) to one ASCII space and lower-cases with Unicode rules, so `CHAN  Tai Man` and
/// `chan tai man` are one name. Spacing is collapsed, not removed, because `CHAN TAI MAN`
/// and `CHANTAI MAN` may well be different people. Full case folding and Unicode
/// normalisation (NFKC: full-width letters) are not applied.
fn normalise_name(name: &str) -> String {
    let mut normalised = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !normalised.is_empty() {
            normalised.push(' ');
        }
        normalised.extend(word.chars().flat_map(char::to_lowercase));
    }
    normalised
}
