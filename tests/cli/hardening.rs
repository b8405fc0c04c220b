//! Hardening: every class of bad input from issue 6 gets a clear error
//! from both `build` and `check` (file, line where there is one, what was
//! expected), never a panic or a hang, and the last good build in `public/`
//! stays byte for byte as it was. `errors.rs` has the message wording of
//! the older classes; these tests add `check`, the untouched output and
//! the classes that were missing.

use std::path::Path;
use std::process::Command;

use crate::util::*;

/// A site with a good build in `public/`, ready to be broken.
struct Good {
    site: Site,
    before: Vec<(std::path::PathBuf, Vec<u8>)>,
}

impl Good {
    fn new() -> Good {
        let site = Site::fixture("basic");
        site.build_ok(&[]);
        let before = snapshot(&site.path().join("public"));
        assert!(!before.is_empty());
        Good { site, before }
    }

    fn write(&self, rel: &str, text: &str) -> &Self {
        self.site.write(rel, text);
        self
    }

    fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.site.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    /// `build` and `check` both fail with a finding at `file:line` (just
    /// `file` when `line` is 0) containing `needle`, and `public/` is as
    /// the last good build left it.
    fn fails(&self, file: &str, line: usize, needle: &str) {
        let b = self.site.build_err(&[]);
        let c = self.site.run(&["check"]);
        c.assert_no_panic();
        assert_eq!(c.code, 1, "check should fail:\n{}", c.stderr);
        for r in [&b, &c] {
            if line == 0 {
                let prefix = format!("{file}: error: ");
                assert!(
                    r.stderr
                        .lines()
                        .any(|l| l.starts_with(&prefix) && l.contains(needle)),
                    "expected `{prefix}... {needle}` in:\n{}",
                    r.stderr
                );
            } else {
                r.assert_diag(file, line, needle);
            }
        }
        self.untouched();
    }

    fn untouched(&self) {
        assert!(
            snapshot(&self.site.path().join("public")) == self.before,
            "the last good build in public/ changed"
        );
    }
}

fn page(extra: &str, body: &str) -> String {
    format!("---\ntitle: \"A page\"\ndescription: \"d\"\n{extra}---\n\n{body}\n")
}

const P: &str = "content/01-first-steps/03-x.md";

#[test]
fn malformed_yaml_and_wrong_types_in_front_matter() {
    let g = Good::new();
    g.write(P, "---\ntitle: \"A\"\ntags: [a, b\n---\nbody\n");
    g.fails(P, 4, "");
    g.write(P, &page("weight: heavy\n", ""));
    g.fails(P, 4, "weight");
    g.write(P, &page("draft: maybe\n", ""));
    g.fails(P, 4, "draft");
    g.write(P, &page("next:\n  - page: [1]\n    label: x\n", ""));
    g.fails(P, 5, "");
    g.write(P, &page("resources: \"a string\"\n", ""));
    g.fails(P, 4, "resources");
    g.write(P, &page("tags: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n", ""));
    g.fails(P, 4, "tags");
}

#[test]
fn malformed_yaml_and_wrong_types_in_site_yaml() {
    let g = Good::new();
    g.write("site.yaml", "title: \"T\"\ndescription: [unclosed\n");
    g.fails("site.yaml", 2, "description");
    g.write("site.yaml", "title: \"T\"\nbase_url: [1]\n");
    g.fails("site.yaml", 2, "base_url");
    g.write("site.yaml", "title: \"T\"\nbase_url: \"ftp://x.org/\"\n");
    g.fails("site.yaml", 2, "expected an absolute URL");
    g.write("site.yaml", "title: \"T\"\nsql:\n  timeout: soon\n");
    g.fails("site.yaml", 3, "timeout");
    g.write("site.yaml", "- just\n- a list\n");
    g.fails("site.yaml", 1, "");
}

#[test]
fn unknown_keys_everywhere() {
    let g = Good::new();
    g.write(P, &page("next:\n  - page: 01-hello.md\n    lable: x\n", ""));
    g.fails(P, 6, "unknown key `lable`; did you mean `label`?");
    g.write(P, &page("", ""));
    g.write(
        "content/01-first-steps/03-x.resources.yaml",
        "- title: \"R\"\n  urll: \"https://example.org/\"\n  kind: docs\n",
    );
    g.fails(
        "content/01-first-steps/03-x.resources.yaml",
        2,
        "unknown key `urll`",
    );
    g.site.remove("content/01-first-steps/03-x.resources.yaml");
    g.write("site.yaml", "title: \"T\"\nsql:\n  setup_file: x.sql\n");
    g.fails("site.yaml", 3, "unknown key `setup_file`");
}

#[test]
fn missing_empty_or_odd_site_yaml() {
    let g = Good::new();
    g.write("site.yaml", "  \n\n");
    g.fails("site.yaml", 1, "site.yaml is empty");
    g.site.remove("site.yaml");
    for args in [&["build"][..], &["check"][..]] {
        let r = g.site.run(args);
        r.assert_no_panic();
        assert_eq!(r.code, 1);
        assert!(
            r.stderr.contains("error: no site.yaml in ."),
            "{}",
            r.stderr
        );
    }
    g.untouched();
    std::fs::create_dir(g.site.path().join("site.yaml")).unwrap();
    g.fails("site.yaml", 0, "not a regular file");
}

#[test]
fn non_utf8_files() {
    let g = Good::new();
    g.write_bytes(P, b"---\ntitle: \"caf\xe9\"\n---\n");
    g.fails(P, 2, "not valid UTF-8");
    g.site.remove(P);
    g.write_bytes("site.yaml", b"title: \"T\"\nauthor: \"Jos\xe9\"\n");
    g.fails("site.yaml", 2, "not valid UTF-8");
    g.write_bytes("site.yaml", b"title: \"T\"\n");
    g.write_bytes(
        "content/01-first-steps/02-second.resources.yaml",
        b"- title: \"\xff\"\n  url: \"https://example.org/\"\n  kind: docs\n",
    );
    g.fails(
        "content/01-first-steps/02-second.resources.yaml",
        1,
        "not valid UTF-8",
    );
}

#[test]
fn empty_files() {
    let g = Good::new();
    g.write(P, "");
    g.fails(P, 1, "the page is empty");
    g.write(P, "\n\n   \n");
    g.fails(P, 1, "the page is empty");
    g.write(P, "---\n---\n");
    g.fails(P, 2, "");
    g.site.remove(P);
    g.write("content/01-first-steps/_index.md", "");
    g.fails("content/01-first-steps/_index.md", 1, "the page is empty");
}

#[test]
fn an_empty_resources_file_just_works() {
    let site = Site::fixture("basic");
    site.write("content/01-first-steps/02-second.resources.yaml", "\n");
    site.build_ok(&[]);
}

#[test]
fn binary_data_in_a_markdown_file() {
    let g = Good::new();
    // A PNG saved with a .md name: the NUL after its two-line signature.
    g.write_bytes(P, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR");
    g.fails(P, 3, "binary data");
    g.write_bytes(P, b"---\ntitle: x\n---\n\nsome text\x00\x01\x02 more");
    g.fails(P, 5, "binary data");
}

#[test]
fn bom_crlf_and_lone_cr_just_work_everywhere() {
    let site = Site::fixture("basic");
    site.write(
        "site.yaml",
        "\u{feff}title: \"Fixture\"\r\nbase_url: \"https://example.org/book/\"\r\n",
    );
    site.write(
        "content/01-first-steps/02-second.resources.yaml",
        "\u{feff}- title: \"A tool\"\r\n  url: \"https://example.org/tool\"\r\n  kind: tool\r\n",
    );
    site.write(
        P,
        "---\rtitle: \"Old Mac\"\rdescription: \"d\"\r---\r\r## Heading\r\rText.\r",
    );
    site.build_ok(&[]);
    let doc = site.html("first-steps/x/index.html");
    assert_eq!(text(one(&doc, "h1")), "Old Mac");
    assert_eq!(attr(one(&doc, ".prose h2"), "id"), "heading");
    let doc = site.html("first-steps/second/index.html");
    assert!(text(one(&doc, "body")).contains("A tool"));
    // Line numbers count CRLF lines as one.
    site.write(P, "\u{feff}---\r\ntitle: \"A\"\r\nweight: heavy\r\n---\r\n");
    site.build_err(&[]).assert_diag(P, 3, "weight");
}

#[cfg(unix)]
mod symlinks {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn a_loop_of_folders() {
        let g = Good::new();
        symlink("..", g.site.path().join("content/01-first-steps/up")).unwrap();
        g.fails("content/01-first-steps/up", 0, "makes a loop");
    }

    #[test]
    fn a_link_to_itself() {
        let g = Good::new();
        symlink("self.md", g.site.path().join("content/self.md")).unwrap();
        g.fails("content/self.md", 0, "this symlink makes a loop");
    }

    #[test]
    fn links_outside_the_site() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.md"), "---\ntitle: S\n---\n").unwrap();
        let g = Good::new();
        symlink(
            outside.path().join("secret.md"),
            g.site.path().join("content/secret.md"),
        )
        .unwrap();
        g.fails("content/secret.md", 0, "points outside the site folder");
        std::fs::remove_file(g.site.path().join("content/secret.md")).unwrap();
        symlink(outside.path(), g.site.path().join("content/elsewhere")).unwrap();
        g.fails("content/elsewhere", 0, "points outside the site folder");
    }

    #[test]
    fn a_dangling_link() {
        let g = Good::new();
        symlink("nowhere.md", g.site.path().join("content/gone.md")).unwrap();
        g.fails("content/gone.md", 0, "");
    }

    #[test]
    fn a_link_inside_the_site_is_followed() {
        let site = Site::fixture("basic");
        std::fs::create_dir_all(site.path().join("shared")).unwrap();
        site.write("shared/common.md", &page("", "Shared text."));
        symlink(
            site.path().join("shared/common.md"),
            site.path().join("content/01-first-steps/03-common.md"),
        )
        .unwrap();
        site.build_ok(&[]);
        let doc = site.html("first-steps/common/index.html");
        assert!(text(one(&doc, ".prose")).contains("Shared text."));
    }
}

/// Build the site with the release-sized shapes that once took minutes or
/// could blow a stack. Times are measured by `scripts/stress.sh`, not here.
#[test]
fn big_pages_and_pathological_nesting_build() {
    let site = Site::fixture("basic");
    let mut big = String::new();
    let mut i = 0;
    while big.len() < 2_000_000 {
        big.push_str(&format!(
            "## Section {i}\n\nSome *emphasis*, a [link](#section-{i}) and `code`. {}\n\n",
            "Words in a sentence. ".repeat(20)
        ));
        i += 1;
    }
    site.write("content/01-first-steps/03-big.md", &page("", &big));
    let shapes = [
        ("quotes", ">".repeat(20_000) + " deep"),
        (
            "lists",
            (0..2_000)
                .map(|i| format!("{}- item\n", "  ".repeat(i)))
                .collect(),
        ),
        ("brackets", "[".repeat(20_000) + "x" + &"]".repeat(20_000)),
        ("emphasis", "*a **b ".repeat(20_000)),
        ("headings", "## Same\n\n".repeat(20_000)),
        (
            "links",
            "[home](../index.md) [anchor](#heading) ".repeat(20_000) + "\n\n## Heading",
        ),
        ("html", "<div>".repeat(20_000)),
    ];
    for (name, body) in &shapes {
        site.write(
            &format!("content/02-going-further/{name}.md"),
            &page("", body),
        );
    }
    // Folders nested 100 deep.
    let deep: String = (0..100).map(|i| format!("d{i}/")).collect();
    site.write(&format!("content/{deep}deep.md"), &page("", "bottom"));
    site.build_ok(&[]);
    let doc = site.html("first-steps/big/index.html");
    assert!(all(&doc, ".prose h2").len() >= i);
    let doc = site.html("going-further/headings/index.html");
    let ids: std::collections::HashSet<&str> = all(&doc, ".prose h2")
        .into_iter()
        .map(|h| attr(h, "id"))
        .collect();
    assert_eq!(ids.len(), 20_000);
    assert!(site.out(&format!("{deep}deep/index.html")).is_file());
    let r = site.run(&["check"]);
    r.assert_no_panic();
}

#[test]
fn named_pipes_are_errors_not_hangs() {
    let g = Good::new();
    let pipe = |rel: &str| {
        let p = g.site.path().join(rel);
        let ok = Command::new("mkfifo")
            .arg(&p)
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(p)
    };
    let Some(p) = pipe("content/01-first-steps/03-pipe.md") else {
        eprintln!("skipped: mkfifo is not available");
        return;
    };
    g.fails(
        "content/01-first-steps/03-pipe.md",
        0,
        "not a regular file (a named pipe",
    );
    std::fs::remove_file(p).unwrap();
    pipe("content/01-first-steps/img/photo.png").unwrap();
    g.fails(
        "content/01-first-steps/img/photo.png",
        0,
        "not a regular file",
    );
}

/// The effective user id, from `/proc` (no libc call needed).
fn euid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

/// Run openbook so that file permissions apply: directly when not root;
/// as the `nobody` user through `setpriv` when root (root reads any file).
/// `None`, with the reason printed, when neither is possible.
fn run_unprivileged(site: &Site, args: &[&str]) -> Option<Run> {
    let bin = env!("CARGO_BIN_EXE_openbook");
    let mut cmd = match euid() {
        Some(0) => {
            let ok = Command::new("setpriv")
                .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                eprintln!(
                    "skipped: running as root and `setpriv` cannot drop to user nobody, so \
                     file permissions cannot be tested"
                );
                return None;
            }
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
            c
        }
        Some(_) => Command::new(bin),
        None => {
            eprintln!("skipped: cannot tell the user id (/proc is missing)");
            return None;
        }
    };
    let out = cmd
        .args(args)
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run openbook");
    Some(Run::from(out))
}

#[cfg(unix)]
fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn unreadable_files() {
    let g = Good::new();
    chmod(g.site.path(), 0o755);
    let page_path = g.site.path().join("content/01-first-steps/02-second.md");
    chmod(&page_path, 0o000);
    let Some(b) = run_unprivileged(&g.site, &["build"]) else {
        return;
    };
    let c = run_unprivileged(&g.site, &["check"]).unwrap();
    for r in [&b, &c] {
        r.assert_no_panic();
        assert_eq!(r.code, 1, "{}", r.stderr);
        assert!(
            r.stderr.contains(
                "content/01-first-steps/02-second.md: error: cannot read this file: Permission denied"
            ),
            "{}",
            r.stderr
        );
    }
    chmod(&page_path, 0o644);
    // An asset that cannot be read fails `build` when copying and `check`
    // when it opens it.
    let asset = g.site.path().join("content/01-first-steps/img/diagram.svg");
    chmod(&asset, 0o000);
    let c = run_unprivileged(&g.site, &["check"]).unwrap();
    chmod(&asset, 0o644);
    c.assert_no_panic();
    assert!(
        c.stderr
            .contains("content/01-first-steps/img/diagram.svg: error: cannot copy this file"),
        "{}",
        c.stderr
    );
    g.untouched();
}

#[cfg(unix)]
#[test]
fn a_read_only_output_location() {
    let g = Good::new();
    // A change, so that there is something to write (an unchanged book
    // is left as it is, and writes nothing).
    g.write(
        "content/02-going-further/zz-unordered.md",
        "---\ntitle: Edited\n---\n\nNew.\n",
    );
    chmod(g.site.path(), 0o555);
    let r = run_unprivileged(&g.site, &["build"]);
    chmod(g.site.path(), 0o755);
    if let Some(r) = r {
        r.assert_no_panic();
        assert_eq!(r.code, 1);
        assert!(
            r.stderr
                .contains("error: cannot create a staging folder beside")
                && r.stderr.contains("Permission denied"),
            "{}",
            r.stderr
        );
    }
    g.untouched();
    // An output path under a file cannot be created, even by root.
    g.write("notes.txt", "not a folder");
    let r = g.site.run(&["build", "--out", "notes.txt/public"]);
    r.assert_no_panic();
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("error: cannot create a staging folder beside"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(g.site.path().join("notes.txt")).unwrap(),
        "not a folder"
    );
    g.untouched();
}

#[test]
fn two_pages_for_one_url() {
    let g = Good::new();
    g.write("content/01-first-steps/05-second.md", &page("", "dup"));
    g.fails(
        "content/01-first-steps/05-second.md",
        0,
        "both map to the URL `/first-steps/second/`",
    );
    g.site.remove("content/01-first-steps/05-second.md");
    g.write(
        "content/01-first-steps/05-other.md",
        &page("slug: second\n", "dup by slug"),
    );
    g.fails(
        "content/01-first-steps/05-other.md",
        0,
        "both map to the URL `/first-steps/second/`",
    );
    g.site.remove("content/01-first-steps/05-other.md");
    // Two folders whose names differ only by their prefix.
    g.write("content/first-steps/01-a.md", &page("", "a"));
    g.fails(
        "content/first-steps",
        0,
        "both map to the URL `/first-steps/`",
    );
}

#[test]
fn slugs_and_paths_that_try_to_leave_the_output_folder() {
    let g = Good::new();
    for slug in ["../../etc", "/etc", "a/b", ".hidden", "..", "x\\\\y"] {
        g.write(P, &page(&format!("slug: \"{slug}\"\n"), ""));
        g.fails(P, 4, "is not allowed");
    }
    g.write(
        P,
        &page(
            "next:\n  - page: ../../../../etc/passwd.md\n    label: x\n",
            "",
        ),
    );
    g.fails(P, 5, "climbs above content/");
    g.write(P, &page("", "[up](../../../../etc/passwd)"));
    g.fails(P, 6, "climbs above content/");
    g.site.remove(P);
    // A file whose name makes no URL.
    g.write("content/01-first-steps/03-!!!.md", &page("", ""));
    g.fails(
        "content/01-first-steps/03-!!!.md",
        1,
        "cannot make a URL from the file name",
    );
    g.site.remove("content/01-first-steps/03-!!!.md");
    // A backslash is an ordinary character in a Unix file name, but a
    // folder separator elsewhere: such a file is never written.
    g.write_bytes("content/01-first-steps/a\\..\\..\\evil.png", b"x");
    g.fails(
        "content/01-first-steps/a\\..\\..\\evil.png",
        0,
        "is not allowed",
    );
}

#[test]
fn file_names_with_spaces_and_other_scripts_get_sensible_urls() {
    let site = Site::fixture("basic");
    site.write(
        "content/03-Разное и прочее/_index.md",
        &page("", "Chapter."),
    );
    site.write(
        "content/03-Разное и прочее/01-Привет мир.md",
        &page("", "Hello."),
    );
    site.write(
        "content/03-Разное и прочее/02-你好.md",
        &page("", "Nǐ hǎo."),
    );
    site.write(
        "content/03-Разное и прочее/03-Café au lait.md",
        &page("", "Coffee."),
    );
    site.write(
        "content/03-Разное и прочее/04-my page.md",
        &page(
            "",
            "[a](<01-Привет мир.md>) [b](02-%E4%BD%A0%E5%A5%BD.md) [c](<03-Café au lait.md>) [d](04-my%20page.md)\n\n![photo](<img/my photo.svg>)",
        ),
    );
    std::fs::create_dir_all(site.path().join("content/03-Разное и прочее/img")).unwrap();
    std::fs::copy(
        site.path().join("content/01-first-steps/img/diagram.svg"),
        site.path()
            .join("content/03-Разное и прочее/img/my photo.svg"),
    )
    .unwrap();
    site.build_ok(&[]);
    for url in [
        "raznoe-i-prochee/index.html",
        "raznoe-i-prochee/privet-mir/index.html",
        "raznoe-i-prochee/ni-hao/index.html",
        "raznoe-i-prochee/cafe-au-lait/index.html",
        "raznoe-i-prochee/my-page/index.html",
    ] {
        assert!(site.out(url).is_file(), "{url}");
    }
    let doc = site.html("raznoe-i-prochee/my-page/index.html");
    let hrefs: Vec<&str> = all(&doc, ".prose a")
        .into_iter()
        .map(|a| attr(a, "href"))
        .collect();
    assert_eq!(
        hrefs,
        ["../privet-mir/", "../ni-hao/", "../cafe-au-lait/", "./"]
    );
    // Assets keep their names (percent-encoded in the link).
    assert_eq!(
        attr(one(&doc, ".prose img"), "src"),
        "../img/my%20photo.svg"
    );
    assert!(site.out("raznoe-i-prochee/img/my photo.svg").is_file());
}

/// A string that is harmless only if escaped.
const EVIL: &str = "<img src=x onerror=alert(1)>\"'&";

#[test]
fn html_in_titles_and_descriptions_is_escaped_everywhere() {
    let site = Site::fixture("basic");
    let e = EVIL.replace('"', "\\\"");
    site.write(
        "site.yaml",
        &format!(
            "title: \"Book {e}\"\ndescription: \"About {e}\"\nauthor: \"Me {e}\"\nbase_url: \"https://example.org/book/\"\n"
        ),
    );
    site.write(
        "content/01-first-steps/03-evil.md",
        &format!(
            "---\ntitle: \"Title {e}\"\nnav_title: \"Nav {e}\"\ndescription: \"Desc {e}\"\nupdated: 2026-11-24\ntags: [\"tag {e}\"]\nnext_prompt: \"Prompt {e}\"\nnext:\n  - page: 01-hello.md\n    label: \"Label {e}\"\nresources:\n  - title: \"Res {e}\"\n    url: \"https://example.org/r\"\n    kind: docs\n    description: \"Why {e}\"\n    tags: [\"rtag {e}\"]\n---\n\nText.\n"
        ),
    );
    site.build_ok(&[]);
    let mut checked = 0;
    for (path, bytes) in snapshot(&site.path().join("public")) {
        let text = String::from_utf8_lossy(&bytes);
        let name = path.to_string_lossy();
        if name.ends_with(".html") {
            let doc = scraper::Html::parse_document(&text);
            assert!(
                all(&doc, "img[onerror]").is_empty(),
                "an injected element in {name}"
            );
            checked += 1;
        } else if name.ends_with(".xml") {
            let doc = roxmltree::Document::parse(&text)
                .unwrap_or_else(|e| panic!("{name} is not XML: {e}"));
            assert!(
                !doc.descendants().any(|n| n.has_tag_name("img")),
                "an injected element in {name}"
            );
            checked += 1;
        } else if name.ends_with(".js") || name.ends_with(".json") {
            // Scripts and data: the text may be there, but never a raw `<`
            // that could close a script or open a tag when inserted.
            if text.contains("onerror=alert(1)") {
                assert!(!text.contains("<img src=x"), "raw HTML in {name}");
                checked += 1;
            }
        }
    }
    assert!(checked > 10, "only {checked} files checked");
    // Escaped once, not twice: the text reads as written.
    let doc = site.html("first-steps/evil/index.html");
    assert_eq!(text(one(&doc, "h1")), format!("Title {EVIL}"));
    assert!(text(one(&doc, "title")).contains(&format!("Title {EVIL}")));
    let feed = site.read_out("atom.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        titles.contains(&format!("Title {EVIL}").as_str()),
        "{titles:?}"
    );
}
