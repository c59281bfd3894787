//! Integration tests of the `labour_law` crate, one module per public area.

mod calendar;
mod hkid;
mod money;
mod mpf;
mod parameters;
mod pseudonym;
mod wages;

use labour_law::Date;

/// A date from `YYYY-MM-DD` test text.
fn date(text: &str) -> Date {
    text.parse().unwrap()
}
