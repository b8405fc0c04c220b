//! `print/`: the whole book on one page, in reading order, for printing or
//! saving as PDF.
//!
//! Each page's rendered body is reused: its ids (headings, footnotes,
//! quizzes) get a per-page prefix so they stay unique across the book,
//! links to other pages become in-page anchors, and links to files are
//! made relative to `print/`.

use std::collections::HashMap;

use serde::Serialize;

use super::{Ctx, Write};
use crate::book::url;
use crate::book::NodeKind;
use crate::diag::Diagnostic;
use crate::markdown::links::Target;

#[derive(Serialize)]
struct Section {
    id: String,
    number: String,
    title: String,
    description: String,
    depth: usize,
    chapter: bool,
    body: String,
}

/// Attributes whose values are ids or references to ids.
const ID_ATTRS: &[&str] = &[
    " id=\"",
    " href=\"#",
    " for=\"",
    " aria-labelledby=\"",
    " aria-describedby=\"",
    " name=\"quiz-",
];

/// Prefix every id (and every reference to one) in `html` with `prefix`.
///
/// One pass: the next position of each attribute is remembered and only
/// searched again once the pass has moved beyond it, so the work grows
/// with the size of the page, not with its size times its number of ids
/// (a 4 MB page took three minutes before).
pub fn prefix_ids(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut next: Vec<Option<usize>> = ID_ATTRS.iter().map(|p| html.find(p)).collect();
    let mut pos = 0;
    while let Some((k, at)) = next
        .iter()
        .enumerate()
        .filter_map(|(k, at)| at.map(|a| (k, a)))
        .min_by_key(|&(_, a)| a)
    {
        let pat = ID_ATTRS[k];
        out.push_str(&html[pos..at]);
        if let Some(stripped) = pat.strip_suffix("quiz-") {
            out.push_str(stripped);
            out.push_str(prefix);
            out.push_str("quiz-");
        } else {
            out.push_str(pat);
            out.push_str(prefix);
        }
        pos = at + pat.len();
        for (j, slot) in next.iter_mut().enumerate() {
            if slot.is_some_and(|a| a < pos) {
                *slot = html[pos..].find(ID_ATTRS[j]).map(|i| i + pos);
            }
        }
    }
    out.push_str(&html[pos..]);
    out
}

/// Replace the value of every `href="..."` and `src="..."` found in `map`,
/// in one pass over `html` (as in [`prefix_ids`], each attribute's next
/// position is only searched for again once the pass has passed it).
fn retarget(html: &str, map: &HashMap<String, String>) -> String {
    const ATTRS: [&str; 2] = [" href=\"", " src=\""];
    if map.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut next: Vec<Option<usize>> = ATTRS.iter().map(|p| html.find(p)).collect();
    let mut pos = 0;
    while let Some((k, at)) = next
        .iter()
        .enumerate()
        .filter_map(|(k, at)| at.map(|a| (k, a)))
        .min_by_key(|&(_, a)| a)
    {
        let value_start = at + ATTRS[k].len();
        let Some(value_len) = html[value_start..].find('"') else {
            break;
        };
        let value = &html[value_start..value_start + value_len];
        out.push_str(&html[pos..value_start]);
        out.push_str(map.get(value).map_or(value, String::as_str));
        pos = value_start + value_len;
        for (j, slot) in next.iter_mut().enumerate() {
            if slot.is_some_and(|a| a < pos) {
                *slot = html[pos..].find(ATTRS[j]).map(|i| i + pos);
            }
        }
    }
    out.push_str(&html[pos..]);
    out
}

fn escaped_href(href: &str) -> String {
    let mut s = String::new();
    let _ = pulldown_cmark_escape::escape_href(&mut s, href);
    s
}

/// Write `print/index.html`.
pub fn write(cx: &Ctx<'_>, write: &Write<'_>) -> Result<(), Diagnostic> {
    let from = "print/";
    let p = cx.p;
    let book = &p.book;
    let sections: Vec<Section> = book
        .order
        .iter()
        .map(|&id| {
            let r = &p.rendered[id];
            let prefix = format!("p{id}-");
            let mut map = HashMap::new();
            for (href, target) in &r.links {
                if href.starts_with('#') {
                    continue;
                }
                let new = match target {
                    Target::Page(node, None) => format!("#p{node}"),
                    Target::Page(node, Some(anchor)) => format!("#p{node}-{anchor}"),
                    Target::Asset(path) => url::relative(from, path, p.style),
                };
                map.insert(escaped_href(href), escaped_href(&new));
            }
            let body = retarget(&prefix_ids(&r.html, &prefix), &map);
            let n = &book.nodes[id];
            Section {
                id: format!("p{id}"),
                number: n.number_string(),
                title: if n.title.is_empty() {
                    p.config.title.clone()
                } else {
                    n.title.clone()
                },
                description: book
                    .page_of(id)
                    .and_then(|pg| pg.front.description.clone())
                    .unwrap_or_default(),
                depth: n.number.len(),
                chapter: n.kind == NodeKind::Chapter,
                body,
            }
        })
        .collect();
    let mut c = cx.context(from, "The whole book");
    c.insert("sections", &sections);
    write(
        "print/index.html",
        p.renderer.render("print.html", &c)?.as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_references_are_prefixed() {
        let html = "<h2 id=\"a\">A<a href=\"#a\">#</a></h2><section id=\"quiz-1\" aria-labelledby=\"quiz-1-q\"><input name=\"quiz-1\"><a href=\"../x/\">x</a>";
        let out = prefix_ids(html, "p3-");
        assert_eq!(
            out,
            "<h2 id=\"p3-a\">A<a href=\"#p3-a\">#</a></h2><section id=\"p3-quiz-1\" aria-labelledby=\"p3-quiz-1-q\"><input name=\"p3-quiz-1\"><a href=\"../x/\">x</a>"
        );
    }

    #[test]
    fn retargeting_replaces_whole_values_only() {
        let map = HashMap::from([("../x/".to_string(), "#p2".to_string())]);
        let html = "<a href=\"../x/\">x</a><img src=\"../x/\"><a href=\"../x/y\">";
        assert_eq!(
            retarget(html, &map),
            "<a href=\"#p2\">x</a><img src=\"#p2\"><a href=\"../x/y\">"
        );
    }

    /// See issue 6: a 4 MB page spent three minutes here, because every id
    /// restarted a search of the rest of the page for each attribute.
    #[test]
    fn prefixing_many_ids_is_linear() {
        let html = "<h2 id=\"a\">A</h2>".repeat(200_000);
        let out = prefix_ids(&html, "p1-");
        assert_eq!(out.matches(" id=\"p1-a\"").count(), 200_000);
    }
}
