//! Any bytes as a page of a small book: front matter (when it parses) and
//! Markdown to HTML, with link rewriting against the book, anchors,
//! highlighting and quizzes. Nothing may panic, and every diagnostic must
//! name the page.

#![no_main]

use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use openbook::book::url::LinkStyle;
use openbook::book::{AssembleOptions, Book};
use openbook::diag::Severity;
use openbook::markdown::{self, PageContext};
use openbook::source::{front_matter, resources, text, SourcePage, SourceTree};

fn page(rel: &str, text: String) -> Option<SourcePage> {
    let shown = PathBuf::from("content").join(rel);
    let (front, yaml_start, yaml_len, body_offset) = {
        let split = front_matter::split(&text, &shown).ok()?;
        let fm = front_matter::parse(&split, &shown).ok()?;
        let start = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
        (fm, start, split.yaml.len(), split.body_offset)
    };
    Some(SourcePage {
        rel: rel.to_string(),
        shown: shown.clone(),
        yaml_start,
        yaml_len,
        yaml_line: 2,
        body_offset,
        resources: resources::into_groups(front.resources.clone()),
        resources_file: shown,
        front,
        text,
        hash: 0,
    })
}

fuzz_target!(|data: &[u8]| {
    let rel = "01-ch/01-page.md";
    let Ok(decoded) = text::decode(data, Path::new(rel)) else {
        return;
    };
    // The fuzzed text as a whole page if its front matter parses, else as
    // the body of a page with a minimal front matter.
    let fuzzed = page(rel, decoded.clone())
        .or_else(|| page(rel, format!("---\ntitle: T\n---\n{decoded}")))
        .expect("a minimal page parses");
    let other = page(
        "01-ch/02-other.md",
        "---\ntitle: Other\n---\n\n## Alpha\n\n![i](img/x.png)\n".to_string(),
    )
    .expect("the other page parses");
    let home = page("index.md", "---\ntitle: Home\n---\n".to_string()).expect("home");
    let tree = SourceTree {
        pages: vec![home, fuzzed, other],
        assets: Vec::new(),
    };
    let (book, _) = Book::assemble(tree, AssembleOptions { drafts: true });
    for id in 0..book.nodes.len() {
        let Some(p) = book.page_of(id) else { continue };
        let r = markdown::render(&PageContext {
            book: &book,
            node: id,
            style: LinkStyle::Pretty,
            base_path: "/book/",
            file: &p.shown,
            text: &p.text,
            body_offset: p.body_offset,
            broken_link: Severity::Error,
            sql_outputs: None,
        });
        for d in &r.diags {
            assert_eq!(d.file.as_deref(), Some(p.shown.as_path()), "{d}");
        }
    }
});
