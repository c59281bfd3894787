//! Hong Kong labour-law rules for the wage-arrears and MPF-default early warning.
//!
//! * [`Money`] and [`Percent`]: integer cents and hundredths of a percent, parsed from text,
//!   so no legal amount ever passes through a float.
//! * [`Hkid`] and [`Pseudonymiser`]: HKID validation and keyed pseudonyms of HKIDs, so
//!   personal identifiers never reach the store or the logs; [`PseudonymKey`] holds the
//!   key and never shows it.
//! * [`Parameters`]: the legal values (MPF limits and rates, the wage deadline, the minimum
//!   wage) as dated tables with their sources, bundled as TOML.
//! * [`HolidayCalendar`]: Hong Kong general holidays, bundled as CSV, for working days and
//!   the MPF contribution day.
//!
//! The crate is pure: no IO beyond its embedded files, no clock (dates are passed in), no SQL.

mod calendar;
mod error;
mod hkid;
mod money;
mod mpf;
mod one_block_hmac;
mod parameters;
mod pseudonym;
mod wages;

pub use calendar::HolidayCalendar;
pub use domain::Date;
pub use error::{HkidProblem, LabourLawError};
pub use hkid::Hkid;
pub use money::{Money, Percent};
pub use mpf::{MpfContributions, MpfRates};
pub use parameters::{Dated, Parameters, SourceStatus};
pub use pseudonym::{Pseudonym, PseudonymKey, Pseudonymiser};
pub use wages::{days_late, minimum_wage_for_hours};
