//! The rejects file: every bad row with where it was and why, as CSV a person can open.

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

use crate::EngineError;

/// Shown on screen; the rest are in the file.
const REJECTS_SHOWN_MAX: usize = 20;

/// Collects rejects: all of them to a CSV file created on the first one, the first few in memory.
pub(crate) struct RejectsFile {
    path: PathBuf,
    writer: Option<csv::Writer<BufWriter<File>>>,
    shown: Vec<String>,
    count: u64,
}

impl RejectsFile {
    pub(crate) fn new(path: PathBuf) -> RejectsFile {
        RejectsFile {
            path,
            writer: None,
            shown: Vec::new(),
            count: 0,
        }
    }

    pub(crate) fn add(
        &mut self,
        file: &str,
        sheet: Option<&str>,
        line: u64,
        column: Option<usize>,
        reason: &str,
        raw: &str,
    ) -> Result<(), EngineError> {
        if self.writer.is_none() {
            self.writer = Some(self.create()?);
        }
        let writer = self.writer.as_mut().expect("created above");
        let column_text = column.map(|column| column.to_string()).unwrap_or_default();
        let line_text = line.to_string();
        writer
            .write_record([
                file,
                sheet.unwrap_or_default(),
                &line_text,
                &column_text,
                reason,
                raw,
            ])
            .map_err(|error| self.error(error.into()))?;
        self.count += 1;
        Ok(())
    }

    /// Remembers a message for the screen.
    pub(crate) fn show(&mut self, message: String) {
        if self.shown.len() < REJECTS_SHOWN_MAX {
            self.shown.push(message);
        }
    }

    fn create(&self) -> Result<csv::Writer<BufWriter<File>>, EngineError> {
        let file = crate::private_file::create_private_file(&self.path)
            .map_err(|source| self.error(source))?;
        let mut writer = csv::Writer::from_writer(BufWriter::new(file));
        writer
            .write_record(["file", "sheet", "line", "column", "reason", "row"])
            .map_err(|error| self.error(error.into()))?;
        Ok(writer)
    }

    fn error(&self, source: std::io::Error) -> EngineError {
        EngineError::RejectsFile {
            path: self.path.clone(),
            source,
        }
    }

    /// Flushes the file; returns its path if anything was written, with the shown messages.
    pub(crate) fn close(self) -> Result<(Option<PathBuf>, Vec<String>, u64), EngineError> {
        let path = self.path.clone();
        match self.writer {
            Some(mut writer) => {
                writer.flush().map_err(|source| EngineError::RejectsFile {
                    path: path.clone(),
                    source,
                })?;
                Ok((Some(path), self.shown, self.count))
            }
            None => Ok((None, self.shown, self.count)),
        }
    }
}
