//! CSV output that is safe to open in a spreadsheet: a cell starting with `=`, `+`, `-`, `@`,
//! a tab or a carriage return would be evaluated as a formula (OWASP "CSV injection"), so it is
//! prefixed with a single quote, which spreadsheets show as text.

use std::borrow::Cow;

/// The characters that start a formula in common spreadsheets.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell as it may be written to a CSV file.
pub fn neutralize(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// One CSV line (quoted where needed, `\r\n` terminated) of neutralised cells.
pub fn line<I, S>(cells: I) -> Vec<u8>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let record: Vec<String> = cells
        .into_iter()
        .map(|c| neutralize(c.as_ref()).into_owned())
        .collect();
    // Writing to memory cannot fail.
    let _ = writer.write_record(&record);
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised() {
        for dangerous in ["=HYPERLINK(\"x\")", "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralize(dangerous).starts_with('\''), "{dangerous:?}");
        }
        assert_eq!(neutralize("Ann"), "Ann");
        assert_eq!(neutralize(""), "");
        assert_eq!(neutralize("a=b"), "a=b");
    }

    #[test]
    fn lines_quote_and_neutralise() {
        let bytes = line(["Lee, Ann", "=1+2", "say \"hi\""]);
        assert_eq!(
            String::from_utf8(bytes).expect("utf8"),
            "\"Lee, Ann\",'=1+2,\"say \"\"hi\"\"\"\r\n"
        );
    }
}
