//! `openbook check`: the findings, their order and format, exit codes, and
//! that nothing is ever written. The fixture `tests/sites/check/` has one
//! of each finding; tests remove or add files to vary it.

use crate::util::*;

const INTRO: &str = "content/01-guide/01-intro.md";

fn check(site: &Site, extra: &[&str]) -> Run {
    let mut args = vec!["check"];
    args.extend_from_slice(extra);
    let r = site.run(&args);
    r.assert_no_panic();
    r
}

#[test]
fn every_finding_names_file_and_line() {
    let site = Site::fixture("check");
    let r = check(&site, &[]);
    assert_eq!(
        r.code, 1,
        "an invalid resource URL is an error:\n{}",
        r.stderr
    );
    r.assert_diag(INTRO, 2, "warning: this page has no `description`");
    r.assert_diag(INTRO, 8, "error: the resource `Not a URL` has the URL");
    r.assert_diag(
        "content/01-guide/01-intro.resources.yaml",
        5,
        "is listed twice on this page",
    );
    r.assert_diag(
        "content/01-guide/02-intro-again.md",
        2,
        "the same title as content/01-guide/01-intro.md in the same chapter",
    );
    r.assert_diag(
        "content/01-guide/02-intro-again.md",
        4,
        "`guide/Intro/index.html` and `guide/intro/index.html` differ only in letter case",
    );
    r.assert_diag(
        "content/index.md",
        8,
        "the root-relative link `/nowhere/` is not answered",
    );
    r.assert_diag(
        INTRO,
        14,
        "the reference `img/pic.svg` in this page's HTML leads to `/book/guide/intro/img/pic.svg`",
    );
    // The working root link and the raw image that is right are not
    // reported.
    assert!(!r.stderr.contains("`/contents/`` is not"), "{}", r.stderr);
    assert!(!r.stderr.contains("../guide/img/pic.svg"), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("Checked 4 pages and 1 asset: 1 error, 6 warnings"),
        "{}",
        r.stdout
    );
}

#[test]
fn findings_are_sorted_by_file_then_line() {
    let site = Site::fixture("check");
    let r = check(&site, &[]);
    let keys: Vec<(String, usize)> = r
        .stderr
        .lines()
        .map(|l| {
            let mut parts = l.splitn(3, ':');
            let file = parts.next().unwrap_or("").to_string();
            let line = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            (file, line)
        })
        .collect();
    assert!(keys.len() >= 7, "{}", r.stderr);
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "{}", r.stderr);
}

#[test]
fn check_writes_nothing() {
    let site = Site::fixture("check");
    let before = snapshot(site.path());
    check(&site, &[]);
    assert_eq!(snapshot(site.path()), before);
    assert!(!site.path().join("public").exists());

    // Nor does it touch an existing build.
    let site = Site::fixture("basic");
    site.build_ok(&[]);
    let before = snapshot(site.path());
    let r = check(&site, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(snapshot(site.path()), before);
}

#[test]
fn warnings_alone_exit_zero_unless_denied() {
    let site = Site::fixture("check");
    site.write(
        INTRO,
        "---\ntitle: \"Intro\"\n---\n\nNo description, which is only a warning.\n",
    );
    let r = check(&site, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("0 errors"), "{}", r.stdout);
    assert!(r.stderr.contains("warning:"), "{}", r.stderr);
    let r = check(&site, &["--deny-warnings"]);
    assert_eq!(r.code, 1);
    // --quiet keeps errors only.
    let r = check(&site, &["--quiet"]);
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr, "");
}

#[test]
fn json_for_editors_and_ci() {
    let site = Site::fixture("check");
    let r = check(&site, &["--format", "json"]);
    assert_eq!(r.code, 1);
    assert_eq!(r.stderr, "", "json goes to stdout only");
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("valid JSON");
    let findings = v["findings"].as_array().expect("findings");
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["summary"]["warnings"], 6);
    assert_eq!(findings.len(), 7);
    let bad_url = findings
        .iter()
        .find(|f| f["severity"] == "error")
        .expect("the error");
    assert_eq!(bad_url["file"], INTRO);
    assert_eq!(bad_url["line"], 8);
    assert_eq!(bad_url["column"], 1);
    assert!(bad_url["message"]
        .as_str()
        .unwrap()
        .contains("www.postgresql.org"));
}

#[test]
fn check_reports_what_build_reports_and_more_in_one_run() {
    let site = Site::fixture("basic");
    site.write(
        "content/01-first-steps/03-broken.md",
        "---\ntitle: \"Broken\"\nnext:\n  - page: 09-gone.md\n    label: Gone\n---\n\nA [missing page](nope.md) and [an anchor](01-hello.md#no-such).\n",
    );
    let build = site.build_err(&[]);
    let r = check(&site, &[]);
    assert_eq!(r.code, 1);
    for (line, needle) in [(4, "does not exist"), (8, "missing page"), (8, "#no-such")] {
        build.assert_diag("content/01-first-steps/03-broken.md", line, needle);
        r.assert_diag("content/01-first-steps/03-broken.md", line, needle);
    }
    // ... and check's own findings, despite the errors.
    r.assert_diag("content/01-first-steps/03-broken.md", 2, "no `description`");
    assert!(!site.path().join("public").exists());
}

#[test]
fn template_errors_are_found_without_writing() {
    let site = Site::fixture("basic");
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ page.no_such_thing }}</p>\n{% endblock main %}\n",
    );
    let r = check(&site, &[]);
    assert_eq!(r.code, 1);
    r.assert_diag("themes/default/templates/page.html", 3, "no_such_thing");
    assert!(!site.path().join("public").exists());
}

#[test]
fn a_page_left_out_of_the_table_of_contents_is_named() {
    let site = Site::fixture("basic");
    // A second landing page for the root folder is an error, and the page
    // it drops is unreachable.
    site.write(
        "content/_index.md",
        "---\ntitle: \"Another home\"\ndescription: \"d\"\n---\n",
    );
    let r = check(&site, &[]);
    // Pages are read in file-name order: `_index.md` comes first and
    // `index.md` is the one left out.
    assert!(
        r.stderr.contains(
            "content/index.md: error: two landing pages for one folder (this and content/_index.md)"
        ),
        "{}",
        r.stderr
    );
    r.assert_diag(
        "content/index.md",
        2,
        "not reachable from the table of contents",
    );
}

#[test]
fn book_wide_paths_are_reserved_in_any_case() {
    let site = Site::fixture("basic");
    site.write(
        "content/01-first-steps/_index.md",
        "---\ntitle: \"First steps\"\nslug: Search\n---\n",
    );
    let r = site.build_err(&[]);
    r.assert_diag(
        "content/01-first-steps/_index.md",
        3,
        "collides with the book-wide page `/Search/`",
    );
    check(&site, &[]).assert_diag(
        "content/01-first-steps/_index.md",
        3,
        "collides with the book-wide page",
    );
}

#[test]
fn unknown_kind_and_level_are_errors_with_lines() {
    let site = Site::fixture("check");
    site.write(
        "content/01-guide/01-intro.resources.yaml",
        "- title: \"A tool\"\n  url: \"https://example.org/tool\"\n  kind: tool\n  level: expert\n",
    );
    let r = check(&site, &[]);
    r.assert_diag("content/01-guide/01-intro.resources.yaml", 4, "expert");
    site.write(
        "content/01-guide/01-intro.resources.yaml",
        "- title: \"A tool\"\n  url: \"https://example.org/tool\"\n  kind: gadget\n",
    );
    check(&site, &[]).assert_diag("content/01-guide/01-intro.resources.yaml", 3, "gadget");
}

#[test]
fn links_inside_quizzes_are_checked() {
    // Quiz text is rendered apart from the page's links, so a `.md` link
    // there is published as written; check says so.
    let site = Site::fixture("basic");
    site.write(
        "content/01-first-steps/03-quiz.md",
        "---\ntitle: \"Quiz\"\ndescription: \"d\"\n---\n\n```quiz\nquestion: \"See [hello](01-hello.md)?\"\nchoices:\n  - \"yes\"\n  - \"no\"\nanswer: \"yes\"\n```\n",
    );
    let r = check(&site, &[]);
    r.assert_diag(
        "content/01-first-steps/03-quiz.md",
        7,
        "the reference `01-hello.md` in this page's HTML",
    );
}

#[test]
fn sql_flag_reports_missing_recorded_results() {
    let site = Site::fixture("basic");
    site.write(
        "content/01-first-steps/03-sql.md",
        "---\ntitle: \"SQL\"\ndescription: \"d\"\n---\n\n```sql run\nSELECT 1;\n```\n",
    );
    let r = check(&site, &[]);
    assert!(!r.stderr.contains("has no results"), "{}", r.stderr);
    let r = check(&site, &["--sql"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .lines()
            .any(|l| l.starts_with("content/01-first-steps/03-sql.md")
                && l.contains("error:")
                && l.contains("has no results for this page")),
        "{}",
        r.stderr
    );
}
