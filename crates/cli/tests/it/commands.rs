//! What users and scripts rely on: results on stdout, messages on stderr, exit codes,
//! all-or-nothing imports, vintages, round trips.

use crate::support::{Lmo, SEV, data};

#[test]
fn help_lists_every_command() {
    let lmo = Lmo::sqlite();
    let help = lmo.ok(&["--help"]);
    for command in [
        "ingest",
        "series",
        "export",
        "imports",
        "demo",
        "Exit codes",
    ] {
        assert!(help.contains(command), "{command} missing from:\n{help}");
    }
    assert!(lmo.ok(&["series", "show", "--help"]).contains("--as-of"));
    assert_eq!(lmo.run(&["no-such-command"]).code, 2);
}

#[test]
fn importing_twice_changes_nothing() {
    let lmo = Lmo::sqlite();
    let sev = data(SEV);
    let first = lmo.json(&["ingest", "--json", &sev]);
    assert_eq!(first[0]["rows_new"], 15210);
    assert_eq!(first[0]["series_created"], 154);
    assert_eq!(first[0]["file_vintage"], "2025-12-19");
    let second = lmo.json(&["ingest", "--json", &sev]);
    assert_eq!(second[0]["rows_new"], 0);
    assert_eq!(second[0]["rows_revised"], 0);
    assert_eq!(second[0]["rows_unchanged"], 15210);
    let imports = lmo.json(&["imports", "--json"]);
    assert_eq!(imports.as_array().unwrap().len(), 2);
}

#[test]
fn a_bad_row_rolls_back_the_whole_file() {
    let lmo = Lmo::sqlite();
    let text = std::fs::read_to_string(data(SEV))
        .unwrap()
        .replacen(",51452,", ",51452x,", 1);
    let path = lmo.path("sev.csv");
    std::fs::write(&path, text).unwrap();
    let run = lmo.run(&["ingest", path.to_str().unwrap()]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stdout.contains("ROLLED BACK"), "{}", run.stdout);
    assert!(
        run.stderr
            .contains(":2271:8 (column 'Number of vacancies (No.)'): '51452x' is not a number"),
        "{}",
        run.stderr
    );
    assert_eq!(
        lmo.json(&["series", "list", "--json"]),
        serde_json::json!([])
    );
    let rejects_path = lmo.path("rejects/sev.csv.rejects.csv");
    // A rejected row is what a file said: only its owner reads it.
    let mode = |path: &std::path::Path| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    };
    assert_eq!(mode(&rejects_path), 0o600);
    assert_eq!(mode(rejects_path.parent().unwrap()), 0o700);
    let rejects = std::fs::read_to_string(&rejects_path).unwrap();
    let lines: Vec<&str> = rejects.lines().collect();
    assert_eq!(lines[0], "file,sheet,line,column,reason,row");
    assert_eq!(lines.len(), 2);
    assert!(
        lines[1].contains(",2271,8,'51452x' is not a number,"),
        "{}",
        lines[1]
    );

    let partial = lmo.json(&[
        "ingest",
        "--json",
        "--allow-partial",
        path.to_str().unwrap(),
    ]);
    assert_eq!(partial[0]["committed"], true);
    assert_eq!(partial[0]["rejected"], 1);
    assert_eq!(partial[0]["rows_new"], 15209);
}

#[test]
fn unknown_formats_and_missing_files_exit_3_with_a_reason() {
    let lmo = Lmo::sqlite();
    let path = lmo.path("odd.csv");
    std::fs::write(&path, "a,b,c\n1,2,3\n").unwrap();
    let run = lmo.run(&["ingest", path.to_str().unwrap()]);
    assert_eq!(run.code, 3);
    assert!(
        run.stderr
            .contains("unknown format; lmo reads csd-table, csd-api, fred, alfred, long"),
        "{}",
        run.stderr
    );
    // The file is named once, where the reason is.
    assert_eq!(run.stderr.matches("odd.csv").count(), 1, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let missing = lmo.run(&["ingest", "/no/such/file.csv"]);
    assert_eq!(missing.code, 3);
    assert!(
        missing
            .stderr
            .starts_with("error: cannot open /no/such/file.csv")
    );
}

#[test]
fn a_bad_database_url_is_a_plain_error() {
    let lmo = Lmo::with_database("mysql://nope".to_owned());
    let run = lmo.run(&["series", "list"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("'mysql://nope' is not a database URL"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"));
}

#[test]
fn a_revision_is_a_new_vintage_and_as_of_sees_the_old_value() {
    let lmo = Lmo::sqlite();
    lmo.ok(&["ingest", &data("us/fred/UNRATE.csv")]);
    let revision = lmo.path("revision.csv");
    std::fs::write(
        &revision,
        "series_id,period,value\nfred.UNRATE,2020-04,14.8\n",
    )
    .unwrap();
    let report = lmo.json(&[
        "ingest",
        "--json",
        "--vintage",
        "2020-06-05",
        revision.to_str().unwrap(),
    ]);
    assert_eq!(report[0]["rows_revised"], 1);
    let value_on = |as_of: &str| {
        let series = lmo.json(&["series", "show", "fred.UNRATE", "--json", "--as-of", as_of]);
        let observations = series["observations"].as_array().unwrap().clone();
        observations
            .into_iter()
            .find(|observation| observation["period"] == "2020-04")
            .map(|observation| observation["value"].as_f64().unwrap())
    };
    // First release estimated from the publication lag: period end (Apr 30) + 30 days.
    assert_eq!(value_on("2020-05-29"), None);
    assert_eq!(value_on("2020-05-30"), Some(14.7));
    assert_eq!(value_on("2020-06-04"), Some(14.7));
    assert_eq!(value_on("2020-06-05"), Some(14.8));
    let vintages = lmo.json(&["series", "vintages", "fred.UNRATE", "2020-04", "--json"]);
    assert_eq!(vintages.as_array().unwrap().len(), 2);
}

#[test]
fn export_then_import_reproduces_the_store() {
    let source = Lmo::sqlite();
    source.ok(&["ingest", &data(SEV), &data("us/fred/UNRATE.csv")]);
    let metadata = source.path("series.csv");
    let observations = source.path("observations.csv");
    source.ok(&[
        "export",
        "--format",
        "series-meta",
        "-o",
        metadata.to_str().unwrap(),
    ]);
    source.ok(&["export", "-o", observations.to_str().unwrap()]);

    let copy = Lmo::sqlite();
    let report = copy.json(&[
        "ingest",
        "--json",
        metadata.to_str().unwrap(),
        observations.to_str().unwrap(),
    ]);
    assert_eq!(report[0]["format"], "series-meta");
    assert_eq!(report[1]["format"], "long");
    assert_eq!(report[1]["rows_new"], 15210 + 911);
    assert_eq!(copy.ok(&["export"]), source.ok(&["export"]));
    assert_eq!(
        copy.ok(&["series", "list", "--csv"]),
        source.ok(&["series", "list", "--csv"])
    );
}

#[test]
fn the_demo_is_a_briefing_and_writes_the_report() {
    let lmo = Lmo::sqlite();
    let mut command = lmo.command();
    command.env_remove("LMO_DATABASE_URL").arg("demo");
    let run = crate::support::finish(command.output().unwrap());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("285 series, 19479 observations from 13 files"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.lines().count() <= 40,
        "the briefing is longer than 40 lines:\n{}",
        run.stdout
    );
    let vacancies = run
        .stdout
        .lines()
        .find(|line| line.contains("Job vacancies"))
        .expect("a vacancies line");
    assert!(
        vacancies.contains("51,452") && vacancies.contains("Sep 2025"),
        "{vacancies}"
    );
    for section in [
        "Headline figures 主要數字",
        "Employment climate index 就業景氣指數",
        "Watch-list 重點監測行業預警名單",
        "Open alerts 預警",
        "GENERATED DATA 模擬數據",
        "Report 就業形勢分析報告",
    ] {
        assert!(
            run.stdout.contains(section),
            "{section} missing:\n{}",
            run.stdout
        );
    }
    // No derived series is listed as a latest figure: the briefing shows none at all.
    assert!(!run.stdout.contains("lmo.yoy_pct"), "{}", run.stdout);
    assert!(lmo.path("demo/lmo-demo.sqlite").exists());
    for extension in ["html", "xlsx"] {
        assert!(
            run.stdout
                .lines()
                .any(|line| line.trim().ends_with(&format!(".{extension}"))
                    && std::path::Path::new(line.trim()).exists()),
            "no {extension} report written:\n{}",
            run.stdout
        );
    }
}

#[test]
fn environment_wins_over_the_config_file() {
    let lmo = Lmo::sqlite();
    let config = lmo.path("lmo.toml");
    let configured = lmo.path("from-config.sqlite");
    std::fs::write(
        &config,
        format!("database_url = \"sqlite://{}\"\n", configured.display()),
    )
    .unwrap();
    let mut command = lmo.command();
    command
        .env("LMO_CONFIG", &config)
        .args(["ingest", &data("us/fred/UNRATE.csv")]);
    assert_eq!(crate::support::finish(command.output().unwrap()).code, 0);
    assert!(!configured.exists(), "LMO_DATABASE_URL should have won");
    let mut command = lmo.command();
    command
        .env_remove("LMO_DATABASE_URL")
        .env("LMO_CONFIG", &config)
        .args(["ingest", &data("us/fred/UNRATE.csv")]);
    assert_eq!(crate::support::finish(command.output().unwrap()).code, 0);
    assert!(
        configured.exists(),
        "the config file's database_url should be used"
    );
}

#[test]
fn a_duplicate_period_names_both_lines_and_imports_nothing() {
    let lmo = Lmo::sqlite();
    lmo.ok(&["ingest", &data("us/fred/UNRATE.csv")]);
    let path = lmo.path("dup.csv");
    std::fs::write(
        &path,
        "series_id,period,value\nfred.UNRATE,2030-01,4.0\nfred.UNRATE,2030-02,4.1\nfred.UNRATE,2030-01,4.2\n",
    )
    .unwrap();
    let run = lmo.run(&["ingest", path.to_str().unwrap()]);
    assert_eq!(run.code, 3);
    assert!(
        run.stderr.contains(
            "dup.csv:2: period 2030-01 of series fred.UNRATE appears more than once (lines 2, 4)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("dup.csv:4: "), "{}", run.stderr);
    let series = lmo.json(&["series", "show", "fred.UNRATE", "--json"]);
    let last = series["observations"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(
        last["period"], "2023-11",
        "the good row 2030-02 must not be imported either"
    );
}

#[test]
fn a_killed_import_leaves_the_store_as_it_was() {
    use std::fmt::Write as _;
    use std::io::Write as _;

    let lmo = Lmo::sqlite();
    let metadata = lmo.path("series.csv");
    let mut declarations = String::from("series_id,title_en,frequency\n");
    for series in 1..=5 {
        writeln!(declarations, "bench.s{series},Test series {series},monthly").unwrap();
    }
    std::fs::write(&metadata, declarations).unwrap();
    lmo.ok(&["ingest", metadata.to_str().unwrap()]);
    // A FIFO lets the test stop feeding rows and kill lmo while it is mid-import.
    let fifo = lmo.path("rows.csv");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let mut child = lmo
        .command()
        .args(["ingest", fifo.to_str().unwrap()])
        .spawn()
        .unwrap();
    let mut writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    writeln!(writer, "series_id,period,value").unwrap();
    // Far more than a pipe buffer: lmo has read and staged rows by the time this returns.
    for series in 1..=5 {
        for month_index in 0..4_800 {
            let (year, month) = (1800 + month_index / 12, month_index % 12 + 1);
            writeln!(writer, "bench.s{series},{year}-{month:02},{month_index}").unwrap();
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(writer);

    let series = lmo.json(&["series", "list", "--json"]);
    for series in series.as_array().unwrap() {
        assert_eq!(
            series["n_periods"], 0,
            "no row of the killed import may be visible"
        );
    }
    assert_eq!(
        lmo.json(&["imports", "--json"]).as_array().unwrap().len(),
        1
    );
    // And the store still works.
    let rows = lmo.path("rows2.csv");
    std::fs::write(&rows, "series_id,period,value\nbench.s1,2025-01,1\n").unwrap();
    let report = lmo.json(&["ingest", "--json", rows.to_str().unwrap()]);
    assert_eq!(report[0]["rows_new"], 1);
}
