//! Findings about the book as an author wrote it: reachability, titles,
//! descriptions and curated resources.
//!
//! Each finding points at the line an author would edit: the `title:` line
//! for a missing description or a duplicate title, the `url:` line of the
//! resource (in front matter or in the `NAME.resources.yaml` sidecar).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::book::{Book, NodeId};
use crate::diag::{Diagnostic, Diagnostics};
use crate::pipeline::Prepared;
use crate::source::resources::is_valid_url;
use crate::source::SourcePage;

/// Run every finding of this module over the prepared book.
pub fn check(dir: &Path, p: &Prepared, diags: &mut Diagnostics) {
    unreachable_pages(&p.book, diags);
    duplicate_titles(&p.book, diags);
    missing_descriptions(&p.book, diags);
    for &id in &p.book.order {
        if let Some(page) = p.book.page_of(id) {
            resources(dir, page, diags);
        }
    }
}

/// Every node reachable from the home page through the table of contents.
fn reachable(book: &Book) -> HashSet<NodeId> {
    let mut seen = HashSet::new();
    let mut stack = vec![Book::HOME];
    while let Some(id) = stack.pop() {
        if seen.insert(id) {
            stack.extend(book.nodes[id].children.iter().copied());
        }
    }
    seen
}

/// Published pages (not drafts) that the table of contents does not reach.
///
/// The folder tree *is* the table of contents, so a page is only left out
/// when assembling the book dropped it: a second landing page for one
/// folder, a name that makes no URL, a folder that was skipped. Those are
/// errors already; this finding names every page that went missing with
/// them, so that none disappears silently.
pub fn unreachable_pages(book: &Book, diags: &mut Diagnostics) {
    let seen = reachable(book);
    for page in &book.pages {
        if book.drafts.contains(&page.rel) {
            continue;
        }
        let reached = book
            .by_source
            .get(&page.rel)
            .is_some_and(|id| seen.contains(id));
        if !reached {
            diags.push(
                Diagnostic::warning(
                    "this page is not reachable from the table of contents, so readers \
                     cannot find it; expected it to appear in its folder's chapter (see the \
                     errors above about this folder)",
                )
                .in_file(&page.shown)
                .at(page.key_line("title"), 1),
            );
        }
    }
}

/// Siblings (the pages and sections of one chapter) with the same title or
/// sidebar title.
pub fn duplicate_titles(book: &Book, diags: &mut Diagnostics) {
    for node in &book.nodes {
        let mut titles: HashMap<String, NodeId> = HashMap::new();
        let mut navs: HashMap<String, NodeId> = HashMap::new();
        for &c in &node.children {
            let n = &book.nodes[c];
            let key = normalise(&n.title);
            let nav_key = normalise(&n.nav_title);
            let (kind, other) = if let Some(&o) = titles.get(&key) {
                ("title", o)
            } else if let Some(&o) = navs.get(&nav_key) {
                ("sidebar title (`nav_title`)", o)
            } else {
                titles.insert(key, c);
                navs.insert(nav_key, c);
                continue;
            };
            let (file, line) = location(book, c, "title");
            diags.push(
                Diagnostic::warning(format!(
                    "this page has the same {kind} as {} in the same chapter (`{}`); \
                     expected titles that tell the pages apart in the table of contents",
                    location(book, other, "title").0.display(),
                    if kind == "title" {
                        &n.title
                    } else {
                        &n.nav_title
                    }
                ))
                .in_file(file)
                .at(line, if line > 0 { 1 } else { 0 }),
            );
        }
    }
}

fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The file a node comes from and the line of `key` in it (0 for a folder
/// without `_index.md`).
fn location(book: &Book, id: NodeId, key: &str) -> (PathBuf, usize) {
    match book.page_of(id) {
        Some(p) => (p.shown.clone(), p.key_line(key)),
        None => (PathBuf::from("content").join(&book.nodes[id].folder), 0),
    }
}

/// Pages without a `description` (used for search results, chapter
/// listings and the meta description).
pub fn missing_descriptions(book: &Book, diags: &mut Diagnostics) {
    for &id in &book.order {
        let Some(page) = book.page_of(id) else {
            continue;
        };
        let empty = page
            .front
            .description
            .as_deref()
            .is_none_or(|d| d.trim().is_empty());
        if empty {
            diags.push(
                Diagnostic::warning(
                    "this page has no `description`; expected one sentence for the chapter \
                     listing, search results and the meta description",
                )
                .in_file(&page.shown)
                .at(page.key_line("title"), 1),
            );
        }
    }
}

/// Where each `url:` of a page's resources is written: the front matter
/// first, then the sidecar file, in order.
pub(crate) fn url_lines(dir: &Path, page: &SourcePage) -> Vec<(String, PathBuf, usize)> {
    let mut out = Vec::new();
    let mut scan = |text: &str, file: &Path, first_line: usize| {
        for (i, l) in text.lines().enumerate() {
            let t = l.trim_start().trim_start_matches("- ").trim_start();
            if let Some(rest) = t.strip_prefix("url:") {
                let v = rest.trim().trim_matches(['"', '\'']).to_string();
                out.push((v, file.to_path_buf(), i + first_line));
            }
        }
    };
    scan(page.yaml(), &page.shown, page.yaml_line);
    let sidecar_rel = format!(
        "{}.resources.yaml",
        page.rel.strip_suffix(".md").unwrap_or(&page.rel)
    );
    let sidecar = Path::new("content").join(&sidecar_rel);
    if let Ok(bytes) = std::fs::read(dir.join(&sidecar)) {
        if let Ok(text) = crate::source::text::decode(&bytes, &sidecar) {
            scan(&text, &sidecar, 1);
        }
    }
    out
}

/// A page's resources: each URL listed once, and each a web address a
/// reader can open. (Unknown `kind` or `level` values are already errors
/// when the front matter is read.)
pub fn resources(dir: &Path, page: &SourcePage, diags: &mut Diagnostics) {
    let items: Vec<_> = page.resources.iter().flat_map(|g| &g.items).collect();
    if items.is_empty() {
        return;
    }
    let lines = url_lines(dir, page);
    let mut seen_count: HashMap<&str, usize> = HashMap::new();
    for r in items {
        let nth = seen_count.entry(r.url.as_str()).or_default();
        let (file, line) = lines
            .iter()
            .filter(|(u, _, _)| *u == r.url)
            .nth(*nth)
            .map_or((page.resources_file.clone(), 0), |(_, f, l)| {
                (f.clone(), *l)
            });
        *nth += 1;
        let at = |d: Diagnostic| d.in_file(&file).at(line, if line > 0 { 1 } else { 0 });
        if *nth >= 2 {
            diags.push(at(Diagnostic::warning(format!(
                "the resource URL `{}` is listed twice on this page; expected each \
                 resource once",
                r.url
            ))));
        }
        if !is_valid_url(&r.url) {
            diags.push(at(Diagnostic::error(format!(
                "the resource `{}` has the URL `{}`, which is not a web address; expected \
                 an absolute http:// or https:// URL such as `https://example.org/page`",
                r.title, r.url
            ))));
        }
        if r.title.trim().is_empty() {
            diags.push(at(Diagnostic::error(
                "a resource has an empty `title`; expected the resource's real title",
            )));
        }
    }
}
