//! `404.html`, `search/`, `sitemap.xml` and `robots.txt`.

use serde::Serialize;

use super::{contents_entries, Ctx, Write};
use crate::book::url::{self, LinkStyle};
use crate::config::SiteConfig;
use crate::diag::Diagnostic;
use crate::render::context::Links;

/// The absolute base for URLs that leave the site (sitemap, feed): the
/// base URL if it has a host, else its path.
pub fn absolute_base(config: &SiteConfig) -> String {
    if config.has_absolute_base() {
        config.base_url.clone()
    } else {
        config.base_path()
    }
}

/// `404.html`, with links from the site root: it is served at any depth.
pub fn not_found(cx: &Ctx<'_>, write: &Write<'_>) -> Result<(), Diagnostic> {
    let p = cx.p;
    let base = p.config.base_path();
    let links = Links::new("", LinkStyle::Pretty, Some(&base));
    let mut c = super::base_context(cx.site, &links, "", "Page not found", "404.html");
    let chapters: Vec<_> = contents_entries(&p.book, "", LinkStyle::Pretty)
        .into_iter()
        .filter(|e| e.depth == 1)
        .take(crate::render::nav::INLINE_TOP_LEVEL)
        .map(|mut e| {
            e.href = format!("{base}{}", url::encode_path(&e.url));
            e
        })
        .collect();
    c.insert("chapters", &chapters);
    write("404.html", p.renderer.render("404.html", &c)?.as_bytes())
}

/// `sitemap.xml`: every page, with `lastmod` from `updated`.
pub fn sitemap(cx: &Ctx<'_>, write: &Write<'_>) -> Result<(), Diagnostic> {
    #[derive(Serialize)]
    struct Entry {
        loc: String,
        lastmod: Option<String>,
    }
    let book = &cx.p.book;
    let base = absolute_base(&cx.p.config);
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
    write(
        "sitemap.xml",
        cx.p.renderer.render("sitemap.xml", &c)?.as_bytes(),
    )
}

/// `robots.txt`, pointing at the sitemap.
pub fn robots(config: &SiteConfig) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        absolute_base(config)
    )
}

/// `search/index.html`: the search page. It works without the header box
/// (and reads `?q=`); the index itself is written by [`crate::search`].
pub fn search(cx: &Ctx<'_>, write: &Write<'_>) -> Result<(), Diagnostic> {
    let c = cx.context("search/", "Search");
    write(
        "search/index.html",
        cx.p.renderer.render("search.html", &c)?.as_bytes(),
    )
}
