//! `atom.xml`: an Atom feed (RFC 4287) of the most recently updated pages,
//! with absolute URLs from `base_url`.

use serde::Serialize;

use super::special::absolute_base;
use super::{Ctx, Write};
use crate::book::url;
use crate::diag::Diagnostic;

/// How many entries the feed carries.
pub const ENTRIES: usize = 30;

#[derive(Serialize)]
struct Entry {
    title: String,
    link: String,
    updated: String,
    summary: String,
}

fn rfc3339(date: &str) -> String {
    format!("{date}T00:00:00Z")
}

/// Write `atom.xml`.
pub fn write(cx: &Ctx<'_>, write: &Write<'_>) -> Result<(), Diagnostic> {
    let book = &cx.p.book;
    let base = absolute_base(&cx.p.config);
    let mut dated: Vec<(String, usize, usize)> = book
        .order
        .iter()
        .enumerate()
        .filter_map(|(pos, &id)| {
            book.page_of(id)
                .and_then(|p| p.front.updated.clone())
                .map(|d| (d, pos, id))
        })
        .collect();
    // Newest first; within a day, in reading order.
    dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let entries: Vec<Entry> = dated
        .iter()
        .take(ENTRIES)
        .map(|(d, _, id)| {
            let n = &book.nodes[*id];
            Entry {
                title: if n.title.is_empty() {
                    cx.p.config.title.clone()
                } else {
                    n.title.clone()
                },
                link: format!("{base}{}", url::encode_path(&n.url)),
                updated: rfc3339(d),
                summary: book
                    .page_of(*id)
                    .and_then(|p| p.front.description.clone())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let updated = dated
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| rfc3339(&d.0));
    let mut c = tera::Context::new();
    c.insert("site", cx.site);
    c.insert("base", &base);
    c.insert("updated", &updated);
    c.insert("entries", &entries);
    c.insert(
        "author",
        if cx.p.config.author.is_empty() {
            &cx.p.config.title
        } else {
            &cx.p.config.author
        },
    );
    write("atom.xml", cx.p.renderer.render("atom.xml", &c)?.as_bytes())
}
