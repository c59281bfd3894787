//! Exposure of 4-digit unit groups aggregated to minor, sub-major and major groups, weighted
//! by employment where employment is known, and saying which weights it used.

use std::collections::BTreeMap;

use domain::{IscoCode, IscoLevel};

use crate::IndexCitation;

/// Employment by ISCO-08 unit group, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct EmploymentWeights {
    pub source: String,
    by_unit: BTreeMap<IscoCode, f64>,
}

impl EmploymentWeights {
    /// Weights from employment by unit group; groups above the unit level are ignored, and so are
    /// weights that are not positive.
    pub fn new(source: &str, by_unit: BTreeMap<IscoCode, f64>) -> EmploymentWeights {
        EmploymentWeights {
            source: source.to_owned(),
            by_unit: by_unit
                .into_iter()
                .filter(|(code, weight)| code.level() == IscoLevel::Unit && *weight > 0.0)
                .collect(),
        }
    }

    pub fn get(&self, unit: IscoCode) -> Option<f64> {
        self.by_unit.get(&unit).copied()
    }

    pub fn total(&self) -> f64 {
        self.by_unit.values().sum()
    }

    pub fn units(&self) -> impl Iterator<Item = (IscoCode, f64)> + '_ {
        self.by_unit.iter().map(|(code, weight)| (*code, *weight))
    }
}

/// Which weights an aggregate used.
#[derive(Debug, Clone, PartialEq)]
pub enum WeightBasis {
    /// Employment weights; unit groups of the group without employment were left out.
    Employment {
        source: String,
        employment: f64,
        units_weighted: usize,
        units_left_out: Vec<IscoCode>,
    },
    /// Every unit group counts the same, because no employment was available.
    Equal { reason: String },
}

impl WeightBasis {
    /// A sentence for people: which weights, and what was left out.
    pub fn describe(&self) -> String {
        match self {
            WeightBasis::Employment {
                source,
                employment,
                units_weighted,
                units_left_out,
            } if units_left_out.is_empty() => format!(
                "weighted by employment ({source}): {units_weighted} unit groups, {employment:.0} employed"
            ),
            WeightBasis::Employment {
                source,
                employment,
                units_weighted,
                units_left_out,
            } => format!(
                "weighted by employment ({source}): {units_weighted} unit groups, {employment:.0} employed; {} unit groups without employment left out ({})",
                units_left_out.len(),
                units_left_out
                    .iter()
                    .map(|code| code.code())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            WeightBasis::Equal { reason } => format!("equal weights: {reason}"),
        }
    }
}

/// A group's exposure: the weighted mean of its unit groups' scores.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupExposure {
    pub group: IscoCode,
    pub score: f64,
    /// Unit groups with a score in the group.
    pub units_scored: usize,
    pub basis: WeightBasis,
    pub index: IndexCitation,
}

/// Aggregates unit-group scores to every group at `level`.
///
/// With `weights`, each group is the employment-weighted mean of its scored unit groups that
/// have employment (the others are named in the basis); a group none of whose unit groups has
/// employment, or every group when `weights` is `None`, takes equal weights and says why.
pub fn aggregate_exposure(
    units: &[(IscoCode, f64)],
    weights: Option<&EmploymentWeights>,
    level: IscoLevel,
    index: IndexCitation,
) -> Vec<GroupExposure> {
    let mut groups: BTreeMap<IscoCode, Vec<(IscoCode, f64)>> = BTreeMap::new();
    for &(unit, score) in units {
        if unit.level() != IscoLevel::Unit {
            continue;
        }
        if let Some(group) = unit.ancestor(level) {
            groups.entry(group).or_default().push((unit, score));
        }
    }
    groups
        .into_iter()
        .map(|(group, members)| {
            let (score, basis) = weighted_mean(&members, weights);
            GroupExposure {
                group,
                score,
                units_scored: members.len(),
                basis,
                index,
            }
        })
        .collect()
}

fn weighted_mean(
    members: &[(IscoCode, f64)],
    weights: Option<&EmploymentWeights>,
) -> (f64, WeightBasis) {
    let equal = |reason: &str| {
        let mean = members.iter().map(|(_, score)| score).sum::<f64>() / members.len() as f64;
        (
            mean,
            WeightBasis::Equal {
                reason: reason.to_owned(),
            },
        )
    };
    let Some(weights) = weights else {
        return equal("no employment by occupation is available");
    };
    let (weighted, left_out): (Vec<_>, Vec<_>) = members
        .iter()
        .map(|&(unit, score)| (unit, score, weights.get(unit)))
        .partition(|(_, _, weight)| weight.is_some());
    if weighted.is_empty() {
        return equal(&format!(
            "no unit group of this group has employment in {}",
            weights.source
        ));
    }
    let employment: f64 = weighted.iter().filter_map(|(_, _, weight)| *weight).sum();
    let sum: f64 = weighted
        .iter()
        .map(|(_, score, weight)| score * weight.unwrap_or(0.0))
        .sum();
    (
        sum / employment,
        WeightBasis::Employment {
            source: weights.source.clone(),
            employment,
            units_weighted: weighted.len(),
            units_left_out: left_out.into_iter().map(|(unit, _, _)| unit).collect(),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ILO_GENAI_2025;

    fn code(text: &str) -> IscoCode {
        IscoCode::parse(text).unwrap()
    }

    #[test]
    fn employment_weights_the_mean_and_equal_weights_say_why() {
        let units = [
            (code("2511"), 0.6),
            (code("2512"), 0.4),
            (code("2611"), 0.3),
        ];
        let weights = EmploymentWeights::new(
            "test employment",
            BTreeMap::from([(code("2511"), 100.0), (code("2512"), 300.0)]),
        );
        let groups =
            aggregate_exposure(&units, Some(&weights), IscoLevel::SubMajor, ILO_GENAI_2025);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].group.code(), "25");
        assert!((groups[0].score - 0.45).abs() < 1e-12);
        assert!(
            groups[0]
                .basis
                .describe()
                .starts_with("weighted by employment (test employment)")
        );
        assert_eq!(groups[1].group.code(), "26");
        assert_eq!(
            groups[1].basis.describe(),
            "equal weights: no unit group of this group has employment in test employment"
        );
        let unweighted = aggregate_exposure(&units, None, IscoLevel::Major, ILO_GENAI_2025);
        assert!((unweighted[0].score - 1.3 / 3.0).abs() < 1e-12);
        assert_eq!(
            unweighted[0].basis.describe(),
            "equal weights: no employment by occupation is available"
        );
    }
}
