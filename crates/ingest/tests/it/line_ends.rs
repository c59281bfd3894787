//! Line ends and long lines: every real file reads the same whatever its lines end with
//! (LF, CRLF, a lone CR as old Mac files have, or a mix), and a row too long to be data
//! stops the read where it starts, before it is held in memory.

use std::fmt::Write as _;
use std::path::PathBuf;

use ingest::{Container, Format, IngestError, Input, Limits};
use proptest::prelude::*;

use crate::support::{Collected, data_dir, mapping_beside, parse_bytes};

/// Every CSV file in data/ that lmo ingests (the others are read by other crates).
fn real_csv_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["hk", "us/fred", "us/jolts"] {
        for entry in std::fs::read_dir(data_dir().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|extension| extension == "csv") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 15, "{files:?}");
    files
}

/// `text` with each line end (LF or CRLF, outside or inside quotes) written as `ends`
/// picks: 0 LF, 1 CRLF, 2 CR.
fn rewrite(text: &[u8], mut ends: impl FnMut(usize) -> u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 16);
    for (index, line) in text.split_inclusive(|&byte| byte == b'\n').enumerate() {
        let Some(content) = line.strip_suffix(b"\n") else {
            out.extend_from_slice(line);
            continue;
        };
        out.extend_from_slice(content.strip_suffix(b"\r").unwrap_or(content));
        out.extend_from_slice([&b"\n"[..], b"\r\n", b"\r"][usize::from(ends(index))]);
    }
    out
}

/// What a parse gave, line numbers included.
fn outcome(result: Result<ingest::ParseSummary, IngestError>, collected: &Collected) -> String {
    let mut text = match result {
        Ok(summary) => format!(
            "{} rows, {} rejected\n",
            summary.rows_read, summary.rejected
        ),
        Err(error) => format!("{error}\n"),
    };
    for (series, observation, location) in &collected.observations {
        writeln!(
            text,
            "{location} {series} {} {}",
            observation.period, observation.value
        )
        .unwrap();
    }
    for reject in &collected.rejects {
        writeln!(text, "{reject}").unwrap();
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn any_line_ends_give_the_same_rows_on_the_same_lines(
        file in 0usize..64,
        mode in 0u8..5,
        seed in any::<u64>(),
    ) {
        let files = real_csv_files();
        let path = &files[file % files.len()];
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mapping = mapping_beside(path);
        let original = std::fs::read(path).unwrap();
        let (result, collected) = parse_bytes(&name, &rewrite(&original, |_| 0), mapping.as_ref());
        let expected = outcome(result, &collected);
        prop_assert!(collected.observations.len() > 5, "{}", expected);
        let mut state = seed;
        let rewritten = rewrite(&original, |index| match mode {
            0..=2 => mode,
            // A lone carriage return after the header only.
            3 => if index == 0 { 2 } else { 0 },
            _ => {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                ((state >> 33) % 3) as u8
            }
        });
        let (result, collected) = parse_bytes(&name, &rewritten, mapping.as_ref());
        prop_assert_eq!(outcome(result, &collected), expected);
    }
}

#[test]
fn a_row_longer_than_the_limit_stops_the_read_at_its_line() {
    let long = "9".repeat(Limits::default().row_bytes_max + 1);
    let expected = format!(
        "long.csv:3: the row is longer than the limit of {} bytes (a missing line end, or a quote never closed?)",
        Limits::default().row_bytes_max
    );
    for (text, line) in [
        // A row without a line end, as a 2 GB file of one line would be.
        (
            format!("series_id,period,value\nx.a,2020-01,1\nx.a,2020-02,{long}"),
            3,
        ),
        (
            format!("series_id,period,value\nx.a,2020-01,1\nx.a,2020-02,{long}\nx.a,2020-03,1\n"),
            3,
        ),
        // A quote never closed: the rest of the file would be one cell.
        (
            format!(
                "series_id,period,value\nx.a,2020-01,1\n\"x.a{}",
                "\n1".repeat(600_000)
            ),
            3,
        ),
        (format!("{long}\n"), 1),
    ] {
        let (result, _) = parse_bytes("long.csv", text.as_bytes(), None);
        let error = result.unwrap_err();
        assert!(matches!(error, IngestError::RowTooLong { .. }), "{error}");
        assert_eq!(
            error.to_string(),
            expected.replace("long.csv:3", &format!("long.csv:{line}"))
        );
    }
}

#[test]
fn an_over_long_first_line_is_too_long_not_badly_encoded() {
    // Chinese text cut at 64 KiB, as the format is sniffed, ends mid-character.
    let text = format!("{}\n1,2\n", "陳".repeat(700_000));
    let input = Input {
        name: "long.csv".to_owned(),
        container: Container::Csv,
        format: None,
        mapping: None,
        limits: Limits::default(),
    };
    let sniffed = ingest::sniff_format(&input, &text.as_bytes()[..=64 * 1024]).unwrap();
    assert_eq!(sniffed, None);
    let (result, _) = parse_bytes("long.csv", text.as_bytes(), None);
    assert!(
        matches!(result, Err(IngestError::RowTooLong { line: 1, .. })),
        "{result:?}"
    );
    // A first line that ends in the prefix is sniffed as before.
    let prefix = b"series_id,period,value\nx.a,2020-0";
    assert_eq!(
        ingest::sniff_format(&input, prefix).unwrap(),
        Some(Format::Long)
    );
}

#[test]
fn a_file_without_rows_says_what_it_holds() {
    for (bytes, message) in [
        (&b""[..], "f.csv: the file is empty"),
        (
            b"\n\r\n\r",
            "f.csv: the file holds only blank lines, no rows",
        ),
        (
            b"\xef\xbb\xbf",
            "f.csv: the file holds only a byte-order mark, no rows",
        ),
    ] {
        let (result, _) = parse_bytes("f.csv", bytes, None);
        assert_eq!(result.unwrap_err().to_string(), message);
    }
}
