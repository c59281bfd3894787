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
    dir: Option<tempfile::TempDir>,
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

    /// Closes the store and puts in its place a new database as an lmo that knew only
    /// migration 1 left it: the version-1 schema, recorded in `schema_migrations`, holding
    /// series `lfs.u` (tag `unemployment`) with 3.8 for 2025-08 and 3.9 for 2025-09 from
    /// one import. The store stays closed until [`Fixture::reopen`].
    pub(crate) fn replace_with_version_1_database(&mut self) {
        self.store = None;
        match self.database.take() {
            None => {
                let dir = self
                    .dir
                    .as_ref()
                    .expect("an SQLite fixture has a directory");
                let path = dir.path().join("version-1.db");
                let connection = rusqlite::Connection::open(&path).expect("open");
                connection
                    .execute_batch(&format!(
                        "CREATE TABLE schema_migrations (
                             version    INTEGER PRIMARY KEY NOT NULL,
                             name       TEXT NOT NULL,
                             applied_at TEXT NOT NULL
                         );
                         {}
                         INSERT INTO schema_migrations (version, name, applied_at)
                         VALUES (1, 'init', '2025-10-01T08:00:00.000Z');
                         {VERSION_1_DATA}",
                        include_str!("../../migrations/sqlite/0001_init.sql")
                    ))
                    .expect("create the version-1 database");
                self.url = format!("sqlite://{}", path.display());
            }
            Some(old) => {
                let database = TempDatabase::create(&old.admin_url);
                drop(old);
                database
                    .client()
                    .batch_execute(&format!(
                        "CREATE TABLE schema_migrations (
                             version    bigint PRIMARY KEY,
                             name       text NOT NULL,
                             applied_at timestamptz NOT NULL
                         );
                         {}
                         INSERT INTO schema_migrations (version, name, applied_at)
                         VALUES (1, 'init', now());
                         {VERSION_1_DATA}",
                        include_str!("../../migrations/postgres/0001_init.sql")
                    ))
                    .expect("create the version-1 database");
                self.url.clone_from(&database.url);
                self.database = Some(database);
            }
        }
    }

    /// Runs `sql` on the database behind the store, as another program could.
    pub(crate) fn execute_raw(&mut self, sql: &str) {
        match &self.database {
            None => {
                let connection = rusqlite::Connection::open(self.sqlite_path()).expect("open");
                connection.execute_batch(sql).expect("raw SQL");
            }
            Some(database) => database.client().batch_execute(sql).expect("raw SQL"),
        }
    }

    /// A client of the test database logged in as `login` (one of [`TEST_LOGINS`]), as that
    /// user's own `psql` would be; `None` on SQLite, which has no logins.
    pub(crate) fn client_as(&self, login: &str) -> Option<postgres::Client> {
        self.database.as_ref().map(|database| {
            postgres::Client::connect(&database.url_as(login), postgres::NoTls)
                .unwrap_or_else(|error| panic!("connect as {login}: {error}"))
        })
    }

    /// The store URL with `login` as the user (PostgreSQL only).
    pub(crate) fn url_as(&self, login: &str) -> Option<String> {
        self.database
            .as_ref()
            .map(|database| database.url_as(login))
    }

    fn sqlite_path(&self) -> &str {
        self.url.strip_prefix("sqlite://").expect("an SQLite URL")
    }
}

/// What [`Fixture::replace_with_version_1_database`] stores, in SQL both backends accept.
const VERSION_1_DATA: &str = "
    INSERT INTO series (id, title_en, title_zh, unit, frequency, seasonal_adjustment, source,
                        industry, occupation, direction, publication_lag_days)
    VALUES ('lfs.u', 'Title of lfs.u', '', '', 'monthly', 'nsa', '', NULL, NULL, 'neutral', 30);
    INSERT INTO series_tags (series_id, tag) VALUES ('lfs.u', 'unemployment');
    INSERT INTO imports (file_name, format, imported_at, rows_staged, rows_new)
    VALUES ('lfs.csv', 'csv', '2025-11-01T09:00:00+08:00', 2, 2);
    INSERT INTO observations
        (series_id, period, period_end, vintage, value, status, vintage_basis, import_id)
    VALUES ('lfs.u', '2025-08', '2025-08-31', '2025-09-30', 3.8, 'normal', 'publication-lag', 1),
           ('lfs.u', '2025-09', '2025-09-30', '2025-10-30', 3.9, 'normal', 'publication-lag', 1);
";

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
        dir: Some(dir),
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
        dir: None,
    });
}

/// The database logins the cases use as lmo users: on PostgreSQL each user is a login, which
/// exists before lmo makes it a user. Logins belong to the whole cluster, so every case
/// shares them; what a login may do in a store is its membership of that database's roles.
pub(crate) const TEST_LOGINS: [&str; 7] = [
    "ho.admin",
    "wong.officer",
    "lee.viewer",
    "ng.analyst",
    "chan.officer",
    "tam.new",
    "陳.officer-2@ld",
];

/// Creates the test logins that do not exist yet; other test processes may be creating
/// them at the same moment.
fn create_test_logins(admin: &mut postgres::Client) {
    for login in TEST_LOGINS {
        let quoted = format!("\"{login}\"");
        let literal = format!("'{login}'");
        admin
            .batch_execute(&format!(
                "DO $$ BEGIN
                     IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal}) THEN
                         CREATE ROLE {quoted} LOGIN;
                     END IF;
                 EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                 END $$"
            ))
            .expect("create a test login");
    }
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
        create_test_logins(&mut admin);
        TempDatabase {
            admin_url: admin_url.to_owned(),
            url: with_database(admin_url, &name),
            name,
        }
    }

    fn url_as(&self, login: &str) -> String {
        let (scheme, rest) = self.url.split_once("://").expect("a URL");
        let host = rest.split_once('@').map_or(rest, |(_, host)| host);
        let encoded: String = login
            .bytes()
            .map(|byte| match byte {
                b'@' => "%40".to_owned(),
                byte if byte.is_ascii() => char::from(byte).to_string(),
                byte => format!("%{byte:02X}"),
            })
            .collect();
        format!("{scheme}://{encoded}@{host}")
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
            // The roles named after the database (migration 0009) go with it.
            for role in ["admin", "case_officer", "analyst", "viewer"] {
                admin
                    .batch_execute(&format!("DROP ROLE IF EXISTS {}_{role}", self.name))
                    .ok();
            }
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
