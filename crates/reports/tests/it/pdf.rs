//! The PDF as a reader gets it: both titles, the latest figures as printed, Traditional
//! Chinese in an embedded CJK font, every page renderable.

use std::process::Command;

use reports::{ArrearsLabel, Format, Languages, Options};

use crate::support::{AS_OF, bundled_store, date};

/// Skips locally without Chromium; `scripts/test` sets `LMO_REQUIRE_PDF`, so in CI a
/// missing renderer fails.
fn renderer_present() -> bool {
    if reports::pdf::find_chromium().is_some() {
        return true;
    }
    assert!(
        std::env::var_os("LMO_REQUIRE_PDF").is_none(),
        "LMO_REQUIRE_PDF is set but no Chromium was found; install with: {}",
        reports::pdf::INSTALL_HINT
    );
    #[allow(clippy::print_stderr)]
    {
        eprintln!(
            "skipping the PDF test: no Chromium (install with: {})",
            reports::pdf::INSTALL_HINT
        );
    }
    false
}

#[test]
fn the_pdf_has_both_titles_the_latest_figures_and_renders_every_page() {
    if !renderer_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut engine = bundled_store(dir.path());
    let data = engine.report(date(AS_OF), None).unwrap();
    let report = reports::build(
        &data,
        &Options {
            languages: Languages::Both,
            lmo_version: "test".to_owned(),
            arrears: ArrearsLabel::default(),
        },
    );
    let out = dir.path().join("out");
    let written = reports::write(&report, &[Format::Pdf], &out).unwrap();
    assert!(written.pdf_error.is_none(), "{:?}", written.pdf_error);
    let pdf = &written.files[0].1;
    let pages = reports::pdf::pages_text(pdf).expect("pdftotext (poppler-utils) is installed");
    let text: String = pages.concat();
    for wanted in [
        "就業形勢分析報告",
        "Labour Market Situation Report",
        // The SA unemployment rate and total vacancies of the latest period, as printed.
        "seasonally adjusted unemployment rate was 3.7% in Q1 2026",
        "51,452",
        "經季節性調整的失業率2026年第1季為3.7%",
    ] {
        let squeezed: String = text.split_whitespace().collect();
        let wanted_squeezed: String = wanted.split_whitespace().collect();
        assert!(
            squeezed.contains(&wanted_squeezed),
            "the PDF lacks {wanted:?}"
        );
    }
    // The contents give each part's first section a page number.
    assert!(pages[1].contains("Contents"), "page 2 is the contents");
    let fonts = Command::new("pdffonts").arg(pdf).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout);
    // Chromium embeds the glyphs it uses (Type 3, unnamed); none may be left to the viewer.
    let font_lines: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!font_lines.is_empty());
    assert!(
        font_lines
            .iter()
            .all(|line| line.split_whitespace().rev().nth(4) == Some("yes")),
        "every font is embedded:\n{fonts}"
    );
    let png_dir = dir.path().join("png");
    std::fs::create_dir_all(&png_dir).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "40"])
        .arg(pdf)
        .arg(png_dir.join("page"))
        .status()
        .unwrap();
    assert!(status.success());
    let rendered = std::fs::read_dir(&png_dir).unwrap().count();
    assert_eq!(
        rendered,
        pages.iter().filter(|page| !page.trim().is_empty()).count()
    );
}
