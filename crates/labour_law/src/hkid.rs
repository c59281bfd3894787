//! Hong Kong Identity Card numbers: shape, check digit, and a Debug that redacts.

use std::fmt;

use crate::{HkidProblem, LabourLawError};

/// A Hong Kong Identity Card number whose check digit matches.
///
/// Held in the canonical form `A123456(3)` / `XA123456(A)` (upper case, check digit in
/// parentheses). There is deliberately no `Display` and `Debug` redacts the digits: the
/// only use of the full number is to derive a pseudonym (see `Pseudonymiser`).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Hkid {
    /// The canonical form, ASCII, in the first `len` bytes: parsing millions of rows makes
    /// one per row, so it lives on the stack.
    canonical: [u8; Hkid::CANONICAL_MAX],
    len: u8,
    prefix_len: u8,
}

impl Hkid {
    /// `XA123456(A)`.
    const CANONICAL_MAX: usize = 11;

    /// Parses one or two letters, six digits and a check digit (`0`-`9` or `A`), with or
    /// without parentheses around the check digit, in either case: `A123456(3)`,
    /// `a1234563`. The error says what is wrong but never repeats the input.
    pub fn parse(text: &str) -> Result<Hkid, LabourLawError> {
        let shape = || LabourLawError::Hkid(HkidProblem::Shape);
        let trimmed = text.trim().as_bytes();
        if trimmed.len() > Hkid::CANONICAL_MAX {
            return Err(shape());
        }
        let mut upper = [0u8; Hkid::CANONICAL_MAX];
        let upper = &mut upper[..trimmed.len()];
        upper.copy_from_slice(trimmed);
        upper.make_ascii_uppercase();
        let (body, check) = match &*upper {
            [body @ .., b'(', check, b')'] | [body @ .., check] => (body, *check),
            [] => return Err(shape()),
        };
        let prefix_len = match body.len() {
            7 => 1,
            8 => 2,
            _ => return Err(shape()),
        };
        let (prefix, digits) = body.split_at(prefix_len);
        let shape_ok = prefix.iter().all(u8::is_ascii_uppercase)
            && digits.iter().all(u8::is_ascii_digit)
            && (check.is_ascii_digit() || check == b'A');
        if !shape_ok {
            return Err(shape());
        }
        if check_digit(body) != check {
            return Err(LabourLawError::Hkid(HkidProblem::CheckDigit));
        }
        let mut canonical = [0u8; Hkid::CANONICAL_MAX];
        let len = body.len() + 3;
        canonical[..body.len()].copy_from_slice(body);
        canonical[body.len()..len].copy_from_slice(&[b'(', check, b')']);
        Ok(Hkid {
            canonical,
            // At most 11 and 2: the shape checks above.
            len: len as u8,
            prefix_len: prefix_len as u8,
        })
    }

    /// The canonical text, for the pseudonymiser only.
    pub(crate) fn canonical(&self) -> &[u8] {
        &self.canonical[..usize::from(self.len)]
    }
}

impl fmt::Debug for Hkid {
    /// Shows only the letter prefix, which says little about the holder but tells a reader
    /// which shape of id was parsed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Letters only: ASCII, shown one by one.
        f.write_str("Hkid(")?;
        for &letter in &self.canonical[..usize::from(self.prefix_len)] {
            write!(f, "{}", char::from(letter))?;
        }
        f.write_str("******(*))")
    }
}

/// The check character of an HKID body (one or two letters and six digits): the weighted
/// mod-11 scheme, with a single-letter id padded by a leading space worth 36; letters A-Z
/// are 10-35, the weights run 9 down to 2 over the eight positions; check =
/// 11 − (sum mod 11), written `A` for 10 and `0` for 11.
fn check_digit(body: &[u8]) -> u8 {
    const SPACE: u32 = 36;
    let value = |b: u8| {
        if b.is_ascii_digit() {
            u32::from(b - b'0')
        } else {
            u32::from(b - b'A') + 10
        }
    };
    // A single letter is padded in front: the space takes the first weight, 9.
    let (mut sum, first_weight) = if body.len() < 8 {
        (SPACE * 9, 8)
    } else {
        (0, 9)
    };
    for (&b, weight) in body.iter().zip((2..=first_weight).rev()) {
        sum += value(b) * weight;
    }
    match 11 - sum % 11 {
        10 => b'A',
        11 => b'0',
        n => b'0' + n as u8,
    }
}

#[cfg(test)]
mod tests {
    use super::check_digit;

    #[test]
    fn check_digit_of_the_specimen_number() {
        // A123456(3) is the specimen number used in public descriptions of the scheme.
        assert_eq!(check_digit(b"A123456"), b'3');
    }
}
