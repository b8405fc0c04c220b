//! `openbook init` and `openbook new`.

use crate::util::*;

#[test]
fn init_makes_a_book_that_builds_without_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let site = Site { tmp };
    let r = site.run(&["init", "book"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = site.run(&["build", "book"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stderr, "", "a new book builds with no warning");
    let out = site.path().join("book/public");
    let page = std::fs::read_to_string(out.join("getting-started/second-page/index.html")).unwrap();
    let doc = scraper::Html::parse_document(&page);
    // It shows every feature.
    for feature in [
        ".admonition-note",
        ".admonition-tip",
        ".admonition-warning",
        ".code-block .code-title",
        "pre.code span[class^=hl-]",
        ".prose img",
        ".prose table",
        ".quiz input[type=checkbox]",
        ".resource-card",
        ".choice-card",
        ".footnote-definition",
    ] {
        assert!(
            !all(&doc, feature).is_empty(),
            "the starter book lacks {feature}"
        );
    }
    assert!(out.join("getting-started/img/diagram.svg").is_file());
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let site = Site::empty();
    let before = snapshot(site.path());
    let r = site.run(&["init", "."]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not empty"), "{}", r.stderr);
    assert_eq!(snapshot(site.path()), before);
}

#[test]
fn new_page_is_placed_after_its_siblings_and_never_overwrites() {
    let site = Site::fixture("basic");
    let r = site.run(&["new", "content/01-first-steps/connection-pooling.md"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let path = site
        .path()
        .join("content/01-first-steps/03-connection-pooling.md");
    let page = std::fs::read_to_string(&path).unwrap();
    assert!(
        page.starts_with("---\ntitle: \"Connection pooling\"\n"),
        "{page}"
    );
    assert!(page.contains("status: draft\n"));
    let today = openbook::scaffold::today();
    assert!(page.contains(&format!("updated: {today}\n")));
    // It builds, and sorts last in its chapter.
    site.build_ok(&[]);
    let doc = site.html("first-steps/index.html");
    let kids: Vec<String> = all(&doc, ".child-card .child-title")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(kids.last().map(String::as_str), Some("Connection pooling"));
    // A second time refuses, and leaves the file alone.
    std::fs::write(&path, "mine").unwrap();
    let r = site.run(&["new", "content/01-first-steps/03-connection-pooling.md"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("already exists"), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
    // Outside content/ is refused.
    let r = site.run(&["new", "notes.md"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("not inside the content/ folder"),
        "{}",
        r.stderr
    );
}
