//! The build pipeline shared by `build`, `check` and `serve`:
//!
//! 1. read `site.yaml` ([`crate::config`]) and the theme ([`crate::theme`]);
//! 2. walk `content/` and parse front matter ([`crate::source`]);
//! 3. assemble the chapter tree, URLs and reading order ([`crate::book`]);
//!    then run (or look up) the ```` ```sql run ```` examples ([`crate::sql`]);
//! 4. render every page's Markdown in parallel ([`crate::markdown`]);
//! 5. check links, anchors and "what next?" targets;
//! 6. render templates and book-wide pages, and hand every output file to a
//!    [`Sink`] (a staging folder on disk, or memory for `serve`).
//!
//! Nothing is written until steps 1-5 found no error.

use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::book::url::{self, LinkStyle};
use crate::book::{AssembleOptions, Book, NodeId, NodeKind};
use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::markdown::{self, PageContext, Rendered};
use crate::output::{self, manifest::Entry, manifest::Manifest, manifest::Previous};
use crate::pages;
use crate::render::context::{self, Links, SiteView, ViewInput};
use crate::render::{nav, Renderer};
use crate::search::SearchIndex;
use crate::source;
use crate::theme::Theme;

/// Why the pipeline runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `openbook build`: broken links are errors.
    Build,
    /// `openbook serve`: broken links are warnings.
    Serve,
    /// `openbook check`: nothing is written.
    Check,
}

/// What to build, and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holds `site.yaml` and `content/`).
    pub dir: PathBuf,
    /// The output folder; `DIR/public` if not given.
    pub out: Option<PathBuf>,
    /// Overrides `base_url`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Links that end in `index.html`, for reading from disk.
    pub offline: bool,
    /// Build, serve or check.
    pub mode: Mode,
    /// `--database-url`: where to verify SQL examples (else
    /// `DATABASE_URL`, else `sql.database_url`; empty means none).
    pub database_url: Option<String>,
}

impl BuildOptions {
    /// Options for building the site in `dir` with defaults.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        BuildOptions {
            dir: dir.into(),
            out: None,
            base_url: None,
            drafts: false,
            offline: false,
            mode: Mode::Build,
            database_url: None,
        }
    }

    /// The output folder.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.dir.join("public"))
    }

    fn style(&self) -> LinkStyle {
        if self.offline {
            LinkStyle::Offline
        } else {
            LinkStyle::Pretty
        }
    }
}

/// How long each stage took.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Reading settings, theme and content.
    pub load: Duration,
    /// Markdown and highlighting.
    pub markdown: Duration,
    /// Verifying SQL examples (part of `load`).
    pub sql: Duration,
    /// Building the search index (part of `render`).
    pub search: Duration,
    /// Templates and writing.
    pub render: Duration,
}

/// What a successful build produced.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Pages written (book pages, not book-wide ones).
    pub pages: usize,
    /// Assets copied from `content/`.
    pub assets: usize,
    /// Every file written.
    pub files: usize,
    /// Nothing changed since the last build, which was left as it was.
    pub unchanged: bool,
    /// Files kept as they were from the last build (same bytes).
    pub kept: usize,
    /// Warnings.
    pub warnings: Diagnostics,
    /// Stage timings.
    pub timings: Timings,
    /// Verified SQL examples.
    pub sql: crate::sql::Stats,
}

/// A loaded and checked book, ready to be written.
pub struct Prepared {
    /// Settings.
    pub config: SiteConfig,
    /// The theme.
    pub theme: Theme,
    /// The compiled templates.
    pub renderer: Renderer,
    /// The book.
    pub book: Book,
    /// Rendered Markdown per node.
    pub rendered: Vec<Arc<Rendered>>,
    /// Resolved "what next?" choices per node: (label, target, anchor).
    pub choices: Vec<Choices>,
    /// Findings: warnings only, except in [`Mode::Check`].
    pub diags: Diagnostics,
    /// Link style.
    pub style: LinkStyle,
    /// Timings so far.
    pub timings: Timings,
    /// The output of SQL examples, for re-rendering pages (`serve`).
    pub sql: Arc<crate::sql::Outputs>,
    /// Verified SQL examples.
    pub sql_stats: crate::sql::Stats,
    /// Where `build` parked the pages' bodies (see [`crate::spool`]).
    pub spool: Option<Arc<crate::spool::Spool>>,
    /// Sidebars shared by the pages of a chapter.
    pub sidebars: nav::Sidebars,
}

impl Prepared {
    /// A copy to render from on another thread. Cheap: page sources and
    /// renders are shared, not copied; the spool and the sidebar cache stay
    /// behind.
    pub fn snapshot(&self) -> Prepared {
        Prepared {
            config: self.config.clone(),
            theme: self.theme.clone(),
            renderer: self.renderer.clone(),
            book: self.book.clone(),
            rendered: self.rendered.clone(),
            choices: self.choices.clone(),
            diags: self.diags.clone(),
            style: self.style,
            timings: self.timings.clone(),
            sql: self.sql.clone(),
            sql_stats: self.sql_stats.clone(),
            spool: None,
            sidebars: nav::Sidebars::default(),
        }
    }

    /// The body HTML of node `id`, from memory or from the spool.
    pub fn body(&self, id: NodeId) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        let r = &self.rendered[id];
        match (r.spooled, &self.spool) {
            (Some(slot), Some(spool)) => spool.get(slot).map(Into::into).map_err(|e| {
                Diagnostic::error(format!(
                    "cannot read back a page's body from the temporary file: {e}"
                ))
            }),
            _ => Ok(r.html.as_str().into()),
        }
    }
}

/// Steps 1 to 5: load, assemble, render Markdown, check. Errors stop here,
/// except that in [`Mode::Check`] errors found while assembling the book
/// (step 3) or in steps 4 and 5 (links, anchors, quizzes, `next:` targets)
/// are kept in [`Prepared::diags`] so the checker can report them alongside
/// its own findings.
pub fn prepare(opts: &BuildOptions) -> Result<Prepared, Diagnostics> {
    let started = Instant::now();
    crate::highlight::warm_up();
    let mut config = SiteConfig::load(&opts.dir).map_err(Diagnostics::from)?;
    if let Some(b) = &opts.base_url {
        config.set_base_url(b);
    }
    let (theme_result, (tree, mut diags)) = rayon::join(
        || {
            let theme = Theme::load(&opts.dir, &config.theme)?;
            let renderer = Renderer::new(&theme)?;
            Ok::<_, Diagnostics>((theme, renderer))
        },
        || source::load(&opts.dir, Some(&opts.out_dir())),
    );
    let (theme, renderer) = match theme_result {
        Ok(t) => t,
        Err(d) => {
            diags.extend(d);
            return Err(diags);
        }
    };
    let load_failed = diags.has_errors();
    let (book, book_diags) = Book::assemble(
        tree,
        AssembleOptions {
            drafts: opts.drafts,
        },
    );
    diags.extend(book_diags);
    // `check` goes on past assembly errors (clashing URLs, two landing
    // pages) to report more, but not past unreadable pages: without them,
    // every link to them would be reported as broken too.
    if diags.has_errors() && (load_failed || opts.mode != Mode::Check) {
        return Err(diags);
    }
    let sql = crate::sql::verify(&opts.dir, &config, &book, &sql_settings(opts));
    diags.extend(sql.diags);
    let load = started.elapsed();

    let started = Instant::now();
    let mut mo = MarkdownOptions::new(opts, &config);
    mo.sql = Arc::new(sql.outputs);
    // `build` parks each body on disk as soon as it is rendered.
    let spool = (opts.mode == Mode::Build)
        .then(|| crate::spool::Spool::beside(&opts.out_dir()))
        .flatten()
        .map(Arc::new);
    // Longest pages first, so that the last tasks of the two cores are
    // short ones and neither waits long for the other at the end.
    let mut order: Vec<NodeId> = (0..book.nodes.len()).collect();
    order.sort_by_key(|&id| std::cmp::Reverse(book.page_of(id).map_or(0, |p| p.text.len())));
    let mut done: Vec<(NodeId, Rendered)> = order
        .into_par_iter()
        .with_max_len(1)
        .map(|id| {
            let mut r = render_node(&book, id, &mo);
            if let Some(spool) = &spool {
                if !r.html.is_empty() {
                    if let Ok(slot) = spool.put(&r.html) {
                        r.html = String::new();
                        r.spooled = Some(slot);
                    }
                }
            }
            (id, r)
        })
        .collect();
    done.sort_unstable_by_key(|(id, _)| *id);
    let rendered: Vec<Arc<Rendered>> = done.into_iter().map(|(_, r)| Arc::new(r)).collect();
    for r in &rendered {
        diags.extend(r.diags.iter().cloned());
    }
    let (link_diags, choices) = check_links(&book, &rendered, mo.broken);
    diags.extend(link_diags);
    let style = mo.style;
    let markdown_time = started.elapsed();
    // `check` goes on past broken links so that it can report everything
    // at once; `build` and `serve` stop here.
    if diags.has_errors() && opts.mode != Mode::Check {
        return Err(diags);
    }
    Ok(Prepared {
        config,
        theme,
        renderer,
        book,
        rendered,
        choices,
        diags,
        style,
        timings: Timings {
            load,
            markdown: markdown_time,
            search: Duration::ZERO,
            render: Duration::ZERO,
            sql: sql.stats.time,
        },
        sql: mo.sql,
        sql_stats: sql.stats,
        spool,
        sidebars: nav::Sidebars::default(),
    })
}

/// What the SQL stage may do in this mode: `check` only reads the record,
/// `serve` verifies but writes nothing to disk.
fn sql_settings(opts: &BuildOptions) -> crate::sql::Settings {
    crate::sql::Settings {
        database_url: opts.database_url.clone(),
        recorded_only: opts.mode == Mode::Check,
        write_record: opts.mode == Mode::Build,
        warn_stale: opts.mode != Mode::Check,
    }
}

/// How Markdown is rendered for one build.
#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    /// Pretty or offline links.
    pub style: LinkStyle,
    /// The base URL's path.
    pub base_path: String,
    /// Severity of broken links (warnings under `serve`).
    pub broken: Severity,
    /// The output of SQL examples.
    pub sql: Arc<crate::sql::Outputs>,
}

impl MarkdownOptions {
    /// The options `opts` implies for `config`.
    pub fn new(opts: &BuildOptions, config: &SiteConfig) -> Self {
        MarkdownOptions {
            style: opts.style(),
            base_path: config.base_path(),
            broken: if opts.mode == Mode::Serve {
                Severity::Warning
            } else {
                Severity::Error
            },
            sql: Arc::default(),
        }
    }
}

/// Render the Markdown of node `id` (an empty result for chapters without
/// a landing page).
pub fn render_node(book: &Book, id: NodeId, mo: &MarkdownOptions) -> Rendered {
    match book.page_of(id) {
        Some(p) => markdown::render(&PageContext {
            book,
            node: id,
            style: mo.style,
            base_path: &mo.base_path,
            file: &p.shown,
            text: &p.text,
            body_offset: p.body_offset,
            broken_link: mo.broken,
            sql_outputs: mo.sql.for_page(p),
        }),
        None => Rendered::default(),
    }
}

/// Resolved "what next?" choices of one page: (label, target, anchor).
pub type Choices = Vec<(String, NodeId, String)>;

/// Check every link to an anchor and every "what next?" target, once all
/// pages are rendered. Returns the findings and the resolved choices.
pub fn check_links(
    book: &Book,
    rendered: &[Arc<Rendered>],
    severity: Severity,
) -> (Diagnostics, Vec<Choices>) {
    let mut diags = Diagnostics::new();
    check_anchors(book, rendered, severity, &mut diags);
    let choices = resolve_choices(book, rendered, severity, &mut diags);
    (diags, choices)
}

fn check_anchors(
    book: &Book,
    rendered: &[Arc<Rendered>],
    severity: Severity,
    diags: &mut Diagnostics,
) {
    // Every id of a page, gathered once per linked page: searching the
    // page's HTML once per link was quadratic on big pages (issue 6).
    let mut ids: std::collections::HashMap<NodeId, std::collections::HashSet<&str>> =
        std::collections::HashMap::new();
    for (id, r) in rendered.iter().enumerate() {
        let Some(page) = book.page_of(id) else {
            continue;
        };
        for a in &r.anchor_refs {
            let target = &rendered[a.target];
            let known = ids.entry(a.target).or_insert_with(|| {
                target
                    .headings
                    .iter()
                    .map(|h| h.id.as_str())
                    .chain(target.html_ids.iter().map(String::as_str))
                    .collect()
            });
            if known.contains(a.anchor.as_str()) {
                continue;
            }
            let target_file = book.page_of(a.target).map_or_else(
                || book.nodes[a.target].url.clone(),
                |p| p.shown.display().to_string(),
            );
            let mut d = Diagnostic::error(format!(
                "the link `{}` points to the anchor `#{}`, which {} does not have{}",
                a.written,
                a.anchor,
                target_file,
                suggest_anchor(&a.anchor, target)
            ))
            .in_file(&page.shown)
            .at(a.line, a.column);
            d.severity = severity;
            diags.push(d);
        }
    }
}

/// Headings beyond which no "did you mean" is computed (each suggestion
/// compares against every heading).
const MAX_SUGGESTION_CANDIDATES: usize = 2000;

fn suggest_anchor(anchor: &str, target: &Rendered) -> String {
    let ids: Vec<&str> = target.headings.iter().map(|h| h.id.as_str()).collect();
    if ids.len() > MAX_SUGGESTION_CANDIDATES {
        return String::new();
    }
    match crate::yaml::closest(anchor, &ids) {
        Some(best) => format!("; did you mean `#{best}`?"),
        None if ids.is_empty() => " (it has no headings)".into(),
        None => format!(
            "; its headings are {}",
            ids.iter()
                .take(8)
                .map(|i| format!("`#{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn resolve_choices(
    book: &Book,
    rendered: &[Arc<Rendered>],
    severity: Severity,
    diags: &mut Diagnostics,
) -> Vec<Choices> {
    let mut all = vec![Vec::new(); book.nodes.len()];
    for (id, slot) in all.iter_mut().enumerate() {
        let Some(page) = book.page_of(id) else {
            continue;
        };
        for n in &page.front.next {
            let line = page.value_line("page", &n.page);
            let fail = |msg: String| {
                let mut d = Diagnostic::error(msg).in_file(&page.shown).at(line, 1);
                d.severity = severity;
                d
            };
            if !n.page.ends_with(".md") && !n.page.contains(".md#") && !n.page.ends_with('/') {
                diags.push(fail(format!(
                    "`next:` page `{}` is not a page; expected a relative path to a .md file",
                    n.page
                )));
                continue;
            }
            let (path, anchor) = match n.page.split_once('#') {
                Some((p, a)) => (p, a.to_string()),
                None => (n.page.as_str(), String::new()),
            };
            let Some(target) = url::resolve(&book.nodes[id].folder, &url::percent_decode(path))
            else {
                diags.push(fail(format!(
                    "`next:` page `{}` climbs above content/",
                    n.page
                )));
                continue;
            };
            let target_id = book.by_source.get(target.trim_end_matches('/')).copied();
            match target_id {
                Some(t) => {
                    if !anchor.is_empty() && !rendered[t].has_id(&anchor) {
                        diags.push(fail(format!(
                            "`next:` page `{}` points to the anchor `#{anchor}`, which the page \
                             does not have{}",
                            n.page,
                            suggest_anchor(&anchor, &rendered[t])
                        )));
                        continue;
                    }
                    slot.push((n.label.clone(), t, anchor));
                }
                None => {
                    let why = if book.drafts.contains(&target) {
                        "is a draft left out of this build (use --drafts)"
                    } else {
                        "does not exist"
                    };
                    diags.push(fail(format!(
                        "`next:` page `{}` (content/{target}) {why}; expected an existing .md file",
                        n.page
                    )));
                }
            }
        }
    }
    all
}

/// Where built files go.
pub trait Sink: Sync {
    /// Write `bytes` at the site-relative path `rel`.
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Copy the file at `src` to `rel`.
    fn copy(&self, rel: &str, src: &Path) -> io::Result<()>;
    /// Write the file at `rel` from what `fill` writes, piece by piece: a
    /// sink on disk streams it, so a big file (`print/` is 200 MB at
    /// 10,000 pages) is never whole in memory. By default the pieces are
    /// gathered and handed to [`Sink::write`].
    fn write_with(&self, rel: &str, fill: &mut Fill<'_>) -> io::Result<()> {
        let mut bytes = Vec::new();
        fill(&mut bytes)?;
        self.write(rel, &bytes)
    }
}

/// Writes a file's content for [`Sink::write_with`].
pub type Fill<'a> = dyn FnMut(&mut dyn io::Write) -> io::Result<()> + 'a;

/// Counts the files written through it.
struct Counting<'a> {
    inner: &'a dyn Sink,
    count: std::sync::atomic::AtomicUsize,
}

impl<'a> Counting<'a> {
    fn new(inner: &'a dyn Sink) -> Counting<'a> {
        Counting {
            inner,
            count: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    fn add(&self) {
        self.count
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

impl Sink for Counting<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.add();
        self.inner.write(rel, bytes)
    }
    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        self.add();
        self.inner.copy(rel, src)
    }
    fn write_with(&self, rel: &str, fill: &mut Fill<'_>) -> io::Result<()> {
        self.add();
        self.inner.write_with(rel, fill)
    }
}

/// Writes into a folder on disk (the staging folder of a build), keeping
/// from the site it replaces every file whose bytes did not change.
pub struct DiskSink<'a> {
    /// The folder.
    pub root: &'a Path,
    /// The site being replaced, and what its manifest says was written.
    pub previous: Option<&'a Previous>,
    /// What was written so far, for the new manifest.
    written: std::sync::Mutex<HashMap<String, Entry>>,
    /// Files kept from the previous site.
    kept: std::sync::atomic::AtomicUsize,
}

impl<'a> DiskSink<'a> {
    /// A sink into `root`, replacing the site `previous` describes.
    pub fn new(root: &'a Path, previous: Option<&'a Previous>) -> DiskSink<'a> {
        DiskSink {
            root,
            previous,
            written: Default::default(),
            kept: Default::default(),
        }
    }

    /// Record `rel` as written with `entry` and, if the site being replaced
    /// has the same bytes there, put its file in place with `link`.
    /// Returns whether it did.
    fn record(
        &self,
        rel: &str,
        entry: Entry,
        link: fn(&Path, &str, &Path) -> io::Result<()>,
    ) -> bool {
        if let Ok(mut w) = self.written.lock() {
            w.insert(rel.to_string(), entry);
        }
        let kept = self
            .previous
            .and_then(|p| p.unchanged(rel, entry))
            .is_some_and(|old| link(self.root, rel, &old).is_ok());
        if kept {
            self.kept.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        kept
    }

    /// The files written (and kept), and how many were kept.
    pub fn finish(self) -> (HashMap<String, Entry>, usize) {
        (
            self.written.into_inner().unwrap_or_default(),
            self.kept.into_inner(),
        )
    }
}

impl Sink for DiskSink<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if self.record(rel, Entry::of(bytes), output::link_file) {
            return Ok(());
        }
        output::write_file(self.root, rel, bytes)
    }
    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        let bytes = std::fs::read(src)?;
        self.write(rel, &bytes)
    }
    fn write_with(&self, rel: &str, fill: &mut Fill<'_>) -> io::Result<()> {
        // Written already (it was streamed): the old file, if it has the
        // same bytes, replaces it.
        let entry = output::write_file_with(self.root, rel, fill)?;
        self.record(rel, entry, output::replace_with_link);
        Ok(())
    }
}

/// The error for a file that could not be written.
pub fn io_err(rel: &str, e: io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write {rel}: {e}"))
}

/// Render the HTML of book node `id`.
pub fn render_page(p: &Prepared, site: &SiteView, id: NodeId) -> Result<Vec<u8>, Diagnostic> {
    let input = ViewInput {
        book: &p.book,
        config: &p.config,
        style: p.style,
        rendered: &p.rendered,
    };
    let n = &p.book.nodes[id];
    let mut view = context::page_view(&input, id, &p.choices[id]);
    if p.rendered[id].spooled.is_some() {
        view.body = p.body(id)?.into_owned();
    }
    let links = Links::new(&n.url, p.style, None);
    let mut c = pages::base_context(
        site,
        &links,
        &p.sidebars.get(&p.book, id, p.style),
        &view.title,
        &n.url,
    );
    c.insert("page", &view);
    let template = match n.kind {
        NodeKind::Home => "home.html",
        NodeKind::Chapter => "chapter.html",
        NodeKind::Page => "page.html",
    };
    Ok(p.renderer.render(template, &c)?.into_bytes())
}

/// The site-wide template values of a prepared book.
pub fn site_view(p: &Prepared) -> SiteView {
    SiteView::new(&p.config, p.theme.hash())
}

/// Step 6: render every page and book-wide file into `sink`. Returns the
/// number of files written.
pub fn write_site(p: &Prepared, sink: &dyn Sink) -> Result<usize, Diagnostics> {
    let sink = Counting::new(sink);
    write_book(p, &sink)?;
    write_search(&SearchIndex::build(&p.book, &p.rendered), &sink)?;
    Ok(sink.count.into_inner())
}

/// Every file but the search index's: the pages, the assets and the other
/// book-wide files.
fn write_book(p: &Prepared, sink: &dyn Sink) -> Result<(), Diagnostics> {
    let site = site_view(p);
    let write = |rel: &str, bytes: &[u8]| -> Result<(), Diagnostic> {
        sink.write(rel, bytes).map_err(|e| io_err(rel, e))
    };

    // Book pages, in parallel.
    let results: Vec<Result<(), Diagnostic>> = p
        .book
        .order
        .par_iter()
        .map(|&id| {
            let html = render_page(p, &site, id)?;
            write(&url::page_file(&p.book.nodes[id].url), &html)
        })
        .collect();
    let mut diags = Diagnostics::new();
    diags.extend(results.into_iter().filter_map(Result::err));
    if diags.has_errors() {
        return Err(diags);
    }

    // Assets from content/.
    let copied: Vec<Result<(), Diagnostic>> = p
        .book
        .assets
        .par_iter()
        .map(|a| {
            sink.copy(&a.out, &a.source.path).map_err(|e| {
                Diagnostic::error(format!("cannot copy this file to {}: {e}", a.out))
                    .in_file(PathBuf::from("content").join(&a.source.rel))
            })
        })
        .collect();
    diags.extend(copied.into_iter().filter_map(Result::err));
    if let Err(d) = write_book_wide(p, &site, sink) {
        diags.extend(d);
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(())
}

/// The search index's files.
fn write_search(search: &SearchIndex, sink: &dyn Sink) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::new();
    for (rel, text) in &search.files {
        if let Err(e) = sink.write(rel, text.as_bytes()) {
            diags.push(io_err(rel, e));
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(())
    }
}

/// The files that depend on the whole book rather than one page: theme
/// assets, `toc.js`, the search index and the book-wide pages.
pub fn write_shared(p: &Prepared, site: &SiteView, sink: &dyn Sink) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::new();
    if let Err(d) = write_book_wide(p, site, sink) {
        diags.extend(d);
    }
    if let Err(d) = write_search(&SearchIndex::build(&p.book, &p.rendered), sink) {
        diags.extend(d);
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(())
    }
}

/// [`write_shared`] but the search index.
fn write_book_wide(p: &Prepared, site: &SiteView, sink: &dyn Sink) -> Result<(), Diagnostics> {
    let write = |rel: &str, bytes: &[u8]| -> Result<(), Diagnostic> {
        sink.write(rel, bytes).map_err(|e| io_err(rel, e))
    };
    let mut diags = Diagnostics::new();
    let mut run = |r: Result<(), Diagnostic>| {
        if let Err(d) = r {
            diags.push(d);
        }
    };
    for (name, file) in &p.theme.statics {
        run(write(&format!("assets/{name}"), &file.bytes));
    }
    run(write(
        "assets/highlight.css",
        crate::highlight::stylesheet().as_bytes(),
    ));
    run(write("toc.js", nav::toc_script(&p.book).as_bytes()));
    if let Err(d) = pages::write_all(p, site, sink) {
        diags.extend(d);
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(())
    }
}

/// `openbook build`: prepare, write to a staging folder, swap it in.
pub fn build(opts: &BuildOptions) -> Result<Summary, Diagnostics> {
    let dest = opts.out_dir();
    output::check_destination(&opts.dir, &dest).map_err(Diagnostics::from)?;
    let previous = Manifest::read(&dest);
    let inputs = fingerprint(opts);
    if let (Some(prev), Some(inputs)) = (&previous, &inputs) {
        let m = &prev.manifest;
        if m.inputs.as_ref() == Some(inputs) && m.warnings == 0 && prev.intact() {
            return Ok(Summary {
                pages: m.pages,
                assets: m.assets,
                files: m.files,
                unchanged: true,
                kept: m.files,
                ..Summary::default()
            });
        }
    }
    let mut prepared = prepare(opts)?;
    let started = Instant::now();
    let staging = output::Staging::new(&dest).map_err(|e| {
        Diagnostics::from(Diagnostic::error(format!(
            "cannot create a staging folder beside {}: {e}",
            dest.display()
        )))
    })?;
    let sink = DiskSink::new(staging.path(), previous.as_ref());
    // The search index needs the pages' text, not their HTML: it is built
    // on the other core while the pages are written.
    let (written, (search, search_time)) = rayon::join(
        || write_book(&prepared, &sink),
        || {
            let started = Instant::now();
            let search = SearchIndex::build(&prepared.book, &prepared.rendered);
            (search, started.elapsed())
        },
    );
    written?;
    prepared.timings.search = search_time;
    write_search(&search, &sink)?;
    drop(search);
    let (outputs, kept) = sink.finish();
    let files = outputs.len();
    let manifest = Manifest {
        generator: concat!("openbook ", env!("CARGO_PKG_VERSION")).into(),
        pages: prepared.book.nodes.len(),
        assets: prepared.book.assets.len(),
        files,
        warnings: prepared.diags.warning_count(),
        // Outputs that came from a database are not a function of the
        // files alone.
        inputs: inputs.filter(|_| prepared.sql_stats.verified == 0),
        outputs,
    };
    output::write_file(staging.path(), output::MANIFEST, &manifest.to_json())
        .map_err(|e| Diagnostics::from(io_err(output::MANIFEST, e)))?;
    staging.commit().map_err(|e| {
        Diagnostics::from(Diagnostic::error(format!(
            "cannot move the new site into {}: {e}",
            dest.display()
        )))
    })?;
    prepared.timings.render = started.elapsed();
    Ok(Summary {
        pages: prepared.book.nodes.len(),
        assets: prepared.book.assets.len(),
        files,
        unchanged: false,
        kept,
        warnings: prepared.diags,
        timings: prepared.timings,
        sql: prepared.sql_stats,
    })
}

/// The fingerprint of everything `opts` would build from, or `None` when
/// the build depends on more than files: a database to verify SQL
/// examples against.
fn fingerprint(opts: &BuildOptions) -> Option<String> {
    let config = SiteConfig::load(&opts.dir).ok()?;
    if crate::sql::database_url(opts.database_url.as_deref(), &config).is_some() {
        return None;
    }
    let options = format!(
        "base_url={:?} drafts={} offline={}",
        opts.base_url, opts.drafts, opts.offline
    );
    let setup = config.sql.as_ref().and_then(|s| s.setup.as_deref());
    source::fingerprint::inputs(&opts.dir, &options, setup).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_defaults_to_public() {
        let o = BuildOptions::new("/x");
        assert_eq!(o.out_dir(), PathBuf::from("/x/public"));
    }

    #[test]
    fn summary_counts() {
        let s = Summary::default();
        assert_eq!(s.pages, 0);
        let _ = Severity::Warning;
        let _ = source::is_ignored_name;
    }
}
