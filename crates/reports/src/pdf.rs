//! PDF through headless Chromium (Debian `chromium`), driven as a subprocess: the HTML
//! page printed to A4 with its print styles. A second pass fills the contents' page numbers,
//! read from the first print with `pdftotext` (poppler-utils) when it is installed.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::html::TocPages;
use crate::{Report, ReportError};

/// The command that installs what the PDF needs on Debian.
pub const INSTALL_HINT: &str = "apt-get install -y chromium fonts-noto-cjk poppler-utils";

/// Chromium gets this many polls of [`POLL`] to print before it is stopped.
const MAX_POLLS: u32 = 1_200;
const POLL: Duration = Duration::from_millis(50);

/// The Chromium binary: `LMO_CHROMIUM` if set, else the first of the usual names on `PATH`.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("LMO_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    find_on_path(&[
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ])
}

fn find_on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

fn io_error(path: &Path, source: std::io::Error) -> ReportError {
    ReportError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Prints `html_path` to `pdf_path` with Chromium.
fn print(
    chromium: &Path,
    html_path: &Path,
    pdf_path: &Path,
    profile: &Path,
) -> Result<(), ReportError> {
    let html = std::fs::canonicalize(html_path).map_err(|source| io_error(html_path, source))?;
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-extensions",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf_path.display()))
        .arg(format!("file://{}", html.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| {
            ReportError::Renderer(format!("cannot start {}: {source}", chromium.display()))
        })?;
    for _ in 0..MAX_POLLS {
        match child.try_wait() {
            Ok(Some(status)) => {
                if status.success() && pdf_path.is_file() {
                    return Ok(());
                }
                let mut stderr = String::new();
                if let Some(mut pipe) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
                }
                return Err(ReportError::Renderer(format!(
                    "{} exited with {status} without writing {}: {}",
                    chromium.display(),
                    pdf_path.display(),
                    stderr.lines().rev().take(3).collect::<Vec<_>>().join(" | ")
                )));
            }
            Ok(None) => std::thread::sleep(POLL),
            Err(error) => return Err(ReportError::Renderer(error.to_string())),
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    Err(ReportError::Renderer(format!(
        "{} did not finish printing within a minute",
        chromium.display()
    )))
}

/// The text of each page of a PDF, through `pdftotext`; `None` when it is not installed.
pub fn pages_text(pdf_path: &Path) -> Option<Vec<String>> {
    let output = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf_path)
        .arg("-")
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output.status.success().then(|| {
        String::from_utf8_lossy(&output.stdout)
            .split('\u{c}')
            .map(str::to_owned)
            .collect()
    })
}

/// The page on which each section's heading first appears after the contents.
fn toc_pages(report: &Report, pages: &[String]) -> TocPages {
    let squeeze = |text: &str| {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
    };
    let pages: Vec<String> = pages.iter().map(|page| squeeze(page)).collect();
    // Page 1 is the cover and page 2 the contents.
    let mut next = 2;
    let mut found = Vec::new();
    for part in &report.parts {
        for section in &part.sections {
            let heading = squeeze(&section.title);
            if let Some(offset) = pages
                .iter()
                .skip(next)
                .position(|page| page.contains(&heading))
            {
                next += offset;
                found.push(((part.lang.tag(), section.id), next as u32 + 1));
            }
        }
    }
    found
}

/// Writes the PDF of `report` to `pdf_path`.
pub(crate) fn write(report: &Report, pdf_path: &Path) -> Result<(), ReportError> {
    let chromium = find_chromium().ok_or_else(|| {
        ReportError::RendererMissing(format!(
            "no Chromium found (looked for chromium, chromium-browser, google-chrome on PATH; set LMO_CHROMIUM to use another); install it with: {INSTALL_HINT}"
        ))
    })?;
    let work =
        tempfile::tempdir().map_err(|source| io_error(Path::new("temporary directory"), source))?;
    let html_path = work.path().join("report.html");
    let profile = work.path().join("chromium-profile");
    let first_pdf = work.path().join("first.pdf");
    std::fs::write(&html_path, crate::html::render(report, None))
        .map_err(|source| io_error(&html_path, source))?;
    print(&chromium, &html_path, &first_pdf, &profile)?;
    let Some(pages) = pages_text(&first_pdf) else {
        // Without pdftotext the contents have no page numbers; the PDF is otherwise whole.
        std::fs::copy(&first_pdf, pdf_path).map_err(|source| io_error(pdf_path, source))?;
        return Ok(());
    };
    let numbers = toc_pages(report, &pages);
    std::fs::write(&html_path, crate::html::render(report, Some(&numbers)))
        .map_err(|source| io_error(&html_path, source))?;
    print(&chromium, &html_path, pdf_path, &profile)
}
