//! One arrears detection run over files, and the synthetic files for demos and benchmarks.
//!
//! Detection is read-only: it judges a month of MPF remittances, payroll and worker reports
//! against the employer register and writes nothing to the store (cases come later), so a
//! bad row is reported and written to the rejects file while the other rows still count.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use arrears::{
    DetectInputs, DetectSummary, Detection, GeneratorConfig, GeneratorOutputs, GeneratorSummary,
    Law, ParseContext, Parsed, PriorDefaults, Register, Reject, Thresholds,
};
use domain::{Date, Period};
use labour_law::Pseudonymiser;

use crate::EngineError;
use crate::rejects::RejectsFile;

/// A named input file.
pub type NamedReader<'a> = (String, Box<dyn Read + 'a>);

/// What to judge.
pub struct ArrearsRequest<'a> {
    pub period: Period,
    /// Today, or the date the data are judged at: later dates are rejected as future.
    pub as_of: Date,
    /// The HMAC key for HKIDs and names; never stored.
    pub pseudonym_key: &'a [u8],
    pub register: NamedReader<'a>,
    pub remittances: Vec<NamedReader<'a>>,
    pub payroll: Vec<NamedReader<'a>>,
    pub reports: Vec<NamedReader<'a>>,
    /// Earlier months' summaries (`lmo arrears --summaries-out`), for months in default.
    pub prior: Vec<NamedReader<'a>>,
    /// Days closed by a gale or black-rainstorm warning (`date,warning`): they move the
    /// MPF contribution day as holidays do.
    pub closures: Vec<NamedReader<'a>>,
    /// A thresholds file's text; the bundled defaults when `None`.
    pub thresholds: Option<String>,
    pub rejects_path: PathBuf,
}

/// The ranked employers and what was read.
pub struct ArrearsReport {
    pub detection: Detection,
    pub register: Register,
    pub summary: DetectSummary,
    pub rejected: u64,
    pub rejects_shown: Vec<String>,
    pub rejects_file: Option<PathBuf>,
}

/// A workbook input of the arrears early warning as the CSV text its readers take, with the
/// name of the sheet it came from (see [`ingest::workbook_as_csv`]: the table starts in A1,
/// so lines and columns in rejects are the sheet's rows and columns).
pub fn arrears_workbook_as_csv(
    name: &str,
    reader: Box<dyn Read + '_>,
) -> Result<(String, Vec<u8>), EngineError> {
    Ok(ingest::workbook_as_csv(
        name,
        reader,
        ingest::Limits::default(),
    )?)
}

/// Reads every file once, streaming, and ranks the employers in default.
pub fn detect_arrears(request: ArrearsRequest<'_>) -> Result<ArrearsReport, EngineError> {
    let pseudonymiser = Pseudonymiser::new(request.pseudonym_key)?;
    let thresholds = match &request.thresholds {
        Some(text) => Thresholds::from_toml(text)?,
        None => Thresholds::default(),
    };
    let mut rejects = RejectsFile::new(request.rejects_path);
    let mut failure = None;
    let mut on_reject = |reject: Reject| {
        if failure.is_some() {
            return;
        }
        rejects.show(reject.to_string());
        let location = &reject.location;
        let written = rejects.add(
            &location.file,
            None,
            location.line,
            location.column,
            &reject.reason,
            &reject.raw,
        );
        if let Err(error) = written {
            failure = Some(error);
        }
    };
    let (register_name, register_reader) = request.register;
    let (register, _) = arrears::read_register(register_reader, &register_name, &mut on_reject)?;
    let mut prior = PriorDefaults::new(request.period);
    for (name, reader) in request.prior {
        arrears::read_prior_summaries(reader, &name, &register, |parsed| match parsed {
            Parsed::Record(row) => prior.insert(row.employer, row.period),
            Parsed::Reject(reject) => on_reject(reject),
        })?;
    }
    let mut closures = Vec::new();
    for (name, reader) in request.closures {
        let (days, _) = arrears::read_closures(reader, &name, &mut on_reject)?;
        closures.extend(days);
    }
    closures.sort_unstable();
    let context = ParseContext {
        pseudonymiser: &pseudonymiser,
        as_of: request.as_of,
        register: &register,
        law: Law {
            closures: &closures,
            ..Law::hong_kong()
        },
    };
    let inputs = DetectInputs {
        remittances: request.remittances,
        payroll: request.payroll,
        reports: request.reports,
    };
    let (detection, summary) = arrears::detect(
        &context,
        request.period,
        &thresholds,
        &prior,
        inputs,
        &mut on_reject,
    )?;
    if let Some(error) = failure {
        return Err(error);
    }
    let (rejects_file, rejects_shown, rejected) = rejects.close()?;
    Ok(ArrearsReport {
        detection,
        register,
        summary,
        rejected,
        rejects_shown,
        rejects_file,
    })
}

/// The files [`generate_arrears_files`] wrote.
pub struct GeneratedFiles {
    pub summary: GeneratorSummary,
    pub employers: PathBuf,
    pub remittances: Option<PathBuf>,
    pub payroll: Option<PathBuf>,
    pub reports: PathBuf,
    pub truth: PathBuf,
}

/// Writes synthetic (clearly labelled) register, remittance, payroll, report and
/// ground-truth files into `dir`; `with_remittances` / `with_payroll` leave a kind out.
pub fn generate_arrears_files(
    config: &GeneratorConfig,
    dir: &Path,
    with_remittances: bool,
    with_payroll: bool,
) -> Result<GeneratedFiles, EngineError> {
    let create = |name: &str| -> Result<(PathBuf, BufWriter<File>), EngineError> {
        let path = dir.join(name);
        let file = File::create(&path).map_err(|source| EngineError::CreateFile {
            path: path.clone(),
            source,
        })?;
        Ok((path, BufWriter::new(file)))
    };
    std::fs::create_dir_all(dir).map_err(|source| EngineError::CreateFile {
        path: dir.to_path_buf(),
        source,
    })?;
    let (employers, mut employers_out) = create("employers.csv")?;
    let (reports, mut reports_out) = create("worker_reports.csv")?;
    let (truth, mut truth_out) = create("ground_truth.csv")?;
    let optional = |wanted: bool, name: &str| wanted.then(|| create(name)).transpose();
    let mut remittances_out = optional(with_remittances, "mpf_remittances.csv")?;
    let mut payroll_out = optional(with_payroll, "payroll.csv")?;
    let mut discard_remittances = std::io::sink();
    let mut discard_payroll = std::io::sink();
    let thresholds = Thresholds::default();
    let summary = {
        let mut outputs = GeneratorOutputs {
            employers: &mut employers_out,
            remittances: match &mut remittances_out {
                Some((_, writer)) => writer,
                None => &mut discard_remittances,
            },
            payroll: match &mut payroll_out {
                Some((_, writer)) => writer,
                None => &mut discard_payroll,
            },
            reports: &mut reports_out,
            truth: &mut truth_out,
        };
        arrears::generate(config, &Law::hong_kong(), &thresholds, &mut outputs)?
    };
    for (path, writer) in [
        (&employers, &mut employers_out),
        (&reports, &mut reports_out),
        (&truth, &mut truth_out),
    ]
    .into_iter()
    .chain(
        remittances_out
            .iter_mut()
            .map(|(path, writer)| (&*path, writer)),
    )
    .chain(
        payroll_out
            .iter_mut()
            .map(|(path, writer)| (&*path, writer)),
    ) {
        writer.flush().map_err(|source| EngineError::CreateFile {
            path: path.clone(),
            source,
        })?;
    }
    Ok(GeneratedFiles {
        summary,
        employers,
        remittances: remittances_out.map(|(path, _)| path),
        payroll: payroll_out.map(|(path, _)| path),
        reports,
        truth,
    })
}
