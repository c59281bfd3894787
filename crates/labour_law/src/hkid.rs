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
    pub(crate) const CANONICAL_MAX: usize = 11;

    /// Parses one or two letters, six digits and a check digit (`0`-`9` or `A`), with or
    /// without parentheses around the check digit, in either case: `A123456(3)`,
    /// `a1234563`. The error says what is wrong but never repeats the input.
    pub fn parse(text: &str) -> Result<Hkid, LabourLawError> {
        let shape = || LabourLawError::Hkid(HkidProblem::Shape);
        let bytes = text.as_bytes();
        // `trim` decodes characters to find Unicode spaces; an id that starts and ends with
        // a letter, digit or parenthesis has none to trim.
        let bytes = match (bytes.first(), bytes.last()) {
            (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => {
                bytes
            }
            _ => text.trim().as_bytes(),
        };
        let (body, check) = match bytes {
            [body @ .., b'(', check, b')'] | [body @ .., check] => {
                (body, check.to_ascii_uppercase())
            }
            [] => return Err(shape()),
        };
        let prefix_len = match body.len() {
            7 => 1,
            8 => 2,
            _ => return Err(shape()),
        };
        // One pass: shape, canonical form and the check sum together (millions of rows
        // each parse one). See `check_character` for the scheme.
        let mut canonical = [0u8; Hkid::CANONICAL_MAX];
        let mut sum = if prefix_len == 1 { SPACE_VALUE * 9 } else { 0 };
        for (index, (&byte, slot)) in body.iter().zip(&mut canonical).enumerate() {
            let byte = byte.to_ascii_uppercase();
            let value = if index < prefix_len {
                if !byte.is_ascii_uppercase() {
                    return Err(shape());
                }
                u32::from(byte - b'A') + 10
            } else {
                if !byte.is_ascii_digit() {
                    return Err(shape());
                }
                u32::from(byte - b'0')
            };
            // The weights run down to 2 at the last digit.
            sum += value * (body.len() + 1 - index) as u32;
            *slot = byte;
        }
        if !(check.is_ascii_digit() || check == b'A') {
            return Err(shape());
        }
        if check_character(sum) != check {
            return Err(LabourLawError::Hkid(HkidProblem::CheckDigit));
        }
        let len = body.len() + 3;
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

/// The value of the space that pads a single-letter id in front.
const SPACE_VALUE: u32 = 36;

/// The check character of an HKID body (one or two letters and six digits) from its
/// weighted sum: the mod-11 scheme, with a single-letter id padded in front by a space worth
/// 36; letters A-Z are 10-35, and the weights run 9 down to 2 over the eight positions;
/// check = 11 − (sum mod 11), written `A` for 10 and `0` for 11.
fn check_character(sum: u32) -> u8 {
    match 11 - sum % 11 {
        10 => b'A',
        11 => b'0',
        n => b'0' + n as u8,
    }
}
