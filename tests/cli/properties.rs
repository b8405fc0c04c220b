//! Property tests (proptest) of the front-matter splitter and of the
//! mapping from source paths to slugs, URLs and output paths.

use std::collections::HashSet;
use std::path::Path;

use openbook::book::url::{page_file, slugify};
use openbook::book::{AssembleOptions, Book};
use openbook::output::safe_join;
use openbook::source::{self, front_matter};
use proptest::prelude::*;

/// Front-matter lines `key: value` (never a fence on their own).
fn yaml_lines() -> impl Strategy<Value = String> {
    prop::collection::vec("[a-z_]{1,8}: [^\n\r]{0,20}\n", 0..6).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_splitter_never_panics_and_its_offsets_hold(text in "(?s).{0,300}") {
        let file = Path::new("p.md");
        match front_matter::split(&text, file) {
            Ok(s) => {
                prop_assert!(text.starts_with("---"));
                prop_assert_eq!(&text[s.body_offset..], s.body);
                let yaml_start = s.yaml.as_ptr() as usize - text.as_ptr() as usize;
                prop_assert!(yaml_start + s.yaml.len() <= s.body_offset);
                prop_assert_eq!(s.yaml_line, 2);
            }
            Err(d) => {
                prop_assert_eq!(d.line, 1);
                prop_assert_eq!(d.file.as_deref(), Some(file));
            }
        }
    }

    #[test]
    fn the_splitter_finds_what_was_written(
        yaml in yaml_lines(),
        body in "(?s).{0,200}",
        close in prop_oneof![Just("---"), Just("..."), Just("---  ")],
    ) {
        let text = format!("---\n{yaml}{close}\n{body}");
        let s = front_matter::split(&text, Path::new("p.md")).expect("well-formed");
        prop_assert_eq!(s.yaml, yaml.as_str());
        prop_assert_eq!(s.body, body.as_str());
    }

    #[test]
    fn slugs_are_clean_stable_and_idempotent(name in any::<String>()) {
        let s = slugify(&name);
        prop_assert!(
            s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{:?} -> {:?}", name, s
        );
        prop_assert!(!s.starts_with('-') && !s.ends_with('-') && !s.contains("--"));
        prop_assert_eq!(slugify(&name), s.clone());
        prop_assert_eq!(slugify(&s), s);
    }
}

/// One path segment, as authors name files and folders: prefixed, with
/// spaces, in other scripts, dotted, or all punctuation.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{1,2}[-_][a-zA-Z ]{1,6}",
        "[a-zA-Z0-9 ._-]{1,8}",
        "[A-Z]{1,3}",
        "[.!~ ]{1,3}[a-z]{0,2}",
        Just("Привет мир".to_string()),
        Just("你好".to_string()),
        Just("Café".to_string()),
        Just("🐘".to_string()),
        Just("index".to_string()),
        Just("_index".to_string()),
        Just("search".to_string()),
        Just("Contents".to_string()),
        // Names that differ but slugify alike.
        Just("a b".to_string()),
        Just("A-B".to_string()),
        Just("01-a_b".to_string()),
    ]
    .prop_filter("creatable", |s| s != "." && s != ".." && !s.contains('/'))
}

fn tree() -> impl Strategy<Value = Vec<(Vec<String>, bool)>> {
    prop::collection::vec(
        (prop::collection::vec(segment(), 1..4), any::<bool>()),
        1..10,
    )
}

/// Write the tree: `true` makes a page (`.md`), `false` an asset (`.png`).
fn write_tree(dir: &Path, files: &[(Vec<String>, bool)]) {
    std::fs::create_dir_all(dir.join("content")).unwrap();
    for (segs, is_page) in files {
        let mut p = dir.join("content");
        for s in &segs[..segs.len() - 1] {
            p.push(s);
        }
        let last = &segs[segs.len() - 1];
        p.push(if *is_page {
            format!("{last}.md")
        } else {
            format!("{last}.png")
        });
        // Clashes (a file where a folder should be) are skipped.
        if std::fs::create_dir_all(p.parent().unwrap()).is_err() || p.exists() {
            continue;
        }
        let text = format!("---\ntitle: \"{}\"\n---\n\nText.\n", last.replace('"', ""));
        let _ = std::fs::write(&p, text);
    }
}

/// The book and the messages of its errors.
fn assemble(dir: &Path) -> (Book, Vec<String>) {
    let (tree, mut diags) = source::load(dir, None);
    let (book, d) = Book::assemble(tree, AssembleOptions::default());
    diags.extend(d);
    let errors = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.message.clone())
        .collect();
    (book, errors)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn no_generated_path_escapes_the_output_and_urls_are_unique_and_stable(files in tree()) {
        let site = tempfile::tempdir().unwrap();
        write_tree(site.path(), &files);
        let (book, errors) = assemble(site.path());
        let root = Path::new("/out");
        let mut outputs: Vec<String> = book.nodes.iter().map(|n| page_file(&n.url)).collect();
        outputs.extend(book.assets.iter().map(|a| a.out.clone()));
        for out in &outputs {
            let joined = safe_join(root, out);
            prop_assert!(joined.is_ok(), "{:?} is refused", out);
            let joined = joined.unwrap();
            prop_assert!(joined.starts_with(root), "{:?} -> {:?}", out, joined);
            prop_assert!(
                !out.split('/').any(|s| s == ".." || s == "."),
                "{:?} has a dot segment", out
            );
        }
        // Unique, or reported: a build never silently writes two things to
        // one path. Each path written twice is named by an error.
        let mut seen = HashSet::new();
        for out in &outputs {
            if !seen.insert(out) {
                let url = out.strip_suffix("index.html").unwrap_or(out);
                prop_assert!(
                    errors.iter().any(|e| e.contains(&format!("`/{url}`")) || e.contains(&format!("`{out}`"))),
                    "{:?} is written twice and no error says so: {:?}", out, errors
                );
            }
        }
        for n in &book.nodes {
            // Derived URL segments are slugs (explicit slugs are not
            // generated here).
            for seg in n.url.split('/').filter(|s| !s.is_empty()) {
                prop_assert_eq!(slugify(seg), seg);
            }
        }
        // Stable: the same tree maps to the same URLs.
        let (again, _) = assemble(site.path());
        let urls: Vec<&String> = book.nodes.iter().map(|n| &n.url).collect();
        let urls_again: Vec<&String> = again.nodes.iter().map(|n| &n.url).collect();
        prop_assert_eq!(urls, urls_again);
    }
}
