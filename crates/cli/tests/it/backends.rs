//! The same commands give the same answers on SQLite and PostgreSQL.

use crate::support::{Lmo, SEV, data, postgres_database};

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
