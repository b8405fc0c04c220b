//! `print/`: the whole book on one page, in reading order, for printing or
//! saving as PDF.
//!
//! Each page's rendered body is reused: its ids (headings, footnotes,
//! quizzes) get a per-page prefix so they stay unique across the book,
//! links to other pages become in-page anchors, and links to files are
//! made relative to `print/`.

use std::collections::HashMap;

use serde::Serialize;

use super::Ctx;
use crate::book::url;
use crate::book::NodeKind;
use crate::diag::Diagnostic;
use crate::markdown::links::Target;
use crate::pipeline::{io_err, Sink};

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

/// Attributes whose values are ids (or references to ids, `href="#x"`):
/// their values get the page's prefix.
const ID_ATTRS: &[&str] = &["id", "for", "aria-labelledby", "aria-describedby"];

/// Rewrite one page's body for the print page, in one pass over it: every
/// id and every reference to one (`id`, `for`, `aria-labelledby`,
/// `aria-describedby`, `href="#..."`, a quiz's `name="quiz-..."`) gets
/// `prefix`, so ids stay unique across the book; every other `href` or
/// `src` value found in `map` is replaced by its value there.
///
/// The pass goes from one `="` to the next (a `memchr` for `"`), looking
/// back for the attribute's name: the work grows with the page's size only
/// (a 4 MB page once took three minutes when each id restarted a search).
pub fn rewrite(html: &str, prefix: &str, map: &HashMap<String, String>, out: &mut String) {
    out.reserve(html.len() + html.len() / 16);
    let bytes = html.as_bytes();
    let mut pos = 0;
    let mut from = 0;
    while let Some(i) = html[from..].find('"') {
        let q = from + i;
        from = q + 1;
        if q == 0 || bytes[q - 1] != b'=' {
            continue;
        }
        // The attribute's name: letters and `-` back to a space.
        let name_end = q - 1;
        let name_start = bytes[..name_end]
            .iter()
            .rposition(|b| !(b.is_ascii_lowercase() || *b == b'-'))
            .map_or(0, |k| k + 1);
        if name_start == 0 || bytes[name_start - 1] != b' ' {
            continue;
        }
        let name = &html[name_start..name_end];
        let value_start = q + 1;
        let value = &html[value_start..];
        let insert_at = match name {
            _ if ID_ATTRS.contains(&name) => Some(value_start),
            "href" if value.starts_with('#') => Some(value_start + 1),
            "name" if value.starts_with("quiz-") => Some(value_start),
            "href" | "src" if !map.is_empty() => {
                let Some(len) = value.find('"') else {
                    break;
                };
                if let Some(new) = map.get(&value[..len]) {
                    out.push_str(&html[pos..value_start]);
                    out.push_str(new);
                    pos = value_start + len;
                    from = pos + 1;
                }
                None
            }
            _ => None,
        };
        if let Some(at) = insert_at {
            out.push_str(&html[pos..at]);
            out.push_str(prefix);
            pos = at;
        }
    }
    out.push_str(&html[pos..]);
}

fn escaped_href(href: &str) -> String {
    let mut s = String::new();
    let _ = pulldown_cmark_escape::escape_href(&mut s, href);
    s
}

/// Where a section's body goes in the rendered template (followed by the
/// section's index and another `\u{1}`). The template is rendered with
/// these small marks, and each body is rewritten and written in their
/// place while the file is streamed out: at 10,000 pages the bodies add
/// up to 200 MB, which were held three times over (the sections, Tera's
/// context, the rendered page) before.
const BODY_MARK: &str = "\u{1}openbook-print-body:";

/// The body of node `id`, rewritten for the print page, into `out`.
fn body(
    p: &crate::pipeline::Prepared,
    id: crate::book::NodeId,
    out: &mut String,
) -> std::io::Result<()> {
    let r = &p.rendered[id];
    let html = p
        .body(id)
        .map_err(|d| std::io::Error::other(d.message.clone()))?;
    let mut map = HashMap::new();
    for (href, target) in &r.links {
        if href.starts_with('#') {
            continue;
        }
        let new = match target {
            Target::Page(node, None) => format!("#p{node}"),
            Target::Page(node, Some(anchor)) => format!("#p{node}-{anchor}"),
            Target::Asset(path) => url::relative("print/", path, p.style),
        };
        map.insert(escaped_href(href), escaped_href(&new));
    }
    rewrite(&html, &format!("p{id}-"), &map, out);
    Ok(())
}

/// Write `print/index.html`.
pub fn write(cx: &Ctx<'_>, sink: &dyn Sink) -> Result<(), Diagnostic> {
    let from = "print/";
    let p = cx.p;
    let book = &p.book;
    let sections: Vec<Section> = book
        .order
        .iter()
        .enumerate()
        .map(|(i, &id)| {
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
                // Empty bodies stay empty (`{% if s.body %}` still works).
                body: if p.rendered[id].html.is_empty() && p.rendered[id].spooled.is_none() {
                    String::new()
                } else {
                    format!("{BODY_MARK}{i}\u{1}")
                },
            }
        })
        .collect();
    let mut c = cx.context(from, "The whole book");
    c.insert("sections", &sections);
    let page = p.renderer.render("print.html", &c)?;
    drop(c);
    drop(sections);
    let rel = "print/index.html";
    let mut buf = String::new();
    sink.write_with(rel, &mut |out| {
        let mut rest = page.as_str();
        while let Some(at) = rest.find(BODY_MARK) {
            let after = &rest[at + BODY_MARK.len()..];
            let index = after
                .find('\u{1}')
                .and_then(|end| Some((after[..end].parse::<usize>().ok()?, end)));
            match index.and_then(|(i, end)| Some((*book.order.get(i)?, end))) {
                Some((id, end)) => {
                    out.write_all(&rest.as_bytes()[..at])?;
                    buf.clear();
                    body(p, id, &mut buf)?;
                    out.write_all(buf.as_bytes())?;
                    rest = &after[end + 1..];
                }
                None => {
                    // Not one of ours: keep it as it is.
                    let keep = at + BODY_MARK.len();
                    out.write_all(&rest.as_bytes()[..keep])?;
                    rest = &rest[keep..];
                }
            }
        }
        out.write_all(rest.as_bytes())
    })
    .map_err(|e| io_err(rel, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefix_ids(html: &str, prefix: &str) -> String {
        let mut out = String::new();
        rewrite(html, prefix, &HashMap::new(), &mut out);
        out
    }

    fn retarget(html: &str, map: &HashMap<String, String>) -> String {
        let mut out = String::new();
        rewrite(html, "", map, &mut out);
        out
    }

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
