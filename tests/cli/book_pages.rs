//! The book-wide pages: resources, status, tags, feed, print, contents.

use crate::util::*;

#[test]
fn resources_index_dedupes_counts_and_links_back() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("resources/index.html");
    let cards = all(&doc, ".resource-card");
    assert_eq!(cards.len(), 3, "three distinct URLs");
    let pg = one(&doc, "#kind-docs .resource-card");
    let cited: Vec<&str> = pg
        .select(&sel(".resource-cited a"))
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(
        cited,
        vec!["../first-steps/hello/", "../first-steps/second/"]
    );
    // The data the filter script reads.
    assert_eq!(attr(pg, "data-tags"), "reference sql");
    assert_eq!(attr(pg, "data-level"), "beginner");
    let kinds: Vec<String> = all(&doc, ".filter-kinds .chip")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        kinds,
        vec!["All 3", "Documentation 1", "Videos and talks 1", "Tools 1"]
    );
    // Grouped resources on the page itself.
    let second = site.html("first-steps/second/index.html");
    assert_eq!(text(one(&second, ".resource-group")), "Reference");
    assert_eq!(all(&second, ".resource-card").len(), 2);
}

#[test]
fn status_page_groups_by_chapter_with_totals() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("status/index.html");
    let totals: Vec<String> = all(&doc, ".status-totals li")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        totals,
        vec!["complete 1", "in progress 1", "draft 0", "unset 4"]
    );
    let groups: Vec<String> = all(&doc, ".status-group h2")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        groups,
        vec!["1. First steps", "2. Going further", "Other pages"]
    );
    let first = all(&doc, ".status-group")[0];
    let rows: Vec<String> = first
        .select(&sel("tbody tr"))
        .map(|tr| {
            tr.select(&sel("td"))
                .map(text)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            "1 First steps unset —",
            "1.1 Hello <script>alert(1)</script> world complete 2026-11-20",
            "1.2 The second page in progress 2026-11-22",
        ]
    );
}

#[test]
fn tag_pages_list_pages_and_merge_case() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("tags/index.html");
    let tags: Vec<String> = all(&doc, ".tag-cloud a").into_iter().map(text).collect();
    assert_eq!(tags, vec!["#basics 1", "#sql 2"]);
    let sql = site.html("tags/sql/index.html");
    let pages: Vec<String> = all(&sql, ".child-card a").into_iter().map(text).collect();
    assert_eq!(
        pages,
        vec![
            "1.1 Hello <script>alert(1)</script> world",
            "1.2 The second page"
        ]
    );
    assert_eq!(text(one(&sql, ".child-card p")), "Says hello & more.");
    assert_eq!(
        attr(one(&sql, ".child-card a"), "href"),
        "../../first-steps/hello/"
    );
}

#[test]
fn atom_feed_is_valid_and_absolute() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let xml = site.read_out("atom.xml");
    let doc = roxmltree::Document::parse(&xml).expect("atom.xml is XML");
    let feed = doc.root_element();
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    assert_eq!(feed.tag_name().name(), "feed");
    let child = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.children()
            .find(|c| c.has_tag_name(name))
            .and_then(|c| c.text())
            .map(str::to_string)
    };
    // RFC 4287 4.1.1: a feed has id, title, updated, and an author.
    assert_eq!(
        child(feed, "id").as_deref(),
        Some("https://example.org/book/")
    );
    assert_eq!(child(feed, "title").as_deref(), Some("Fixture <Book>"));
    assert_eq!(
        child(feed, "updated").as_deref(),
        Some("2026-11-22T00:00:00Z")
    );
    assert!(feed.children().any(|c| c.has_tag_name("author")));
    let entries: Vec<_> = feed
        .children()
        .filter(|c| c.has_tag_name("entry"))
        .collect();
    assert_eq!(
        entries.len(),
        2,
        "only pages with `updated` are in the feed"
    );
    let first = entries[0];
    assert_eq!(
        child(first, "title").as_deref(),
        Some("The second page"),
        "newest first"
    );
    assert_eq!(
        child(first, "id").as_deref(),
        Some("https://example.org/book/first-steps/second/")
    );
    assert_eq!(
        child(first, "updated").as_deref(),
        Some("2026-11-22T00:00:00Z")
    );
    let link = first.children().find(|c| c.has_tag_name("link")).unwrap();
    assert_eq!(
        link.attribute("href"),
        Some("https://example.org/book/first-steps/second/")
    );
    assert_eq!(
        child(entries[1], "title").as_deref(),
        Some("Hello <script>alert(1)</script> world")
    );
}

#[test]
fn print_page_has_the_whole_book_with_in_page_links() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("print/index.html");
    let titles: Vec<String> = all(&doc, ".print-page .print-title")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(titles.len(), 7);
    assert_eq!(titles[1], "First steps");
    assert_eq!(
        all(&doc, ".print-page.print-chapter").len(),
        2,
        "chapters start on a new page"
    );
    // Every id is unique across the whole book.
    let ids: Vec<&str> = all(&doc, "[id]")
        .into_iter()
        .map(|e| attr(e, "id"))
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids.len(), sorted.len(), "duplicate ids in print/");
    // Every in-page link points at an id that exists.
    for a in all(&doc, ".print-page a[href^='#']") {
        let target = &attr(a, "href")[1..];
        assert!(ids.contains(&target), "dangling in-page link #{target}");
    }
    // Links between pages became in-page anchors; images load from print/.
    let hello = all(&doc, ".print-page")
        .into_iter()
        .find(|s| text(*s).contains("Alpha section"))
        .unwrap();
    let hrefs: Vec<&str> = hello
        .select(&sel(".prose a:not(.heading-anchor)"))
        .map(|a| attr(a, "href"))
        .collect();
    assert!(
        hrefs
            .iter()
            .all(|h| h.starts_with('#') || h.starts_with('/')),
        "{hrefs:?}"
    );
    let img = hello.select(&sel("img")).next().unwrap();
    assert_eq!(attr(img, "src"), "../first-steps/img/diagram.svg");
    // Radio groups of different quizzes stay separate.
    let names: Vec<&str> = all(&doc, ".quiz input")
        .into_iter()
        .map(|i| attr(i, "name"))
        .collect();
    assert!(names.iter().all(|n| n.starts_with('p')), "{names:?}");
}
