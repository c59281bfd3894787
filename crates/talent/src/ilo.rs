//! The ILO's global index of occupational exposure to generative AI (Gmyrek et al. 2025, ILO
//! Working Paper 140), recomputed from its task scores.
//!
//! Each ISCO-08 unit group has 2 to 14 tasks, each scored 0–1 (`score_2025`). The ILO publishes
//! per occupation the mean of its task scores and their sample standard deviation, both to two
//! decimals, and an exposure class (`potential25`) from those two published figures:
//! mean + SD below 0.40 is "Not Exposed", below 0.50 "Minimal Exposure"; otherwise exposed, in
//! gradient 1 to 4 by the mean (below 0.40, below 0.50, below 0.60, from 0.60).
//! The thresholds are inferred from the published classes, which they reproduce for all 427
//! occupations; see the crate README.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::Path;

use domain::{IscoCode, IscoLevel};

use crate::table::{Row, Table};
use crate::{ILO_GENAI_2025, IndexCitation, TalentError};

/// The ILO's exposure classes, from none to the highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExposureGradient {
    NotExposed,
    MinimalExposure,
    Gradient1,
    Gradient2,
    Gradient3,
    Gradient4,
}

impl ExposureGradient {
    const ALL: [ExposureGradient; 6] = [
        ExposureGradient::NotExposed,
        ExposureGradient::MinimalExposure,
        ExposureGradient::Gradient1,
        ExposureGradient::Gradient2,
        ExposureGradient::Gradient3,
        ExposureGradient::Gradient4,
    ];

    /// The label the ILO's workbook uses.
    pub fn label(self) -> &'static str {
        match self {
            ExposureGradient::NotExposed => "Not Exposed",
            ExposureGradient::MinimalExposure => "Minimal Exposure",
            ExposureGradient::Gradient1 => "Exposed: Gradient 1",
            ExposureGradient::Gradient2 => "Exposed: Gradient 2",
            ExposureGradient::Gradient3 => "Exposed: Gradient 3",
            ExposureGradient::Gradient4 => "Exposed: Gradient 4",
        }
    }

    pub fn parse(label: &str) -> Option<ExposureGradient> {
        ExposureGradient::ALL
            .into_iter()
            .find(|gradient| gradient.label().eq_ignore_ascii_case(label.trim()))
    }

    /// True for the four "Exposed" gradients.
    pub fn is_exposed(self) -> bool {
        self >= ExposureGradient::Gradient1
    }

    /// The ILO's class for a published (two-decimal) mean and standard deviation.
    ///
    /// Computed in binary floating point on purpose: the ILO's own classes are, so 0.36 + 0.04
    /// (occupation 1213) falls just below 0.40 and is "Not Exposed", where decimal arithmetic
    /// would say 0.40 and "Minimal Exposure". This reproduces all 427 published classes.
    pub fn from_mean_and_sd(mean: f64, sd: f64) -> ExposureGradient {
        let upper = mean + sd;
        if upper < 0.4 {
            ExposureGradient::NotExposed
        } else if upper < 0.5 {
            ExposureGradient::MinimalExposure
        } else if mean < 0.4 {
            ExposureGradient::Gradient1
        } else if mean < 0.5 {
            ExposureGradient::Gradient2
        } else if mean < 0.6 {
            ExposureGradient::Gradient3
        } else {
            ExposureGradient::Gradient4
        }
    }
}

impl fmt::Display for ExposureGradient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// One task's score.
#[derive(Debug, Clone, PartialEq)]
pub struct IloTaskScore {
    pub task_id: u32,
    pub score_2025: f64,
    /// Where the score is: the workbook row.
    pub row: usize,
}

/// What the ILO published for an occupation (the same on each of its task rows).
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedExposure {
    pub mean_score_2025: f64,
    pub sd_2025: f64,
    pub potential25: ExposureGradient,
}

/// An occupation of the workbook: its tasks and the published figures.
#[derive(Debug, Clone, PartialEq)]
pub struct IloOccupation {
    pub code: IscoCode,
    pub title: String,
    pub tasks: Vec<IloTaskScore>,
    pub published: PublishedExposure,
    /// The task scores in hundred-thousandths, exact, for an exact mean.
    scores_fixed: Vec<i64>,
}

/// An occupation's exposure as lmo computes it from the task scores.
#[derive(Debug, Clone, PartialEq)]
pub struct OccupationExposure {
    pub code: IscoCode,
    pub tasks: usize,
    /// The mean task score, unrounded.
    pub mean: f64,
    /// The sample standard deviation of the task scores, unrounded.
    pub sd: f64,
    /// The mean to two decimals, ties to even (the published precision).
    pub mean_2dp: f64,
    /// True when the exact mean lies halfway between two hundredths, where the ILO's rounding
    /// went either way (16 occupations).
    pub mean_is_tie: bool,
    pub sd_2dp: f64,
    pub gradient: ExposureGradient,
    pub index: IndexCitation,
}

/// The ILO workbook, read: occupations in code order.
#[derive(Debug, Clone, PartialEq)]
pub struct IloExposureIndex {
    pub file: String,
    pub occupations: Vec<IloOccupation>,
}

const CODE: &str = "ISCO_08";
const TITLE: &str = "Title";
const TASK: &str = "taskID";
const SCORE: &str = "score_2025";
const MEAN: &str = "mean_score_2025";
const SD: &str = "SD_2025";
const CLASS: &str = "potential25";
const COLUMNS: [&str; 7] = [CODE, TITLE, TASK, SCORE, MEAN, SD, CLASS];

/// Scores are read exactly in hundred-thousandths.
const SCALE: i64 = 100_000;

impl IloExposureIndex {
    /// Reads `ilo_genai_exposure_isco08_gmyrek_2025.xlsx`.
    pub fn read(path: &Path) -> Result<IloExposureIndex, TalentError> {
        IloExposureIndex::from_table(&Table::open(path, &COLUMNS)?)
    }

    /// Reads the workbook from any reader; `file` names it in errors.
    pub fn read_from(file: &str, reader: impl Read) -> Result<IloExposureIndex, TalentError> {
        IloExposureIndex::from_table(&Table::workbook(file, reader, &COLUMNS)?)
    }

    fn from_table(table: &Table) -> Result<IloExposureIndex, TalentError> {
        let [code, title, task, score, mean, sd, class] = COLUMNS.map(|name| table.column(name));
        let (code, title, task, score, mean, sd, class) =
            (code?, title?, task?, score?, mean?, sd?, class?);
        let mut occupations: BTreeMap<IscoCode, IloOccupation> = BTreeMap::new();
        for row in table.rows() {
            let isco = row.parse(code, IscoCode::parse)?;
            if isco.level() != IscoLevel::Unit {
                return Err(row.error(code, "the index scores ISCO-08 unit groups (4 digits)"));
            }
            let stored = row.number(score)?;
            let fixed = score_in_units(stored).map_err(|reason| row.error(score, reason))?;
            let task_score = IloTaskScore {
                task_id: row.parse(task, str::parse::<u32>)?,
                score_2025: fixed as f64 / SCALE as f64,
                row: row.number,
            };
            let published = PublishedExposure {
                mean_score_2025: row.number(mean)?,
                sd_2025: row.number(sd)?,
                potential25: row.parse(class, |text| {
                    ExposureGradient::parse(text).ok_or("not one of the ILO's exposure classes")
                })?,
            };
            let entry = occupations.entry(isco).or_insert_with(|| IloOccupation {
                code: isco,
                title: row.text(title).to_owned(),
                tasks: Vec::new(),
                published: published.clone(),
                scores_fixed: Vec::new(),
            });
            same_for_every_task(&row, entry, title, &published, [mean, sd, class])?;
            entry.tasks.push(task_score);
            entry.scores_fixed.push(fixed);
        }
        if let Some(single) = occupations
            .values()
            .find(|occupation| occupation.tasks.len() < 2)
        {
            return Err(TalentError::Content {
                file: table.file.clone(),
                reason: format!(
                    "occupation {} has one task score; a standard deviation needs two",
                    single.code
                ),
            });
        }
        Ok(IloExposureIndex {
            file: table.file.clone(),
            occupations: occupations.into_values().collect(),
        })
    }

    pub fn occupation(&self, code: IscoCode) -> Option<&IloOccupation> {
        self.occupations
            .binary_search_by(|occupation| occupation.code.cmp(&code))
            .ok()
            .map(|index| &self.occupations[index])
    }

    /// Every occupation's exposure, computed from its task scores.
    pub fn exposures(&self) -> Vec<OccupationExposure> {
        self.occupations
            .iter()
            .map(IloOccupation::exposure)
            .collect()
    }
}

impl IloOccupation {
    /// The mean and gradient of the task scores, computed as the ILO describes them.
    pub fn exposure(&self) -> OccupationExposure {
        let n = self.scores_fixed.len() as i128;
        let sum: i128 = self
            .scores_fixed
            .iter()
            .map(|&score| i128::from(score))
            .sum();
        let scale = i128::from(SCALE);
        // Mean in hundredths, rounded half to even on the exact quotient.
        let (numerator, denominator) = (sum * 100, n * scale);
        let (quotient, remainder) = (numerator / denominator, numerator % denominator);
        let mean_is_tie = remainder * 2 == denominator;
        let mean_hundredths = if remainder * 2 > denominator || (mean_is_tie && quotient % 2 == 1) {
            quotient + 1
        } else {
            quotient
        };
        // The standard deviation is published to two decimals, far coarser than f64 error.
        let mean = sum as f64 / (n * scale) as f64;
        let squares: f64 = self
            .scores_fixed
            .iter()
            .map(|&score| (score as f64 / SCALE as f64 - mean).powi(2))
            .sum();
        let sd = (squares / (n - 1) as f64).sqrt();
        let mean_2dp = mean_hundredths as f64 / 100.0;
        let sd_2dp = (sd * 100.0).round() / 100.0;
        OccupationExposure {
            code: self.code,
            tasks: self.scores_fixed.len(),
            mean,
            sd,
            mean_2dp,
            mean_is_tie,
            sd_2dp,
            gradient: ExposureGradient::from_mean_and_sd(mean_2dp, sd_2dp),
            index: ILO_GENAI_2025,
        }
    }
}

/// The title and published figures must be the same on every task row of an occupation.
fn same_for_every_task(
    row: &Row<'_>,
    occupation: &IloOccupation,
    title: usize,
    published: &PublishedExposure,
    [mean, sd, class]: [usize; 3],
) -> Result<(), TalentError> {
    let differs = |column: usize, what: &str| {
        row.error(
            column,
            format!(
                "differs from the {what} on the occupation's first row ({})",
                occupation.code
            ),
        )
    };
    if row.text(title) != occupation.title {
        return Err(differs(title, "title"));
    }
    if published.mean_score_2025 != occupation.published.mean_score_2025 {
        return Err(differs(mean, "published mean"));
    }
    if published.sd_2025 != occupation.published.sd_2025 {
        return Err(differs(sd, "published standard deviation"));
    }
    if published.potential25 != occupation.published.potential25 {
        return Err(differs(class, "published class"));
    }
    Ok(())
}

/// A score from 0 to 1 in hundred-thousandths. The scores are means of two model predictions
/// written to at most four decimals, so they have five decimals at most; 143 of them are stored
/// with the binary noise of that mean (0.5650000000000001), which this reads away.
fn score_in_units(value: f64) -> Result<i64, &'static str> {
    let scaled = value * SCALE as f64;
    let rounded = scaled.round();
    if !(0.0..=1.0).contains(&value) || (scaled - rounded).abs() > 1e-6 {
        return Err("not a score from 0 to 1 with at most five decimals");
    }
    Ok(rounded as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_read_to_five_decimals_and_others_are_refused() {
        assert_eq!(score_in_units(0.29625), Ok(29_625));
        assert_eq!(score_in_units(0.565_000_000_000_000_1), Ok(56_500));
        assert_eq!(score_in_units(1.0), Ok(100_000));
        for bad in [1.5, -0.1, 0.123_456, 0.000_001] {
            assert!(score_in_units(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn classes_follow_the_published_mean_and_sd() {
        let class = ExposureGradient::from_mean_and_sd;
        assert_eq!(class(0.31, 0.04), ExposureGradient::NotExposed);
        assert_eq!(class(0.36, 0.04), ExposureGradient::NotExposed);
        assert_eq!(class(0.27, 0.13), ExposureGradient::MinimalExposure);
        assert_eq!(class(0.37, 0.13), ExposureGradient::Gradient1);
        assert_eq!(class(0.41, 0.09), ExposureGradient::Gradient2);
        assert_eq!(class(0.45, 0.04), ExposureGradient::MinimalExposure);
        assert_eq!(class(0.5, 0.1), ExposureGradient::Gradient3);
        assert_eq!(class(0.6, 0.1), ExposureGradient::Gradient4);
        for gradient in ExposureGradient::ALL {
            assert_eq!(ExposureGradient::parse(gradient.label()), Some(gradient));
        }
        assert!(ExposureGradient::Gradient1.is_exposed());
        assert!(!ExposureGradient::MinimalExposure.is_exposed());
    }
}
