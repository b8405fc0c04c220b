//! The one place that talks to the YAML parser.
//!
//! serde_yaml is archived upstream; keeping every call behind [`parse`]
//! makes a swap to a maintained fork a one-file change. Errors come back as
//! [`Diagnostic`]s whose line numbers count from the top of the author's
//! file, not from the top of the YAML fragment, and an unknown key gets a
//! "did you mean" suggestion.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, LineIndex};

/// Parse `text` as YAML into `T`.
///
/// `first_line` is the 1-based line of the file on which `text` starts
/// (2 for front matter after a `---` line, 1 for a whole file), so that the
/// reported position is the one the author sees in an editor.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    first_line: usize,
) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|e| to_diagnostic(&e, text, file, first_line))
}

fn to_diagnostic(e: &serde_yaml::Error, text: &str, file: &Path, first_line: usize) -> Diagnostic {
    let full = e.to_string();
    // serde_yaml appends " at line L column C" to the message; the location
    // is reported separately, so cut it off.
    let message = strip_positions(&full);
    let message = explain(&message);
    let d = Diagnostic::error(message).in_file(file);
    match e.location() {
        // YAML also breaks lines at U+0085, U+2028 and U+2029, which
        // editors (and the rest of openbook) do not: serde_yaml's line
        // would point past the problem. Its byte index does not depend on
        // that, so the line and column are worked out from it (found by
        // fuzzing, issue 6).
        Some(loc) => {
            let (line, column) = LineIndex::new(text).locate(text, loc.index());
            d.at(line + first_line - 1, column)
        }
        None => d.at(first_line, 1),
    }
}

/// Remove every " at line L column C" from a serde_yaml message (the
/// position is reported separately, and serde_yaml's lines count Unicode
/// line separators that editors do not).
fn strip_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let n = digits(after);
        let tail = &after[n..];
        match tail.strip_prefix(" column ") {
            Some(col) if n > 0 => rest = &col[digits(col)..],
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Rewrite serde's terse messages into ones that say what was expected.
fn explain(message: &str) -> String {
    if let Some(rest) = message.split("unknown field `").nth(1) {
        let prefix = message.split("unknown field `").next().unwrap_or("");
        let key = rest.split('`').next().unwrap_or("");
        let known: Vec<&str> = rest
            .split("expected ")
            .nth(1)
            .map(|list| list.split('`').skip(1).step_by(2).collect())
            .unwrap_or_default();
        let mut out = format!("{prefix}unknown key `{key}`");
        if let Some(best) = closest(key, &known) {
            out.push_str(&format!("; did you mean `{best}`?"));
        }
        if !known.is_empty() {
            out.push_str(&format!(" (known keys: {})", known.join(", ")));
        }
        return out;
    }
    if message.contains("EOF while parsing") {
        return "the file is empty; expected YAML keys such as `title:`".to_string();
    }
    message
        .replace("missing field `", "missing required key `")
        .replace("invalid type: unit value", "found nothing (an empty value)")
}

/// The known name closest to `word`, if it is close enough to be a likely
/// typo.
pub fn closest<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(word, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The 1-based line within `text` on which `key:` is first written at the
/// start of a line (ignoring indentation and list dashes), if any.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches("- ").trim_start();
            t.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map(|i| i + 1)
}

/// The 1-based line within `text` on which `value` first appears after
/// `key:` (for finding where a list item such as `page: x.md` was written).
pub fn value_line(text: &str, key: &str, value: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start().trim_start_matches("- ").trim_start();
            t.strip_prefix(key).is_some_and(|r| {
                let r = r.trim_start();
                r.starts_with(':') && r[1..].trim().trim_matches(['"', '\'']) == value
            })
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        weight: Option<i64>,
    }

    #[test]
    fn unknown_key_suggests_closest() {
        let e = parse::<T>("title: a\ntitel: b\n", Path::new("x.md"), 2).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("unknown key `titel`"), "{}", e.message);
        assert!(e.message.contains("did you mean `title`?"), "{}", e.message);
    }

    #[test]
    fn wrong_type_points_at_value() {
        let e = parse::<T>("title: a\nweight: heavy\n", Path::new("x.md"), 2).unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("weight"), "{}", e.message);
    }

    /// Found by fuzzing (issue 6): a U+2028 in a value made serde_yaml
    /// count an extra line, so the error pointed below the file's end.
    #[test]
    fn unicode_line_separators_do_not_shift_error_lines() {
        for text in [
            "title: \"a\u{2028}\u{2028}b\"\nweight: heavy\n",
            "title: \"é\u{2029}x\"\nweight: heavy\n",
            "title: \"a\u{85}b\"\nweight: heavy\n",
        ] {
            let e = parse::<T>(text, Path::new("x.md"), 2).unwrap_err();
            assert_eq!((e.line, e.column), (3, 9), "{text:?}: {e}");
        }
        // A syntax error's message carries no position of its own, and
        // its line is where the parser gave up (the end of this one-line
        // fragment), not a line YAML counted for the separator.
        let e = parse::<T>("title: a\u{2028}b\n", Path::new("x.md"), 2).unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(!e.message.contains(" at line "), "{e}");
    }

    #[test]
    fn finds_lines_of_keys_and_values() {
        let t = "title: x\nnext:\n  - page: a.md\n    label: A\n  - page: \"b.md\"\n";
        assert_eq!(key_line(t, "next"), Some(2));
        assert_eq!(value_line(t, "page", "b.md"), Some(5));
    }
}
