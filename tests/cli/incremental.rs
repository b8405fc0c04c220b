//! Incremental rebuilds (`serve`) give exactly the bytes of a fresh full
//! build of the same files, after edits, additions, renames and deletions.

use std::path::PathBuf;

use openbook::pipeline::{BuildOptions, Mode};
use openbook::serve::site::{LiveSite, RebuildKind};

use crate::util::*;

fn options(site: &Site) -> BuildOptions {
    let mut o = BuildOptions::new(site.path());
    o.mode = Mode::Serve;
    o.base_url = Some("http://127.0.0.1:3000/".into());
    o
}

/// Compare the live site with a fresh full build of the same folder.
fn assert_same_as_full_build(live: &LiveSite, site: &Site, step: &str) {
    assert!(live.errors.is_empty(), "{step}: {:?}", live.errors);
    let fresh = LiveSite::new(options(site));
    assert!(fresh.errors.is_empty(), "{step}: {:?}", fresh.errors);
    let mut a: Vec<&String> = live.files().keys().collect();
    let mut b: Vec<&String> = fresh.files().keys().collect();
    a.sort();
    b.sort();
    assert_eq!(a, b, "{step}: the sets of files differ");
    for (path, body) in fresh.files() {
        assert!(
            live.files().get(path) == Some(body),
            "{step}: {path} differs from a full build"
        );
    }
}

fn apply(live: &mut LiveSite, site: &Site, rels: &[&str]) -> RebuildKind {
    let paths: Vec<PathBuf> = rels.iter().map(|r| site.path().join(r)).collect();
    let change = live.apply(&paths);
    // What serve does after a body edit.
    live.refresh_shared();
    change.kind
}

#[test]
fn every_kind_of_edit_matches_a_full_build() {
    let site = Site::fixture("basic");
    let mut live = LiveSite::new(options(&site));
    assert_same_as_full_build(&live, &site, "start");

    // A body edit takes the fast path.
    let hello = "content/01-first-steps/01-hello.md";
    let text = std::fs::read_to_string(site.path().join(hello)).unwrap();
    site.write(
        hello,
        &text.replace(
            "Repeated heading.",
            "Repeated heading, edited.\n\n## A new section",
        ),
    );
    assert_eq!(apply(&mut live, &site, &[hello]), RebuildKind::Body);
    assert_same_as_full_build(&live, &site, "body edit");

    // A title change: neighbours, sidebar and book-wide pages change.
    let second = "content/01-first-steps/02-second.md";
    let text = std::fs::read_to_string(site.path().join(second)).unwrap();
    site.write(second, &text.replace("The second page", "Page two"));
    assert_eq!(apply(&mut live, &site, &[second]), RebuildKind::Structure);
    assert_same_as_full_build(&live, &site, "title change");

    // A new page and a new chapter.
    site.write(
        "content/01-first-steps/03-third.md",
        "---\ntitle: Third\ntags: [new]\n---\n\nSee [hello](01-hello.md#a-new-section).\n",
    );
    site.write(
        "content/03-extra/01-one.md",
        "---\ntitle: One\n---\n\nOne.\n",
    );
    apply(
        &mut live,
        &site,
        &[
            "content/01-first-steps/03-third.md",
            "content/03-extra/01-one.md",
        ],
    );
    assert_same_as_full_build(&live, &site, "additions");

    // A rename (URLs change, so links elsewhere are re-rendered).
    std::fs::rename(
        site.path().join("content/03-extra/01-one.md"),
        site.path().join("content/03-extra/01-uno.md"),
    )
    .unwrap();
    apply(
        &mut live,
        &site,
        &["content/03-extra/01-one.md", "content/03-extra/01-uno.md"],
    );
    assert_same_as_full_build(&live, &site, "rename");

    // Deletions, of a page and of an asset.
    site.remove("content/01-first-steps/03-third.md");
    apply(&mut live, &site, &["content/01-first-steps/03-third.md"]);
    assert_same_as_full_build(&live, &site, "page deleted");
    site.write("content/01-first-steps/img/extra.txt", "x");
    apply(&mut live, &site, &["content/01-first-steps/img/extra.txt"]);
    site.remove("content/01-first-steps/img/extra.txt");
    apply(&mut live, &site, &["content/01-first-steps/img/extra.txt"]);
    assert_same_as_full_build(&live, &site, "asset added and deleted");

    // A resource file beside a page.
    site.write(
        "content/01-first-steps/01-hello.resources.yaml",
        "- title: Extra\n  url: https://example.org/extra\n  kind: article\n",
    );
    apply(
        &mut live,
        &site,
        &["content/01-first-steps/01-hello.resources.yaml"],
    );
    assert_same_as_full_build(&live, &site, "sidecar resources");

    // A template change rebuilds everything.
    site.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<p>Lost.</p>{% endblock main %}",
    );
    assert_eq!(
        apply(&mut live, &site, &["themes/default/templates/404.html"]),
        RebuildKind::Full
    );
    assert_same_as_full_build(&live, &site, "template");
    let lost = live.files().get("404.html").unwrap();
    let bytes = match lost {
        openbook::serve::site::Body::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        openbook::serve::site::Body::File(_) => String::new(),
    };
    assert!(bytes.contains("<p>Lost.</p>"));
}

#[test]
fn a_broken_edit_keeps_the_last_good_site() {
    let site = Site::fixture("basic");
    let mut live = LiveSite::new(options(&site));
    let before = live.files().clone();
    let hello = "content/01-first-steps/01-hello.md";
    let text = std::fs::read_to_string(site.path().join(hello)).unwrap();
    // A quiz whose answer is not a choice: an error in the body.
    site.write(
        hello,
        &format!("{text}\n```quiz\nquestion: Q\nchoices: [a, b]\nanswer: c\n```\n"),
    );
    live.apply(&[site.path().join(hello)]);
    assert!(!live.errors.is_empty());
    assert!(live.files() == &before, "the last good site must stay");
    // Fixing it brings the site back in line with a full build.
    site.write(hello, &text);
    live.apply(&[site.path().join(hello)]);
    live.refresh_shared();
    assert_same_as_full_build(&live, &site, "after fix");
}
