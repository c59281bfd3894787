//! The Talent List editions in `data/hk/talent_list` read with their dates, counts and sources.

use domain::parse_date;
use talent::talent_list::{Edition, editions, in_effect};

use crate::support::data;

fn bundled() -> Vec<Edition> {
    let dir = data("hk/talent_list");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&path).unwrap(),
            )
        })
        .collect();
    files.sort();
    editions(
        files
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str())),
    )
    .unwrap()
}

#[test]
fn every_edition_reads_with_its_date_count_and_sources() {
    let editions = bundled();
    let summary: Vec<(String, usize, usize, bool)> = editions
        .iter()
        .map(|edition| {
            (
                edition.effective.to_string(),
                edition.professions_published,
                edition.professions.len(),
                edition.entries_complete,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("2018-08-28".to_owned(), 11, 11, true),
            ("2023-05-16".to_owned(), 51, 7, false),
            ("2025-03-01".to_owned(), 60, 9, false),
        ]
    );
    assert!(editions.iter().all(|edition| {
        !edition.sources.is_empty()
            && edition
                .sources
                .iter()
                .all(|source| source.starts_with("http"))
    }));
    let on = |date: &str| {
        in_effect(&editions, parse_date(date).unwrap()).map(|e| e.effective.to_string())
    };
    assert_eq!(on("2018-01-01"), None);
    assert_eq!(on("2024-12-31").as_deref(), Some("2023-05-16"));
    assert_eq!(on("2025-03-01").as_deref(), Some("2025-03-01"));
    let latest = editions.last().unwrap();
    let accountants = &latest.professions[0];
    assert_eq!(
        (
            accountants.name_en.as_str(),
            accountants.name_zh.as_str(),
            accountants.isco08.code()
        ),
        ("Accountants", "會計業專才", "2411")
    );
}

#[test]
fn a_wrong_code_or_count_names_the_file_and_line() {
    let text = std::fs::read_to_string(data("hk/talent_list/2025-03-01.toml")).unwrap();
    let error = |text: &str| Edition::parse("list.toml", text).unwrap_err().to_string();
    let bad_code = text.replace("isco08 = \"2411\"", "isco08 = \"24\"");
    let line = text
        .lines()
        .position(|line| line.contains("\"Accountants\""))
        .unwrap()
        + 1;
    assert_eq!(
        error(&bad_code),
        format!("list.toml:{line}:1: Accountants: '24' is not an ISCO-08 unit group")
    );
    let complete = text.replace("entries_complete = false", "entries_complete = true");
    assert!(
        error(&complete).ends_with(
            "9 professions entered, the list has 60 and entries_complete says all are entered"
        ),
        "{}",
        error(&complete)
    );
}
