//! Bad input: every error names the file and line, says what was
//! expected, never panics, and leaves the last good output alone.

use crate::util::*;

/// A minimal valid page with `extra` front matter and `body`.
fn page(extra: &str, body: &str) -> String {
    format!("---\ntitle: \"A page\"\n{extra}---\n\n{body}\n")
}

fn broken(rel: &str, text: &str) -> (Site, Run) {
    let site = Site::fixture("basic");
    site.write(rel, text);
    let r = site.build_err(&[]);
    (site, r)
}

#[test]
fn unknown_front_matter_key_suggests_the_closest() {
    let (_, r) = broken(
        "content/01-first-steps/03-x.md",
        &page("descripton: \"typo\"\n", "Hi"),
    );
    r.assert_diag(
        "content/01-first-steps/03-x.md",
        3,
        "unknown key `descripton`; did you mean `description`?",
    );
}

#[test]
fn wrong_type_names_the_line_in_the_md_file() {
    let (_, r) = broken(
        "content/01-first-steps/03-x.md",
        &page("weight: heavy\n", "Hi"),
    );
    r.assert_diag("content/01-first-steps/03-x.md", 3, "weight");
}

#[test]
fn malformed_yaml() {
    let (_, r) = broken(
        "content/01-first-steps/03-x.md",
        "---\ntitle: \"A\"\ntags: [a, b\n---\nbody\n",
    );
    r.assert_diag("content/01-first-steps/03-x.md", 4, "");
}

#[test]
fn missing_title_and_empty_file() {
    let (_, r) = broken("content/01-first-steps/03-x.md", "---\nnav_title: X\n---\n");
    r.assert_diag(
        "content/01-first-steps/03-x.md",
        2,
        "missing required key `title`",
    );
    let (_, r) = broken("content/01-first-steps/03-x.md", "");
    r.assert_diag("content/01-first-steps/03-x.md", 1, "empty");
    let (_, r) = broken("content/01-first-steps/03-x.md", "# Just a heading\n");
    r.assert_diag("content/01-first-steps/03-x.md", 1, "expected front matter");
}

#[test]
fn bad_date_and_slug_and_status() {
    let (_, r) = broken(
        "content/01-first-steps/03-x.md",
        &page("updated: 2026-02-30\n", ""),
    );
    r.assert_diag("content/01-first-steps/03-x.md", 3, "expected YYYY-MM-DD");
    let (_, r) = broken(
        "content/01-first-steps/03-x.md",
        &page("slug: \"../../etc\"\n", ""),
    );
    r.assert_diag("content/01-first-steps/03-x.md", 3, "slug");
    let (_, r) = broken(
        "content/01-first-steps/03-x.md",
        &page("status: done\n", ""),
    );
    r.assert_diag("content/01-first-steps/03-x.md", 3, "done");
}

#[test]
fn bad_resource_entry() {
    let (_, r) = broken(
        "content/01-first-steps/03-x.md",
        &page(
            "resources:\n  - title: R\n    url: https://example.org/\n    kind: blog\n",
            "",
        ),
    );
    r.assert_diag("content/01-first-steps/03-x.md", 6, "blog");
}

#[test]
fn broken_link_and_missing_anchor() {
    let (_, r) = broken(
        "content/01-first-steps/03-x.md",
        &page("", "First line.\n\nSee [nothing](nope.md)."),
    );
    r.assert_diag("content/01-first-steps/03-x.md", 7, "missing page");
    let (_, r) = broken(
        "content/01-first-steps/03-x.md",
        &page("", "See [hello](01-hello.md#gamma-section)."),
    );
    r.assert_diag("content/01-first-steps/03-x.md", 5, "#gamma-section");
    let (_, r) = broken(
        "content/01-first-steps/03-x.md",
        &page("", "![pic](img/missing.png)"),
    );
    r.assert_diag("content/01-first-steps/03-x.md", 5, "missing file");
}

#[test]
fn missing_next_target() {
    let (_, r) = broken(
        "content/01-first-steps/03-x.md",
        &page("next:\n  - page: 09-gone.md\n    label: Gone\n", ""),
    );
    r.assert_diag("content/01-first-steps/03-x.md", 4, "does not exist");
}

#[test]
fn quiz_answer_not_among_choices() {
    let quiz = "Text.\n\n```quiz\nquestion: \"Q?\"\nchoices:\n  - \"yes\"\n  - \"no\"\nanswer: \"maybe\"\n```\n";
    let (_, r) = broken("content/01-first-steps/03-x.md", &page("", quiz));
    // The fence is on line 7, `answer:` on line 12.
    r.assert_diag(
        "content/01-first-steps/03-x.md",
        12,
        "not one of the choices",
    );
}

#[test]
fn site_yaml_problems() {
    let site = Site::fixture("basic");
    site.write("site.yaml", "title: T\nbase_ulr: https://x.org/\n");
    let r = site.build_err(&[]);
    r.assert_diag("site.yaml", 2, "did you mean `base_url`?");
    site.write("site.yaml", "");
    site.build_err(&[]).assert_diag("site.yaml", 1, "empty");
    site.remove("site.yaml");
    let r = site.build_err(&[]);
    assert!(r.stderr.contains("no site.yaml"), "{}", r.stderr);
}

#[test]
fn two_pages_for_one_url() {
    let site = Site::fixture("basic");
    site.write("content/01-first-steps/05-second.md", &page("", "dup"));
    let r = site.build_err(&[]);
    assert!(
        r.stderr
            .contains("both map to the URL `/first-steps/second/`"),
        "{}",
        r.stderr
    );
}

#[test]
fn page_urls_may_not_take_book_wide_paths() {
    let site = Site::fixture("basic");
    site.write("content/search.md", &page("", ""));
    let r = site.build_err(&[]);
    r.assert_diag(
        "content/search.md",
        1,
        "collides with the book-wide page `/search/`",
    );
}

#[test]
fn template_error_names_the_template_line_and_variable() {
    let site = Site::fixture("basic");
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ page.no_such_thing }}</p>\n{% endblock main %}\n",
    );
    let r = site.build_err(&[]);
    r.assert_diag("themes/default/templates/page.html", 3, "no_such_thing");
}

#[test]
fn theme_override_replaces_one_template() {
    let site = Site::fixture("basic");
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}<p class=\"custom\">{{ page.title }}</p>{% endblock main %}\n",
    );
    site.build_ok(&[]);
    let doc = site.html("first-steps/second/index.html");
    assert_eq!(text(one(&doc, "p.custom")), "The second page");
    // Other templates still come from the built-in theme.
    let doc = site.html("first-steps/index.html");
    assert!(!all(&doc, ".child-card").is_empty());
}

#[test]
fn bom_and_windows_line_endings_just_work() {
    let site = Site::fixture("basic");
    site.write(
        "content/01-first-steps/03-windows.md",
        "\u{feff}---\r\ntitle: \"Windows\"\r\n---\r\n\r\n## Crlf heading\r\n\r\nText.\r\n",
    );
    site.build_ok(&[]);
    let doc = site.html("first-steps/windows/index.html");
    assert_eq!(text(one(&doc, "h1")), "Windows");
    assert_eq!(attr(one(&doc, ".prose h2"), "id"), "crlf-heading");
}

#[test]
fn non_utf8_and_binary_files_are_reported() {
    let site = Site::fixture("basic");
    std::fs::write(
        site.path().join("content/01-first-steps/03-latin1.md"),
        b"---\ntitle: caf\xe9\n---\n",
    )
    .unwrap();
    let r = site.build_err(&[]);
    r.assert_diag("content/01-first-steps/03-latin1.md", 2, "not valid UTF-8");
    std::fs::write(
        site.path().join("content/01-first-steps/03-latin1.md"),
        b"---\ntitle: x\n---\n\x00\x01\x02",
    )
    .unwrap();
    let r = site.build_err(&[]);
    r.assert_diag("content/01-first-steps/03-latin1.md", 4, "binary");
}

#[test]
fn diagnostics_go_to_stderr_and_exit_is_nonzero() {
    let (_, r) = broken("content/01-first-steps/03-x.md", &page("weight: [1]\n", ""));
    assert_eq!(r.code, 1);
    assert!(
        !r.stdout.contains("error"),
        "diagnostics belong on stderr: {}",
        r.stdout
    );
    assert!(r.stderr.contains("Build failed: 1 error"), "{}", r.stderr);
}
