//! MPF mandatory contributions of a monthly-paid employee for one contribution period.

use jiff::civil::Date;

use crate::{LabourLawError, Money, Parameters, Percent};

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

/// The MPF limits and rates for contribution periods that begin on one day: what every
/// row of a month shares, looked up once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MpfRates {
    pub relevant_income_min: Money,
    pub relevant_income_max: Money,
    pub employer: Percent,
    pub employee: Percent,
}

impl MpfRates {
    /// Mandatory contributions of a monthly-paid employee on `relevant_income`:
    ///
    /// * employer: the employer rate of the relevant income up to the maximum relevant
    ///   income, whatever the income (below the minimum the employer still pays);
    /// * employee: the employee rate of the same capped income, but nothing when the
    ///   relevant income is below the minimum (at exactly the minimum the employee pays).
    ///
    /// Each part is rounded to the cent, halves up (see [`Money::percent`]); at the maximum
    /// relevant income of HK$30,000 and 5% that is exactly the HK$1,500 cap.
    pub fn contributions(
        &self,
        relevant_income: Money,
    ) -> Result<MpfContributions, LabourLawError> {
        if relevant_income.is_negative() {
            return Err(LabourLawError::Negative {
                what: "relevant income",
                amount: relevant_income,
            });
        }
        let capped = relevant_income.min(self.relevant_income_max);
        Ok(MpfContributions {
            relevant_income,
            employer: capped.percent(self.employer),
            employee: if relevant_income < self.relevant_income_min {
                Money::ZERO
            } else {
                capped.percent(self.employee)
            },
        })
    }
}

impl Parameters {
    /// The MPF limits and rates for the contribution period beginning on `period_start`
    /// (the limits are dated by the start of the period).
    pub fn mpf_rates(&self, period_start: Date) -> Result<MpfRates, LabourLawError> {
        Ok(MpfRates {
            relevant_income_min: self.mpf_relevant_income_min(period_start)?.value,
            relevant_income_max: self.mpf_relevant_income_max(period_start)?.value,
            employer: self.mpf_rate_employer(period_start)?.value,
            employee: self.mpf_rate_employee(period_start)?.value,
        })
    }

    /// Mandatory contributions on `relevant_income` for the contribution period beginning
    /// on `period_start`, as [`MpfRates::contributions`] computes them.
    pub fn mpf_mandatory_contributions(
        &self,
        period_start: Date,
        relevant_income: Money,
    ) -> Result<MpfContributions, LabourLawError> {
        self.mpf_rates(period_start)?.contributions(relevant_income)
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
