//! `print/`: the whole book on one page, in reading order, for printing or
//! saving as PDF.
//!
//! Each page's rendered body is reused: its ids (headings, footnotes,
//! quizzes) get a per-page prefix so they stay unique across the book,
//! links to other pages become in-page anchors, and links to files are
//! made relative to `print/`.

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
pub fn prefix_ids(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some((pos, pat)) = ID_ATTRS
        .iter()
        .filter_map(|p| rest.find(p).map(|i| (i, *p)))
        .min_by_key(|(i, _)| *i)
    {
        out.push_str(&rest[..pos]);
        if let Some(stripped) = pat.strip_suffix("quiz-") {
            out.push_str(stripped);
            out.push_str(prefix);
            out.push_str("quiz-");
        } else {
            out.push_str(pat);
            out.push_str(prefix);
        }
        rest = &rest[pos + pat.len()..];
    }
    out.push_str(rest);
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
            let mut body = prefix_ids(&r.html, &prefix);
            for (href, target) in &r.links {
                if href.starts_with('#') {
                    continue;
                }
                let new = match target {
                    Target::Page(node, None) => format!("#p{node}"),
                    Target::Page(node, Some(anchor)) => format!("#p{node}-{anchor}"),
                    Target::Asset(path) => url::relative(from, path, p.style),
                };
                let old = escaped_href(href);
                let new = escaped_href(&new);
                body = body
                    .replace(&format!("href=\"{old}\""), &format!("href=\"{new}\""))
                    .replace(&format!("src=\"{old}\""), &format!("src=\"{new}\""));
            }
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
}
