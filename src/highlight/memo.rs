//! A per-thread memo of highlighted lines.
//!
//! syntect parses a line by trying every pattern of the current context at
//! every position, which costs a few hundred thousand instructions per line
//! of Python. The HTML it produces for a line depends only on the syntax,
//! the line's text, the parser's state where the line starts and the open
//! scopes, and it leaves a new state and new scopes behind; all four are
//! plain values that compare with `==`. So a line met again in the same
//! state (a blank line, `import psycopg`, `);`, `ORDER BY n DESC`) can be
//! copied from the first time, with the state it left, and the result is
//! byte for byte what parsing it again gives.
//!
//! The memo is per thread (no lock on the hot path; rayon keeps one worker
//! per core) and bounded: past [`MAX_BYTES`] it starts again empty.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use syntect::parsing::{ParseState, ScopeStack, SyntaxReference};

/// Roughly how much memory one thread's memo may hold.
const MAX_BYTES: usize = 16 << 20;
/// Different starting states remembered for one line text.
const MAX_STATES_PER_LINE: usize = 8;
/// A rough size of the states kept with an entry, for the bound.
const STATE_BYTES: usize = 256;

struct Entry {
    syntax: *const SyntaxReference,
    line: Box<str>,
    before: (ParseState, ScopeStack),
    after: (ParseState, ScopeStack),
    html: Box<str>,
    delta: isize,
}

/// One thread's memo: entries bucketed by a hash of line and syntax.
#[derive(Default)]
pub struct Memo {
    buckets: HashMap<u64, Vec<Entry>>,
    bytes: usize,
}

/// Lines copied from a memo and lines parsed, by every thread since the
/// process started (for `openbook -v build`).
static HITS: AtomicU64 = AtomicU64::new(0);
static MISSES: AtomicU64 = AtomicU64::new(0);

/// `(lines copied from the memo, lines parsed)` so far.
pub fn stats() -> (u64, u64) {
    (HITS.load(Ordering::Relaxed), MISSES.load(Ordering::Relaxed))
}

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// Run `f` with this thread's memo.
pub fn with<R>(f: impl FnOnce(&mut Memo) -> R) -> R {
    MEMO.with(|m| f(&mut m.borrow_mut()))
}

fn key(syntax: &SyntaxReference, line: &str) -> u64 {
    crate::source::fxhash(line.as_bytes()) ^ (syntax as *const SyntaxReference as u64)
}

impl Memo {
    /// Append the HTML of `line` to `out` and move `state` and `stack` past
    /// it: from the memo when this line was seen in this state before,
    /// else by calling `parse` (which must do exactly that to `state` and
    /// `stack` and return the line's HTML and the change in open spans).
    /// Returns the change in open spans, or `None` if `parse` failed.
    pub fn line(
        &mut self,
        syntax: &SyntaxReference,
        line: &str,
        state: &mut ParseState,
        stack: &mut ScopeStack,
        out: &mut String,
        parse: impl FnOnce(&mut ParseState, &mut ScopeStack) -> Option<(String, isize)>,
    ) -> Option<isize> {
        let k = key(syntax, line);
        if let Some(bucket) = self.buckets.get(&k) {
            let found = bucket.iter().find(|e| {
                std::ptr::eq(e.syntax, syntax)
                    && *e.line == *line
                    && e.before.0 == *state
                    && e.before.1 == *stack
            });
            if let Some(e) = found {
                out.push_str(&e.html);
                state.clone_from(&e.after.0);
                stack.clone_from(&e.after.1);
                HITS.fetch_add(1, Ordering::Relaxed);
                return Some(e.delta);
            }
        }
        MISSES.fetch_add(1, Ordering::Relaxed);
        let before = (state.clone(), stack.clone());
        let (html, delta) = parse(state, stack)?;
        out.push_str(&html);
        let size = line.len() + html.len() + STATE_BYTES;
        if self.bytes + size > MAX_BYTES {
            self.buckets.clear();
            self.bytes = 0;
        }
        let bucket = self.buckets.entry(k).or_default();
        if bucket.len() < MAX_STATES_PER_LINE {
            bucket.push(Entry {
                syntax,
                line: line.into(),
                before,
                after: (state.clone(), stack.clone()),
                html: html.into_boxed_str(),
                delta,
            });
            self.bytes += size;
        }
        Some(delta)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{highlight, syntaxes};
    use syntect::html::{ClassStyle, ClassedHTMLGenerator};
    use syntect::util::LinesWithEndings;

    /// What syntect's own generator gives, without the memo.
    fn plain(code: &str, lang: &str) -> String {
        let set = syntaxes();
        let syntax = set.find_syntax_by_token(lang).unwrap();
        let mut gen = ClassedHTMLGenerator::new_with_class_style(
            syntax,
            set,
            ClassStyle::SpacedPrefixed { prefix: "hl-" },
        );
        for line in LinesWithEndings::from(code) {
            gen.parse_html_for_line_which_includes_newline(line)
                .unwrap();
        }
        let mut html = gen.finalize();
        while html.ends_with('\n') {
            html.pop();
        }
        html
    }

    #[test]
    fn memoised_lines_give_syntects_html() {
        // The same lines in different states: inside a string, a comment,
        // a triple-quoted block, and at top level; then again, from the memo.
        let python =
            "x = 1\n\"\"\"\nx = 1\n\"\"\"\nx = 1\n# x = 1\ndef f():\n    return \"x = 1\"\n";
        let sql = "SELECT 1;\n/*\nSELECT 1;\n*/\nSELECT 1;\n-- SELECT 1;\n";
        for _ in 0..3 {
            assert_eq!(highlight(python, "python").0, plain(python, "python"));
            assert_eq!(highlight(sql, "sql").0, plain(sql, "sql"));
        }
        assert!(super::stats().0 > 0, "the memo was never used");
    }
}
