//! STL results remembered by what they were computed from, so that a recompute on unchanged
//! data (after editing a rule's thresholds, say) does not fit them again.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use sha2::{Digest, Sha256};

use crate::seasonal::{StlParameters, with_values};
use crate::{IndicatorError, STL, StlOptions, TimeSeries};

/// Seasonally adjusted values by the fingerprint of their input: a SHA-256 of the method id
/// ([`STL`]), every STL parameter with its defaults resolved, and the bits of every value.
/// Other data or other options never match; the periods do not take part (found values are
/// labelled with the series' own periods). Shared between threads by reference.
#[derive(Debug, Default)]
pub struct StlCache {
    entries: Mutex<HashMap<String, Entry>>,
}

#[derive(Debug)]
struct Entry {
    adjusted: Arc<[f64]>,
    used: bool,
    computed: bool,
}

impl StlCache {
    /// A cache holding `entries` as [`StlCache::used_entries`] gave them, e.g. stored by an
    /// earlier run.
    pub fn with_entries(entries: impl IntoIterator<Item = (String, Vec<f64>)>) -> StlCache {
        let entries = entries
            .into_iter()
            .map(|(fingerprint, adjusted)| {
                let entry = Entry {
                    adjusted: adjusted.into(),
                    used: false,
                    computed: false,
                };
                (fingerprint, entry)
            })
            .collect();
        StlCache {
            entries: Mutex::new(entries),
        }
    }

    /// [`seasonally_adjust`](crate::seasonally_adjust), taken from the cache when the same
    /// values were adjusted with the same parameters before.
    pub fn seasonally_adjust(
        &self,
        series: &TimeSeries,
        options: &StlOptions,
    ) -> Result<TimeSeries, IndicatorError> {
        let parameters = StlParameters::of(series, options)?;
        let fingerprint = fingerprint(&parameters, series);
        let found = self.entries().get_mut(&fingerprint).and_then(|entry| {
            // A stored entry of another length cannot be this series' (a damaged store).
            entry.used = entry.adjusted.len() == series.len();
            entry.used.then(|| Arc::clone(&entry.adjusted))
        });
        if let Some(adjusted) = found {
            return Ok(with_values(series, &adjusted));
        }
        // Fitted outside the lock, so that other threads keep going meanwhile.
        let adjusted = parameters.adjusted_values(series)?;
        let result = with_values(series, &adjusted);
        let entry = Entry {
            adjusted: adjusted.into(),
            used: true,
            computed: true,
        };
        self.entries().insert(fingerprint, entry);
        Ok(result)
    }

    /// The entries found or computed since the cache was made, by fingerprint: what is
    /// worth keeping for the next run.
    pub fn used_entries(&self) -> Vec<(String, Vec<f64>)> {
        let mut used: Vec<(String, Vec<f64>)> = self
            .entries()
            .iter()
            .filter(|(_, entry)| entry.used)
            .map(|(fingerprint, entry)| (fingerprint.clone(), entry.adjusted.to_vec()))
            .collect();
        used.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        used
    }

    /// How many series were fitted rather than found since the cache was made.
    pub fn fitted(&self) -> usize {
        self.entries()
            .values()
            .filter(|entry| entry.computed)
            .count()
    }

    fn entries(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        // Every change under the lock is a single insert or flag, so a panic elsewhere
        // cannot leave the map half-changed.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn fingerprint(parameters: &StlParameters, series: &TimeSeries) -> String {
    let mut hash = Sha256::new();
    hash.update(STL.as_bytes());
    let StlParameters {
        period,
        seasonal_length,
        trend_length,
        low_pass_length,
        robust,
        inner_loops,
        outer_loops,
    } = *parameters;
    for number in [
        period,
        seasonal_length,
        trend_length,
        low_pass_length,
        usize::from(robust),
        inner_loops,
        outer_loops,
        series.len(),
    ] {
        hash.update((number as u64).to_le_bytes());
    }
    for value in series.values() {
        hash.update(value.to_bits().to_le_bytes());
    }
    let mut text = String::with_capacity(64);
    for byte in hash.finalize() {
        let _ = write!(text, "{byte:02x}");
    }
    text
}
