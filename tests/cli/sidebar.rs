//! The sidebar shared by a chapter's pages is, for every page, the very
//! sidebar rendered for that page alone.

use openbook::book::url::LinkStyle;
use openbook::pipeline::{prepare, BuildOptions, Mode};
use openbook::render::nav::{sidebar, Sidebars};

use crate::util::*;

fn same_for_every_node(site: &Site, offline: bool) {
    let mut opts = BuildOptions::new(site.path());
    opts.mode = Mode::Check;
    opts.offline = offline;
    let p = prepare(&opts).unwrap_or_else(|d| panic!("{d:?}"));
    assert!(!p.diags.has_errors(), "{:?}", p.diags);
    let style = if offline {
        LinkStyle::Offline
    } else {
        LinkStyle::Pretty
    };
    let shared = Sidebars::default();
    for id in 0..p.book.nodes.len() {
        assert_eq!(
            shared.get(&p.book, id, style),
            sidebar(&p.book, id, style),
            "node {}",
            p.book.nodes[id].url
        );
    }
}

#[test]
fn shared_sidebars_are_the_pages_own() {
    let site = Site::fixture("basic");
    same_for_every_node(&site, false);
    same_for_every_node(&site, true);
}

#[test]
fn shared_sidebars_in_a_book_with_many_chapters() {
    // More top-level entries than the sidebar lists inline, a top-level
    // page among them, and a page with a slug of its own.
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: Many\nbase_url: \"https://example.org/\"\n",
    );
    site.write("content/index.md", "---\ntitle: Home\n---\n\nHome.\n");
    site.write("content/00-intro.md", "---\ntitle: Intro\n---\n\nIntro.\n");
    for c in 1..=45 {
        site.write(
            &format!("content/{c:02}-ch{c}/_index.md"),
            &format!("---\ntitle: \"Chapter {c}\"\n---\n\nChapter.\n"),
        );
        for q in 1..=2 {
            site.write(
                &format!("content/{c:02}-ch{c}/{q:02}-p{q}.md"),
                &format!("---\ntitle: \"Page {c}.{q} <&>\"\n---\n\nText.\n"),
            );
        }
    }
    site.write(
        "content/03-ch3/03-own.md",
        "---\ntitle: Own slug\nslug: elsewhere\n---\n\nText.\n",
    );
    same_for_every_node(&site, false);
    same_for_every_node(&site, true);
}
