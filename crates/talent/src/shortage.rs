//! Shortage ratings from labour-market signals, in the manner of the OECD Skills for Jobs
//! indicators (each signal standardised against the economy-wide value and combined with
//! weights) and of Jobs and Skills Australia's Occupation Shortage List (a rating, and a shortage
//! driver with its evidence). The method and its references: crates/talent/README.md.

use std::fmt;

use crate::config::{ShortageConfig, SignalWeights};

/// The input signals of a rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    /// Vacancies per 100 posts (vacancies + persons engaged), %.
    VacancyRate,
    /// Change of the vacancy rate over a year, percentage points.
    VacancyRateChange,
    /// Year-on-year growth of persons engaged, %.
    PersonsEngagedGrowth,
    /// Year-on-year growth of payroll per person engaged, %.
    PayrollGrowth,
    /// Unemployment rate of the group, % (where the statistics have one).
    UnemploymentRate,
}

impl Signal {
    pub const ALL: [Signal; 5] = [
        Signal::VacancyRate,
        Signal::VacancyRateChange,
        Signal::PersonsEngagedGrowth,
        Signal::PayrollGrowth,
        Signal::UnemploymentRate,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Signal::VacancyRate => "vacancy rate",
            Signal::VacancyRateChange => "vacancy rate change",
            Signal::PersonsEngagedGrowth => "persons engaged growth",
            Signal::PayrollGrowth => "payroll growth",
            Signal::UnemploymentRate => "unemployment rate",
        }
    }

    /// +1 when a higher value means a tighter market, −1 when it means a looser one.
    fn direction(self) -> f64 {
        match self {
            Signal::UnemploymentRate => -1.0,
            _ => 1.0,
        }
    }

    fn weight(self, weights: &SignalWeights) -> f64 {
        match self {
            Signal::VacancyRate => weights.vacancy_rate,
            Signal::VacancyRateChange => weights.vacancy_rate_change,
            Signal::PersonsEngagedGrowth => weights.persons_engaged_growth,
            Signal::PayrollGrowth => weights.payroll_growth,
            Signal::UnemploymentRate => weights.unemployment_rate,
        }
    }
}

/// The values of the signals for one group or for the whole economy; `None` where unknown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignalValues {
    pub vacancy_rate: Option<f64>,
    pub vacancy_rate_change: Option<f64>,
    pub persons_engaged_growth: Option<f64>,
    pub payroll_growth: Option<f64>,
    pub unemployment_rate: Option<f64>,
}

impl SignalValues {
    pub fn get(&self, signal: Signal) -> Option<f64> {
        match signal {
            Signal::VacancyRate => self.vacancy_rate,
            Signal::VacancyRateChange => self.vacancy_rate_change,
            Signal::PersonsEngagedGrowth => self.persons_engaged_growth,
            Signal::PayrollGrowth => self.payroll_growth,
            Signal::UnemploymentRate => self.unemployment_rate,
        }
        .filter(|value| value.is_finite())
    }
}

/// A group (an industry or an occupation, named as the caller names it) and its signals.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSignals {
    pub group: String,
    pub values: SignalValues,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rating {
    Shortage,
    Balanced,
    Surplus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    Low,
    Medium,
    High,
}

/// Why a shortage exists, in Jobs and Skills Australia's terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Driver {
    /// Too few people with the skills: little unemployment in the group, pay keeping up.
    TrainingGap,
    /// People are there but hiring still fails: unemployment in the group at or above the
    /// economy's.
    SuitabilityGap,
    /// People leave or do not come: pay growth lagging the all-industry average (pay and
    /// conditions).
    RetentionGap,
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rating::Shortage => "shortage",
            Rating::Balanced => "balanced",
            Rating::Surplus => "surplus",
        })
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        })
    }
}

impl fmt::Display for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Driver::TrainingGap => "training gap",
            Driver::SuitabilityGap => "suitability gap",
            Driver::RetentionGap => "retention gap (pay and conditions)",
        })
    }
}

/// One signal as the rating used it.
#[derive(Debug, Clone, PartialEq)]
pub struct SignalReading {
    pub signal: Signal,
    pub value: f64,
    /// The economy-wide value it is compared with.
    pub reference: f64,
    /// True when the reference is the economy-wide figure given; false when it is the mean over
    /// the groups rated (no economy-wide figure was given).
    pub reference_is_economy_wide: bool,
    /// Standard deviations from the reference, signed so that positive means tighter.
    pub z: f64,
    pub weight: f64,
    pub contribution: f64,
}

/// A group's rating, with every signal shown.
#[derive(Debug, Clone, PartialEq)]
pub struct ShortageRating {
    pub group: String,
    pub rating: Rating,
    /// Weighted mean of the signed standardised signals.
    pub composite: f64,
    pub confidence: Confidence,
    /// Share of the total weight whose signals the group has.
    pub coverage: f64,
    pub signals: Vec<SignalReading>,
    /// Signals the group lacks, or that could not be standardised (and why).
    pub missing: Vec<(Signal, &'static str)>,
    pub driver: Option<Driver>,
    /// The evidence for the driver, or why none could be named.
    pub evidence: Vec<String>,
    /// The method id and version (`shortage/1`).
    pub method: String,
}

/// Rates every group against the economy: signals standardised against the economy-wide value
/// (`economy`, or the mean over `groups` where `economy` lacks one) with the spread across
/// `groups`, combined with the configured weights.
pub fn rate_shortages(
    groups: &[GroupSignals],
    economy: &SignalValues,
    config: &ShortageConfig,
    method: &str,
) -> Vec<ShortageRating> {
    let scales = Signal::ALL.map(|signal| Scale::of(signal, groups, economy));
    groups
        .iter()
        .map(|group| rate_one(group, &scales, config, method))
        .collect()
}

/// How one signal is standardised: its reference and its spread across the groups.
struct Scale {
    signal: Signal,
    reference: Option<(f64, bool)>,
    spread: Option<f64>,
}

impl Scale {
    fn of(signal: Signal, groups: &[GroupSignals], economy: &SignalValues) -> Scale {
        let values: Vec<f64> = groups
            .iter()
            .filter_map(|group| group.values.get(signal))
            .collect();
        let mean = (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64);
        let spread = mean.filter(|_| values.len() >= 2).and_then(|mean| {
            let variance = values
                .iter()
                .map(|value| (value - mean).powi(2))
                .sum::<f64>()
                / values.len() as f64;
            let spread = variance.sqrt();
            (spread > 0.0).then_some(spread)
        });
        let reference = economy
            .get(signal)
            .map(|value| (value, true))
            .or(mean.map(|value| (value, false)));
        Scale {
            signal,
            reference,
            spread,
        }
    }
}

fn rate_one(
    group: &GroupSignals,
    scales: &[Scale; 5],
    config: &ShortageConfig,
    method: &str,
) -> ShortageRating {
    let mut signals = Vec::new();
    let mut missing = Vec::new();
    for scale in scales {
        let weight = scale.signal.weight(&config.weights);
        let Some(value) = group.values.get(scale.signal) else {
            missing.push((scale.signal, "no value for this group"));
            continue;
        };
        let (Some((reference, reference_is_economy_wide)), Some(spread)) =
            (scale.reference, scale.spread)
        else {
            missing.push((scale.signal, "fewer than two groups differ on it"));
            continue;
        };
        let z = scale.signal.direction() * (value - reference) / spread;
        signals.push(SignalReading {
            signal: scale.signal,
            value,
            reference,
            reference_is_economy_wide,
            z,
            weight,
            contribution: weight * z,
        });
    }
    let used_weight: f64 = signals.iter().map(|reading| reading.weight).sum();
    let composite = if used_weight > 0.0 {
        signals
            .iter()
            .map(|reading| reading.contribution)
            .sum::<f64>()
            / used_weight
    } else {
        0.0
    };
    let coverage = used_weight / config.weights.total();
    let rating = if used_weight <= 0.0 {
        Rating::Balanced
    } else if composite >= config.rating.shortage_at_or_above {
        Rating::Shortage
    } else if composite <= config.rating.surplus_at_or_below {
        Rating::Surplus
    } else {
        Rating::Balanced
    };
    let confidence = if signals.len() < config.confidence.min_signals
        || coverage < config.confidence.medium_coverage_at_or_above
    {
        Confidence::Low
    } else if coverage >= config.confidence.high_coverage_at_or_above {
        Confidence::High
    } else {
        Confidence::Medium
    };
    let (driver, evidence) = if rating == Rating::Shortage {
        shortage_driver(&signals, config)
    } else {
        (None, Vec::new())
    };
    ShortageRating {
        group: group.group.clone(),
        rating,
        composite,
        confidence,
        coverage,
        signals,
        missing,
        driver,
        evidence,
        method: method.to_owned(),
    }
}

/// The driver of a shortage: retention when pay lags, suitability when people are available,
/// training when neither (few people, pay keeping up); undetermined without pay or
/// unemployment.
fn shortage_driver(
    signals: &[SignalReading],
    config: &ShortageConfig,
) -> (Option<Driver>, Vec<String>) {
    let reading = |signal| signals.iter().find(|reading| reading.signal == signal);
    // The reference is the economy's figure where one was given, else the groups' mean.
    let describe = |reading: &SignalReading, versus: &str| {
        let (_, meaning) = versus.split_once(": ").unwrap_or(("", versus));
        let against = if reading.reference_is_economy_wide {
            versus.split_once(": ").map_or(versus, |(whom, _)| whom)
        } else {
            "the mean of the groups rated"
        };
        format!(
            "{} {:.1} against {:.1} {against}: {meaning} ({:+.2} sd)",
            reading.signal.name(),
            reading.value,
            reading.reference,
            reading.signal.direction() * reading.z
        )
    };
    let pay = reading(Signal::PayrollGrowth);
    let unemployment = reading(Signal::UnemploymentRate);
    if let Some(pay) = pay.filter(|pay| pay.z <= config.drivers.pay_lag_z_at_or_below) {
        return (
            Some(Driver::RetentionGap),
            vec![describe(
                pay,
                "all-industry: pay lags while posts stay open",
            )],
        );
    }
    // Unemployment enters the composite with its sign flipped, so a high rate is a low z.
    if let Some(unemployment) =
        unemployment.filter(|reading| -reading.z >= config.drivers.unemployment_z_at_or_above)
    {
        return (
            Some(Driver::SuitabilityGap),
            vec![describe(
                unemployment,
                "economy-wide: people are available, yet posts stay open",
            )],
        );
    }
    let evidence: Vec<String> = [
        unemployment.map(|reading| describe(reading, "economy-wide: few people available")),
        pay.map(|reading| describe(reading, "all-industry: pay is not what holds hiring back")),
    ]
    .into_iter()
    .flatten()
    .collect();
    if evidence.is_empty() {
        return (
            None,
            vec![
                "driver undetermined: neither payroll growth nor unemployment is known".to_owned(),
            ],
        );
    }
    (Some(Driver::TrainingGap), evidence)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::TalentConfig;

    /// Made-up groups (not official figures) that exercise each branch of the method.
    fn values(signals: [Option<f64>; 5]) -> SignalValues {
        let [
            vacancy_rate,
            vacancy_rate_change,
            persons_engaged_growth,
            payroll_growth,
            unemployment_rate,
        ] = signals;
        SignalValues {
            vacancy_rate,
            vacancy_rate_change,
            persons_engaged_growth,
            payroll_growth,
            unemployment_rate,
        }
    }

    fn rate(groups: &[(&str, [Option<f64>; 5])], economy: [Option<f64>; 5]) -> Vec<ShortageRating> {
        let groups: Vec<GroupSignals> = groups
            .iter()
            .map(|(name, signals)| GroupSignals {
                group: (*name).to_owned(),
                values: values(*signals),
            })
            .collect();
        let config = TalentConfig::bundled();
        rate_shortages(&groups, &values(economy), &config.shortage, &config.method)
    }

    #[test]
    fn signals_are_standardised_against_the_economy_and_drivers_named_with_evidence() {
        let ratings = rate(
            &[
                (
                    "pay lags",
                    [Some(4.5), Some(1.0), Some(3.0), Some(1.0), Some(2.0)],
                ),
                (
                    "loose",
                    [Some(1.0), Some(-0.5), Some(-1.0), Some(3.0), Some(5.0)],
                ),
                (
                    "average",
                    [Some(2.0), Some(0.0), Some(1.0), Some(3.0), Some(3.0)],
                ),
                (
                    "few people",
                    [Some(3.5), Some(0.8), Some(2.5), Some(4.0), Some(1.5)],
                ),
            ],
            [Some(2.5), Some(0.3), Some(1.0), Some(3.0), Some(3.0)],
        );
        let summary: Vec<_> = ratings
            .iter()
            .map(|rating| {
                (
                    rating.group.as_str(),
                    rating.rating,
                    rating.confidence,
                    rating.driver,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "pay lags",
                    Rating::Shortage,
                    Confidence::High,
                    Some(Driver::RetentionGap)
                ),
                ("loose", Rating::Surplus, Confidence::High, None),
                ("average", Rating::Balanced, Confidence::High, None),
                (
                    "few people",
                    Rating::Shortage,
                    Confidence::High,
                    Some(Driver::TrainingGap)
                ),
            ]
        );
        // Vacancy rates 4.5, 1, 2, 3.5: spread (population sd) √1.8125; economy 2.5.
        let vacancy = &ratings[0].signals[0];
        assert_eq!(vacancy.signal, Signal::VacancyRate);
        assert!((vacancy.z - 2.0 / 1.8125_f64.sqrt()).abs() < 1e-12);
        assert!(vacancy.reference_is_economy_wide);
        assert_eq!(ratings[0].signals.len(), 5);
        assert_eq!(
            ratings[0].evidence,
            [
                "payroll growth 1.0 against 3.0 all-industry: pay lags while posts stay open (-1.84 sd)"
            ]
        );
        assert_eq!(ratings[0].method, "shortage/1");
    }

    #[test]
    fn available_people_make_a_suitability_gap_and_thin_data_lowers_confidence() {
        let ratings = rate(
            &[
                (
                    "people there",
                    [Some(5.0), None, None, Some(3.0), Some(3.2)],
                ),
                ("other", [Some(1.0), None, None, Some(3.2), Some(1.0)]),
            ],
            [Some(2.0), None, None, Some(3.0), Some(3.0)],
        );
        assert_eq!(ratings[0].rating, Rating::Shortage);
        assert_eq!(ratings[0].driver, Some(Driver::SuitabilityGap));
        assert_eq!(ratings[0].confidence, Confidence::Medium);
        assert!((ratings[0].coverage - 0.7).abs() < 1e-12);
        assert_eq!(
            ratings[0].missing,
            [
                (Signal::VacancyRateChange, "no value for this group"),
                (Signal::PersonsEngagedGrowth, "no value for this group")
            ]
        );

        let thin = rate(
            &[
                ("vacancies only", [Some(6.0), None, None, None, None]),
                ("low", [Some(1.0), None, None, None, None]),
            ],
            [None; 5],
        );
        assert_eq!(thin[0].rating, Rating::Shortage);
        assert_eq!(thin[0].confidence, Confidence::Low);
        assert!(!thin[0].signals[0].reference_is_economy_wide);
        assert_eq!(thin[0].driver, None);
        assert_eq!(
            thin[0].evidence,
            ["driver undetermined: neither payroll growth nor unemployment is known"]
        );
    }
}
