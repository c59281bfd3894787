//! Bilingual labels: HSIC names against the maintained HSIC 2.0 list, Chinese titles of
//! C&SD series from C&SD's own wording.

use std::collections::BTreeMap;

use domain::{HsicSection, IndustryCode};

use crate::support::{data_dir, parse_file};

/// `data/hk/labels/hsic_v2.csv`: code, English, Chinese, status, source.
fn hsic_list() -> Vec<(String, String, String, String)> {
    let mut reader = csv::Reader::from_path(data_dir().join("hk/labels/hsic_v2.csv")).unwrap();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            (
                record[0].to_owned(),
                record[1].to_owned(),
                record[2].to_owned(),
                record[4].to_owned(),
            )
        })
        .collect()
}

#[test]
fn hsic_names_are_those_of_the_hsic_v2_list() {
    let list = hsic_list();
    let sections: Vec<_> = list.iter().filter(|(code, ..)| code.len() == 1).collect();
    assert_eq!(sections.len(), 21);
    for (section, (code, name_en, name_zh, source)) in HsicSection::all().zip(sections) {
        assert_eq!(section.letter().to_string(), *code);
        assert_eq!(section.name_en(), name_en, "{code}");
        assert_eq!(section.name_zh(), name_zh, "{code}");
        assert!(!source.is_empty(), "{code} has no source");
    }
    for (code, name_en, name_zh, _) in list.iter().filter(|(code, ..)| code.len() > 1) {
        let industry = IndustryCode::parse(code).unwrap();
        assert_eq!(
            (&industry.name_en(), &industry.name_zh()),
            (name_en, name_zh)
        );
        assert_eq!(IndustryCode::from_label(name_zh).unwrap(), industry);
    }
}

#[test]
fn csd_single_section_labels_match_the_hsic_english_names() {
    // Table 220-19023 labels single sections with their HSIC 2.0 names (`C: Manufacturing`);
    // E is labelled narrower there ("Sewerage, waste management …": water supply is not
    // surveyed).
    let (_, collected) =
        parse_file(&data_dir().join("hk/csd_220-19023_payroll_index_by_industry.csv"));
    let mut checked = 0;
    for (meta, _) in collected.series.values() {
        let Some(IndustryCode::Section(section)) = &meta.industry else {
            continue;
        };
        let label = meta.title_en.rsplit(" — ").next().unwrap();
        let (_, name) = label.split_once(": ").unwrap();
        if section.letter() != 'E' {
            assert_eq!(name, section.name_en(), "{}", meta.id);
            checked += 1;
        }
    }
    assert_eq!(checked, 8);
}

#[test]
fn csd_series_have_chinese_titles_from_csd_wording_and_never_share_one() {
    let (_, collected) = parse_file(
        &data_dir()
            .join("hk/csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv"),
    );
    let title = |id: &str| collected.meta(id).title_zh.clone();
    assert_eq!(
        title("csd.215-16001.number_of_vacancies.G47"),
        "職位空缺數目：零售業"
    );
    assert_eq!(
        title("csd.215-16001.number_of_vacancies.G45-46"),
        "職位空缺數目：進出口貿易及批發"
    );
    assert_eq!(
        title("csd.215-16001.number_of_persons_engaged.ALL"),
        "從業人數：所有涵蓋行業"
    );
    assert_eq!(
        title("csd.215-16001.number_of_vacancies.F"),
        "職位空缺數目：建築地盤(只包括地盤工人)"
    );
    // No C&SD source for these headings yet: no Chinese title rather than an invented one.
    assert_eq!(title("csd.215-16001.vacancy_rate.ALL"), "");
    assert_eq!(title("csd.215-16001.number_of_vacancies.yoy_pct.ALL"), "");
    let mut by_title: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (meta, _) in collected.series.values() {
        if !meta.title_zh.is_empty() {
            by_title
                .entry(&meta.title_zh)
                .or_default()
                .push(meta.id.as_str());
        }
        assert!(
            meta.industry.as_ref().is_none_or(|industry| {
                !industry.to_string().starts_with("G4") || !meta.title_zh.contains("批發及零售")
            }),
            "{}: {}",
            meta.id,
            meta.title_zh
        );
    }
    // Vacancies and persons engaged in 22 industries.
    assert_eq!(by_title.len(), 44);
    assert!(by_title.values().all(|ids| ids.len() == 1), "{by_title:?}");
}
