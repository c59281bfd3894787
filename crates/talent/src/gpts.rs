//! GPTs-are-GPTs (Eloundou, Manning, Mishkin, Rock 2024, *Science*): exposure of US O*NET-SOC
//! occupations to large language models, brought to ISCO-08 through the BLS crosswalk.
//!
//! O*NET-SOC occupations (`15-1252.00`, `15-1252.01`) are averaged into their SOC code; each
//! ISCO-08 unit group then takes the plain mean over the SOC occupations it links to that have a
//! score (many-to-one links averaged, no employment weights). The crosswalk's `part` marks are
//! kept as a quality mark: how many of the links used match only in part.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use domain::IscoCode;

use crate::crosswalk::{SocCode, SocIscoCrosswalk};
use crate::table::Table;
use crate::{GPTS_ARE_GPTS_2024, IndexCitation, TalentError};

/// The six exposure measures of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GptsMeasure {
    /// Rated by GPT-4: α (direct exposure E1), β (E1 + ½ E2), γ (E1 + E2).
    ModelAlpha,
    ModelBeta,
    ModelGamma,
    /// Rated by people.
    HumanAlpha,
    HumanBeta,
    HumanGamma,
}

impl GptsMeasure {
    pub const ALL: [GptsMeasure; 6] = [
        GptsMeasure::ModelAlpha,
        GptsMeasure::ModelBeta,
        GptsMeasure::ModelGamma,
        GptsMeasure::HumanAlpha,
        GptsMeasure::HumanBeta,
        GptsMeasure::HumanGamma,
    ];

    /// The column of the file.
    pub fn column(self) -> &'static str {
        match self {
            GptsMeasure::ModelAlpha => "dv_rating_alpha",
            GptsMeasure::ModelBeta => "dv_rating_beta",
            GptsMeasure::ModelGamma => "dv_rating_gamma",
            GptsMeasure::HumanAlpha => "human_rating_alpha",
            GptsMeasure::HumanBeta => "human_rating_beta",
            GptsMeasure::HumanGamma => "human_rating_gamma",
        }
    }

    fn position(self) -> usize {
        GptsMeasure::ALL
            .iter()
            .position(|measure| *measure == self)
            .expect("every measure is listed")
    }
}

/// One O*NET-SOC occupation of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct GptsOccupation {
    pub onet_soc: String,
    pub soc: SocCode,
    pub title: String,
    /// The six measures, in [`GptsMeasure::ALL`] order.
    pub ratings: [f64; 6],
    pub line: usize,
}

impl GptsOccupation {
    pub fn rating(&self, measure: GptsMeasure) -> f64 {
        self.ratings[measure.position()]
    }
}

/// An ISCO-08 unit group's score from a US index, through the crosswalk.
#[derive(Debug, Clone, PartialEq)]
pub struct CrosswalkedExposure {
    pub isco: IscoCode,
    pub value: f64,
    /// SOC occupations linked to the unit group, and how many of them had a score.
    pub soc_linked: usize,
    pub soc_scored: usize,
    /// Of the scored links, how many the crosswalk marks `part` (a partial match).
    pub part_links: usize,
    pub measure: GptsMeasure,
    pub index: IndexCitation,
}

impl CrosswalkedExposure {
    /// True when every link used is a full match.
    pub fn all_links_full(&self) -> bool {
        self.part_links == 0
    }
}

/// The result of bringing the index to ISCO-08, with what did not cross.
#[derive(Debug, Clone, PartialEq)]
pub struct GptsByIsco {
    pub exposures: Vec<CrosswalkedExposure>,
    /// SOC codes of the index that the crosswalk does not know (mostly codes new in SOC 2018,
    /// which the 2010-based crosswalk predates).
    pub soc_not_in_crosswalk: Vec<SocCode>,
}

const ONET_SOC: &str = "O*NET-SOC Code";
const TITLE: &str = "Title";

/// Reads `eloundou_gpts_are_gpts_occ_level_onetsoc.csv`.
pub fn read_gpts(path: &Path) -> Result<Vec<GptsOccupation>, TalentError> {
    gpts_from_table(&Table::open(path, &required_columns())?)
}

/// Reads the file from any reader; `file` names it in errors.
pub fn read_gpts_from(file: &str, reader: impl Read) -> Result<Vec<GptsOccupation>, TalentError> {
    gpts_from_table(&Table::csv(file, reader, &required_columns())?)
}

fn required_columns() -> Vec<&'static str> {
    let mut columns = vec![ONET_SOC, TITLE];
    columns.extend(GptsMeasure::ALL.map(GptsMeasure::column));
    columns
}

fn gpts_from_table(table: &Table) -> Result<Vec<GptsOccupation>, TalentError> {
    let (code, title) = (table.column(ONET_SOC)?, table.column(TITLE)?);
    let measures = GptsMeasure::ALL.map(|measure| table.column(measure.column()));
    let mut columns = [0; 6];
    for (slot, column) in columns.iter_mut().zip(measures) {
        *slot = column?;
    }
    let mut occupations = Vec::new();
    for row in table.rows() {
        let onet_soc = row.text(code);
        let soc = row.parse(code, |text| {
            let (soc, suffix) = text.split_once('.').unwrap_or((text, "00"));
            if suffix.len() != 2 || !suffix.bytes().all(|byte| byte.is_ascii_digit()) {
                return Err("not an O*NET-SOC code (NN-NNNN.NN)".to_owned());
            }
            SocCode::parse(soc)
        })?;
        let mut ratings = [0.0; 6];
        for (rating, &column) in ratings.iter_mut().zip(&columns) {
            let value = row.number(column)?;
            if !(0.0..=1.0).contains(&value) {
                return Err(row.error(column, format!("{value} is outside 0 to 1")));
            }
            *rating = value;
        }
        occupations.push(GptsOccupation {
            onet_soc: onet_soc.to_owned(),
            soc,
            title: row.text(title).to_owned(),
            ratings,
            line: row.number,
        });
    }
    Ok(occupations)
}

/// Brings one measure to ISCO-08 unit groups: O*NET-SOC averaged into SOC, SOC averaged into
/// each linked unit group.
pub fn gpts_by_isco(
    occupations: &[GptsOccupation],
    crosswalk: &SocIscoCrosswalk,
    measure: GptsMeasure,
) -> GptsByIsco {
    let mut by_soc: BTreeMap<&SocCode, (f64, usize)> = BTreeMap::new();
    for occupation in occupations {
        let entry = by_soc.entry(&occupation.soc).or_default();
        entry.0 += occupation.rating(measure);
        entry.1 += 1;
    }
    let soc_score = |soc: &SocCode| by_soc.get(soc).map(|(sum, count)| sum / *count as f64);
    let soc_not_in_crosswalk = by_soc
        .keys()
        .filter(|soc| crosswalk.for_soc(soc).is_empty())
        .map(|soc| (*soc).clone())
        .collect();
    let mut exposures = Vec::new();
    for isco in crosswalk.isco_codes() {
        let links = crosswalk.for_isco(isco);
        let scored: Vec<_> = links
            .iter()
            .filter_map(|link| soc_score(&link.soc).map(|score| (score, link.part)))
            .collect();
        if scored.is_empty() {
            continue;
        }
        exposures.push(CrosswalkedExposure {
            isco,
            value: scored.iter().map(|(score, _)| score).sum::<f64>() / scored.len() as f64,
            soc_linked: links.len(),
            soc_scored: scored.len(),
            part_links: scored.iter().filter(|(_, part)| *part).count(),
            measure,
            index: GPTS_ARE_GPTS_2024,
        });
    }
    GptsByIsco {
        exposures,
        soc_not_in_crosswalk,
    }
}
