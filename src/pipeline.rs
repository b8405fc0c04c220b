//! The build pipeline shared by `build`, `check` and `serve`:
//!
//! 1. read `site.yaml` ([`crate::config`]) and the theme ([`crate::theme`]);
//! 2. walk `content/` and parse front matter ([`crate::source`]);
//! 3. assemble the chapter tree, URLs and reading order ([`crate::book`]);
//! 4. render every page's Markdown in parallel ([`crate::markdown`]);
//! 5. check links, anchors and "what next?" targets;
//! 6. render templates and book-wide pages, and hand every output file to a
//!    [`Sink`] (a staging folder on disk, or memory for `serve`).
//!
//! Nothing is written until steps 1-5 found no error.

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::book::url::{self, LinkStyle};
use crate::book::{AssembleOptions, Book, NodeId, NodeKind};
use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::markdown::{self, PageContext, Rendered};
use crate::output;
use crate::pages;
use crate::render::context::{self, Links, SiteView, ViewInput};
use crate::render::{nav, Renderer};
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
    /// Building the search index.
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
    /// Warnings.
    pub warnings: Diagnostics,
    /// Stage timings.
    pub timings: Timings,
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
    pub rendered: Vec<Rendered>,
    /// Resolved "what next?" choices per node: (label, target, anchor).
    pub choices: Vec<Vec<(String, NodeId, String)>>,
    /// Findings (warnings only, if this exists).
    pub diags: Diagnostics,
    /// The search index.
    pub search: crate::search::SearchIndex,
    /// Link style.
    pub style: LinkStyle,
    /// Timings so far.
    pub timings: Timings,
}

/// Steps 1 to 5: load, assemble, render Markdown, check. Errors stop here.
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
    let (book, book_diags) = Book::assemble(
        tree,
        AssembleOptions {
            drafts: opts.drafts,
        },
    );
    diags.extend(book_diags);
    if diags.has_errors() {
        return Err(diags);
    }
    let load = started.elapsed();

    let started = Instant::now();
    let style = opts.style();
    let base_path = config.base_path();
    let broken = if opts.mode == Mode::Serve {
        Severity::Warning
    } else {
        Severity::Error
    };
    let rendered: Vec<Rendered> = (0..book.nodes.len())
        .into_par_iter()
        .map(|id| match book.page_of(id) {
            Some(p) => markdown::render(&PageContext {
                book: &book,
                node: id,
                style,
                base_path: &base_path,
                file: &p.shown,
                text: &p.text,
                body_offset: p.body_offset,
                broken_link: broken,
                sql_outputs: None,
            }),
            None => Rendered::default(),
        })
        .collect();
    for r in &rendered {
        diags.extend(r.diags.iter().cloned());
    }
    check_anchors(&book, &rendered, broken, &mut diags);
    let choices = resolve_choices(&book, &rendered, broken, &mut diags);
    let markdown_time = started.elapsed();
    if diags.has_errors() {
        return Err(diags);
    }
    let started = Instant::now();
    let search = if opts.mode == Mode::Check {
        crate::search::SearchIndex::default()
    } else {
        crate::search::SearchIndex::build(&book, &rendered)
    };
    let search_time = started.elapsed();
    Ok(Prepared {
        search,
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
            search: search_time,
            render: Duration::ZERO,
        },
    })
}

fn check_anchors(book: &Book, rendered: &[Rendered], severity: Severity, diags: &mut Diagnostics) {
    for (id, r) in rendered.iter().enumerate() {
        let Some(page) = book.page_of(id) else {
            continue;
        };
        for a in &r.anchor_refs {
            let target = &rendered[a.target];
            if target.headings.iter().any(|h| h.id == a.anchor)
                || target.html.contains(&format!("id=\"{}\"", a.anchor))
            {
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

fn suggest_anchor(anchor: &str, target: &Rendered) -> String {
    let ids: Vec<&str> = target.headings.iter().map(|h| h.id.as_str()).collect();
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
    rendered: &[Rendered],
    severity: Severity,
    diags: &mut Diagnostics,
) -> Vec<Vec<(String, NodeId, String)>> {
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
                    if !anchor.is_empty() && !rendered[t].headings.iter().any(|h| h.id == anchor) {
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
}

/// Writes into a folder on disk.
pub struct DiskSink<'a> {
    /// The folder.
    pub root: &'a Path,
}

impl Sink for DiskSink<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        output::write_file(self.root, rel, bytes)
    }
    fn copy(&self, rel: &str, src: &Path) -> io::Result<()> {
        output::copy_file(self.root, rel, src)
    }
}

fn io_err(rel: &str, e: io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot write {rel}: {e}"))
}

/// Step 6: render every page and book-wide file into `sink`. Returns the
/// number of files written.
pub fn write_site(p: &Prepared, sink: &dyn Sink) -> Result<usize, Diagnostics> {
    let mut site = SiteView::new(&p.config, p.theme.hash());
    site.search_version.clone_from(&p.search.version);
    let input = ViewInput {
        book: &p.book,
        config: &p.config,
        style: p.style,
        rendered: &p.rendered,
    };
    let count = std::sync::atomic::AtomicUsize::new(0);
    let write = |rel: &str, bytes: &[u8]| -> Result<(), Diagnostic> {
        count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        sink.write(rel, bytes).map_err(|e| io_err(rel, e))
    };

    // Book pages, in parallel.
    let results: Vec<Result<(), Diagnostic>> = p
        .book
        .order
        .par_iter()
        .map(|&id| {
            let n = &p.book.nodes[id];
            let view = context::page_view(&input, id, &p.choices[id]);
            let links = Links::new(&n.url, p.style, None);
            let mut c = pages::base_context(
                &site,
                &links,
                &nav::sidebar(&p.book, id, p.style),
                &view.title,
                &n.url,
            );
            c.insert("page", &view);
            let template = match n.kind {
                NodeKind::Home => "home.html",
                NodeKind::Chapter => "chapter.html",
                NodeKind::Page => "page.html",
            };
            let html = p.renderer.render(template, &c)?;
            write(&url::page_file(&n.url), html.as_bytes())
        })
        .collect();
    let mut diags = Diagnostics::new();
    for r in results {
        if let Err(d) = r {
            diags.push(d);
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }

    // Assets from content/.
    let copied: Vec<Result<(), Diagnostic>> = p
        .book
        .assets
        .par_iter()
        .map(|a| {
            count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            sink.copy(&a.out, &a.source.path).map_err(|e| {
                Diagnostic::error(format!("cannot copy this file to {}: {e}", a.out))
                    .in_file(PathBuf::from("content").join(&a.source.rel))
            })
        })
        .collect();
    diags.extend(copied.into_iter().filter_map(Result::err));

    // Theme assets and generated shared files.
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
    for (rel, text) in &p.search.files {
        run(write(rel, text.as_bytes()));
    }
    if let Err(d) = pages::write_all(p, &site, &write) {
        diags.extend(d);
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(count.into_inner())
}

/// `openbook build`: prepare, write to a staging folder, swap it in.
pub fn build(opts: &BuildOptions) -> Result<Summary, Diagnostics> {
    let dest = opts.out_dir();
    output::check_destination(&opts.dir, &dest).map_err(Diagnostics::from)?;
    let mut prepared = prepare(opts)?;
    let started = Instant::now();
    let staging = output::Staging::new(&dest).map_err(|e| {
        Diagnostics::from(Diagnostic::error(format!(
            "cannot create a staging folder beside {}: {e}",
            dest.display()
        )))
    })?;
    let files = write_site(
        &prepared,
        &DiskSink {
            root: staging.path(),
        },
    )?;
    let manifest = serde_json::json!({
        "generator": concat!("openbook ", env!("CARGO_PKG_VERSION")),
        "pages": prepared.book.nodes.len(),
        "files": files,
    });
    output::write_file(
        staging.path(),
        output::MANIFEST,
        manifest.to_string().as_bytes(),
    )
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
        warnings: prepared.diags,
        timings: prepared.timings,
    })
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
