//! Hong Kong dollar amounts and percentages as exact integers.
//!
//! Legal amounts are compared to the cent (a contribution HK$0.01 short is still a
//! default), so amounts are integer cents and rates integer hundredths of a percent, both
//! parsed from decimal text. Nothing here touches a float.

use std::fmt;

use crate::LabourLawError;

/// An amount of Hong Kong dollars, held as integer cents.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_cents(cents: i64) -> Money {
        Money(cents)
    }

    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Parses `1234.56`, `1234` or `-1234.56`: digits with exactly two decimals or none, so a
    /// `12.5` typed for `12.50` or a `1,234` with a separator is rejected, not guessed at.
    pub fn parse(text: &str) -> Result<Money, LabourLawError> {
        let error = || LabourLawError::Money(text.to_owned());
        let trimmed = trim(text);
        let (negative, unsigned) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let magnitude = parse_two_decimals(unsigned).ok_or_else(error)?;
        let cents = i64::try_from(magnitude).map_err(|_| error())?;
        Ok(Money(if negative { -cents } else { cents }))
    }

    /// As [`Money::parse`], but a negative amount is an error (wages paid, contributions,
    /// relevant income).
    pub fn parse_non_negative(text: &str) -> Result<Money, LabourLawError> {
        let amount = Money::parse(text)?;
        if amount.is_negative() {
            return Err(LabourLawError::Negative {
                what: "the amount",
                amount,
            });
        }
        Ok(amount)
    }

    pub const fn is_negative(self) -> bool {
        self.0 < 0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// `rate` of this amount, rounded to the cent with halves away from zero (half-up for
    /// the non-negative amounts the law deals in).
    ///
    /// Exact: `cents × hundredths / 10 000` in 128-bit integers, then rounded once. Never
    /// overflows, since a [`Percent`] is at most 100%. The MPF sources name no rounding
    /// rule; half-up to the cent is this crate's choice, applied in one place.
    #[must_use]
    pub fn percent(self, rate: Percent) -> Money {
        // 64-bit when the product fits (any amount below some HK$9 × 10^12), which saves
        // a slow 128-bit division on every row of a large file.
        if let Some(product) = self.0.checked_mul(i64::from(rate.hundredths()))
            && let Some(magnitude) = product.checked_abs().and_then(|abs| abs.checked_add(5_000))
        {
            let magnitude = magnitude / 10_000;
            return Money(if product < 0 { -magnitude } else { magnitude });
        }
        let product = i128::from(self.0) * i128::from(rate.hundredths());
        let magnitude = (product.abs() + 5_000) / 10_000;
        let rounded = if product < 0 { -magnitude } else { magnitude };
        // |rounded| ≤ |self| because rate ≤ 100%, so it fits back into i64.
        Money(rounded as i64)
    }
}

impl fmt::Display for Money {
    /// `1234.56`; honours width and alignment (`{:>10}`) so amounts line up in tables.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let magnitude = self.0.unsigned_abs();
        f.pad(&format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100))
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

/// A percentage from 0% to 100%, held as integer hundredths of a percent (5% = 500).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(u32);

impl Percent {
    const HUNDRED: u64 = 10_000;

    /// `hundredths` of a percent, or `None` above 100%.
    pub fn from_hundredths(hundredths: u32) -> Option<Percent> {
        (u64::from(hundredths) <= Percent::HUNDRED).then_some(Percent(hundredths))
    }

    pub const fn hundredths(self) -> u32 {
        self.0
    }

    /// Parses `5`, `2.50` or `100`: a percentage with two decimals or none, 0 to 100.
    pub fn parse(text: &str) -> Result<Percent, LabourLawError> {
        parse_two_decimals(trim(text))
            .and_then(|hundredths| u32::try_from(hundredths).ok())
            .and_then(Percent::from_hundredths)
            .ok_or_else(|| LabourLawError::Percent(text.to_owned()))
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}%", self.0 / 100, self.0 % 100)
    }
}

impl fmt::Debug for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Percent({self})")
    }
}

/// `text` without surrounding white space. `str::trim` decodes characters to find Unicode
/// spaces; most cells start and end with a visible ASCII character and have none.
fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// `123` or `123.45` as hundredths (12300, 12345); `None` for anything else or on overflow.
fn parse_two_decimals(text: &str) -> Option<u64> {
    // Amounts are parsed three times on every row of a large file: digits first, then at
    // most one point and two digits, with no state kept per byte.
    let bytes = text.as_bytes();
    let mut value: u64 = 0;
    let mut whole_digits = 0;
    for &byte in bytes {
        let digit = byte.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(digit))?;
        whole_digits += 1;
    }
    if whole_digits == 0 {
        return None;
    }
    let hundredths = match bytes[whole_digits..] {
        [] => 0,
        [b'.', tens @ b'0'..=b'9', units @ b'0'..=b'9'] => {
            u64::from(tens - b'0') * 10 + u64::from(units - b'0')
        }
        _ => return None,
    };
    value.checked_mul(100)?.checked_add(hundredths)
}
