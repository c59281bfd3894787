//! `lmo arrears --save`, `lmo users` and `lmo cases` end to end: the saved results hold no
//! HKID and no worker name, saving twice changes nothing, and a case goes from an arrears
//! result to a referral with every step in its audit log, on SQLite and PostgreSQL.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{
    Lmo, Run, arrears_command, generate_arrears, os_user, postgres_database, run_arrears,
};

/// `lmo arrears --save` by whoever `lmo` runs as.
fn arrears_save(lmo: &Lmo, dir: &Path) -> Run {
    run_arrears(lmo, dir, &["--save", "--json"])
}

/// Who acts in the workflow. On PostgreSQL each is a database login of its own; a SQLite
/// store is one operating-system user's file, so there that user is the admin and does the
/// case officer's work, and there is no one else to act.
struct Cast {
    /// Adds the first admin: the database administrator on PostgreSQL.
    bootstrap: Lmo,
    admin: Lmo,
    admin_name: String,
    officer: Lmo,
    officer_name: String,
    viewer: Option<Lmo>,
    /// A login that is no lmo user.
    stranger: Option<Lmo>,
}

impl Cast {
    fn sqlite(lmo: &Lmo) -> Cast {
        Cast {
            bootstrap: lmo.clone(),
            admin: lmo.clone(),
            admin_name: os_user(),
            officer: lmo.clone(),
            officer_name: os_user(),
            viewer: None,
            stranger: None,
        }
    }

    fn postgres(lmo: &Lmo) -> Cast {
        Cast {
            bootstrap: lmo.clone(),
            admin: lmo.acting_as("ho.admin"),
            admin_name: "ho.admin".to_owned(),
            officer: lmo.acting_as("wong.officer"),
            officer_name: "wong.officer".to_owned(),
            viewer: Some(lmo.acting_as("lee.viewer")),
            stranger: Some(lmo.acting_as("tam.stranger")),
        }
    }
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
/// one). The officer and the viewer are users on SQLite too, where they cannot act: cases
/// are assigned to them.
fn users(cast: &Cast) {
    let out = cast
        .bootstrap
        .ok(&["users", "add", &cast.admin_name, "--role", "admin"]);
    assert_eq!(
        out,
        format!("added user {} (role admin)\n", cast.admin_name)
    );
    if let Some(stranger) = &cast.stranger {
        // A login that is no lmo user has no grants: the database refuses it the store.
        let refused = stranger.run(&["users", "add", "tam.stranger", "--role", "admin"]);
        assert_eq!(refused.code, 1);
        assert!(
            refused
                .stderr
                .contains("the database refused this login: permission denied"),
            "{}",
            refused.stderr
        );
    }
    for (name, role) in [("wong.officer", "case_officer"), ("lee.viewer", "viewer")] {
        if name == cast.admin_name {
            continue;
        }
        let out = cast.admin.ok(&["users", "add", name, "--role", role]);
        assert_eq!(out, format!("added user {name} (role {role})\n"));
    }
}

/// `args` with `lmo cases …` printed rows as of a fixed day.
fn as_of_2030<'a>(args: &[&'a str]) -> Vec<&'a str> {
    [args, &["--today", "2030-01-01"]].concat()
}

/// The whole workflow on one store; returns everything printed, for the privacy check.
fn workflow(lmo: &Lmo, people: &Cast) -> String {
    let dir = generate_arrears(lmo, "400");
    let mut printed = String::new();
    let (admin, officer) = (&people.admin, &people.officer);
    let (admin_name, officer_name) = (people.admin_name.as_str(), people.officer_name.as_str());

    users(people);
    // Saving needs a user with case access.
    if let Some(viewer) = &people.viewer {
        let refused = run_arrears(viewer, &dir, &["--save"]);
        assert_eq!(refused.code, 1, "{}", refused.stderr);
        assert!(
            refused.stderr.contains("has no case access"),
            "{}",
            refused.stderr
        );
    }
    let first = arrears_save(officer, &dir);
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
    let again = arrears_save(officer, &dir);
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
    let saved = officer.json(&["cases", "saved", "--period", "2025-06", "--json"]);
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
    if let Some(viewer) = &people.viewer {
        let refused = viewer.run(&["cases", "saved", "--period", "2025-06"]);
        assert_eq!(refused.code, 1);
        assert!(
            refused.stderr.contains("has no case access"),
            "{}",
            refused.stderr
        );
    }
    printed.push_str(&serde_json::to_string(&saved).unwrap());

    let open = |by: &Lmo| {
        by.json(&[
            "cases", "open", "--period", "2025-06", "--level", "yellow", "--json",
        ])
    };
    let opened = open(admin);
    let opened = opened.as_array().unwrap();
    assert_eq!(opened.len(), listed);
    assert!(opened.iter().all(|case| case["opened"] == true));
    // Opening again opens nothing: every employer has its open case.
    let reopened = open(officer);
    assert!(
        reopened
            .as_array()
            .unwrap()
            .iter()
            .all(|case| case["opened"] == false)
    );
    let id = opened[0]["case_id"].as_i64().unwrap().to_string();
    let other = opened[1]["case_id"].as_i64().unwrap().to_string();

    printed.push_str(&admin.ok(&[
        "cases",
        "assign",
        &id,
        "--to",
        "wong.officer",
        "--note",
        "to Wong",
    ]));
    for args in [
        [
            "--to",
            "intervening",
            "--how",
            "call",
            "--note",
            "called the employer",
        ],
        // A second contact is a step of its own.
        [
            "--to",
            "intervening",
            "--how",
            "visit",
            "--note",
            "visited the site office",
        ],
        [
            "--to",
            "referred",
            "--referral",
            "mpfa",
            "--note",
            "no payment after 14 days",
        ],
    ] {
        printed.push_str(&officer.ok(&[&["cases", "advance", &id][..], &args].concat()));
    }

    // Timers count to a day after the case was opened (today, when the test runs).
    let shown = officer.json(&as_of_2030(&["cases", "show", &id, "--json"]));
    let case = &shown["case"];
    assert_eq!(case["state"], "referred");
    assert_eq!(case["referral"], "mpfa");
    assert_eq!(case["assignee"], "wong.officer");
    // The case keeps the facts it was opened on, and its timers follow from them: a deadline
    // runs only for what is unpaid.
    assert!(case["workers_affected"].as_i64().unwrap() > 0, "{case}");
    assert!(!case["reasons"].as_array().unwrap().is_empty(), "{case}");
    let kinds: Vec<&str> = case["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|kind| kind.as_str().unwrap())
        .collect();
    let owes = |owed: &[&str]| kinds.iter().any(|kind| owed.contains(kind));
    if owes(&["mpf_unpaid", "mpf_short"]) {
        assert_eq!(case["mpf_contribution_day"], "2025-07-10");
        // 2025-07-10 to 2030-01-01.
        assert_eq!(case["days_since_mpf_deadline"], 1636);
    } else {
        assert_eq!(case["days_since_mpf_deadline"], Value::Null);
    }
    if owes(&["wages_unpaid", "wages_short", "below_minimum_wage"]) {
        assert_eq!(case["wage_due_by"], "2025-07-07");
        assert_eq!(case["days_since_wage_deadline"], 1639);
    } else {
        assert_eq!(case["days_since_wage_deadline"], Value::Null);
    }
    // A referral's outcome is checked on by the deadline: 30 days after the referral.
    assert!(case["next_step_due"].is_string(), "{case}");
    let before_opening = officer.run(&["cases", "show", &id, "--today", "2025-08-31"]);
    assert_eq!(before_opening.code, 1);
    assert!(
        before_opening
            .stderr
            .contains(&format!("2025-08-31 is before case {id} was opened")),
        "{}",
        before_opening.stderr
    );
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
                admin_name,
                "open",
                "opened from the 2025-06 arrears results"
            ),
            step(admin_name, "assign", "to Wong"),
            step(officer_name, "intervene:call", "called the employer"),
            step(officer_name, "intervene:visit", "visited the site office"),
            step(officer_name, "refer:mpfa", "no payment after 14 days"),
        ]
    );
    let text = admin.ok(&["cases", "show", &id]);
    assert!(
        text.contains("refer:mpfa") && text.contains("no payment after 14 days"),
        "{text}"
    );
    printed.push_str(&text);

    // Invalid transitions fail with exit code 1 and say why; nothing changes.
    let no_how = officer.run(&[
        "cases",
        "advance",
        &other,
        "--to",
        "referred",
        "--how",
        "call",
        "--referral",
        "mpfa",
        "--note",
        "x",
    ]);
    assert_eq!(no_how.code, 1, "{}", no_how.stderr);
    assert!(
        no_how.stderr.contains("only for an intervention"),
        "{}",
        no_how.stderr
    );
    let skipped = officer.run(&[
        "cases",
        "advance",
        &other,
        "--to",
        "intervening",
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

    // A viewer has no case access; neither has a login that is no lmo user.
    if let (Some(viewer), Some(stranger)) = (&people.viewer, &people.stranger) {
        let refused = viewer.run(&["cases", "list"]);
        assert_eq!(refused.code, 1);
        assert!(
            refused
                .stderr
                .contains("user lee.viewer (role viewer) has no case access"),
            "{}",
            refused.stderr
        );
        assert!(refused.stdout.is_empty());
        let refused = stranger.run(&["cases", "show", &id]);
        assert_eq!(refused.code, 1);
        assert!(
            refused
                .stderr
                .contains("the database refused this login: permission denied"),
            "{}",
            refused.stderr
        );
    }

    let referred = officer.json(&["cases", "list", "--state", "referred", "--json"]);
    assert_eq!(referred.as_array().unwrap().len(), 1);
    // A referred case awaits its outcome: still open.
    let open_cases = officer.json(&["cases", "list", "--open", "--json"]);
    assert_eq!(open_cases.as_array().unwrap().len(), listed);
    let table = officer.ok(&as_of_2030(&["cases", "list"]));
    assert!(table.contains("referred:mpfa"), "{table}");
    printed.push_str(&table);

    // The referral's outcome resolves the case; a resolved case moves no more.
    printed.push_str(&officer.ok(&[
        "cases",
        "advance",
        &id,
        "--to",
        "resolved",
        "--note",
        "MPFA recovered the contributions",
    ]));
    let closed = officer.run(&[
        "cases",
        "advance",
        &id,
        "--to",
        "intervening",
        "--how",
        "call",
        "--note",
        "x",
    ]);
    assert_eq!(closed.code, 1, "{}", closed.stderr);
    assert!(
        closed.stderr.contains(&format!(
            "case {id} is resolved: it cannot move to intervening (allowed: none: the case is closed)"
        )),
        "{}",
        closed.stderr
    );
    // Every open case has a next step due; `cases due` lists what is due, most urgent first.
    let due = officer.json(&["cases", "due", "--within", "3650", "--json"]);
    let due = due.as_array().unwrap();
    assert_eq!(due.len(), listed - 1);
    let days: Vec<i64> = due
        .iter()
        .map(|case| case["days_to_due"].as_i64().unwrap())
        .collect();
    assert!(days.is_sorted(), "{days:?}");
    printed.push_str(&officer.ok(&["cases", "list", "--csv"]));

    // The officer leaves the team: an admin takes the role away, and the case data with it.
    let changed = admin.ok(&[
        "users",
        "role",
        "wong.officer",
        "--role",
        "viewer",
        "--note",
        "moved to the research team",
    ]);
    assert_eq!(
        changed,
        "user wong.officer now has the role viewer (case access: no)\n"
    );
    if people.viewer.is_some() {
        let former = officer.run(&["cases", "list"]);
        assert_eq!(former.code, 1);
        assert!(
            former.stderr.contains("has no case access"),
            "{}",
            former.stderr
        );
        let not_admin = officer.run(&[
            "users",
            "role",
            "lee.viewer",
            "--role",
            "admin",
            "--note",
            "x",
        ]);
        assert_eq!(not_admin.code, 1);
        assert!(
            not_admin.stderr.contains("is not an admin"),
            "{}",
            not_admin.stderr
        );
    }
    let log = lmo.json(&["users", "log", "--json"]);
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 4, "{log:?}");
    assert_eq!(log[3]["action"], "role_changed");
    assert_eq!(log[3]["old_role"], "case_officer");
    assert_eq!(log[3]["new_role"], "viewer");
    assert_eq!(log[3]["by"], admin_name);
    assert_eq!(log[3]["note"], "moved to the research team");
    assert_eq!(log[1]["by"], admin_name);
    assert!(
        log[0]["by"].as_str().is_some_and(|by| !by.is_empty()),
        "the first admin is added by whoever ran lmo: {}",
        log[0]
    );
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
    let printed = workflow(&lmo, &Cast::sqlite(&lmo));
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
    let printed = workflow(&lmo, &Cast::postgres(&lmo));
    let people = personal_data(&lmo.path("generated"));
    assert_no_personal_data("the output", printed.as_bytes(), &people);
    let stored = postgres_text(&url);
    assert!(
        stored.contains("Generated Employer"),
        "the scan sees nothing"
    );
    assert_no_personal_data("the PostgreSQL database", stored.as_bytes(), &people);
}

/// On SQLite the acting user is the operating-system user running lmo: no flag names anyone
/// else, and a role taken away from that user is taken from whoever runs lmo on the file.
#[test]
fn sqlite_acting_user_is_the_operating_system_user() {
    let lmo = Lmo::sqlite();
    let me = os_user();
    let unknown = lmo.run(&["cases", "list"]);
    assert_eq!(unknown.code, 1);
    assert!(
        unknown.stderr.contains(&format!("unknown user '{me}'")),
        "{}",
        unknown.stderr
    );
    lmo.ok(&["users", "add", &me, "--role", "admin"]);
    lmo.ok(&["users", "add", "other.admin", "--role", "admin"]);
    lmo.ok(&["cases", "list"]);
    let flag = lmo.run(&["cases", "list", "--user", "other.admin"]);
    assert_eq!(flag.code, 2);
    assert!(
        flag.stderr.contains("unexpected argument '--user'"),
        "{}",
        flag.stderr
    );

    lmo.ok(&[
        "users",
        "role",
        &me,
        "--role",
        "viewer",
        "--note",
        "handed the cases over",
    ]);
    let refused = lmo.run(&["cases", "list"]);
    assert_eq!(refused.code, 1);
    assert!(
        refused
            .stderr
            .contains(&format!("user {me} (role viewer) has no case access")),
        "{}",
        refused.stderr
    );
    let not_admin = lmo.run(&["users", "add", "ng.new", "--role", "viewer"]);
    assert_eq!(not_admin.code, 1);
    assert!(
        not_admin
            .stderr
            .contains(&format!("user {me} (role viewer) is not an admin")),
        "{}",
        not_admin.stderr
    );
    let log = lmo.json(&["users", "log", "--json"]);
    let by: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["by"].as_str().unwrap())
        .collect();
    assert_eq!(by, [me.as_str(); 3]);
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
    users(&Cast::sqlite(&lmo));
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
