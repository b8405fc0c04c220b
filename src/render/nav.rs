//! Navigation rendered in Rust, not in templates: the sidebar, the
//! breadcrumbs and the shared table-of-contents file.
//!
//! A page's HTML must not grow with the size of the book, so the sidebar
//! inlined into each page holds only the path to the page: the top-level
//! entries (when there are few enough), the children of every chapter on
//! the path, and the page itself. The whole tree is written once per build
//! to `toc.js`, which the theme's script loads to show every chapter (and
//! which works from `file://`, unlike a fetched JSON file). Without
//! JavaScript the `contents/` page lists everything.

use std::fmt::Write;

use crate::book::url::{self, LinkStyle};
use crate::book::{Book, NodeId, NodeKind};
use crate::highlight::escape;

/// Top-level entries listed inline in every page's sidebar, at most. Books
/// with more chapters list only the current one inline (the script adds
/// the rest from `toc.js`).
pub const INLINE_TOP_LEVEL: usize = 40;

/// The sidebar's inline table of contents for the page `current`.
pub fn sidebar(book: &Book, current: NodeId, style: LinkStyle) -> String {
    let mut path = book.ancestors(current);
    path.push(current);
    let from = &book.nodes[current].url;
    let mut h = String::with_capacity(4096);
    let top = &book.nodes[Book::HOME].children;
    let complete = top.len() <= INLINE_TOP_LEVEL;
    let _ = write!(h, "<ol class=\"toc-tree\" data-complete=\"{complete}\">");
    for &c in top {
        if complete || path.contains(&c) {
            item(book, c, current, &path, from, style, &mut h);
        }
    }
    h.push_str("</ol>");
    h
}

fn item(
    book: &Book,
    id: NodeId,
    current: NodeId,
    path: &[NodeId],
    from: &str,
    style: LinkStyle,
    h: &mut String,
) {
    let n = &book.nodes[id];
    let on_path = path.contains(&id);
    let chapter = n.kind == NodeKind::Chapter;
    let mut class = String::from("toc-item");
    if chapter {
        class.push_str(" toc-chapter");
    }
    if on_path && chapter {
        class.push_str(" is-open");
    }
    let _ = write!(
        h,
        "<li class=\"{class}\" data-url=\"{}\"><div class=\"toc-row\"><a href=\"{}\"{}>\
         <span class=\"toc-num\">{}</span> <span class=\"toc-label\">{}</span></a></div>",
        escape(&n.url),
        escape(&url::relative(from, &url::encode_path(&n.url), style)),
        if id == current {
            " aria-current=\"page\""
        } else {
            ""
        },
        n.number_string(),
        escape(&n.nav_title)
    );
    if chapter && on_path && !n.children.is_empty() {
        h.push_str("<ol>");
        for &c in &n.children {
            item(book, c, current, path, from, style, h);
        }
        h.push_str("</ol>");
    }
    h.push_str("</li>");
}

/// The whole table of contents as a script for `toc.js`:
/// `[url, nav title, number, parent index, kind]` per node, in reading
/// order, home first.
pub fn toc_script(book: &Book) -> String {
    let mut index = vec![0usize; book.nodes.len()];
    for (i, &id) in book.order.iter().enumerate() {
        index[id] = i;
    }
    let rows: Vec<serde_json::Value> = book
        .order
        .iter()
        .map(|&id| {
            let n = &book.nodes[id];
            let kind = match n.kind {
                NodeKind::Home => "h",
                NodeKind::Chapter => "c",
                NodeKind::Page => "p",
            };
            serde_json::json!([
                n.url,
                n.nav_title,
                n.number_string(),
                n.parent.map_or(-1, |p| index[p] as i64),
                kind
            ])
        })
        .collect();
    let json = serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into());
    // `</script>` cannot appear in JSON from serde with `<` escaped below.
    format!("window.OPENBOOK_TOC={};\n", json.replace('<', "\\u003c"))
}

/// Breadcrumbs: `(title, href)` from the home page to the parent.
pub fn breadcrumbs(book: &Book, current: NodeId, style: LinkStyle) -> Vec<(String, String)> {
    let from = &book.nodes[current].url;
    book.ancestors(current)
        .into_iter()
        .map(|id| {
            let n = &book.nodes[id];
            let title = if id == Book::HOME {
                "Home".to_string()
            } else {
                n.nav_title.clone()
            };
            (title, url::relative(from, &url::encode_path(&n.url), style))
        })
        .collect()
}
