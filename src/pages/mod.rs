//! The book-wide pages at fixed paths: `contents/`, `404.html`,
//! `sitemap.xml`, `robots.txt` and the shared `toc.js`.

use serde::Serialize;

use crate::book::url::{self, LinkStyle};
use crate::book::{Book, NodeKind};
use crate::config::SiteConfig;
use crate::diag::Diagnostic;
use crate::render::context::{human_date, Links, SiteView};
use crate::render::Renderer;

/// One line of the full table of contents.
#[derive(Debug, Clone, Serialize)]
pub struct ContentsEntry {
    /// "3.2".
    pub number: String,
    /// Title.
    pub title: String,
    /// Relative href.
    pub href: String,
    /// Description.
    pub description: String,
    /// 1 for chapters, 2 for their pages...
    pub depth: usize,
    /// `chapter` or `page`.
    pub kind: &'static str,
    /// Site-relative URL.
    pub url: String,
    /// Status, if set.
    pub status: Option<&'static str>,
}

/// Every entry of the book (home excluded), in reading order.
pub fn contents_entries(book: &Book, from: &str, style: LinkStyle) -> Vec<ContentsEntry> {
    book.order
        .iter()
        .filter(|&&id| id != Book::HOME)
        .map(|&id| {
            let n = &book.nodes[id];
            let p = book.page_of(id);
            ContentsEntry {
                number: n.number_string(),
                title: n.title.clone(),
                href: url::relative(from, &url::encode_path(&n.url), style),
                description: p
                    .and_then(|p| p.front.description.clone())
                    .unwrap_or_default(),
                depth: n.number.len(),
                kind: if n.kind == NodeKind::Chapter {
                    "chapter"
                } else {
                    "page"
                },
                url: n.url.clone(),
                status: p.and_then(|p| p.front.status.map(|s| s.as_str())),
            }
        })
        .collect()
}

/// The base context of a book-wide page.
pub fn base_context(
    site: &SiteView,
    links: &Links,
    nav: &str,
    title: &str,
    url: &str,
) -> tera::Context {
    let mut c = tera::Context::new();
    c.insert("site", site);
    c.insert("links", links);
    c.insert("nav", nav);
    c.insert("page_title", title);
    c.insert("page_url", url);
    c
}

/// `sitemap.xml`: every page, with `lastmod` from `updated`.
pub fn sitemap(
    book: &Book,
    config: &SiteConfig,
    renderer: &Renderer,
) -> Result<String, Diagnostic> {
    #[derive(Serialize)]
    struct Entry {
        loc: String,
        lastmod: Option<String>,
    }
    let base = if config.has_absolute_base() {
        config.base_url.clone()
    } else {
        config.base_path()
    };
    let entries: Vec<Entry> = book
        .order
        .iter()
        .map(|&id| Entry {
            loc: format!("{base}{}", url::encode_path(&book.nodes[id].url)),
            lastmod: book.page_of(id).and_then(|p| p.front.updated.clone()),
        })
        .collect();
    let mut c = tera::Context::new();
    c.insert("entries", &entries);
    renderer.render("sitemap.xml", &c)
}

/// `robots.txt`, pointing at the sitemap.
pub fn robots(config: &SiteConfig) -> String {
    let base = if config.has_absolute_base() {
        config.base_url.clone()
    } else {
        config.base_path()
    };
    format!("User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n")
}

/// "25 November 2026" for templates that show dates.
pub fn human(date: &str) -> String {
    human_date(date)
}
