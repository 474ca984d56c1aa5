//! CSV and TSV record files: a header row naming the columns, one record a row. TSV is
//! written with CSV-style quoting and without any; both readings are tried.

use super::record::{assemble, FieldValue, Record};
use super::{FileFormat, Format, Found, Input, Kind, Probe};
use crate::corpus::fields::{field_rank, normalise_key, Field, FieldMap, LAST_RESORT};
use crate::corpus::FileProblem;

/// Comma-separated values with a header row.
pub struct Csv;

/// Tab-separated values with a header row.
pub struct Tsv;

impl FileFormat for Csv {
    fn name(&self) -> &'static str {
        "csv"
    }

    fn kind(&self) -> Kind {
        Kind::Records
    }

    fn detect(&self, probe: &Probe) -> bool {
        let text = probe.text_without_bom();
        probe.plain_start()
            && delimiter_of(text) == Some(CSV)
            && detect_delimited(text) == Some(CSV)
    }

    fn read(&self, input: &Input) -> Result<Found, FileProblem> {
        let (records, problems) = read_delimited(input.text(self)?, b',', true, input.fields)
            .map_err(FileProblem::Records)?;
        Ok(input.records(self, records, problems))
    }
}

impl FileFormat for Tsv {
    fn name(&self) -> &'static str {
        "tsv"
    }

    fn kind(&self) -> Kind {
        Kind::Records
    }

    fn detect(&self, probe: &Probe) -> bool {
        let text = probe.text_without_bom();
        probe.plain_start()
            && delimiter_of(text) == Some(TSV)
            && detect_delimited(text) == Some(TSV)
    }

    fn read(&self, input: &Input) -> Result<Found, FileProblem> {
        let (records, problems) =
            read_tsv(input.text(self)?, input.fields).map_err(FileProblem::Records)?;
        Ok(input.records(self, records, problems))
    }
}

/// `--format csv`.
pub const CSV: Format = Format(&Csv);
/// `--format tsv`.
pub const TSV: Format = Format(&Tsv);

/// The table a text would be by its first line: TSV with a tab in it, else CSV with a comma.
fn delimiter_of(text: &str) -> Option<Format> {
    let first = text.lines().next()?;
    if first.contains('\t') {
        Some(TSV)
    } else if first.contains(',') {
        Some(CSV)
    } else {
        None
    }
}

/// Rows read to judge a CSV or TSV file.
const DETECT_ROWS: usize = 50;

/// CSV or TSV: a header row of short names, one of them a title or text name, and rows that
/// mostly have as many cells as the header. Prose with commas fails all three.
fn detect_delimited(text: &str) -> Option<Format> {
    let format = delimiter_of(text)?;
    let delimiter = if format == TSV { b'\t' } else { b',' };
    // The whole text, not a prefix: a first row holding a 400,000-character article must be
    // read to its end to be a row. Only the header and DETECT_ROWS rows are parsed.
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().ok()?.iter().map(normalise_key).collect();
    let empty = header.iter().filter(|h| h.is_empty()).count();
    // A header names columns: short names, at most one empty (a spreadsheet's index column).
    if header.len() < 2 || empty > 1 || header.iter().any(|h| h.chars().count() > 40) {
        return None;
    }
    let fields = FieldMap::default();
    let names_article = header.iter().any(|h| {
        matches!(field_rank(h, Field::Title, &fields), Some(r) if r < LAST_RESORT)
            || matches!(field_rank(h, Field::Text, &fields), Some(r) if r < LAST_RESORT)
    });
    if !names_article {
        return None;
    }
    let lengths: Vec<usize> = reader
        .records()
        .take(DETECT_ROWS)
        .flatten()
        .map(|row| row.len())
        .collect();
    let rows = lengths.len();
    let consistent = lengths.iter().filter(|&&len| len == header.len()).count();
    // One odd row is a problem line of a real file (an unquoted comma); more than a fifth is
    // text that is not a table.
    let odd = rows - consistent;
    (consistent > odd && odd <= (rows / 5).max(1)).then_some(format)
}

type ReadResult = Result<(Vec<Record>, Vec<String>), String>;

fn read_tsv(text: &str, fields: &FieldMap) -> ReadResult {
    // TSV is written both ways: with CSV-style quotes around cells holding tabs or line
    // breaks, and with no quoting at all, where a cell may start with a quotation mark
    // ("一带一路"倡议...). Read it both ways and keep the reading with fewer broken rows;
    // when both read as well, quotes are quoting only if every one wraps a whole cell.
    let quoted = read_delimited(text, b'\t', true, fields);
    let plain = read_delimited(text, b'\t', false, fields);
    match (quoted, plain) {
        (Ok(q), Ok(p)) => Ok(match p.1.len().cmp(&q.1.len()) {
            std::cmp::Ordering::Less => p,
            std::cmp::Ordering::Greater => q,
            std::cmp::Ordering::Equal if quotes_wrap_whole_cells(text) => q,
            std::cmp::Ordering::Equal => p,
        }),
        (Ok(q), Err(_)) => Ok(q),
        (Err(_), Ok(p)) => Ok(p),
        (Err(e), Err(_)) => Err(e),
    }
}

/// Every quotation mark in a TSV text opens or closes a whole cell (`"…"` between tabs).
fn quotes_wrap_whole_cells(text: &str) -> bool {
    text.lines().flat_map(|line| line.split('\t')).all(|cell| {
        let inner = cell
            .strip_prefix('"')
            .and_then(|c| c.strip_suffix('"'))
            .unwrap_or(cell);
        // Doubled quotes inside a quoted cell are escaped quotes.
        !inner.replace("\"\"", "").contains('"')
    })
}

fn read_delimited(text: &str, delimiter: u8, quoting: bool, fields: &FieldMap) -> ReadResult {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quoting(quoting)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("cannot read the header row: {e}"))?
        .iter()
        .map(normalise_key)
        .collect();
    if header.iter().all(|h| h.is_empty()) {
        return Err(
            "no header row: the first line should name the columns (title,content,...)".into(),
        );
    }
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let n = i + 1;
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                problems.push(format!("record {n}: {e}"));
                continue;
            }
        };
        if row.len() != header.len() {
            // Cells out of step with the header would land in the wrong fields.
            let line = row.position().map(|p| p.line()).unwrap_or(0);
            problems.push(format!(
                "record {n} (line {line}): {} cells where the header has {}",
                row.len(),
                header.len()
            ));
            continue;
        }
        let candidates: Vec<(String, FieldValue)> = header
            .iter()
            .zip(row.iter())
            .map(|(key, cell)| (key.clone(), FieldValue::One(cell.to_string())))
            .collect();
        records.push(assemble(n, &candidates, fields));
    }
    Ok((records, problems))
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;

    #[test]
    fn csv_reads_quoted_multiline_cells_and_reports_a_broken_row() {
        let csv = "id,标题,内容,发布时间,来源\n\
            1,南京长江五桥通车,\"南京长江五桥今天正式通车。\n大桥全长10.33公里，双向六车道。\",2020-12-24,新华日报\n\
            2,苏州工业园区,新增外资项目,数量,2021-01-05,苏州日报\n\
            3,\"无锡太湖湾科创带建设提速\",\"无锡太湖湾科创带,今年计划实施重大项目１００个。\",2021-03-02,无锡日报\n";
        assert_eq!(detect("news.csv", csv), Some(CSV));
        let records = read(CSV, csv);
        assert_eq!(records.records.len(), 2);
        assert_eq!(
            records.problems,
            vec!["record 2 (line 4): 6 cells where the header has 5".to_string()]
        );
        let first = &records.records[0];
        assert_eq!(first.title.as_deref(), Some("南京长江五桥通车"));
        assert_eq!(first.date.as_deref(), Some("2020-12-24"));
        assert_eq!(first.source.as_deref(), Some("新华日报"));
        assert_eq!(
            body(first),
            "南京长江五桥今天正式通车。\n大桥全长10.33公里，双向六车道。"
        );
        let third = &records.records[1];
        assert_eq!(third.n, 3);
        assert_eq!(
            body(third),
            "无锡太湖湾科创带,今年计划实施重大项目１００个。"
        );
    }

    #[test]
    fn csv_name_column_holding_lists_is_not_a_title() {
        let csv = "news_ID,hyperlink,content,name\n\
            1,https://news.example.tw/1,台積電今日召開股東會，董事長致詞。,[]\n\
            2,https://news.example.tw/2,警方破獲跨境詐騙集團。,\"['張三', '李四']\"\n";
        let records = read(CSV, csv);
        assert_eq!(records.records.len(), 2);
        assert!(records.records.iter().all(|r| r.title.is_none()));
        assert_eq!(
            records.records[0].url.as_deref(),
            Some("https://news.example.tw/1")
        );
    }

    #[test]
    fn tsv_with_a_quote_at_the_start_of_a_cell() {
        let tsv = "title\tdate\ttext\n\
            “一带一路”中欧班列开行超８万列\t2024-05-01\t\"一带一路\"中欧班列累计开行超过８万列。\n\
            黄河流域生态保护新进展\t2024-05-02\t黄河流域生态保护和高质量发展取得新进展。\n";
        assert_eq!(detect("corpus.tsv", tsv), Some(TSV));
        let records = read(TSV, tsv);
        assert!(records.problems.is_empty(), "{:?}", records.problems);
        assert_eq!(records.records.len(), 2);
        assert_eq!(
            body(&records.records[0]),
            "\"一带一路\"中欧班列累计开行超过８万列。"
        );
        assert_eq!(records.records[1].date.as_deref(), Some("2024-05-02"));
    }
}
