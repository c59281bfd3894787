//! `lmo arrears --save`, `lmo users` and `lmo cases` end to end: the saved results hold no
//! HKID and no worker name, saving twice changes nothing, and a case goes from an arrears
//! result to a referral with every step in its audit log, on SQLite and PostgreSQL.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{Lmo, Run, arrears_command, generate_arrears, postgres_database, run_arrears};

/// `lmo arrears --save` as the case officer of [`users`].
fn arrears_save(lmo: &Lmo, dir: &Path) -> Run {
    run_arrears(lmo, dir, &["--save", "--user", "wong.officer", "--json"])
}

/// The HKIDs and worker names in the generated remittance and payroll files.
fn personal_data(dir: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for name in ["mpf_remittances.csv", "payroll.csv"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        for line in text.lines().skip(1) {
            let fields: Vec<&str> = line.split(',').collect();
            found.insert(fields[1].to_owned());
            // The HKID without its check digit, too.
            found.insert(fields[1].split('(').next().unwrap().to_owned());
            found.insert(fields[2].to_owned());
        }
    }
    assert!(found.len() > 100, "too few people to mean anything");
    found
}

/// Where `haystack` holds a generated HKID (`A` + six digits + `(`) or a worker name.
fn leak_in(haystack: &[u8]) -> Option<String> {
    let hkid = haystack.windows(8).position(|window| {
        window[0] == b'A' && window[1..7].iter().all(u8::is_ascii_digit) && window[7] == b'('
    });
    let name = haystack
        .windows(b"Worker 0".len())
        .position(|window| window == b"Worker 0");
    hkid.or(name).map(|at| {
        String::from_utf8_lossy(&haystack[at..(at + 20).min(haystack.len())]).into_owned()
    })
}

fn assert_no_personal_data(what: &str, haystack: &[u8], people: &BTreeSet<String>) {
    if let Some(leak) = leak_in(haystack) {
        panic!("{what} holds personal data: {leak:?}");
    }
    let text = String::from_utf8_lossy(haystack);
    for person in people {
        assert!(!text.contains(person.as_str()), "{what} holds {person:?}");
    }
}

/// Every text value of every table of a PostgreSQL database.
fn postgres_text(url: &str) -> String {
    let mut client = postgres::Client::connect(url, postgres::NoTls).unwrap();
    let columns = client
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = 'public' ORDER BY table_name, column_name",
            &[],
        )
        .unwrap();
    assert!(columns.len() > 20, "too few columns: {}", columns.len());
    let mut text = String::new();
    for row in columns {
        let (table, column): (String, String) = (row.get(0), row.get(1));
        let sql =
            format!("SELECT coalesce(string_agg(\"{column}\"::text, '|'), '') FROM \"{table}\"");
        let value: String = client.query_one(&sql, &[]).unwrap().get(0);
        text.push_str(&value);
        text.push('\n');
    }
    text
}

/// The first admin, then the others added by that admin (only an admin may, once there is
/// one).
fn users(lmo: &Lmo) {
    let out = lmo.ok(&["users", "add", "ho.admin", "--role", "admin"]);
    assert_eq!(out, "added user ho.admin (role admin)\n");
    let refused = lmo.run(&["users", "add", "tam.new", "--role", "admin"]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("only an admin adds users"),
        "{}",
        refused.stderr
    );
    for (name, role) in [("wong.officer", "case_officer"), ("lee.viewer", "viewer")] {
        let out = lmo.ok(&["users", "add", name, "--role", role, "--by", "ho.admin"]);
        assert_eq!(out, format!("added user {name} (role {role})\n"));
    }
}

/// The whole workflow on one store; returns everything printed, for the privacy check.
fn workflow(lmo: &Lmo) -> String {
    let dir = generate_arrears(lmo, "400");
    let mut printed = String::new();

    users(lmo);
    // Saving needs a user with case access.
    let viewer = run_arrears(lmo, &dir, &["--save", "--user", "lee.viewer"]);
    assert_eq!(viewer.code, 1, "{}", viewer.stderr);
    assert!(
        viewer.stderr.contains("has no case access"),
        "{}",
        viewer.stderr
    );
    let first = arrears_save(lmo, &dir);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let listed: Value = serde_json::from_str(&first.stdout).unwrap();
    let listed = listed.as_array().unwrap().len();
    assert!(listed >= 3, "too few employers listed: {listed}");
    assert!(
        first.stderr.contains(&format!(
            "saved {listed} employer results for 2025-06: {listed} new, 0 changed, 0 unchanged, 0 removed"
        )),
        "{}",
        first.stderr
    );
    // Saving the same run again is harmless: nothing changes.
    let again = arrears_save(lmo, &dir);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.stdout, first.stdout);
    assert!(
        again.stderr.contains(&format!(
            "saved {listed} employer results for 2025-06: 0 new, 0 changed, {listed} unchanged, 0 removed"
        )),
        "{}",
        again.stderr
    );
    for run in [&first, &again] {
        printed.push_str(&run.stdout);
        printed.push_str(&run.stderr);
    }

    let users_list = lmo.json(&["users", "list", "--json"]);
    assert_eq!(users_list.as_array().unwrap().len(), 3);

    // The saved run as a case officer reads it back: the employers `lmo arrears` listed,
    // in its order, with its figures.
    let saved = lmo.json(&[
        "cases",
        "saved",
        "--period",
        "2025-06",
        "--user",
        "wong.officer",
        "--json",
    ]);
    let saved = saved.as_array().unwrap();
    let listed_rows: Value = serde_json::from_str(&first.stdout).unwrap();
    let listed_rows = listed_rows.as_array().unwrap();
    assert_eq!(saved.len(), listed_rows.len());
    for (saved, listed) in saved.iter().zip(listed_rows) {
        for field in [
            "rank",
            "employer_id",
            "level",
            "workers_affected",
            "arrears_hkd",
            "surcharge_hkd",
            "employer_name",
        ] {
            assert_eq!(
                saved[field], listed[field],
                "{field} of {}",
                listed["employer_id"]
            );
        }
    }
    let viewer = lmo.run(&[
        "cases",
        "saved",
        "--period",
        "2025-06",
        "--user",
        "lee.viewer",
    ]);
    assert_eq!(viewer.code, 1);
    assert!(
        viewer.stderr.contains("has no case access"),
        "{}",
        viewer.stderr
    );
    printed.push_str(&serde_json::to_string(&saved).unwrap());

    let open = |user: &str| {
        lmo.json(&[
            "cases", "open", "--period", "2025-06", "--level", "yellow", "--user", user, "--json",
        ])
    };
    let opened = open("ho.admin");
    let opened = opened.as_array().unwrap();
    assert_eq!(opened.len(), listed);
    assert!(opened.iter().all(|case| case["opened"] == true));
    // Opening again opens nothing: every employer has its open case.
    let reopened = open("wong.officer");
    assert!(
        reopened
            .as_array()
            .unwrap()
            .iter()
            .all(|case| case["opened"] == false)
    );
    let id = opened[0]["case_id"].as_i64().unwrap().to_string();
    let other = opened[1]["case_id"].as_i64().unwrap().to_string();

    for args in [
        vec![
            "cases",
            "assign",
            &id,
            "--to",
            "wong.officer",
            "--user",
            "ho.admin",
            "--note",
            "to Wong",
        ],
        vec![
            "cases",
            "advance",
            &id,
            "--to",
            "intervening",
            "--user",
            "wong.officer",
            "--note",
            "called the employer",
        ],
        vec![
            "cases",
            "advance",
            &id,
            "--to",
            "referred",
            "--referral",
            "mpfa",
            "--user",
            "wong.officer",
            "--note",
            "no payment after 14 days",
        ],
    ] {
        printed.push_str(&lmo.ok(&args));
    }

    let shown = lmo.json(&[
        "cases",
        "show",
        &id,
        "--user",
        "wong.officer",
        "--today",
        "2025-08-31",
        "--json",
    ]);
    assert_eq!(shown["case"]["state"], "referred");
    assert_eq!(shown["case"]["referral"], "mpfa");
    assert_eq!(shown["case"]["assignee"], "wong.officer");
    assert_eq!(shown["case"]["mpf_contribution_day"], "2025-07-10");
    assert_eq!(shown["case"]["days_since_mpf_deadline"], 52);
    assert_eq!(shown["case"]["wage_due_by"], "2025-07-07");
    assert_eq!(shown["case"]["days_since_wage_deadline"], 55);
    let log: Vec<(String, String, String)> = shown["audit_log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| {
            assert!(!event["at"].as_str().unwrap().is_empty());
            (
                event["user"].as_str().unwrap().to_owned(),
                event["action"].as_str().unwrap().to_owned(),
                event["note"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let step = |user: &str, action: &str, note: &str| {
        (user.to_owned(), action.to_owned(), note.to_owned())
    };
    assert_eq!(
        log,
        [
            step(
                "ho.admin",
                "open",
                "opened from the 2025-06 arrears results"
            ),
            step("ho.admin", "assign", "to Wong"),
            step("wong.officer", "intervene", "called the employer"),
            step("wong.officer", "refer:mpfa", "no payment after 14 days"),
        ]
    );
    let text = lmo.ok(&["cases", "show", &id, "--user", "ho.admin"]);
    assert!(
        text.contains("refer:mpfa") && text.contains("no payment after 14 days"),
        "{text}"
    );
    printed.push_str(&text);

    // Invalid transitions fail with exit code 1 and say why; nothing changes.
    let closed = lmo.run(&[
        "cases",
        "advance",
        &id,
        "--to",
        "resolved",
        "--user",
        "wong.officer",
        "--note",
        "paid",
    ]);
    assert_eq!(closed.code, 1, "{}", closed.stderr);
    assert!(
        closed.stderr.contains(&format!(
            "case {id} is referred: it cannot move to resolved (allowed: none: the case is closed)"
        )),
        "{}",
        closed.stderr
    );
    let skipped = lmo.run(&[
        "cases",
        "advance",
        &other,
        "--to",
        "intervening",
        "--user",
        "wong.officer",
        "--note",
        "x",
    ]);
    assert_eq!(skipped.code, 1, "{}", skipped.stderr);
    assert!(
        skipped
            .stderr
            .contains("is discover: it cannot move to intervening (allowed: assigned, referred)"),
        "{}",
        skipped.stderr
    );

    // A viewer has no case access; neither has an unknown user.
    let viewer = lmo.run(&["cases", "list", "--user", "lee.viewer"]);
    assert_eq!(viewer.code, 1);
    assert!(
        viewer
            .stderr
            .contains("user lee.viewer (role viewer) has no case access"),
        "{}",
        viewer.stderr
    );
    assert!(viewer.stdout.is_empty());
    let stranger = lmo.run(&["cases", "show", &id, "--user", "nobody"]);
    assert_eq!(stranger.code, 1);
    assert!(
        stranger.stderr.contains("unknown user 'nobody'"),
        "{}",
        stranger.stderr
    );

    let referred = lmo.json(&[
        "cases",
        "list",
        "--state",
        "referred",
        "--user",
        "wong.officer",
        "--json",
    ]);
    assert_eq!(referred.as_array().unwrap().len(), 1);
    let open_cases = lmo.json(&[
        "cases",
        "list",
        "--open",
        "--user",
        "wong.officer",
        "--json",
    ]);
    assert_eq!(open_cases.as_array().unwrap().len(), listed - 1);
    let table = lmo.ok(&[
        "cases",
        "list",
        "--user",
        "wong.officer",
        "--today",
        "2025-08-31",
    ]);
    assert!(table.contains("referred:mpfa"), "{table}");
    assert!(table.contains("2025-07-10"), "{table}");
    printed.push_str(&table);
    printed.push_str(&lmo.ok(&["cases", "list", "--user", "wong.officer", "--csv"]));

    // The officer leaves the team: an admin takes the role away, and the case data with it.
    let changed = lmo.ok(&[
        "users",
        "role",
        "wong.officer",
        "--role",
        "viewer",
        "--by",
        "ho.admin",
        "--note",
        "moved to the research team",
    ]);
    assert_eq!(
        changed,
        "user wong.officer now has the role viewer (case access: no)\n"
    );
    let former = lmo.run(&["cases", "list", "--user", "wong.officer"]);
    assert_eq!(former.code, 1);
    assert!(
        former.stderr.contains("has no case access"),
        "{}",
        former.stderr
    );
    let not_admin = lmo.run(&[
        "users",
        "role",
        "lee.viewer",
        "--role",
        "admin",
        "--by",
        "wong.officer",
        "--note",
        "x",
    ]);
    assert_eq!(not_admin.code, 1);
    assert!(
        not_admin.stderr.contains("is not an admin"),
        "{}",
        not_admin.stderr
    );
    let log = lmo.json(&["users", "log", "--json"]);
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 4, "{log:?}");
    assert_eq!(log[3]["action"], "role_changed");
    assert_eq!(log[3]["old_role"], "case_officer");
    assert_eq!(log[3]["new_role"], "viewer");
    assert_eq!(log[3]["by"], "ho.admin");
    assert_eq!(log[3]["note"], "moved to the research team");
    assert_eq!(log[1]["by"], "ho.admin");
    assert!(log[0]["by"].is_null(), "the first admin is added by nobody");
    printed.push_str(&lmo.ok(&["users", "log"]));
    printed
}

fn sqlite_files(lmo: &Lmo) -> Vec<PathBuf> {
    let database = lmo.path("test.sqlite");
    let mut files = vec![database.clone()];
    for suffix in ["-wal", "-shm"] {
        let mut name = database.clone().into_os_string();
        name.push(suffix);
        let path = PathBuf::from(name);
        if path.exists() {
            files.push(path);
        }
    }
    files
}

#[test]
fn sqlite_case_workflow_and_no_personal_data_in_the_database() {
    let lmo = Lmo::sqlite();
    let printed = workflow(&lmo);
    let people = personal_data(&lmo.path("generated"));
    assert_no_personal_data("the output", printed.as_bytes(), &people);
    let files = sqlite_files(&lmo);
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        assert_no_personal_data(&file.display().to_string(), &bytes, &people);
    }
    // The check can see what it looks for: employer names are stored.
    let database = std::fs::read(&files[0]).unwrap();
    let wal = files
        .get(1)
        .map(|path| std::fs::read(path).unwrap())
        .unwrap_or_default();
    let needle = b"Generated Employer";
    assert!(
        database.windows(needle.len()).any(|w| w == needle)
            || wal.windows(needle.len()).any(|w| w == needle),
        "employer names not found: the byte scan sees nothing"
    );
}

#[test]
fn postgres_case_workflow_and_no_personal_data_in_the_database() {
    let Some(url) = postgres_database("cases") else {
        return;
    };
    let lmo = Lmo::with_database(url.clone());
    let printed = workflow(&lmo);
    let people = personal_data(&lmo.path("generated"));
    assert_no_personal_data("the output", printed.as_bytes(), &people);
    let stored = postgres_text(&url);
    assert!(
        stored.contains("Generated Employer"),
        "the scan sees nothing"
    );
    assert_no_personal_data("the PostgreSQL database", stored.as_bytes(), &people);
}

#[test]
fn hkids_and_names_in_the_wrong_columns_reach_neither_stderr_nor_the_rejects_file() {
    let lmo = Lmo::sqlite();
    let dir = generate_arrears(&lmo, "40");
    let people = personal_data(&dir);
    // Payroll rows with an HKID in employer_id and in hours_worked, a name in paid_on, and
    // a name with an unquoted comma spilling into the next cell.
    let path = dir.join("payroll.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    for (index, line) in lines.iter_mut().enumerate().skip(1).take(40) {
        let mut cells: Vec<String> = line.split(',').map(str::to_owned).collect();
        let (hkid, name) = (cells[1].clone(), cells[2].clone());
        match index % 4 {
            0 => cells[0] = hkid,
            1 => cells[8] = hkid,
            2 => cells[7] = name,
            _ => cells[2] = name.replacen(' ', ", ", 1),
        }
        *line = cells.join(",");
    }
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    let rejects = lmo.path("rejects.csv");
    let run = run_arrears(&lmo, &dir, &["--rejects", rejects.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written = std::fs::read(&rejects).unwrap();
    assert!(
        written
            .windows(b"payroll.csv".len())
            .filter(|w| w == b"payroll.csv")
            .count()
            >= 40,
        "{}",
        String::from_utf8_lossy(&written)
    );
    assert!(run.stderr.contains("rejected"), "{}", run.stderr);
    assert_no_personal_data("stderr", run.stderr.as_bytes(), &people);
    assert_no_personal_data("the rejects file", &written, &people);
}

#[test]
fn leak_scan_finds_hkids_and_names() {
    assert_eq!(leak_in(b"x,A000123(4),y"), Some("A000123(4),y".to_owned()));
    assert_eq!(
        leak_in(b"x Worker 0000123"),
        Some("Worker 0000123".to_owned())
    );
    assert_eq!(leak_in(b"E0000123,Generated Employer 0000123 Ltd"), None);
}

#[test]
fn a_killed_arrears_save_leaves_the_store_as_it_was() {
    use std::io::Write as _;

    let lmo = Lmo::sqlite();
    let dir = generate_arrears(&lmo, "200");
    users(&lmo);
    let first = arrears_save(&lmo, &dir);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let listed: Value = serde_json::from_str(&first.stdout).unwrap();
    let listed = listed.as_array().unwrap().len();

    // A FIFO as the remittance file lets the test kill lmo while it is reading.
    let fifo = lmo.path("remittances.fifo");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(status.success());
    let file = |name: &str| dir.join(name).display().to_string();
    let mut child = arrears_command(
        &lmo,
        &[
            "--register",
            &file("employers.csv"),
            "--mpf",
            fifo.to_str().unwrap(),
            "--save",
            "--user",
            "wong.officer",
        ],
    )
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null())
    .spawn()
    .unwrap();
    let mut writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    let remittances = std::fs::read_to_string(dir.join("mpf_remittances.csv")).unwrap();
    let mut lines = remittances.lines();
    writeln!(writer, "{}", lines.next().unwrap()).unwrap();
    // Unpaid contributions of every employer, far more than a pipe buffer: saved, this run
    // would change every result. The writer stays open, so lmo is still reading when killed.
    for line in lines.cycle().take(20_000) {
        let mut fields: Vec<&str> = line.split(',').collect();
        fields[8] = "";
        writeln!(writer, "{}", fields.join(",")).unwrap();
    }
    child.kill().unwrap();
    child.wait().unwrap();
    drop(writer);

    let again = arrears_save(&lmo, &dir);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again
            .stderr
            .contains(&format!("0 new, 0 changed, {listed} unchanged, 0 removed")),
        "{}",
        again.stderr
    );
}
