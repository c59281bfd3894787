//! The reference files of the talent tables, compiled into the binary so that the commands work
//! from any clone: the ILO exposure index, the BLS ISCO-08/SOC crosswalk, GPTs-are-GPTs, the US
//! occupation files and the Talent List editions (provenance in data/SOURCES.md).

use talent::config::TalentConfig;
use talent::crosswalk::SocIscoCrosswalk;
use talent::gpts::GptsOccupation;
use talent::ilo::IloExposureIndex;
use talent::levels::{IndustryLevels, ManpowerLevels};
use talent::talent_list::Edition;
use talent::us::{OewsOccupation, ProjectedChange};

use crate::EngineError;

const ILO_FILE: &str = "data/ai/ilo_genai_exposure_isco08_gmyrek_2025.xlsx";
const ILO: &[u8] = include_bytes!("../../../../data/ai/ilo_genai_exposure_isco08_gmyrek_2025.xlsx");
const CROSSWALK_FILE: &str = "data/ai/bls_isco08_soc2010_crosswalk.xls";
const CROSSWALK: &[u8] = include_bytes!("../../../../data/ai/bls_isco08_soc2010_crosswalk.xls");
const GPTS_FILE: &str = "data/ai/eloundou_gpts_are_gpts_occ_level_onetsoc.csv";
const GPTS: &[u8] =
    include_bytes!("../../../../data/ai/eloundou_gpts_are_gpts_occ_level_onetsoc.csv");
pub(crate) const OEWS_FILE: &str = "data/us/occupations/bls_oews_national_may2021.csv";
const OEWS: &[u8] = include_bytes!("../../../../data/us/occupations/bls_oews_national_may2021.csv");
pub(crate) const PROJECTIONS_FILE: &str =
    "data/us/occupations/bls_employment_projections_pct_change_2020-2030.csv";
const PROJECTIONS: &[u8] = include_bytes!(
    "../../../../data/us/occupations/bls_employment_projections_pct_change_2020-2030.csv"
);

/// The Talent List editions, one file each.
const TALENT_LIST: &[(&str, &str)] = &[
    (
        "data/hk/talent_list/2018-08-28.toml",
        include_str!("../../../../data/hk/talent_list/2018-08-28.toml"),
    ),
    (
        "data/hk/talent_list/2023-05-16.toml",
        include_str!("../../../../data/hk/talent_list/2023-05-16.toml"),
    ),
    (
        "data/hk/talent_list/2025-03-01.toml",
        include_str!("../../../../data/hk/talent_list/2025-03-01.toml"),
    ),
];

/// The ILO's 2025 generative-AI exposure index (recomputed from its task scores).
pub fn ilo_index() -> Result<IloExposureIndex, EngineError> {
    Ok(IloExposureIndex::read_from(ILO_FILE, ILO)?)
}

/// The BLS ISCO-08 ↔ SOC 2010 crosswalk.
pub fn crosswalk() -> Result<SocIscoCrosswalk, EngineError> {
    Ok(SocIscoCrosswalk::read_from(CROSSWALK_FILE, CROSSWALK)?)
}

/// GPTs-are-GPTs by O*NET-SOC occupation.
pub fn gpts() -> Result<Vec<GptsOccupation>, EngineError> {
    Ok(talent::gpts::read_gpts_from(GPTS_FILE, GPTS)?)
}

/// OEWS national employment and wages, May 2021.
pub fn oews() -> Result<Vec<OewsOccupation>, EngineError> {
    Ok(talent::us::read_oews_from(OEWS_FILE, OEWS)?)
}

/// BLS Employment Projections 2020–30.
pub fn projections() -> Result<Vec<ProjectedChange>, EngineError> {
    Ok(talent::us::read_projections_from(
        PROJECTIONS_FILE,
        PROJECTIONS,
    )?)
}

/// The bundled Talent List editions, or those of `files` (`(name, text)`) when given.
pub fn talent_list(files: Option<&[(String, String)]>) -> Result<Vec<Edition>, EngineError> {
    Ok(match files {
        Some(files) => talent::talent_list::editions(
            files
                .iter()
                .map(|(name, text)| (name.as_str(), text.as_str())),
        )?,
        None => talent::talent_list::editions(TALENT_LIST.iter().copied())?,
    })
}

/// The method's weights and thresholds: the bundled file, or the one at `path`.
pub fn config(path: Option<&std::path::Path>) -> Result<TalentConfig, EngineError> {
    Ok(match path {
        Some(path) => TalentConfig::read(path)?,
        None => TalentConfig::bundled(),
    })
}

pub fn levels() -> ManpowerLevels {
    ManpowerLevels::bundled()
}

pub fn industry_levels() -> IndustryLevels {
    IndustryLevels::bundled()
}
