//! The same commands give the same answers on SQLite and PostgreSQL.

use crate::support::{Lmo, SEV, data};

/// A fresh PostgreSQL database for one test, or `None` when no server is configured.
fn postgres_database(name: &str) -> Option<String> {
    let Ok(admin_url) = std::env::var("TEST_PG_URL") else {
        assert!(
            std::env::var("LMO_REQUIRE_PG").is_err(),
            "LMO_REQUIRE_PG is set but TEST_PG_URL is not"
        );
        return None;
    };
    let database = format!("lmo_cli_{name}_{}", std::process::id());
    let mut client = postgres::Client::connect(&admin_url, postgres::NoTls).unwrap();
    // One statement per call: PostgreSQL runs a multi-statement batch as one transaction,
    // and CREATE DATABASE may not run inside a transaction.
    for statement in [
        format!("DROP DATABASE IF EXISTS {database}"),
        format!("CREATE DATABASE {database}"),
    ] {
        client.batch_execute(&statement).unwrap();
    }
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    Some(format!("{base}/{database}"))
}

#[test]
fn sqlite_and_postgres_agree_on_real_data() {
    let Some(postgres_url) = postgres_database("agree") else {
        return;
    };
    let sqlite = Lmo::sqlite();
    let postgres = Lmo::with_database(postgres_url);
    for lmo in [&sqlite, &postgres] {
        lmo.ok(&["ingest", &data(SEV), &data("us/fred/UNRATE.csv")]);
    }
    for args in [
        &["series", "list", "--csv"][..],
        &["export"][..],
        &["export", "--as-of", "2010-01-01"][..],
        &["series", "show", "csd.215-16001.vacancy_rate.ALL", "--json"][..],
    ] {
        assert_eq!(sqlite.ok(args), postgres.ok(args), "lmo {args:?}");
    }
    let again = postgres.json(&["ingest", "--json", &data(SEV)]);
    assert_eq!(again[0]["rows_unchanged"], 15210);
}
