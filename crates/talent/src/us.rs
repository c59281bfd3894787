//! The US occupation files that prove the occupation-level path on real published numbers:
//! OEWS national employment and wages (May 2021, SOC 2018 codes) and the BLS Employment
//! Projections 2020–30 (by title), brought to ISCO-08 unit groups through the BLS crosswalk.
//!
//! A SOC occupation linked to several unit groups has its employment split equally among them:
//! the crosswalk gives no shares, and equal shares are the assumption that adds nothing.
//! SOC 2018 codes the 2010-based crosswalk does not know are reported with their employment,
//! never dropped silently.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use domain::{IscoCode, IscoLevel};

use crate::TalentError;
use crate::aggregate::EmploymentWeights;
use crate::crosswalk::{SocCode, SocIscoCrosswalk};
use crate::table::Table;

/// One OEWS row: an occupation at any level of SOC (total, major, minor, broad, detailed).
#[derive(Debug, Clone, PartialEq)]
pub struct OewsOccupation {
    pub soc: String,
    pub title: String,
    /// `total`, `major`, `minor`, `broad` or `detailed`.
    pub group: String,
    /// Employment; `None` where OEWS shows `*` or `**` (not available).
    pub employment: Option<f64>,
    /// Median annual wage in US$; `None` where OEWS shows `#` (above the top coded value) or `*`.
    pub annual_median_wage: Option<f64>,
    pub line: usize,
}

/// One projection row: an occupation by title and its projected employment change.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectedChange {
    pub title: String,
    pub pct_change_2020_2030: f64,
    pub line: usize,
}

/// US employment brought to ISCO-08 unit groups, with what did not cross.
#[derive(Debug, Clone, PartialEq)]
pub struct EmploymentByIsco {
    pub weights: EmploymentWeights,
    /// Employment that reached unit groups, that reached only a minor group (the crosswalk's two
    /// 3-digit links; not used as unit weights), and that did not cross.
    pub mapped_employment: f64,
    pub minor_group_employment: f64,
    pub unmapped_employment: f64,
    /// Detailed occupations the crosswalk does not know, with their employment.
    pub unmapped: Vec<(SocCode, String, f64)>,
}

/// Projected change per ISCO-08 unit group, and what could not be matched.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionsByIsco {
    /// Employment-weighted mean % change 2020–30 over the unit group's linked SOC occupations.
    pub pct_change: BTreeMap<IscoCode, f64>,
    /// Projection rows that name an OEWS aggregate (major, minor or broad group), whose
    /// detailed occupations carry the figures.
    pub aggregate_rows: usize,
    /// Projection titles that name no OEWS occupation (mostly BLS's combined rows).
    pub titles_not_in_oews: Vec<String>,
}

const OEWS_CODE: &str = "OCC_CODE";
const OEWS_TITLE: &str = "OCC_TITLE";
const OEWS_GROUP: &str = "O_GROUP";
const OEWS_EMPLOYMENT: &str = "TOT_EMP";
const OEWS_MEDIAN: &str = "A_MEDIAN";
const OEWS_COLUMNS: [&str; 5] = [
    OEWS_CODE,
    OEWS_TITLE,
    OEWS_GROUP,
    OEWS_EMPLOYMENT,
    OEWS_MEDIAN,
];

/// Reads `bls_oews_national_may2021.csv`.
pub fn read_oews(path: &Path) -> Result<Vec<OewsOccupation>, TalentError> {
    oews_from_table(&Table::open(path, &OEWS_COLUMNS)?)
}

/// Reads the OEWS file from any reader; `file` names it in errors.
pub fn read_oews_from(file: &str, reader: impl Read) -> Result<Vec<OewsOccupation>, TalentError> {
    oews_from_table(&Table::csv(file, reader, &OEWS_COLUMNS)?)
}

fn oews_from_table(table: &Table) -> Result<Vec<OewsOccupation>, TalentError> {
    let [code, title, group, employment, median] = OEWS_COLUMNS.map(|name| table.column(name));
    let (code, title, group, employment, median) = (code?, title?, group?, employment?, median?);
    let mut occupations = Vec::new();
    for row in table.rows() {
        let optional = |column: usize, not_available: &[&str]| {
            if not_available.contains(&row.text(column)) {
                Ok(None)
            } else {
                row.number(column).map(Some)
            }
        };
        let group_text = row.text(group);
        if !matches!(
            group_text,
            "total" | "major" | "minor" | "broad" | "detailed"
        ) {
            return Err(row.error(group, format!("'{group_text}' is not an OEWS group level")));
        }
        occupations.push(OewsOccupation {
            soc: row.text(code).to_owned(),
            title: row.text(title).to_owned(),
            group: group_text.to_owned(),
            employment: optional(employment, &["*", "**"])?,
            annual_median_wage: optional(median, &["*", "**", "#"])?,
            line: row.number,
        });
    }
    Ok(occupations)
}

const PROJECTION_TITLE: &str = "occupation";
const PROJECTION_CHANGE: &str = "pct_emp_change_2020_2030";
/// The file's last row is BLS's source note, not an occupation.
const PROJECTION_SOURCE_NOTE: &str = "Source: ";

/// Reads `bls_employment_projections_pct_change_2020-2030.csv`.
pub fn read_projections(path: &Path) -> Result<Vec<ProjectedChange>, TalentError> {
    projections_from_table(&Table::open(path, &[PROJECTION_TITLE, PROJECTION_CHANGE])?)
}

/// Reads the projections from any reader; `file` names it in errors.
pub fn read_projections_from(
    file: &str,
    reader: impl Read,
) -> Result<Vec<ProjectedChange>, TalentError> {
    projections_from_table(&Table::csv(
        file,
        reader,
        &[PROJECTION_TITLE, PROJECTION_CHANGE],
    )?)
}

fn projections_from_table(table: &Table) -> Result<Vec<ProjectedChange>, TalentError> {
    let (title, change) = (
        table.column(PROJECTION_TITLE)?,
        table.column(PROJECTION_CHANGE)?,
    );
    let mut projections = Vec::new();
    for row in table.rows() {
        if row.text(title).starts_with(PROJECTION_SOURCE_NOTE) && row.text(change).is_empty() {
            continue;
        }
        projections.push(ProjectedChange {
            title: row.text(title).to_owned(),
            pct_change_2020_2030: row.number(change)?,
            line: row.number,
        });
    }
    Ok(projections)
}

/// The detailed OEWS occupations with employment, as (SOC, title, employment).
fn detailed(oews: &[OewsOccupation]) -> impl Iterator<Item = (&OewsOccupation, f64)> {
    oews.iter()
        .filter(|occupation| occupation.group == "detailed")
        .filter_map(|occupation| {
            occupation
                .employment
                .map(|employment| (occupation, employment))
        })
}

/// Brings OEWS detailed employment to ISCO-08 unit groups through the crosswalk.
pub fn employment_by_isco(
    oews: &[OewsOccupation],
    crosswalk: &SocIscoCrosswalk,
    source: &str,
) -> EmploymentByIsco {
    let mut by_unit: BTreeMap<IscoCode, f64> = BTreeMap::new();
    let (mut mapped_employment, mut minor_group_employment, mut unmapped_employment) =
        (0.0, 0.0, 0.0);
    let mut unmapped = Vec::new();
    for (occupation, employment) in detailed(oews) {
        let links = SocCode::parse(&occupation.soc)
            .map(|soc| crosswalk.for_soc(&soc))
            .unwrap_or_default();
        if links.is_empty() {
            unmapped_employment += employment;
            if let Ok(soc) = SocCode::parse(&occupation.soc) {
                unmapped.push((soc, occupation.title.clone(), employment));
            }
            continue;
        }
        let share = employment / links.len() as f64;
        for link in links {
            if link.isco.level() == IscoLevel::Unit {
                mapped_employment += share;
                *by_unit.entry(link.isco).or_default() += share;
            } else {
                minor_group_employment += share;
            }
        }
    }
    EmploymentByIsco {
        weights: EmploymentWeights::new(source, by_unit),
        mapped_employment,
        minor_group_employment,
        unmapped_employment,
        unmapped,
    }
}

/// Brings the projected change 2020–30 to ISCO-08 unit groups: titles matched to OEWS detailed
/// occupations (case-insensitive), then an employment-weighted mean over each unit group's
/// linked SOC occupations (the same equal split of a SOC occupation's employment as
/// [`employment_by_isco`]).
pub fn projections_by_isco(
    projections: &[ProjectedChange],
    oews: &[OewsOccupation],
    crosswalk: &SocIscoCrosswalk,
) -> ProjectionsByIsco {
    let by_title: BTreeMap<String, (&OewsOccupation, f64)> = detailed(oews)
        .map(|(occupation, employment)| (occupation.title.to_lowercase(), (occupation, employment)))
        .collect();
    let aggregates: std::collections::BTreeSet<String> = oews
        .iter()
        .filter(|occupation| occupation.group != "detailed")
        .map(|occupation| occupation.title.to_lowercase())
        .collect();
    let mut aggregate_rows = 0;
    let mut sums: BTreeMap<IscoCode, (f64, f64)> = BTreeMap::new();
    let mut titles_not_in_oews = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for projection in projections {
        let key = projection.title.to_lowercase();
        let Some((occupation, employment)) = by_title.get(&key) else {
            if aggregates.contains(&key) {
                aggregate_rows += 1;
            } else {
                titles_not_in_oews.push(projection.title.clone());
            }
            continue;
        };
        // The file repeats one row ("Fishing and hunting workers"); count each title once.
        if !seen.insert(key) {
            continue;
        }
        let Ok(soc) = SocCode::parse(&occupation.soc) else {
            continue;
        };
        let links = crosswalk.for_soc(&soc);
        let share = employment / links.len().max(1) as f64;
        for link in links {
            let entry = sums.entry(link.isco).or_default();
            entry.0 += share * projection.pct_change_2020_2030;
            entry.1 += share;
        }
    }
    ProjectionsByIsco {
        pct_change: sums
            .into_iter()
            .filter(|(_, (_, weight))| *weight > 0.0)
            .map(|(isco, (weighted, weight))| (isco, weighted / weight))
            .collect(),
        aggregate_rows,
        titles_not_in_oews,
    }
}
