//! Reading a page's psql session back: which output belongs to which
//! block, which messages were errors, and where in the Markdown file each
//! failing statement is.
//!
//! The page's blocks run as one script, with an `\echo` marker (carrying a
//! random nonce, so no query result can forge one) before each block and
//! after the last. Because psql runs the script with `-f`, it prefixes
//! every message with `psql:SCRIPT:LINE:`; that prefix tells an error from
//! a query result that merely contains the word, and its line number,
//! mapped back through the script to the block, gives the file line. The
//! prefix is then removed, so the recorded text is what a reader typing
//! the block into psql would see.

use std::path::Path;

use super::lex::{Kind, Split};
use super::output::{self, Severity};

/// One message psql printed while running a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// The block (0-based, in page order).
    pub block: usize,
    /// The script line psql named.
    pub script_line: usize,
    /// How serious.
    pub severity: Severity,
    /// The message and its continuation lines, without the prefix.
    pub lines: Vec<String>,
}

/// A page's session, split up.
#[derive(Debug, Clone, Default)]
pub struct Transcript {
    /// Each block's output (prefixes removed); `None` for blocks whose
    /// marker never came (the session ended early).
    pub blocks: Vec<Option<String>>,
    /// Messages, in order.
    pub issues: Vec<Issue>,
    /// Lines printed before the first block (connection problems).
    pub before: Vec<String>,
    /// Lines printed after the last block (openbook's own queries).
    pub after: Vec<String>,
    /// True when the final marker was printed.
    pub finished: bool,
}

/// The marker before block `i`.
pub fn marker(nonce: &str, i: usize) -> String {
    format!("@@openbook {nonce} block {i}@@")
}

/// The marker after the last block.
pub fn end_marker(nonce: &str) -> String {
    format!("@@openbook {nonce} end@@")
}

/// Split psql's combined output `out` of `script`.
pub fn parse(out: &str, script: &Path, nonce: &str, blocks: usize) -> Transcript {
    let prefix = format!("psql:{}:", script.display());
    let end = end_marker(nonce);
    let mut t = Transcript {
        blocks: vec![None; blocks],
        ..Transcript::default()
    };
    // Where lines go: None before the first marker, Some(i) in block i.
    let mut current: Option<usize> = None;
    let mut in_issue = false;
    for line in out.lines() {
        if t.finished {
            t.after.push(line.to_string());
            continue;
        }
        if line == end {
            t.finished = true;
            continue;
        }
        if let Some(i) = (0..blocks).find(|&i| line == marker(nonce, i)) {
            current = Some(i);
            t.blocks[i] = Some(String::new());
            in_issue = false;
            continue;
        }
        let (text, script_line) = match strip_prefix(line, &prefix) {
            Some((n, rest)) => (rest, Some(n)),
            None => (line, None),
        };
        let Some(i) = current else {
            t.before.push(text.to_string());
            continue;
        };
        match (script_line, output::message_start(text)) {
            (Some(n), Some(severity)) => {
                t.issues.push(Issue {
                    block: i,
                    script_line: n,
                    severity,
                    lines: vec![text.to_string()],
                });
                in_issue = true;
            }
            _ => {
                let previous = t.blocks[i]
                    .as_deref()
                    .and_then(|b| b.lines().last())
                    .unwrap_or("");
                if in_issue && output::is_continuation(text, previous) {
                    if let Some(issue) = t.issues.last_mut() {
                        issue.lines.push(text.to_string());
                    }
                } else {
                    in_issue = false;
                }
            }
        }
        if let Some(b) = t.blocks[i].as_mut() {
            b.push_str(text);
            b.push('\n');
        }
    }
    t
}

/// `psql:SCRIPT:12: rest` → (12, rest).
fn strip_prefix<'a>(line: &'a str, prefix: &str) -> Option<(usize, &'a str)> {
    let rest = line.strip_prefix(prefix)?;
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let n = rest[..digits].parse().ok()?;
    let rest = rest[digits..].strip_prefix(": ")?;
    Some((n, rest))
}

/// Where an error is in its block: a 0-based line in the block and a
/// 0-based column. `block_line` is the 0-based line of the block that psql
/// named (where the statement ended); the statement is found from it, and
/// PostgreSQL's `LINE n:` and caret, when given, point inside it.
pub fn locate(issue: &Issue, block_line: usize, split: &Split, code: &str) -> (usize, usize) {
    let stmt = split
        .statements
        .iter()
        .find(|s| s.end_line == block_line && s.kind == Kind::Sql)
        .or_else(|| split.statements.iter().find(|s| s.end_line == block_line));
    let Some(stmt) = stmt else {
        return (block_line, 0);
    };
    let fallback = (stmt.line, stmt.column);
    let Some((k, shown, caret)) = position(&issue.lines) else {
        return fallback;
    };
    let line = stmt.line + k - 1;
    let Some(source) = code.lines().nth(line) else {
        return fallback;
    };
    let mut shown = shown.as_str();
    let mut caret = caret;
    if let Some(s) = shown.strip_prefix("...") {
        shown = s;
        caret = caret.saturating_sub(3);
    }
    let shown = shown.strip_suffix("...").unwrap_or(shown);
    let chars: Vec<char> = source.chars().collect();
    let want: Vec<char> = shown.chars().collect();
    if want.is_empty() {
        return (line, 0);
    }
    let found =
        (0..=chars.len().saturating_sub(want.len())).find(|&j| chars[j..].starts_with(&want));
    match found {
        Some(j) => (line, j + caret),
        None => (line, 0),
    }
}

/// PostgreSQL's `LINE n: text` and the caret's offset into `text`.
fn position(lines: &[String]) -> Option<(usize, String, usize)> {
    let at = lines.iter().position(|l| l.starts_with("LINE "))?;
    let l = &lines[at];
    let colon = l.find(": ")?;
    let k: usize = l[5..colon].parse().ok()?;
    let caret_line = lines.get(at + 1)?;
    let caret = caret_line.find('^')?;
    let text_start = colon + 2;
    Some((
        k.max(1),
        l[text_start..].to_string(),
        caret.checked_sub(text_start)?,
    ))
}

/// One line for a diagnostic: the message with its detail, hint and
/// context, without the `LINE`/caret lines (the location says that).
pub fn summary(lines: &[String]) -> String {
    let mut out = String::new();
    for l in lines {
        if l.starts_with("LINE ") || l.trim() == "^" {
            continue;
        }
        let l = l.trim();
        if !out.is_empty() {
            out.push_str("; ");
        }
        out.push_str(&l.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::lex::split;
    use super::*;

    const NONCE: &str = "n0";

    fn session(body: &str) -> Transcript {
        parse(body, Path::new("/tmp/p.sql"), NONCE, 2)
    }

    #[test]
    fn output_is_split_by_marker_and_prefixes_removed() {
        let out = format!(
            "{}\nCREATE TABLE\npsql:/tmp/p.sql:7: NOTICE:  hi\n{}\npsql:/tmp/p.sql:9: ERROR:  column \"nme\" does not exist\nLINE 1: select nme from t;\n               ^\nHINT:  Perhaps \"name\".\n ok\n{}\nrole:x\n",
            marker(NONCE, 0),
            marker(NONCE, 1),
            end_marker(NONCE)
        );
        let t = session(&out);
        assert!(t.finished);
        assert_eq!(t.blocks[0].as_deref(), Some("CREATE TABLE\nNOTICE:  hi\n"));
        assert!(t.blocks[1]
            .as_deref()
            .unwrap()
            .starts_with("ERROR:  column"));
        assert_eq!(t.issues.len(), 2);
        assert_eq!(t.issues[1].script_line, 9);
        assert_eq!(t.issues[1].severity, Severity::Error);
        assert_eq!(t.issues[1].lines.len(), 4, "{:?}", t.issues[1].lines);
        assert_eq!(t.after, vec!["role:x"]);
        assert_eq!(
            summary(&t.issues[1].lines),
            "ERROR: column \"nme\" does not exist; HINT: Perhaps \"name\"."
        );
    }

    #[test]
    fn an_error_word_in_a_result_is_not_an_issue() {
        let out = format!(
            "{}\n msg\n-----\n ERROR:  fake\nERROR:  fake too\n",
            marker(NONCE, 0)
        );
        let t = session(&out);
        assert!(t.issues.is_empty());
        assert!(!t.finished);
        assert_eq!(t.blocks[1], None);
    }

    #[test]
    fn errors_point_at_the_position_inside_the_statement() {
        let code = "SELECT 1;\nSELECT id,\n       nme\nFROM t;\n";
        let s = split(code);
        let issue = Issue {
            block: 0,
            script_line: 0,
            severity: Severity::Error,
            lines: vec![
                "ERROR:  column \"nme\" does not exist".into(),
                "LINE 2:        nme".into(),
                "               ^".into(),
            ],
        };
        // psql names the line of the `;` (block line 3).
        assert_eq!(locate(&issue, 3, &s, code), (2, 7));
        let plain = Issue {
            lines: vec!["ERROR:  division by zero".into()],
            ..issue
        };
        assert_eq!(locate(&plain, 3, &s, code), (1, 0));
    }
}
