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

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Arc;

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
    render(book, current, &path, &book.nodes[current].url, style)
}

/// The sidebar as seen from the URL `from`, with `current` marked and the
/// chapters on `path` open.
fn render(book: &Book, current: NodeId, path: &[NodeId], from: &str, style: LinkStyle) -> String {
    let mut h = String::with_capacity(4096);
    let top = &book.nodes[Book::HOME].children;
    let complete = top.len() <= INLINE_TOP_LEVEL;
    let _ = write!(h, "<ol class=\"toc-tree\" data-complete=\"{complete}\">");
    for &c in top {
        if complete || path.contains(&c) {
            item(book, c, current, path, from, style, &mut h);
        }
    }
    h.push_str("</ol>");
    h
}

/// Sidebars rendered once and shared: the pages of one chapter see the
/// same sidebar but for the mark on the current page (`aria-current`, and
/// its own link, `./`), so it is rendered once per chapter and each page
/// gets a copy with its mark added. At 1,000 pages (40 chapters listed
/// inline) rendering it for every page was 13% of a build's instructions.
#[derive(Debug, Default)]
pub struct Sidebars {
    shared: std::sync::Mutex<HashMap<NodeId, Arc<String>>>,
}

impl Sidebars {
    /// The sidebar for `current`; the same as [`sidebar`].
    pub fn get(&self, book: &Book, current: NodeId, style: LinkStyle) -> String {
        let n = &book.nodes[current];
        let Some(parent) = n.parent else {
            return sidebar(book, current, style);
        };
        let complete = book.nodes[Book::HOME].children.len() <= INLINE_TOP_LEVEL;
        // A page of its own chapter's folder (`chapter/page/`), listed
        // whatever the current page is.
        let Some(dir) = sibling_dir(&n.url).filter(|&d| {
            n.kind == NodeKind::Page
                && (complete || parent != Book::HOME)
                && d == book.nodes[parent].url
        }) else {
            return sidebar(book, current, style);
        };
        let shared = {
            let cached = self
                .shared
                .lock()
                .ok()
                .and_then(|m| m.get(&parent).cloned());
            match cached {
                Some(s) => s,
                None => {
                    // Seen from a page of this folder that no node is (a
                    // name no URL has), so every link is right for all of
                    // them and none is marked current.
                    let from = format!("{dir}\u{1}/");
                    let path = book.ancestors(current);
                    let s = Arc::new(render(book, NodeId::MAX, &path, &from, style));
                    if let Ok(mut m) = self.shared.lock() {
                        m.insert(parent, s.clone());
                    }
                    s
                }
            }
        };
        mark_current(
            &shared,
            &n.url,
            &url::relative(&n.url, &url::encode_path(&n.url), style),
        )
        .unwrap_or_else(|| sidebar(book, current, style))
    }
}

/// The folder a page URL is in: `chapter/` for `chapter/page/`.
fn sibling_dir(url: &str) -> Option<&str> {
    let trimmed = url.strip_suffix('/')?;
    Some(trimmed.rfind('/').map_or("", |i| &trimmed[..=i]))
}

/// `html` with the link of the entry for `url` made the current page's:
/// its `href` replaced by `own` and `aria-current` added.
fn mark_current(html: &str, url: &str, own: &str) -> Option<String> {
    let marker = format!(
        "data-url=\"{}\"><div class=\"toc-row\"><a href=\"",
        escape(url)
    );
    let start = html.find(&marker)? + marker.len();
    let end = start + html[start..].find('"')?;
    let mut out = String::with_capacity(html.len() + 32);
    out.push_str(&html[..start]);
    out.push_str(&escape(own));
    out.push_str("\" aria-current=\"page");
    out.push_str(&html[end..]);
    Some(out)
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
