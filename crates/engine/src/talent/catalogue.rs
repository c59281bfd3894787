//! The localised talent-needs catalogue (本地化產業人才需求目錄): per industry, its rating with
//! the driver and evidence, the occupations in shortage in it with their level, and the Talent
//! List professions of the industry; and the Talent List set beside local statistics.

use domain::{Date, IndustryCode, OccupationCode};
use talent::levels::ManpowerLevels;
use talent::shortage::{Driver, Rating};
use talent::talent_list::{Edition, Profession, in_effect};

use super::ratings::{
    GroupRating, OccupationMeasure, Ratings, TalentInputs, occupation_level, occupation_measure,
};

/// An occupation in shortage within an industry.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueOccupation {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
    pub level: Option<String>,
    /// The occupation's latest vacancies in the industry.
    pub vacancies: Option<f64>,
    pub rating: Rating,
    pub driver: Option<Driver>,
    pub evidence: Vec<String>,
}

/// One industry of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueEntry {
    pub industry: GroupRating,
    pub occupations: Vec<CatalogueOccupation>,
    /// Why no occupations are listed, when none are.
    pub occupations_note: Option<String>,
    /// Professions of the Talent List in effect that lmo compares with this industry.
    pub talent_list: Vec<Profession>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    pub as_of: Date,
    pub method: String,
    /// Shortage first, then by composite, tightest first.
    pub entries: Vec<CatalogueEntry>,
    pub talent_list_edition: Option<Date>,
}

pub(crate) fn catalogue(
    inputs: &TalentInputs,
    ratings: &Ratings,
    levels: &ManpowerLevels,
    editions: &[Edition],
) -> Catalogue {
    let edition = in_effect(editions, inputs.as_of);
    let mut entries: Vec<CatalogueEntry> = ratings
        .industries
        .iter()
        .map(|industry| {
            let code = IndustryCode::parse(&industry.code).ok();
            let in_industry: Vec<(OccupationCode, f64)> = inputs
                .occupations
                .iter()
                .filter(|series| {
                    series.meta.industry.is_some()
                        && series.meta.industry == code
                        && occupation_measure(&series.meta) == Some(OccupationMeasure::Vacancies)
                })
                .filter_map(|series| Some((series.meta.occupation?, series.values.last()?.value)))
                .collect();
            let occupations: Vec<CatalogueOccupation> = in_industry
                .iter()
                .filter_map(|(occupation, vacancies)| {
                    let rated = ratings
                        .occupations
                        .iter()
                        .find(|rated| rated.code == occupation.to_string())?;
                    (rated.rating.rating == Rating::Shortage).then(|| CatalogueOccupation {
                        code: rated.code.clone(),
                        name_en: rated.name_en.clone(),
                        name_zh: rated.name_zh.clone(),
                        level: occupation_level(levels, *occupation),
                        vacancies: Some(*vacancies),
                        rating: rated.rating.rating,
                        driver: rated.rating.driver,
                        evidence: rated.rating.evidence.clone(),
                    })
                })
                .collect();
            let occupations_note = if in_industry.is_empty() {
                Some("no vacancies by occupation for this industry in the store (C&SD 215-16007 is not bundled)".to_owned())
            } else if occupations.is_empty() {
                Some("no occupation with vacancies here is rated shortage".to_owned())
            } else {
                None
            };
            CatalogueEntry {
                industry: industry.clone(),
                occupations,
                occupations_note,
                talent_list: edition.map_or_else(Vec::new, |edition| {
                    edition
                        .professions
                        .iter()
                        .filter(|profession| Some(&profession.industry) == code.as_ref())
                        .cloned()
                        .collect()
                }),
            }
        })
        .collect();
    let order = |rating: Rating| match rating {
        Rating::Shortage => 0,
        Rating::Balanced => 1,
        Rating::Surplus => 2,
    };
    entries.sort_by(|a, b| {
        order(a.industry.rating.rating)
            .cmp(&order(b.industry.rating.rating))
            .then(
                b.industry
                    .rating
                    .composite
                    .total_cmp(&a.industry.rating.composite),
            )
    });
    Catalogue {
        as_of: inputs.as_of,
        method: ratings.method.clone(),
        entries,
        talent_list_edition: edition.map(|edition| edition.effective),
    }
}

/// A Talent List profession beside the local statistics of its occupation or industry.
#[derive(Debug, Clone, PartialEq)]
pub struct TalentListRow {
    pub profession: Profession,
    pub level: Option<String>,
    /// What it was compared with: an occupation the store rates, or else the industry.
    pub compared_with: String,
    pub compared_name_en: String,
    pub rating: Option<Rating>,
    pub composite: Option<f64>,
    pub vacancy_rate: Option<f64>,
    pub persons_engaged_growth: Option<f64>,
    pub unemployment_rate: Option<f64>,
    /// Set when the local market of the comparison group is looser than the economy's: the
    /// profession is imported although local people may be available.
    pub local_slack: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TalentListView {
    pub as_of: Date,
    /// Every edition known: effective date, professions published, entered.
    pub editions: Vec<(Date, usize, usize, bool, Vec<String>)>,
    /// The edition shown.
    pub edition: Option<Edition>,
    pub rows: Vec<TalentListRow>,
}

/// The edition in effect on `as_of` (or the one effective on `edition`), each profession set
/// beside its occupation's rating when the store rates it (the unit group, or a group above
/// it), else its industry's.
pub(crate) fn talent_list_view(
    as_of: Date,
    ratings: &Ratings,
    levels: &ManpowerLevels,
    editions: &[Edition],
    edition: Option<Date>,
) -> TalentListView {
    let chosen = match edition {
        Some(date) => editions.iter().find(|known| known.effective == date),
        None => in_effect(editions, as_of),
    };
    let rows = chosen.map_or_else(Vec::new, |chosen| {
        chosen
            .professions
            .iter()
            .map(|profession| {
                let isco = profession.isco08;
                // The finest group the store rates: unit, minor, sub-major, major, C&SD group.
                let occupation = [
                    Some(isco),
                    isco.ancestor(domain::IscoLevel::Minor),
                    isco.ancestor(domain::IscoLevel::SubMajor),
                    Some(isco.major()),
                ]
                .into_iter()
                .flatten()
                .map(|code| OccupationCode::Isco(code).to_string())
                .chain(isco.csd_major_group().map(|group| group.to_string()))
                .find_map(|code| ratings.occupations.iter().find(|rated| rated.code == code));
                let industry = ratings
                    .industries
                    .iter()
                    .find(|rated| rated.code == profession.industry.to_string());
                let compared = occupation.or(industry);
                let value = |signal| {
                    compared.and_then(|rated| {
                        rated
                            .rating
                            .signals
                            .iter()
                            .find(|reading| reading.signal == signal)
                            .map(|reading| reading.value)
                    })
                };
                let local_slack = compared.and_then(|rated| {
                    let kind = if occupation.is_some() {
                        "occupation"
                    } else {
                        "industry"
                    };
                    match rated.rating.rating {
                        Rating::Surplus => Some(format!(
                            "{kind} {} rated surplus (composite {:+.2}): local people are available",
                            rated.code, rated.rating.composite
                        )),
                        _ if rated.rating.composite < 0.0 => Some(format!(
                            "{kind} {} looser than the economy (composite {:+.2})",
                            rated.code, rated.rating.composite
                        )),
                        _ => None,
                    }
                });
                TalentListRow {
                    profession: profession.clone(),
                    level: levels.level_of(isco).map(|level| level.id.clone()),
                    compared_with: compared.map_or_else(String::new, |rated| rated.code.clone()),
                    compared_name_en: compared
                        .map_or_else(String::new, |rated| rated.name_en.clone()),
                    rating: compared.map(|rated| rated.rating.rating),
                    composite: compared.map(|rated| rated.rating.composite),
                    vacancy_rate: value(talent::shortage::Signal::VacancyRate),
                    persons_engaged_growth: value(talent::shortage::Signal::PersonsEngagedGrowth),
                    unemployment_rate: value(talent::shortage::Signal::UnemploymentRate),
                    local_slack,
                }
            })
            .collect()
    });
    TalentListView {
        as_of,
        editions: editions
            .iter()
            .map(|known| {
                (
                    known.effective,
                    known.professions_published,
                    known.professions.len(),
                    known.entries_complete,
                    known.sources.clone(),
                )
            })
            .collect(),
        edition: chosen.cloned(),
        rows,
    }
}
