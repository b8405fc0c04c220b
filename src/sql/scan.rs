//! Finding a page's ```` ```sql run ```` blocks before it is rendered.
//!
//! A block's output is inserted while its page's Markdown is rendered, so
//! it must be known by then: every page with run blocks is verified (or
//! looked up in the recorded results) first, and rendered afterwards. This
//! pre-scan reads only pulldown-cmark's events with the same options and
//! the same fence parsing as the renderer ([`crate::markdown`]), so both
//! agree on which blocks there are and in what order, and it skips
//! everything expensive (highlighting, links, templates): over the whole
//! book it costs a few milliseconds.

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::diag::{Diagnostic, LineIndex};
use crate::markdown::blocks::FenceInfo;
use crate::markdown::{options, SqlBlock, SqlMode};

/// The run blocks of a page whose full text is `text` and whose Markdown
/// body starts at byte `body_offset`; problems with their info strings go
/// to `diags`.
pub fn blocks(
    text: &str,
    body_offset: usize,
    file: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<SqlBlock> {
    let body = &text[body_offset..];
    if !body.contains("run") {
        return Vec::new();
    }
    let lines = LineIndex::new(text);
    let mut out = Vec::new();
    let mut open: Option<(FenceInfo, usize, String)> = None;
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let info = FenceInfo::parse(&info);
                if info.is_sql_run() {
                    let (line, _) = lines.locate(text, body_offset + range.start);
                    open = Some((info, line, String::new()));
                }
            }
            Event::Text(t) => {
                if let Some((_, _, code)) = open.as_mut() {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, fence_line, code)) = open.take() {
                    for f in &info.flags {
                        if !matches!(f.as_str(), "run" | "setup" | "expect-error") {
                            diags.push(
                                Diagnostic::warning(format!(
                                    "unknown word `{f}` after ```sql run; expected `setup` or \
                                     `expect-error`"
                                ))
                                .in_file(file)
                                .at(fence_line, 1),
                            );
                        }
                    }
                    if info.has("setup") && info.has("expect-error") {
                        diags.push(
                            Diagnostic::error(
                                "a block cannot be both `setup` and `expect-error`; expected one \
                                 of them",
                            )
                            .in_file(file)
                            .at(fence_line, 1),
                        );
                    }
                    out.push(SqlBlock {
                        code,
                        line: fence_line + 1,
                        mode: mode_of(&info),
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// The mode a run block's info string asks for.
pub fn mode_of(info: &FenceInfo) -> SqlMode {
    if info.has("setup") {
        SqlMode::Setup
    } else if info.has("expect-error") {
        SqlMode::ExpectError
    } else {
        SqlMode::Run
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_run_blocks_in_order_with_lines() {
        let text = "---\ntitle: T\n---\n\n```sql\nSELECT 0;\n```\n\n```sql run setup\nCREATE TABLE t ();\n```\n\n> ```sql run expect-error\n> SELECT x;\n> ```\n\n```sql run\nSELECT 1;\nSELECT 2;\n```\n";
        let body = text.find("\n\n").unwrap();
        let mut d = Vec::new();
        let b = blocks(text, body, Path::new("a.md"), &mut d);
        assert!(d.is_empty());
        let got: Vec<(usize, SqlMode, &str)> = b
            .iter()
            .map(|b| (b.line, b.mode, b.code.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (10, SqlMode::Setup, "CREATE TABLE t ();\n"),
                (14, SqlMode::ExpectError, "SELECT x;\n"),
                (18, SqlMode::Run, "SELECT 1;\nSELECT 2;\n"),
            ]
        );
    }

    #[test]
    fn unknown_words_are_reported() {
        let text = "```sql run expect_error\nSELECT 1;\n```\n";
        let mut d = Vec::new();
        let b = blocks(text, 0, Path::new("a.md"), &mut d);
        assert_eq!(b.len(), 1);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`expect_error`"), "{}", d[0].message);
        assert_eq!(d[0].line, 1);
    }
}
