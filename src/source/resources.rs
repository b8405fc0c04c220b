//! Curated resources: typed entries, optional groups, and sidecar files.
//!
//! A page's list is written inline in front matter (`resources:`) or in
//! `NAME.resources.yaml` beside `NAME.md`; either form is a list of
//! resources or a list of `{group, items}` groups.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::yaml;

/// What sort of thing a resource is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Reference documentation of a project.
    Docs,
    /// A blog post, essay or wiki page.
    Article,
    /// Step-by-step, hands-on material.
    Tutorial,
    /// Talks, screencasts, podcasts with video.
    Video,
    /// A book.
    Book,
    /// Software to install or use.
    Tool,
    /// Structured multi-lesson learning.
    Course,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 7] = [
        Kind::Docs,
        Kind::Article,
        Kind::Tutorial,
        Kind::Video,
        Kind::Book,
        Kind::Tool,
        Kind::Course,
    ];

    /// The lowercase name used in YAML and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Docs => "docs",
            Kind::Article => "article",
            Kind::Tutorial => "tutorial",
            Kind::Video => "video",
            Kind::Book => "book",
            Kind::Tool => "tool",
            Kind::Course => "course",
        }
    }
}

/// Who a resource is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// No prior knowledge assumed.
    Beginner,
    /// Comfortable with the basics.
    Intermediate,
    /// Internals, tuning, edge cases.
    Advanced,
}

impl Level {
    /// Every level, in order.
    pub const ALL: [Level; 3] = [Level::Beginner, Level::Intermediate, Level::Advanced];

    /// The lowercase name used in YAML and CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }
}

/// One curated resource.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// The resource's real title.
    pub title: String,
    /// Where it lives (`https://...`).
    pub url: String,
    /// What sort of thing it is.
    pub kind: Kind,
    /// Who it is for.
    #[serde(default)]
    pub level: Option<Level>,
    /// One line on why it is worth the reader's time.
    #[serde(default)]
    pub description: Option<String>,
    /// Topic tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// A titled group of resources.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceGroup {
    /// The group's heading.
    pub group: String,
    /// Its resources.
    pub items: Vec<Resource>,
}

/// One entry of a resource list: a resource or a group of them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum ResourceEntry {
    /// `{group, items}`.
    Group(ResourceGroup),
    /// A single resource.
    Item(Resource),
}

/// Turn a list of entries into groups; ungrouped items form one unnamed
/// group, in the order written.
pub fn into_groups(entries: Vec<ResourceEntry>) -> Vec<ResourceGroup> {
    let mut groups: Vec<ResourceGroup> = Vec::new();
    for e in entries {
        match e {
            ResourceEntry::Group(g) => groups.push(g),
            ResourceEntry::Item(r) => match groups.last_mut() {
                Some(g) if g.group.is_empty() => g.items.push(r),
                _ => groups.push(ResourceGroup {
                    group: String::new(),
                    items: vec![r],
                }),
            },
        }
    }
    groups
}

/// Parse a list of resource entries from `text`, starting at `first_line`
/// of `file`, with precise errors.
///
/// serde's untagged enums report only "did not match any variant"; when
/// that happens the list is parsed again as plain resources or as groups
/// (whichever the text looks like) to find the real problem.
pub fn parse_list(
    text: &str,
    file: &Path,
    first_line: usize,
) -> Result<Vec<ResourceEntry>, Diagnostic> {
    match yaml::parse::<Vec<ResourceEntry>>(text, file, first_line) {
        Ok(v) => Ok(v),
        Err(e) if e.message.contains("untagged enum") => {
            Err(precise_error(text, file, first_line, e))
        }
        Err(e) => Err(e),
    }
}

/// Re-diagnose an untagged-enum failure inside some YAML text whose
/// `resources` are the problem. `wrap` turns a strict list type into the
/// document's full type.
pub fn precise_error(
    text: &str,
    file: &Path,
    first_line: usize,
    fallback: Diagnostic,
) -> Diagnostic {
    #[derive(Deserialize)]
    struct Items(#[allow(dead_code)] Vec<Resource>);
    #[derive(Deserialize)]
    struct Groups(#[allow(dead_code)] Vec<ResourceGroup>);
    let grouped = text.lines().any(|l| {
        let t = l.trim_start().trim_start_matches("- ").trim_start();
        t.starts_with("group:")
    });
    let attempt = if grouped {
        yaml::parse::<Groups>(text, file, first_line).err()
    } else {
        yaml::parse::<Items>(text, file, first_line).err()
    };
    attempt.unwrap_or(fallback)
}

/// Read a `NAME.resources.yaml` sidecar file.
pub fn load_sidecar(path: &Path, shown: &Path) -> Result<Vec<ResourceEntry>, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(format!("cannot read this file: {e}")).in_file(shown))?;
    let text = super::text::decode(&bytes, shown)?;
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    parse_list(&text, shown, 1)
}

/// True when `url` looks like an absolute web address a reader can open.
pub fn is_valid_url(url: &str) -> bool {
    let rest = match url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        Some(r) => r,
        None => return false,
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    !host.is_empty()
        && !url.chars().any(char::is_whitespace)
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        && host.contains(['.', ':']) | (host == "localhost")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_items_mix() {
        let t = "- title: A\n  url: https://a.org/\n  kind: docs\n- group: More\n  items:\n    - title: B\n      url: https://b.org/\n      kind: video\n";
        let v = parse_list(t, Path::new("x.resources.yaml"), 1).unwrap();
        let g = into_groups(v);
        assert_eq!(g.len(), 2);
        assert_eq!(g[1].group, "More");
    }

    #[test]
    fn bad_kind_is_precise() {
        let t = "- title: A\n  url: https://a.org/\n  kind: blog\n";
        let e = parse_list(t, Path::new("x.resources.yaml"), 1).unwrap_err();
        assert!(e.message.contains("blog"), "{}", e.message);
        assert_eq!(e.line, 3);
    }

    #[test]
    fn urls() {
        assert!(is_valid_url("https://www.postgresql.org/docs/"));
        assert!(!is_valid_url("www.postgresql.org"));
        assert!(!is_valid_url("https:// x"));
        assert!(!is_valid_url("javascript:alert(1)"));
    }
}
