//! `openbook build` on the `basic` fixture: structure, navigation, links,
//! drafts, assets, sitemap, escaping and safety.

use crate::util::*;

#[test]
fn prefixes_are_stripped_and_siblings_ordered() {
    let site = Site::fixture("basic");
    let run = site.build_ok(&[]);
    assert!(run.stdout.starts_with("Built "), "{}", run.stdout);
    for page in [
        "index.html",
        "first-steps/index.html",
        "first-steps/hello/index.html",
        "first-steps/second/index.html",
        "going-further/index.html",
        "going-further/deep/index.html",
        "going-further/zz-unordered/index.html",
    ] {
        assert!(site.out(page).is_file(), "missing {page}");
    }
    assert!(!site.out("01-first-steps").exists());
    let contents = site.html("contents/index.html");
    let entries: Vec<String> = all(&contents, ".contents-entry > a")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(
        entries,
        vec![
            "1 First steps",
            "1.1 Hello <script>alert(1)</script> world",
            "1.2 The second page",
            "2 Going further",
            "2.1 Deep page",
            "2.2 Appendix-like page",
        ]
    );
}

#[test]
fn prev_next_follow_the_book_across_chapters() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let second = site.html("first-steps/second/index.html");
    assert_eq!(
        attr(one(&second, "a[rel=next]"), "href"),
        "../../going-further/"
    );
    assert_eq!(attr(one(&second, "a[rel=prev]"), "href"), "../hello/");
    let chapter = site.html("going-further/index.html");
    assert_eq!(
        attr(one(&chapter, "a[rel=prev]"), "href"),
        "../first-steps/second/"
    );
    let home = site.html("index.html");
    assert!(all(&home, "a[rel=prev]").is_empty());
    assert_eq!(
        attr(one(&home, "a[href][data-continue]"), "href"),
        "first-steps/"
    );
    let last = site.html("going-further/zz-unordered/index.html");
    assert!(all(&last, "a[rel=next]").is_empty());
}

#[test]
fn sidebar_marks_the_current_page_and_breadcrumbs_lead_home() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("first-steps/hello/index.html");
    let current = all(&doc, ".toc-tree a[aria-current=page]");
    assert_eq!(current.len(), 1);
    assert_eq!(text(current[0]), "1.1 Hello");
    let crumbs: Vec<String> = all(&doc, ".breadcrumbs a").into_iter().map(text).collect();
    assert_eq!(crumbs, vec!["Home", "1. First steps"]);
    let outline: Vec<String> = all(&doc, ".outline a")
        .into_iter()
        .map(|a| attr(a, "href").to_string())
        .collect();
    assert_eq!(outline, vec!["#alpha-section", "#alpha-section-1"]);
}

#[test]
fn links_and_anchors_are_rewritten_under_a_sub_path() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("first-steps/hello/index.html");
    let hrefs: Vec<&str> = all(&doc, ".prose a:not(.heading-anchor)")
        .into_iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(
        hrefs,
        vec![
            "../../going-further/deep/#beta-section",
            "../second/",
            "/book/contents/"
        ]
    );
    assert_eq!(attr(one(&doc, ".prose img"), "src"), "../img/diagram.svg");
    let choices: Vec<&str> = all(&doc, ".choice-card")
        .into_iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(
        choices,
        vec!["../second/", "../../going-further/deep/#alpha-section"]
    );
    let second = site.html("first-steps/second/index.html");
    assert_eq!(
        attr(one(&second, ".prose a"), "href"),
        "../hello/#alpha-section-1"
    );
    // Assets and the theme load relative to the page.
    assert_eq!(
        attr(one(&doc, "link[rel=stylesheet]"), "href")
            .split('?')
            .next(),
        Some("../../assets/style.css")
    );
    assert_eq!(
        attr(one(&doc, "link[rel=canonical]"), "href"),
        "https://example.org/book/first-steps/hello/"
    );
}

#[test]
fn base_url_flag_changes_root_links() {
    let site = Site::fixture("basic");
    site.build_ok(&["--base-url", "https://docs.example.com/pg/"]);
    let doc = site.html("first-steps/hello/index.html");
    let root_link = all(&doc, ".prose a")
        .into_iter()
        .map(|a| attr(a, "href"))
        .find(|h| h.ends_with("contents/"))
        .unwrap();
    assert_eq!(root_link, "/pg/contents/");
}

#[test]
fn offline_links_name_index_files() {
    let site = Site::fixture("basic");
    site.build_ok(&["--offline"]);
    let doc = site.html("first-steps/second/index.html");
    assert_eq!(
        attr(one(&doc, "a[rel=next]"), "href"),
        "../../going-further/index.html"
    );
    assert_eq!(attr(one(&doc, ".brand"), "href"), "../../index.html");
    assert_eq!(attr(one(&doc, "html"), "data-index"), "index.html");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    assert!(!site.out("going-further/draft").exists());
    let toc = site.read_out("toc.js");
    assert!(!toc.contains("Draft page"));
    site.build_ok(&["--drafts"]);
    assert!(site.out("going-further/draft/index.html").is_file());
}

#[test]
fn link_to_a_draft_is_an_error_unless_drafts() {
    let site = Site::fixture("basic");
    site.write(
        "content/02-going-further/03-links-draft.md",
        "---\ntitle: L\n---\n\nSee [the draft](02-draft.md).\n",
    );
    let r = site.build_err(&[]);
    r.assert_diag("content/02-going-further/03-links-draft.md", 5, "draft");
    site.build_ok(&["--drafts"]);
}

#[test]
fn assets_are_copied_at_stripped_paths() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let svg = site.read_out("first-steps/img/diagram.svg");
    assert!(svg.starts_with("<svg"));
    for f in [
        "assets/style.css",
        "assets/app.js",
        "assets/highlight.css",
        "toc.js",
        "404.html",
        "robots.txt",
    ] {
        assert!(site.out(f).is_file(), "missing {f}");
    }
}

#[test]
fn sitemap_lists_every_page_with_lastmod() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let xml = site.read_out("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap is XML");
    let urls: Vec<(String, Option<String>)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(|u| {
            let child = |name: &str| {
                u.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .map(str::to_string)
            };
            (child("loc").unwrap(), child("lastmod"))
        })
        .collect();
    assert_eq!(urls.len(), 7);
    assert!(urls.contains(&(
        "https://example.org/book/first-steps/hello/".to_string(),
        Some("2026-11-20".to_string())
    )));
    assert!(urls
        .iter()
        .all(|(u, _)| u.starts_with("https://example.org/book/")));
    let robots = site.read_out("robots.txt");
    assert!(robots
        .lines()
        .any(|l| l == "Sitemap: https://example.org/book/sitemap.xml"));
}

#[test]
fn html_in_titles_is_escaped_everywhere() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    for page in [
        "first-steps/hello/index.html",
        "first-steps/index.html",
        "contents/index.html",
        "first-steps/second/index.html",
    ] {
        let doc = site.html(page);
        for s in all(&doc, "script") {
            assert!(
                !s.inner_html().contains("alert(1)"),
                "{page}: a title became a script element"
            );
        }
    }
    let doc = site.html("first-steps/hello/index.html");
    assert_eq!(
        text(one(&doc, "h1")),
        "Hello <script>alert(1)</script> world"
    );
    assert!(text(one(&doc, "title")).contains("Fixture <Book>"));
    let toc = site.read_out("toc.js");
    assert!(
        !toc.contains("</script>"),
        "toc.js must not close a script tag"
    );
}

#[test]
fn page_shows_choices_resources_quiz_and_metadata() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("first-steps/hello/index.html");
    assert_eq!(text(one(&doc, ".choices-prompt")), "What next?");
    let labels: Vec<String> = all(&doc, ".choice-label").into_iter().map(text).collect();
    assert_eq!(labels, vec!["Read the second page", "Jump to alpha"]);
    let cards = all(&doc, ".resource-card");
    assert_eq!(cards.len(), 2);
    assert_eq!(text(one(&doc, ".resource-card .kind-docs")), "docs");
    assert_eq!(
        text(one(&doc, ".resource-card .level-beginner")),
        "beginner"
    );
    assert_eq!(
        attr(one(&doc, ".edit-link"), "href"),
        "https://example.org/repo/edit/main/content/01-first-steps/01-hello.md"
    );
    assert_eq!(
        attr(one(&doc, ".page-footer time"), "datetime"),
        "2026-11-20"
    );
    assert_eq!(text(one(&doc, ".page-footer time")), "20 November 2026");
    // The quiz reads without JavaScript: question, choices, answer in <details>.
    assert_eq!(text(one(&doc, ".quiz .quiz-question")), "Which is right?");
    assert_eq!(all(&doc, ".quiz input[type=radio]").len(), 2);
    assert_eq!(
        text(one(&doc, ".quiz details.quiz-answer p")),
        "Answer: This one"
    );
    assert_eq!(attr(one(&doc, ".quiz"), "data-answers"), "0");
    // Admonition and highlighted code with a title.
    assert_eq!(
        text(one(&doc, ".admonition-note .admonition-title")),
        "Note"
    );
    assert_eq!(text(one(&doc, ".code-block .code-title")), "query.sql");
    assert!(!all(&doc, ".code-block pre.code span[class^=hl-]").is_empty());
    assert!(
        all(&doc, "pre.code [style]").is_empty(),
        "highlighting must use classes"
    );
    // Tags link to tag pages.
    let tags: Vec<&str> = all(&doc, ".tags a")
        .into_iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(tags, vec!["../../tags/basics/", "../../tags/sql/"]);
}

#[test]
fn chapter_pages_list_their_pages() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let doc = site.html("first-steps/index.html");
    let kids: Vec<String> = all(&doc, ".child-card a").into_iter().map(text).collect();
    assert_eq!(
        kids,
        vec![
            "1.1 Hello <script>alert(1)</script> world",
            "1.2 The second page"
        ]
    );
    assert_eq!(text(one(&doc, ".child-card p")), "Says hello & more.");
    // A folder without _index.md is a chapter titled from its name.
    let doc = site.html("going-further/index.html");
    assert_eq!(text(one(&doc, "h1")), "Going further");
}

#[test]
fn a_failed_build_keeps_the_last_good_site() {
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = snapshot(&site.path().join("public"));
    site.write(
        "content/01-first-steps/03-broken.md",
        "---\ntitle: [unclosed\n---\n",
    );
    let r = site.build_err(&[]);
    r.assert_diag("content/01-first-steps/03-broken.md", 2, "");
    assert!(r.stderr.contains("nothing was written"), "{}", r.stderr);
    assert_eq!(snapshot(&site.path().join("public")), before);
    // No staging folder is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("openbook"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn refused_destinations_delete_nothing() {
    let site = Site::fixture("basic");
    let content_before = snapshot(&site.path().join("content"));
    for dest in [".", "content", "content/sub", "themes/x", ".."] {
        let r = site.run(&["build", "--out", dest]);
        assert_eq!(r.code, 1, "--out {dest} must be refused");
        assert!(r.stderr.contains("refusing"), "{}", r.stderr);
        r.assert_no_panic();
    }
    // A folder of someone else's files is not replaced.
    site.write("mine/notes.txt", "precious");
    let r = site.run(&["build", "--out", "mine"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("did not write"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(site.path().join("mine/notes.txt")).unwrap(),
        "precious"
    );
    assert_eq!(snapshot(&site.path().join("content")), content_before);
    // Building again into openbook's own output is fine.
    site.build_ok(&[]);
    site.build_ok(&[]);
}

#[test]
fn out_flag_and_dir_argument_are_relative_to_the_current_directory() {
    let site = Site::fixture("basic");
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    let r = std::process::Command::new(env!("CARGO_BIN_EXE_openbook"))
        .arg("build")
        .arg(site.path())
        .arg("--out")
        .arg(&dest)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(dest.join("first-steps/hello/index.html").is_file());
}

#[test]
fn every_subcommand_has_help() {
    let site = Site::empty();
    for args in [vec!["--help"], vec!["build", "--help"]] {
        let r = site.run(&args);
        assert_eq!(r.code, 0);
        assert!(r.stdout.contains("Usage"), "{}", r.stdout);
    }
}

#[test]
fn quiet_prints_nothing_on_success() {
    let site = Site::fixture("basic");
    let r = site.run(&["--quiet", "build"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stdout, "");
}
