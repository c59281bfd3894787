//! Readers and writers beside a long import: readers are never locked out, and a second
//! writer waits its turn instead of failing.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};

use crate::support::{Lmo, postgres_database};

/// A long-format file of `series` × 200 years of months: far more than the pipe buffer and
/// the 64 KiB format sniff, so that the import is inside its transaction while it reads.
fn long_rows(series: &[&str]) -> String {
    let mut text = String::from("series_id,period,value\n");
    for id in series {
        for year in 1900..2100 {
            for month in 1..=12 {
                writeln!(text, "{id},{year}-{month:02},{}", year + month).unwrap();
            }
        }
    }
    text
}

fn spawn_ingest(lmo: &Lmo, file: &str) -> Child {
    lmo.command()
        .args(["ingest", file])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn check(lmo: &Lmo, second_writer_waits: bool) {
    std::fs::write(
        lmo.path("meta.csv"),
        "series_id,title_en,frequency\nx.a,A,monthly\nx.b,B,monthly\nx.c,C,monthly\n\
         x.d,D,monthly\nx.e,E,monthly\n",
    )
    .unwrap();
    lmo.ok(&["ingest", lmo.path("meta.csv").to_str().unwrap()]);
    std::fs::write(
        lmo.path("second.csv"),
        "series_id,period,value\nx.b,1999-01,5\n",
    )
    .unwrap();

    // The long import reads a FIFO that this test keeps open until the end.
    let fifo = lmo.path("long.csv");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let mut first = spawn_ingest(lmo, fifo.to_str().unwrap());
    let mut writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    // Once all of it is written, lmo has read all but what the pipe holds (64 KiB), so more
    // than its 64 KiB sniff of the format: it is inside its import.
    let rows = long_rows(&["x.a", "x.c", "x.d", "x.e"]);
    assert!(rows.len() > 2 * 64 * 1024);
    writer.write_all(rows.as_bytes()).unwrap();
    writer.flush().unwrap();

    let listed = lmo.ok(&["series", "list", "--csv"]);
    assert!(
        listed.contains("x.a,") && listed.contains("x.b,"),
        "{listed}"
    );
    assert!(
        first.try_wait().unwrap().is_none(),
        "the long import ended before the reader ran"
    );

    let mut second = spawn_ingest(lmo, lmo.path("second.csv").to_str().unwrap());
    if second_writer_waits {
        // It says it waits, and it is still waiting while the first import goes on.
        let mut stderr = BufReader::new(second.stderr.take().unwrap());
        let mut line = String::new();
        stderr.read_line(&mut line).unwrap();
        assert!(
            line.starts_with("waiting for another lmo to finish writing to the store"),
            "{line}"
        );
        assert!(second.try_wait().unwrap().is_none());
    }

    drop(writer);
    let first = first.wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let second = second.wait_with_output().unwrap();
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    let imports = lmo.json(&["imports", "--json"]);
    let new: Vec<(String, i64)> = imports
        .as_array()
        .unwrap()
        .iter()
        .map(|import| {
            (
                std::path::Path::new(import["file"].as_str().unwrap())
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                import["rows_new"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(new.contains(&("long.csv".to_owned(), 4 * 2400)), "{new:?}");
    assert!(new.contains(&("second.csv".to_owned(), 1)), "{new:?}");
}

#[test]
fn sqlite_readers_read_and_a_second_writer_waits_beside_a_long_import() {
    check(&Lmo::sqlite(), true);
}

#[test]
fn postgres_readers_and_a_second_writer_go_on_beside_a_long_import() {
    if let Some(url) = postgres_database("concurrency") {
        check(&Lmo::with_database(url), false);
    }
}
