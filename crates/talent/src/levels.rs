//! The occupation levels of Hong Kong's Manpower Projection (managers and professionals, skilled
//! technical, service, manual) as ISCO-08 major groups, kept as data with the rationale for each
//! assignment (`crates/talent/data/manpower_levels.toml`).

use domain::{IndustryCode, IscoCode, IscoLevel};
use serde::Deserialize;

use crate::TalentError;

/// The bundled level mapping.
pub const BUNDLED_LEVELS: &str = include_str!("../data/manpower_levels.toml");

/// The bundled main level of each industry (an assumption, stated in the file).
pub const BUNDLED_INDUSTRY_LEVELS: &str = include_str!("../data/industry_levels.toml");

#[derive(Debug, Clone, PartialEq)]
pub struct ManpowerLevel {
    pub id: String,
    pub name_en: String,
    /// lmo's Chinese name for the level (the report's own wording was not seen here).
    pub name_zh: String,
    /// The report's published shortfall of the level in the anchor year, low and high.
    pub shortfall: (f64, f64),
    pub isco_major_groups: Vec<IscoCode>,
    pub rationale: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ManpowerLevels {
    pub source: String,
    /// `assumed` until checked against the report's own definitions.
    pub status: String,
    pub anchor: Anchor,
    pub levels: Vec<ManpowerLevel>,
}

/// The report's published totals for the anchor year.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Anchor {
    pub year: i16,
    pub base_year: i16,
    pub total_shortfall: f64,
    pub base_year_shortfall: f64,
    pub requirement: f64,
    pub local_supply: f64,
    pub note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelsFile {
    source: String,
    status: String,
    anchor: Anchor,
    level: Vec<LevelEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelEntry {
    id: String,
    name_en: String,
    name_zh: String,
    shortfall_2028: [f64; 2],
    isco_major_groups: Vec<String>,
    rationale: String,
}

impl ManpowerLevels {
    pub fn bundled() -> ManpowerLevels {
        ManpowerLevels::parse("crates/talent/data/manpower_levels.toml", BUNDLED_LEVELS)
            .expect("the bundled level mapping is valid (tested)")
    }

    /// Parses a level mapping; each ISCO-08 major group may belong to one level at most.
    pub fn parse(file: &str, text: &str) -> Result<ManpowerLevels, TalentError> {
        let config_error = |line: usize, reason: String| TalentError::Config {
            file: file.to_owned(),
            line,
            column: 1,
            reason,
        };
        let parsed: LevelsFile = toml::from_str(text).map_err(|error| {
            let line = error.span().map_or(1, |span| {
                text[..span.start.min(text.len())].matches('\n').count() + 1
            });
            config_error(line, error.message().to_owned())
        })?;
        let line_of = |needle: &str| {
            text.lines()
                .position(|line| line.contains(needle))
                .map_or(1, |index| index + 1)
        };
        let mut levels: Vec<ManpowerLevel> = Vec::new();
        for entry in parsed.level {
            let mut groups = Vec::new();
            for text_code in &entry.isco_major_groups {
                let here = line_of(&format!("id = \"{}\"", entry.id));
                let code = IscoCode::parse(text_code)
                    .ok()
                    .filter(|code| code.level() == IscoLevel::Major)
                    .ok_or_else(|| {
                        config_error(
                            here,
                            format!(
                                "level '{}': '{text_code}' is not an ISCO-08 major group",
                                entry.id
                            ),
                        )
                    })?;
                if let Some(other) = levels
                    .iter()
                    .find(|level| level.isco_major_groups.contains(&code))
                {
                    return Err(config_error(
                        here,
                        format!(
                            "level '{}': major group {code} is already in level '{}'",
                            entry.id, other.id
                        ),
                    ));
                }
                groups.push(code);
            }
            levels.push(ManpowerLevel {
                id: entry.id,
                name_en: entry.name_en,
                name_zh: entry.name_zh,
                shortfall: (entry.shortfall_2028[0], entry.shortfall_2028[1]),
                isco_major_groups: groups,
                rationale: entry.rationale,
            });
        }
        Ok(ManpowerLevels {
            source: parsed.source,
            status: parsed.status,
            anchor: parsed.anchor,
            levels,
        })
    }

    /// The level of an occupation at any ISCO-08 level, by its major group.
    pub fn level_of(&self, code: IscoCode) -> Option<&ManpowerLevel> {
        let major = code.major();
        self.levels
            .iter()
            .find(|level| level.isco_major_groups.contains(&major))
    }
}

/// One industry's main level.
#[derive(Debug, Clone, PartialEq)]
pub struct IndustryLevel {
    pub industry: IndustryCode,
    /// The id of a [`ManpowerLevel`].
    pub level: String,
    pub rationale: String,
}

/// The main level of each industry, to split a forecast by level when no occupation data exist.
#[derive(Debug, Clone, PartialEq)]
pub struct IndustryLevels {
    pub source: String,
    pub status: String,
    pub industries: Vec<IndustryLevel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndustryLevelsFile {
    source: String,
    status: String,
    industry: Vec<IndustryLevelEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndustryLevelEntry {
    code: String,
    level: String,
    rationale: String,
}

impl IndustryLevels {
    pub fn bundled() -> IndustryLevels {
        IndustryLevels::parse(
            "crates/talent/data/industry_levels.toml",
            BUNDLED_INDUSTRY_LEVELS,
            &ManpowerLevels::bundled(),
        )
        .expect("the bundled industry levels are valid (tested)")
    }

    /// Parses the file; every level must be one of `levels`, every industry a HSIC code.
    pub fn parse(
        file: &str,
        text: &str,
        levels: &ManpowerLevels,
    ) -> Result<IndustryLevels, TalentError> {
        let error = |needle: &str, reason: String| TalentError::Config {
            file: file.to_owned(),
            line: text
                .lines()
                .position(|line| line.contains(needle))
                .map_or(1, |index| index + 1),
            column: 1,
            reason,
        };
        let parsed: IndustryLevelsFile = toml::from_str(text).map_err(|parse_error| {
            let line = parse_error.span().map_or(1, |span| {
                text[..span.start.min(text.len())].matches('\n').count() + 1
            });
            TalentError::Config {
                file: file.to_owned(),
                line,
                column: 1,
                reason: parse_error.message().to_owned(),
            }
        })?;
        let mut industries = Vec::new();
        for entry in parsed.industry {
            let needle = format!("code = \"{}\"", entry.code);
            let industry = IndustryCode::parse(&entry.code)
                .map_err(|_| error(&needle, format!("'{}' is not an industry code", entry.code)))?;
            if !levels.levels.iter().any(|level| level.id == entry.level) {
                return Err(error(
                    &needle,
                    format!("industry {}: no level '{}'", entry.code, entry.level),
                ));
            }
            industries.push(IndustryLevel {
                industry,
                level: entry.level,
                rationale: entry.rationale,
            });
        }
        Ok(IndustryLevels {
            source: parsed.source,
            status: parsed.status,
            industries,
        })
    }

    pub fn level_of(&self, industry: &IndustryCode) -> Option<&str> {
        self.industries
            .iter()
            .find(|entry| entry.industry == *industry)
            .map(|entry| entry.level.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_civilian_major_group_has_one_level() {
        let levels = ManpowerLevels::bundled();
        assert_eq!(levels.status, "assumed");
        let assigned: Vec<_> = IscoCode::at_level(IscoLevel::Major)
            .map(|major| {
                (
                    major.code(),
                    levels.level_of(major).map(|level| level.id.as_str()),
                )
            })
            .collect();
        assert_eq!(
            assigned,
            [
                ("0", None),
                ("1", Some("managers-professionals")),
                ("2", Some("managers-professionals")),
                ("3", Some("skilled-technical")),
                ("4", Some("service")),
                ("5", Some("service")),
                ("6", Some("manual")),
                ("7", Some("skilled-technical")),
                ("8", Some("manual")),
                ("9", Some("manual")),
            ]
        );
        let software = IscoCode::parse("2512").unwrap();
        assert_eq!(
            levels.level_of(software).unwrap().id,
            "managers-professionals"
        );
        assert!(
            levels
                .levels
                .iter()
                .all(|level| !level.rationale.is_empty())
        );
    }

    #[test]
    fn every_industry_of_the_vacancy_survey_has_a_known_level() {
        let industries = IndustryLevels::bundled();
        assert_eq!(industries.status, "assumed");
        let codes: Vec<String> = industries
            .industries
            .iter()
            .map(|entry| entry.industry.to_string())
            .collect();
        assert_eq!(
            codes.join(" "),
            "B B+D+E C D+E F G45-46 G47 H I J K L M N P Q R S"
        );
        let construction = IndustryCode::parse("F").unwrap();
        assert_eq!(
            industries.level_of(&construction),
            Some("skilled-technical")
        );
        let broken =
            BUNDLED_INDUSTRY_LEVELS.replacen("level = \"manual\"", "level = \"robots\"", 1);
        let error = IndustryLevels::parse("x.toml", &broken, &ManpowerLevels::bundled())
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("x.toml:") && error.ends_with("industry C: no level 'robots'"),
            "{error}"
        );
    }

    #[test]
    fn a_group_in_two_levels_is_an_error_naming_the_line() {
        let doubled = BUNDLED_LEVELS.replace(
            "isco_major_groups = [\"4\", \"5\"]",
            "isco_major_groups = [\"4\", \"2\"]",
        );
        let line = BUNDLED_LEVELS
            .lines()
            .position(|line| line == "id = \"service\"")
            .unwrap()
            + 1;
        assert_eq!(
            ManpowerLevels::parse("levels.toml", &doubled)
                .unwrap_err()
                .to_string(),
            format!(
                "levels.toml:{line}:1: level 'service': major group 2 is already in level 'managers-professionals'"
            )
        );
    }
}
