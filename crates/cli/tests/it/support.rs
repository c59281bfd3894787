//! Running `lmo` with a throwaway data directory and store.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::rc::Rc;

/// `lmo` on one store, run by one user: on SQLite the operating-system user running the
/// tests, on PostgreSQL the login in the URL (see [`Lmo::acting_as`]).
#[derive(Clone)]
pub(crate) struct Lmo {
    pub(crate) dir: Rc<tempfile::TempDir>,
    pub(crate) database_url: String,
}

pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Lmo {
    /// A fresh SQLite store in a temporary data directory.
    pub(crate) fn sqlite() -> Lmo {
        let dir = tempfile::tempdir().unwrap();
        let database_url = format!("sqlite://{}", dir.path().join("test.sqlite").display());
        Lmo {
            dir: Rc::new(dir),
            database_url,
        }
    }

    pub(crate) fn with_database(database_url: String) -> Lmo {
        Lmo {
            dir: Rc::new(tempfile::tempdir().unwrap()),
            database_url,
        }
    }

    /// The same store and data directory, used by the database login `login`, created if
    /// the cluster has none: on PostgreSQL each lmo user logs in as themselves.
    pub(crate) fn acting_as(&self, login: &str) -> Lmo {
        let (scheme, rest) = self
            .database_url
            .split_once("://")
            .filter(|(scheme, _)| scheme.starts_with("postgres"))
            .expect("only a PostgreSQL store has logins; SQLite's user is the OS user");
        create_login(login);
        let host = rest.split_once('@').map_or(rest, |(_, host)| host);
        Lmo {
            dir: Rc::clone(&self.dir),
            database_url: format!("{scheme}://{login}@{host}"),
        }
    }

    pub(crate) fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lmo"));
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("LMO_DATA_DIR", self.dir.path())
            .env("LMO_DATABASE_URL", &self.database_url)
            .arg("--quiet");
        command
    }

    pub(crate) fn run(&self, args: &[&str]) -> Run {
        finish(self.command().args(args).output().unwrap())
    }

    /// Runs and insists on success.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        let run = self.run(args);
        assert_eq!(run.code, 0, "lmo {args:?} failed:\n{}", run.stderr);
        run.stdout
    }

    pub(crate) fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

pub(crate) fn finish(output: Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

pub(crate) fn data(relative: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../data")
        .join(relative)
        .display()
        .to_string()
}

pub(crate) const SEV: &str =
    "hk/csd_215-16001_sev_establishments_persons_engaged_vacancies_by_industry.csv";

/// A fresh PostgreSQL database for one test, or `None` when no server is configured.
pub(crate) fn postgres_database(name: &str) -> Option<String> {
    let Ok(admin_url) = std::env::var("TEST_PG_URL") else {
        assert!(
            std::env::var("LMO_REQUIRE_PG").is_err(),
            "LMO_REQUIRE_PG is set but TEST_PG_URL is not"
        );
        return None;
    };
    let database = format!("lmo_cli_{name}_{}", std::process::id());
    let mut client = postgres::Client::connect(&admin_url, postgres::NoTls).unwrap();
    for statement in [
        format!("DROP DATABASE IF EXISTS {database}"),
        format!("CREATE DATABASE {database}"),
    ] {
        client.batch_execute(&statement).unwrap();
    }
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    Some(format!("{base}/{database}"))
}

/// Creates the database login `login` (letters, digits, `.` and `_`) unless it exists; other
/// tests may be creating the same login at the same moment.
fn create_login(login: &str) {
    assert!(
        login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_')),
        "{login}"
    );
    let admin_url = std::env::var("TEST_PG_URL").expect("TEST_PG_URL");
    let mut client = postgres::Client::connect(&admin_url, postgres::NoTls).unwrap();
    client
        .batch_execute(&format!(
            "DO $$ BEGIN
                 IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{login}') THEN
                     CREATE ROLE \"{login}\" LOGIN;
                 END IF;
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
             END $$"
        ))
        .unwrap();
}

/// The login of `TEST_PG_URL`: the database administrator who adds the first lmo admin.
pub(crate) fn administrator_login() -> String {
    let url = std::env::var("TEST_PG_URL").expect("TEST_PG_URL");
    let (_, rest) = url.split_once("://").unwrap();
    let (user, _) = rest.split_once('@').unwrap();
    user.split(':').next().unwrap().to_owned()
}

/// The operating-system user running the tests: the acting user of a SQLite store.
pub(crate) fn os_user() -> String {
    whoami::username().unwrap()
}

pub(crate) const PSEUDONYM_KEY: &str = "a-test-key-of-thirty-two-bytes!!";

/// Synthetic arrears files (seed 11) in the test's directory.
pub(crate) fn generate_arrears(lmo: &Lmo, employers: &str) -> PathBuf {
    let dir = lmo.path("generated");
    let out = lmo.ok(&[
        "gen",
        "arrears",
        "--out",
        dir.to_str().unwrap(),
        "--employers",
        employers,
        "--seed",
        "11",
    ]);
    assert!(out.contains("GENERATED test data"), "{out}");
    dir
}

/// `lmo arrears` for 2025-06 as of 2025-07-31 with the test key, then `args`.
pub(crate) fn arrears_command(lmo: &Lmo, args: &[&str]) -> Command {
    let mut command = lmo.command();
    command
        .env("LMO_PSEUDONYM_KEY", PSEUDONYM_KEY)
        .args(["arrears", "--period", "2025-06", "--as-of", "2025-07-31"])
        .args(args);
    command
}

/// `lmo arrears` on the four files in `dir`, with `extra` arguments.
pub(crate) fn run_arrears_files(lmo: &Lmo, dir: &Path, extension: &str, extra: &[&str]) -> Run {
    let file = |name: &str| {
        dir.join(format!("{name}.{extension}"))
            .display()
            .to_string()
    };
    let mut command = arrears_command(
        lmo,
        &[
            "--register",
            &file("employers"),
            "--mpf",
            &file("mpf_remittances"),
            "--payroll",
            &file("payroll"),
            "--reports",
            &file("worker_reports"),
        ],
    );
    command.args(extra);
    finish(command.output().unwrap())
}

/// `lmo arrears` on the generated CSV files, with `extra` arguments.
pub(crate) fn run_arrears(lmo: &Lmo, dir: &Path, extra: &[&str]) -> Run {
    run_arrears_files(lmo, dir, "csv", extra)
}
