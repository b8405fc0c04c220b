//! The reader's side in a real headless Chromium: search, reading
//! progress, quizzes, themes, keyboard navigation, accessibility (axe-core)
//! and `build --offline` read from `file://`.
//!
//! The fixture `tests/sites/reader` is built once (normally, and with
//! `--offline`); each test then runs some checks of
//! `tests/browser/run.mjs`, which serves the book on a loopback port,
//! drives Chromium with playwright-core and fails if any request leaves
//! the origin. The checks themselves are documented there.
//!
//! Needs `/usr/bin/chromium` (or `OPENBOOK_CHROMIUM`), Node, and
//! `npm ci --prefix tests/browser`. Without them the tests print why and
//! pass, except under CI (`CI` set), where a missing browser is a failure.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::util::Site;

struct Built {
    site: Site,
    chromium: PathBuf,
}

pub(crate) fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// What is missing to run the browser tests, if anything.
pub(crate) fn missing() -> Option<String> {
    let chromium = chromium_path();
    if !chromium.is_file() {
        return Some(format!(
            "no Chromium at {} (install Debian's `chromium`, or set OPENBOOK_CHROMIUM)",
            chromium.display()
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("no `node` on PATH".into());
    }
    if !browser_dir()
        .join("node_modules/playwright-core/package.json")
        .is_file()
    {
        return Some(
            "tests/browser/node_modules is missing: run `npm ci --prefix tests/browser`".into(),
        );
    }
    None
}

pub(crate) fn chromium_path() -> PathBuf {
    std::env::var_os("OPENBOOK_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// The fixture built once for every test, or `None` (after saying why)
/// when the browser tests cannot run here.
fn built() -> Option<&'static Built> {
    static BUILT: OnceLock<Option<Built>> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            if let Some(why) = missing() {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "the browser tests must run in CI, but {why}"
                );
                // Straight to stderr: the test harness captures `eprintln!`.
                let _ = writeln!(std::io::stderr(), "skipped: browser tests: {why}");
                return None;
            }
            let site = Site::fixture("reader");
            site.build_ok(&[]);
            site.build_ok(&["--offline", "--out", "public-offline"]);
            Some(Built {
                site,
                chromium: chromium_path(),
            })
        })
        .as_ref()
}

/// Run the checks of `run.mjs` whose names start with `checks`; fail with
/// its report if any fails.
fn run(checks: &[&str]) {
    let Some(b) = built() else {
        return;
    };
    let out = Command::new("node")
        .arg(browser_dir().join("run.mjs"))
        .arg("--site")
        .arg(b.site.path().join("public"))
        .arg("--offline")
        .arg(b.site.path().join("public-offline"))
        .arg("--chromium")
        .arg(&b.chromium)
        .args(checks)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser checks failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains("ok - no request left the origin"),
        "{stdout}"
    );
}

#[test]
fn search_box_finds_a_word_and_opens_its_section() {
    run(&["search box"]);
}

#[test]
fn search_page_excerpts_folding_drafts_keyboard() {
    run(&["search page"]);
}

#[test]
fn reading_progress_is_kept_ticked_and_reset() {
    run(&["reading progress"]);
}

#[test]
fn quizzes_give_feedback_and_retry() {
    run(&["quizzes"]);
}

#[test]
fn theme_follows_the_system_and_persists_without_flash() {
    run(&["theme"]);
}

#[test]
fn arrow_keys_choices_sidebar_menu_and_copy() {
    run(&["navigation"]);
}

#[test]
fn axe_finds_no_serious_violation() {
    run(&["accessibility"]);
}

#[test]
fn focus_is_visible() {
    run(&["focus"]);
}

#[test]
fn offline_build_reads_from_file_urls() {
    run(&["offline"]);
}
