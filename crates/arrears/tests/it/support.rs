//! Shared helpers: a fixed pseudonym key, valid test HKIDs and a whole run over CSV texts.

use std::fmt::Write as _;

use arrears::{
    DetectInputs, DetectSummary, Detection, Detector, Law, ParseContext, Parsed, PriorDefaults,
    Reject, Thresholds, detect, read_payroll, read_prior_summaries, read_register,
    read_remittances, read_reports,
};
use domain::Period;
use labour_law::{Date, Hkid, Pseudonymiser};

pub(crate) const KEY: &[u8] = b"arrears-test-key-0123456789";

pub(crate) const REGISTER_HEADER: &str = "employer_id,name,hsic_section,district,headcount\n";
pub(crate) const REMITTANCE_HEADER: &str = "employer_id,employee_id,employee_name,period_start,period_end,relevant_income,employer_contribution,employee_contribution,paid_on\n";
pub(crate) const PAYROLL_HEADER: &str = "employer_id,employee_id,employee_name,period_start,period_end,wages_due,wages_paid,paid_on,hours_worked\n";
pub(crate) const REPORT_HEADER: &str =
    "employer_id,reported_on,workers_affected,amount_claimed,channel,summary\n";
pub(crate) const PRIOR_HEADER: &str = "employer_id,period,level,workers_affected,arrears\n";

pub(crate) fn date(text: &str) -> Date {
    text.parse().unwrap()
}

pub(crate) fn june() -> Period {
    Period::parse("2025-06").unwrap()
}

/// The as-of date of most tests: three weeks after the June contribution day (10 July).
pub(crate) fn as_of() -> Date {
    date("2025-07-31")
}

/// A valid HKID with the given letters and six digits: the check digit is found by trying
/// all eleven with `labour_law`, so the tests do not restate the scheme.
pub(crate) fn hkid(body: &str) -> String {
    "0123456789A"
        .chars()
        .map(|check| format!("{body}({check})"))
        .find(|candidate| Hkid::parse(candidate).is_ok())
        .unwrap()
}

/// The same body with a wrong check digit.
pub(crate) fn bad_hkid(body: &str) -> String {
    "0123456789A"
        .chars()
        .map(|check| format!("{body}({check})"))
        .find(|candidate| Hkid::parse(candidate).is_err())
        .unwrap()
}

/// The four input files (and prior summaries) of one run, as CSV bodies without headers.
#[derive(Default)]
pub(crate) struct Inputs {
    pub(crate) register: String,
    pub(crate) remittances: String,
    pub(crate) payroll: String,
    pub(crate) reports: String,
    pub(crate) prior: String,
}

/// Everything a run produced, for assertions.
pub(crate) struct Run {
    pub(crate) detection: Detection,
    pub(crate) rejects: Vec<Reject>,
    /// The `Debug` of every record parsed.
    pub(crate) records_debug: String,
}

pub(crate) fn run(inputs: &Inputs) -> Run {
    run_with(inputs, &Thresholds::default(), as_of())
}

/// A whole run through [`arrears::detect`], which also rejects rows the detector cannot
/// add up; the register and prior summaries are read as in [`run`].
pub(crate) fn detect_run(inputs: &Inputs) -> (Detection, DetectSummary, Vec<Reject>) {
    let pseudonymiser = Pseudonymiser::new(KEY).unwrap();
    let mut rejects = Vec::new();
    let register_text = format!("{REGISTER_HEADER}{}", inputs.register);
    let (register, _) = read_register(register_text.as_bytes(), "employers.csv", |r| {
        rejects.push(r);
    })
    .unwrap();
    let context = ParseContext {
        pseudonymiser: &pseudonymiser,
        as_of: as_of(),
        register: &register,
        law: Law::hong_kong(),
    };
    let texts = [
        format!("{REMITTANCE_HEADER}{}", inputs.remittances),
        format!("{PAYROLL_HEADER}{}", inputs.payroll),
        format!("{REPORT_HEADER}{}", inputs.reports),
    ];
    let inputs = DetectInputs {
        remittances: vec![("mpf.csv".to_owned(), texts[0].as_bytes())],
        payroll: vec![("payroll.csv".to_owned(), texts[1].as_bytes())],
        reports: vec![("reports.csv".to_owned(), texts[2].as_bytes())],
    };
    let (detection, summary) = detect(
        &context,
        june(),
        &Thresholds::default(),
        &PriorDefaults::new(june()),
        inputs,
        |r| rejects.push(r),
    )
    .unwrap();
    (detection, summary, rejects)
}

pub(crate) fn run_with(inputs: &Inputs, thresholds: &Thresholds, as_of: Date) -> Run {
    let pseudonymiser = Pseudonymiser::new(KEY).unwrap();
    let mut rejects = Vec::new();
    let mut records_debug = String::new();
    let register_text = format!("{REGISTER_HEADER}{}", inputs.register);
    let (register, _) = read_register(register_text.as_bytes(), "employers.csv", |r| {
        rejects.push(r);
    })
    .unwrap();
    let context = ParseContext {
        pseudonymiser: &pseudonymiser,
        as_of,
        register: &register,
        law: Law::hong_kong(),
    };
    let mut prior = PriorDefaults::new(june());
    let prior_text = format!("{PRIOR_HEADER}{}", inputs.prior);
    read_prior_summaries(
        prior_text.as_bytes(),
        "prior.csv",
        &register,
        |parsed| match parsed {
            Parsed::Record(row) => prior.insert(row.employer, row.period),
            Parsed::Reject(reject) => rejects.push(reject),
        },
    )
    .unwrap();
    let thresholds = *thresholds;
    let mut detector = Detector::new(june(), as_of, &register, &thresholds, &prior).unwrap();
    let text = format!("{REMITTANCE_HEADER}{}", inputs.remittances);
    read_remittances(
        text.as_bytes(),
        "mpf.csv",
        &context,
        |parsed| match parsed {
            Parsed::Record(row) => {
                writeln!(records_debug, "{row:?}").unwrap();
                detector.remittance(&row).unwrap();
            }
            Parsed::Reject(reject) => rejects.push(reject),
        },
    )
    .unwrap();
    let text = format!("{PAYROLL_HEADER}{}", inputs.payroll);
    read_payroll(
        text.as_bytes(),
        "payroll.csv",
        &context,
        |parsed| match parsed {
            Parsed::Record(row) => {
                writeln!(records_debug, "{row:?}").unwrap();
                detector.payroll(&row).unwrap();
            }
            Parsed::Reject(reject) => rejects.push(reject),
        },
    )
    .unwrap();
    let text = format!("{REPORT_HEADER}{}", inputs.reports);
    read_reports(
        text.as_bytes(),
        "reports.csv",
        &context,
        |parsed| match parsed {
            Parsed::Record(row) => {
                writeln!(records_debug, "{row:?}").unwrap();
                detector.report(&row).unwrap();
            }
            Parsed::Reject(reject) => rejects.push(reject),
        },
    )
    .unwrap();
    Run {
        detection: detector.finish(),
        rejects,
        records_debug,
    }
}

/// One line per listed employer: id, level, workers, arrears, surcharge, kinds, reasons.
pub(crate) fn ranked(detection: &Detection) -> String {
    let mut text = String::new();
    for employer in &detection.employers {
        let kinds: Vec<&str> = employer.kinds.iter().map(|kind| kind.as_str()).collect();
        let reasons: Vec<&str> = employer.reasons.iter().map(|reason| reason.en()).collect();
        writeln!(
            text,
            "{} {} workers={} arrears={} surcharge={} late={} months={} [{}] {}",
            employer.employer_id,
            employer.level,
            employer.workers_affected,
            employer.arrears,
            employer.surcharge,
            employer.max_days_late,
            employer.months_in_default,
            kinds.join(" "),
            reasons.join("; ")
        )
        .unwrap();
    }
    text
}

/// The ranked list of a run with the default thresholds as of `day`, which must reject no
/// row.
pub(crate) fn ranked_as_of(inputs: &Inputs, day: &str) -> String {
    let run = run_with(inputs, &Thresholds::default(), date(day));
    assert!(run.rejects.is_empty(), "{:?}", run.rejects);
    ranked(&run.detection)
}

pub(crate) fn rejects_text(rejects: &[Reject]) -> String {
    let mut text = String::new();
    for reject in rejects {
        writeln!(text, "{reject}\n    raw: {}", reject.raw).unwrap();
    }
    text
}

/// A June remittance row of a worker with a monthly relevant income of HK$20,000 (HK$1,000
/// due from each side) and the given payment.
pub(crate) fn mpf_row(employer: &str, worker: u32, employer_part: &str, paid_on: &str) -> String {
    format!(
        "{employer},{},Worker {worker},2025-06-01,2025-06-30,20000.00,{employer_part},1000.00,{paid_on}\n",
        hkid(&format!("B{worker:06}"))
    )
}

/// A June payroll row of the same worker: HK$20,000 due over 176 hours.
pub(crate) fn pay_row(
    employer: &str,
    worker: u32,
    due: &str,
    paid: &str,
    paid_on: &str,
    hours: &str,
) -> String {
    format!(
        "{employer},{},Worker {worker},2025-06-01,2025-06-30,{due},{paid},{paid_on},{hours}\n",
        hkid(&format!("B{worker:06}"))
    )
}

/// A register row with the given headcount.
pub(crate) fn employer_row(id: &str, headcount: u32) -> String {
    format!("{id},{id} Trading Ltd,G,Kwun Tong,{headcount}\n")
}
