//! The stable output columns: what `--csv` and `--json` print, pinned by snapshots, so that a
//! change a script would notice (a column renamed or moved, a number format, a code) shows.
//!
//! Long outputs (and long arrays inside JSON) are cut to their first rows and their last, with
//! a count. What depends on when or where the test runs is masked, never the data: timestamps,
//! the checkout's data path, and the age of a case the test opened.

use std::fmt::Write as _;

use expect_test::{Expect, expect};

use crate::support::{
    Lmo, SEV, administrator_login, data, generate_arrears, postgres_database, run_arrears,
};

const PANEL: &str =
    "hk/csd_quarterly_macro_panel_gdp-yoy_cpi_unemp-sa_1998-2026_4minutes-chung.csv";

/// Outputs longer than this many rows or array elements are cut.
const LONG: usize = 10;
/// How many rows or array elements a cut output keeps.
const KEEP: usize = 3;

/// `lmo args` as a snapshot: CSV and pretty JSON cut to size, times and paths masked.
fn check(lmo: &Lmo, args: &[&str], expected: &Expect) {
    expected.assert_eq(&excerpt(&lmo.ok(args)));
}

/// [`check`] of the users' log, whose first admin is added by the database administrator,
/// whose login is the test server's: shown as `<dba>`.
fn check_users_log(lmo: &Lmo, args: &[&str], expected: &Expect) {
    let dba = administrator_login();
    let log = lmo
        .ok(args)
        .replace(&format!(",{dba},"), ",<dba>,")
        .replace(&format!("\"{dba}\""), "\"<dba>\"");
    expected.assert_eq(&excerpt(&log));
}

fn excerpt(text: &str) -> String {
    let mut masked = mask_times(&text.replace(&data(""), "<data>/"));
    let json = masked.starts_with(['[', '{']);
    for field in CLOCK_FIELDS {
        masked = if json {
            mask_json_field(&masked, field)
        } else {
            mask_csv_column(&masked, field)
        };
    }
    if json {
        json_excerpt(&masked)
    } else {
        csv_excerpt(&masked)
    }
}

/// Fields counted from the day the test opened a case (today): they change with the clock.
const CLOCK_FIELDS: [&str; 4] = ["days_open", "next_step_due", "days_to_due", "due_on"];

/// The value of `"field": …` on every line of pretty JSON as `"<masked>"`.
fn mask_json_field(text: &str, field: &str) -> String {
    let key = format!("\"{field}\": ");
    text.lines()
        .map(|line| match line.find(&key) {
            Some(at) => {
                let comma = if line.ends_with(',') { "," } else { "" };
                format!("{}\"<masked>\"{comma}\n", &line[..at + key.len()])
            }
            None => format!("{line}\n"),
        })
        .collect()
}

/// The cells of the column named `column` as `<masked>`, when the CSV has one.
fn mask_csv_column(text: &str, column: &str) -> String {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let Some(index) = records
        .first()
        .and_then(|header| header.iter().position(|name| name == column))
    else {
        return text.to_owned();
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    for (row, record) in records.iter().enumerate() {
        let cells = record.iter().enumerate().map(|(at, cell)| {
            if row > 0 && at == index {
                "<masked>"
            } else {
                cell
            }
        });
        writer.write_record(cells).unwrap();
    }
    String::from_utf8(writer.into_inner().unwrap()).unwrap()
}

/// The header, the first rows, the last row and the number of rows.
fn csv_excerpt(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let rows = lines.len().saturating_sub(1);
    if rows <= LONG {
        return text.to_owned();
    }
    let mut out: Vec<String> = lines[..=KEEP]
        .iter()
        .map(|line| (*line).to_owned())
        .collect();
    out.push("…".to_owned());
    out.push(lines[lines.len() - 1].to_owned());
    out.push(format!("({rows} rows)"));
    out.join("\n") + "\n"
}

/// Pretty JSON (as `serde_json` writes it: two spaces a level, one element or field a line,
/// a nested array or object opened at the end of its line) with every array longer than
/// [`LONG`] cut to its first [`KEEP`] elements and its last, with a line that counts them.
fn json_excerpt(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let indent = |line: &str| line.len() - line.trim_start().len();
    let starts_element = |line: &str| !line.trim_start().starts_with(['}', ']']);
    // First pass: the number of elements of the array opened on each line.
    let mut totals = vec![0_usize; lines.len()];
    let mut open: Vec<usize> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if let Some(&opened) = open.last() {
            let depth = indent(lines[opened]);
            if indent(line) == depth && line.trim_start().starts_with(']') {
                open.pop();
            } else if indent(line) == depth + 2 && starts_element(line) {
                totals[opened] += 1;
            }
        }
        if line.ends_with('[') {
            open.push(index);
        }
    }
    // Second pass: print what is not cut. A frame is (indent, elements seen, total).
    let mut frames: Vec<(usize, usize, usize)> = Vec::new();
    let hidden = |frames: &[(usize, usize, usize)]| {
        frames
            .iter()
            .any(|&(_, seen, total)| total > LONG && seen > KEEP && seen < total)
    };
    let mut out = String::new();
    for (index, line) in lines.iter().enumerate() {
        if let Some(&(depth, _, _)) = frames.last() {
            if indent(line) == depth && line.trim_start().starts_with(']') {
                frames.pop();
            } else if indent(line) == depth + 2 && starts_element(line) {
                let frame = frames.last_mut().expect("a frame");
                frame.1 += 1;
                let (_, seen, total) = *frame;
                if total > LONG && seen == total && !hidden(&frames[..frames.len() - 1]) {
                    let pad = " ".repeat(depth + 2);
                    writeln!(out, "{pad}… ({total} in all)").expect("a String takes any text");
                }
            }
        }
        if !hidden(&frames) {
            out.push_str(line);
            out.push('\n');
        }
        if line.ends_with('[') {
            frames.push((indent(line), 0, totals[index]));
        }
    }
    out
}

/// Every RFC 3339 timestamp (`2026-12-04T16:54:57.876Z`, `2025-08-01T10:00:00+08:00`) as
/// `<time>`: when a command ran is not part of its output's shape.
fn mask_times(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let (mut at, mut copied) = (0, 0);
    while at < bytes.len() {
        match timestamp_length(&bytes[at..]) {
            Some(length) => {
                out.push_str(&text[copied..at]);
                out.push_str("<time>");
                at += length;
                copied = at;
            }
            None => at += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

fn timestamp_length(bytes: &[u8]) -> Option<usize> {
    const SHAPE: &[u8] = b"dddd-dd-ddTdd:dd:dd";
    let fits = bytes.len() >= SHAPE.len()
        && SHAPE.iter().zip(bytes).all(|(shape, byte)| {
            if *shape == b'd' {
                byte.is_ascii_digit()
            } else {
                shape == byte
            }
        });
    if !fits {
        return None;
    }
    let mut length = SHAPE.len();
    if bytes.get(length) == Some(&b'.') {
        length += 1;
        while bytes.get(length).is_some_and(u8::is_ascii_digit) {
            length += 1;
        }
    }
    match bytes.get(length) {
        Some(b'Z') => Some(length + 1),
        Some(b'+' | b'-') if bytes.len() >= length + 6 => Some(length + 6),
        _ => None,
    }
}

#[test]
fn excerpts_cut_long_outputs_and_mask_times() {
    let rows: Vec<String> = (1..=12).map(|row| format!("{row},x")).collect();
    expect![[r#"
        n,name
        1,x
        2,x
        3,x
        …
        12,x
        (12 rows)
    "#]]
    .assert_eq(&csv_excerpt(&format!("n,name\n{}\n", rows.join("\n"))));
    let long: Vec<u32> = (1..=11).collect();
    let json = serde_json::to_string_pretty(&serde_json::json!({"a": [{"b": long}, 2]})).unwrap();
    expect![[r#"
        {
          "a": [
            {
              "b": [
                1,
                2,
                3,
                … (11 in all)
                11
              ]
            },
            2
          ]
        }
    "#]]
    .assert_eq(&json_excerpt(&json));
    assert_eq!(
        mask_times("at 2026-12-04T16:54:57.876054546Z and 2025-08-01T10:00:00+08:00, 2025-08-01"),
        "at <time> and <time>, 2025-08-01"
    );
}

#[test]
fn series_export_and_imports() {
    let lmo = Lmo::sqlite();
    lmo.ok(&["ingest", &data(PANEL), &data(SEV)]);
    let panel = "hk.panel.unemployment_rate_sa";
    let vacancies = "csd.215-16001.number_of_vacancies.ALL";

    check(
        &lmo,
        &["series", "list", "--prefix", "hk.panel", "--csv"],
        &expect![[r#"
            id,title_en,title_zh,unit,frequency,seasonal_adjustment,source,industry,occupation,tags,direction,publication_lag_days,n_periods,first_period,last_period
            hk.panel.china_real_gdp.yoy_pct,"Chinese mainland real GDP, year-on-year % change",中國內地實質本地生產總值按年變動百分率,%,quarterly,nsa,NBS via 4minutes-chung/Hong-Kong,,,gdp,higher_is_better,20,113,1998-Q1,2026-Q1
            hk.panel.composite_cpi.yoy_pct,"Composite CPI, year-on-year % change, quarterly mean of monthly rates (derived)",綜合消費物價指數按年變動百分率（季度平均）,%,quarterly,nsa,C&SD table 510-60001 via 4minutes-chung/Hong-Kong (quarterly mean),,,inflation,higher_is_worse,25,113,1998-Q1,2026-Q1
            hk.panel.exports_to_china.yoy_pct,"Exports to the Chinese mainland, year-on-year % change",輸往中國內地出口按年變動百分率,%,quarterly,nsa,C&SD via 4minutes-chung/Hong-Kong,,,trade,higher_is_better,30,113,1998-Q1,2026-Q1
            hk.panel.hibor_3m,"3-month HIBOR, quarterly mean",三個月香港銀行同業拆息（季度平均）,%,quarterly,nsa,HKMA via 4minutes-chung/Hong-Kong,,,interest-rate,neutral,5,113,1998-Q1,2026-Q1
            hk.panel.property_price.qoq_pct,"Residential property prices, quarter-on-quarter % change",住宅售價按季變動百分率,%,quarterly,nsa,Rating and Valuation Department via 4minutes-chung/Hong-Kong,,,property,neutral,30,113,1998-Q1,2026-Q1
            hk.panel.property_price_index,Residential property price index,住宅售價指數,index,quarterly,nsa,Rating and Valuation Department via 4minutes-chung/Hong-Kong,,,property,neutral,30,113,1998-Q1,2026-Q1
            hk.panel.real_gdp.yoy_pct,"Real GDP, year-on-year % change (C&SD 310-30001)",實質本地生產總值按年變動百分率,%,quarterly,nsa,C&SD table 310-30001 via 4minutes-chung/Hong-Kong,,,gdp; real-gdp-growth,higher_is_better,45,113,1998-Q1,2026-Q1
            hk.panel.unemployment_rate_sa,"Seasonally adjusted unemployment rate, last 3-month period of the quarter (C&SD 210-06101)",經季節性調整的失業率（季內最後一個三個月期）,%,quarterly,sa,C&SD table 210-06101 via 4minutes-chung/Hong-Kong,,,headline-unemployment; unemployment-rate,higher_is_worse,20,113,1998-Q1,2026-Q1
            hk.panel.us_fed_funds_rate,"US federal funds rate, quarterly mean",美國聯邦基金利率（季度平均）,%,quarterly,nsa,FRED via 4minutes-chung/Hong-Kong,,,interest-rate,neutral,5,113,1998-Q1,2026-Q1
        "#]],
    );
    check(
        &lmo,
        &["series", "list", "--prefix", vacancies, "--json"],
        &expect![[r#"
            [
              {
                "id": "csd.215-16001.number_of_vacancies.ALL",
                "title_en": "Number of vacancies (No.) — All industry sections covered",
                "title_zh": "職位空缺數目：所有涵蓋行業",
                "unit": "number",
                "frequency": "quarterly",
                "seasonal_adjustment": "nsa",
                "source": "C&SD table 215-16001: Number of establishments, persons engaged, vacancies and vacancy rate (other than those in the civil service) analysed by industry section",
                "industry": "ALL",
                "occupation": null,
                "tags": [
                  "industry",
                  "measure:number_of_vacancies",
                  "table:215-16001"
                ],
                "direction": "higher_is_better",
                "publication_lag_days": 80,
                "n_periods": 103,
                "first_period": "2000-03",
                "last_period": "2025-09"
              }
            ]
        "#]],
    );
    check(
        &lmo,
        &["series", "show", panel, "--as-of", "1999-06-30", "--csv"],
        &expect![[r#"
            period,value,status,vintage,vintage_basis
            1998-Q1,3.3,normal,1998-04-20,publication-lag
            1998-Q2,4.3,normal,1998-07-20,publication-lag
            1998-Q3,5.2,normal,1998-10-20,publication-lag
            1998-Q4,5.9,normal,1999-01-20,publication-lag
            1999-Q1,6.3,normal,1999-04-20,publication-lag
        "#]],
    );
    check(
        &lmo,
        &["series", "show", panel, "--as-of", "1999-06-30", "--json"],
        &expect![[r#"
            {
              "id": "hk.panel.unemployment_rate_sa",
              "title_en": "Seasonally adjusted unemployment rate, last 3-month period of the quarter (C&SD 210-06101)",
              "title_zh": "經季節性調整的失業率（季內最後一個三個月期）",
              "unit": "%",
              "frequency": "quarterly",
              "seasonal_adjustment": "sa",
              "source": "C&SD table 210-06101 via 4minutes-chung/Hong-Kong",
              "industry": null,
              "occupation": null,
              "tags": [
                "headline-unemployment",
                "unemployment-rate"
              ],
              "direction": "higher_is_worse",
              "publication_lag_days": 20,
              "observations": [
                {
                  "period": "1998-Q1",
                  "value": 3.3,
                  "status": "normal",
                  "vintage": "1998-04-20",
                  "vintage_basis": "publication-lag"
                },
                {
                  "period": "1998-Q2",
                  "value": 4.3,
                  "status": "normal",
                  "vintage": "1998-07-20",
                  "vintage_basis": "publication-lag"
                },
                {
                  "period": "1998-Q3",
                  "value": 5.2,
                  "status": "normal",
                  "vintage": "1998-10-20",
                  "vintage_basis": "publication-lag"
                },
                {
                  "period": "1998-Q4",
                  "value": 5.9,
                  "status": "normal",
                  "vintage": "1999-01-20",
                  "vintage_basis": "publication-lag"
                },
                {
                  "period": "1999-Q1",
                  "value": 6.3,
                  "status": "normal",
                  "vintage": "1999-04-20",
                  "vintage_basis": "publication-lag"
                }
              ]
            }
        "#]],
    );
    check(
        &lmo,
        &["series", "show", vacancies, "--csv"],
        &expect![[r#"
            period,value,status,vintage,vintage_basis
            2000-03,34835,normal,2000-06-19,publication-lag
            2000-06,34871,normal,2000-09-18,publication-lag
            2000-09,35782,normal,2000-12-19,publication-lag
            …
            2025-09,51452,normal,2025-12-19,publication-lag
            (103 rows)
        "#]],
    );
    check(
        &lmo,
        &["series", "vintages", vacancies, "2025-09", "--csv"],
        &expect![[r#"
            period,value,status,vintage,vintage_basis,import_id,replaced_by_import
            2025-09,51452,normal,2025-12-19,publication-lag,2,
        "#]],
    );
    check(
        &lmo,
        &["series", "vintages", panel, "2025-Q3", "--json"],
        &expect![[r#"
            [
              {
                "period": "2025-Q3",
                "value": 3.9,
                "status": "normal",
                "vintage": "2025-10-20",
                "vintage_basis": "publication-lag",
                "import_id": 1,
                "replaced_by_import": null
              }
            ]
        "#]],
    );

    let export = ["export", "--prefix", panel, "--as-of", "1998-12-31"];
    check(
        &lmo,
        &export,
        &expect![[r#"
        series_id,period,value,vintage,status
        hk.panel.unemployment_rate_sa,1998-Q1,3.3,1998-04-20,normal
        hk.panel.unemployment_rate_sa,1998-Q2,4.3,1998-07-20,normal
        hk.panel.unemployment_rate_sa,1998-Q3,5.2,1998-10-20,normal
    "#]],
    );
    check(
        &lmo,
        &[&export[..], &["--format", "json"]].concat(),
        &expect![[r#"
            [
            {"id":"hk.panel.unemployment_rate_sa","title_en":"Seasonally adjusted unemployment rate, last 3-month period of the quarter (C&SD 210-06101)","title_zh":"經季節性調整的失業率（季內最後一個三個月期）","unit":"%","frequency":"quarterly","seasonal_adjustment":"sa","source":"C&SD table 210-06101 via 4minutes-chung/Hong-Kong","industry":null,"occupation":null,"tags":["headline-unemployment","unemployment-rate"],"direction":"higher_is_worse","publication_lag_days":20,"observations":[{"period":"1998-Q1","value":3.3,"status":"normal","vintage":"1998-04-20","vintage_basis":"publication-lag"},{"period":"1998-Q2","value":4.3,"status":"normal","vintage":"1998-07-20","vintage_basis":"publication-lag"},{"period":"1998-Q3","value":5.2,"status":"normal","vintage":"1998-10-20","vintage_basis":"publication-lag"}]}
            ]
        "#]],
    );
    check(
        &lmo,
        &["export", "--prefix", vacancies, "--format", "series-meta"],
        &expect![[r#"
            series_id,title_en,title_zh,unit,frequency,seasonal_adjustment,source,industry,occupation,tags,direction,publication_lag_days
            csd.215-16001.number_of_vacancies.ALL,Number of vacancies (No.) — All industry sections covered,職位空缺數目：所有涵蓋行業,number,quarterly,nsa,"C&SD table 215-16001: Number of establishments, persons engaged, vacancies and vacancy rate (other than those in the civil service) analysed by industry section",ALL,,industry;measure:number_of_vacancies;table:215-16001,higher_is_better,80
        "#]],
    );
    check(
        &lmo,
        &["export", "--prefix", vacancies],
        &expect![[r#"
        series_id,period,value,vintage,status
        csd.215-16001.number_of_vacancies.ALL,2000-03,34835,2000-06-19,normal
        csd.215-16001.number_of_vacancies.ALL,2000-06,34871,2000-09-18,normal
        csd.215-16001.number_of_vacancies.ALL,2000-09,35782,2000-12-19,normal
        …
        csd.215-16001.number_of_vacancies.ALL,2025-09,51452,2025-12-19,normal
        (103 rows)
    "#]],
    );

    check(
        &lmo,
        &["imports", "--csv"],
        &expect![[r#"
            id,imported_at,file,format,rows_new,rows_revised,rows_unchanged,rows_rejected
            2,<time>,<data>/hk/csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv,csd-table,15210,0,0,0
            1,<time>,<data>/hk/csd_quarterly_macro_panel_gdp-yoy_cpi_unemp-sa_1998-2026_4minutes-chung.csv,mapped,1017,0,0,0
        "#]],
    );
    check(
        &lmo,
        &["imports", "--json"],
        &expect![[r#"
        [
          {
            "id": 2,
            "imported_at": "<time>",
            "file": "<data>/hk/csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv",
            "format": "csd-table",
            "rows_new": 15210,
            "rows_revised": 0,
            "rows_unchanged": 0,
            "rows_rejected": 0
          },
          {
            "id": 1,
            "imported_at": "<time>",
            "file": "<data>/hk/csd_quarterly_macro_panel_gdp-yoy_cpi_unemp-sa_1998-2026_4minutes-chung.csv",
            "format": "mapped",
            "rows_new": 1017,
            "rows_revised": 0,
            "rows_unchanged": 0,
            "rows_rejected": 0
          }
        ]
    "#]],
    );
}

const PAYROLL: &str = "hk/csd_220-19023_payroll_index_by_industry.csv";

#[test]
fn talent_tables_and_ai_exposure() {
    let lmo = Lmo::sqlite();
    lmo.ok(&["ingest", &data(SEV), &data(PAYROLL)]);
    let as_of = ["--as-of", "2026-08-30"];
    let with = |args: &[&'static str]| -> Vec<&'static str> {
        args.iter().copied().chain(as_of).collect()
    };
    check(
        &lmo,
        &with(&["talent", "ratings", "--csv"]),
        &expect![[r#"
        kind,code,name_en,name_zh,level,level_en,rating,composite,confidence,coverage,driver,evidence,vacancy_rate,vacancy_rate_reference,vacancy_rate_z,vacancy_rate_change,vacancy_rate_change_reference,vacancy_rate_change_z,persons_engaged_growth,persons_engaged_growth_reference,persons_engaged_growth_z,payroll_growth,payroll_growth_reference,payroll_growth_z,unemployment_rate,unemployment_rate_reference,unemployment_rate_z,periods,missing,notes,method
        industry,B+D+E,"Mining and quarrying; Electricity and gas supply; Water supply; sewerage, waste management and remediation activities",採礦及採石；電力及燃氣供應；自來水供應；污水處理、廢棄物管理及污染防治活動,skilled-technical,Skilled technical workers,balanced,-0.05957062340292739,high,0.8,,,1.3,1.9,-0.7550166236976183,0,-0.5,0.9153174288459471,1.2,-0.4,0.628905312931968,2.677532013969741,2.896187572288674,-0.2639246143987184,,,,vacancy rate 2025-09; vacancy rate change 2025-09; persons engaged growth 2025-09; payroll growth 2025-Q4,unemployment rate: no value for this group,payroll of E (waste management) only: B and D are no longer published; no unemployment rate by industry in the store (C&SD 210-06105 is not bundled),shortage/1
        industry,C,Manufacturing,製造,manual,Manual workers,shortage,0.5209861920154035,high,0.8,training gap,payroll growth 2.9 against 2.9 the mean of the groups rated: pay is not what holds hiring back (+0.04 sd),2.3,1.9,0.5033444157984122,-0.10000000000000009,-0.5,0.7322539430767576,2.1,-0.4,0.9826645514562,2.931596091205213,2.896187572288674,0.04273927346427805,,,,vacancy rate 2025-09; vacancy rate change 2025-09; persons engaged growth 2025-09; payroll growth 2025-Q4,unemployment rate: no value for this group,no unemployment rate by industry in the store (C&SD 210-06105 is not bundled),shortage/1
        industry,F,Construction,建造,skilled-technical,Skilled technical workers,surplus,-1.9599134235123037,medium,0.6,,,0.2,1.9,-2.1392137671432523,-1.2,-0.5,-1.281444400384326,-6.2,-0.4,-2.279781759378384,,,,,,,vacancy rate 2025-09; vacancy rate change 2025-09; persons engaged growth 2025-09,payroll growth: no value for this group; unemployment rate: no value for this group,no payroll index for this industry (C&SD 220-19023 does not cover it); no unemployment rate by industry in the store (C&SD 210-06105 is not bundled),shortage/1
        …
        industry,S,Other service activities,其他服務活動,service,Service workers,balanced,-0.4471721930527284,high,0.8,,,1.6,1.9,-0.377508311848809,-0.8999999999999999,-0.5,-0.7322539430767576,-0.1,-0.4,0.11791974617474402,2.2651565622918035,2.896187572288674,-0.7616756567611899,,,,vacancy rate 2025-09; vacancy rate change 2025-09; persons engaged growth 2025-09; payroll growth 2025-Q4,unemployment rate: no value for this group,payroll of P to S together; no unemployment rate by industry in the store (C&SD 210-06105 is not bundled),shortage/1
        (16 rows)
    "#]],
    );
    check(
        &lmo,
        &with(&["talent", "map", "--json"]),
        &expect![[r#"
            {
              "as_of": "2026-08-30",
              "method": "shortage/1",
              "source": "C&SD table 215-16001 (Quarterly Survey of Employment and Vacancies, private sector) and 220-19023 (payroll index)",
              "industries": [
                {
                  "industry": "ALL",
                  "name_en": "All industry sections covered",
                  "name_zh": "所有涵蓋行業",
                  "period": "2025-09",
                  "persons_engaged": 2710182.0,
                  "vacancies": 51452.0,
                  "vacancy_rate": 1.9,
                  "vacancy_rate_change": -0.5,
                  "persons_engaged_growth": -0.4,
                  "vacancies_growth": -22.578509412101056,
                  "share_of_vacancies": 100.0,
                  "payroll_growth": null,
                  "rating": null,
                  "composite": null,
                  "confidence": null,
                  "driver": null,
                  "level": null
                },
                {
                  "industry": "B+D+E",
                  "name_en": "Mining and quarrying; Electricity and gas supply; Water supply; sewerage, waste management and remediation activities",
                  "name_zh": "採礦及採石；電力及燃氣供應；自來水供應；污水處理、廢棄物管理及污染防治活動",
                  "period": "2025-09",
                  "persons_engaged": 12955.0,
                  "vacancies": 165.0,
                  "vacancy_rate": 1.3,
                  "vacancy_rate_change": 0.0,
                  "persons_engaged_growth": 1.2,
                  "vacancies_growth": -0.6024096385542133,
                  "share_of_vacancies": 0.3206872424784265,
                  "payroll_growth": 2.677532013969741,
                  "rating": "balanced",
                  "composite": -0.05957062340292739,
                  "confidence": "high",
                  "driver": null,
                  "level": "skilled-technical"
                },
                {
                  "industry": "C",
                  "name_en": "Manufacturing",
                  "name_zh": "製造",
                  "period": "2025-09",
                  "persons_engaged": 75357.0,
                  "vacancies": 1753.0,
                  "vacancy_rate": 2.3,
                  "vacancy_rate_change": -0.10000000000000009,
                  "persons_engaged_growth": 2.1,
                  "vacancies_growth": -2.9346622369878173,
                  "share_of_vacancies": 3.407059006452616,
                  "payroll_growth": 2.931596091205213,
                  "rating": "shortage",
                  "composite": 0.5209861920154035,
                  "confidence": "high",
                  "driver": "training gap",
                  "level": "manual"
                },
                … (17 in all)
                {
                  "industry": "S",
                  "name_en": "Other service activities",
                  "name_zh": "其他服務活動",
                  "period": "2025-09",
                  "persons_engaged": 72020.0,
                  "vacancies": 1201.0,
                  "vacancy_rate": 1.6,
                  "vacancy_rate_change": -0.8999999999999999,
                  "persons_engaged_growth": -0.1,
                  "vacancies_growth": -34.90514905149051,
                  "share_of_vacancies": 2.3342144134338803,
                  "payroll_growth": 2.2651565622918035,
                  "rating": "balanced",
                  "composite": -0.4471721930527284,
                  "confidence": "high",
                  "driver": null,
                  "level": "service"
                }
              ]
            }
        "#]],
    );
    check(
        &lmo,
        &with(&["talent", "forecast", "--csv"]),
        &expect![[r#"
        series,name_en,name_zh,year,horizon,mean,lower80,upper80,lower95,upper95,published_low,published_high
        gap,Unfilled posts (vacancies),空缺職位,2025,1,67460.04094564528,52452.15269464176,82467.9291966488,44507.45655746365,90412.6253338269,,
        gap,Unfilled posts (vacancies),空缺職位,2026,2,67529.4737021615,45876.466173755776,89182.48123056722,34414.05638017868,100644.89102414432,,
        gap,Unfilled posts (vacancies),空缺職位,2027,3,67585.01990737449,40609.2686094433,94560.77120530567,26329.168468117903,108840.87134663107,,
        …
        manual,Manual workers,體力勞動人員,2029,5,13621.699301147057,6969.803832807165,20273.594769486946,3448.503077606061,23794.89552468805,,
        (30 rows)
    "#]],
    );
    check(
        &lmo,
        &with(&["talent", "catalogue", "--csv"]),
        &expect![[r#"
        industry,industry_en,industry_zh,industry_rating,composite,confidence,driver,evidence,industry_level,occupation,occupation_en,occupation_zh,occupation_level,occupation_vacancies,occupation_driver,occupation_evidence,occupations_note,talent_list
        K,Financial and insurance activities,金融及保險活動,shortage,1.069453054792291,high,training gap,payroll growth 3.8 against 2.9 the mean of the groups rated: pay is not what holds hiring back (+1.09 sd),managers-professionals,,,,,,,,no vacancies by occupation for this industry in the store (C&SD 215-16007 is not bundled),Accountants; Financial professionals with Islamic market experience; Experienced professionals in commodities trading
        J,Information and communications,資訊及通訊,shortage,0.5746289429015006,high,training gap,payroll growth 3.1 against 2.9 the mean of the groups rated: pay is not what holds hiring back (+0.26 sd),managers-professionals,,,,,,,,no vacancies by occupation for this industry in the store (C&SD 215-16007 is not bundled),Experienced systems architects
        C,Manufacturing,製造,shortage,0.5209861920154035,high,training gap,payroll growth 2.9 against 2.9 the mean of the groups rated: pay is not what holds hiring back (+0.04 sd),manual,,,,,,,,no vacancies by occupation for this industry in the store (C&SD 215-16007 is not bundled),
        …
        F,Construction,建造,surplus,-1.9599134235123037,medium,,,skilled-technical,,,,,,,,no vacancies by occupation for this industry in the store (C&SD 215-16007 is not bundled),
        (16 rows)
    "#]],
    );
    check(
        &lmo,
        &with(&["talent", "talent-list", "--json"]),
        &expect![[r#"
        {
          "as_of": "2026-08-30",
          "editions": [
            {
              "effective": "2018-08-28",
              "professions_published": 11,
              "professions_entered": 11,
              "entries_complete": true,
              "sources": [
                "https://www.news.gov.hk/eng/2018/08/20180828/20180828_163621_426.html",
                "http://www.britannicpower.com/article/78134069_1008938529.html",
                "https://doctordaddysoccer.blogspot.com/2018/05/manpower.html"
              ]
            },
            {
              "effective": "2023-05-16",
              "professions_published": 51,
              "professions_entered": 7,
              "entries_complete": false,
              "sources": [
                "https://www.news.gov.hk/eng/2023/05/20230516/20230516_163457_528.html",
                "https://hongkongpr.com/business/hong-kong-steps-up-bid-to-woo-talent/"
              ]
            },
            {
              "effective": "2025-03-01",
              "professions_published": 60,
              "professions_entered": 9,
              "entries_complete": false,
              "sources": [
                "https://www.info.gov.hk/gia/general/202502/18/P2025021800221.htm",
                "https://portal.sina.com.hk/news-hongkong/gia-info-gov-hk/2025/02/18/1121443/"
              ]
            }
          ],
          "edition": "2025-03-01",
          "rows": [
            {
              "edition": "2025-03-01",
              "profession_en": "Accountants",
              "profession_zh": "會計業專才",
              "segment": "Financial services",
              "isco08": "2411",
              "isco08_title": "Accountants",
              "level": "managers-professionals",
              "industry": "K",
              "compared_with": "K",
              "compared_name": "Financial and insurance activities",
              "rating": "shortage",
              "composite": 1.069453054792291,
              "vacancy_rate": 2.4,
              "persons_engaged_growth": 3.5,
              "unemployment_rate": null,
              "local_slack": null
            },
            {
              "edition": "2025-03-01",
              "profession_en": "Financial professionals with Islamic market experience",
              "profession_zh": "伊斯蘭金融專才",
              "segment": "Financial services",
              "isco08": "2413",
              "isco08_title": "Financial Analysts",
              "level": "managers-professionals",
              "industry": "K",
              "compared_with": "K",
              "compared_name": "Financial and insurance activities",
              "rating": "shortage",
              "composite": 1.069453054792291,
              "vacancy_rate": 2.4,
              "persons_engaged_growth": 3.5,
              "unemployment_rate": null,
              "local_slack": null
            },
            {
              "edition": "2025-03-01",
              "profession_en": "Experienced professionals in commodities trading",
              "profession_zh": "資深大宗商品交易專才",
              "segment": "Financial services",
              "isco08": "3311",
              "isco08_title": "Securities and Finance Dealers and Brokers",
              "level": "skilled-technical",
              "industry": "K",
              "compared_with": "K",
              "compared_name": "Financial and insurance activities",
              "rating": "shortage",
              "composite": 1.069453054792291,
              "vacancy_rate": 2.4,
              "persons_engaged_growth": 3.5,
              "unemployment_rate": null,
              "local_slack": null
            },
            {
              "edition": "2025-03-01",
              "profession_en": "Experienced systems architects",
              "profession_zh": "資深系統架構師",
              "segment": "Innovation and technology",
              "isco08": "2511",
              "isco08_title": "Systems Analysts",
              "level": "managers-professionals",
              "industry": "J",
              "compared_with": "J",
              "compared_name": "Information and communications",
              "rating": "shortage",
              "composite": 0.5746289429015006,
              "vacancy_rate": 2.3,
              "persons_engaged_growth": 0.7,
              "unemployment_rate": null,
              "local_slack": null
            },
            {
              "edition": "2025-03-01",
              "profession_en": "Patent professionals",
              "profession_zh": "專利專業人員",
              "segment": "Innovation and technology",
              "isco08": "2619",
              "isco08_title": "Legal Professionals Not Elsewhere Classified",
              "level": "managers-professionals",
              "industry": "M",
              "compared_with": "M",
              "compared_name": "Professional, scientific and technical activities",
              "rating": "balanced",
              "composite": 0.08482289984956655,
              "vacancy_rate": 1.3,
              "persons_engaged_growth": 1.8,
              "unemployment_rate": null,
              "local_slack": null
            },
            {
              "edition": "2025-03-01",
              "profession_en": "Legal knowledge engineers",
              "profession_zh": "法律知識工程師",
              "segment": "Legal and dispute resolution services",
              "isco08": "2519",
              "isco08_title": "Software and Applications Developers and Analysts Not Elsewhere Classified",
              "level": "managers-professionals",
              "industry": "M",
              "compared_with": "M",
              "compared_name": "Professional, scientific and technical activities",
              "rating": "balanced",
              "composite": 0.08482289984956655,
              "vacancy_rate": 1.3,
              "persons_engaged_growth": 1.8,
              "unemployment_rate": null,
              "local_slack": null
            },
            {
              "edition": "2025-03-01",
              "profession_en": "Ship surveyors",
              "profession_zh": "驗船師",
              "segment": "Aviation and shipping",
              "isco08": "2144",
              "isco08_title": "Mechanical Engineers",
              "level": "managers-professionals",
              "industry": "H",
              "compared_with": "H",
              "compared_name": "Transportation, storage, postal and courier services",
              "rating": "balanced",
              "composite": 0.1806587911254983,
              "vacancy_rate": 1.6,
              "persons_engaged_growth": 0.0,
              "unemployment_rate": null,
              "local_slack": null
            },
            {
              "edition": "2025-03-01",
              "profession_en": "Professionals in green shipping",
              "profession_zh": "綠色航運專業人士",
              "segment": "Aviation and shipping",
              "isco08": "2143",
              "isco08_title": "Environmental Engineers",
              "level": "managers-professionals",
              "industry": "H",
              "compared_with": "H",
              "compared_name": "Transportation, storage, postal and courier services",
              "rating": "balanced",
              "composite": 0.1806587911254983,
              "vacancy_rate": 1.6,
              "persons_engaged_growth": 0.0,
              "unemployment_rate": null,
              "local_slack": null
            },
            {
              "edition": "2025-03-01",
              "profession_en": "Aircraft maintenance engineers",
              "profession_zh": "飛機維修工程師",
              "segment": "Aviation and shipping",
              "isco08": "3115",
              "isco08_title": "Mechanical Engineering Technicians",
              "level": "skilled-technical",
              "industry": "H",
              "compared_with": "H",
              "compared_name": "Transportation, storage, postal and courier services",
              "rating": "balanced",
              "composite": 0.1806587911254983,
              "vacancy_rate": 1.6,
              "persons_engaged_growth": 0.0,
              "unemployment_rate": null,
              "local_slack": null
            }
          ]
        }
    "#]],
    );
    check(
        &lmo,
        &with(&["ai-exposure", "--csv"]),
        &expect![[r#"
        isco08,title_en,name_zh,digits,score,sd,ilo_class,units_scored,units_exposed,weights,employment,gpts_beta,gpts_links,gpts_part_links,demand_change_pct,demand_class,units_squeeze,units_augmented,index,index_version
        1,Managers,經理及行政級人員,1,0.36115570041070033,,,30,6,equal weights: no employment by occupation is available,,0.4635058850354206,46,28,,,0,0,ILO global index of occupational exposure to generative AI,"2025 (score_2025; Final_Scores_ISCO08_Gmyrek_et_al_2025.xlsx, pgmyrek/2025_GenAI_scores_ISCO08 at 6601522d)"
        2,Professionals,專業人員,1,0.38669418932516775,,,92,39,equal weights: no employment by occupation is available,,0.4640260368727455,198,170,,,0,0,ILO global index of occupational exposure to generative AI,"2025 (score_2025; Final_Scores_ISCO08_Gmyrek_et_al_2025.xlsx, pgmyrek/2025_GenAI_scores_ISCO08 at 6601522d)"
        3,Technicians and Associate Professionals,輔助專業人員,1,0.34606626153318226,,,82,28,equal weights: no employment by occupation is available,,0.3946262504587492,173,148,,,0,0,ILO global index of occupational exposure to generative AI,"2025 (score_2025; Final_Scores_ISCO08_Gmyrek_et_al_2025.xlsx, pgmyrek/2025_GenAI_scores_ISCO08 at 6601522d)"
        4,Clerical Support Workers,文書支援人員,1,0.5345030582922825,,,29,28,equal weights: no employment by occupation is available,,0.6268364463790562,51,41,,,0,0,ILO global index of occupational exposure to generative AI,"2025 (score_2025; Final_Scores_ISCO08_Gmyrek_et_al_2025.xlsx, pgmyrek/2025_GenAI_scores_ISCO08 at 6601522d)"
        5,Service and Sales Workers,服務工作及銷售人員,1,0.2558695841195841,,,39,7,equal weights: no employment by occupation is available,,0.2561738128256987,74,63,,,0,0,ILO global index of occupational exposure to generative AI,"2025 (score_2025; Final_Scores_ISCO08_Gmyrek_et_al_2025.xlsx, pgmyrek/2025_GenAI_scores_ISCO08 at 6601522d)"
        6,"Skilled Agricultural, Forestry and Fishery Workers",,1,0.16371619568702905,,,18,0,equal weights: no employment by occupation is available,,0.18399622095967827,34,32,,,0,0,ILO global index of occupational exposure to generative AI,"2025 (score_2025; Final_Scores_ISCO08_Gmyrek_et_al_2025.xlsx, pgmyrek/2025_GenAI_scores_ISCO08 at 6601522d)"
        7,Craft and Related Trades Workers,工藝及有關人員,1,0.1656827676596907,,,65,1,equal weights: no employment by occupation is available,,0.14183868878805012,171,154,,,0,0,ILO global index of occupational exposure to generative AI,"2025 (score_2025; Final_Scores_ISCO08_Gmyrek_et_al_2025.xlsx, pgmyrek/2025_GenAI_scores_ISCO08 at 6601522d)"
        8,"Plant and Machine Operators, and Assemblers",機台及機器操作員及裝配員,1,0.19845411833536836,,,39,1,equal weights: no employment by occupation is available,,0.13108174802669031,98,88,,,0,0,ILO global index of occupational exposure to generative AI,"2025 (score_2025; Final_Scores_ISCO08_Gmyrek_et_al_2025.xlsx, pgmyrek/2025_GenAI_scores_ISCO08 at 6601522d)"
        9,Elementary Occupations,非技術工人,1,0.15003911408456858,,,33,2,equal weights: no employment by occupation is available,,0.09798650296097444,54,46,,,0,0,ILO global index of occupational exposure to generative AI,"2025 (score_2025; Final_Scores_ISCO08_Gmyrek_et_al_2025.xlsx, pgmyrek/2025_GenAI_scores_ISCO08 at 6601522d)"
    "#]],
    );
    check(
        &lmo,
        &["ai-exposure", "--us", "--level", "4", "--csv"],
        &expect![[r#"
            isco08,title_en,name_zh,digits,score,sd,ilo_class,units_scored,units_exposed,weights,employment,gpts_beta,gpts_links,gpts_part_links,demand_change_pct,demand_class,units_squeeze,units_augmented,index,index_version
            1111,Legislators,,4,0.313125,0.04037215270809465,Not Exposed,1,0,,22295,0.4,1,0,7.6,not exposed,0,0,ILO global index of occupational exposure to generative AI,"2025 (score_2025; Final_Scores_ISCO08_Gmyrek_et_al_2025.xlsx, pgmyrek/2025_GenAI_scores_ISCO08 at 6601522d)"
            1112,Senior Government Officials,,4,0.37666666666666665,0.07838207703295443,Minimal Exposure,1,0,,503563.8095238095,0.47025641025641024,3,3,7.3305370104890475,not exposed,0,0,ILO global index of occupational exposure to generative AI,"2025 (score_2025; Final_Scores_ISCO08_Gmyrek_et_al_2025.xlsx, pgmyrek/2025_GenAI_scores_ISCO08 at 6601522d)"
            1113,Traditional Chiefs and Heads of Villages,,4,0.2305,0.09855666728672732,Not Exposed,1,0,,89121.66666666667,0.4538888888888889,2,2,-2.372823668019375,not exposed,0,0,ILO global index of occupational exposure to generative AI,"2025 (score_2025; Final_Scores_ISCO08_Gmyrek_et_al_2025.xlsx, pgmyrek/2025_GenAI_scores_ISCO08 at 6601522d)"
            …
            9629,Elementary Workers Not Elsewhere Classified,,4,0.2921875,0.13557705702978343,Minimal Exposure,1,0,,288505,0.14157455447778028,5,5,32.215020536905776,not exposed,0,0,ILO global index of occupational exposure to generative AI,"2025 (score_2025; Final_Scores_ISCO08_Gmyrek_et_al_2025.xlsx, pgmyrek/2025_GenAI_scores_ISCO08 at 6601522d)"
            (427 rows)
        "#]],
    );
    check(
        &lmo,
        &["talent", "ratings", "--us", "--json"],
        &expect![[r#"
        {
          "as_of": null,
          "source": "data/us/occupations/bls_oews_national_may2021.csv; data/us/occupations/bls_employment_projections_pct_change_2020-2030.csv; data/ai/bls_isco08_soc2010_crosswalk.xls",
          "method": "shortage/1",
          "ratings": [
            {
              "kind": "occupation",
              "code": "isco08:11",
              "name_en": "Chief Executives, Senior Officials and Legislators",
              "name_zh": "",
              "level": "managers-professionals",
              "level_en": "Managers, supervisors and professionals",
              "rating": "balanced",
              "composite": -0.03125361996620346,
              "confidence": "low",
              "coverage": 0.15,
              "driver": null,
              "evidence": [],
              "vacancy_rate": null,
              "vacancy_rate_reference": null,
              "vacancy_rate_z": null,
              "vacancy_rate_change": null,
              "vacancy_rate_change_reference": null,
              "vacancy_rate_change_z": null,
              "persons_engaged_growth": 0.7179071632943296,
              "persons_engaged_growth_reference": 0.7445520889057367,
              "persons_engaged_growth_z": -0.03125361996620346,
              "payroll_growth": null,
              "payroll_growth_reference": null,
              "payroll_growth_z": null,
              "unemployment_rate": null,
              "unemployment_rate_reference": null,
              "unemployment_rate_z": null,
              "periods": [
                "persons engaged growth 2030"
              ],
              "missing": [
                "vacancy rate: no value for this group",
                "vacancy rate change: no value for this group",
                "payroll growth: no value for this group",
                "unemployment rate: no value for this group"
              ],
              "notes": [
                "US: projected employment growth 2020–30 a year (BLS), OEWS May 2021 employment as weights; the US files have no vacancy, wage-growth or unemployment series by occupation"
              ],
              "method": "shortage/1"
            },
            {
              "kind": "occupation",
              "code": "isco08:12",
              "name_en": "Administrative and Commercial Managers",
              "name_zh": "",
              "level": "managers-professionals",
              "level_en": "Managers, supervisors and professionals",
              "rating": "balanced",
              "composite": 0.1533382645628164,
              "confidence": "low",
              "coverage": 0.15,
              "driver": null,
              "evidence": [],
              "vacancy_rate": null,
              "vacancy_rate_reference": null,
              "vacancy_rate_z": null,
              "vacancy_rate_change": null,
              "vacancy_rate_change_reference": null,
              "vacancy_rate_change_z": null,
              "persons_engaged_growth": 0.875278918536244,
              "persons_engaged_growth_reference": 0.7445520889057367,
              "persons_engaged_growth_z": 0.1533382645628164,
              "payroll_growth": null,
              "payroll_growth_reference": null,
              "payroll_growth_z": null,
              "unemployment_rate": null,
              "unemployment_rate_reference": null,
              "unemployment_rate_z": null,
              "periods": [
                "persons engaged growth 2030"
              ],
              "missing": [
                "vacancy rate: no value for this group",
                "vacancy rate change: no value for this group",
                "payroll growth: no value for this group",
                "unemployment rate: no value for this group"
              ],
              "notes": [
                "US: projected employment growth 2020–30 a year (BLS), OEWS May 2021 employment as weights; the US files have no vacancy, wage-growth or unemployment series by occupation"
              ],
              "method": "shortage/1"
            },
            {
              "kind": "occupation",
              "code": "isco08:13",
              "name_en": "Production and Specialized Services Managers",
              "name_zh": "",
              "level": "managers-professionals",
              "level_en": "Managers, supervisors and professionals",
              "rating": "shortage",
              "composite": 0.5986231126524029,
              "confidence": "low",
              "coverage": 0.15,
              "driver": null,
              "evidence": [
                "driver undetermined: neither payroll growth nor unemployment is known"
              ],
              "vacancy_rate": null,
              "vacancy_rate_reference": null,
              "vacancy_rate_z": null,
              "vacancy_rate_change": null,
              "vacancy_rate_change_reference": null,
              "vacancy_rate_change_z": null,
              "persons_engaged_growth": 1.2549015563639152,
              "persons_engaged_growth_reference": 0.7445520889057367,
              "persons_engaged_growth_z": 0.5986231126524029,
              "payroll_growth": null,
              "payroll_growth_reference": null,
              "payroll_growth_z": null,
              "unemployment_rate": null,
              "unemployment_rate_reference": null,
              "unemployment_rate_z": null,
              "periods": [
                "persons engaged growth 2030"
              ],
              "missing": [
                "vacancy rate: no value for this group",
                "vacancy rate change: no value for this group",
                "payroll growth: no value for this group",
                "unemployment rate: no value for this group"
              ],
              "notes": [
                "US: projected employment growth 2020–30 a year (BLS), OEWS May 2021 employment as weights; the US files have no vacancy, wage-growth or unemployment series by occupation"
              ],
              "method": "shortage/1"
            },
            … (39 in all)
            {
              "kind": "occupation",
              "code": "isco08:96",
              "name_en": "Refuse Workers and Other Elementary Workers",
              "name_zh": "",
              "level": "manual",
              "level_en": "Manual workers",
              "rating": "balanced",
              "composite": 0.29035153220825466,
              "confidence": "low",
              "coverage": 0.15,
              "driver": null,
              "evidence": [],
              "vacancy_rate": null,
              "vacancy_rate_reference": null,
              "vacancy_rate_z": null,
              "vacancy_rate_change": null,
              "vacancy_rate_change_reference": null,
              "vacancy_rate_change_z": null,
              "persons_engaged_growth": 0.9920880538663674,
              "persons_engaged_growth_reference": 0.7445520889057367,
              "persons_engaged_growth_z": 0.29035153220825466,
              "payroll_growth": null,
              "payroll_growth_reference": null,
              "payroll_growth_z": null,
              "unemployment_rate": null,
              "unemployment_rate_reference": null,
              "unemployment_rate_z": null,
              "periods": [
                "persons engaged growth 2030"
              ],
              "missing": [
                "vacancy rate: no value for this group",
                "vacancy rate change: no value for this group",
                "payroll growth: no value for this group",
                "unemployment rate: no value for this group"
              ],
              "notes": [
                "US: projected employment growth 2020–30 a year (BLS), OEWS May 2021 employment as weights; the US files have no vacancy, wage-growth or unemployment series by occupation"
              ],
              "method": "shortage/1"
            }
          ],
          "occupations_note": null
        }
    "#]],
    );
}

#[test]
fn compute_alerts_watchlist_and_backtest() {
    let lmo = Lmo::sqlite();
    lmo.ok(&["ingest", &data(PANEL), &data(SEV)]);
    check(
        &lmo,
        &["compute", "--as-of", "2026-06-30", "--csv"],
        &expect![[r#"
            id,title_en,title_zh,source,periods,last_period,last_value
            lmo.hk.climate.eti,"Employment climate index (ETI style, 2019 = 100)",就業景氣指數（ETI 方法，2019年 = 100）,"lmo eti/1 from hk.panel.unemployment_rate_sa, csd.215-16001.number_of_vacancies.ALL, csd.215-16001.number_of_persons_engaged.ALL",103,2025-Q3,92.60470579632438
            lmo.hk.climate.lmci.level,"Employment climate index: level (LMCI style, 0 = average)",就業景氣指數：水平（LMCI 方法）,"lmo lmci/1 from hk.panel.unemployment_rate_sa, csd.215-16001.number_of_vacancies.ALL, csd.215-16001.number_of_persons_engaged.ALL",103,2025-Q3,0.2961526523037972
            lmo.hk.climate.lmci.momentum,"Employment climate index: momentum (LMCI style, 0 = average)",就業景氣指數：動力（LMCI 方法）,"lmo lmci/1 from hk.panel.unemployment_rate_sa, csd.215-16001.number_of_vacancies.ALL, csd.215-16001.number_of_persons_engaged.ALL",99,2025-Q3,-0.9875575819105971
            …
            lmo.hk.vacancies_yoy_diffusion,Industries whose vacancy growth improved (%),職位空缺按年變幅改善的行業比例（%）,"lmo diffusion/1 from csd.215-16001.number_of_vacancies.yoy_pct.B, csd.215-16001.number_of_vacancies.yoy_pct.C, csd.215-16001.number_of_vacancies.yoy_pct.F, csd.215-16001.number_of_vacancies.yoy_pct.G, csd.215-16001.number_of_vacancies.yoy_pct.H, csd.215-16001.number_of_vacancies.yoy_pct.I, csd.215-16001.number_of_vacancies.yoy_pct.J, csd.215-16001.number_of_vacancies.yoy_pct.K, csd.215-16001.number_of_vacancies.yoy_pct.L, csd.215-16001.number_of_vacancies.yoy_pct.M, csd.215-16001.number_of_vacancies.yoy_pct.N, csd.215-16001.number_of_vacancies.yoy_pct.P, csd.215-16001.number_of_vacancies.yoy_pct.Q, csd.215-16001.number_of_vacancies.yoy_pct.R, csd.215-16001.number_of_vacancies.yoy_pct.S",98,2025-09,78.57142857142857
            (75 rows)
        "#]],
    );
    check(
        &lmo,
        &["compute", "--as-of", "2026-06-30", "--json"],
        &expect![[r#"
            [
              {
                "id": "lmo.hk.climate.eti",
                "title_en": "Employment climate index (ETI style, 2019 = 100)",
                "title_zh": "就業景氣指數（ETI 方法，2019年 = 100）",
                "source": "lmo eti/1 from hk.panel.unemployment_rate_sa, csd.215-16001.number_of_vacancies.ALL, csd.215-16001.number_of_persons_engaged.ALL",
                "periods": 103,
                "last_period": "2025-Q3",
                "last_value": 92.60470579632438
              },
              {
                "id": "lmo.hk.climate.lmci.level",
                "title_en": "Employment climate index: level (LMCI style, 0 = average)",
                "title_zh": "就業景氣指數：水平（LMCI 方法）",
                "source": "lmo lmci/1 from hk.panel.unemployment_rate_sa, csd.215-16001.number_of_vacancies.ALL, csd.215-16001.number_of_persons_engaged.ALL",
                "periods": 103,
                "last_period": "2025-Q3",
                "last_value": 0.2961526523037972
              },
              {
                "id": "lmo.hk.climate.lmci.momentum",
                "title_en": "Employment climate index: momentum (LMCI style, 0 = average)",
                "title_zh": "就業景氣指數：動力（LMCI 方法）",
                "source": "lmo lmci/1 from hk.panel.unemployment_rate_sa, csd.215-16001.number_of_vacancies.ALL, csd.215-16001.number_of_persons_engaged.ALL",
                "periods": 99,
                "last_period": "2025-Q3",
                "last_value": -0.9875575819105971
              },
              … (75 in all)
              {
                "id": "lmo.hk.vacancies_yoy_diffusion",
                "title_en": "Industries whose vacancy growth improved (%)",
                "title_zh": "職位空缺按年變幅改善的行業比例（%）",
                "source": "lmo diffusion/1 from csd.215-16001.number_of_vacancies.yoy_pct.B, csd.215-16001.number_of_vacancies.yoy_pct.C, csd.215-16001.number_of_vacancies.yoy_pct.F, csd.215-16001.number_of_vacancies.yoy_pct.G, csd.215-16001.number_of_vacancies.yoy_pct.H, csd.215-16001.number_of_vacancies.yoy_pct.I, csd.215-16001.number_of_vacancies.yoy_pct.J, csd.215-16001.number_of_vacancies.yoy_pct.K, csd.215-16001.number_of_vacancies.yoy_pct.L, csd.215-16001.number_of_vacancies.yoy_pct.M, csd.215-16001.number_of_vacancies.yoy_pct.N, csd.215-16001.number_of_vacancies.yoy_pct.P, csd.215-16001.number_of_vacancies.yoy_pct.Q, csd.215-16001.number_of_vacancies.yoy_pct.R, csd.215-16001.number_of_vacancies.yoy_pct.S",
                "periods": 98,
                "last_period": "2025-09",
                "last_value": 78.57142857142857
              }
            ]
        "#]],
    );

    let alerts = ["alerts", "--all", "--as-of", "2026-06-30"];
    check(
        &lmo,
        &[&alerts[..], &["--csv"]].concat(),
        &expect![[r#"
            id,rule_id,rule_version,title_en,title_zh,subject,industry,level,max_level,opened,closed,last_period,measure,inputs,contributors,as_of,needs_attention,acknowledged_by,muted_until
            hk-unemployment-level/hk.panel.unemployment_rate_sa/1998-Q3,hk-unemployment-level,1,Unemployment rate high by Hong Kong's own history,失業率按香港歷史水平偏高,hk.panel.unemployment_rate_sa,,blue,red,1998-Q3,2007-Q4,2007-Q4,3.4,"[{""period"":""2007-Q4"",""value"":3.4,""vintage"":""2008-01-20""}]",,2026-06-30,false,,
            hk-unemployment-level/hk.panel.unemployment_rate_sa/2009-Q1,hk-unemployment-level,1,Unemployment rate high by Hong Kong's own history,失業率按香港歷史水平偏高,hk.panel.unemployment_rate_sa,,blue,yellow,2009-Q1,2011-Q1,2011-Q1,3.5,"[{""period"":""2011-Q1"",""value"":3.5,""vintage"":""2011-04-20""}]",,2026-06-30,false,,
            hk-unemployment-level/hk.panel.unemployment_rate_sa/2020-Q2,hk-unemployment-level,1,Unemployment rate high by Hong Kong's own history,失業率按香港歷史水平偏高,hk.panel.unemployment_rate_sa,,blue,orange,2020-Q2,2022-Q4,2022-Q4,3.5,"[{""period"":""2022-Q4"",""value"":3.5,""vintage"":""2023-01-20""}]",,2026-06-30,false,,
            …
            hk-labour-downturn/*/2019-Q4,hk-labour-downturn,1,Broad labour-market downturn,勞動市場全面轉差,*,,red,red,2019-Q4,2021-Q2,2021-Q2,0,,hk-unemployment-sahm/hk.panel.unemployment_rate_sa,2026-06-30,false,,
            (72 rows)
        "#]],
    );
    check(
        &lmo,
        &[&alerts[..], &["--json"]].concat(),
        &expect![[r#"
            [
              {
                "id": "hk-unemployment-level/hk.panel.unemployment_rate_sa/1998-Q3",
                "rule_id": "hk-unemployment-level",
                "rule_version": 1,
                "title_en": "Unemployment rate high by Hong Kong's own history",
                "title_zh": "失業率按香港歷史水平偏高",
                "subject": "hk.panel.unemployment_rate_sa",
                "industry": null,
                "level": "blue",
                "max_level": "red",
                "opened": "1998-Q3",
                "closed": "2007-Q4",
                "last_period": "2007-Q4",
                "measure": 3.4,
                "inputs": [
                  {
                    "period": "2007-Q4",
                    "value": 3.4,
                    "vintage": "2008-01-20"
                  }
                ],
                "contributors": [],
                "as_of": "2026-06-30",
                "needs_attention": false,
                "acknowledged_by": null,
                "muted_until": null
              },
              {
                "id": "hk-unemployment-level/hk.panel.unemployment_rate_sa/2009-Q1",
                "rule_id": "hk-unemployment-level",
                "rule_version": 1,
                "title_en": "Unemployment rate high by Hong Kong's own history",
                "title_zh": "失業率按香港歷史水平偏高",
                "subject": "hk.panel.unemployment_rate_sa",
                "industry": null,
                "level": "blue",
                "max_level": "yellow",
                "opened": "2009-Q1",
                "closed": "2011-Q1",
                "last_period": "2011-Q1",
                "measure": 3.5,
                "inputs": [
                  {
                    "period": "2011-Q1",
                    "value": 3.5,
                    "vintage": "2011-04-20"
                  }
                ],
                "contributors": [],
                "as_of": "2026-06-30",
                "needs_attention": false,
                "acknowledged_by": null,
                "muted_until": null
              },
              {
                "id": "hk-unemployment-level/hk.panel.unemployment_rate_sa/2020-Q2",
                "rule_id": "hk-unemployment-level",
                "rule_version": 1,
                "title_en": "Unemployment rate high by Hong Kong's own history",
                "title_zh": "失業率按香港歷史水平偏高",
                "subject": "hk.panel.unemployment_rate_sa",
                "industry": null,
                "level": "blue",
                "max_level": "orange",
                "opened": "2020-Q2",
                "closed": "2022-Q4",
                "last_period": "2022-Q4",
                "measure": 3.5,
                "inputs": [
                  {
                    "period": "2022-Q4",
                    "value": 3.5,
                    "vintage": "2023-01-20"
                  }
                ],
                "contributors": [],
                "as_of": "2026-06-30",
                "needs_attention": false,
                "acknowledged_by": null,
                "muted_until": null
              },
              … (72 in all)
              {
                "id": "hk-labour-downturn/*/2019-Q4",
                "rule_id": "hk-labour-downturn",
                "rule_version": 1,
                "title_en": "Broad labour-market downturn",
                "title_zh": "勞動市場全面轉差",
                "subject": "*",
                "industry": null,
                "level": "red",
                "max_level": "red",
                "opened": "2019-Q4",
                "closed": "2021-Q2",
                "last_period": "2021-Q2",
                "measure": 0.0,
                "inputs": [],
                "contributors": [
                  "hk-unemployment-sahm/hk.panel.unemployment_rate_sa"
                ],
                "as_of": "2026-06-30",
                "needs_attention": false,
                "acknowledged_by": null,
                "muted_until": null
              }
            ]
        "#]],
    );
    // Open at the worst of 2009: breadth and composite alerts name their contributors.
    check(
        &lmo,
        &[
            "alerts",
            "--as-of",
            "2009-06-30",
            "--level",
            "red",
            "--json",
        ],
        &expect![[r#"
            [
              {
                "id": "hk-unemployment-sahm/hk.panel.unemployment_rate_sa/2008-Q4",
                "rule_id": "hk-unemployment-sahm",
                "rule_version": 1,
                "title_en": "Unemployment rising fast (Sahm-type trigger)",
                "title_zh": "失業率急升（薩姆規則式觸發）",
                "subject": "hk.panel.unemployment_rate_sa",
                "industry": null,
                "level": "red",
                "max_level": "red",
                "opened": "2008-Q4",
                "closed": null,
                "last_period": "2009-Q1",
                "measure": 2.0,
                "inputs": [
                  {
                    "period": "2008-Q1",
                    "value": 3.3,
                    "vintage": "2008-04-20"
                  },
                  {
                    "period": "2008-Q2",
                    "value": 3.2,
                    "vintage": "2008-07-20"
                  },
                  {
                    "period": "2008-Q3",
                    "value": 3.5,
                    "vintage": "2008-10-20"
                  },
                  {
                    "period": "2008-Q4",
                    "value": 4.1,
                    "vintage": "2009-01-20"
                  },
                  {
                    "period": "2009-Q1",
                    "value": 5.2,
                    "vintage": "2009-04-20"
                  }
                ],
                "contributors": [],
                "as_of": "2009-06-30",
                "needs_attention": true,
                "acknowledged_by": null,
                "muted_until": null
              },
              {
                "id": "hk-vacancies-yoy-z/csd.215-16001.number_of_vacancies.L/2009-03",
                "rule_id": "hk-vacancies-yoy-z",
                "rule_version": 1,
                "title_en": "Vacancies falling unusually fast in an industry",
                "title_zh": "個別行業職位空缺異常下跌",
                "subject": "csd.215-16001.number_of_vacancies.L",
                "industry": "L",
                "level": "red",
                "max_level": "red",
                "opened": "2009-03",
                "closed": null,
                "last_period": "2009-03",
                "measure": -2.6002929424938697,
                "inputs": [
                  {
                    "period": "2003-06",
                    "value": 1360.0,
                    "vintage": "2003-09-18"
                  },
                  {
                    "period": "2003-09",
                    "value": 1535.0,
                    "vintage": "2003-12-19"
                  },
                  {
                    "period": "2003-12",
                    "value": 1363.0,
                    "vintage": "2004-03-20"
                  },
                  … (24 in all)
                  {
                    "period": "2009-03",
                    "value": 1517.0,
                    "vintage": "2009-06-19"
                  }
                ],
                "contributors": [],
                "as_of": "2009-06-30",
                "needs_attention": true,
                "acknowledged_by": null,
                "muted_until": null
              },
              {
                "id": "hk-vacancy-decline-breadth/*/2008-12",
                "rule_id": "hk-vacancy-decline-breadth",
                "rule_version": 1,
                "title_en": "Vacancy declines spreading across industries",
                "title_zh": "職位空缺下跌蔓延至多個行業",
                "subject": "*",
                "industry": null,
                "level": "red",
                "max_level": "red",
                "opened": "2008-12",
                "closed": null,
                "last_period": "2009-03",
                "measure": 0.9285714285714286,
                "inputs": [],
                "contributors": [
                  "hk-vacancies-yoy-z/csd.215-16001.number_of_vacancies.C",
                  "hk-vacancies-yoy-z/csd.215-16001.number_of_vacancies.G",
                  "hk-vacancies-yoy-z/csd.215-16001.number_of_vacancies.H",
                  … (13 in all)
                  "hk-vacancies-yoy-z/csd.215-16001.number_of_vacancies.S"
                ],
                "as_of": "2009-06-30",
                "needs_attention": true,
                "acknowledged_by": null,
                "muted_until": null
              },
              {
                "id": "hk-labour-downturn/*/2008-Q4",
                "rule_id": "hk-labour-downturn",
                "rule_version": 1,
                "title_en": "Broad labour-market downturn",
                "title_zh": "勞動市場全面轉差",
                "subject": "*",
                "industry": null,
                "level": "red",
                "max_level": "red",
                "opened": "2008-Q4",
                "closed": null,
                "last_period": "2009-Q1",
                "measure": 1.0,
                "inputs": [],
                "contributors": [
                  "hk-unemployment-sahm/hk.panel.unemployment_rate_sa",
                  "hk-vacancy-decline-breadth/*"
                ],
                "as_of": "2009-06-30",
                "needs_attention": true,
                "acknowledged_by": null,
                "muted_until": null
              }
            ]
        "#]],
    );

    check(
        &lmo,
        &["watchlist", "--csv"],
        &expect![[r#"
            rank,industry,industry_en,industry_zh,score,reasons
            1,F,Construction,建造,1,blue hk-vacancies-yoy-z (-1.13 in 2025-09)
            2,H,"Transportation, storage, postal and courier services",運輸、倉庫、郵政及速遞服務,1,blue hk-vacancies-yoy-z (-1.02 in 2025-09)
            3,L,Real estate activities,地產活動,1,blue hk-vacancies-yoy-z (-1.30 in 2025-09)
            4,M,"Professional, scientific and technical activities",專業、科學及技術活動,1,blue hk-vacancies-yoy-z (-0.80 in 2025-09)
            5,N,Administrative and support service activities,行政及支援服務活動,1,blue hk-vacancies-yoy-z (-1.08 in 2025-09)
            6,P,Education,教育,1,blue hk-vacancies-yoy-z (-1.06 in 2025-09)
            7,Q,Human health and social work activities,人類保健及社會工作活動,1,blue hk-vacancies-yoy-z (-0.90 in 2025-09)
            8,R,"Arts, entertainment and recreation",藝術、娛樂及康樂活動,1,blue hk-vacancies-yoy-z (-1.17 in 2025-09)
        "#]],
    );
    check(
        &lmo,
        &["watchlist", "--json"],
        &expect![[r#"
        [
          {
            "rank": 1,
            "industry": "F",
            "industry_en": "Construction",
            "industry_zh": "建造",
            "score": 1,
            "reasons": [
              "blue hk-vacancies-yoy-z (-1.13 in 2025-09)"
            ]
          },
          {
            "rank": 2,
            "industry": "H",
            "industry_en": "Transportation, storage, postal and courier services",
            "industry_zh": "運輸、倉庫、郵政及速遞服務",
            "score": 1,
            "reasons": [
              "blue hk-vacancies-yoy-z (-1.02 in 2025-09)"
            ]
          },
          {
            "rank": 3,
            "industry": "L",
            "industry_en": "Real estate activities",
            "industry_zh": "地產活動",
            "score": 1,
            "reasons": [
              "blue hk-vacancies-yoy-z (-1.30 in 2025-09)"
            ]
          },
          {
            "rank": 4,
            "industry": "M",
            "industry_en": "Professional, scientific and technical activities",
            "industry_zh": "專業、科學及技術活動",
            "score": 1,
            "reasons": [
              "blue hk-vacancies-yoy-z (-0.80 in 2025-09)"
            ]
          },
          {
            "rank": 5,
            "industry": "N",
            "industry_en": "Administrative and support service activities",
            "industry_zh": "行政及支援服務活動",
            "score": 1,
            "reasons": [
              "blue hk-vacancies-yoy-z (-1.08 in 2025-09)"
            ]
          },
          {
            "rank": 6,
            "industry": "P",
            "industry_en": "Education",
            "industry_zh": "教育",
            "score": 1,
            "reasons": [
              "blue hk-vacancies-yoy-z (-1.06 in 2025-09)"
            ]
          },
          {
            "rank": 7,
            "industry": "Q",
            "industry_en": "Human health and social work activities",
            "industry_zh": "人類保健及社會工作活動",
            "score": 1,
            "reasons": [
              "blue hk-vacancies-yoy-z (-0.90 in 2025-09)"
            ]
          },
          {
            "rank": 8,
            "industry": "R",
            "industry_en": "Arts, entertainment and recreation",
            "industry_zh": "藝術、娛樂及康樂活動",
            "score": 1,
            "reasons": [
              "blue hk-vacancies-yoy-z (-1.17 in 2025-09)"
            ]
          }
        ]
    "#]],
    );
    check(
        &lmo,
        &["watchlist", "--as-of", "2009-06-30", "--csv"],
        &expect![[r#"
            rank,industry,industry_en,industry_zh,score,reasons
            1,L,Real estate activities,地產活動,4,red hk-vacancies-yoy-z (-2.60 in 2009-03)
            2,C,Manufacturing,製造,3,orange hk-vacancies-yoy-z (-2.32 in 2009-03)
            3,G,"Import/export, wholesale and retail trades",進出口貿易、批發及零售業,3,orange hk-vacancies-yoy-z (-2.33 in 2009-03)
            …
            13,S,Other service activities,其他服務活動,2,yellow hk-vacancies-yoy-z (-1.69 in 2009-03)
            (13 rows)
        "#]],
    );
    check(
        &lmo,
        &["watchlist", "--as-of", "2009-06-30", "--json"],
        &expect![[r#"
            [
              {
                "rank": 1,
                "industry": "L",
                "industry_en": "Real estate activities",
                "industry_zh": "地產活動",
                "score": 4,
                "reasons": [
                  "red hk-vacancies-yoy-z (-2.60 in 2009-03)"
                ]
              },
              {
                "rank": 2,
                "industry": "C",
                "industry_en": "Manufacturing",
                "industry_zh": "製造",
                "score": 3,
                "reasons": [
                  "orange hk-vacancies-yoy-z (-2.32 in 2009-03)"
                ]
              },
              {
                "rank": 3,
                "industry": "G",
                "industry_en": "Import/export, wholesale and retail trades",
                "industry_zh": "進出口貿易、批發及零售業",
                "score": 3,
                "reasons": [
                  "orange hk-vacancies-yoy-z (-2.33 in 2009-03)"
                ]
              },
              … (13 in all)
              {
                "rank": 13,
                "industry": "S",
                "industry_en": "Other service activities",
                "industry_zh": "其他服務活動",
                "score": 2,
                "reasons": [
                  "yellow hk-vacancies-yoy-z (-1.69 in 2009-03)"
                ]
              }
            ]
        "#]],
    );
    let history = ["watchlist", "--history", "2008-01..2011-12"];
    check(
        &lmo,
        &[&history[..], &["--csv"]].concat(),
        &expect![[r#"
            as_of,industry,change,score,name_en,name_zh
            2008-09-30,K,entered,1,Financial and insurance activities,金融及保險活動
            2008-12-31,C,entered,1,Manufacturing,製造
            2008-12-31,G,entered,1,"Import/export, wholesale and retail trades",進出口貿易、批發及零售業
            …
            2010-09-30,L,left,1,Real estate activities,地產活動
            (26 rows)
        "#]],
    );
    check(
        &lmo,
        &[&history[..], &["--json"]].concat(),
        &expect![[r#"
            [
              {
                "as_of": "2008-09-30",
                "industry": "K",
                "change": "entered",
                "score": 1,
                "name_en": "Financial and insurance activities",
                "name_zh": "金融及保險活動"
              },
              {
                "as_of": "2008-12-31",
                "industry": "C",
                "change": "entered",
                "score": 1,
                "name_en": "Manufacturing",
                "name_zh": "製造"
              },
              {
                "as_of": "2008-12-31",
                "industry": "G",
                "change": "entered",
                "score": 1,
                "name_en": "Import/export, wholesale and retail trades",
                "name_zh": "進出口貿易、批發及零售業"
              },
              … (26 in all)
              {
                "as_of": "2010-09-30",
                "industry": "L",
                "change": "left",
                "score": 1,
                "name_en": "Real estate activities",
                "name_zh": "地產活動"
              }
            ]
        "#]],
    );

    let backtest = [
        "backtest",
        "--rules",
        "hk-default",
        "--episodes",
        "gdp-downturns:hk.panel.real_gdp.yoy_pct",
        "--from",
        "1998-01",
        "--to",
        "2026-06",
    ];
    check(
        &lmo,
        &[&backtest[..], &["--csv"]].concat(),
        &expect![[r#"
            rule_id,subject,max_level,opened,known_from,closed,closed_known,rule_hits,rule_misses,rule_false_alarms_per_decade
            hk-unemployment-level,hk.panel.unemployment_rate_sa,red,1998-Q3,1998-10-31,2007-Q4,2008-01-31,3,2,0
            hk-unemployment-sahm,hk.panel.unemployment_rate_sa,red,1999-Q1,1999-04-30,2000-Q1,2000-04-30,4,1,0.7017543859649122
            hk-unemployment-sahm,hk.panel.unemployment_rate_sa,red,2001-Q3,2001-10-31,2003-Q4,2004-01-31,4,1,0.7017543859649122
            …
            hk-vacancies-yoy-z,csd.215-16001.number_of_vacancies.R,blue,2025-06,2025-09-30,,,2,3,10.526315789473685
            (72 rows)
        "#]],
    );
    check(
        &lmo,
        &[&backtest[..], &["--json"]].concat(),
        &expect![[r#"
            {
              "from": "1998-01-31",
              "to": "2026-06-30",
              "episodes": [
                {
                  "rule_id": "hk-unemployment-level",
                  "subject": "hk.panel.unemployment_rate_sa",
                  "max_level": "red",
                  "opened": "1998-Q3",
                  "known_from": "1998-10-31",
                  "closed": "2007-Q4",
                  "closed_known": "2008-01-31"
                },
                {
                  "rule_id": "hk-unemployment-sahm",
                  "subject": "hk.panel.unemployment_rate_sa",
                  "max_level": "red",
                  "opened": "1999-Q1",
                  "known_from": "1999-04-30",
                  "closed": "2000-Q1",
                  "closed_known": "2000-04-30"
                },
                {
                  "rule_id": "hk-unemployment-sahm",
                  "subject": "hk.panel.unemployment_rate_sa",
                  "max_level": "red",
                  "opened": "2001-Q3",
                  "known_from": "2001-10-31",
                  "closed": "2003-Q4",
                  "closed_known": "2004-01-31"
                },
                … (72 in all)
                {
                  "rule_id": "hk-vacancies-yoy-z",
                  "subject": "csd.215-16001.number_of_vacancies.R",
                  "max_level": "blue",
                  "opened": "2025-06",
                  "known_from": "2025-09-30",
                  "closed": null,
                  "closed_known": null
                }
              ],
              "scores": [
                {
                  "rule_id": "hk-unemployment-level",
                  "hits": 3,
                  "misses": 2,
                  "lead_months": [
                    -9,
                    null,
                    -6,
                    -12,
                    null
                  ],
                  "reference_starts": [
                    "1998-01",
                    "2001-10",
                    "2008-10",
                    "2019-07",
                    "2022-01"
                  ],
                  "false_alarms": 0,
                  "false_alarms_per_decade": 0.0
                },
                {
                  "rule_id": "hk-unemployment-sahm",
                  "hits": 4,
                  "misses": 1,
                  "lead_months": [
                    null,
                    0,
                    -3,
                    -6,
                    -3
                  ],
                  "reference_starts": [
                    "1998-01",
                    "2001-10",
                    "2008-10",
                    "2019-07",
                    "2022-01"
                  ],
                  "false_alarms": 2,
                  "false_alarms_per_decade": 0.7017543859649122
                },
                {
                  "rule_id": "hk-vacancies-yoy-z",
                  "hits": 2,
                  "misses": 3,
                  "lead_months": [
                    null,
                    null,
                    1,
                    10,
                    null
                  ],
                  "reference_starts": [
                    "1998-01",
                    "2001-10",
                    "2008-10",
                    "2019-07",
                    "2022-01"
                  ],
                  "false_alarms": 30,
                  "false_alarms_per_decade": 10.526315789473685
                },
                {
                  "rule_id": "hk-vacancy-decline-breadth",
                  "hits": 2,
                  "misses": 3,
                  "lead_months": [
                    null,
                    null,
                    -5,
                    -5,
                    null
                  ],
                  "reference_starts": [
                    "1998-01",
                    "2001-10",
                    "2008-10",
                    "2019-07",
                    "2022-01"
                  ],
                  "false_alarms": 1,
                  "false_alarms_per_decade": 0.3508771929824561
                },
                {
                  "rule_id": "hk-labour-downturn",
                  "hits": 2,
                  "misses": 3,
                  "lead_months": [
                    null,
                    null,
                    -5,
                    -6,
                    null
                  ],
                  "reference_starts": [
                    "1998-01",
                    "2001-10",
                    "2008-10",
                    "2019-07",
                    "2022-01"
                  ],
                  "false_alarms": 0,
                  "false_alarms_per_decade": 0.0
                }
              ]
            }
        "#]],
    );
}

#[test]
fn arrears() {
    let lmo = Lmo::sqlite();
    let dir = generate_arrears(&lmo, "400");
    let arrears = |format: &str, expected: &Expect| {
        let run = run_arrears(&lmo, &dir, &[format]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        expected.assert_eq(&excerpt(&run.stdout));
    };
    arrears(
        "--csv",
        &expect![[r#"
            rank,level,employer_id,employer_name,hsic_section,district,headcount,sizable,workers_affected,arrears_hkd,mpf_arrears_hkd,wage_arrears_hkd,surcharge_hkd,max_days_late,months_in_default,repeat_defaults,kinds,reasons_en,reasons_zh,worker_reports
            1,red,E0000271,Generated Employer 0000271 Ltd,M,Sai Kung,62,false,12,0.00,0.00,0.00,0.00,8,1,0,wages_late,wages paid more than 7 days after the wage period; group dispute: workers affected at the group threshold or more,工資期結束七天後才支付工資; 集體勞資糾紛：受影響僱員人數達門檻,0
            2,red,E0000065,Generated Employer 0000065 Ltd,S,Eastern,46,false,10,155585.35,0.00,155585.35,0.00,0,1,0,wages_unpaid,wages unpaid more than 7 days after the wage period; group dispute: workers affected at the group threshold or more; arrears above the orange threshold,工資期結束後七天仍未支付工資; 集體勞資糾紛：受影響僱員人數達門檻; 拖欠款額達橙色門檻,0
            3,yellow,E0000086,Generated Employer 0000086 Ltd,G,Kwai Tsing,11,false,4,3987.22,3987.22,0.00,199.36,0,1,0,mpf_unpaid,MPF contributions unpaid after the contribution day,供款日後仍未繳付強積金供款,0
            …
            31,yellow,E0000266,Generated Employer 0000266 Ltd,P,Yau Tsim Mong,25,false,0,0.00,0.00,0.00,0.00,0,0,0,report_without_data,"worker report, not yet confirmed by data",工人舉報，尚未獲數據證實,1
            (31 rows)
        "#]],
    );
    arrears(
        "--json",
        &expect![[r#"
            [
              {
                "rank": 1,
                "level": "red",
                "employer_id": "E0000271",
                "employer_name": "Generated Employer 0000271 Ltd",
                "hsic_section": "M",
                "district": "Sai Kung",
                "headcount": 62,
                "sizable": false,
                "workers_affected": 12,
                "arrears_hkd": "0.00",
                "mpf_arrears_hkd": "0.00",
                "wage_arrears_hkd": "0.00",
                "surcharge_hkd": "0.00",
                "max_days_late": 8,
                "months_in_default": 1,
                "repeat_defaults": 0,
                "kinds": [
                  "wages_late"
                ],
                "reasons_en": [
                  "wages paid more than 7 days after the wage period",
                  "group dispute: workers affected at the group threshold or more"
                ],
                "reasons_zh": [
                  "工資期結束七天後才支付工資",
                  "集體勞資糾紛：受影響僱員人數達門檻"
                ],
                "worker_reports": 0
              },
              {
                "rank": 2,
                "level": "red",
                "employer_id": "E0000065",
                "employer_name": "Generated Employer 0000065 Ltd",
                "hsic_section": "S",
                "district": "Eastern",
                "headcount": 46,
                "sizable": false,
                "workers_affected": 10,
                "arrears_hkd": "155585.35",
                "mpf_arrears_hkd": "0.00",
                "wage_arrears_hkd": "155585.35",
                "surcharge_hkd": "0.00",
                "max_days_late": 0,
                "months_in_default": 1,
                "repeat_defaults": 0,
                "kinds": [
                  "wages_unpaid"
                ],
                "reasons_en": [
                  "wages unpaid more than 7 days after the wage period",
                  "group dispute: workers affected at the group threshold or more",
                  "arrears above the orange threshold"
                ],
                "reasons_zh": [
                  "工資期結束後七天仍未支付工資",
                  "集體勞資糾紛：受影響僱員人數達門檻",
                  "拖欠款額達橙色門檻"
                ],
                "worker_reports": 0
              },
              {
                "rank": 3,
                "level": "yellow",
                "employer_id": "E0000086",
                "employer_name": "Generated Employer 0000086 Ltd",
                "hsic_section": "G",
                "district": "Kwai Tsing",
                "headcount": 11,
                "sizable": false,
                "workers_affected": 4,
                "arrears_hkd": "3987.22",
                "mpf_arrears_hkd": "3987.22",
                "wage_arrears_hkd": "0.00",
                "surcharge_hkd": "199.36",
                "max_days_late": 0,
                "months_in_default": 1,
                "repeat_defaults": 0,
                "kinds": [
                  "mpf_unpaid"
                ],
                "reasons_en": [
                  "MPF contributions unpaid after the contribution day"
                ],
                "reasons_zh": [
                  "供款日後仍未繳付強積金供款"
                ],
                "worker_reports": 0
              },
              … (31 in all)
              {
                "rank": 31,
                "level": "yellow",
                "employer_id": "E0000266",
                "employer_name": "Generated Employer 0000266 Ltd",
                "hsic_section": "P",
                "district": "Yau Tsim Mong",
                "headcount": 25,
                "sizable": false,
                "workers_affected": 0,
                "arrears_hkd": "0.00",
                "mpf_arrears_hkd": "0.00",
                "wage_arrears_hkd": "0.00",
                "surcharge_hkd": "0.00",
                "max_days_late": 0,
                "months_in_default": 0,
                "repeat_defaults": 0,
                "kinds": [
                  "report_without_data"
                ],
                "reasons_en": [
                  "worker report, not yet confirmed by data"
                ],
                "reasons_zh": [
                  "工人舉報，尚未獲數據證實"
                ],
                "worker_reports": 1
              }
            ]
        "#]],
    );
}

/// Users and cases name the people acting, who on PostgreSQL are logins of their own (on
/// SQLite the one operating-system user): run where the names are the test's own.
#[test]
fn users_and_cases() {
    let Some(url) = postgres_database("outputs_cases") else {
        return;
    };
    let lmo = Lmo::with_database(url);
    let (admin, officer) = (lmo.acting_as("ho.admin"), lmo.acting_as("wong.officer"));
    let dir = generate_arrears(&lmo, "400");
    // The database administrator adds the first lmo admin, who adds the others.
    lmo.ok(&["users", "add", "ho.admin", "--role", "admin"]);
    admin.ok(&["users", "add", "wong.officer", "--role", "case_officer"]);
    let saved = run_arrears(&officer, &dir, &["--save"]);
    assert_eq!(saved.code, 0, "{}", saved.stderr);

    admin.ok(&["users", "add", "lee.viewer", "--role", "analyst"]);
    admin.ok(&[
        "users",
        "role",
        "lee.viewer",
        "--role",
        "viewer",
        "--note",
        "reads only",
    ]);

    check(
        &lmo,
        &["users", "list", "--csv"],
        &expect![[r#"
            user_name,role,case_access,created_at
            ho.admin,admin,true,<time>
            lee.viewer,viewer,false,<time>
            wong.officer,case_officer,true,<time>
        "#]],
    );
    check(
        &lmo,
        &["users", "list", "--json"],
        &expect![[r#"
        [
          {
            "user_name": "ho.admin",
            "role": "admin",
            "case_access": true,
            "created_at": "<time>"
          },
          {
            "user_name": "lee.viewer",
            "role": "viewer",
            "case_access": false,
            "created_at": "<time>"
          },
          {
            "user_name": "wong.officer",
            "role": "case_officer",
            "case_access": true,
            "created_at": "<time>"
          }
        ]
    "#]],
    );
    check_users_log(
        &lmo,
        &["users", "log", "--csv"],
        &expect![[r#"
            user_name,action,old_role,new_role,by,note,at
            ho.admin,added,,admin,<dba>,,<time>
            wong.officer,added,,case_officer,ho.admin,,<time>
            lee.viewer,added,,analyst,ho.admin,,<time>
            lee.viewer,role_changed,analyst,viewer,ho.admin,reads only,<time>
        "#]],
    );
    check_users_log(
        &lmo,
        &["users", "log", "--json"],
        &expect![[r#"
        [
          {
            "user_name": "ho.admin",
            "action": "added",
            "old_role": null,
            "new_role": "admin",
            "by": "<dba>",
            "note": "",
            "at": "<time>"
          },
          {
            "user_name": "wong.officer",
            "action": "added",
            "old_role": null,
            "new_role": "case_officer",
            "by": "ho.admin",
            "note": "",
            "at": "<time>"
          },
          {
            "user_name": "lee.viewer",
            "action": "added",
            "old_role": null,
            "new_role": "analyst",
            "by": "ho.admin",
            "note": "",
            "at": "<time>"
          },
          {
            "user_name": "lee.viewer",
            "action": "role_changed",
            "old_role": "analyst",
            "new_role": "viewer",
            "by": "ho.admin",
            "note": "reads only",
            "at": "<time>"
          }
        ]
    "#]],
    );

    let saved = ["cases", "saved", "--period", "2025-06"];
    check(
        &officer,
        &[&saved[..], &["--csv"]].concat(),
        &expect![[r#"
            rank,employer_id,employer_name,hsic_section,district,headcount,level,workers_affected,arrears_hkd,surcharge_hkd,max_days_late,months_in_default,kinds,reasons,as_of,detected_at
            1,E0000271,Generated Employer 0000271 Ltd,M,Sai Kung,62,red,12,0.00,0.00,8,1,wages_late,wages_late; group_dispute,2025-07-31,<time>
            2,E0000065,Generated Employer 0000065 Ltd,S,Eastern,46,red,10,155585.35,0.00,0,1,wages_unpaid,wages_unpaid; group_dispute; arrears_orange,2025-07-31,<time>
            3,E0000086,Generated Employer 0000086 Ltd,G,Kwai Tsing,11,yellow,4,3987.22,199.36,0,1,mpf_unpaid,mpf_unpaid,2025-07-31,<time>
            …
            31,E0000266,Generated Employer 0000266 Ltd,P,Yau Tsim Mong,25,yellow,0,0.00,0.00,0,0,report_without_data,report_unconfirmed,2025-07-31,<time>
            (31 rows)
        "#]],
    );
    check(
        &officer,
        &[&saved[..], &["--json"]].concat(),
        &expect![[r#"
            [
              {
                "rank": 1,
                "employer_id": "E0000271",
                "employer_name": "Generated Employer 0000271 Ltd",
                "hsic_section": "M",
                "district": "Sai Kung",
                "headcount": 62,
                "level": "red",
                "workers_affected": 12,
                "arrears_hkd": "0.00",
                "surcharge_hkd": "0.00",
                "max_days_late": 8,
                "months_in_default": 1,
                "kinds": [
                  "wages_late"
                ],
                "reasons": [
                  "wages_late",
                  "group_dispute"
                ],
                "as_of": "2025-07-31",
                "detected_at": "<time>"
              },
              {
                "rank": 2,
                "employer_id": "E0000065",
                "employer_name": "Generated Employer 0000065 Ltd",
                "hsic_section": "S",
                "district": "Eastern",
                "headcount": 46,
                "level": "red",
                "workers_affected": 10,
                "arrears_hkd": "155585.35",
                "surcharge_hkd": "0.00",
                "max_days_late": 0,
                "months_in_default": 1,
                "kinds": [
                  "wages_unpaid"
                ],
                "reasons": [
                  "wages_unpaid",
                  "group_dispute",
                  "arrears_orange"
                ],
                "as_of": "2025-07-31",
                "detected_at": "<time>"
              },
              {
                "rank": 3,
                "employer_id": "E0000086",
                "employer_name": "Generated Employer 0000086 Ltd",
                "hsic_section": "G",
                "district": "Kwai Tsing",
                "headcount": 11,
                "level": "yellow",
                "workers_affected": 4,
                "arrears_hkd": "3987.22",
                "surcharge_hkd": "199.36",
                "max_days_late": 0,
                "months_in_default": 1,
                "kinds": [
                  "mpf_unpaid"
                ],
                "reasons": [
                  "mpf_unpaid"
                ],
                "as_of": "2025-07-31",
                "detected_at": "<time>"
              },
              … (31 in all)
              {
                "rank": 31,
                "employer_id": "E0000266",
                "employer_name": "Generated Employer 0000266 Ltd",
                "hsic_section": "P",
                "district": "Yau Tsim Mong",
                "headcount": 25,
                "level": "yellow",
                "workers_affected": 0,
                "arrears_hkd": "0.00",
                "surcharge_hkd": "0.00",
                "max_days_late": 0,
                "months_in_default": 0,
                "kinds": [
                  "report_without_data"
                ],
                "reasons": [
                  "report_unconfirmed"
                ],
                "as_of": "2025-07-31",
                "detected_at": "<time>"
              }
            ]
        "#]],
    );
    let open = ["cases", "open", "--period", "2025-06", "--level"];
    check(
        &officer,
        &[&open[..], &["red"], &["--csv"]].concat(),
        &expect![[r#"
            case_id,employer_id,level,opened
            1,E0000065,red,true
            2,E0000271,red,true
        "#]],
    );
    check(
        &officer,
        &[&open[..], &["yellow"], &["--json"]].concat(),
        &expect![[r#"
            [
              {
                "case_id": 3,
                "employer_id": "E0000006",
                "level": "yellow",
                "opened": true
              },
              {
                "case_id": 4,
                "employer_id": "E0000010",
                "level": "yellow",
                "opened": true
              },
              {
                "case_id": 5,
                "employer_id": "E0000015",
                "level": "yellow",
                "opened": true
              },
              … (31 in all)
              {
                "case_id": 31,
                "employer_id": "E0000396",
                "level": "yellow",
                "opened": true
              }
            ]
        "#]],
    );
    officer.ok(&[
        "cases",
        "assign",
        "1",
        "--to",
        "wong.officer",
        "--note",
        "to Wong",
    ]);
    officer.ok(&[
        "cases",
        "advance",
        "1",
        "--to",
        "referred",
        "--referral",
        "mpfa",
        "--note",
        "no reply",
    ]);
    let list = ["cases", "list", "--today", "2030-01-01"];
    check(
        &officer,
        &[&list[..], &["--csv"]].concat(),
        &expect![[r#"
            id,state,referral,assignee,level,employer_id,employer_name,period,workers_affected,arrears_hkd,surcharge_hkd,kinds,reasons,next_step_due,days_to_due,opened_at,updated_at,mpf_contribution_day,days_since_mpf_deadline,wage_due_by,days_since_wage_deadline,days_paid_late,days_open
            1,referred,mpfa,wong.officer,red,E0000065,Generated Employer 0000065 Ltd,2025-06,10,155585.35,0.00,wages_unpaid,wages_unpaid; group_dispute; arrears_orange,<masked>,<masked>,<time>,<time>,,,2025-07-07,1639,,<masked>
            2,discover,,,red,E0000271,Generated Employer 0000271 Ltd,2025-06,12,0.00,0.00,wages_late,wages_late; group_dispute,<masked>,<masked>,<time>,<time>,,,,,8,<masked>
            3,discover,,,yellow,E0000006,Generated Employer 0000006 Ltd,2025-06,1,1095.10,54.76,mpf_unpaid,mpf_unpaid,<masked>,<masked>,<time>,<time>,2025-07-10,1636,,,,<masked>
            …
            31,discover,,,yellow,E0000396,Generated Employer 0000396 Ltd,2025-06,2,4699.74,234.99,mpf_unpaid,mpf_unpaid,<masked>,<masked>,<time>,<time>,2025-07-10,1636,,,,<masked>
            (31 rows)
        "#]],
    );
    check(
        &officer,
        &[&list[..], &["--json"]].concat(),
        &expect![[r#"
            [
              {
                "id": 1,
                "state": "referred",
                "referral": "mpfa",
                "assignee": "wong.officer",
                "level": "red",
                "employer_id": "E0000065",
                "employer_name": "Generated Employer 0000065 Ltd",
                "period": "2025-06",
                "workers_affected": 10,
                "arrears_hkd": "155585.35",
                "surcharge_hkd": "0.00",
                "kinds": [
                  "wages_unpaid"
                ],
                "reasons": [
                  "wages_unpaid",
                  "group_dispute",
                  "arrears_orange"
                ],
                "next_step_due": "<masked>",
                "days_to_due": "<masked>",
                "opened_at": "<time>",
                "updated_at": "<time>",
                "mpf_contribution_day": null,
                "days_since_mpf_deadline": null,
                "wage_due_by": "2025-07-07",
                "days_since_wage_deadline": 1639,
                "days_paid_late": null,
                "days_open": "<masked>"
              },
              {
                "id": 2,
                "state": "discover",
                "referral": null,
                "assignee": null,
                "level": "red",
                "employer_id": "E0000271",
                "employer_name": "Generated Employer 0000271 Ltd",
                "period": "2025-06",
                "workers_affected": 12,
                "arrears_hkd": "0.00",
                "surcharge_hkd": "0.00",
                "kinds": [
                  "wages_late"
                ],
                "reasons": [
                  "wages_late",
                  "group_dispute"
                ],
                "next_step_due": "<masked>",
                "days_to_due": "<masked>",
                "opened_at": "<time>",
                "updated_at": "<time>",
                "mpf_contribution_day": null,
                "days_since_mpf_deadline": null,
                "wage_due_by": null,
                "days_since_wage_deadline": null,
                "days_paid_late": 8,
                "days_open": "<masked>"
              },
              {
                "id": 3,
                "state": "discover",
                "referral": null,
                "assignee": null,
                "level": "yellow",
                "employer_id": "E0000006",
                "employer_name": "Generated Employer 0000006 Ltd",
                "period": "2025-06",
                "workers_affected": 1,
                "arrears_hkd": "1095.10",
                "surcharge_hkd": "54.76",
                "kinds": [
                  "mpf_unpaid"
                ],
                "reasons": [
                  "mpf_unpaid"
                ],
                "next_step_due": "<masked>",
                "days_to_due": "<masked>",
                "opened_at": "<time>",
                "updated_at": "<time>",
                "mpf_contribution_day": "2025-07-10",
                "days_since_mpf_deadline": 1636,
                "wage_due_by": null,
                "days_since_wage_deadline": null,
                "days_paid_late": null,
                "days_open": "<masked>"
              },
              … (31 in all)
              {
                "id": 31,
                "state": "discover",
                "referral": null,
                "assignee": null,
                "level": "yellow",
                "employer_id": "E0000396",
                "employer_name": "Generated Employer 0000396 Ltd",
                "period": "2025-06",
                "workers_affected": 2,
                "arrears_hkd": "4699.74",
                "surcharge_hkd": "234.99",
                "kinds": [
                  "mpf_unpaid"
                ],
                "reasons": [
                  "mpf_unpaid"
                ],
                "next_step_due": "<masked>",
                "days_to_due": "<masked>",
                "opened_at": "<time>",
                "updated_at": "<time>",
                "mpf_contribution_day": "2025-07-10",
                "days_since_mpf_deadline": 1636,
                "wage_due_by": null,
                "days_since_wage_deadline": null,
                "days_paid_late": null,
                "days_open": "<masked>"
              }
            ]
        "#]],
    );
    check(
        &officer,
        &["cases", "show", "1", "--today", "2030-01-01", "--json"],
        &expect![[r#"
            {
              "case": {
                "id": 1,
                "state": "referred",
                "referral": "mpfa",
                "assignee": "wong.officer",
                "level": "red",
                "employer_id": "E0000065",
                "employer_name": "Generated Employer 0000065 Ltd",
                "period": "2025-06",
                "workers_affected": 10,
                "arrears_hkd": "155585.35",
                "surcharge_hkd": "0.00",
                "kinds": [
                  "wages_unpaid"
                ],
                "reasons": [
                  "wages_unpaid",
                  "group_dispute",
                  "arrears_orange"
                ],
                "next_step_due": "<masked>",
                "days_to_due": "<masked>",
                "opened_at": "<time>",
                "updated_at": "<time>",
                "mpf_contribution_day": null,
                "days_since_mpf_deadline": null,
                "wage_due_by": "2025-07-07",
                "days_since_wage_deadline": 1639,
                "days_paid_late": null,
                "days_open": "<masked>"
              },
              "audit_log": [
                {
                  "id": 1,
                  "at": "<time>",
                  "user": "wong.officer",
                  "action": "open",
                  "from_state": null,
                  "to_state": "discover",
                  "note": "opened from the 2025-06 arrears results",
                  "due_on": "<masked>"
                },
                {
                  "id": 32,
                  "at": "<time>",
                  "user": "wong.officer",
                  "action": "assign",
                  "from_state": "discover",
                  "to_state": "assigned",
                  "note": "to Wong",
                  "due_on": "<masked>"
                },
                {
                  "id": 33,
                  "at": "<time>",
                  "user": "wong.officer",
                  "action": "refer:mpfa",
                  "from_state": "assigned",
                  "to_state": "referred",
                  "note": "no reply",
                  "due_on": "<masked>"
                }
              ]
            }
        "#]],
    );
}
