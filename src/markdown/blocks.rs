//! Block-level extras: fenced-code info strings, highlighted code with an
//! optional title, and GitHub-style admonitions.

use pulldown_cmark::BlockQuoteKind;

use crate::highlight::{self, escape};

/// A fence's info string, e.g. ```` ```sql run setup title="schema.sql" ````.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FenceInfo {
    /// The language (first word), lowercased.
    pub lang: String,
    /// Bare words after the language (`run`, `setup`, `expect-error`).
    pub flags: Vec<String>,
    /// `title="..."`.
    pub title: Option<String>,
}

impl FenceInfo {
    /// Parse an info string; quoted values may contain spaces.
    pub fn parse(info: &str) -> FenceInfo {
        let mut words = Vec::new();
        let mut cur = String::new();
        let mut quote: Option<char> = None;
        for c in info.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), c) => cur.push(c),
                (None, '"' | '\'') => quote = Some(c),
                (None, c) if c.is_whitespace() || c == ',' => {
                    if !cur.is_empty() {
                        words.push(std::mem::take(&mut cur));
                    }
                }
                (None, '{' | '}') => {}
                (None, c) => cur.push(c),
            }
        }
        if !cur.is_empty() {
            words.push(cur);
        }
        let mut out = FenceInfo::default();
        let mut it = words.into_iter();
        if let Some(first) = it.next() {
            if let Some(t) = first.strip_prefix("title=") {
                out.title = Some(t.to_string());
            } else {
                out.lang = first.trim_start_matches('.').to_ascii_lowercase();
            }
        }
        for w in it {
            if let Some(t) = w.strip_prefix("title=") {
                out.title = Some(t.to_string());
            } else {
                out.flags.push(w);
            }
        }
        out
    }

    /// True if the bare word `flag` was given.
    pub fn has(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }

    /// A ```` ```sql run ```` block (of any sort).
    pub fn is_sql_run(&self) -> bool {
        is_sql(&self.lang) && self.has("run")
    }
}

/// Languages that count as SQL for verified examples.
pub fn is_sql(lang: &str) -> bool {
    matches!(lang, "sql" | "psql" | "pgsql" | "postgresql" | "postgres")
}

/// Render a code block. Returns the HTML and whether the language was
/// known to the highlighter.
pub fn code_block(info: &FenceInfo, code: &str, extra: &str) -> (String, bool) {
    let (inner, known) = highlight::highlight(code, &info.lang);
    let lang = if info.lang.is_empty() {
        "text".to_string()
    } else {
        escape(&info.lang)
    };
    let mut h = String::with_capacity(inner.len() + 200);
    let run_kind = if info.is_sql_run() {
        if info.has("setup") {
            " data-run=\"setup\""
        } else if info.has("expect-error") {
            " data-run=\"expect-error\""
        } else {
            " data-run=\"run\""
        }
    } else {
        ""
    };
    let setup = info.is_sql_run() && info.has("setup");
    if setup {
        h.push_str("<details class=\"sql-setup\"><summary>Setup for the examples below");
        if let Some(t) = &info.title {
            h.push_str(": ");
            h.push_str(&escape(t));
        }
        h.push_str("</summary>\n");
    }
    h.push_str(&format!(
        "<figure class=\"code-block\" data-lang=\"{lang}\"{run_kind}>"
    ));
    if let (Some(t), false) = (&info.title, setup) {
        h.push_str(&format!(
            "<figcaption class=\"code-title\">{}</figcaption>",
            escape(t)
        ));
    }
    h.push_str(&format!(
        "<pre class=\"code\"><code class=\"language-{lang}\">{inner}</code></pre>"
    ));
    h.push_str(extra);
    h.push_str("</figure>\n");
    if setup {
        h.push_str("</details>\n");
    }
    (h, known)
}

/// The opening markup of an admonition.
pub fn admonition_open(kind: BlockQuoteKind) -> String {
    let (class, label) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    format!(
        "<div class=\"admonition admonition-{class}\" role=\"note\">\
         <p class=\"admonition-title\">{label}</p>\n"
    )
}

/// The closing markup of an admonition.
pub const ADMONITION_CLOSE: &str = "</div>\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_strings() {
        let i = FenceInfo::parse("sql run setup title=\"the schema.sql\"");
        assert_eq!(i.lang, "sql");
        assert!(i.is_sql_run() && i.has("setup"));
        assert_eq!(i.title.as_deref(), Some("the schema.sql"));
        let i = FenceInfo::parse("python");
        assert!(!i.is_sql_run());
        assert_eq!(FenceInfo::parse("{.rust}").lang, "rust");
    }
}
