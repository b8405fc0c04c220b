//! `resources/`: every curated resource in the book on one page,
//! deduplicated by URL, grouped by kind with counts, each linking back to
//! every page that lists it. The theme's script filters by kind, level and
//! tag; without JavaScript everything is listed.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Ctx, Write};
use crate::book::NodeId;
use crate::diag::Diagnostic;
use crate::source::resources::{Kind, Level};

/// A page that cites a resource.
#[derive(Debug, Clone, Serialize)]
pub struct Cite {
    /// Page title.
    pub title: String,
    /// "3.2".
    pub number: String,
    /// Relative href from `resources/`.
    pub href: String,
}

/// One resource, with every page that lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Title (as first listed).
    pub title: String,
    /// URL.
    pub url: String,
    /// Kind.
    pub kind: Kind,
    /// Level, if any page gave one.
    pub level: Option<Level>,
    /// Description (as first listed).
    pub description: String,
    /// Tags from every listing.
    pub tags: Vec<String>,
    /// Pages that list it, in reading order.
    pub cited: Vec<Cite>,
}

/// Resources of one kind.
#[derive(Debug, Clone, Serialize)]
pub struct KindGroup {
    /// `docs`...
    pub kind: Kind,
    /// "Documentation"...
    pub label: &'static str,
    /// The entries, by title.
    pub items: Vec<Entry>,
}

/// The heading for a kind.
pub fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Docs => "Documentation",
        Kind::Article => "Articles",
        Kind::Tutorial => "Tutorials",
        Kind::Video => "Videos and talks",
        Kind::Book => "Books",
        Kind::Tool => "Tools",
        Kind::Course => "Courses",
    }
}

fn key(url: &str) -> String {
    url.trim_end_matches('/').to_string()
}

/// Every resource of the book, deduplicated, with the pages that cite it.
pub fn collect(cx: &Ctx<'_>, from: &str) -> Vec<Entry> {
    let book = &cx.p.book;
    let mut by_url: BTreeMap<String, (Entry, Vec<NodeId>)> = BTreeMap::new();
    let mut order = Vec::new();
    for &id in &book.order {
        let Some(page) = book.page_of(id) else {
            continue;
        };
        for r in page.resources.iter().flat_map(|g| &g.items) {
            let k = key(&r.url);
            let slot = by_url.entry(k.clone()).or_insert_with(|| {
                order.push(k.clone());
                (
                    Entry {
                        title: r.title.clone(),
                        url: r.url.clone(),
                        kind: r.kind,
                        level: r.level,
                        description: r.description.clone().unwrap_or_default(),
                        tags: Vec::new(),
                        cited: Vec::new(),
                    },
                    Vec::new(),
                )
            });
            if slot.0.level.is_none() {
                slot.0.level = r.level;
            }
            for t in &r.tags {
                if !slot.0.tags.contains(t) {
                    slot.0.tags.push(t.clone());
                }
            }
            if !slot.1.contains(&id) {
                slot.1.push(id);
            }
        }
    }
    order
        .into_iter()
        .filter_map(|k| by_url.remove(&k))
        .map(|(mut e, pages)| {
            e.tags.sort();
            e.cited = pages
                .into_iter()
                .map(|id| Cite {
                    title: book.nodes[id].nav_title.clone(),
                    number: book.nodes[id].number_string(),
                    href: cx.href(from, id),
                })
                .collect();
            e
        })
        .collect()
}

/// Write `resources/index.html`.
pub fn write(cx: &Ctx<'_>, write: &Write<'_>) -> Result<(), Diagnostic> {
    #[derive(Serialize)]
    struct Count {
        name: String,
        label: String,
        count: usize,
    }
    let url = "resources/";
    let entries = collect(cx, url);
    let mut groups: Vec<KindGroup> = Kind::ALL
        .iter()
        .map(|&k| KindGroup {
            kind: k,
            label: kind_label(k),
            items: entries.iter().filter(|e| e.kind == k).cloned().collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect();
    for g in &mut groups {
        g.items.sort_by_key(|e| e.title.to_lowercase());
    }
    let kinds: Vec<Count> = groups
        .iter()
        .map(|g| Count {
            name: g.kind.as_str().into(),
            label: g.label.into(),
            count: g.items.len(),
        })
        .collect();
    let levels: Vec<Count> = Level::ALL
        .iter()
        .map(|&l| Count {
            name: l.as_str().into(),
            label: l.as_str().into(),
            count: entries.iter().filter(|e| e.level == Some(l)).count(),
        })
        .filter(|c| c.count > 0)
        .collect();
    let mut tag_counts: BTreeMap<String, usize> = BTreeMap::new();
    for e in &entries {
        for t in &e.tags {
            *tag_counts.entry(t.clone()).or_default() += 1;
        }
    }
    let tags: Vec<Count> = tag_counts
        .into_iter()
        .map(|(name, count)| Count {
            label: name.clone(),
            name,
            count,
        })
        .collect();
    let mut c = cx.context(url, "Resources");
    c.insert("groups", &groups);
    c.insert("total", &entries.len());
    c.insert("kinds", &kinds);
    c.insert("levels", &levels);
    c.insert("tags", &tags);
    write(
        "resources/index.html",
        cx.p.renderer.render("resources.html", &c)?.as_bytes(),
    )
}
