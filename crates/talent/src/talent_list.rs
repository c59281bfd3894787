//! Hong Kong's Talent List (人才清單) as dated data: one TOML file per edition
//! (`data/hk/talent_list/<effective date>.toml`) with its date, sources, the number of
//! professions the Government published and the professions found so far, each mapped by lmo to
//! an ISCO-08 unit group and to the HSIC industry whose local statistics it is compared with.

use domain::{Date, IndustryCode, IscoCode, IscoLevel, parse_date};
use serde::Deserialize;

use crate::TalentError;

/// One profession of an edition.
#[derive(Debug, Clone, PartialEq)]
pub struct Profession {
    pub name_en: String,
    /// Empty where no Chinese name was found.
    pub name_zh: String,
    pub segment: String,
    /// lmo's mapping: the ISCO-08 unit group.
    pub isco08: IscoCode,
    /// lmo's mapping: the industry whose statistics the profession is compared with.
    pub industry: IndustryCode,
    /// Where this entry was found, when not the edition's first source.
    pub source: Option<String>,
}

/// One edition of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Edition {
    pub file: String,
    pub effective: Date,
    pub announced: Date,
    /// How many professions the Government's list has.
    pub professions_published: usize,
    /// False when only some of the professions were found.
    pub entries_complete: bool,
    pub sources: Vec<String>,
    pub note: String,
    pub professions: Vec<Profession>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditionFile {
    effective: String,
    announced: String,
    professions_published: usize,
    entries_complete: bool,
    sources: Vec<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    profession: Vec<ProfessionEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfessionEntry {
    name_en: String,
    #[serde(default)]
    name_zh: String,
    segment: String,
    isco08: String,
    industry: String,
    #[serde(default)]
    source: Option<String>,
}

impl Edition {
    /// Parses one edition; `file` names it in errors, which give the line.
    pub fn parse(file: &str, text: &str) -> Result<Edition, TalentError> {
        let line_of = |needle: &str| {
            text.lines()
                .position(|line| line.contains(needle))
                .map_or(1, |index| index + 1)
        };
        let error = |line: usize, reason: String| TalentError::Config {
            file: file.to_owned(),
            line,
            column: 1,
            reason,
        };
        let parsed: EditionFile = toml::from_str(text).map_err(|parse_error| {
            let line = parse_error.span().map_or(1, |span| {
                text[..span.start.min(text.len())].matches('\n').count() + 1
            });
            error(line, parse_error.message().to_owned())
        })?;
        let date = |key: &str, value: &str| {
            parse_date(value).map_err(|_| {
                error(
                    line_of(&format!("{key} =")),
                    format!("{key} '{value}' is not a date (YYYY-MM-DD)"),
                )
            })
        };
        let effective = date("effective", &parsed.effective)?;
        let announced = date("announced", &parsed.announced)?;
        let mut professions = Vec::new();
        for entry in parsed.profession {
            let here = line_of(&format!("name_en = \"{}\"", entry.name_en));
            let isco08 = IscoCode::parse(&entry.isco08)
                .ok()
                .filter(|code| code.level() == IscoLevel::Unit)
                .ok_or_else(|| {
                    error(
                        here,
                        format!(
                            "{}: '{}' is not an ISCO-08 unit group",
                            entry.name_en, entry.isco08
                        ),
                    )
                })?;
            let industry = IndustryCode::parse(&entry.industry).map_err(|_| {
                error(
                    here,
                    format!(
                        "{}: '{}' is not an industry code",
                        entry.name_en, entry.industry
                    ),
                )
            })?;
            professions.push(Profession {
                name_en: entry.name_en,
                name_zh: entry.name_zh,
                segment: entry.segment,
                isco08,
                industry,
                source: entry.source,
            });
        }
        if professions.len() > parsed.professions_published
            || (parsed.entries_complete && professions.len() != parsed.professions_published)
        {
            return Err(error(
                line_of("professions_published"),
                format!(
                    "{} professions entered, the list has {}{}",
                    professions.len(),
                    parsed.professions_published,
                    if parsed.entries_complete {
                        " and entries_complete says all are entered"
                    } else {
                        ""
                    }
                ),
            ));
        }
        Ok(Edition {
            file: file.to_owned(),
            effective,
            announced,
            professions_published: parsed.professions_published,
            entries_complete: parsed.entries_complete,
            sources: parsed.sources,
            note: parsed.note,
            professions,
        })
    }
}

/// Editions in effective-date order, from `(file name, text)` pairs.
pub fn editions<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Vec<Edition>, TalentError> {
    let mut editions = files
        .into_iter()
        .map(|(file, text)| Edition::parse(file, text))
        .collect::<Result<Vec<_>, _>>()?;
    editions.sort_by_key(|edition| edition.effective);
    Ok(editions)
}

/// The edition in effect on `date`: the latest that took effect on or before it.
pub fn in_effect(editions: &[Edition], date: Date) -> Option<&Edition> {
    editions
        .iter()
        .filter(|edition| edition.effective <= date)
        .max_by_key(|edition| edition.effective)
}
