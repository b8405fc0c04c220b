//! `tags/` (every tag with its page count) and `tags/<tag>/` (the pages
//! with that tag, with their descriptions).

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Ctx, Write};
use crate::book::url;
use crate::book::NodeId;
use crate::diag::Diagnostic;

#[derive(Serialize)]
struct TagRow {
    name: String,
    slug: String,
    href: String,
    count: usize,
}

#[derive(Serialize)]
struct PageRow {
    number: String,
    title: String,
    href: String,
    description: String,
}

/// Tags by slug: (display name, pages in reading order).
pub fn collect(cx: &Ctx<'_>) -> BTreeMap<String, (String, Vec<NodeId>)> {
    let book = &cx.p.book;
    let mut tags: BTreeMap<String, (String, Vec<NodeId>)> = BTreeMap::new();
    for &id in &book.order {
        if let Some(p) = book.page_of(id) {
            for t in &p.front.tags {
                let slug = url::slugify(t);
                let e = tags.entry(slug).or_insert_with(|| (t.clone(), Vec::new()));
                if !e.1.contains(&id) {
                    e.1.push(id);
                }
            }
        }
    }
    tags
}

/// Write `tags/index.html` and one page per tag.
pub fn write(cx: &Ctx<'_>, write: &Write<'_>) -> Result<(), Diagnostic> {
    let tags = collect(cx);
    let book = &cx.p.book;
    let rows: Vec<TagRow> = tags
        .iter()
        .map(|(slug, (name, pages))| TagRow {
            name: name.clone(),
            slug: slug.clone(),
            href: format!(
                "{slug}/{}",
                if cx.p.style == url::LinkStyle::Offline {
                    "index.html"
                } else {
                    ""
                }
            ),
            count: pages.len(),
        })
        .collect();
    let mut c = cx.context("tags/", "Tags");
    c.insert("tags", &rows);
    write(
        "tags/index.html",
        cx.p.renderer.render("tags.html", &c)?.as_bytes(),
    )?;
    for (slug, (name, pages)) in &tags {
        let from = format!("tags/{slug}/");
        let rows: Vec<PageRow> = pages
            .iter()
            .map(|&id| PageRow {
                number: book.nodes[id].number_string(),
                title: book.nodes[id].title.clone(),
                href: cx.href(&from, id),
                description: book
                    .page_of(id)
                    .and_then(|p| p.front.description.clone())
                    .unwrap_or_default(),
            })
            .collect();
        let mut c = cx.context(&from, &format!("Tagged “{name}”"));
        c.insert("tag", name);
        c.insert("pages", &rows);
        c.insert("all_tags", &url::relative(&from, "tags/", cx.p.style));
        write(
            &format!("{from}index.html"),
            cx.p.renderer.render("tag.html", &c)?.as_bytes(),
        )?;
    }
    Ok(())
}
