//! The search index and the page-size design, inspected as data (the
//! browser side is in `browser.rs`).

use serde_json::Value;

use crate::util::{all, attr, one, Site};

/// The name, hash and JSON of `OPENBOOK_SEARCH_LOAD("name","hash",{...});`.
fn load_call(site: &Site, rel: &str) -> (String, String, Value) {
    let text = site.read_out(rel);
    let inner = text
        .trim()
        .strip_prefix("OPENBOOK_SEARCH_LOAD(")
        .and_then(|t| t.strip_suffix(");"))
        .unwrap_or_else(|| panic!("{rel} is not a load call: {text:.80}"));
    let (name, rest) = inner.split_once(',').expect("name, hash, data");
    let (hash, json) = rest.split_once(',').expect("hash, data");
    (
        serde_json::from_str(name).expect("name"),
        serde_json::from_str(hash).expect("hash"),
        serde_json::from_str(json).expect("data"),
    )
}

struct Index {
    manifest: Value,
    shards: Vec<Value>,
    fragments: Vec<Value>,
}

fn index(site: &Site) -> Index {
    let (name, _, manifest) = load_call(site, "search-index.js");
    assert_eq!(name, "index");
    let files = |key: &str| -> Vec<Value> {
        manifest[key]
            .as_array()
            .expect("a list")
            .iter()
            .map(|e| {
                let file = e[1].as_str().unwrap();
                let (n, hash, data) = load_call(site, &format!("search/{file}.js"));
                assert_eq!(n, file, "a file announces its own name");
                assert_eq!(
                    hash,
                    e[2].as_str().unwrap(),
                    "and the hash the manifest expects"
                );
                data
            })
            .collect()
    };
    Index {
        shards: files("shards"),
        fragments: files("fragments"),
        manifest,
    }
}

/// `(url, anchor, heading, text)` of every indexed section, in order.
fn sections(ix: &Index) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for f in &ix.fragments {
        for page in f.as_array().unwrap() {
            for s in page[3].as_array().unwrap() {
                out.push((
                    page[0].as_str().unwrap().to_string(),
                    s[0].as_str().unwrap().to_string(),
                    s[1].as_str().unwrap().to_string(),
                    s[2].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    out
}

/// The sections a term's postings point to.
fn postings(ix: &Index, term: &str) -> Option<Vec<usize>> {
    let list = ix.shards.iter().find_map(|s| s.get(term))?;
    let list = list.as_array().unwrap();
    let mut at = 0;
    Some(
        list[1..]
            .chunks(2)
            .map(|pair| {
                at += pair[0].as_u64().unwrap() as usize;
                at
            })
            .collect(),
    )
}

#[test]
fn sections_are_indexed_with_their_anchors() {
    let site = Site::fixture("reader");
    site.build_ok(&[]);
    let ix = index(&site);
    let secs = sections(&ix);
    assert_eq!(
        ix.manifest["sections"].as_u64().unwrap() as usize,
        secs.len()
    );
    let hits = postings(&ix, "zymurgy").expect("zymurgy is indexed");
    assert_eq!(hits.len(), 1);
    let (url, anchor, heading, text) = &secs[hits[0]];
    assert_eq!(url, "advanced/brewing/");
    assert_eq!(anchor, "fermentation-vessels");
    assert_eq!(heading, "Fermentation vessels");
    assert!(text.contains("called zymurgy"), "{text}");
    // Accents fold, and the folding is written down for the browser.
    assert!(postings(&ix, "creme").is_some());
    assert_eq!(ix.manifest["fold"]["è"], "e");
    // Page titles are searchable.
    assert!(postings(&ix, "vocabulary").is_some());
}

#[test]
fn drafts_are_never_indexed_not_even_with_drafts() {
    let site = Site::fixture("reader");
    site.build_ok(&["--drafts"]);
    assert!(site.out("advanced/secret/index.html").is_file());
    let ix = index(&site);
    assert!(postings(&ix, "quidditchword").is_none());
    assert!(sections(&ix).iter().all(|s| s.0 != "advanced/secret/"));
}

#[test]
fn the_search_page_and_scripts_are_written() {
    let site = Site::fixture("reader");
    site.build_ok(&[]);
    let doc = site.html("search/index.html");
    let input = one(&doc, "form[role=search] input#search-page-input");
    assert_eq!(attr(input, "name"), "q");
    one(&doc, "label[for=search-page-input]");
    one(&doc, "#search-status[role=status]");
    let page = site.html("basics/first/index.html");
    let scripts: Vec<&str> = all(&page, "script[src]")
        .into_iter()
        .map(|s| attr(s, "src"))
        .collect();
    assert!(
        scripts
            .iter()
            .any(|s| s.starts_with("../../assets/search.js")),
        "{scripts:?}"
    );
    // The header box goes to the search page without JavaScript.
    assert_eq!(
        attr(one(&page, "header form[role=search]"), "action"),
        "../../search/"
    );
}

/// A book of `chapters` chapters of three identical pages each.
fn generated(chapters: usize) -> Site {
    let site = Site::empty();
    site.write("content/index.md", "---\ntitle: Home\n---\n\nHello.\n");
    for c in 1..=chapters {
        site.write(
            &format!("content/{c:03}-ch{c:03}/_index.md"),
            &format!("---\ntitle: \"Chapter {c:03}\"\n---\n"),
        );
        for p in 1..=3 {
            site.write(
                &format!("content/{c:03}-ch{c:03}/{p}-p{p}.md"),
                &format!(
                    "---\ntitle: \"Page {p}\"\n---\n\n## A heading\n\nThe same text on every page.\n"
                ),
            );
        }
    }
    site
}

#[test]
fn a_page_does_not_grow_with_the_book() {
    let small = generated(50);
    small.build_ok(&[]);
    let large = generated(150);
    large.build_ok(&[]);
    for rel in ["ch002/p2/index.html", "ch002/index.html", "index.html"] {
        let a = std::fs::metadata(small.out(rel)).unwrap().len();
        let b = std::fs::metadata(large.out(rel)).unwrap().len();
        assert!(
            b.abs_diff(a) < 200,
            "{rel}: {a} bytes in a book of 50 chapters, {b} in one of 150"
        );
    }
    // The sidebar inlines the path to the page only; toc.js has the rest.
    let doc = large.html("ch002/p2/index.html");
    assert_eq!(attr(one(&doc, ".toc-tree"), "data-complete"), "false");
    assert_eq!(all(&doc, ".toc-tree .toc-item").len(), 4);
    assert!(large.read_out("toc.js").contains("ch150/p3/"));
    // The home page sends readers to contents/ for the rest.
    let home = large.html("index.html");
    assert_eq!(all(&home, ".chapter-card").len(), 40);
    one(&home, ".chapters-more a[href='contents/']");
}
