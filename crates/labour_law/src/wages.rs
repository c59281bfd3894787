//! The statutory deadline for paying wages (Employment Ordinance s.23) and lateness.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::{LabourLawError, Parameters};

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
