//! A store of the bundled C&SD files plus `lmo compute`, as `lmo demo` builds it, and a
//! generated (synthetic, labelled) arrears run saved in it.

use std::path::Path;

use engine::demo::HONG_KONG_FILES;
use engine::{Container, Engine, GeneratorConfig, ImportRequest, ImportTime, MappingSpec, Role};

pub(crate) fn date(text: &str) -> domain::Date {
    domain::parse_date(text).unwrap()
}

/// The day the demo store is built: after every bundled release.
pub(crate) const BUILT_ON: &str = "2026-12-05";
/// The report date of the tests.
pub(crate) const AS_OF: &str = "2026-08-31";

pub(crate) fn bundled_store(dir: &Path) -> Engine {
    let url = format!("sqlite://{}", dir.join("lmo.sqlite").display());
    let mut engine = Engine::open(&url).unwrap();
    let time = ImportTime {
        imported_at: format!("{BUILT_ON}T09:00:00+08:00"),
        today: date(BUILT_ON),
    };
    for file in HONG_KONG_FILES {
        let mapping = file
            .mapping
            .map(|(name, text)| MappingSpec::parse(name, text).unwrap());
        let report = engine
            .import(
                ImportRequest {
                    name: file.name.to_owned(),
                    reader: Box::new(file.bytes),
                    container: Container::Csv,
                    format: None,
                    mapping: mapping.as_ref(),
                    vintage: None,
                    allow_partial: false,
                    correct: false,
                    rejects_path: dir.join(format!("{}.rejects.csv", file.name)),
                },
                &time,
                &mut |_| {},
            )
            .unwrap();
        assert!(report.committed, "{} did not import", file.name);
    }
    let sets = engine::indicator_sets(Some("hk")).unwrap();
    engine
        .compute(&sets, date(BUILT_ON), &time, &mut |_| {})
        .unwrap();
    engine
}

/// Generated files for July 2026 (synthetic employers), judged and saved as a case officer
/// would save them.
pub(crate) fn save_generated_arrears(engine: &mut Engine, dir: &Path) {
    let period = domain::Period::parse("2026-07").unwrap();
    let config = GeneratorConfig::new(2025, 300, period);
    let files_dir = dir.join("arrears");
    let files = engine::generate_arrears_files(&config, &files_dir, true, true).unwrap();
    let open = |path: &Path| -> engine::NamedReader<'static> {
        (
            path.display().to_string(),
            Box::new(std::io::BufReader::new(std::fs::File::open(path).unwrap())),
        )
    };
    let request = engine::ArrearsRequest {
        period,
        as_of: config.as_of,
        pseudonym_key: b"lmo-test-key-for-generated-data-only",
        register: open(&files.employers),
        remittances: files.remittances.as_deref().map(open).into_iter().collect(),
        payroll: files.payroll.as_deref().map(open).into_iter().collect(),
        reports: vec![open(&files.reports)],
        prior: Vec::new(),
        closures: Vec::new(),
        thresholds: None,
        rejects_path: dir.join("arrears.rejects.csv"),
    };
    let report = engine::detect_arrears(request).unwrap();
    engine
        .add_user("officer", Role::Admin, None, "2026-08-28T09:00:00+08:00")
        .unwrap();
    engine
        .save_arrears(&report, "officer", "2026-08-28T09:00:00+08:00")
        .unwrap();
}
