//! MPF mandatory contributions of a monthly-paid employee for one contribution period.

use jiff::civil::Date;

use crate::{LabourLawError, Money, Parameters};

/// The mandatory contributions due for one contribution period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MpfContributions {
    pub relevant_income: Money,
    pub employer: Money,
    pub employee: Money,
}

impl MpfContributions {
    /// Both parts together: what the trustee must receive by the contribution day.
    pub fn total(&self) -> Money {
        // Each part is at most the relevant income, which is at most i64::MAX cents, but
        // two of them may not fit, so the sum saturates rather than wraps.
        Money::from_cents(self.employer.cents().saturating_add(self.employee.cents()))
    }
}

impl Parameters {
    /// Mandatory contributions of a monthly-paid employee on `relevant_income` for the
    /// contribution period beginning on `period_start` (the limits are dated by the start
    /// of the period).
    ///
    /// * employer: the employer rate of the relevant income up to the maximum relevant
    ///   income, whatever the income (below the minimum the employer still pays);
    /// * employee: the employee rate of the same capped income, but nothing when the
    ///   relevant income is below the minimum (at exactly the minimum the employee pays).
    ///
    /// Each part is rounded to the cent, halves up (see [`Money::percent`]); at the maximum
    /// relevant income of HK$30,000 and 5% that is exactly the HK$1,500 cap.
    pub fn mpf_mandatory_contributions(
        &self,
        period_start: Date,
        relevant_income: Money,
    ) -> Result<MpfContributions, LabourLawError> {
        if relevant_income.is_negative() {
            return Err(LabourLawError::Negative {
                what: "relevant income",
                amount: relevant_income,
            });
        }
        let min = self.mpf_relevant_income_min(period_start)?.value;
        let max = self.mpf_relevant_income_max(period_start)?.value;
        let capped = relevant_income.min(max);
        let employee_at_rate = capped.percent(self.mpf_rate_employee(period_start)?.value);
        Ok(MpfContributions {
            relevant_income,
            employer: capped.percent(self.mpf_rate_employer(period_start)?.value),
            employee: if relevant_income < min {
                Money::ZERO
            } else {
                employee_at_rate
            },
        })
    }

    /// The contribution surcharge on `arrears` (contributions unpaid after the contribution
    /// day), at the rate in force on `contribution_day`, rounded as [`Money::percent`].
    pub fn mpf_surcharge(
        &self,
        contribution_day: Date,
        arrears: Money,
    ) -> Result<Money, LabourLawError> {
        if arrears.is_negative() {
            return Err(LabourLawError::Negative {
                what: "contributions in arrears",
                amount: arrears,
            });
        }
        Ok(arrears.percent(self.mpf_surcharge_rate(contribution_day)?.value))
    }
}
