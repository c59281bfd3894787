//! Talent demand and AI exposure by occupation (issue 16), as pure functions over reference
//! files and signals the caller passes in: no SQL, no clock; files are read only by the
//! functions that take a path or a reader.
//!
//! - [`isco`]: the ILO's ISCO-08 structure file, from which `domain`'s table of codes is made.
//! - [`ilo`]: the ILO's generative-AI exposure index recomputed from its task scores.
//! - [`crosswalk`], [`gpts`]: the BLS ISCO-08 ↔ SOC 2010 crosswalk and GPTs-are-GPTs through it.
//! - [`us`]: OEWS employment and BLS projections brought to ISCO-08 unit groups.
//! - [`aggregate`]: unit-group exposure aggregated to any level, employment-weighted where
//!   employment is known, with the weights it used.
//! - [`crossing`]: exposure crossed with demand (squeeze, augmentation).
//! - [`shortage`], [`config`]: shortage ratings from labour-market signals, configurable.
//! - [`levels`]: the Manpower Projection's occupation levels as ISCO-08 major groups.
//! - [`forecast`]: damped-trend forecasts with prediction intervals, and their backtest.
//! - [`talent_list`]: Hong Kong's Talent List editions as dated data.
//!
//! The methods and their references: `crates/talent/README.md`.

pub mod aggregate;
pub mod config;
pub mod crossing;
pub mod crosswalk;
mod error;
pub mod forecast;
pub mod gpts;
pub mod ilo;
pub mod isco;
pub mod levels;
pub mod shortage;
mod table;
pub mod talent_list;
pub mod us;

pub use error::TalentError;

/// Which exposure index a figure comes from, and which version: every output carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IndexCitation {
    pub index: &'static str,
    pub version: &'static str,
    pub reference: &'static str,
}

/// The ILO's 2025 index (scores `score_2025`), as bundled in `data/ai/`.
pub const ILO_GENAI_2025: IndexCitation = IndexCitation {
    index: "ILO global index of occupational exposure to generative AI",
    version: "2025 (score_2025; Final_Scores_ISCO08_Gmyrek_et_al_2025.xlsx, pgmyrek/2025_GenAI_scores_ISCO08 at 6601522d)",
    reference: "Gmyrek, Berg, Kamiński, Konopczyński, Ładna, Nafradi, Rosłaniec, Troszyński (2025), Generative AI and Jobs: A Refined Global Index of Occupational Exposure, ILO Working Paper 140",
};

/// GPTs-are-GPTs occupation-level ratings, as bundled in `data/ai/`.
pub const GPTS_ARE_GPTS_2024: IndexCitation = IndexCitation {
    index: "GPTs are GPTs: occupational exposure to large language models",
    version: "occ_level.csv, openai/GPTs-are-GPTs at 0471612f (O*NET-SOC), via the BLS ISCO-08/SOC 2010 crosswalk (2012, updated 2015)",
    reference: "Eloundou, Manning, Mishkin, Rock (2024), GPTs are GPTs: Labor market impact potential of LLMs, Science 384(6702)",
};
