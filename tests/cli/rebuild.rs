//! Rebuilding into an existing output folder: nothing changed means
//! nothing is touched; a change rewrites only the files whose bytes
//! differ, and the result is always the same as a fresh build.

use std::collections::BTreeMap;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::*;

/// Every file under `dir` with its inode and modification time.
fn identities(dir: &Path) -> BTreeMap<PathBuf, (u64, i64, i64)> {
    walkdir(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            let m = std::fs::metadata(&p).unwrap();
            (
                p.strip_prefix(dir).unwrap().to_path_buf(),
                (m.ino(), m.mtime(), m.mtime_nsec()),
            )
        })
        .collect()
}

/// `openbook build ARGS` in `site` without a database in the environment
/// (with one, every build verifies SQL and none is skipped).
fn build(site: &Site, extra: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_openbook"))
        .arg("build")
        .args(extra)
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run openbook");
    let r = Run::from(out);
    assert_eq!(r.code, 0, "build failed:\n{}\n{}", r.stdout, r.stderr);
    r
}

/// The files of a fresh build of `site` into a new folder.
fn fresh(site: &Site) -> Vec<(PathBuf, Vec<u8>)> {
    let dest = tempfile::tempdir().unwrap();
    let out = dest.path().join("fresh");
    build(site, &["--out", out.to_str().unwrap()]);
    snapshot(&out)
        .into_iter()
        .filter(|(p, _)| !p.ends_with(".openbook-manifest.json"))
        .collect()
}

fn built(site: &Site) -> Vec<(PathBuf, Vec<u8>)> {
    snapshot(&site.path().join("public"))
        .into_iter()
        .filter(|(p, _)| !p.ends_with(".openbook-manifest.json"))
        .collect()
}

#[test]
fn nothing_changed_touches_nothing() {
    let site = Site::fixture("basic");
    build(&site, &[]);
    let before = identities(&site.path().join("public"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = build(&site, &[]);
    assert!(
        again
            .stdout
            .starts_with("Nothing changed since the last build"),
        "{}",
        again.stdout
    );
    assert_eq!(before, identities(&site.path().join("public")));
}

#[test]
fn an_edit_rewrites_only_what_changed_and_matches_a_fresh_build() {
    let site = Site::fixture("basic");
    build(&site, &[]);
    let public = site.path().join("public");
    let before = identities(&public);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let page = site.path().join("content/02-going-further/01-deep.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\nA new closing sentence.\n")).unwrap();
    let run = build(&site, &["--verbose"]);
    assert!(run.stdout.starts_with("Built "), "{}", run.stdout);
    let after = identities(&public);

    // The edited page is new; a page that does not show the edit is the
    // very file it was (same inode, same time).
    let deep = PathBuf::from("going-further/deep/index.html");
    assert_ne!(before[&deep], after[&deep]);
    let doc = site.html("going-further/deep/index.html");
    assert!(text_of(&doc, "main").contains("A new closing sentence."));
    let hello = PathBuf::from("first-steps/hello/index.html");
    assert_eq!(before[&hello], after[&hello]);
    let kept = after
        .iter()
        .filter(|(p, id)| before.get(*p) == Some(id))
        .count();
    assert!(
        kept > after.len() / 2,
        "only {kept} of {} files kept",
        after.len()
    );
    assert!(
        run.stderr.contains("were kept as they were"),
        "{}",
        run.stderr
    );

    assert_eq!(built(&site), fresh(&site));
}

#[test]
fn a_hand_edited_output_file_is_rebuilt() {
    let site = Site::fixture("basic");
    build(&site, &[]);
    let good = site.read_out("first-steps/hello/index.html");
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(site.out("first-steps/hello/index.html"), "scribbled").unwrap();
    std::fs::remove_file(site.out("going-further/index.html")).unwrap();
    let run = build(&site, &[]);
    assert!(run.stdout.starts_with("Built "), "{}", run.stdout);
    assert_eq!(site.read_out("first-steps/hello/index.html"), good);
    assert!(site.out("going-further/index.html").is_file());
    assert_eq!(built(&site), fresh(&site));
}

#[test]
fn options_and_themes_are_inputs_too() {
    let site = Site::fixture("basic");
    build(&site, &[]);
    let drafts = build(&site, &["--drafts"]);
    assert!(drafts.stdout.starts_with("Built "), "{}", drafts.stdout);
    assert!(site.out("going-further/draft/index.html").is_file());
    let back = build(&site, &[]);
    assert!(back.stdout.starts_with("Built "), "{}", back.stdout);
    assert!(!site.out("going-further/draft/index.html").exists());

    let base = std::fs::read_to_string("themes/default/templates/base.html").unwrap();
    site.write(
        "themes/default/templates/base.html",
        &base.replacen("<main", "<main data-overridden", 1),
    );
    let themed = build(&site, &[]);
    assert!(themed.stdout.starts_with("Built "), "{}", themed.stdout);
    let doc = site.html("first-steps/hello/index.html");
    one(&doc, "main[data-overridden]");
    assert_eq!(built(&site), fresh(&site));
}

fn text_of(doc: &scraper::Html, s: &str) -> String {
    text(one(doc, s))
}
