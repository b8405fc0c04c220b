//! Front matter: the YAML block between `---` lines at the top of a page.
//!
//! [`split`] finds the block and remembers where it and the body start in
//! the file, so every later error can name a line of the `.md` file itself.
//! [`parse`] reads the block into a typed [`FrontMatter`]; dates are read as
//! strings and checked here, because the YAML parser would accept any text.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::resources::{self, ResourceEntry};
use crate::diag::Diagnostic;
use crate::yaml;

/// Where a page's parts sit in its file.
#[derive(Debug, Clone)]
pub struct Split<'a> {
    /// The YAML between the fences.
    pub yaml: &'a str,
    /// The 1-based file line on which the YAML starts.
    pub yaml_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of the body in the file text.
    pub body_offset: usize,
}

/// Separate front matter from body.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::error(
            "the page is empty; expected front matter with a title, e.g. \
             `---` / `title: \"...\"` / `---`",
        )
        .in_file(file)
        .at(1, 1));
    }
    let Some(rest) = text.strip_prefix("---\n").or_else(|| {
        text.strip_prefix("---")
            .filter(|r| r.trim_end_matches([' ', '\t']).is_empty())
    }) else {
        return Err(Diagnostic::error(
            "expected front matter at the top of the page: a line `---`, \
             YAML with at least `title:`, and a closing `---`",
        )
        .in_file(file)
        .at(1, 1));
    };
    let start = text.len() - rest.len();
    let mut offset = start;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &text[start..offset];
            let body_offset = offset + line.len();
            return Ok(Split {
                yaml,
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(
        Diagnostic::error("the front matter is not closed; expected a line `---` after the YAML")
            .in_file(file)
            .at(1, 1),
    )
}

/// A page's editorial status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Being written.
    Draft,
    /// Usable, not finished.
    InProgress,
    /// Finished and checked.
    Complete,
}

impl Status {
    /// The name used in YAML and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InProgress => "in-progress",
            Status::Complete => "complete",
        }
    }
}

/// One "what next?" choice.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NextChoice {
    /// The target page, relative to this page's folder.
    pub page: String,
    /// The button text.
    pub label: String,
}

/// The typed front matter of a page; `R` is the type of a resource entry
/// (see [`parse`] for why it varies).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "R: Deserialize<'de>"))]
pub struct FrontMatterOf<R> {
    /// Page title (required).
    pub title: String,
    /// Shorter title for the sidebar and table of contents.
    #[serde(default)]
    pub nav_title: Option<String>,
    /// Meta description and summary on chapter pages.
    #[serde(default)]
    pub description: Option<String>,
    /// Replaces the last URL segment.
    #[serde(default)]
    pub slug: Option<String>,
    /// Ordering among siblings.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Left out unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Shown on the page-status page.
    #[serde(default)]
    pub status: Option<Status>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub updated: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// "What next?" choices.
    #[serde(default)]
    pub next: Vec<NextChoice>,
    /// The question above the choices.
    #[serde(default)]
    pub next_prompt: Option<String>,
    /// Curated resources.
    #[serde(default)]
    pub resources: Vec<R>,
}

/// Front matter as used by the rest of the pipeline.
pub type FrontMatter = FrontMatterOf<ResourceEntry>;

/// Parse and validate the front matter of `file`.
pub fn parse(split: &Split<'_>, file: &Path) -> Result<FrontMatter, Diagnostic> {
    let fm: FrontMatter = match yaml::parse(split.yaml, file, split.yaml_line) {
        Ok(fm) => fm,
        Err(e) if e.message.contains("untagged enum") => {
            // A resource entry is wrong; parse again strictly to say how.
            return Err(strict_resource_error(split, file, e));
        }
        Err(e) => return Err(e),
    };
    validate(&fm, split, file)?;
    Ok(fm)
}

fn strict_resource_error(split: &Split<'_>, file: &Path, fallback: Diagnostic) -> Diagnostic {
    let grouped = split.yaml.lines().any(|l| {
        let t = l.trim_start().trim_start_matches("- ").trim_start();
        t.starts_with("group:")
    });
    let strict = if grouped {
        yaml::parse::<FrontMatterOf<resources::ResourceGroup>>(split.yaml, file, split.yaml_line)
            .err()
    } else {
        yaml::parse::<FrontMatterOf<resources::Resource>>(split.yaml, file, split.yaml_line).err()
    };
    strict.unwrap_or(fallback)
}

fn validate(fm: &FrontMatter, split: &Split<'_>, file: &Path) -> Result<(), Diagnostic> {
    let at = |key: &str| {
        let line = yaml::key_line(split.yaml, key).unwrap_or(1) + split.yaml_line - 1;
        move |d: Diagnostic| d.in_file(file).at(line, 1)
    };
    if fm.title.trim().is_empty() {
        return Err(at("title")(Diagnostic::error(
            "`title` is empty; expected the page's title",
        )));
    }
    if let Some(slug) = &fm.slug {
        if !is_valid_slug(slug) {
            return Err(at("slug")(Diagnostic::error(format!(
                "`slug: {slug}` is not allowed; expected letters, digits, `-` and `_` only, \
                 starting with a letter or digit (a slug cannot contain `/` or `..`)"
            ))));
        }
    }
    if let Some(date) = &fm.updated {
        if !is_valid_date(date) {
            return Err(at("updated")(Diagnostic::error(format!(
                "`updated: {date}` is not a date; expected YYYY-MM-DD, e.g. 2026-11-25"
            ))));
        }
    }
    for tag in &fm.tags {
        if tag.trim().is_empty() || crate::book::url::slugify(tag).is_empty() {
            return Err(at("tags")(Diagnostic::error(format!(
                "tag `{tag}` has no letters or digits; expected a word such as `sql`"
            ))));
        }
    }
    for n in &fm.next {
        if n.label.trim().is_empty() {
            return Err(at("next")(Diagnostic::error(
                "a `next:` choice has an empty `label`; expected the button text",
            )));
        }
    }
    Ok(())
}

/// `[A-Za-z0-9][A-Za-z0-9_-]*`
pub fn is_valid_slug(slug: &str) -> bool {
    let mut chars = slug.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A real calendar date written `YYYY-MM-DD`.
pub fn is_valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    if !s[..4].bytes().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> Result<FrontMatter, Diagnostic> {
        let p = Path::new("p.md");
        let s = split(text, p)?;
        parse(&s, p)
    }

    #[test]
    fn splits_and_counts_lines_from_file_top() {
        let e = fm("---\ntitle: A\nweight: x\n---\nbody").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
    }

    #[test]
    fn missing_title() {
        let e = fm("---\nnav_title: A\n---\n").unwrap_err();
        assert!(e.message.contains("missing required key `title`"), "{e}");
    }

    #[test]
    fn bad_resource_is_precise() {
        let e = fm("---\ntitle: A\nresources:\n  - title: R\n    url: https://x.org/\n    kind: blog\n---\n")
            .unwrap_err();
        assert_eq!(e.line, 6, "{e}");
        assert!(e.message.contains("blog"), "{e}");
    }

    #[test]
    fn dates_and_slugs() {
        assert!(is_valid_date("2024-02-29"));
        assert!(!is_valid_date("2023-02-29"));
        assert!(!is_valid_date("2023-13-01"));
        assert!(!is_valid_date("25-11-2026"));
        assert!(is_valid_slug("psycopg-3"));
        assert!(!is_valid_slug("../etc"));
        assert!(!is_valid_slug("-x"));
        let e = fm("---\ntitle: A\nslug: ../../etc\n---\n").unwrap_err();
        assert_eq!(e.line, 3);
    }

    #[test]
    fn no_front_matter() {
        let e = fm("# Hello\n").unwrap_err();
        assert!(e.message.contains("expected front matter"));
        let e = fm("").unwrap_err();
        assert!(e.message.contains("empty"));
    }
}
