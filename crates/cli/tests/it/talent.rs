//! The talent commands as a user meets them: the catalogue's workbook and bilingual page, a
//! store that has series by occupation, the Talent List's editions, and the demo's briefing.

use calamine::{Reader, open_workbook_auto};

use crate::support::{Lmo, SEV, data};

const PAYROLL: &str = "hk/csd_220-19023_payroll_index_by_industry.csv";
const AS_OF: [&str; 2] = ["--as-of", "2026-08-30"];

fn with_as_of<'a>(args: &[&'a str]) -> Vec<&'a str> {
    args.iter().copied().chain(AS_OF).collect()
}

#[test]
fn the_catalogue_is_a_workbook_and_a_bilingual_page() {
    let lmo = Lmo::sqlite();
    lmo.ok(&["ingest", &data(SEV), &data(PAYROLL)]);
    let xlsx = lmo.path("catalogue.xlsx");
    let html = lmo.path("catalogue.html");
    let (xlsx_text, html_text) = (xlsx.display().to_string(), html.display().to_string());
    let table = lmo.ok(&with_as_of(&[
        "talent",
        "catalogue",
        "--xlsx",
        &xlsx_text,
        "--html",
        &html_text,
    ]));
    assert!(table.contains("本地化產業人才需求目錄"), "{table}");
    let mut workbook = open_workbook_auto(&xlsx).unwrap();
    let sheet = workbook.worksheet_range("data").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        &header[..4],
        ["industry", "industry_en", "industry_zh", "industry_rating"]
    );
    // Industries in shortage come first: financing and insurance is the tightest.
    let first: Vec<String> = sheet
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!((first[0].as_str(), first[3].as_str()), ("K", "shortage"));
    let page = std::fs::read_to_string(&html).unwrap();
    for words in [
        "本地化產業人才需求目錄",
        "Localised talent-needs catalogue",
        "K 金融及保險活動",
        "K Financial and insurance activities",
        "會計業專才",
        "C&amp;SD table 215-16007",
    ] {
        assert!(page.contains(words), "{words} is not on the page");
    }
}

/// A C&SD table by industry and occupation imports, and the talent tables use it: occupations
/// are listed and the catalogue names them by industry. The fixture has the published layout
/// with placeholder values (crates/ingest/tests/data), not C&SD figures.
#[test]
fn occupation_series_in_the_store_reach_the_ratings_and_the_catalogue() {
    let lmo = Lmo::sqlite();
    let fixture = format!(
        "{}/../ingest/tests/data/layout_215-16007_placeholder_values.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    lmo.ok(&["ingest", &data(SEV), &data(PAYROLL), &fixture]);
    let ratings = lmo.json(&with_as_of(&["talent", "ratings", "--json"]));
    let occupations: Vec<&str> = ratings["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["kind"] == "occupation")
        .map(|row| row["code"].as_str().unwrap())
        .collect();
    assert_eq!(occupations, ["1", "2", "8"]);
    assert_eq!(ratings["occupations_note"], serde_json::Value::Null);
    let catalogue = lmo.json(&with_as_of(&["talent", "catalogue", "--json"]));
    let food = catalogue["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["industry"] == "I")
        .unwrap();
    // Two quarters of vacancies give no rate and no change: no occupation is in shortage.
    assert_eq!(
        food["occupations_note"],
        "no occupation with vacancies here is rated shortage"
    );
}

#[test]
fn an_edition_the_list_does_not_have_is_an_error_naming_those_it_has() {
    let lmo = Lmo::sqlite();
    let run = lmo.run(&["talent", "talent-list", "--edition", "2020-01-01"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no Talent List edition took effect on 2020-01-01; editions: 2018-08-28, 2023-05-16, 2025-03-01"),
        "{}",
        run.stderr
    );
    let first = lmo.json(&["talent", "talent-list", "--edition", "2018-08-28", "--json"]);
    assert_eq!(first["rows"].as_array().unwrap().len(), 11);
}

#[test]
fn an_empty_store_says_what_to_import() {
    let lmo = Lmo::sqlite();
    let run = lmo.run(&["talent", "ratings"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("the store holds no vacancy survey by industry (C&SD 215-16001)"),
        "{}",
        run.stderr
    );
}

#[test]
fn ai_exposure_at_every_level_cites_its_index() {
    let lmo = Lmo::sqlite();
    for (level, rows) in [("1", 9), ("2", 40), ("3", 127), ("4", 427)] {
        let exposure = lmo.json(&["ai-exposure", "--level", level, "--json"]);
        assert_eq!(
            exposure["rows"].as_array().unwrap().len(),
            rows,
            "level {level}"
        );
        assert_eq!(
            exposure["index"]["index"],
            "ILO global index of occupational exposure to generative AI"
        );
        assert!(
            exposure["weights"]
                .as_str()
                .unwrap()
                .starts_with("equal weights: no employment by ISCO-08 unit group is in the store")
        );
    }
    let us = lmo.json(&["ai-exposure", "--us", "--json"]);
    assert!(
        us["weights"]
            .as_str()
            .unwrap()
            .starts_with("weighted by employment (BLS OEWS May 2021")
    );
}
