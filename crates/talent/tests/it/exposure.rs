use std::collections::BTreeMap;

use domain::{IscoCode, IscoLevel};
use talent::ILO_GENAI_2025;
use talent::aggregate::aggregate_exposure;
use talent::ilo::{ExposureGradient, IloExposureIndex};

use crate::support::ilo_index;

/// Every published figure of the ILO index, recomputed from the task scores.
#[test]
fn the_ilo_published_mean_sd_and_class_are_reproduced_for_all_427_occupations() {
    let index = ilo_index();
    let exposures = index.exposures();
    assert_eq!(exposures.len(), 427);
    assert_eq!(
        exposures
            .iter()
            .map(|exposure| exposure.tasks)
            .sum::<usize>(),
        3266
    );
    let mut mean_differs = Vec::new();
    for (occupation, exposure) in index.occupations.iter().zip(&exposures) {
        let published = &occupation.published;
        let code = occupation.code.code();
        // The published mean is our exact mean to two decimals, always.
        assert!(
            (exposure.mean - published.mean_score_2025).abs() <= 0.005 + 1e-12,
            "{code}: mean {} against published {}",
            exposure.mean,
            published.mean_score_2025
        );
        if exposure.mean_2dp != published.mean_score_2025 {
            mean_differs.push((code, exposure.mean_is_tie));
        }
        assert_eq!(
            exposure.sd_2dp, published.sd_2025,
            "{code}: standard deviation"
        );
        assert_eq!(
            ExposureGradient::from_mean_and_sd(published.mean_score_2025, published.sd_2025),
            published.potential25,
            "{code}: class from the published mean and SD"
        );
        assert_eq!(
            exposure.gradient, published.potential25,
            "{code}: class from the tasks"
        );
    }
    // Three exact halves that the ILO rounded up or down against ties-to-even; each is exactly
    // halfway, so the published figure is still the mean to the precision published.
    assert_eq!(
        mean_differs,
        [("4226", true), ("8142", true), ("8312", true)]
    );
    assert_eq!(
        exposures
            .iter()
            .filter(|exposure| exposure.mean_is_tie)
            .count(),
        16
    );
}

#[test]
fn published_classes_and_counts_match_the_paper_file() {
    let exposures = ilo_index().exposures();
    let mut counts: BTreeMap<ExposureGradient, usize> = BTreeMap::new();
    for exposure in &exposures {
        *counts.entry(exposure.gradient).or_default() += 1;
    }
    let counts: Vec<_> = counts
        .into_iter()
        .map(|(gradient, count)| (gradient.label(), count))
        .collect();
    assert_eq!(
        counts,
        [
            ("Not Exposed", 231),
            ("Minimal Exposure", 84),
            ("Exposed: Gradient 1", 17),
            ("Exposed: Gradient 2", 44),
            ("Exposed: Gradient 3", 38),
            ("Exposed: Gradient 4", 13),
        ]
    );
    // Data entry clerks have the highest mean of all, 0.70.
    let highest = exposures
        .iter()
        .max_by(|a, b| a.mean.total_cmp(&b.mean))
        .expect("427 occupations");
    assert_eq!(
        (highest.code.code(), highest.mean_2dp, highest.gradient),
        ("4132", 0.7, ExposureGradient::Gradient4)
    );
    assert_eq!(highest.index, ILO_GENAI_2025);
}

#[test]
fn major_group_exposure_without_employment_says_it_used_equal_weights() {
    let units: Vec<(IscoCode, f64)> = ilo_index()
        .exposures()
        .iter()
        .map(|exposure| (exposure.code, exposure.mean))
        .collect();
    let majors = aggregate_exposure(&units, None, IscoLevel::Major, ILO_GENAI_2025);
    let rendered: Vec<String> = majors
        .iter()
        .map(|group| {
            format!(
                "{} {:.3} ({} units)",
                group.group, group.score, group.units_scored
            )
        })
        .collect();
    expect_test::expect![[r#"
        [
            "1 0.361 (30 units)",
            "2 0.387 (92 units)",
            "3 0.346 (82 units)",
            "4 0.535 (29 units)",
            "5 0.256 (39 units)",
            "6 0.164 (18 units)",
            "7 0.166 (65 units)",
            "8 0.198 (39 units)",
            "9 0.150 (33 units)",
        ]
    "#]]
    .assert_debug_eq(&rendered);
    assert!(
        majors.iter().all(|group| group.basis.describe()
            == "equal weights: no employment by occupation is available")
    );
}

#[test]
fn a_file_that_is_not_a_workbook_is_an_error_naming_it() {
    let error = IloExposureIndex::read_from("ilo.xlsx", &b"PK\x03\x04 broken"[..]).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("ilo.xlsx: not a readable workbook"),
        "{error}"
    );
}
