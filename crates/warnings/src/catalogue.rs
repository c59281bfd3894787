//! The evaluator's input: subject series with metadata and every value's vintage.

use domain::{Date, Period, SeriesMeta};
use indicators::TimeSeries;
use rayon::prelude::*;

use crate::WarningError;

/// One published value and the date from which it was known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KnownValue {
    pub period: Period,
    pub value: f64,
    pub vintage: Date,
}

/// A series with its metadata and values; a period may appear once per vintage.
#[derive(Debug, Clone, PartialEq)]
pub struct SubjectSeries {
    pub meta: SeriesMeta,
    pub values: Vec<KnownValue>,
}

/// Every series rules may select from. Built by the caller (from the store's `as_of`
/// queries, or from files in tests); it may hold whole vintage histories, because
/// evaluation always cuts it to what was known at its `as_of` first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalogue {
    pub series: Vec<SubjectSeries>,
}

/// A series as known at one date: one value per period, the latest vintage on or before it.
#[derive(Debug, Clone)]
pub(crate) struct KnownSeries<'a> {
    pub(crate) meta: &'a SeriesMeta,
    pub(crate) series: TimeSeries,
    /// One per end month, in order, for recording inputs with their vintages.
    values: Vec<KnownValue>,
}

impl KnownSeries<'_> {
    /// The values whose periods end in months `first..=last`.
    pub(crate) fn values_ending_in(&self, first: i32, last: i32) -> &[KnownValue] {
        let end = |value: &KnownValue| value.period.end_month_index();
        let from = self.values.partition_point(|value| end(value) < first);
        let to = self.values.partition_point(|value| end(value) <= last);
        self.values.get(from..to).unwrap_or_default()
    }
}

impl Catalogue {
    /// The catalogue as known at `as_of`: per series and period, the value of the latest
    /// vintage on or before `as_of`; periods not yet published are dropped.
    #[must_use]
    pub fn as_known_at(&self, as_of: Date) -> Catalogue {
        Catalogue {
            series: self
                .series
                .iter()
                .map(|subject| SubjectSeries {
                    meta: subject.meta.clone(),
                    values: latest_vintages(&subject.values, as_of),
                })
                .collect(),
        }
    }

    /// Series known at `as_of`, sorted by id so evaluation order never depends on input
    /// order; built on the threads of the current rayon pool.
    pub(crate) fn known_at(&self, as_of: Date) -> Result<Vec<KnownSeries<'_>>, WarningError> {
        let mut known = self
            .series
            .par_iter()
            .map(|subject| {
                let values = latest_vintages(&subject.values, as_of);
                let points = values
                    .iter()
                    .map(|known| (known.period, known.value))
                    .collect();
                let series = TimeSeries::new(subject.meta.frequency, points).map_err(|error| {
                    WarningError::Series {
                        series: subject.meta.id.to_string(),
                        reason: error.to_string(),
                    }
                })?;
                Ok(KnownSeries {
                    meta: &subject.meta,
                    series,
                    values,
                })
            })
            .collect::<Vec<_>>()
            // In input order, so that the error reported is the first, whatever the threads.
            .into_iter()
            .collect::<Result<Vec<_>, _>>()?;
        known.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        Ok(known)
    }
}

/// Per end month, in order, the value of the latest vintage on or before `as_of` (the first
/// given of equal vintages).
fn latest_vintages(values: &[KnownValue], as_of: Date) -> Vec<KnownValue> {
    let mut known: Vec<KnownValue> = values
        .iter()
        .filter(|value| value.vintage <= as_of)
        .copied()
        .collect();
    // Stable, and linear on the usual input (periods in order, one vintage each).
    known.sort_by_key(|value| (value.period.end_month_index(), value.vintage));
    let mut latest: Vec<KnownValue> = Vec::with_capacity(known.len());
    for value in known {
        match latest.last_mut() {
            Some(last) if last.period.end_month_index() == value.period.end_month_index() => {
                if value.vintage > last.vintage {
                    *last = value;
                }
            }
            _ => latest.push(value),
        }
    }
    latest
}
