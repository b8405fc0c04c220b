//! The recorded results: `sql-results.yaml`, committed beside `content/`.
//!
//! A build with a database writes what psql printed for every block of
//! every verified page; a build without one shows those recorded outputs,
//! so readers of a book built anywhere see real results. Each page's entry
//! is keyed by a hash of everything that shapes its output — the page's
//! run blocks (modes and SQL, in order), the `sql.setup` file and the
//! format of this file — and carries the major version of the server that
//! produced it (shown to readers; a build with a server verifies every
//! page again whatever the record says). An entry whose hash differs from
//! the page's is stale: the page is then shown without output (and `check
//! --sql` reports it), never with output that belongs to other SQL.
//!
//! The file lives at the site root, beside `site.yaml`, like a lock file:
//! it belongs to the whole book, is never copied into the built site, and
//! writing it does not wake `serve`'s watcher on `content/`. It is YAML
//! with one literal block per block output (trailing spaces dropped), so a
//! review diff reads like a psql session. It is generated: resolve a merge
//! conflict in it by building again with a database.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::markdown::{SqlBlock, SqlMode};

/// The file name, relative to the site folder.
pub const FILE: &str = "sql-results.yaml";

/// Bumped when the way blocks are run changes what psql prints (the
/// `\pset` settings, the environment), so every entry goes stale.
const FORMAT: &str = "openbook-sql-1";

const HEADER: &str = "\
# The output of every ```sql run``` block of this book, as psql printed it.
# Written by `openbook build` when it has a database (DATABASE_URL or
# --database-url); a build without one shows these results. Commit this file
# and do not edit it: rebuild with a database to refresh it.
";

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Entries by page, keyed by the page's path under `content/`.
    #[serde(default)]
    pub pages: BTreeMap<String, PageRecord>,
}

/// One page's recorded output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageRecord {
    /// [`page_hash`] of the SQL this output belongs to.
    pub sql: String,
    /// The PostgreSQL major version it was produced by.
    pub postgres: u32,
    /// What psql printed for each run block, in page order.
    pub blocks: Vec<String>,
}

impl Record {
    /// Read `DIR/sql-results.yaml`; an empty record if there is none.
    pub fn load(dir: &Path) -> Result<Record, Diagnostic> {
        let path = dir.join(FILE);
        let text = match std::fs::read(&path) {
            Ok(b) => crate::source::text::decode(&b, Path::new(FILE))?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Record::default()),
            Err(e) => {
                return Err(Diagnostic::error(format!("cannot read this file: {e}")).in_file(FILE))
            }
        };
        if text
            .lines()
            .all(|l| l.trim().is_empty() || l.starts_with('#'))
        {
            return Ok(Record::default());
        }
        crate::yaml::parse(&text, Path::new(FILE), 1).map_err(|mut d| {
            d.message = format!(
                "{}; this file is generated: rebuild with a database to rewrite it",
                d.message
            );
            d
        })
    }

    /// The file's text.
    pub fn to_text(&self) -> String {
        let yaml = serde_yaml::to_string(self).unwrap_or_default();
        format!("{HEADER}{yaml}")
    }

    /// Write the file if its text changed (through a temporary file, so a
    /// crash never leaves half a file). Returns whether it was written.
    pub fn save(&self, dir: &Path) -> io::Result<bool> {
        let path = dir.join(FILE);
        let text = self.to_text();
        let old = std::fs::read_to_string(&path).ok();
        if old.as_deref() == Some(text.as_str()) || (old.is_none() && self.pages.is_empty()) {
            return Ok(false);
        }
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        io::Write::write_all(&mut tmp, text.as_bytes())?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(true)
    }
}

/// Clean up psql's text for recording: no trailing spaces (psql pads
/// table lines; YAML cannot keep them in a literal block) and no blank
/// lines at either end.
pub fn tidy(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let start = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(start, |e| e + 1);
    let mut out = lines[start..end].join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// The hash an entry is keyed by: the page's run blocks (mode and SQL, in
/// order), the setup file's text and the format version.
pub fn page_hash(setup: Option<&str>, blocks: &[SqlBlock]) -> String {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(FORMAT.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(setup.unwrap_or("").as_bytes());
    for b in blocks {
        bytes.push(0);
        bytes.extend_from_slice(match b.mode {
            SqlMode::Run => b"run",
            SqlMode::Setup => b"setup",
            SqlMode::ExpectError => b"expect-error",
        });
        bytes.push(0);
        bytes.extend_from_slice(b.code.as_bytes());
    }
    format!("{:016x}", crate::source::fxhash(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(code: &str, mode: SqlMode) -> SqlBlock {
        SqlBlock {
            code: code.into(),
            line: 1,
            mode,
        }
    }

    #[test]
    fn hash_depends_on_sql_mode_and_setup_only() {
        let a = page_hash(Some("s"), &[block("SELECT 1;\n", SqlMode::Run)]);
        let mut moved = block("SELECT 1;\n", SqlMode::Run);
        moved.line = 40;
        assert_eq!(a, page_hash(Some("s"), &[moved]));
        assert_ne!(
            a,
            page_hash(Some("s"), &[block("SELECT 2;\n", SqlMode::Run)])
        );
        assert_ne!(
            a,
            page_hash(Some("s"), &[block("SELECT 1;\n", SqlMode::ExpectError)])
        );
        assert_ne!(
            a,
            page_hash(Some("t"), &[block("SELECT 1;\n", SqlMode::Run)])
        );
        assert_eq!(a.len(), 16);
    }

    #[test]
    fn round_trip_keeps_tables_readable() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = Record::default();
        r.pages.insert(
            "01-a/01-b.md".into(),
            PageRecord {
                sql: "0123456789abcdef".into(),
                postgres: 15,
                blocks: vec![
                    tidy(" id | name  \n----+------\n  1 | a\n(1 row)\n\n"),
                    String::new(),
                ],
            },
        );
        assert!(r.save(dir.path()).unwrap());
        assert!(
            !r.save(dir.path()).unwrap(),
            "unchanged text is not rewritten"
        );
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert!(text.starts_with("# The output"));
        assert!(text.contains("    ----+------\n"), "{text}");
        assert_eq!(Record::load(dir.path()).unwrap(), r);
    }

    #[test]
    fn a_missing_file_is_an_empty_record_and_a_broken_one_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Record::load(dir.path()).unwrap(), Record::default());
        std::fs::write(dir.path().join(FILE), "pages:\n  a.md:\n    sqll: x\n").unwrap();
        let e = Record::load(dir.path()).unwrap_err();
        assert!(e.message.contains("did you mean `sql`"), "{}", e.message);
        assert!(e.message.contains("rebuild with a database"));
    }
}
