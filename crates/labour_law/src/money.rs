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
        let trimmed = text.trim();
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
        parse_two_decimals(text.trim())
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

/// `123` or `123.45` as hundredths (12300, 12345); `None` for anything else or on overflow.
fn parse_two_decimals(text: &str) -> Option<u64> {
    // One pass over the bytes: amounts are parsed three times on every row of a large file.
    let mut value: u64 = 0;
    let mut whole_digits = 0;
    // Digits after the point; `None` until a point is seen.
    let mut decimals: Option<u32> = None;
    for &byte in text.as_bytes() {
        match (byte, decimals.as_mut()) {
            (b'0'..=b'9', None) => whole_digits += 1,
            (b'0'..=b'9', Some(count)) => *count += 1,
            (b'.', None) => {
                decimals = Some(0);
                continue;
            }
            _ => return None,
        }
        value = value.checked_mul(10)?.checked_add(u64::from(byte - b'0'))?;
    }
    match decimals {
        _ if whole_digits == 0 => None,
        None => value.checked_mul(100),
        Some(2) => Some(value),
        Some(_) => None,
    }
}
