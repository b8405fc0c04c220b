//! Diagnostics: every problem openbook reports, with its location as data.
//!
//! A [`Diagnostic`] carries the file, line and column it is about, a
//! severity and a message that says what was found and what was expected.
//! It is rendered once per medium: [`Diagnostic::fmt`] gives the plain
//! `file:line:col: error: message` line used on the terminal and in tests,
//! [`Diagnostic::to_terminal`] adds colour when the stream is a terminal,
//! and the serve overlay renders the same fields as HTML.
//!
//! Problems found while building are collected in a [`Diagnostics`] list so
//! that one run reports all of them, not just the first.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops `build` (or makes `check` exit 1).
    Error,
    /// Reported, but the build goes on.
    Warning,
}

/// One finding about the author's input (or the machine's state).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The file the finding is about, as the author knows it (relative to
    /// the site folder where possible).
    pub file: Option<PathBuf>,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What was found and what was expected.
    pub message: String,
}

impl Diagnostic {
    /// An error about a whole file or about nothing in particular.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            file: None,
            line: 0,
            column: 0,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A warning about a whole file or about nothing in particular.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// Attach the file this finding is about.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Attach a 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The `file:line:col` prefix, or an empty string.
    pub fn location(&self) -> String {
        match &self.file {
            None => String::new(),
            Some(f) => {
                let f = f.display();
                match (self.line, self.column) {
                    (0, _) => format!("{f}"),
                    (l, 0) => format!("{f}:{l}"),
                    (l, c) => format!("{f}:{l}:{c}"),
                }
            }
        }
    }

    /// The line as printed on a terminal, with ANSI colour if asked for.
    pub fn to_terminal(&self, colour: bool) -> String {
        let (label, code) = match self.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let loc = self.location();
        let label = if colour {
            format!("\x1b[{code}m{label}\x1b[0m")
        } else {
            label.to_string()
        };
        if loc.is_empty() {
            format!("{label}: {}", self.message)
        } else if colour {
            format!("\x1b[1m{loc}\x1b[0m: {label}: {}", self.message)
        } else {
            format!("{loc}: {label}: {}", self.message)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_terminal(false))
    }
}

/// A list of findings, collected from every stage of a build.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one finding.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Add all findings of another list.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// True when at least one finding is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// The findings, sorted by file, line and column, without duplicates.
    pub fn sorted(&self) -> Vec<Diagnostic> {
        let mut v = self.items.clone();
        v.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        v.dedup();
        v
    }

    /// True when there is nothing to report.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Iterate over the findings in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics { items: vec![d] }
    }
}

/// Maps byte offsets in a text to 1-based line and column numbers.
///
/// Columns count characters, not bytes, so that an editor's "go to column"
/// lands where the message says.
///
/// Offsets are usually asked for in increasing order (links in page
/// order); the last answer is remembered so that many links on one long
/// line count the characters between them, not from the line's start each
/// time (that was quadratic: 100,000 links on one line took 35 s, issue 6).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last (line, byte offset, 0-based column) answered.
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl LineIndex {
    /// Index the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            last: std::cell::Cell::new((0, 0, 0)),
        }
    }

    /// The 1-based (line, column) of byte `offset` in `text`.
    pub fn locate(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let (last_line, last_offset, last_col) = self.last.get();
        let (start, base) = if last_line == line && last_offset <= offset {
            (last_offset, last_col)
        } else {
            (self.starts[line], 0)
        };
        let col = base
            + text
                .get(start..offset)
                .map(|s| s.chars().count())
                .unwrap_or(0);
        self.last.set((line, offset, col));
        (line + 1, col + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_from_one() {
        let text = "ab\ncdé\nf";
        let idx = LineIndex::new(text);
        assert_eq!(idx.locate(text, 0), (1, 1));
        assert_eq!(idx.locate(text, 3), (2, 1));
        assert_eq!(idx.locate(text, 7), (2, 4));
        assert_eq!(idx.locate(text, 8), (3, 1));
        // Out of order, and back on an earlier line.
        assert_eq!(idx.locate(text, 7), (2, 4));
        assert_eq!(idx.locate(text, 4), (2, 2));
        assert_eq!(idx.locate(text, 1), (1, 2));
    }

    /// See issue 6: columns of many offsets on one long line.
    #[test]
    fn many_offsets_on_one_line_are_counted_incrementally() {
        let text = "é ".repeat(200_000);
        let idx = LineIndex::new(&text);
        for i in (0..text.len()).step_by(3000) {
            let (line, col) = idx.locate(&text, i);
            assert_eq!((line, col), (1, text[..i].chars().count() + 1));
        }
    }

    #[test]
    fn display_is_file_line_col() {
        let d = Diagnostic::error("bad").in_file("a.md").at(3, 4);
        assert_eq!(d.to_string(), "a.md:3:4: error: bad");
    }
}
