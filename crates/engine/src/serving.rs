//! Reads the HTTP API needs beside the CLI's: series found by words of their titles, the
//! climate index and saved arrears runs on their own (as the report gathers them), the
//! version of the data, and the archive of generated reports.

use domain::{Date, Period};

pub use store::{ArchivedReport, DataVersion, ReportFile};

use crate::report::{ArrearsSummary, Climate, previous_report_date};
use crate::{Engine, EngineError, SeriesSummary};

/// Whether every word of `query` is in the series' id or one of its titles, ignoring case.
fn matches_words(summary: &SeriesSummary, words: &[String]) -> bool {
    let meta = &summary.meta;
    let haystack = format!("{} {} {}", meta.id, meta.title_en, meta.title_zh).to_lowercase();
    words.iter().all(|word| haystack.contains(word.as_str()))
}

impl Engine {
    /// Series whose id or English or Chinese title holds every word of `query` (ignoring
    /// case), within the prefix and tag given; `失業率 sa` finds the seasonally adjusted
    /// unemployment rates.
    pub fn search_series(
        &mut self,
        query: &str,
        id_prefix: Option<String>,
        tag: Option<String>,
    ) -> Result<Vec<SeriesSummary>, EngineError> {
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let mut series = self.list_series(id_prefix, tag)?;
        series.retain(|summary| matches_words(summary, &words));
        Ok(series)
    }

    /// The employment climate index 就業景氣指數 with the contributions of its components,
    /// from the data known on `as_of`, compared with a month earlier; `None` when the store
    /// lacks its inputs.
    pub fn climate(&mut self, as_of: Date) -> Result<Option<Climate>, EngineError> {
        self.climate_since(as_of, previous_report_date(as_of))
    }

    /// The latest saved arrears run judged on or before `as_of`, in aggregate only (no
    /// employer, no cell under three employers), as the report prints it.
    pub fn arrears_aggregate(
        &mut self,
        as_of: Date,
    ) -> Result<Option<ArrearsSummary>, EngineError> {
        self.arrears_summary(as_of, previous_report_date(as_of))
    }

    /// The periods with saved arrears results within `months` months up to `month`,
    /// newest first.
    pub fn arrears_periods(
        &mut self,
        month: Period,
        months: i32,
    ) -> Result<Vec<Period>, EngineError> {
        let mut periods = Vec::new();
        for back in 0..months {
            let Some(period) = month.shift(-back) else {
                break;
            };
            if !self.store.arrears_results(period)?.is_empty() {
                periods.push(period);
            }
        }
        Ok(periods)
    }

    /// A version that changes whenever imported data or alert decisions change.
    pub fn data_version(&mut self) -> Result<DataVersion, EngineError> {
        Ok(self.store.data_version()?)
    }

    /// Keeps a generated report and its files; returns its id.
    pub fn archive_report(
        &mut self,
        report: &ArchivedReport,
        files: &[ReportFile],
    ) -> Result<i64, EngineError> {
        Ok(self.store.add_report(report, files)?)
    }

    /// Every archived report, newest first, with its formats.
    pub fn archived_reports(&mut self) -> Result<Vec<(ArchivedReport, Vec<String>)>, EngineError> {
        Ok(self.store.reports()?)
    }

    pub fn archived_report_file(
        &mut self,
        id: i64,
        format: &str,
    ) -> Result<Option<ReportFile>, EngineError> {
        Ok(self.store.report_file(id, format)?)
    }
}
