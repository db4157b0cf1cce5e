//! Reading an uploaded CSV: UTF-8 with or without a byte-order mark, a header row, records
//! with their line numbers. Invalid encoding is an error naming the line it is on.

use kernel::{AppError, AppResult};

/// At most this many data rows per import.
pub const MAX_ROWS: usize = 200_000;

/// A parsed CSV file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvTable {
    pub headers: Vec<String>,
    pub rows: Vec<CsvRow>,
}

/// One record and the line it starts on (1-based, the header being line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    pub line: u64,
    pub cells: Vec<String>,
}

impl CsvRow {
    /// The trimmed cell at `index`, `None` when missing or blank.
    pub fn cell(&self, index: usize) -> Option<&str> {
        self.cells
            .get(index)
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes and parses a CSV file; `field` names the input the bytes came from (`csv`/`file`).
pub fn read_csv(bytes: &[u8], field: &str) -> AppResult<CsvTable> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let line = bytes[..error.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        AppError::invalid(field, format!("the file is not valid UTF-8 (line {line})"))
    })?;
    if text.contains('\0') {
        let line = text[..text.find('\0').unwrap_or(0)].matches('\n').count() + 1;
        return Err(AppError::invalid(
            field,
            format!("the file contains a NUL character (line {line})"),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| AppError::invalid(field, format!("the header row cannot be read: {e}")))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(AppError::invalid(field, "the file has no header row"));
    }
    let mut seen = std::collections::HashSet::new();
    for header in headers.iter().filter(|h| !h.is_empty()) {
        if !seen.insert(header.to_lowercase()) {
            return Err(AppError::invalid(
                field,
                format!("the column \"{header}\" appears twice in the header"),
            ));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            AppError::invalid(field, format!("line {line} cannot be read: {e}"))
        })?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(AppError::invalid(
                field,
                format!("at most {MAX_ROWS} rows can be imported at once"),
            ));
        }
        let line = record.position().map_or(0, csv::Position::line);
        rows.push(CsvRow {
            line,
            cells: record.iter().map(str::to_owned).collect(),
        });
    }
    Ok(CsvTable { headers, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_with_and_without_a_bom() {
        let plain = read_csv(b"Email,Name\na@x.io,Ann\n", "csv").expect("plain");
        let with_bom = read_csv(b"\xEF\xBB\xBFEmail,Name\na@x.io,Ann\n", "csv").expect("bom");
        assert_eq!(plain, with_bom);
        assert_eq!(plain.headers, ["Email", "Name"]);
        assert_eq!(plain.rows[0].line, 2);
        assert_eq!(plain.rows[0].cell(1), Some("Ann"));
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let error = read_csv(b"Email\na@x.io\nb@x.io\n\xFF\xFE\n", "file").expect_err("invalid");
        match error {
            AppError::BadUserInput { message, field } => {
                assert!(message.contains("line 4"), "{message}");
                assert_eq!(field.as_deref(), Some("file"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn quoted_cells_blank_rows_and_duplicate_headers() {
        let table = read_csv(
            b"Name,Note\n\"Lee, Ann\",\"multi\nline\"\n,\n\"Bo\",x\n",
            "csv",
        )
        .expect("parse");
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].cells, ["Lee, Ann", "multi\nline"]);
        assert_eq!(table.rows[1].line, 5);
        assert!(read_csv(b"Email,email\n", "csv").is_err());
        assert!(read_csv(b"", "csv").is_err());
    }
}
