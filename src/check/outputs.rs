//! Findings about what a build would write, from the list of output paths
//! a [`RecordingSink`](super::RecordingSink) collected:
//!
//! - root-relative links (`/contents/`) that no output file answers;
//! - references in a page's HTML (raw `<img src>` and `<a href>` that
//!   openbook publishes as written, links inside quizzes) that lead to no
//!   output file once resolved against the page's URL;
//! - two outputs at one path, or at paths that differ only in letter case
//!   (one overwrites the other on macOS and Windows).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::book::url;
use crate::book::Book;
use crate::diag::{Diagnostic, Diagnostics, LineIndex};
use crate::markdown::links::is_external;
use crate::pipeline::Prepared;

use super::Outputs;

/// Run every finding of this module.
pub fn check(p: &Prepared, outputs: &Outputs, diags: &mut Diagnostics) {
    let base_path = p.config.base_path();
    for &id in &p.book.order {
        let Some(page) = p.book.page_of(id) else {
            continue;
        };
        let r = &p.rendered[id];
        for (dest, line, col) in &r.root_links {
            let path = strip_query(dest.trim_start_matches('/'));
            if answers(outputs, &url::percent_decode(path)).is_none() {
                diags.push(
                    Diagnostic::warning(format!(
                        "the root-relative link `{dest}` is not answered by any file of \
                         this book; expected a path under the site root such as `/contents/` \
                         (or a page linked by its .md file)"
                    ))
                    .in_file(&page.shown)
                    .at(*line, *col),
                );
            }
        }
        // Hrefs openbook wrote itself are right by construction, and
        // broken Markdown links (left as written) are reported already.
        let mut known: HashSet<String> = r.links.iter().map(|(h, _)| h.clone()).collect();
        known.extend(r.diags.iter().filter_map(|d| quoted(&d.message)));
        known.extend(
            r.root_links
                .iter()
                .map(|(d, _, _)| format!("{base_path}{}", d.trim_start_matches('/'))),
        );
        let from = &p.book.nodes[id].url;
        let lines = LineIndex::new(&page.text);
        for value in references(&r.html) {
            if known.contains(&value) || skip_reference(&value) {
                continue;
            }
            let decoded = url::percent_decode(strip_query(&value));
            let target = if let Some(rest) = decoded.strip_prefix(&base_path) {
                Some(rest.to_string())
            } else if decoded.starts_with('/') {
                None
            } else {
                url::resolve(from, &decoded)
                    .map(|t| if decoded.ends_with('/') { t + "/" } else { t })
            };
            let found = target.as_deref().and_then(|t| answers(outputs, t));
            if found.is_some() {
                continue;
            }
            let (line, col) = page
                .text
                .find(&value)
                .map_or((0, 0), |i| lines.locate(&page.text, i));
            let leads = match &target {
                Some(t) => format!("leads to `{base_path}{t}`, which this book does not have"),
                None => format!("is outside the book's base path `{base_path}`"),
            };
            diags.push(
                Diagnostic::warning(format!(
                    "the reference `{value}` in this page's HTML {leads}; HTML is published \
                     as written, relative to the page's URL `{base_path}{from}`: use a \
                     Markdown link or image (`![...](img/x.png)`), which openbook rewrites"
                ))
                .in_file(&page.shown)
                .at(line, col),
            );
        }
    }
    collisions(&p.book, outputs, diags);
}

/// The output file that answers the site path `path` (without a leading
/// `/`), as a static web server would: the file itself, or the folder's
/// `index.html`.
fn answers<'a>(outputs: &'a Outputs, path: &str) -> Option<&'a str> {
    let path = path.trim_start_matches('/');
    let candidates = if path.is_empty() || path.ends_with('/') {
        vec![format!("{path}index.html")]
    } else {
        vec![path.to_string(), format!("{path}/index.html")]
    };
    candidates
        .into_iter()
        .find_map(|c| outputs.written.get_key_value(&c).map(|(k, _)| k.as_str()))
}

/// The first `` `quoted` `` part of a message (the link a broken-link
/// diagnostic is about).
fn quoted(message: &str) -> Option<String> {
    let rest = &message[message.find('`')? + 1..];
    Some(rest[..rest.find('`')?].to_string())
}

fn strip_query(s: &str) -> &str {
    let s = s.split('#').next().unwrap_or(s);
    s.split('?').next().unwrap_or(s)
}

fn skip_reference(value: &str) -> bool {
    value.is_empty()
        || value.starts_with('#')
        || value.starts_with("//")
        || is_external(value)
        || strip_query(value).is_empty()
}

/// Every `href="..."` and `src="..."` value in `html`, unescaped.
pub fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let Some(end) = rest.find('"') else {
                break;
            };
            out.push(unescape(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Who writes an output path, for messages: the source file, and the line
/// of its `slug:` if it has one (the line to edit to move the output).
fn writers(book: &Book) -> HashMap<String, (PathBuf, usize)> {
    let mut w = HashMap::new();
    for (id, n) in book.nodes.iter().enumerate() {
        let source = match book.page_of(id) {
            Some(p) if p.front.slug.is_some() => (p.shown.clone(), p.key_line("slug")),
            Some(p) => (p.shown.clone(), 0),
            None => (Path::new("content").join(&n.folder), 0),
        };
        w.insert(url::page_file(&n.url), source);
    }
    for a in &book.assets {
        w.insert(a.out.clone(), (Path::new("content").join(&a.source.rel), 0));
    }
    w
}

/// Output paths written twice, or that differ only in letter case.
pub fn collisions(book: &Book, outputs: &Outputs, diags: &mut Diagnostics) {
    let writers = writers(book);
    let at = |rel: &str, d: Diagnostic| match writers.get(rel) {
        Some((f, 0)) => d.in_file(f),
        Some((f, line)) => d.in_file(f).at(*line, 1),
        None => d,
    };
    let mut paths: Vec<&String> = outputs.written.keys().collect();
    paths.sort();
    for rel in &paths {
        if outputs.written[*rel] > 1 {
            diags.push(at(
                rel,
                Diagnostic::error(format!(
                    "the book writes `{rel}` more than once, so one output overwrites \
                     another; expected one file per path (rename a page, tag or asset)"
                )),
            ));
        }
    }
    let mut by_folded: HashMap<String, Vec<&String>> = HashMap::new();
    for rel in paths {
        by_folded.entry(rel.to_lowercase()).or_default().push(rel);
    }
    let mut groups: Vec<Vec<&String>> = by_folded.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    for g in groups {
        // Blame the output whose source set a `slug:` (most likely the odd
        // one out), else the first with a known source.
        let blamed = g
            .iter()
            .find(|r| writers.get(r.as_str()).is_some_and(|(_, l)| *l > 0))
            .or_else(|| g.iter().find(|r| writers.contains_key(r.as_str())))
            .unwrap_or(&g[0]);
        let list = g
            .iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(" and ");
        diags.push(at(
            blamed,
            Diagnostic::warning(format!(
                "the outputs {list} differ only in letter case; on macOS and Windows one \
                 overwrites the other: expected names that differ in more than case"
            )),
        ));
    }
}
