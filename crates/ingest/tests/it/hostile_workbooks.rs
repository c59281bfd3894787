//! Small hostile workbooks are refused before they are read: a cell at XFD1048576 or ZZ50000,
//! a zip bomb, an ODS row repeated a million times, an XLS whose sectors or records lie.
//! Each is built here as bytes; peak memory on the full-size probes is measured by
//! `bench/hostile.sh`.

use std::io::Write as _;

use ingest::{Container, IngestError, Input, Limits};

use crate::support::{Collected, data_dir};

/// A zip file of `entries` (name, content), deflated.
fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in entries {
        writer
            .start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// An XLSX workbook of one sheet whose `<sheetData>` (and `<dimension>`) is `sheet`.
fn xlsx(sheet: &str) -> Vec<u8> {
    let worksheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{sheet}</worksheet>"#
    );
    zip(&[
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", worksheet.as_bytes()),
    ])
}

/// A one-cell row of `sheetData` at `reference` (such as `B2`) holding the number 1.
fn cell(reference: &str) -> String {
    let row: String = reference.chars().filter(char::is_ascii_digit).collect();
    format!(r#"<row r="{row}"><c r="{reference}"><v>1</v></c></row>"#)
}

/// An ODS workbook whose table rows are `rows`.
fn ods(rows: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    zip(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        (
            "META-INF/manifest.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
        ),
        ("content.xml", content.as_bytes()),
    ])
}

fn parse(
    name: &str,
    bytes: &[u8],
    limits: Limits,
) -> (Result<ingest::ParseSummary, IngestError>, Collected) {
    let input = Input {
        name: name.to_owned(),
        container: Container::from_file_name(name),
        format: None,
        mapping: None,
        limits,
    };
    let mut collected = Collected::default();
    let result = ingest::parse(&input, Box::new(bytes), &mut collected);
    (result, collected)
}

/// The error `bytes` is refused with, under `limits`; it must be about the workbook.
fn refusal(name: &str, bytes: &[u8], limits: Limits) -> String {
    let (result, _) = parse(name, bytes, limits);
    let error = result.expect_err("refused");
    assert!(matches!(error, IngestError::Workbook { .. }), "{error}");
    error.to_string()
}

const TOO_MUCH: &str = "more than lmo reads from a workbook; export the table as CSV";

#[test]
fn a_cell_far_out_is_refused_before_a_range_is_made_for_it() {
    let limits = Limits::default();
    // Declared, and not declared: the cell itself gives the rectangle away.
    let declared = xlsx(&format!(
        r#"<dimension ref="A1:XFD1048576"/><sheetData>{}{}</sheetData>"#,
        cell("A1"),
        cell("XFD1048576")
    ));
    let message = refusal("far.xlsx", &declared, limits);
    assert!(
        message.contains("declares 17179869184 cells (A1:XFD1048576)"),
        "{message}"
    );
    assert!(message.contains(TOO_MUCH), "{message}");
    for far in ["XFD1048576", "ZZ50000"] {
        let undeclared = xlsx(&format!(
            r#"<dimension ref="A1"/><sheetData>{}{}</sheetData>"#,
            cell("A1"),
            cell(far)
        ));
        let message = refusal("far.xlsx", &undeclared, limits);
        assert!(
            message.contains(&format!("(at least A1:{far})")),
            "{message}"
        );
    }
    // Near cells are read.
    let near = xlsx(&format!(
        r#"<dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>DATE</t></is></c><c r="B1" t="inlineStr"><is><t>X</t></is></c></row>{}</sheetData>"#,
        cell("B2")
    ));
    let (result, _) = parse("near.xlsx", &near, limits);
    assert!(result.is_ok(), "{result:?}");
}

#[test]
fn too_many_cells_are_refused_as_they_are_read() {
    let limits = Limits {
        workbook_cells_max: 100,
        ..Limits::default()
    };
    let rows: String = (1..=200).map(|row| cell(&format!("A{row}"))).collect();
    let sheet = xlsx(&format!(r#"<sheetData>{rows}</sheetData>"#));
    let message = refusal("many.xlsx", &sheet, limits);
    assert!(message.contains("spans more than 100 cells"), "{message}");
}

#[test]
fn a_zip_bomb_is_refused_by_what_it_inflates_to() {
    let limits = Limits {
        workbook_uncompressed_bytes_max: 1 << 20,
        ..Limits::default()
    };
    // Two megabytes of one repeated row deflate to a few kilobytes.
    let bomb = format!(
        "<sheetData>{}</sheetData>",
        cell("A1").repeat(2 * 1024 * 1024 / 40)
    );
    let bytes = xlsx(&bomb);
    assert!(bytes.len() < 64 * 1024, "{}", bytes.len());
    let message = refusal("bomb.xlsx", &bytes, limits);
    assert!(
        message.contains("uncompressed, the workbook holds more than 1048576 bytes"),
        "{message}"
    );
}

#[test]
fn repeated_ods_rows_and_columns_count_as_the_cells_they_become() {
    let value = r#"<table:table-cell office:value-type="float" office:value="1"/>"#;
    let repeated_rows = ods(&format!(
        r#"<table:table-row>{value}</table:table-row><table:table-row table:number-rows-repeated="3000000"><table:table-cell/></table:table-row><table:table-row>{value}</table:table-row>"#
    ));
    let message = refusal("rows.ods", &repeated_rows, Limits::default());
    assert!(
        message.contains("the workbook spans 3000004 cells"),
        "{message}"
    );
    let repeated_columns = ods(
        r#"<table:table-row table:number-rows-repeated="3000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"/></table:table-row>"#,
    );
    let message = refusal("columns.ods", &repeated_columns, Limits::default());
    assert!(message.contains(TOO_MUCH), "{message}");
    // What LibreOffice writes after the data (empty cells and rows repeated to the sheet's
    // end) is no data and is read.
    let padded = ods(&format!(
        r#"<table:table-row>{value}<table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#
    ));
    let (result, _) = parse("padded.ods", &padded, Limits::default());
    // One cell is no known table: the format is unknown, but the workbook was read.
    assert!(
        matches!(result, Err(IngestError::UnknownFormat { .. })),
        "{result:?}"
    );
}

/// The real XLS file in data/, with `patch` applied.
fn patched_xls(patch: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut bytes = std::fs::read(data_dir().join("ai/bls_isco08_soc2010_crosswalk.xls")).unwrap();
    patch(&mut bytes);
    bytes
}

/// Where the first record of `kind` with `length` bytes of data starts in `bytes`.
fn record(bytes: &[u8], kind: u16, length: u16) -> usize {
    let header = [kind.to_le_bytes(), length.to_le_bytes()].concat();
    bytes
        .windows(4)
        .position(|window| window == header)
        .expect("record found")
}

#[test]
fn an_xls_file_is_checked_as_calamine_would_read_it() {
    let limits = Limits::default();
    // As published, it is read (as an unknown format, sheet by sheet).
    let (result, _) = parse("crosswalk.xls", &patched_xls(|_| {}), limits);
    assert!(
        !matches!(result, Err(IngestError::Workbook { .. })),
        "{result:?}"
    );
    // Declared dimensions of 4 billion rows.
    let huge_dimensions = patched_xls(|bytes| {
        let at = record(bytes, 0x0200, 14) + 4;
        bytes[at + 4..at + 8].copy_from_slice(&u32::MAX.to_le_bytes());
    });
    let message = refusal("crosswalk.xls", &huge_dimensions, limits);
    assert!(message.contains("a sheet declares"), "{message}");
    // A shared-string cell moved to IV65536 and beyond.
    let far_cell = patched_xls(|bytes| {
        let at = record(bytes, 0x00FD, 10) + 4;
        bytes[at..at + 4].copy_from_slice(&[0xFF; 4]);
    });
    let message = refusal("crosswalk.xls", &far_cell, limits);
    assert!(message.contains("spanning"), "{message}");
    // The directory's first sector past the end of the file, and a chain that loops.
    for (field, value) in [(48, 0x00FF_FFFF_u32), (68, 0)] {
        let broken = patched_xls(|bytes| {
            bytes[field..field + 4].copy_from_slice(&value.to_le_bytes());
        });
        let message = refusal("crosswalk.xls", &broken, limits);
        assert!(message.contains("the compound file is broken"), "{message}");
    }
}

#[test]
fn any_corruption_of_a_workbook_is_an_error_or_a_read_never_a_panic() {
    // Bytes overwritten all through the real workbooks: each parse must end, with an
    // answer or an error (a panic inside calamine is caught and reported).
    let mut errors = 0;
    for file in [
        "ai/bls_isco08_soc2010_crosswalk.xls",
        "isco/ilo_isco08_structure_and_definitions_en.xlsx",
    ] {
        let original = std::fs::read(data_dir().join(file)).unwrap();
        let name = format!("corrupt.{}", file.rsplit('.').next().unwrap());
        let mut state: u64 = 12_345;
        for round in 0..40 {
            let mut bytes = original.clone();
            for _ in 0..8 {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let at = (state >> 33) as usize % bytes.len();
                // Early rounds hit the header and directories, later ones anywhere.
                let at = if round < 20 { at % 4096 } else { at };
                bytes[at] = (state >> 17) as u8;
            }
            if parse(&name, &bytes, Limits::default()).0.is_err() {
                errors += 1;
            }
        }
    }
    assert!(
        errors > 10,
        "{errors} of 80 corrupted workbooks were refused"
    );
}
