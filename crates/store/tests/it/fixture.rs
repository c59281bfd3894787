//! A fresh store per test case: an SQLite file in a temp directory, or a PostgreSQL
//! database created for the case and dropped after it, so cases run in parallel.

use std::sync::atomic::{AtomicU64, Ordering};

use store::Store;

/// The store under test and what it takes to reopen and inspect it.
pub(crate) struct Fixture {
    url: String,
    // Fields drop in order: the store closes before its database or directory goes.
    store: Option<Box<dyn Store>>,
    database: Option<TempDatabase>,
    _dir: Option<tempfile::TempDir>,
}

/// A migration as recorded in `schema_migrations`.
#[derive(Debug, PartialEq)]
pub(crate) struct AppliedMigration {
    pub(crate) version: i64,
    pub(crate) name: String,
    pub(crate) applied_at: String,
}

impl Fixture {
    pub(crate) fn store(&mut self) -> &mut dyn Store {
        self.store.as_deref_mut().expect("the store is open")
    }

    /// Closes the store and opens it again from its URL.
    pub(crate) fn reopen(&mut self) -> Result<(), store::StoreError> {
        self.store = None;
        self.store = Some(store::open(&self.url)?);
        Ok(())
    }

    pub(crate) fn applied_migrations(&mut self) -> Vec<AppliedMigration> {
        let sql = "SELECT version, name, CAST(applied_at AS text) FROM schema_migrations \
                   ORDER BY version";
        match &self.database {
            None => {
                let connection = rusqlite::Connection::open(self.sqlite_path()).expect("open");
                let mut statement = connection.prepare(sql).expect("prepare");
                statement
                    .query_map([], |row| {
                        Ok(AppliedMigration {
                            version: row.get(0)?,
                            name: row.get(1)?,
                            applied_at: row.get(2)?,
                        })
                    })
                    .expect("query")
                    .collect::<Result<_, _>>()
                    .expect("rows")
            }
            Some(database) => database
                .client()
                .query(sql, &[])
                .expect("query")
                .iter()
                .map(|row| AppliedMigration {
                    version: row.get(0),
                    name: row.get(1),
                    applied_at: row.get(2),
                })
                .collect(),
        }
    }

    /// Pretends a newer lmo migrated the database.
    pub(crate) fn record_future_migration(&mut self, version: i64) {
        match &self.database {
            None => {
                let connection = rusqlite::Connection::open(self.sqlite_path()).expect("open");
                connection
                    .execute(
                        "INSERT INTO schema_migrations (version, name, applied_at)
                         VALUES (?1, 'future', '2100-01-01T00:00:00Z')",
                        [version],
                    )
                    .expect("insert");
            }
            Some(database) => {
                database
                    .client()
                    .execute(
                        "INSERT INTO schema_migrations (version, name, applied_at)
                         VALUES ($1, 'future', now())",
                        &[&version],
                    )
                    .expect("insert");
            }
        }
    }

    fn sqlite_path(&self) -> &str {
        self.url.strip_prefix("sqlite://").expect("an SQLite URL")
    }
}

/// Runs a case on a new SQLite file, in a directory the store has to create.
pub(crate) fn with_sqlite(case: fn(&mut Fixture)) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("not-yet").join("lmo.db");
    let url = format!("sqlite://{}", path.display());
    let store = store::open(&url).expect("open the SQLite store");
    assert_eq!(store.backend(), store::Backend::Sqlite);
    case(&mut Fixture {
        url,
        store: Some(store),
        database: None,
        _dir: Some(dir),
    });
}

/// Runs a case on a new PostgreSQL database when `TEST_PG_URL` is set; without it the case
/// passes vacuously, unless `LMO_REQUIRE_PG=1` says PostgreSQL must be tested.
pub(crate) fn with_postgres(case: fn(&mut Fixture)) {
    let Some(admin_url) = std::env::var("TEST_PG_URL")
        .ok()
        .filter(|url| !url.is_empty())
    else {
        assert!(
            std::env::var("LMO_REQUIRE_PG").as_deref() != Ok("1"),
            "LMO_REQUIRE_PG=1 but TEST_PG_URL is not set: set it to an admin URL such as \
             postgres://postgres@127.0.0.1:5432/postgres (scripts/pg-cluster starts a server)"
        );
        return;
    };
    let database = TempDatabase::create(&admin_url);
    let url = database.url.clone();
    let store = store::open(&url).expect("connect the PostgreSQL store");
    assert_eq!(store.backend(), store::Backend::Postgres);
    case(&mut Fixture {
        url,
        store: Some(store),
        database: Some(database),
        _dir: None,
    });
}

/// A database of its own for one test case.
struct TempDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl TempDatabase {
    fn create(admin_url: &str) -> TempDatabase {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "lmo_test_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut admin = postgres::Client::connect(admin_url, postgres::NoTls)
            .unwrap_or_else(|error| panic!("cannot connect to TEST_PG_URL {admin_url}: {error}"));
        // Separate statements: CREATE DATABASE refuses to run in a multi-statement batch.
        admin
            .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .expect("drop a leftover test database");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create the test database");
        TempDatabase {
            admin_url: admin_url.to_owned(),
            url: with_database(admin_url, &name),
            name,
        }
    }

    fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).expect("connect the test database")
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        // Best effort: a database left behind is harmless and has a recognisable name.
        if let Ok(mut admin) = postgres::Client::connect(&self.admin_url, postgres::NoTls) {
            admin
                .batch_execute(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ))
                .ok();
        }
    }
}

/// `postgres://user@host:port/admin?options` with the database replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |index| index + 3);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

#[test]
fn database_names_replace_the_admin_database() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgresql://u@h?sslmode=disable", "x"),
        "postgresql://u@h/x?sslmode=disable"
    );
}
