//! Test harness: fixture sites in temporary folders, the binary, and DOM
//! helpers.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{ElementRef, Html, Selector};

/// A fixture site copied into a temporary folder.
pub struct Site {
    pub tmp: tempfile::TempDir,
}

impl Site {
    /// Copy `tests/sites/<name>` into a fresh temporary folder.
    pub fn fixture(name: &str) -> Site {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/sites")
            .join(name);
        let tmp = tempfile::tempdir().expect("temp dir");
        copy_dir(&src, tmp.path());
        Site { tmp }
    }

    /// An empty site folder with just a `site.yaml` and `content/`.
    pub fn empty() -> Site {
        let tmp = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(tmp.path().join("content")).unwrap();
        std::fs::write(tmp.path().join("site.yaml"), "title: \"T\"\n").unwrap();
        Site { tmp }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    /// Write (or overwrite) a file of the site.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path().join(rel)).unwrap();
    }

    /// Run `openbook ARGS` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_openbook"))
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("run openbook");
        Run::from(out)
    }

    /// `openbook build` into `public/`; panics with the output on failure.
    pub fn build_ok(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        let r = self.run(&args);
        assert_eq!(r.code, 0, "build failed:\n{}\n{}", r.stdout, r.stderr);
        r
    }

    /// `openbook build`, expected to fail.
    pub fn build_err(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        let r = self.run(&args);
        assert_ne!(r.code, 0, "build unexpectedly succeeded:\n{}", r.stdout);
        r.assert_no_panic();
        r
    }

    pub fn out(&self, rel: &str) -> PathBuf {
        self.path().join("public").join(rel)
    }

    /// Parse an output HTML file.
    pub fn html(&self, rel: &str) -> Html {
        let p = self.out(rel);
        let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        Html::parse_document(&text)
    }

    pub fn read_out(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out(rel)).unwrap()
    }
}

/// The result of running the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    pub fn assert_no_panic(&self) {
        for bad in [
            "panicked",
            "RUST_BACKTRACE",
            "stack backtrace",
            "internal error",
        ] {
            assert!(
                !self.stderr.contains(bad),
                "looks like a panic:\n{}",
                self.stderr
            );
        }
    }

    /// Assert stderr has a diagnostic line starting `file:line:` and
    /// containing `needle`.
    pub fn assert_diag(&self, file: &str, line: usize, needle: &str) {
        let prefix = format!("{file}:{line}:");
        assert!(
            self.stderr
                .lines()
                .any(|l| l.starts_with(&prefix) && l.contains(needle)),
            "expected a diagnostic `{prefix} ... {needle}` in:\n{}",
            self.stderr
        );
    }
}

impl Run {
    /// Assert stderr has a diagnostic about the whole file `file` (no
    /// line) containing `needle`.
    pub fn assert_diag_file(&self, file: &str, needle: &str) {
        let prefix = format!("{file}: ");
        assert!(
            self.stderr
                .lines()
                .any(|l| l.starts_with(&prefix) && l.contains(needle)),
            "expected a diagnostic `{prefix}... {needle}` in:\n{}",
            self.stderr
        );
    }
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|e| panic!("bad selector {s}: {e:?}"))
}

/// The first element matching `s`.
pub fn one<'a>(doc: &'a Html, s: &str) -> ElementRef<'a> {
    doc.select(&sel(s))
        .next()
        .unwrap_or_else(|| panic!("no element matches {s}"))
}

/// All elements matching `s`.
pub fn all<'a>(doc: &'a Html, s: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(s)).collect()
}

pub fn text(e: ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn attr<'a>(e: ElementRef<'a>, name: &str) -> &'a str {
    e.value()
        .attr(name)
        .unwrap_or_else(|| panic!("no attribute {name} on {:?}", e.value()))
}

pub fn copy_dir(src: &Path, dst: &Path) {
    for entry in walkdir(src) {
        let rel = entry.strip_prefix(src).unwrap();
        let target = dst.join(rel);
        if entry.is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(&entry, &target).unwrap();
        }
    }
}

pub fn walkdir(p: &Path) -> Vec<PathBuf> {
    let mut out = vec![p.to_path_buf()];
    if p.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for e in entries {
            out.extend(walkdir(&e));
        }
    }
    out
}

/// Every file under `dir` with its bytes, for before/after comparisons.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir(dir)
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}
