//! The conformance cases, written once over the store API and run on every backend.

use std::fmt::Write as _;

use domain::{
    Date, Direction, Frequency, IndustryCode, Observation, ObservationStatus, OccupationCode,
    Period, SeasonalAdjustment, SeriesId, SeriesMeta, Tag,
};
use store::{
    AlertAcknowledgement, AlertMute, CorrectedValue, FinishOptions, ImportInfo, ImportOutcome,
    ImportRecord, ImportSession, MetadataAuthority, SeriesFilter, StagedProblem, StagedRow, Store,
    StoreError, StoredObservation, VintageBasis,
};

pub(crate) use crate::case_workflow::*;
use crate::fixture::{AppliedMigration, Fixture};
pub(crate) use crate::serving::*;

fn id(text: &str) -> SeriesId {
    SeriesId::parse(text).expect("series id")
}

fn date(text: &str) -> Date {
    domain::parse_date(text).expect("date")
}

fn period(text: &str) -> Period {
    Period::parse(text).expect("period")
}

/// A monthly series published 30 days after the end of each month.
fn monthly(series: &str) -> SeriesMeta {
    let mut meta = SeriesMeta::new(id(series), format!("Title of {series}"), Frequency::Monthly);
    meta.publication_lag_days = 30;
    meta
}

fn with_tags(mut meta: SeriesMeta, tags: &[&str]) -> SeriesMeta {
    meta.tags = tags
        .iter()
        .map(|tag| Tag::parse(tag).expect("tag"))
        .collect();
    meta
}

/// One input row.
#[derive(Clone)]
struct Row {
    series: &'static str,
    period: &'static str,
    value: f64,
    status: ObservationStatus,
    vintage: Option<&'static str>,
}

fn row(series: &'static str, period: &'static str, value: f64) -> Row {
    Row {
        series,
        period,
        value,
        status: ObservationStatus::Normal,
        vintage: None,
    }
}

impl Row {
    fn vintage(self, vintage: &'static str) -> Row {
        Row {
            vintage: Some(vintage),
            ..self
        }
    }

    fn status(self, status: ObservationStatus) -> Row {
        Row { status, ..self }
    }
}

fn info(file_name: &str) -> ImportInfo {
    ImportInfo {
        file_name: file_name.to_owned(),
        format: "csv".to_owned(),
        imported_at: "2025-12-01T09:30:00+08:00".to_owned(),
    }
}

/// Strict options for an import run on `import_date`, from a file without a release date.
fn on(import_date: &str) -> FinishOptions {
    FinishOptions {
        file_vintage: None,
        import_date: date(import_date),
        allow_partial: false,
        rejected_before: 0,
        accept_corrections: false,
    }
}

/// Stages `rows` as lines 2, 3, … of a file (line 1 being its header).
fn stage_all(session: &mut dyn ImportSession, rows: &[Row]) {
    for (index, row) in rows.iter().enumerate() {
        let series = id(row.series);
        let observation = Observation {
            period: period(row.period),
            value: row.value,
            status: row.status,
            vintage: row.vintage.map(date),
        };
        session
            .stage(&StagedRow {
                line: index as u64 + 2,
                series: &series,
                observation: &observation,
            })
            .expect("stage");
    }
}

fn import_file(
    store: &mut dyn Store,
    info: &ImportInfo,
    declared: &[SeriesMeta],
    rows: &[Row],
    options: &FinishOptions,
) -> ImportOutcome {
    let mut session = store.begin_import(info).expect("begin import");
    for meta in declared {
        session
            .upsert_series(meta, MetadataAuthority::Declared)
            .expect("upsert series");
    }
    stage_all(session.as_mut(), rows);
    session.finish(options).expect("finish import")
}

fn import(
    store: &mut dyn Store,
    declared: &[SeriesMeta],
    rows: &[Row],
    options: &FinishOptions,
) -> ImportOutcome {
    import_file(store, &info("data.csv"), declared, rows, options)
}

/// (new, revised, unchanged) of a committed import.
fn counts(outcome: &ImportOutcome) -> (u64, u64, u64) {
    assert!(
        outcome.import_id.is_some(),
        "import rolled back: {outcome:?}"
    );
    (
        outcome.rows_new,
        outcome.rows_revised,
        outcome.rows_unchanged,
    )
}

/// Latest values as (period, value), known on `as_of` when given.
fn values(store: &mut dyn Store, series: &str, as_of: Option<&str>) -> Vec<(String, f64)> {
    store
        .observations(&id(series), as_of.map(date))
        .expect("observations")
        .into_iter()
        .map(|stored| {
            (
                stored.observation.period.to_string(),
                stored.observation.value,
            )
        })
        .collect()
}

fn latest(pairs: &[(&str, f64)]) -> Vec<(String, f64)> {
    pairs
        .iter()
        .map(|&(period, value)| (period.to_owned(), value))
        .collect()
}

/// Every vintage of one period as (value, vintage, basis), oldest first.
fn vintages(store: &mut dyn Store, series: &str, of: &str) -> Vec<(f64, String, VintageBasis)> {
    store
        .vintages(&id(series), period(of))
        .expect("vintages")
        .into_iter()
        .map(|stored| {
            assert_eq!(stored.observation.vintage, Some(stored.vintage));
            (
                stored.observation.value,
                stored.vintage.to_string(),
                stored.vintage_basis,
            )
        })
        .collect()
}

fn vintage(value: f64, vintage: &str, basis: VintageBasis) -> (f64, String, VintageBasis) {
    (value, vintage.to_owned(), basis)
}

/// Every stored vintage of every period of a series.
fn history(store: &mut dyn Store, series: &str) -> Vec<StoredObservation> {
    let periods: Vec<Period> = store
        .observations(&id(series), None)
        .expect("observations")
        .into_iter()
        .map(|stored| stored.observation.period)
        .collect();
    periods
        .into_iter()
        .flat_map(|period| store.vintages(&id(series), period).expect("vintages"))
        .collect()
}

/// Everything the store answers, to compare before and after an operation.
fn snapshot(store: &mut dyn Store) -> String {
    let series = store
        .list_series(&SeriesFilter::default())
        .expect("list series");
    let mut text = format!("{series:#?}\n{:#?}\n", store.imports().expect("imports"));
    for summary in &series {
        let history = history(store, summary.meta.id.as_str());
        writeln!(text, "{history:#?}").expect("write to a String");
    }
    text
}

pub(crate) fn fresh_import_stores_values_as_new(fixture: &mut Fixture) {
    let store = fixture.store();
    let outcome = import(
        store,
        &[monthly("lfs.u")],
        &[
            row("lfs.u", "2025-09", 3.9),
            row("lfs.u", "2025-07", 3.7),
            row("lfs.u", "2025-08", 3.8),
        ],
        &on("2025-12-01"),
    );
    let import_id = outcome.import_id.expect("committed");
    assert_eq!(
        outcome,
        ImportOutcome {
            import_id: Some(import_id),
            problems: Vec::new(),
            rows_staged: 3,
            rows_new: 3,
            rows_revised: 0,
            rows_corrected: 0,
            rows_unchanged: 0,
            series_created: 1,
        }
    );
    let expected: Vec<StoredObservation> = [
        ("2025-07", 3.7, "2025-08-30"),
        ("2025-08", 3.8, "2025-09-30"),
        ("2025-09", 3.9, "2025-10-30"),
    ]
    .into_iter()
    .map(|(of, value, known_from)| StoredObservation {
        observation: Observation {
            period: period(of),
            value,
            status: ObservationStatus::Normal,
            vintage: Some(date(known_from)),
        },
        vintage: date(known_from),
        vintage_basis: VintageBasis::PublicationLag,
        import_id,
    })
    .collect();
    assert_eq!(
        store
            .observations(&id("lfs.u"), None)
            .expect("observations"),
        expected
    );
    assert_eq!(
        store.series(&id("lfs.u")).expect("series"),
        Some(monthly("lfs.u"))
    );
}

pub(crate) fn identical_reimport_changes_nothing(fixture: &mut Fixture) {
    let store = fixture.store();
    let rows = [
        row("lfs.u", "2025-07", 3.7),
        row("lfs.u", "2025-08", 3.8).status(ObservationStatus::Provisional),
        row("lfs.u", "2025-09", 3.9).vintage("2025-10-20"),
    ];
    import(store, &[monthly("lfs.u")], &rows, &on("2025-11-01"));
    let before = history(store, "lfs.u");
    assert_eq!(before.len(), 3);

    let outcome = import(store, &[monthly("lfs.u")], &rows, &on("2026-01-15"));
    assert_eq!(counts(&outcome), (0, 0, 3));
    assert_eq!(outcome.series_created, 0);
    assert_eq!(history(store, "lfs.u"), before);
}

pub(crate) fn changed_value_becomes_new_vintage(fixture: &mut Fixture) {
    let store = fixture.store();
    import(
        store,
        &[monthly("lfs.u")],
        &[row("lfs.u", "2025-08", 3.8), row("lfs.u", "2025-09", 3.9)],
        &on("2025-11-01"),
    );

    let outcome = import(
        store,
        &[],
        &[row("lfs.u", "2025-08", 3.8), row("lfs.u", "2025-09", 4.0)],
        &on("2025-12-15"),
    );
    assert_eq!(counts(&outcome), (0, 1, 1));
    assert_eq!(
        vintages(store, "lfs.u", "2025-09"),
        [
            vintage(3.9, "2025-10-30", VintageBasis::PublicationLag),
            vintage(4.0, "2025-12-15", VintageBasis::ImportDate),
        ]
    );
    assert_eq!(
        values(store, "lfs.u", None),
        latest(&[("2025-08", 3.8), ("2025-09", 4.0)])
    );

    // A status change alone is a revision too; the file's release date is its vintage.
    let outcome = import(
        store,
        &[],
        &[row("lfs.u", "2025-09", 4.0).status(ObservationStatus::Revised)],
        &FinishOptions {
            file_vintage: Some(date("2026-01-10")),
            ..on("2026-01-20")
        },
    );
    assert_eq!(counts(&outcome), (0, 1, 0));
    let stored = store
        .vintages(&id("lfs.u"), period("2025-09"))
        .expect("vintages");
    assert_eq!(stored.len(), 3);
    assert_eq!(stored[2].vintage, date("2026-01-10"));
    assert_eq!(stored[2].vintage_basis, VintageBasis::Release);
    assert_eq!(stored[2].observation.status, ObservationStatus::Revised);

    // The whole history in one query is the per-period vintages, periods in order.
    let in_one_query = store.history(&id("lfs.u")).expect("history");
    let per_period = history(store, "lfs.u");
    assert_eq!(
        in_one_query.len(),
        4,
        "one vintage of 2025-08, three of 2025-09"
    );
    assert_eq!(format!("{in_one_query:?}"), format!("{per_period:?}"));
}

pub(crate) fn as_of_returns_what_was_known(fixture: &mut Fixture) {
    let store = fixture.store();
    import(
        store,
        &[monthly("lfs.u")],
        &[row("lfs.u", "2025-08", 3.8), row("lfs.u", "2025-09", 3.9)],
        &on("2025-11-01"),
    );
    import(
        store,
        &[],
        &[row("lfs.u", "2025-08", 3.8), row("lfs.u", "2025-09", 4.0)],
        &on("2025-12-15"),
    );
    assert_eq!(values(store, "lfs.u", Some("2025-09-29")), latest(&[]));
    assert_eq!(
        values(store, "lfs.u", Some("2025-10-01")),
        latest(&[("2025-08", 3.8)])
    );
    assert_eq!(
        values(store, "lfs.u", Some("2025-10-30")),
        latest(&[("2025-08", 3.8), ("2025-09", 3.9)])
    );
    assert_eq!(
        values(store, "lfs.u", Some("2025-12-14")),
        latest(&[("2025-08", 3.8), ("2025-09", 3.9)])
    );
    assert_eq!(
        values(store, "lfs.u", Some("2025-12-15")),
        latest(&[("2025-08", 3.8), ("2025-09", 4.0)])
    );
    assert_eq!(
        values(store, "lfs.u", None),
        latest(&[("2025-08", 3.8), ("2025-09", 4.0)])
    );
}

pub(crate) fn publication_lag_vintage_is_capped(fixture: &mut Fixture) {
    let store = fixture.store();
    let mut quarterly = SeriesMeta::new(id("ges.v"), "Vacancies".to_owned(), Frequency::Quarterly);
    quarterly.publication_lag_days = 80;
    import(
        store,
        &[monthly("lfs.u"), quarterly],
        &[
            row("lfs.u", "2025-08", 3.8),
            row("lfs.u", "2025-09", 3.9),
            row("ges.v", "2025-Q2", 60_000.0),
            row("ges.v", "2025-Q3", 61_000.0),
        ],
        &on("2025-10-10"),
    );
    assert_eq!(
        vintages(store, "lfs.u", "2025-08"),
        [vintage(3.8, "2025-09-30", VintageBasis::PublicationLag)]
    );
    // Period end plus the lag is after the import: the value cannot be from the future.
    assert_eq!(
        vintages(store, "lfs.u", "2025-09"),
        [vintage(3.9, "2025-10-10", VintageBasis::ImportDate)]
    );
    assert_eq!(
        vintages(store, "ges.v", "2025-Q2"),
        [vintage(
            60_000.0,
            "2025-09-18",
            VintageBasis::PublicationLag
        )]
    );
    assert_eq!(
        vintages(store, "ges.v", "2025-Q3"),
        [vintage(61_000.0, "2025-10-10", VintageBasis::ImportDate)]
    );

    // With a release date, it caps instead of the import date; a tie keeps the lag.
    import(
        store,
        &[monthly("lfs.p")],
        &[row("lfs.p", "2025-08", 60.1), row("lfs.p", "2025-09", 60.2)],
        &FinishOptions {
            file_vintage: Some(date("2025-09-30")),
            ..on("2025-12-01")
        },
    );
    assert_eq!(
        vintages(store, "lfs.p", "2025-08"),
        [vintage(60.1, "2025-09-30", VintageBasis::PublicationLag)]
    );
    assert_eq!(
        vintages(store, "lfs.p", "2025-09"),
        [vintage(60.2, "2025-09-30", VintageBasis::Release)]
    );
}

pub(crate) fn explicit_vintages_are_kept(fixture: &mut Fixture) {
    let store = fixture.store();
    let rows = [
        row("lfs.u", "2025-09", 1.0).vintage("2025-10-20"),
        row("lfs.u", "2025-09", 1.1).vintage("2025-11-20"),
        row("lfs.u", "2025-08", 0.9).vintage("2025-09-20"),
    ];
    let outcome = import(store, &[monthly("lfs.u")], &rows, &on("2025-12-01"));
    assert_eq!(counts(&outcome), (3, 0, 0));
    assert_eq!(
        vintages(store, "lfs.u", "2025-09"),
        [
            vintage(1.0, "2025-10-20", VintageBasis::Explicit),
            vintage(1.1, "2025-11-20", VintageBasis::Explicit),
        ]
    );
    assert_eq!(
        values(store, "lfs.u", Some("2025-11-01")),
        latest(&[("2025-08", 0.9), ("2025-09", 1.0)])
    );
    assert_eq!(
        values(store, "lfs.u", None),
        latest(&[("2025-08", 0.9), ("2025-09", 1.1)])
    );

    let outcome = import(store, &[], &rows, &on("2025-12-02"));
    assert_eq!(counts(&outcome), (0, 0, 3));

    // A new value at a stored vintage is a correction: refused unless accepted, and then the
    // replaced value is kept. A new vintage adds one.
    let corrected = [
        row("lfs.u", "2025-09", 1.2).vintage("2025-11-20"),
        row("lfs.u", "2025-09", 1.3).vintage("2025-12-20"),
    ];
    let refused = import(store, &[], &corrected, &on("2025-12-21"));
    assert_eq!(refused.import_id, None);
    assert_eq!(
        refused.problems,
        [StagedProblem {
            line: 2,
            series: "lfs.u".to_owned(),
            period: "2025-09".to_owned(),
            reason: "lfs.u for 2025-09 is stored as 1.1 under vintage 2025-11-20; this file \
                     says 1.2 for the same vintage date: a correction of a stored figure is \
                     refused unless it is imported with --correct, which keeps the replaced \
                     value"
                .to_owned(),
        }]
    );
    assert_eq!(vintages(store, "lfs.u", "2025-09").len(), 2);

    let before = store
        .vintages(&id("lfs.u"), period("2025-09"))
        .expect("vintages");
    let accepted = FinishOptions {
        accept_corrections: true,
        ..on("2025-12-21")
    };
    let outcome = import(store, &[], &corrected, &accepted);
    assert_eq!(counts(&outcome), (0, 2, 0));
    assert_eq!(outcome.rows_corrected, 1);
    assert_eq!(
        vintages(store, "lfs.u", "2025-09"),
        [
            vintage(1.0, "2025-10-20", VintageBasis::Explicit),
            vintage(1.2, "2025-11-20", VintageBasis::Explicit),
            vintage(1.3, "2025-12-20", VintageBasis::Explicit),
        ]
    );
    assert_eq!(
        store
            .corrected_values(&id("lfs.u"), period("2025-09"))
            .expect("corrected values"),
        [CorrectedValue {
            replaced: before[1].clone(),
            corrected_by_import: outcome.import_id.expect("committed"),
        }]
    );
    assert_eq!(
        store
            .corrected_values(&id("lfs.u"), period("2025-08"))
            .expect("corrected values"),
        []
    );
}

pub(crate) fn duplicate_rows_roll_back_everything(fixture: &mut Fixture) {
    let store = fixture.store();
    import(
        store,
        &[monthly("lfs.u")],
        &[row("lfs.u", "2025-08", 3.8)],
        &on("2025-11-01"),
    );
    let before = snapshot(store);

    let outcome = import(
        store,
        &[monthly("lfs.new")],
        &[
            row("lfs.u", "2025-09", 3.9),
            row("lfs.new", "2025-09", 1.0),
            row("lfs.u", "2025-08", 4.0),
            row("lfs.u", "2025-09", 3.95),
        ],
        &on("2025-12-01"),
    );
    let reason = "period 2025-09 of series lfs.u appears more than once (lines 2, 5)";
    let problem = |line| StagedProblem {
        line,
        series: "lfs.u".to_owned(),
        period: "2025-09".to_owned(),
        reason: reason.to_owned(),
    };
    assert_eq!(
        outcome,
        ImportOutcome {
            import_id: None,
            problems: vec![problem(2), problem(5)],
            rows_staged: 4,
            rows_new: 0,
            rows_revised: 0,
            rows_corrected: 0,
            rows_unchanged: 0,
            series_created: 0,
        }
    );
    assert_eq!(snapshot(store), before);
}

pub(crate) fn unknown_series_is_a_problem(fixture: &mut Fixture) {
    let store = fixture.store();
    let outcome = import(
        store,
        &[monthly("lfs.u")],
        &[
            row("lfs.u", "2025-09", 3.9),
            row("lfs.ghost", "2025-09", 1.0),
        ],
        &on("2025-12-01"),
    );
    assert_eq!(outcome.import_id, None);
    assert_eq!(
        outcome.problems,
        [StagedProblem {
            line: 3,
            series: "lfs.ghost".to_owned(),
            period: "2025-09".to_owned(),
            reason: "unknown series lfs.ghost: declare it in a series metadata file first"
                .to_owned(),
        }]
    );
    assert_eq!(store.series(&id("lfs.u")).expect("series"), None);

    // Rows the parser already rejected fail a strict import as well.
    let outcome = import(
        store,
        &[monthly("lfs.u")],
        &[row("lfs.u", "2025-09", 3.9)],
        &FinishOptions {
            rejected_before: 2,
            ..on("2025-12-01")
        },
    );
    assert_eq!(outcome.import_id, None);
    assert!(outcome.problems.is_empty());
    assert_eq!(store.imports().expect("imports"), []);
    assert_eq!(store.series(&id("lfs.u")).expect("series"), None);
}

pub(crate) fn allow_partial_keeps_good_rows(fixture: &mut Fixture) {
    let store = fixture.store();
    let outcome = import(
        store,
        &[monthly("lfs.u")],
        &[
            row("lfs.u", "2025-07", 3.7),
            row("lfs.ghost", "2025-07", 1.0),
            row("lfs.u", "2025-08", 3.8).vintage("2025-09-20"),
            row("lfs.u", "2025-09", 3.9),
            row("lfs.u", "2025-08", 3.85).vintage("2025-09-20"),
        ],
        &FinishOptions {
            allow_partial: true,
            rejected_before: 1,
            ..on("2025-12-01")
        },
    );
    assert_eq!(counts(&outcome), (2, 0, 0));
    assert_eq!(outcome.rows_staged, 5);
    assert_eq!(outcome.series_created, 1);
    let problems: Vec<(u64, &str)> = outcome
        .problems
        .iter()
        .map(|problem| (problem.line, problem.reason.as_str()))
        .collect();
    let duplicate =
        "period 2025-08 (vintage 2025-09-20) of series lfs.u appears more than once (lines 4, 6)";
    assert_eq!(
        problems,
        [
            (
                3,
                "unknown series lfs.ghost: declare it in a series metadata file first"
            ),
            (4, duplicate),
            (6, duplicate),
        ]
    );
    assert_eq!(
        values(store, "lfs.u", None),
        latest(&[("2025-07", 3.7), ("2025-09", 3.9)])
    );
    let record = &store.imports().expect("imports")[0];
    assert_eq!(Some(record.id), outcome.import_id);
    assert_eq!((record.rows_new, record.rows_rejected), (2, 4));
}

pub(crate) fn dropped_session_leaves_nothing(fixture: &mut Fixture) {
    let store = fixture.store();
    import(
        store,
        &[monthly("lfs.u")],
        &[row("lfs.u", "2025-08", 3.8)],
        &on("2025-11-01"),
    );
    let before = snapshot(store);
    {
        let mut session = store.begin_import(&info("abandoned.csv")).expect("begin");
        session
            .upsert_series(&monthly("lfs.new"), MetadataAuthority::Declared)
            .expect("upsert");
        stage_all(
            session.as_mut(),
            &[row("lfs.u", "2025-08", 4.0), row("lfs.new", "2025-09", 1.0)],
        );
    }
    assert_eq!(snapshot(store), before);

    // The next import starts from an empty staging area.
    let outcome = import(
        store,
        &[monthly("lfs.new")],
        &[row("lfs.new", "2025-09", 1.0)],
        &on("2025-12-01"),
    );
    assert_eq!((outcome.rows_staged, outcome.rows_new), (1, 1));
}

pub(crate) fn inferred_metadata_never_overwrites_declared(fixture: &mut Fixture) {
    let store = fixture.store();
    let upsert = |store: &mut dyn Store, metas: &[(&SeriesMeta, MetadataAuthority)]| {
        let mut session = store.begin_import(&info("series.toml")).expect("begin");
        for &(meta, authority) in metas {
            session.upsert_series(meta, authority).expect("upsert");
        }
        session.finish(&on("2025-12-01")).expect("finish")
    };
    let declared = SeriesMeta {
        title_en: "Unemployment rate".to_owned(),
        unit: "%".to_owned(),
        ..with_tags(monthly("lfs.u"), &["unemployment"])
    };
    let outcome = upsert(store, &[(&declared, MetadataAuthority::Declared)]);
    assert_eq!(outcome.series_created, 1);

    let inferred = SeriesMeta {
        title_en: "lfs u".to_owned(),
        publication_lag_days: 99,
        ..monthly("lfs.u")
    };
    let other = monthly("lfs.other");
    let outcome = upsert(
        store,
        &[
            (&inferred, MetadataAuthority::Inferred),
            (&other, MetadataAuthority::Inferred),
        ],
    );
    assert_eq!(outcome.series_created, 1);
    assert_eq!(
        store.series(&id("lfs.u")).expect("series"),
        Some(declared.clone())
    );
    assert_eq!(store.series(&id("lfs.other")).expect("series"), Some(other));

    // A new declaration replaces everything, tags included.
    let redeclared = SeriesMeta {
        title_zh: "失業率".to_owned(),
        seasonal_adjustment: SeasonalAdjustment::Adjusted,
        industry: Some(IndustryCode::parse("G47").expect("industry")),
        occupation: Some(OccupationCode::parse("2").expect("occupation")),
        direction: Direction::HigherIsWorse,
        publication_lag_days: 21,
        ..with_tags(declared, &["sa", "unemployment-rate"])
    };
    let outcome = upsert(store, &[(&redeclared, MetadataAuthority::Declared)]);
    assert_eq!(outcome.series_created, 0);
    assert_eq!(
        store.series(&id("lfs.u")).expect("series"),
        Some(redeclared)
    );
    assert_eq!(store.series(&id("lfs.none")).expect("series"), None);
}

/// A series carries an occupation at any level: a C&SD major group or an ISCO-08 group, read
/// back as it was declared.
pub(crate) fn occupations_at_every_level_are_kept(fixture: &mut Fixture) {
    let store = fixture.store();
    let codes = ["8", "isco08:2", "isco08:25", "isco08:251", "isco08:2512"];
    let metas: Vec<SeriesMeta> = codes
        .iter()
        .map(|code| SeriesMeta {
            occupation: Some(OccupationCode::parse(code).expect("occupation")),
            ..monthly(&format!("occ.vacancies.{}", code.replace(':', "_")))
        })
        .collect();
    let mut session = store.begin_import(&info("series.toml")).expect("begin");
    for meta in &metas {
        session
            .upsert_series(meta, MetadataAuthority::Declared)
            .expect("upsert");
    }
    session.finish(&on("2025-12-01")).expect("finish");
    for (meta, code) in metas.iter().zip(codes) {
        let stored = store.series(&meta.id).expect("series").expect("stored");
        assert_eq!(
            stored.occupation.map(|occupation| occupation.to_string()),
            Some(code.to_owned())
        );
    }
}

pub(crate) fn list_series_filters_by_prefix_and_tag(fixture: &mut Fixture) {
    let store = fixture.store();
    let rate = with_tags(monthly("csd.u_rate"), &["unemployment"]);
    let other = with_tags(monthly("csd.uxrate"), &["sa", "unemployment"]);
    let us = with_tags(monthly("fred.UNRATE"), &["us"]);
    import(
        store,
        &[us.clone(), rate.clone(), other.clone()],
        &[
            row("csd.u_rate", "2025-09", 3.9),
            row("csd.u_rate", "2025-07", 3.7),
            row("fred.UNRATE", "2025-09", 4.1),
        ],
        &on("2025-11-01"),
    );
    // A revision adds a vintage, not a period.
    import(
        store,
        &[],
        &[row("csd.u_rate", "2025-09", 4.0)],
        &on("2025-12-01"),
    );

    let mut ids = |id_prefix: Option<&str>, tag: Option<&str>| -> Vec<String> {
        let filter = SeriesFilter {
            id_prefix: id_prefix.map(str::to_owned),
            tag: tag.map(str::to_owned),
        };
        store
            .list_series(&filter)
            .expect("list series")
            .into_iter()
            .map(|summary| summary.meta.id.to_string())
            .collect()
    };
    assert_eq!(ids(None, None), ["csd.u_rate", "csd.uxrate", "fred.UNRATE"]);
    assert_eq!(ids(Some("csd."), None), ["csd.u_rate", "csd.uxrate"]);
    // `_` is not a wildcard.
    assert_eq!(ids(Some("csd.u_"), None), ["csd.u_rate"]);
    assert_eq!(
        ids(None, Some("unemployment")),
        ["csd.u_rate", "csd.uxrate"]
    );
    assert_eq!(ids(Some("csd."), Some("sa")), ["csd.uxrate"]);
    assert_eq!(
        ids(Some("fred."), Some("unemployment")),
        Vec::<String>::new()
    );
    assert_eq!(ids(Some("nothing"), None), Vec::<String>::new());

    let summaries = store
        .list_series(&SeriesFilter {
            id_prefix: Some("csd.".to_owned()),
            tag: None,
        })
        .expect("list series");
    assert_eq!(summaries[0].meta, rate);
    assert_eq!(summaries[0].n_observations, 2);
    assert_eq!(summaries[0].first_period, Some(period("2025-07")));
    assert_eq!(summaries[0].last_period, Some(period("2025-09")));
    assert_eq!(summaries[1].meta, other);
    assert_eq!(
        (
            summaries[1].n_observations,
            summaries[1].first_period,
            summaries[1].last_period
        ),
        (0, None, None)
    );
}

pub(crate) fn imports_are_recorded(fixture: &mut Fixture) {
    let store = fixture.store();
    let first_info = ImportInfo {
        file_name: "lfs-2025-10.csv".to_owned(),
        format: "csv".to_owned(),
        imported_at: "2025-11-02T09:00:00+08:00".to_owned(),
    };
    let first = import_file(
        store,
        &first_info,
        &[monthly("lfs.u")],
        &[row("lfs.u", "2025-08", 3.8), row("lfs.u", "2025-09", 3.9)],
        &on("2025-11-02"),
    );
    let rolled_back = import(
        store,
        &[],
        &[row("lfs.u", "2025-09", 3.9), row("lfs.u", "2025-09", 3.9)],
        &on("2025-11-03"),
    );
    assert_eq!(rolled_back.import_id, None);
    let second_info = ImportInfo {
        file_name: "215-16001.xlsx".to_owned(),
        format: "csd-xlsx".to_owned(),
        imported_at: "2025-12-02T09:00:00+08:00".to_owned(),
    };
    let second = import_file(
        store,
        &second_info,
        &[],
        &[row("lfs.u", "2025-08", 3.8), row("lfs.u", "2025-09", 4.0)],
        &FinishOptions {
            allow_partial: true,
            rejected_before: 1,
            ..on("2025-12-02")
        },
    );
    let record =
        |id: Option<i64>, info: &ImportInfo, counts: (u64, u64, u64), rejected| ImportRecord {
            id: id.expect("committed"),
            file_name: info.file_name.clone(),
            format: info.format.clone(),
            imported_at: info.imported_at.clone(),
            rows_new: counts.0,
            rows_revised: counts.1,
            rows_unchanged: counts.2,
            rows_rejected: rejected,
        };
    assert_eq!(
        store.imports().expect("imports"),
        [
            record(second.import_id, &second_info, (0, 1, 1), 1),
            record(first.import_id, &first_info, (2, 0, 0), 0),
        ]
    );
    let import_ids: Vec<i64> = history(store, "lfs.u")
        .iter()
        .map(|stored| stored.import_id)
        .collect();
    assert_eq!(
        import_ids,
        [first.import_id, first.import_id, second.import_id].map(Option::unwrap)
    );
}

pub(crate) fn reopening_keeps_data_without_rerunning_migrations(fixture: &mut Fixture) {
    import(
        fixture.store(),
        &[with_tags(monthly("lfs.u"), &["unemployment"])],
        &[row("lfs.u", "2025-08", 3.8), row("lfs.u", "2025-09", 3.9)],
        &on("2025-11-01"),
    );
    let migrations = fixture.applied_migrations();
    assert_eq!(
        migrations
            .iter()
            .map(|AppliedMigration { version, name, .. }| (*version, name.as_str()))
            .collect::<Vec<_>>(),
        [
            (1, "init"),
            (2, "alert_audit"),
            (3, "cases"),
            (4, "stl_cache"),
            (5, "user_events"),
            (6, "arrears_saves"),
            (7, "observation_corrections"),
            (8, "case_work"),
            (9, "access_roles"),
            (10, "credentials"),
            (11, "report_archive"),
            (12, "notifications")
        ]
    );
    let before = snapshot(fixture.store());

    fixture.reopen().expect("reopen");
    assert_eq!(snapshot(fixture.store()), before);
    assert_eq!(fixture.applied_migrations(), migrations);
    let outcome = import(
        fixture.store(),
        &[],
        &[row("lfs.u", "2025-10", 4.0)],
        &on("2025-12-01"),
    );
    assert_eq!(counts(&outcome), (1, 0, 0));
}

pub(crate) fn newer_schema_is_refused(fixture: &mut Fixture) {
    fixture.record_future_migration(99);
    match fixture.reopen() {
        // The version this lmo supports is that of its last migration, whatever it is.
        Err(StoreError::SchemaTooNew {
            found: 99,
            supported,
        }) if (8..99).contains(&supported) => {}
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
}

/// The (version, name) of applied migrations.
fn versions(migrations: &[AppliedMigration]) -> Vec<(i64, &str)> {
    migrations
        .iter()
        .map(|AppliedMigration { version, name, .. }| (*version, name.as_str()))
        .collect()
}

fn acknowledgement(rule_id: &str, subject: &str, level: &str, at: &str) -> AlertAcknowledgement {
    AlertAcknowledgement {
        rule_id: rule_id.to_owned(),
        subject: subject.to_owned(),
        opened_period: "2025-07".parse().expect("period"),
        level: level.parse().expect("level"),
        user_name: "chan.tm".to_owned(),
        reason: format!("seen at {level}; waiting for the next release"),
        at: at.to_owned(),
    }
}

fn mute(rule_id: &str, subject: &str, until_period: &str, at: &str) -> AlertMute {
    AlertMute {
        rule_id: rule_id.to_owned(),
        subject: subject.to_owned(),
        until_period: until_period.parse().expect("period"),
        user_name: "lee.ky".to_owned(),
        reason: "季節性因素 (seasonal)".to_owned(),
        at: at.to_owned(),
    }
}

/// Ids of `entries`, checking that they increase.
fn increasing_ids<T>(entries: &[(i64, T)]) -> Vec<i64> {
    let ids: Vec<i64> = entries.iter().map(|(id, _)| *id).collect();
    assert!(
        ids.is_sorted_by(|a, b| a < b),
        "ids not increasing: {ids:?}"
    );
    ids
}

pub(crate) fn acknowledgements_are_listed_in_order_with_ids(fixture: &mut Fixture) {
    let store = fixture.store();
    assert_eq!(store.acknowledgements().expect("acknowledgements"), []);
    let entries = [
        acknowledgement("u-rise", "lfs.u", "blue", "2025-11-02T09:00:00+08:00"),
        acknowledgement("u-rise", "*", "blue", "2025-11-02T09:05:00+08:00"),
        // The same episode again, escalated: a new row, the first one stays.
        acknowledgement("u-rise", "lfs.u", "red", "2025-12-01T10:00:00+08:00"),
    ];
    let ids: Vec<i64> = entries
        .iter()
        .map(|entry| {
            store
                .add_acknowledgement(entry)
                .expect("add acknowledgement")
        })
        .collect();
    let listed = store.acknowledgements().expect("acknowledgements");
    assert_eq!(increasing_ids(&listed), ids);
    assert_eq!(
        listed
            .into_iter()
            .map(|(_, entry)| entry)
            .collect::<Vec<_>>(),
        entries
    );
    assert_eq!(store.mutes().expect("mutes"), []);
}

pub(crate) fn mutes_are_listed_in_order_with_ids(fixture: &mut Fixture) {
    let store = fixture.store();
    assert_eq!(store.mutes().expect("mutes"), []);
    let entries = [
        mute("u-rise", "lfs.u", "2025-12", "2025-11-02"),
        mute("vacancies-fall", "*", "2026-Q1", "2025-11-03T08:00:00Z"),
        // Extended: a new row, the first one stays.
        mute("u-rise", "lfs.u", "2026-03", "2026-01-05T09:00:00+08:00"),
    ];
    let ids: Vec<i64> = entries
        .iter()
        .map(|entry| store.add_mute(entry).expect("add mute"))
        .collect();
    let listed = store.mutes().expect("mutes");
    assert_eq!(increasing_ids(&listed), ids);
    assert_eq!(
        listed
            .into_iter()
            .map(|(_, entry)| entry)
            .collect::<Vec<_>>(),
        entries
    );
    assert_eq!(store.acknowledgements().expect("acknowledgements"), []);
}

pub(crate) fn stl_cache_is_replaced_whole_and_keeps_every_bit(fixture: &mut Fixture) {
    let store = fixture.store();
    assert_eq!(store.stl_cache().expect("stl cache"), []);
    let first = [
        ("f2".to_owned(), vec![4.25, -0.0, 1e-300, f64::MAX]),
        ("f1".to_owned(), Vec::new()),
    ];
    store.replace_stl_cache(&first).expect("replace");
    let bits = |entries: &[(String, Vec<f64>)]| -> Vec<(String, Vec<u64>)> {
        entries
            .iter()
            .map(|(fingerprint, values)| {
                (
                    fingerprint.clone(),
                    values.iter().map(|value| value.to_bits()).collect(),
                )
            })
            .collect()
    };
    assert_eq!(
        bits(&store.stl_cache().expect("stl cache")),
        bits(&[first[1].clone(), first[0].clone()]),
        "by fingerprint, bit for bit"
    );
    let second = [("f3".to_owned(), vec![2.5])];
    store.replace_stl_cache(&second).expect("replace");
    assert_eq!(store.stl_cache().expect("stl cache"), second);
}

pub(crate) fn empty_reason_is_refused_and_stores_nothing(fixture: &mut Fixture) {
    let store = fixture.store();
    let at = "2025-11-02T09:00:00+08:00";
    let refused = |result: Result<i64, StoreError>| match result {
        Err(StoreError::Invalid(message)) => message,
        other => panic!("expected Invalid, got {other:?}"),
    };
    for (user_name, reason) in [("chan.tm", ""), ("chan.tm", "  "), ("", "seen"), ("", "")] {
        let entry = AlertAcknowledgement {
            user_name: user_name.to_owned(),
            reason: reason.to_owned(),
            ..acknowledgement("u-rise", "lfs.u", "blue", at)
        };
        assert_eq!(
            refused(store.add_acknowledgement(&entry)),
            "an acknowledgement needs a user and a reason"
        );
        let entry = AlertMute {
            user_name: user_name.to_owned(),
            reason: reason.to_owned(),
            ..mute("u-rise", "lfs.u", "2025-12", at)
        };
        assert_eq!(
            refused(store.add_mute(&entry)),
            "a mute needs a user and a reason"
        );
    }
    assert_eq!(store.acknowledgements().expect("acknowledgements"), []);
    assert_eq!(store.mutes().expect("mutes"), []);

    // Refusals leave the store usable.
    let entry = acknowledgement("u-rise", "lfs.u", "blue", at);
    let id = store
        .add_acknowledgement(&entry)
        .expect("add acknowledgement");
    assert_eq!(
        store.acknowledgements().expect("acknowledgements"),
        [(id, entry)]
    );
}

pub(crate) fn version_1_database_migrates_keeping_observations(fixture: &mut Fixture) {
    fixture.replace_with_version_1_database();
    let version_1 = fixture.applied_migrations();
    assert_eq!(versions(&version_1), [(1, "init")]);

    fixture
        .reopen()
        .expect("open and migrate the version-1 database");
    let migrated = fixture.applied_migrations();
    assert_eq!(
        versions(&migrated),
        [
            (1, "init"),
            (2, "alert_audit"),
            (3, "cases"),
            (4, "stl_cache"),
            (5, "user_events"),
            (6, "arrears_saves"),
            (7, "observation_corrections"),
            (8, "case_work"),
            (9, "access_roles"),
            (10, "credentials"),
            (11, "report_archive"),
            (12, "notifications")
        ]
    );
    assert_eq!(migrated[0], version_1[0]);
    let store = fixture.store();
    assert_eq!(
        store.series(&id("lfs.u")).expect("series"),
        Some(with_tags(monthly("lfs.u"), &["unemployment"]))
    );
    assert_eq!(
        values(store, "lfs.u", None),
        latest(&[("2025-08", 3.8), ("2025-09", 3.9)])
    );
    assert_eq!(
        vintages(store, "lfs.u", "2025-09"),
        [vintage(3.9, "2025-10-30", VintageBasis::PublicationLag)]
    );
    let imports = store.imports().expect("imports");
    assert_eq!(
        imports
            .iter()
            .map(|record| (record.id, record.file_name.as_str(), record.rows_new))
            .collect::<Vec<_>>(),
        [(1, "lfs.csv", 2)]
    );
    assert_eq!(store.acknowledgements().expect("acknowledgements"), []);
    let ack = acknowledgement("u-rise", "lfs.u", "blue", "2025-11-02T09:00:00+08:00");
    let ack_id = store
        .add_acknowledgement(&ack)
        .expect("add acknowledgement");
    let silence = mute("u-rise", "lfs.u", "2025-12", "2025-11-02");
    let mute_id = store.add_mute(&silence).expect("add mute");
    let before = snapshot(store);

    // Migration 2 ran once: reopening neither reruns it nor loses what it created.
    fixture.reopen().expect("reopen");
    assert_eq!(fixture.applied_migrations(), migrated);
    let store = fixture.store();
    assert_eq!(snapshot(store), before);
    assert_eq!(
        store.acknowledgements().expect("acknowledgements"),
        [(ack_id, ack)]
    );
    assert_eq!(store.mutes().expect("mutes"), [(mute_id, silence)]);
    let outcome = import(
        store,
        &[],
        &[row("lfs.u", "2025-10", 4.0)],
        &on("2025-12-01"),
    );
    assert_eq!(counts(&outcome), (1, 0, 0));
    assert_eq!(outcome.import_id, Some(2));
}

/// A row written by another program that lmo cannot read back is skipped and reported with
/// its series and period; every other row is still read.
pub(crate) fn unreadable_rows_are_skipped_and_reported(fixture: &mut Fixture) {
    import(
        fixture.store(),
        &[monthly("lfs.u")],
        &[row("lfs.u", "2025-08", 3.8), row("lfs.u", "2025-09", 3.9)],
        &on("2025-11-01"),
    );
    fixture.execute_raw(
        "INSERT INTO observations
             (series_id, period, period_end, vintage, value, status, vintage_basis, import_id)
         VALUES ('lfs.u', '2999-01', '2999-01-31', '2025-11-01', 4.0, 'final', 'release', 1)",
    );
    let store = fixture.store();
    let periods = |observations: Vec<StoredObservation>| -> Vec<String> {
        observations
            .iter()
            .map(|stored| stored.observation.period.to_string())
            .collect()
    };
    let id = SeriesId::parse("lfs.u").unwrap();
    assert_eq!(
        periods(store.observations(&id, None).expect("observations")),
        ["2025-08", "2025-09"]
    );
    assert_eq!(
        periods(store.history(&id).expect("history")),
        ["2025-08", "2025-09"]
    );
    let skipped = store.take_skipped_rows();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert_eq!(skipped[0].table, "observations");
    assert_eq!(skipped[0].key, "series lfs.u, period 2999-01");
    assert!(
        skipped[0].reason.contains("'2999-01' is not a period"),
        "{skipped:?}"
    );
    assert_eq!(store.take_skipped_rows(), []);
    assert_eq!(
        store
            .list_series(&SeriesFilter::default())
            .expect("list")
            .len(),
        1
    );
}

/// A table imported again with the same release date but an edited figure (no vintage in
/// the rows): the edit would replace the published figure, so it is refused unless accepted,
/// and an accepted one keeps the published figure in the corrections record.
pub(crate) fn an_edited_figure_of_the_same_release_is_a_correction(fixture: &mut Fixture) {
    let store = fixture.store();
    let release = FinishOptions {
        file_vintage: Some(date("2025-12-19")),
        ..on("2026-01-05")
    };
    let table = [
        row("sev.v", "2025-10", 55_210.0),
        row("sev.v", "2025-11", 51_452.0),
    ];
    import(store, &[monthly("sev.v")], &table, &release);
    // Published in this release: its vintage is the release date.
    let published = store
        .vintages(&id("sev.v"), period("2025-11"))
        .expect("vintages");

    let edited = [
        row("sev.v", "2025-10", 55_210.0),
        row("sev.v", "2025-11", 47_200.0),
    ];
    let refused = import(store, &[], &edited, &release);
    assert_eq!(refused.import_id, None);
    assert_eq!(refused.problems.len(), 1);
    assert_eq!(refused.problems[0].line, 3);
    assert!(
        refused.problems[0].reason.starts_with(
            "sev.v for 2025-11 is stored as 51452 under vintage 2025-12-19; this file says 47200"
        ),
        "{:?}",
        refused.problems
    );
    // With --allow-partial the refused correction is left out and the rest goes in.
    let partial = import(
        store,
        &[],
        &edited,
        &FinishOptions {
            allow_partial: true,
            ..release.clone()
        },
    );
    assert_eq!(counts(&partial), (0, 0, 1));
    assert_eq!(
        values(store, "sev.v", None)[1],
        ("2025-11".to_owned(), 51_452.0)
    );

    let corrected = import(
        store,
        &[],
        &edited,
        &FinishOptions {
            accept_corrections: true,
            ..release
        },
    );
    assert_eq!(counts(&corrected), (0, 1, 1));
    assert_eq!(corrected.rows_corrected, 1);
    assert_eq!(
        values(store, "sev.v", None)[1],
        ("2025-11".to_owned(), 47_200.0)
    );
    let kept = store
        .corrected_values(&id("sev.v"), period("2025-11"))
        .expect("corrected values");
    assert_eq!(
        kept,
        [CorrectedValue {
            replaced: published[0].clone(),
            corrected_by_import: corrected.import_id.expect("committed"),
        }]
    );
}
