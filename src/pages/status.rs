//! `status/`: every page with its editorial status and last update,
//! grouped by chapter, with totals — so authors and readers can see what
//! is finished.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Ctx, Write};
use crate::book::{Book, NodeId};
use crate::diag::Diagnostic;

#[derive(Serialize)]
struct Row {
    number: String,
    title: String,
    href: String,
    status: &'static str,
    updated: Option<String>,
    depth: usize,
}

#[derive(Serialize)]
struct Group {
    number: String,
    title: String,
    href: String,
    rows: Vec<Row>,
}

#[derive(Serialize)]
struct Total {
    status: &'static str,
    count: usize,
}

fn row(cx: &Ctx<'_>, from: &str, id: NodeId) -> Option<Row> {
    let book = &cx.p.book;
    let page = book.page_of(id)?;
    Some(Row {
        number: book.nodes[id].number_string(),
        title: book.nodes[id].title.clone(),
        href: cx.href(from, id),
        status: page.front.status.map_or("unset", |s| s.as_str()),
        updated: page.front.updated.clone(),
        depth: book.nodes[id].number.len(),
    })
}

fn descendants(book: &Book, id: NodeId, out: &mut Vec<NodeId>) {
    out.push(id);
    for &c in &book.nodes[id].children {
        descendants(book, c, out);
    }
}

/// Write `status/index.html`.
pub fn write(cx: &Ctx<'_>, write: &Write<'_>) -> Result<(), Diagnostic> {
    let url = "status/";
    let book = &cx.p.book;
    let mut groups = Vec::new();
    let mut totals: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut count = |r: &Row| *totals.entry(r.status).or_default() += 1;
    let home_row = row(cx, url, Book::HOME);
    if let Some(r) = &home_row {
        count(r);
    }
    let mut loose = Vec::new();
    for &top in &book.nodes[Book::HOME].children {
        let mut ids = Vec::new();
        descendants(book, top, &mut ids);
        let rows: Vec<Row> = ids.iter().filter_map(|&id| row(cx, url, id)).collect();
        for r in &rows {
            count(r);
        }
        if book.nodes[top].children.is_empty() {
            loose.extend(rows);
            continue;
        }
        groups.push(Group {
            number: book.nodes[top].number_string(),
            title: book.nodes[top].title.clone(),
            href: cx.href(url, top),
            rows,
        });
    }
    let order = ["complete", "in-progress", "draft", "unset"];
    let totals: Vec<Total> = order
        .iter()
        .map(|s| Total {
            status: s,
            count: totals.get(s).copied().unwrap_or(0),
        })
        .collect();
    let mut c = cx.context(url, "Page status");
    c.insert("groups", &groups);
    c.insert("loose", &loose);
    c.insert("home", &home_row);
    c.insert("totals", &totals);
    c.insert("pages", &totals.iter().map(|t| t.count).sum::<usize>());
    write(
        "status/index.html",
        cx.p.renderer.render("status.html", &c)?.as_bytes(),
    )
}
