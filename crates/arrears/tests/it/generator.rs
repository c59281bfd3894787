//! The generator: deterministic for a seed, and detection finds exactly what it injected.

use std::collections::{BTreeMap, BTreeSet};

use arrears::{
    DefaultKind, DefaultRates, DetectInputs, DetectSummary, Detection, GeneratorConfig,
    GeneratorOutputs, Law, Level, ParseContext, Parsed, PriorDefaults, Reject, Thresholds, detect,
    generate, read_register, read_truth,
};

use crate::support::ranked;
use domain::Period;
use labour_law::Pseudonymiser;

/// The five generated files, in memory.
#[derive(Default, PartialEq, Eq)]
struct Files {
    employers: Vec<u8>,
    remittances: Vec<u8>,
    payroll: Vec<u8>,
    reports: Vec<u8>,
    truth: Vec<u8>,
}

fn generate_files(config: &GeneratorConfig) -> Files {
    let mut files = Files::default();
    generate(
        config,
        &Law::hong_kong(),
        &Thresholds::default(),
        &mut GeneratorOutputs {
            employers: &mut files.employers,
            remittances: &mut files.remittances,
            payroll: &mut files.payroll,
            reports: &mut files.reports,
            truth: &mut files.truth,
        },
    )
    .unwrap();
    files
}

fn config(seed: u64, employers: u32) -> GeneratorConfig {
    let mut config = GeneratorConfig::new(seed, employers, Period::parse("2025-06").unwrap());
    // Sizable employers (100 or more) and groups of 10 occur at this spread.
    config.employees_per_employer.max = 120;
    config.rates = DefaultRates {
        mpf_unpaid: 0.03,
        mpf_late: 0.03,
        mpf_short: 0.03,
        wages_late: 0.03,
        wages_unpaid: 0.03,
        below_minimum_wage: 0.03,
        report_without_data: 0.03,
    };
    config.group_share = 0.2;
    config
}

#[test]
fn the_same_seed_gives_identical_bytes() {
    let a = generate_files(&config(7, 300));
    let b = generate_files(&config(7, 300));
    assert!(a == b);
    let c = generate_files(&config(8, 300));
    assert!(a.remittances != c.remittances);
}

#[test]
fn generated_files_are_labelled_synthetic() {
    let files = generate_files(&config(1, 3));
    let employers = String::from_utf8(files.employers).unwrap();
    let remittances = String::from_utf8(files.remittances).unwrap();
    assert!(
        employers
            .lines()
            .nth(1)
            .unwrap()
            .contains("Generated Employer 0000000 Ltd")
    );
    assert!(
        remittances
            .lines()
            .nth(1)
            .unwrap()
            .contains(",Worker 0000000,")
    );
}

/// Detection over the generated files, with `remittances` in place of the generated ones.
fn detect_files(
    config: &GeneratorConfig,
    files: &Files,
    remittances: &[u8],
) -> (Detection, DetectSummary, Vec<Reject>) {
    detect_all(
        config,
        &[
            &files.employers,
            remittances,
            &files.payroll,
            &files.reports,
        ],
    )
}

/// Detection over a register, remittances, payroll and reports.
fn detect_all(
    config: &GeneratorConfig,
    [employers, remittances, payroll, reports]: &[&[u8]; 4],
) -> (Detection, DetectSummary, Vec<Reject>) {
    let pseudonymiser = Pseudonymiser::new(crate::support::KEY).unwrap();
    let mut rejects = Vec::new();
    let (register, _) = read_register(*employers, "employers.csv", |r| {
        rejects.push(r);
    })
    .unwrap();
    let context = ParseContext {
        pseudonymiser: &pseudonymiser,
        as_of: config.as_of,
        register: &register,
        law: Law::hong_kong(),
    };
    let inputs = DetectInputs {
        remittances: vec![("mpf.csv".to_owned(), *remittances)],
        payroll: vec![("payroll.csv".to_owned(), *payroll)],
        reports: vec![("reports.csv".to_owned(), *reports)],
    };
    let (detection, summary) = detect(
        &context,
        config.period,
        &Thresholds::default(),
        &PriorDefaults::new(config.period),
        inputs,
        |r| rejects.push(r),
    )
    .unwrap();
    (detection, summary, rejects)
}

/// How a file's lines end once re-written.
#[derive(Debug, Clone, Copy)]
enum Endings {
    LineFeed,
    Windows,
    /// Old Mac files: a carriage return alone.
    CarriageReturn,
    /// A carriage return after the header, line feeds after the rows.
    CarriageReturnAfterHeader,
    /// Each line its own, as the seed picks.
    Mixed(u64),
}

/// `text` (lines ending in line feeds) with its line ends re-written.
fn rewrite_endings(text: &[u8], endings: Endings) -> Vec<u8> {
    let mut rng = arrears::SplitMix64::new(match endings {
        Endings::Mixed(seed) => seed,
        _ => 0,
    });
    let mut out = Vec::with_capacity(text.len() + text.len() / 32);
    for (index, line) in text.split_inclusive(|&byte| byte == b'\n').enumerate() {
        let Some(content) = line.strip_suffix(b"\n") else {
            out.extend_from_slice(line);
            continue;
        };
        out.extend_from_slice(content);
        let end: &[u8] = match endings {
            Endings::LineFeed | Endings::CarriageReturnAfterHeader if index > 0 => b"\n",
            Endings::Windows => b"\r\n",
            Endings::CarriageReturn | Endings::CarriageReturnAfterHeader => b"\r",
            Endings::LineFeed => b"\n",
            Endings::Mixed(_) => [&b"\n"[..], b"\r\n", b"\r"][(rng.next_u64() % 3) as usize],
        };
        out.extend_from_slice(end);
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]
    /// Whatever line ends each file is written with (LF, CRLF, CR, a CR after the header
    /// only, or a mix), every row is read and detection finds the same.
    #[test]
    fn any_line_ends_give_the_same_detection(
        seed in 0u64..1_000,
        endings in proptest::prop_oneof![
            proptest::strategy::Just(Endings::LineFeed),
            proptest::strategy::Just(Endings::Windows),
            proptest::strategy::Just(Endings::CarriageReturn),
            proptest::strategy::Just(Endings::CarriageReturnAfterHeader),
            proptest::strategy::Strategy::prop_map(0u64..1_000_000, Endings::Mixed),
        ],
    ) {
        let config = config(seed, 40);
        let files = generate_files(&config);
        let originals = [&files.employers, &files.remittances, &files.payroll, &files.reports];
        let (expected, expected_summary, rejects) =
            detect_all(&config, &originals.map(Vec::as_slice));
        proptest::prop_assert!(rejects.is_empty());
        proptest::prop_assert!(expected_summary.payroll.rows_read > 100);
        let rewritten = originals.map(|text| rewrite_endings(text, endings));
        let (detection, summary, rejects) = detect_all(&config, &rewritten.each_ref().map(Vec::as_slice));
        let rejects: Vec<String> = rejects.iter().map(ToString::to_string).collect();
        proptest::prop_assert_eq!(rejects, Vec::<String>::new());
        proptest::prop_assert_eq!(summary, expected_summary);
        proptest::prop_assert_eq!(ranked(&detection), ranked(&expected));
    }
}

#[test]
fn windows_line_ends_quoted_cells_and_an_unsorted_file_change_nothing() {
    // The same month written three ways must give the same result: as generated (grouped
    // by employer, LF), with CRLF and every name quoted with commas and quotes in it, and
    // with the rows of all employers interleaved (so the duplicate check cannot rely on
    // grouping). The files span several 1 MiB blocks, so the parallel reader cuts them.
    let config = config(11, 2_000);
    let files = generate_files(&config);
    assert!(
        files.remittances.len() > 3 << 20,
        "{}",
        files.remittances.len()
    );
    let text = String::from_utf8(files.remittances.clone()).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();

    let mut windows = format!("{header}\r\n");
    for row in &rows {
        let mut cells: Vec<String> = row.split(',').map(str::to_owned).collect();
        cells[2] = format!("\"{}, \"\"W\"\"\"", cells[2]);
        windows.push_str(&cells.join(","));
        windows.push_str("\r\n");
    }
    // Rows 0, 2, 4, … then 1, 3, 5, …: every employer's rows come apart.
    let mut unsorted = format!("{header}\n");
    for row in rows.iter().step_by(2).chain(rows.iter().skip(1).step_by(2)) {
        unsorted.push_str(row);
        unsorted.push('\n');
    }

    let (expected, expected_summary, rejects) = detect_files(&config, &files, &files.remittances);
    assert!(rejects.is_empty());
    for (shape, remittances) in [("windows", windows), ("unsorted", unsorted.clone())] {
        let (detection, summary, rejects) = detect_files(&config, &files, remittances.as_bytes());
        assert!(rejects.is_empty(), "{shape}: {}", rejects[0]);
        assert_eq!(summary, expected_summary, "{shape}");
        assert_eq!(ranked(&detection), ranked(&expected), "{shape}");
    }

    // A repeated row far from its first copy, in the unsorted file: rejected as a duplicate
    // with its own line, and nothing else changes.
    let repeated = format!("{unsorted}{}\n", rows[0]);
    let (detection, _, rejects) = detect_files(&config, &files, repeated.as_bytes());
    let rejects: Vec<String> = rejects.iter().map(ToString::to_string).collect();
    assert_eq!(
        rejects,
        [format!(
            "mpf.csv:{}: duplicate row: this employer, employee and period_start 2025-06-01 appear on an earlier row",
            rows.len() + 2
        )]
    );
    assert_eq!(ranked(&detection), ranked(&expected));
}

#[test]
fn detection_finds_exactly_the_injected_defaults() {
    let config = config(2025, 2_000);
    let files = generate_files(&config);
    let (detection, summary, rejects) = detect_files(&config, &files, &files.remittances);
    assert!(summary.remittances.records > 40_000, "{summary:?}");
    assert!(rejects.is_empty(), "{:?}", &rejects[..rejects.len().min(5)]);

    let mut truth = BTreeMap::new();
    read_truth(files.truth.as_slice(), "truth.csv", |parsed| match parsed {
        Parsed::Record(row) => {
            truth.insert((row.employer_id, row.kind), row.expected_level);
        }
        Parsed::Reject(reject) => panic!("{reject}"),
    })
    .unwrap();
    let found: BTreeMap<(String, DefaultKind), Level> = detection
        .employers
        .iter()
        .flat_map(|employer| {
            employer
                .kinds
                .iter()
                .map(|kind| ((employer.employer_id.clone(), *kind), employer.level))
        })
        .collect();

    let expected: BTreeSet<_> = truth.keys().cloned().collect();
    let detected: BTreeSet<_> = found.keys().cloned().collect();
    let true_positives = expected.intersection(&detected).count() as f64;
    let precision = true_positives / detected.len() as f64;
    let recall = true_positives / expected.len() as f64;
    let missed: Vec<_> = expected.difference(&detected).take(5).collect();
    let extra: Vec<_> = detected.difference(&expected).take(5).collect();
    assert_eq!(
        (precision, recall),
        (1.0, 1.0),
        "missed {missed:?}, extra {extra:?}"
    );
    assert_eq!(found, truth, "levels differ");

    // Every injected kind and every level occurs, so the test covers them all.
    let kinds: BTreeSet<DefaultKind> = truth.keys().map(|(_, kind)| *kind).collect();
    assert_eq!(kinds.len(), 7, "{kinds:?}");
    let levels: BTreeSet<Level> = truth.values().copied().collect();
    assert_eq!(levels.len(), 3, "{levels:?}");
}

#[test]
fn a_too_early_as_of_date_is_refused() {
    let mut config = config(1, 3);
    config.as_of = crate::support::date("2025-07-15");
    let mut sink = Vec::new();
    let mut a = Vec::new();
    let mut b = Vec::new();
    let mut c = Vec::new();
    let mut d = Vec::new();
    let error = generate(
        &config,
        &Law::hong_kong(),
        &Thresholds::default(),
        &mut GeneratorOutputs {
            employers: &mut sink,
            remittances: &mut a,
            payroll: &mut b,
            reports: &mut c,
            truth: &mut d,
        },
    )
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "generator: as_of 2025-07-15 must be at least 12 days after the contribution day 2025-07-10"
    );
}
