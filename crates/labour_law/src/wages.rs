//! The statutory deadline for paying wages (Employment Ordinance s.23), lateness, and the
//! minimum wage of a wage period (Minimum Wage Ordinance s.8).

use jiff::ToSpan;
use jiff::civil::Date;

use crate::{LabourLawError, Money, Parameters};

impl Parameters {
    /// The last day on which wages for a wage period ending on `wage_period_end` may be paid:
    /// that day plus the statutory number of days (7), counted in calendar days, holidays
    /// included (the Ordinance says "days", not working days).
    pub fn wage_due_by(&self, wage_period_end: Date) -> Result<Date, LabourLawError> {
        let days = self.wage_payment_days_after_period(wage_period_end)?.value;
        Ok(wage_period_end.checked_add(i64::from(days).days())?)
    }
}

/// Calendar days by which `paid_on` is after `due_by`; 0 when paid on or before it.
pub fn days_late(due_by: Date, paid_on: Date) -> i32 {
    // Subtracting two civil dates gives a span in days and cannot fail.
    (paid_on - due_by).get_days().max(0)
}

/// The minimum wage for a wage period (Minimum Wage Ordinance s.8(2)): the hours worked,
/// in hundredths of an hour, times the hourly rate, rounded to the cent with halves up.
///
/// Wages payable below it entitle the employee to the difference, which is part of the
/// wages under the Employment Ordinance and falls due as they do (s.10(3)).
pub fn minimum_wage_for_hours(hourly: Money, hours_hundredths: u32) -> Money {
    let product = i128::from(hourly.cents()) * i128::from(hours_hundredths);
    let rounded = (product + 50).div_euclid(100);
    // A rate of i64::MAX cents for 42,949,672.95 hours is the only way out of range.
    Money::from_cents(i64::try_from(rounded).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_minimum_wage_of_a_period_is_hours_times_the_rate_to_the_cent() {
        let rate = Money::from_cents(4_210); // HK$42.1
        for (hundredths, expected) in [
            (17_600, "7409.60"), // 176 hours
            (3_750, "1578.75"),  // 37.5 hours
            (1, "0.42"),         // 0.4210 rounds down
            (25, "10.53"),       // 10.525 rounds half up
            (0, "0.00"),
        ] {
            assert_eq!(
                minimum_wage_for_hours(rate, hundredths).to_string(),
                expected,
                "{hundredths}"
            );
        }
    }
}
