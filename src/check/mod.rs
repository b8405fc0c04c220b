//! `openbook check`: everything `build` validates, without writing the
//! book, plus the findings an author wants before publishing.
//!
//! The checker runs the same pipeline as `build` ([`pipeline::prepare`] in
//! [`Mode::Check`], which keeps going past broken links so one run reports
//! them all), then renders every template into a [`RecordingSink`] that
//! writes nothing but remembers each path the build would write. With that
//! list of outputs and the pipeline's [`Rendered`](crate::markdown::Rendered)
//! data it adds:
//!
//! - [`findings`]: pages unreachable from the table of contents, duplicate
//!   titles within a chapter, pages without a description, resources listed
//!   twice on a page or with an invalid URL;
//! - [`outputs`]: root-relative links and raw-HTML references that no
//!   output file answers, and output paths that collide (exactly, or only
//!   by letter case, which breaks on macOS and Windows);
//! - [`external`] (`--external`): every `http(s)` URL, fetched with a
//!   concurrency limit, a timeout, a retry and a cache.
//!
//! - `--sql`: recorded results of verified SQL examples that are missing or
//!   stale ([`crate::sql::check_recorded`]).
//!
//! Other checks plug in the same way: a function from the prepared book to
//! more diagnostics, called from [`run`] behind a field of
//! [`CheckOptions`].

pub mod external;
pub mod findings;
pub mod outputs;

use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::Mutex;

use crate::diag::Diagnostics;
use crate::pipeline::{self, BuildOptions, Mode, Sink};

/// What to check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site and how it would be built (`mode` is forced to
    /// [`Mode::Check`]).
    pub build: BuildOptions,
    /// Check external URLs too, with these settings.
    pub external: Option<external::ExternalOptions>,
    /// Check that every ```` ```sql run ```` block has fresh recorded
    /// results ([`crate::sql::check_recorded`]; needs no database).
    pub sql: bool,
}

impl CheckOptions {
    /// Check the site in `dir`, without external URLs.
    pub fn new(dir: impl Into<std::path::PathBuf>) -> Self {
        CheckOptions {
            build: BuildOptions {
                mode: Mode::Check,
                ..BuildOptions::new(dir)
            },
            external: None,
            sql: false,
        }
    }
}

/// What a check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Every finding.
    pub diags: Diagnostics,
    /// Book pages (home, chapters and pages) checked.
    pub pages: usize,
    /// Assets under `content/`.
    pub assets: usize,
    /// Files a build would write.
    pub files: usize,
    /// External URLs, when `--external` was given.
    pub external: Option<external::Stats>,
}

impl Report {
    /// The process exit code: 1 on errors, or on warnings with
    /// `deny_warnings`; 0 otherwise.
    pub fn exit_code(&self, deny_warnings: bool) -> i32 {
        let warnings = self.diags.warning_count() > 0;
        i32::from(self.diags.has_errors() || (deny_warnings && warnings))
    }

    /// The one-line summary printed after the findings.
    pub fn summary_line(&self) -> String {
        let mut s = format!(
            "Checked {} and {}",
            plural(self.pages, "page", "pages"),
            plural(self.assets, "asset", "assets")
        );
        if let Some(x) = &self.external {
            s.push_str(&format!(
                " and {}",
                plural(x.urls, "external URL", "external URLs")
            ));
            if x.from_cache > 0 {
                s.push_str(&format!(" ({} from the cache)", x.from_cache));
            }
        }
        s.push_str(&format!(
            ": {}, {}",
            plural(self.diags.error_count(), "error", "errors"),
            plural(self.diags.warning_count(), "warning", "warnings")
        ));
        s
    }

    /// The report as JSON, for editors and CI: the sorted findings and a
    /// summary. `file` is relative to the site folder; `line` and `column`
    /// are 1-based, 0 when unknown.
    pub fn to_json(&self) -> serde_json::Value {
        let findings: Vec<serde_json::Value> = self
            .diags
            .sorted()
            .into_iter()
            .map(|d| {
                serde_json::json!({
                    "file": d.file.as_ref().map(|f| f.to_string_lossy().replace('\\', "/")),
                    "line": d.line,
                    "column": d.column,
                    "severity": d.severity,
                    "message": d.message,
                })
            })
            .collect();
        serde_json::json!({
            "findings": findings,
            "summary": {
                "errors": self.diags.error_count(),
                "warnings": self.diags.warning_count(),
                "pages": self.pages,
                "assets": self.assets,
                "files": self.files,
                "external": self.external,
            },
        })
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Check a site. Never writes the book; with `--external` it keeps a cache
/// under `DIR/.openbook-cache/`.
pub fn run(opts: &CheckOptions) -> Report {
    let mut build = opts.build.clone();
    build.mode = Mode::Check;
    let prepared = match pipeline::prepare(&build) {
        Ok(p) => p,
        Err(diags) => {
            return Report {
                diags,
                ..Report::default()
            }
        }
    };
    let mut diags = prepared.diags.clone();
    let sink = RecordingSink::default();
    let rendered_ok = match pipeline::write_site(&prepared, &sink) {
        Ok(_) => true,
        Err(d) => {
            diags.extend(d);
            false
        }
    };
    let files = sink.into_outputs();
    findings::check(&build.dir, &prepared, &mut diags);
    if rendered_ok {
        outputs::check(&prepared, &files, &mut diags);
    }
    if opts.sql {
        diags.extend(crate::sql::check_recorded(
            &build.dir,
            &prepared.config,
            &prepared.book,
        ));
    }
    let external = opts.external.as_ref().map(|x| {
        let uses = external::collect(&build.dir, &prepared);
        let (d, stats) = external::check(&uses, x);
        diags.extend(d);
        stats
    });
    Report {
        diags,
        pages: prepared.book.nodes.len(),
        assets: prepared.book.assets.len(),
        files: files.written.len(),
        external,
    }
}

/// The paths a build would write, and how often each was written.
#[derive(Debug, Default)]
pub struct Outputs {
    /// Site-relative path → number of times it was written.
    pub written: HashMap<String, usize>,
}

impl Outputs {
    /// True when the build writes `rel`.
    pub fn has(&self, rel: &str) -> bool {
        self.written.contains_key(rel)
    }
}

/// A [`Sink`] that writes nothing and records every path. Copies open
/// their source, so an unreadable asset is reported as `build` would.
#[derive(Debug, Default)]
pub struct RecordingSink {
    written: Mutex<HashMap<String, usize>>,
}

impl RecordingSink {
    fn record(&self, rel: &str) {
        let mut w = self.written.lock().unwrap_or_else(|e| e.into_inner());
        *w.entry(rel.to_string()).or_default() += 1;
    }

    /// The recorded paths.
    pub fn into_outputs(self) -> Outputs {
        Outputs {
            written: self.written.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }
}

impl Sink for RecordingSink {
    fn write(&self, rel: &str, _bytes: &[u8]) -> io::Result<()> {
        crate::output::safe_join(Path::new("/"), rel)?;
        self.record(rel);
        Ok(())
    }

    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        crate::output::safe_join(Path::new("/"), rel)?;
        std::fs::File::open(src)?;
        self.record(rel);
        Ok(())
    }
}
