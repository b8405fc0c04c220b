//! Reading what psql printed for one block back into its parts.
//!
//! The recorded output of a block is exactly the text psql shows a reader
//! (aligned tables, command tags, NOTICEs, errors), so that a diff of the
//! recorded results reads like a terminal session. To render it as HTML,
//! this module finds the structure psql put there:
//!
//! - **tables** in psql's default `aligned` format: the dashed separator
//!   line gives each column's width (in display columns, so wide characters
//!   count twice), the header above it may span lines, a centred line above
//!   the header is a title (`\d`), and the rows run to the first line that
//!   does not fit, followed by footers (`(3 rows)`, `Indexes:`) up to the
//!   blank line psql always prints. A `+` in a column's last position
//!   continues the cell on the next line. A column is numeric (right
//!   aligned) when psql padded its cells on the left;
//! - **expanded records** (`\x`, `\gx`): `-[ RECORD 1 ]---` blocks of
//!   `name | value` lines;
//! - **messages**: `ERROR:`, `NOTICE:` and the like, with their `DETAIL:`,
//!   `HINT:`, `LINE n:` and caret lines;
//! - everything else is **text** (command tags, `\echo`, `COPY` output).
//!
//! NULL is recognised by the marker [`NULL`] that openbook sets with
//! `\pset null`; an author's own `\pset null '(null)'` wins, as in psql.
//! Anything that does not parse as a table stays text, so output is never
//! lost, only shown plainer.

use unicode_width::UnicodeWidthChar;

/// What psql prints for NULL during verification (`\pset null`).
pub const NULL: &str = "\u{2400}";

/// One part of a block's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A result table.
    Table(Table),
    /// Expanded records (`\x`).
    Records(Records),
    /// A server or psql message.
    Message(Message),
    /// Any other lines, as printed.
    Text(String),
}

/// A cell of a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// SQL NULL.
    Null,
    /// A value as psql printed it (may hold newlines).
    Value(String),
}

/// A table in psql's aligned format.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// A title (`\d` prints one).
    pub title: Option<String>,
    /// Column names.
    pub columns: Vec<String>,
    /// Per column: right aligned (numbers).
    pub numeric: Vec<bool>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
    /// The row count line, `(3 rows)`.
    pub count: Option<String>,
    /// Other footer lines (`Indexes:` and the like).
    pub footer: Vec<String>,
}

/// Expanded output: one list of (column, value) per record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Records {
    /// Each record: its heading (`RECORD 1`) and fields.
    pub records: Vec<(String, Vec<(String, Cell)>)>,
    /// Lines after the records (`(0 rows)`).
    pub footer: Vec<String>,
}

/// How serious a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// `ERROR`, `FATAL`, `PANIC`, or a psql error.
    Error,
    /// `WARNING`.
    Warning,
    /// `NOTICE`, `INFO`, `LOG`, `DEBUG`.
    Notice,
}

/// A message with its continuation lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// How serious.
    pub severity: Severity,
    /// The lines, as printed.
    pub text: String,
}

/// The severity of a line that starts a message, if it does.
pub fn message_start(line: &str) -> Option<Severity> {
    const SERVER: &[(&str, Severity)] = &[
        ("ERROR:  ", Severity::Error),
        ("FATAL:  ", Severity::Error),
        ("PANIC:  ", Severity::Error),
        ("WARNING:  ", Severity::Warning),
        ("NOTICE:  ", Severity::Notice),
        ("INFO:  ", Severity::Notice),
        ("LOG:  ", Severity::Notice),
        ("DEBUG:  ", Severity::Notice),
        // psql's own messages, once its `psql:file:line:` prefix is gone.
        ("error: ", Severity::Error),
        ("fatal: ", Severity::Error),
        ("warning: ", Severity::Warning),
    ];
    SERVER
        .iter()
        .find(|(p, _)| line.starts_with(p))
        .map(|(_, s)| *s)
}

/// True for a line that continues a message (`DETAIL:`, `LINE 2:`, ...).
pub fn is_continuation(line: &str, previous: &str) -> bool {
    const LABELS: &[&str] = &[
        "DETAIL:  ",
        "HINT:  ",
        "CONTEXT:  ",
        "QUERY:  ",
        "STATEMENT:  ",
        "LOCATION:  ",
    ];
    const CONTEXT: &[&str] = &[
        "PL/pgSQL function",
        "SQL statement",
        "SQL function",
        "SQL expression",
        "JSON data",
        "COPY ",
        "parallel worker",
        "extension script file",
    ];
    if LABELS.iter().any(|l| line.starts_with(l)) {
        return true;
    }
    if let Some(rest) = line.strip_prefix("LINE ") {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        return digits > 0 && rest[digits..].starts_with(':');
    }
    if previous.starts_with("LINE ") && !line.is_empty() && line.trim() == "^" {
        return true;
    }
    CONTEXT.iter().any(|c| line.starts_with(c))
}

/// Split a block's output into items.
pub fn parse(text: &str) -> Vec<Item> {
    let lines: Vec<&str> = text.lines().collect();
    let mut items = Vec::new();
    let mut plain: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some((start, end, table)) = table_at(&lines, i) {
            plain.extend(&lines[i..start]);
            flush_text(&mut plain, &mut items);
            items.push(Item::Table(table));
            i = end;
            continue;
        }
        if let Some((end, records)) = records_at(&lines, i) {
            flush_text(&mut plain, &mut items);
            items.push(Item::Records(records));
            i = end;
            continue;
        }
        if let Some(severity) = message_start(lines[i]) {
            flush_text(&mut plain, &mut items);
            let mut end = i + 1;
            while end < lines.len() && is_continuation(lines[end], lines[end - 1]) {
                end += 1;
            }
            items.push(Item::Message(Message {
                severity,
                text: lines[i..end].join("\n"),
            }));
            i = end;
            continue;
        }
        plain.push(lines[i]);
        i += 1;
    }
    flush_text(&mut plain, &mut items);
    items
}

fn flush_text(plain: &mut Vec<&str>, items: &mut Vec<Item>) {
    let start = plain.iter().position(|l| !l.trim().is_empty());
    let end = plain.iter().rposition(|l| !l.trim().is_empty());
    if let (Some(s), Some(e)) = (start, end) {
        items.push(Item::Text(plain[s..=e].join("\n")));
    }
    plain.clear();
}

/// Display width, as psql pads.
fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// A line's characters keyed by the display column where each starts.
fn columns_of(line: &str) -> Vec<(usize, char)> {
    let mut pos = 0;
    line.chars()
        .map(|c| {
            let at = pos;
            pos += c.width().unwrap_or(0);
            (at, c)
        })
        .collect()
}

/// The text between display columns `[from, to)`.
fn slice(cols: &[(usize, char)], from: usize, to: usize) -> String {
    let mut s: String = cols
        .iter()
        .filter(|(p, _)| *p >= from && *p < to)
        .map(|(_, c)| *c)
        .collect();
    let w = width(&s);
    let want = to.saturating_sub(from);
    // Trailing spaces are not recorded; pad back so alignment reads true.
    s.extend(std::iter::repeat_n(' ', want.saturating_sub(w)));
    s
}

fn char_at(cols: &[(usize, char)], at: usize) -> Option<char> {
    cols.iter().find(|(p, _)| *p == at).map(|(_, c)| *c)
}

/// The column layout a separator line (`----+-------`) describes.
#[derive(Debug)]
struct Layout {
    /// Per column: (first display column of the cell, cell width).
    cells: Vec<(usize, usize)>,
    /// Total width.
    total: usize,
}

impl Layout {
    fn from_separator(line: &str) -> Option<Layout> {
        if line.is_empty() || !line.starts_with('-') || !line.chars().all(|c| c == '-' || c == '+')
        {
            return None;
        }
        let mut cells = Vec::new();
        let mut start = 0;
        for seg in line.split('+') {
            if seg.len() < 2 {
                return None;
            }
            cells.push((start + 1, seg.len() - 2));
            start += seg.len() + 1;
        }
        Some(Layout {
            cells,
            total: line.len(),
        })
    }

    /// The cells of a line and each cell's continuation marker, if the line
    /// fits this layout.
    fn split(&self, line: &str) -> Option<Vec<(String, char)>> {
        if !line.starts_with(' ') {
            return None;
        }
        let cols = columns_of(line);
        if width(line) > self.total + 1 {
            return None;
        }
        let last = self.cells.len() - 1;
        let mut out = Vec::with_capacity(self.cells.len());
        for (i, &(start, w)) in self.cells.iter().enumerate() {
            if i < last && char_at(&cols, start + w + 1) != Some('|') {
                return None;
            }
            let marker = char_at(&cols, start + w).unwrap_or(' ');
            out.push((slice(&cols, start, start + w), marker));
        }
        Some(out)
    }
}

fn is_row_count(line: &str) -> bool {
    line.starts_with('(') && (line.ends_with(" rows)") || line.ends_with(" row)"))
}

/// A table whose separator is at or after `i`, starting at `i` (title or
/// header): returns (first line of the table, line after it, the table).
fn table_at(lines: &[&str], i: usize) -> Option<(usize, usize, Table)> {
    // The header is at most a few lines; the title one more.
    let sep =
        (i + 1..lines.len().min(i + 12)).find(|&s| Layout::from_separator(lines[s]).is_some())?;
    let layout = Layout::from_separator(lines[sep])?;
    // Header lines: the line above the separator, and lines above that
    // whose cells carry a `+` continuation marker.
    let mut head_start = sep - 1;
    layout.split(lines[head_start])?;
    while head_start > i {
        match layout.split(lines[head_start - 1]) {
            Some(cells) if cells.iter().any(|(_, m)| *m == '+') => head_start -= 1,
            _ => break,
        }
    }
    let mut start = head_start;
    let mut title = None;
    if head_start > i {
        let t = lines[head_start - 1];
        let lead = t.len() - t.trim_start().len();
        let w = width(t.trim());
        if lead > 0 && w < layout.total && lead == (layout.total - w) / 2 {
            title = Some(t.trim().to_string());
            start = head_start - 1;
        }
    }
    if start != i {
        return None;
    }
    let mut columns: Vec<String> = vec![String::new(); layout.cells.len()];
    let mut cont = vec![false; layout.cells.len()];
    for line in &lines[head_start..sep] {
        let cells = layout.split(line)?;
        for (c, (text, marker)) in cells.into_iter().enumerate() {
            if !columns[c].is_empty() && cont[c] {
                columns[c].push('\n');
            }
            if columns[c].is_empty() || cont[c] {
                columns[c].push_str(text.trim());
            }
            cont[c] = marker == '+';
        }
    }
    // Rows.
    let mut raw: Vec<Vec<String>> = Vec::new();
    let mut k = sep + 1;
    let mut cont = vec![false; layout.cells.len()];
    while k < lines.len() {
        let Some(cells) = layout.split(lines[k]) else {
            break;
        };
        let continuing = cont.iter().any(|&c| c);
        if !continuing {
            raw.push(cells.iter().map(|(t, _)| t.clone()).collect());
        } else if let Some(row) = raw.last_mut() {
            for (c, (text, _)) in cells.iter().enumerate() {
                if cont[c] {
                    row[c].push('\n');
                    row[c].push_str(text);
                }
            }
        }
        cont = cells.iter().map(|(_, m)| *m == '+' || *m == '.').collect();
        k += 1;
    }
    // Footers up to the blank line psql ends every table with.
    let mut count = None;
    let mut footer = Vec::new();
    while k < lines.len() && !lines[k].trim().is_empty() {
        if is_row_count(lines[k]) && count.is_none() && footer.is_empty() {
            count = Some(lines[k].to_string());
        } else {
            footer.push(lines[k].to_string());
        }
        k += 1;
    }
    let numeric: Vec<bool> = (0..layout.cells.len())
        .map(|c| is_numeric_column(raw.iter().map(|r| r[c].as_str())))
        .collect();
    let rows = raw
        .into_iter()
        .map(|r| {
            r.into_iter()
                .enumerate()
                .map(|(c, v)| cell(&v, numeric[c]))
                .collect()
        })
        .collect();
    Some((
        start,
        k,
        Table {
            title,
            columns,
            numeric,
            rows,
            count,
            footer,
        },
    ))
}

fn cell(raw: &str, numeric: bool) -> Cell {
    let lines: Vec<&str> = raw
        .split('\n')
        .map(|l| if numeric { l.trim() } else { l.trim_end() })
        .collect();
    let v = lines.join("\n");
    if v == NULL {
        Cell::Null
    } else {
        Cell::Value(v)
    }
}

/// psql right-aligns numeric columns, so their cells are padded on the
/// left; text columns are padded on the right. When no cell is padded
/// (every value fills the column), numbers are recognised by their look.
fn is_numeric_column<'a>(cells: impl Iterator<Item = &'a str> + Clone) -> bool {
    let mut right = 0;
    let mut left = 0;
    for c in cells.clone() {
        let first = c.split('\n').next().unwrap_or("");
        let lead = first.starts_with(' ');
        let trail = first.ends_with(' ');
        match (lead, trail) {
            (true, false) => right += 1,
            (false, true) => left += 1,
            _ => {}
        }
    }
    if right + left > 0 {
        return right > 0 && left == 0;
    }
    let mut any = false;
    for c in cells {
        let v = c.trim();
        if v == NULL || v.is_empty() {
            continue;
        }
        if v.parse::<f64>().is_err() {
            return false;
        }
        any = true;
    }
    any
}

/// Expanded records starting at line `i`.
fn records_at(lines: &[&str], i: usize) -> Option<(usize, Records)> {
    record_heading(lines[i])?;
    let mut out = Records::default();
    let mut k = i;
    while k < lines.len() {
        let Some(heading) = record_heading(lines[k]) else {
            break;
        };
        k += 1;
        let body_start = k;
        while k < lines.len() && !lines[k].is_empty() && record_heading(lines[k]).is_none() {
            k += 1;
        }
        let fields = record_fields(&lines[body_start..k])?;
        out.records.push((heading, fields));
    }
    while k < lines.len() && !lines[k].trim().is_empty() {
        out.footer.push(lines[k].to_string());
        k += 1;
    }
    Some((k, out))
}

fn record_heading(line: &str) -> Option<String> {
    let rest = line.strip_prefix("-[ ")?;
    let (head, tail) = rest.split_once(" ]")?;
    if !head.starts_with("RECORD ") || !tail.chars().all(|c| c == '-' || c == '+') {
        return None;
    }
    Some(head.to_string())
}

/// `name | value` lines; a line with a blank name continues the value above
/// (whose trailing `+` marks the line break).
fn record_fields(lines: &[&str]) -> Option<Vec<(String, Cell)>> {
    let bar = lines
        .iter()
        .map(|l| {
            let cols = columns_of(l);
            cols.iter()
                .enumerate()
                .filter(|(k, (_, c))| {
                    *c == '|'
                        && *k > 0
                        && cols[k - 1].1 == ' '
                        && cols.get(k + 1).is_none_or(|(_, n)| *n == ' ')
                })
                .map(|(_, (p, _))| *p)
                .collect::<Vec<_>>()
        })
        .reduce(|a, b| a.into_iter().filter(|p| b.contains(p)).collect())?
        .into_iter()
        .min()?;
    let mut fields: Vec<(String, String)> = Vec::new();
    for l in lines {
        let cols = columns_of(l);
        let name = slice(&cols, 0, bar);
        let value: String = cols
            .iter()
            .filter(|(p, _)| *p > bar + 1)
            .map(|(_, c)| *c)
            .collect();
        if name.trim().is_empty() {
            let (_, v) = fields.last_mut()?;
            let kept = v
                .trim_end()
                .strip_suffix('+')
                .unwrap_or(v)
                .trim_end()
                .to_string();
            *v = format!("{kept}\n{}", value.trim_end());
        } else {
            fields.push((name.trim().to_string(), value.trim_end().to_string()));
        }
    }
    Some(
        fields
            .into_iter()
            .map(|(n, v)| {
                let c = if v == NULL {
                    Cell::Null
                } else {
                    Cell::Value(v)
                };
                (n, c)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only_table(text: &str) -> Table {
        match parse(text).as_slice() {
            [Item::Table(t)] => t.clone(),
            other => panic!("expected one table, got {other:?}"),
        }
    }

    fn v(s: &str) -> Cell {
        Cell::Value(s.into())
    }

    #[test]
    fn a_simple_result() {
        let t = only_table(" id | name  |  n\n----+-------+-----\n  1 | a     | 1.5\n  2 | ␀     |   ␀\n(2 rows)\n");
        assert_eq!(t.columns, vec!["id", "name", "n"]);
        assert_eq!(t.numeric, vec![true, false, true]);
        assert_eq!(
            t.rows,
            vec![
                vec![v("1"), v("a"), v("1.5")],
                vec![v("2"), Cell::Null, Cell::Null]
            ]
        );
        assert_eq!(t.count.as_deref(), Some("(2 rows)"));
    }

    #[test]
    fn multi_line_cells_headers_and_wide_characters() {
        let text = "    multi   +| b\n line header |\n-------------+---\n           1 | 2\n(1 row)\n\n wide col |  n  |   t   | z\n----------+-----+-------+---\n é日本    | 1.5 | two  +| ␀\n          |     | lines |\n(1 row)\n";
        let items = parse(text);
        let [Item::Table(a), Item::Table(b)] = items.as_slice() else {
            panic!("{items:?}")
        };
        assert_eq!(a.columns, vec!["multi\nline header", "b"]);
        assert_eq!(
            b.rows,
            vec![vec![v("é日本"), v("1.5"), v("two\nlines"), Cell::Null]]
        );
        assert_eq!(b.numeric, vec![false, true, false, false]);
    }

    #[test]
    fn describe_output_has_a_title_and_footers() {
        let text = "      Table \"public.t\"\n Column |  Type  | Nullable\n--------+--------+----------\n id     | bigint | not null\nIndexes:\n    \"t_pkey\" PRIMARY KEY, btree (id)\n";
        let t = only_table(text);
        assert_eq!(t.title.as_deref(), Some("Table \"public.t\""));
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.count, None);
        assert_eq!(
            t.footer,
            vec!["Indexes:", "    \"t_pkey\" PRIMARY KEY, btree (id)"]
        );
    }

    #[test]
    fn tags_messages_and_tables_interleave() {
        let text = "BEGIN\nUPDATE 3\n title | price\n-------+-------\n a     | 26.91\n(1 row)\n\nERROR:  column \"nme\" does not exist\nLINE 1: select nme from t;\n               ^\nHINT:  Perhaps you meant \"t.name\".\nNOTICE:  hello\nROLLBACK\n";
        let items = parse(text);
        assert_eq!(items.len(), 5, "{items:?}");
        assert_eq!(items[0], Item::Text("BEGIN\nUPDATE 3".into()));
        assert!(matches!(&items[1], Item::Table(t) if t.rows.len() == 1));
        match &items[2] {
            Item::Message(m) => {
                assert_eq!(m.severity, Severity::Error);
                assert_eq!(m.text.lines().count(), 4);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(&items[3], Item::Message(m) if m.severity == Severity::Notice));
        assert_eq!(items[4], Item::Text("ROLLBACK".into()));
    }

    #[test]
    fn single_column_plans_stop_at_the_row_count() {
        let t = only_table(
            "    QUERY PLAN\n-------------------\n Seq Scan on t\n   Filter: (x = 1)\n(2 rows)\n",
        );
        assert_eq!(
            t.rows,
            vec![vec![v("Seq Scan on t")], vec![v("  Filter: (x = 1)")]]
        );
        assert_eq!(t.numeric, vec![false]);
    }

    #[test]
    fn a_bar_inside_a_value_does_not_split_it() {
        let t = only_table(" x|y | bar\n-----+-----\n xxx | |\n(1 row)\n");
        assert_eq!(t.columns, vec!["x|y", "bar"]);
        assert_eq!(t.rows, vec![vec![v("xxx"), v("|")]]);
    }

    #[test]
    fn expanded_records() {
        let text = "-[ RECORD 1 ]-------\na  | 1\nbb | long value here\nc  | ␀\nd  | x              +\n   | y\n-[ RECORD 2 ]-------\na  | 2\nbb | b\nc  | 3\nd  | z\n\n";
        let items = parse(text);
        let [Item::Records(r)] = items.as_slice() else {
            panic!("{items:?}")
        };
        assert_eq!(r.records.len(), 2);
        assert_eq!(r.records[0].1[2], ("c".to_string(), Cell::Null));
        assert_eq!(r.records[0].1[3], ("d".to_string(), v("x\ny")));
        assert_eq!(r.records[1].0, "RECORD 2");
    }

    #[test]
    fn what_is_not_a_table_stays_text() {
        assert_eq!(
            parse("--\n(1 row)\n"),
            vec![Item::Text("--\n(1 row)".into())]
        );
        assert_eq!(
            parse("My title\n a | b\n---+---\n 1 | 2\n(1 row)\n")[0],
            Item::Text("My title".into())
        );
        assert_eq!(parse("1,a\n2,b\n"), vec![Item::Text("1,a\n2,b".into())]);
    }
}
