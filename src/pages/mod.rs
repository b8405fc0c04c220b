//! The book-wide pages at fixed paths under the base URL: `contents/`,
//! `resources/`, `status/`, `tags/`, `print/`, `search/`, `404.html`,
//! `sitemap.xml`, `atom.xml` and `robots.txt`.
//!
//! Each module builds one of them from the assembled book; [`write_all`]
//! renders them all into the build's sink.

pub mod feed;
pub mod print;
pub mod resources;
pub mod special;
pub mod status;
pub mod tags;

use serde::Serialize;

use crate::book::url::{self, LinkStyle};
use crate::book::{Book, NodeKind};
use crate::diag::{Diagnostic, Diagnostics};
use crate::pipeline::{io_err, Prepared, Sink};
use crate::render::context::{Links, SiteView};
use crate::render::nav;

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

/// Everything a book-wide page needs.
pub struct Ctx<'a> {
    /// The prepared book.
    pub p: &'a Prepared,
    /// Site-wide template values.
    pub site: &'a SiteView,
    /// The sidebar for book-wide pages (the home page's view of the tree).
    pub nav: String,
}

impl Ctx<'_> {
    /// A template context for the book-wide page at site path `url`.
    pub fn context(&self, url: &str, title: &str) -> tera::Context {
        let links = Links::new(url, self.p.style, None);
        base_context(self.site, &links, &self.nav, title, url)
    }

    /// The relative link from `from` to the page `id`.
    pub fn href(&self, from: &str, id: crate::book::NodeId) -> String {
        url::relative(
            from,
            &url::encode_path(&self.p.book.nodes[id].url),
            self.p.style,
        )
    }
}

/// A writer for output files.
pub type Write<'a> = dyn Fn(&str, &[u8]) -> Result<(), Diagnostic> + Sync + 'a;

/// Render every book-wide page into `sink`.
pub fn write_all(p: &Prepared, site: &SiteView, sink: &dyn Sink) -> Result<(), Diagnostics> {
    let write = &|rel: &str, bytes: &[u8]| -> Result<(), Diagnostic> {
        sink.write(rel, bytes).map_err(|e| io_err(rel, e))
    };
    let cx = Ctx {
        p,
        site,
        nav: nav::sidebar(&p.book, Book::HOME, p.style),
    };
    let jobs: [&(dyn Fn() -> Result<(), Diagnostic> + Sync); 9] = [
        &|| {
            let url = "contents/";
            let mut c = cx.context(url, "Contents");
            c.insert("entries", &contents_entries(&p.book, url, p.style));
            write(
                "contents/index.html",
                p.renderer.render("contents.html", &c)?.as_bytes(),
            )
        },
        &|| special::not_found(&cx, write),
        &|| special::search(&cx, write),
        &|| special::sitemap(&cx, write),
        &|| write("robots.txt", special::robots(&p.config).as_bytes()),
        &|| resources::write(&cx, write),
        &|| status::write(&cx, write),
        &|| tags::write(&cx, write),
        &|| {
            feed::write(&cx, write)?;
            print::write(&cx, sink)
        },
    ];
    let mut diags = Diagnostics::new();
    let results: Vec<Result<(), Diagnostic>> = {
        use rayon::prelude::*;
        jobs.par_iter().map(|job| job()).collect()
    };
    for r in results {
        if let Err(d) = r {
            diags.push(d);
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(())
    }
}
