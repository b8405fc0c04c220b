//! Verified SQL examples: ```` ```sql run ```` blocks run against a real
//! PostgreSQL at build time, and readers see what psql printed.
//!
//! # When it happens
//!
//! A block's output goes inside the block's `<figure>`, so it must be
//! known before the page's Markdown is rendered. [`verify`] therefore runs
//! between assembling the book and rendering Markdown: a cheap pre-scan
//! ([`scan`]) lists every page's run blocks (pulldown-cmark events only, the
//! same parser options and fence parsing as the renderer, so both count the
//! same blocks), the pages are verified or looked up, and the renderer gets
//! each page's outputs as pre-rendered HTML through [`Outputs::for_page`].
//! Doing it as a separate stage, rather than from inside the renderer, lets
//! whole pages run as one psql session each, in parallel, with one
//! connection check and one setup per build, and keeps the renderer free
//! of I/O.
//!
//! # With or without a database
//!
//! With a connection (`--database-url`, `DATABASE_URL`, or `sql.database_url`
//! in `site.yaml`, in that order; an empty value means none), every page
//! with run blocks is verified ([`runner`]): a failing statement is an
//! error naming its file, line and column and PostgreSQL's message, detail
//! and hint; an `expect-error` block that succeeds is an error too. `build`
//! then records the outputs in `sql-results.yaml` ([`record`]). Without a
//! connection, the recorded outputs are shown for pages whose SQL still
//! hashes the same; other pages are shown without output and get a
//! warning: never output that belongs to other SQL. `check` never runs
//! SQL; [`check_recorded`] reports stale and missing records.
//!
//! # Modules
//!
//! | module | job |
//! | --- | --- |
//! | [`scan`] | a page's run blocks, before rendering |
//! | [`lex`] | a block's statements, as psql splits them |
//! | [`guard`] | what an example may not do (leave its scratch database) |
//! | [`psql`] | starting psql with a fixed environment |
//! | [`runner`] | scratch databases, one session per page, clean-up |
//! | [`transcript`] | a session's output, per block; errors located in the file |
//! | [`record`] | `sql-results.yaml` |
//! | [`output`], [`html`] | psql's text back into tables, then HTML |

pub mod guard;
pub mod html;
pub mod lex;
pub mod output;
pub mod psql;
pub mod record;
pub mod runner;
pub mod scan;
pub mod transcript;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::book::Book;
use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::SqlBlock;
use crate::source::SourcePage;
use record::{PageRecord, Record};

/// The statement timeout when `sql.timeout` is not set, in seconds.
pub const DEFAULT_TIMEOUT: u64 = 10;

/// What a build asks of this stage.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// `--database-url`, if given (an empty string means "no database").
    pub database_url: Option<String>,
    /// Never connect, only use the record (`check`).
    pub recorded_only: bool,
    /// Write `sql-results.yaml` after verifying (`build`, not `serve`).
    pub write_record: bool,
    /// Warn about pages shown without output.
    pub warn_stale: bool,
}

/// The rendered outputs of every page, for the Markdown renderer.
#[derive(Debug, Clone, Default)]
pub struct Outputs {
    setup: Option<String>,
    /// Per page (path under `content/`): the SQL hash the outputs belong
    /// to, and one HTML fragment per run block.
    pages: HashMap<String, (String, Vec<String>)>,
}

impl Outputs {
    /// The output HTML of each run block of `page`, if there is output for
    /// the page's SQL as it is now (a page edited since, as under `serve`,
    /// gets none rather than the wrong one).
    pub fn for_page(&self, page: &SourcePage) -> Option<&[String]> {
        let (hash, html) = self.pages.get(&page.rel)?;
        let blocks = scan::blocks(&page.text, page.body_offset, &page.shown, &mut Vec::new());
        (record::page_hash(self.setup.as_deref(), &blocks) == *hash).then_some(html.as_slice())
    }
}

/// What happened, for the build summary.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Run blocks in the book.
    pub blocks: usize,
    /// Blocks run against a server in this build.
    pub verified: usize,
    /// Blocks shown with recorded output (no server).
    pub recorded: usize,
    /// The server's major version, when one was used.
    pub server: Option<u32>,
    /// True if `sql-results.yaml` was rewritten.
    pub record_written: bool,
    /// Time spent here.
    pub time: Duration,
}

/// The result of [`verify`].
#[derive(Debug, Default)]
pub struct Verified {
    /// Outputs for the renderer.
    pub outputs: Outputs,
    /// Errors and warnings.
    pub diags: Diagnostics,
    /// Counts.
    pub stats: Stats,
}

/// A page with run blocks.
struct Page<'a> {
    source: &'a SourcePage,
    blocks: Vec<SqlBlock>,
    hash: String,
}

/// The connection to use: `--database-url`, else `DATABASE_URL`, else
/// `sql.database_url`; an empty value at any level means none.
pub fn database_url(flag: Option<&str>, config: &SiteConfig) -> Option<String> {
    let chosen = match flag {
        Some(f) => Some(f.to_string()),
        None => match std::env::var("DATABASE_URL") {
            Ok(v) => Some(v),
            Err(_) => config.sql.as_ref().and_then(|s| s.database_url.clone()),
        },
    };
    chosen.filter(|u| !u.trim().is_empty())
}

/// Verify (or look up) the output of every run block of `book`.
pub fn verify(dir: &Path, config: &SiteConfig, book: &Book, settings: &Settings) -> Verified {
    let started = Instant::now();
    let mut v = Verified::default();
    let mut scan_diags = Vec::new();
    let pages = pages_with_sql(book, &mut scan_diags);
    v.diags.extend(scan_diags);
    if pages.is_empty() {
        return v;
    }
    let setup = match read_setup(dir, config) {
        Ok(s) => s,
        Err(d) => {
            v.diags.push(d);
            return v;
        }
    };
    let setup_text = setup.as_ref().map(|(_, _, t)| t.as_str());
    let pages: Vec<Page<'_>> = pages
        .into_iter()
        .map(|(source, blocks)| {
            let hash = record::page_hash(setup_text, &blocks);
            Page {
                source,
                blocks,
                hash,
            }
        })
        .collect();
    v.outputs.setup = setup_text.map(str::to_string);
    v.stats.blocks = pages.iter().map(|p| p.blocks.len()).sum();
    let url = if settings.recorded_only {
        None
    } else {
        database_url(settings.database_url.as_deref(), config)
    };
    match url {
        Some(url) => run_all(dir, config, &pages, &url, setup.as_ref(), settings, &mut v),
        None => from_record(dir, &pages, settings, &mut v),
    }
    v.stats.time = started.elapsed();
    v
}

fn pages_with_sql<'a>(
    book: &'a Book,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(&'a SourcePage, Vec<SqlBlock>)> {
    (0..book.nodes.len())
        .filter_map(|id| book.page_of(id))
        .filter_map(|p| {
            let blocks = scan::blocks(&p.text, p.body_offset, &p.shown, diags);
            (!blocks.is_empty()).then_some((p, blocks))
        })
        .collect()
}

/// `sql.setup`: (absolute path, path as written, text).
fn read_setup(
    dir: &Path,
    config: &SiteConfig,
) -> Result<Option<(PathBuf, PathBuf, String)>, Diagnostic> {
    let Some(rel) = config.sql.as_ref().and_then(|s| s.setup.clone()) else {
        return Ok(None);
    };
    let path = dir.join(&rel);
    let text = std::fs::read(&path)
        .map_err(|e| {
            let line = std::fs::read_to_string(dir.join("site.yaml"))
                .ok()
                .and_then(|t| crate::yaml::key_line(&t, "setup"))
                .unwrap_or(0);
            Diagnostic::error(format!(
                "`sql.setup` is `{rel}`, which cannot be read ({e}); expected a .sql file, \
                 relative to the site folder"
            ))
            .in_file("site.yaml")
            .at(line, 1)
        })
        .and_then(|b| crate::source::text::decode(&b, Path::new(&rel)))?;
    let abs = path.canonicalize().unwrap_or(path);
    Ok(Some((abs, PathBuf::from(rel), text)))
}

fn timeout(config: &SiteConfig) -> Duration {
    let secs = config
        .sql
        .as_ref()
        .and_then(|s| s.timeout)
        .unwrap_or(DEFAULT_TIMEOUT)
        .max(1);
    Duration::from_secs(secs)
}

/// How many pages run at once. Each session mostly waits (for the server,
/// for its disk), so more sessions than cores pay: on 2 cores, 8 at once
/// built this book about a quarter faster than 2 or 4. Capped well below
/// a default server's 100 connections.
fn workers(pages: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (cores * 4).clamp(2, 8).min(pages.max(1))
}

fn run_all(
    dir: &Path,
    config: &SiteConfig,
    pages: &[Page<'_>],
    url: &str,
    setup: Option<&(PathBuf, PathBuf, String)>,
    settings: &Settings,
    v: &mut Verified,
) {
    let mut server = match runner::Server::connect(url, timeout(config)) {
        Ok(s) => s,
        Err(d) => {
            v.diags.push(d);
            return;
        }
    };
    if let Some((abs, shown, _)) = setup {
        if let Err(d) = server.load_setup(abs, shown) {
            v.diags.push(d);
            return;
        }
    }
    let major = server.major;
    v.stats.server = Some(major);
    let runs = par_map(pages, workers(pages.len()), |p| {
        server.run_page(&runner::Job {
            file: &p.source.shown,
            blocks: &p.blocks,
        })
    });
    server.finish();
    let mut record = match Record::load(dir) {
        Ok(r) => r,
        Err(d) => {
            let mut d = d;
            d.severity = crate::diag::Severity::Warning;
            v.diags.push(d);
            Record::default()
        }
    };
    for (p, run) in pages.iter().zip(runs) {
        v.diags.extend(run.diags);
        let Some(outputs) = run.outputs else {
            continue;
        };
        v.stats.verified += p.blocks.len();
        let html = outputs.iter().map(|t| html::render(t, major)).collect();
        v.outputs
            .pages
            .insert(p.source.rel.clone(), (p.hash.clone(), html));
        record.pages.insert(
            p.source.rel.clone(),
            PageRecord {
                sql: p.hash.clone(),
                postgres: major,
                blocks: outputs,
            },
        );
    }
    if settings.write_record {
        // Drop entries of pages that are gone or no longer have run blocks;
        // keep those of pages left out of this build (drafts).
        let with_sql: std::collections::HashSet<&str> =
            pages.iter().map(|p| p.source.rel.as_str()).collect();
        record.pages.retain(|rel, _| {
            with_sql.contains(rel.as_str()) || draft_has_sql(&dir.join("content").join(rel))
        });
        match record.save(dir) {
            Ok(written) => v.stats.record_written = written,
            Err(e) => v.diags.push(
                Diagnostic::warning(format!("cannot write the recorded SQL results: {e}"))
                    .in_file(record::FILE),
            ),
        }
    }
}

/// True if the page at `path` (not in this build) still has run blocks.
fn draft_has_sql(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let body = crate::source::front_matter::split(&text, path)
        .map(|s| s.body_offset)
        .unwrap_or(0);
    !scan::blocks(&text, body, path, &mut Vec::new()).is_empty()
}

fn from_record(dir: &Path, pages: &[Page<'_>], settings: &Settings, v: &mut Verified) {
    let record = match Record::load(dir) {
        Ok(r) => r,
        Err(mut d) => {
            if settings.warn_stale {
                d.severity = crate::diag::Severity::Warning;
                d.message
                    .push_str("; SQL examples are shown without output");
                v.diags.push(d);
            }
            Record::default()
        }
    };
    for p in pages {
        match record.pages.get(&p.source.rel) {
            Some(e) if e.sql == p.hash && e.blocks.len() == p.blocks.len() => {
                let html = e
                    .blocks
                    .iter()
                    .map(|t| html::render(t, e.postgres))
                    .collect();
                v.outputs
                    .pages
                    .insert(p.source.rel.clone(), (p.hash.clone(), html));
                v.stats.recorded += p.blocks.len();
            }
            other if settings.warn_stale => {
                v.diags.push(
                    Diagnostic::warning(format!(
                        "{}; the SQL examples on this page are shown without output (build with \
                         a database, DATABASE_URL or --database-url, to verify and record them)",
                        why_not_recorded(other.is_some())
                    ))
                    .in_file(&p.source.shown)
                    .at(p.blocks[0].line.saturating_sub(1), 1),
                );
            }
            _ => {}
        }
    }
}

fn why_not_recorded(stale: bool) -> String {
    if stale {
        format!(
            "the recorded results in {} are stale (this page's SQL or the setup file changed \
             since they were recorded)",
            record::FILE
        )
    } else {
        format!("{} has no results for this page", record::FILE)
    }
}

/// `check --sql`: pages whose recorded results are missing or stale
/// (errors), and recorded results for pages that no longer exist
/// (warnings). Needs no database.
pub fn check_recorded(dir: &Path, config: &SiteConfig, book: &Book) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut scan_diags = Vec::new();
    let pages = pages_with_sql(book, &mut scan_diags);
    diags.extend(scan_diags);
    let setup = match read_setup(dir, config) {
        Ok(s) => s.map(|(_, _, t)| t),
        Err(d) => {
            diags.push(d);
            return diags;
        }
    };
    let record = match Record::load(dir) {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return diags;
        }
    };
    for (page, blocks) in &pages {
        let hash = record::page_hash(setup.as_deref(), blocks);
        let entry = record.pages.get(&page.rel);
        if entry.is_some_and(|e| e.sql == hash && e.blocks.len() == blocks.len()) {
            continue;
        }
        diags.push(
            Diagnostic::error(format!(
                "{}; build with a database to refresh them",
                why_not_recorded(entry.is_some())
            ))
            .in_file(&page.shown)
            .at(blocks[0].line.saturating_sub(1), 1),
        );
    }
    for rel in record.pages.keys() {
        if !dir.join("content").join(rel).is_file() {
            diags.push(
                Diagnostic::warning(format!(
                    "recorded SQL results for content/{rel}, which does not exist; the next \
                     build with a database drops them"
                ))
                .in_file(record::FILE),
            );
        }
    }
    diags
}

/// Map `f` over `items` on `threads` threads, keeping the order.
fn par_map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else {
                    break;
                };
                let r = f(item);
                results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(r);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn par_map_keeps_order() {
        let v: Vec<usize> = (0..50).collect();
        assert_eq!(
            par_map(&v, 4, |x| x * 2),
            (0..50).map(|x| x * 2).collect::<Vec<_>>()
        );
    }
}
