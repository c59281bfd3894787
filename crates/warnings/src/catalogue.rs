//! The evaluator's input: subject series with metadata and every value's vintage.

use std::collections::BTreeMap;

use domain::{Date, Period, SeriesMeta};
use indicators::TimeSeries;

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
    /// By `Period::end_month_index`, for recording inputs with their vintages.
    pub(crate) values: BTreeMap<i32, KnownValue>,
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
                    values: latest_vintages(&subject.values, as_of)
                        .into_values()
                        .collect(),
                })
                .collect(),
        }
    }

    /// Series known at `as_of`, sorted by id so evaluation order never depends on input order.
    pub(crate) fn known_at(&self, as_of: Date) -> Result<Vec<KnownSeries<'_>>, WarningError> {
        let mut known = Vec::with_capacity(self.series.len());
        for subject in &self.series {
            let values = latest_vintages(&subject.values, as_of);
            let points = values
                .values()
                .map(|known| (known.period, known.value))
                .collect();
            let series = TimeSeries::new(subject.meta.frequency, points).map_err(|error| {
                WarningError::Series {
                    series: subject.meta.id.to_string(),
                    reason: error.to_string(),
                }
            })?;
            known.push(KnownSeries {
                meta: &subject.meta,
                series,
                values,
            });
        }
        known.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        Ok(known)
    }
}

fn latest_vintages(values: &[KnownValue], as_of: Date) -> BTreeMap<i32, KnownValue> {
    let mut latest: BTreeMap<i32, KnownValue> = BTreeMap::new();
    for value in values.iter().filter(|value| value.vintage <= as_of) {
        let entry = latest
            .entry(value.period.end_month_index())
            .or_insert(*value);
        if value.vintage > entry.vintage {
            *entry = *value;
        }
    }
    latest
}
