//! The weights and thresholds of the talent methods, from a TOML file
//! (`crates/talent/config/talent.toml` is bundled as the default).

use std::path::Path;

use serde::Deserialize;

use crate::TalentError;
use crate::ilo::ExposureGradient;

/// The bundled default configuration.
pub const BUNDLED_CONFIG: &str = include_str!("../config/talent.toml");

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TalentConfig {
    /// The method id and version, kept with every rating (`shortage/1`).
    pub method: String,
    pub shortage: ShortageConfig,
    pub crossing: CrossingConfig,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShortageConfig {
    pub weights: SignalWeights,
    pub rating: RatingThresholds,
    pub confidence: ConfidenceThresholds,
    pub drivers: DriverThresholds,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignalWeights {
    pub vacancy_rate: f64,
    pub vacancy_rate_change: f64,
    pub persons_engaged_growth: f64,
    pub payroll_growth: f64,
    pub unemployment_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingThresholds {
    pub shortage_at_or_above: f64,
    pub surplus_at_or_below: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfidenceThresholds {
    pub high_coverage_at_or_above: f64,
    pub medium_coverage_at_or_above: f64,
    pub min_signals: usize,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DriverThresholds {
    pub pay_lag_z_at_or_below: f64,
    pub unemployment_z_at_or_above: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossingConfig {
    #[serde(deserialize_with = "gradient")]
    pub exposed_from: ExposureGradient,
    pub flat_band_pct: f64,
}

fn gradient<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<ExposureGradient, D::Error> {
    let label = String::deserialize(deserializer)?;
    ExposureGradient::parse(&label).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "'{label}' is not an ILO exposure class (Not Exposed, Minimal Exposure, Exposed: Gradient 1 to 4)"
        ))
    })
}

impl TalentConfig {
    /// The bundled default.
    pub fn bundled() -> TalentConfig {
        TalentConfig::parse("crates/talent/config/talent.toml", BUNDLED_CONFIG)
            .expect("the bundled configuration is valid (tested)")
    }

    /// Reads a configuration file.
    pub fn read(path: &Path) -> Result<TalentConfig, TalentError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| TalentError::Io {
            file: file.clone(),
            source,
        })?;
        TalentConfig::parse(&file, &text)
    }

    /// Parses configuration text; `file` names it in errors, which give line and column.
    pub fn parse(file: &str, text: &str) -> Result<TalentConfig, TalentError> {
        let config: TalentConfig = toml::from_str(text).map_err(|error| {
            let (line, column) = error
                .span()
                .map_or((1, 1), |span| line_and_column(text, span.start));
            TalentError::Config {
                file: file.to_owned(),
                line,
                column,
                reason: error.message().to_owned(),
            }
        })?;
        config.check(file, text)?;
        Ok(config)
    }

    /// Checks what the types cannot: signs, order and ranges of the numbers.
    fn check(&self, file: &str, text: &str) -> Result<(), TalentError> {
        let fail = |key: &str, reason: String| {
            let (line, column) = line_of_key(text, key);
            Err(TalentError::Config {
                file: file.to_owned(),
                line,
                column,
                reason,
            })
        };
        let weights = &self.shortage.weights;
        for (key, weight) in [
            ("vacancy_rate", weights.vacancy_rate),
            ("vacancy_rate_change", weights.vacancy_rate_change),
            ("persons_engaged_growth", weights.persons_engaged_growth),
            ("payroll_growth", weights.payroll_growth),
            ("unemployment_rate", weights.unemployment_rate),
        ] {
            if !(weight.is_finite() && weight >= 0.0) {
                return fail(key, format!("a weight must be 0 or more, not {weight}"));
            }
        }
        if weights.total() <= 0.0 {
            return fail("vacancy_rate", "the weights must not all be 0".to_owned());
        }
        let rating = &self.shortage.rating;
        if rating.surplus_at_or_below >= rating.shortage_at_or_above {
            return fail(
                "surplus_at_or_below",
                format!(
                    "surplus_at_or_below ({}) must be below shortage_at_or_above ({})",
                    rating.surplus_at_or_below, rating.shortage_at_or_above
                ),
            );
        }
        let confidence = &self.shortage.confidence;
        let in_unit = |value: f64| value > 0.0 && value <= 1.0;
        if !in_unit(confidence.high_coverage_at_or_above)
            || !in_unit(confidence.medium_coverage_at_or_above)
            || confidence.medium_coverage_at_or_above > confidence.high_coverage_at_or_above
        {
            return fail(
                "medium_coverage_at_or_above",
                "coverage thresholds must satisfy 0 < medium <= high <= 1".to_owned(),
            );
        }
        if !(self.crossing.flat_band_pct.is_finite() && self.crossing.flat_band_pct >= 0.0) {
            return fail(
                "flat_band_pct",
                "the flat band must be 0 or more".to_owned(),
            );
        }
        Ok(())
    }
}

impl SignalWeights {
    pub fn total(&self) -> f64 {
        self.vacancy_rate
            + self.vacancy_rate_change
            + self.persons_engaged_growth
            + self.payroll_growth
            + self.unemployment_rate
    }
}

/// 1-based line and column of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map_or(0, |tail| tail.chars().count())
        + 1;
    (line, column)
}

/// The line of the first `key =` in the text (keys are unique across the file's tables).
fn line_of_key(text: &str, key: &str) -> (usize, usize) {
    text.lines()
        .position(|line| {
            line.trim_start()
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or((1, 1), |index| (index + 1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_configuration_parses() {
        let config = TalentConfig::bundled();
        assert_eq!(config.method, "shortage/1");
        assert!((config.shortage.weights.total() - 1.0).abs() < 1e-12);
        assert_eq!(config.crossing.exposed_from, ExposureGradient::Gradient1);
    }

    #[test]
    fn errors_name_the_line_and_column() {
        let error = |text: &str| {
            TalentConfig::parse("talent.toml", text)
                .unwrap_err()
                .to_string()
        };
        let broken = BUNDLED_CONFIG.replace("payroll_growth = 0.20", "payroll_growth = \"high\"");
        let line = BUNDLED_CONFIG
            .lines()
            .position(|line| line.starts_with("payroll_growth"))
            .unwrap()
            + 1;
        assert!(
            error(&broken).starts_with(&format!("talent.toml:{line}:18: ")),
            "{}",
            error(&broken)
        );
        let negative =
            BUNDLED_CONFIG.replace("unemployment_rate = 0.20", "unemployment_rate = -1.0");
        let line = BUNDLED_CONFIG
            .lines()
            .position(|line| line.starts_with("unemployment_rate"))
            .unwrap()
            + 1;
        assert_eq!(
            error(&negative),
            format!("talent.toml:{line}:1: a weight must be 0 or more, not -1")
        );
        let unknown = BUNDLED_CONFIG.replace("flat_band_pct", "flat_band");
        assert!(
            error(&unknown).contains("unknown field `flat_band`"),
            "{}",
            error(&unknown)
        );
        let class = BUNDLED_CONFIG.replace("\"Exposed: Gradient 1\"", "\"Gradient 9\"");
        assert!(error(&class).contains("'Gradient 9' is not an ILO exposure class"));
    }
}
