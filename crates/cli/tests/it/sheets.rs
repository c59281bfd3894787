//! Spreadsheets as people keep them, vintages as ALFRED keeps them, bilingual labels right.

use std::collections::BTreeMap;

use crate::support::{Lmo, SEV, data, postgres_database};

const PANEL: &str =
    "hk/csd_quarterly_macro_panel_gdp-yoy_cpi_unemp-sa_1998-2026_4minutes-chung.csv";

/// The bundled SEV vacancies laid out as a union researcher keeps them: a title, a blank
/// line, a header of Chinese headings with survey months across the columns (`2025年9月`),
/// a unit line, industries down the rows (`G47：零售業`), C&SD's notes under the data.
/// Values are the published cells, unchanged.
fn sev_vacancies_wide(lmo: &Lmo) -> std::path::PathBuf {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(data(SEV))
        .unwrap();
    let mut months: Vec<String> = Vec::new();
    let mut rows: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut notes = Vec::new();
    for record in reader.records().skip(5) {
        let record = record.unwrap();
        let year = record[0].trim();
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            if !year.is_empty() {
                notes.push(year.to_owned());
            }
            continue;
        }
        let month = ["Mar", "Jun", "Sep", "Dec"]
            .iter()
            .position(|name| *name == &record[1])
            .unwrap()
            * 3
            + 3;
        let label = format!("{year}年{month}月");
        if !months.contains(&label) {
            months.push(label.clone());
        }
        let (code, _) = record[2].split_once(':').unwrap_or((&record[2], ""));
        let industry = domain_code(code);
        rows.entry(industry)
            .or_default()
            .insert(label, record[7].to_owned());
    }
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    writer
        .write_record(["按行業主類劃分的職位空缺數目 (C&SD table 215-16001)"])
        .unwrap();
    writer.write_record([""]).unwrap();
    let header: Vec<String> = std::iter::once("行業主類".to_owned())
        .chain(months.iter().cloned())
        .collect();
    writer.write_record(&header).unwrap();
    writer.write_record(["No."]).unwrap();
    for (label, values) in &rows {
        let row: Vec<&str> = std::iter::once(label.as_str())
            .chain(
                months
                    .iter()
                    .map(|month| values.get(month).map_or("", String::as_str)),
            )
            .collect();
        writer.write_record(&row).unwrap();
    }
    for note in notes {
        writer.write_record([note]).unwrap();
    }
    let path = lmo.path("sev_vacancies.csv");
    std::fs::write(&path, writer.into_inner().unwrap()).unwrap();
    path
}

/// `G47` → `G47：零售業`, as the Chinese row labels read (HSIC names from `domain`).
fn domain_code(code: &str) -> String {
    let industry = domain::IndustryCode::parse(code).unwrap();
    format!("{industry}：{}", industry.name_zh())
}

#[test]
fn a_wide_chinese_sheet_imports_through_the_suggested_mapping() {
    let lmo = Lmo::sqlite();
    let sheet = sev_vacancies_wide(&lmo);
    let suggested = lmo.ok(&["ingest", "--suggest-map", sheet.to_str().unwrap()]);
    assert!(suggested.contains("layout = \"wide\""), "{suggested}");
    assert!(suggested.contains("stop_at = [\"Note\"]"), "{suggested}");
    // Nothing was imported: suggesting does not touch the store.
    assert!(!lmo.path("test.sqlite").exists());
    // The user edits the ids and saves the mapping beside the sheet.
    let edited = suggested.replace("mapped.sev_vacancies.", "union.sev.vacancies.");
    std::fs::write(sheet.with_extension("map.toml"), edited).unwrap();
    let report = lmo.json(&["ingest", "--json", sheet.to_str().unwrap()]);
    assert_eq!(report[0]["format"], "mapped");
    assert_eq!(report[0]["rejected"], 0);
    lmo.ok(&["ingest", &data(SEV)]);
    // Every value equals the published table's.
    let exported = |prefix: &str| -> BTreeMap<(String, String), String> {
        let csv = lmo.ok(&["export", "--prefix", prefix]);
        csv.lines()
            .skip(1)
            .filter_map(|line| {
                let fields: Vec<&str> = line.split(',').collect();
                let code = fields[0].strip_prefix(prefix)?;
                (!code.contains('.')).then(|| {
                    (
                        (code.to_owned(), fields[1].to_owned()),
                        fields[2].to_owned(),
                    )
                })
            })
            .collect()
    };
    let mapped = exported("union.sev.vacancies.");
    let published = exported("csd.215-16001.number_of_vacancies.");
    assert!(published.len() > 2000, "{}", published.len());
    assert_eq!(mapped, published);
    let retail = lmo.json(&["series", "show", "union.sev.vacancies.G47", "--json"]);
    assert_eq!(retail["industry"], "G47");
}

#[test]
fn alfred_vintages_give_every_value_a_period_had() {
    let lmo = Lmo::sqlite();
    let alfred = lmo.path("UNRATE_vintages.csv");
    std::fs::write(&alfred, reshaped_unrate()).unwrap();
    let report = lmo.json(&["ingest", "--json", alfred.to_str().unwrap()]);
    assert_eq!(report[0]["format"], "alfred");
    let vintages = lmo.json(&["series", "vintages", "fred.UNRATE", "2020-04", "--json"]);
    let vintages = vintages.as_array().unwrap();
    assert_eq!(vintages.len(), 1);
    assert_eq!(vintages[0]["vintage"], "2020-05-08");
    assert_eq!(vintages[0]["vintage_basis"], "explicit");
    assert_eq!(vintages[0]["value"], 14.7);
    // Known from its release, not before.
    let known_on = |as_of: &str| {
        lmo.json(&["series", "show", "fred.UNRATE", "--json", "--as-of", as_of])["observations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|observation| observation["period"] == "2020-04")
    };
    assert!(!known_on("2020-05-07"));
    assert!(known_on("2020-05-08"));
    // FRED says nothing about seasonal adjustment: lmo does not guess.
    let meta = lmo.json(&["series", "show", "fred.UNRATE", "--json"]);
    assert_eq!(meta["seasonal_adjustment"], "unknown");
    assert_eq!(meta["title_en"], "UNRATE");
    // The plain FRED download adds nothing the vintages had; a series-meta file names it.
    let again = lmo.json(&["ingest", "--json", &data("us/fred/UNRATE.csv")]);
    assert_eq!(again[0]["rows_revised"], 0);
    let named = lmo.path("unrate-meta.csv");
    std::fs::write(
        &named,
        "series_id,title_en,frequency,seasonal_adjustment\nfred.UNRATE,Unemployment Rate,monthly,sa\n",
    )
    .unwrap();
    lmo.ok(&["ingest", named.to_str().unwrap()]);
    let meta = lmo.json(&["series", "show", "fred.UNRATE", "--json"]);
    assert_eq!(
        (&meta["title_en"], &meta["seasonal_adjustment"]),
        (
            &serde_json::json!("Unemployment Rate"),
            &serde_json::json!("sa")
        )
    );
}

#[test]
fn alfred_vintages_read_the_same_on_postgres() {
    let Some(postgres_url) = postgres_database("alfred") else {
        return;
    };
    let sqlite = Lmo::sqlite();
    let postgres = Lmo::with_database(postgres_url);
    for lmo in [&sqlite, &postgres] {
        let alfred = lmo.path("UNRATE_vintages.csv");
        std::fs::write(&alfred, reshaped_unrate()).unwrap();
        lmo.ok(&["ingest", alfred.to_str().unwrap()]);
    }
    let args = ["export", "--prefix", "fred.UNRATE"];
    assert_eq!(sqlite.ok(&args), postgres.ok(&args));
}

/// The bundled FRED UNRATE values reshaped into ALFRED's layout (no ALFRED download is
/// bundled): one column per vintage, each showing the months published by then. Values are
/// unchanged; the vintage dates (the release days of the March, April and May 2020 figures)
/// are test structure.
fn reshaped_unrate() -> String {
    let unrate = std::fs::read_to_string(data("us/fred/UNRATE.csv")).unwrap();
    let vintages = [
        ("20200403", "2020-03"),
        ("20200508", "2020-04"),
        ("20200605", "2020-05"),
    ];
    let mut text = String::from("observation_date");
    for (date, _) in vintages {
        text.push_str(",UNRATE_");
        text.push_str(date);
    }
    text.push('\n');
    for line in unrate.lines().skip(1) {
        let (date, value) = line.split_once(',').unwrap();
        if !("2019-01-01"..="2020-05-01").contains(&date) {
            continue;
        }
        text.push_str(date);
        for (_, last_month) in vintages {
            text.push(',');
            text.push_str(if &date[..7] <= last_month { value } else { "." });
        }
        text.push('\n');
    }
    text
}

#[test]
fn chinese_titles_are_csd_s_and_never_the_same_for_every_measure() {
    let lmo = Lmo::sqlite();
    lmo.ok(&["ingest", &data(SEV), &data(PANEL)]);
    let title = |id: &str| lmo.json(&["series", "show", id, "--json"])["title_zh"].clone();
    assert_eq!(
        title("csd.215-16001.number_of_vacancies.G45-46"),
        "職位空缺數目：進出口貿易及批發"
    );
    assert_eq!(
        title("csd.215-16001.number_of_persons_engaged.G45-46"),
        "從業人數：進出口貿易及批發"
    );
    // No C&SD wording found for the vacancy rate: no Chinese title rather than a made-up one.
    assert_eq!(title("csd.215-16001.vacancy_rate.G45-46"), "");
    let show = lmo.ok(&["series", "show", "csd.215-16001.number_of_vacancies.G45-46"]);
    assert!(
        show.contains("G45-46: Import/export and wholesale trades 進出口貿易及批發"),
        "{show}"
    );
    lmo.ok(&["compute"]);
    let contribution = lmo.json(&[
        "series",
        "show",
        "lmo.hk.climate.eti.contribution.csd.215-16001.number_of_vacancies.all",
        "--json",
    ]);
    assert_eq!(
        contribution["title_zh"],
        "就業景氣指數：職位空缺數目：所有涵蓋行業的貢獻"
    );
    assert!(
        contribution["title_en"]
            .as_str()
            .unwrap()
            .contains("contribution of Number of vacancies (No.) — All industry sections covered"),
        "{contribution}"
    );
}

/// `--lang zh-Hant` (or `LMO_LANG`, or `lang` in the config file) prints what people read
/// Chinese first: series titles, industry names, periods; English where C&SD gives no
/// Chinese. The default keeps English first with the Chinese after it.
#[test]
fn tables_print_chinese_first_when_asked() {
    let lmo = Lmo::sqlite();
    lmo.ok(&["ingest", &data(SEV)]);
    let vacancies = "csd.215-16001.number_of_vacancies.G47";
    let list =
        |args: &[&str]| lmo.ok(&[&["series", "list", "--prefix", vacancies][..], args].concat());
    let default = list(&[]);
    assert!(default.contains("Number of vacancies"), "{default}");
    assert!(default.contains("職位空缺數目：零售業"), "{default}");
    let chinese = list(&["--lang", "zh-Hant"]);
    assert!(chinese.contains("職位空缺數目：零售業"), "{chinese}");
    assert!(!chinese.contains("Number of vacancies"), "{chinese}");
    let english = list(&["--lang", "en"]);
    assert!(!english.contains("職位空缺"), "{english}");

    // The environment and the config file choose it too; the flag wins.
    let from_env = lmo
        .command()
        .env("LMO_LANG", "zh-Hant")
        .args(["series", "list", "--prefix", vacancies])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(from_env.stdout).unwrap(), chinese);
    let config = lmo.path("lmo.toml");
    std::fs::write(&config, "lang = \"zh-Hant\"\n").unwrap();
    let config = config.to_str().unwrap();
    assert_eq!(list(&["--config", config]), chinese);
    assert_eq!(list(&["--config", config, "--lang", "en"]), english);

    let show = lmo.ok(&["series", "show", vacancies, "--lang", "zh-Hant"]);
    assert!(show.contains("G47: 零售業"), "{show}");
    assert!(show.contains("2025年9月"), "{show}");
    // No Chinese title for the vacancy rate: English stands in.
    let rate = lmo.ok(&[
        "series",
        "show",
        "csd.215-16001.vacancy_rate.G47",
        "--lang",
        "zh-Hant",
    ]);
    assert!(rate.contains("  title     Vacancy rate"), "{rate}");

    let watchlist = lmo.ok(&["watchlist", "--as-of", "2025-12-31", "--lang", "zh-Hant"]);
    assert!(
        watchlist.contains("建造") && !watchlist.contains("Construction"),
        "{watchlist}"
    );
    let refused = lmo.run(&["series", "list", "--lang", "fr"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused
            .stderr
            .contains("[possible values: both, zh-Hant, en]"),
        "{}",
        refused.stderr
    );
}
