//! `lmo serve`'s e-mail settings: the SMTP password never shows, in help, startup lines or
//! errors, and is never sent unencrypted to another machine.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::support::{Lmo, finish};

const PASSWORD: &str = "never-shown-7f3a9c";

#[test]
fn help_names_where_the_smtp_password_comes_from_and_offers_no_flag_for_it() {
    let lmo = Lmo::sqlite();
    let help = finish(
        lmo.command()
            .env("LMO_SMTP_PASSWORD", PASSWORD)
            .args(["serve", "--help"])
            .output()
            .unwrap(),
    );
    assert_eq!(help.code, 0, "{}", help.stderr);
    for expected in [
        "--smtp-security",
        "--smtp-user",
        "LMO_SMTP_PASSWORD",
        "--ca-file",
    ] {
        assert!(
            help.stdout.contains(expected),
            "{expected}:\n{}",
            help.stdout
        );
    }
    assert!(!help.stdout.contains("--smtp-password"), "{}", help.stdout);
    assert!(!help.stdout.contains(PASSWORD), "{}", help.stdout);
}

#[test]
fn the_startup_lines_name_the_smtp_login_but_never_its_password() {
    let lmo = Lmo::sqlite();
    let mut child = lmo
        .command()
        .env("LMO_SMTP_PASSWORD", PASSWORD)
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--notify-every",
            "0",
            "--smtp",
            "localhost:587",
            "--smtp-user",
            "alerts@union.example",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    for line in BufReader::new(child.stderr.take().unwrap()).lines() {
        let line = line.unwrap();
        let done = line.contains("listening");
        lines.push(line);
        if done {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let stderr = lines.join("\n");
    assert!(stderr.contains("listening"), "{stderr}");
    assert!(
        stderr.contains("security=\"starttls\"") && stderr.contains("alerts@union.example"),
        "587 defaults to STARTTLS, with the login named: {stderr}"
    );
    assert!(!stderr.contains(PASSWORD), "{stderr}");
}

#[test]
fn a_login_over_plain_smtp_to_another_machine_is_refused_without_showing_the_password() {
    let lmo = Lmo::sqlite();
    let config = lmo.path("lmo.toml");
    std::fs::write(&config, format!("smtp_password = \"{PASSWORD}\"\n")).unwrap();
    let config = config.display().to_string();
    let serve = |extra: &[&str]| {
        let mut args = vec!["--config", &config, "serve", "--bind", "127.0.0.1:0"];
        args.extend_from_slice(extra);
        lmo.run(&args)
    };
    // Port 25 is plain SMTP unless told otherwise.
    let refused = serve(&["--smtp", "mail.union.example:25", "--smtp-user", "alerts"]);
    assert_ne!(refused.code, 0);
    assert!(
        refused
            .stderr
            .contains("refusing to send the SMTP password unencrypted to mail.union.example"),
        "{}",
        refused.stderr
    );
    assert!(!refused.stderr.contains(PASSWORD), "{}", refused.stderr);
    let no_password = finish(
        Lmo::sqlite()
            .command()
            .args([
                "serve",
                "--smtp",
                "smtp.union.example:587",
                "--smtp-user",
                "alerts",
            ])
            .output()
            .unwrap(),
    );
    assert_ne!(no_password.code, 0);
    assert!(
        no_password.stderr.contains("LMO_SMTP_PASSWORD"),
        "{}",
        no_password.stderr
    );
}
