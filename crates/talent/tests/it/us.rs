use domain::{IscoCode, IscoLevel};
use talent::aggregate::aggregate_exposure;
use talent::config::TalentConfig;
use talent::crossing::{ExposureDemand, cross_exposure_with_demand};
use talent::crosswalk::SocCode;
use talent::gpts::{GptsMeasure, gpts_by_isco, read_gpts};
use talent::us::{employment_by_isco, projections_by_isco, read_oews, read_projections};
use talent::{GPTS_ARE_GPTS_2024, ILO_GENAI_2025};

use crate::support::{crosswalk, data, ilo_index};

fn code(text: &str) -> IscoCode {
    IscoCode::parse(text).unwrap()
}

#[test]
fn the_bls_crosswalk_reads_with_its_part_marks() {
    let crosswalk = crosswalk();
    assert_eq!(crosswalk.links.len(), 1125);
    assert_eq!(crosswalk.links.iter().filter(|link| link.part).count(), 970);
    // Trailing spaces in the file's codes are read away ('3322 ', '55-1011 ').
    let chief = crosswalk.for_soc(&SocCode::parse("11-1011").unwrap());
    let linked: Vec<_> = chief
        .iter()
        .map(|link| (link.isco.code(), link.part))
        .collect();
    assert_eq!(linked, [("1112", true), ("1113", true), ("1120", true)]);
    assert!(!crosswalk.for_isco(code("3322")).is_empty());
}

#[test]
fn gpts_are_gpts_reaches_isco_by_averaging_its_soc_links() {
    let occupations = read_gpts(&data("ai/eloundou_gpts_are_gpts_occ_level_onetsoc.csv")).unwrap();
    assert_eq!(occupations.len(), 923);
    let by_isco = gpts_by_isco(&occupations, &crosswalk(), GptsMeasure::HumanBeta);
    let accountants = by_isco
        .exposures
        .iter()
        .find(|exposure| exposure.isco.code() == "2411")
        .unwrap();
    // 2411 Accountants links to three SOC occupations; each SOC is the mean of its O*NET-SOC rows.
    let linked: Vec<_> = crosswalk()
        .for_isco(code("2411"))
        .iter()
        .map(|link| (link.soc.to_string(), link.part))
        .collect();
    assert_eq!(
        linked,
        [
            ("13-2011".to_owned(), true),
            ("13-2031".to_owned(), true),
            ("13-2082".to_owned(), true)
        ]
    );
    let soc_mean = |soc: &str| {
        let values: Vec<f64> = occupations
            .iter()
            .filter(|occupation| occupation.soc.as_str() == soc)
            .map(|occupation| occupation.rating(GptsMeasure::HumanBeta))
            .collect();
        values.iter().sum::<f64>() / values.len() as f64
    };
    let expected = (soc_mean("13-2011") + soc_mean("13-2031") + soc_mean("13-2082")) / 3.0;
    assert!((accountants.value - expected).abs() < 1e-12);
    assert_eq!(
        (
            accountants.soc_linked,
            accountants.soc_scored,
            accountants.part_links
        ),
        (3, 3, 3)
    );
    assert!(!accountants.all_links_full());
    assert_eq!(accountants.index, GPTS_ARE_GPTS_2024);
    assert_eq!(by_isco.exposures.len(), 394);
    assert_eq!(by_isco.soc_not_in_crosswalk.len(), 112);
}

#[test]
fn oews_employment_weights_the_ilo_exposure_and_says_what_did_not_cross() {
    let oews = read_oews(&data("us/occupations/bls_oews_national_may2021.csv")).unwrap();
    assert_eq!(oews.len(), 1403);
    assert_eq!(oews[0].employment, Some(140_886_310.0));
    let employment = employment_by_isco(&oews, &crosswalk(), "BLS OEWS May 2021");
    // 831 detailed occupations employ 140,885,570; those whose SOC 2018 code the 2010-based
    // crosswalk knows employ 81.6% of them.
    let crossed = employment.mapped_employment + employment.minor_group_employment;
    assert!((crossed + employment.unmapped_employment - 140_885_570.0).abs() < 1e-3);
    assert_eq!(employment.unmapped.len(), 112);
    let share = crossed / 140_885_570.0;
    assert!((share - 0.8162).abs() < 5e-5, "{share}");
    assert!((employment.weights.total() - employment.mapped_employment).abs() < 1e-3);
    let developers = employment
        .unmapped
        .iter()
        .find(|(soc, _, _)| soc.as_str() == "15-1252");
    assert_eq!(
        developers.map(|(_, title, employment)| (title.as_str(), *employment)),
        Some(("Software Developers", 1_364_180.0))
    );

    let units: Vec<(IscoCode, f64)> = ilo_index()
        .exposures()
        .iter()
        .map(|exposure| (exposure.code, exposure.mean))
        .collect();
    let majors = aggregate_exposure(
        &units,
        Some(&employment.weights),
        IscoLevel::Major,
        ILO_GENAI_2025,
    );
    let clerical = majors
        .iter()
        .find(|group| group.group.code() == "4")
        .unwrap();
    let rendered: Vec<String> = majors
        .iter()
        .map(|group| {
            format!(
                "{} {:.3} {}",
                group.group,
                group.score,
                group.basis.describe()
            )
        })
        .collect();
    expect_test::expect![[r#"
        [
            "1 0.389 weighted by employment (BLS OEWS May 2021): 30 unit groups, 7588571 employed",
            "2 0.358 weighted by employment (BLS OEWS May 2021): 79 unit groups, 21873499 employed; 13 unit groups without employment left out (2211, 2212, 2230, 2511, 2512, 2513, 2514, 2519, 2521, 2522, 2523, 2529, 2622)",
            "3 0.385 weighted by employment (BLS OEWS May 2021): 72 unit groups, 19284585 employed; 10 unit groups without employment left out (3142, 3143, 3212, 3252, 3258, 3323, 3511, 3512, 3513, 3514)",
            "4 0.563 weighted by employment (BLS OEWS May 2021): 28 unit groups, 14286190 employed; 1 unit groups without employment left out (4414)",
            "5 0.290 weighted by employment (BLS OEWS May 2021): 35 unit groups, 20259838 employed; 4 unit groups without employment left out (5113, 5312, 5321, 5322)",
            "6 0.152 weighted by employment (BLS OEWS May 2021): 17 unit groups, 298058 employed; 1 unit groups without employment left out (6340)",
            "7 0.176 weighted by employment (BLS OEWS May 2021): 63 unit groups, 10476889 employed; 2 unit groups without employment left out (7132, 7542)",
            "8 0.222 weighted by employment (BLS OEWS May 2021): 38 unit groups, 7028412 employed; 1 unit groups without employment left out (8219)",
            "9 0.129 weighted by employment (BLS OEWS May 2021): 32 unit groups, 13235913 employed; 1 unit groups without employment left out (9334)",
        ]
    "#]].assert_debug_eq(&rendered);
    assert!(clerical.score > 0.5);
}

#[test]
fn exposure_crossed_with_bls_projections_names_squeeze_and_augmentation() {
    let oews = read_oews(&data("us/occupations/bls_oews_national_may2021.csv")).unwrap();
    let projections = read_projections(&data(
        "us/occupations/bls_employment_projections_pct_change_2020-2030.csv",
    ))
    .unwrap();
    assert_eq!(projections.len(), 1048);
    let by_isco = projections_by_isco(&projections, &oews, &crosswalk());
    expect_test::expect![[r#"
        (
            260,
            [
                "Total, all occupations",
                "Personal service managers, all other; entertainment and recreation managers, except gambling; and managers, all other",
                "Project management specialists and business operations specialists, all other",
                "Financial and investment analysts, financial risk specialists, and financial specialists, all other",
                "Database administrators and architects",
                "Software developers and software quality assurance analysts and testers",
                "Web developers and digital interface designers",
                "Data scientists and mathematical science occupations, all other",
                "Calibration technologists and technicians and engineering technologists and technicians, except drafters, all other",
                "Clinical, counseling, and school psychologists",
                "Geological and hydrologic technicians",
                "Tutors and teachers and instructors, all other",
                "Lighting technicians and media and communication equipment workers, all other",
                "Physicians, all other; and ophthalmologists, except pediatric",
                "Surgeons, except ophthalmologists",
                "Acupuncturists and healthcare diagnosing or treating practitioners, all other",
                "Medical dosimetrists, medical records specialists, and health technologists and technicians, all other",
                "Health information technologists, medical registrars, surgical assistants, and healthcare practitioners and technical workers, all other",
                "School bus monitors and protective service workers, all other",
                "First-line supervisors of personal service and entertainment and recreation workers, except gambling services",
                "Crematory operators and personal care and service workers, all other",
                "Fishing and hunting workers",
                "Fishing and hunting workers",
                "Earth drillers, except oil and gas; and explosives workers, ordnance handling experts, and blasters",
                "Underground mining machine operators and extraction workers, all other",
                "First-line supervisors of transportation and material-moving workers, except aircraft cargo handling supervisors",
                "Passenger vehicle drivers, except bus drivers, transit and intercity",
                "Aircraft service attendants and transportation workers, all other",
            ],
        )
    "#]].assert_debug_eq(&(by_isco.aggregate_rows, &by_isco.titles_not_in_oews));
    let config = TalentConfig::bundled();
    let crossings = cross_exposure_with_demand(
        &ilo_index().exposures(),
        &by_isco.pct_change,
        &config.crossing,
    );
    let class_of = |text: &str| {
        crossings
            .iter()
            .find(|crossing| crossing.code.code() == text)
            .map(|crossing| (crossing.class, crossing.change_pct))
    };
    expect_test::expect![[r#"
        (
            Some(
                (
                    Squeeze,
                    -36.0,
                ),
            ),
            Some(
                (
                    Squeeze,
                    -2.170372067830507,
                ),
            ),
            Some(
                (
                    Augmentation,
                    6.527009067196621,
                ),
            ),
            None,
        )
    "#]]
    .assert_debug_eq(&(
        class_of("4131"),
        class_of("4110"),
        class_of("2411"),
        class_of("2512"),
    ));
    let counts = [
        ExposureDemand::Squeeze,
        ExposureDemand::Augmentation,
        ExposureDemand::ExposedFlat,
        ExposureDemand::NotExposed,
    ]
    .map(|class| {
        crossings
            .iter()
            .filter(|crossing| crossing.class == class)
            .count()
    });
    expect_test::expect![[r#"
        [
            30,
            66,
            0,
            286,
        ]
    "#]]
    .assert_debug_eq(&counts);
    assert_eq!(ExposureDemand::Squeeze.to_string(), "squeeze (轉型壓力)");
}

#[test]
fn a_bad_cell_is_an_error_naming_file_line_column_and_reason() {
    let header = "OCC_CODE,OCC_TITLE,O_GROUP,TOT_EMP,A_MEDIAN\n";
    let bad_employment = format!(
        "{header}00-0000,All Occupations,total,\"140,886,310\",\"45,760\"\n11-1011,Chief Executives,detailed,many,#\n"
    );
    assert_eq!(
        talent::us::read_oews_from("oews.csv", bad_employment.as_bytes())
            .unwrap_err()
            .to_string(),
        "oews.csv:3:4 (column 'TOT_EMP'): 'many': not a number"
    );
    let bad_soc = "O*NET-SOC Code,Title,dv_rating_alpha,dv_rating_beta,dv_rating_gamma,human_rating_alpha,human_rating_beta,human_rating_gamma\n11-10X1.00,Chief Executives,0.1,0.46,0.82,0.18,0.35,0.52\n";
    assert_eq!(
        talent::gpts::read_gpts_from("gpts.csv", bad_soc.as_bytes())
            .unwrap_err()
            .to_string(),
        "gpts.csv:2:1 (column 'O*NET-SOC Code'): '11-10X1.00': '11-10X1' is not a SOC code (NN-NNNN)"
    );
    let missing = talent::us::read_projections_from(
        "projections.csv",
        &b"title,change\nChief executives,-5.7\n"[..],
    );
    assert_eq!(
        missing.unwrap_err().to_string(),
        "projections.csv: no header row with the column 'occupation' in the first 20 rows"
    );
}
