//! Markdown to HTML, one page at a time.
//!
//! pulldown-cmark parses CommonMark plus tables, footnotes, strikethrough,
//! task lists, heading attributes and GitHub's `> [!NOTE]` alerts. The
//! event stream is then rewritten in one pass:
//!
//! 1. headings get unique GitHub-style ids and an anchor link;
//! 2. links and images to source files are rewritten to published URLs
//!    ([`links`]), broken ones reported with file, line and column;
//! 3. fenced code is highlighted ([`crate::highlight`]), ```` ```quiz ````
//!    blocks become widgets ([`quiz`]), ```` ```sql run ```` blocks get their
//!    recorded output;
//! 4. admonitions and tables get their wrappers;
//! 5. the text of each section is collected for the search index.

pub mod blocks;
pub mod headings;
pub mod links;
pub mod quiz;

use std::path::Path;

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::book::url::LinkStyle;
use crate::book::{Book, NodeId};
use crate::diag::{Diagnostic, LineIndex, Severity};
use blocks::FenceInfo;
use headings::{Heading, IdSet};
use links::{LinkContext, Resolved, Target};

/// The parser options every page is read with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// A link to an anchor on some page, to check once all pages are rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorRef {
    /// The page that must have the anchor.
    pub target: NodeId,
    /// The anchor, without `#`.
    pub anchor: String,
    /// The link as written.
    pub written: String,
    /// Where the link is (file line, column).
    pub line: usize,
    /// Column.
    pub column: usize,
}

/// A stretch of a page under one heading, for search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// The heading's id (`` for the text before the first heading).
    pub anchor: String,
    /// The heading's text (`` for the first section).
    pub title: String,
    /// The section's plain text.
    pub text: String,
}

/// A ```` ```sql run ```` block found on a page, in page order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlBlock {
    /// The SQL.
    pub code: String,
    /// The 1-based file line of the first line of SQL.
    pub line: usize,
    /// `run`, `setup` or `expect-error`.
    pub mode: SqlMode,
}

/// How a verified SQL block is run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SqlMode {
    /// Must succeed; output shown.
    Run,
    /// Must succeed; shown collapsed.
    Setup,
    /// Must fail; the error is shown.
    ExpectError,
}

/// The result of rendering one page's Markdown.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The body HTML.
    pub html: String,
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Links to anchors, to check later.
    pub anchor_refs: Vec<AnchorRef>,
    /// Root-relative links (`/x`), checked by `check`.
    pub root_links: Vec<(String, usize, usize)>,
    /// External links (`https://...`, `mailto:`...) as written, with file
    /// line and column, for `check --external`.
    pub external_links: Vec<(String, usize, usize)>,
    /// Text by section, for search.
    pub sections: Vec<Section>,
    /// Problems found.
    pub diags: Vec<Diagnostic>,
    /// Number of quizzes.
    pub quizzes: usize,
    /// Verified SQL blocks.
    pub sql_blocks: Vec<SqlBlock>,
    /// Local image and asset paths that were linked, for `check`.
    pub assets_used: Vec<String>,
    /// Every rewritten link: the `href` as emitted and what it leads to
    /// (the print page re-targets them).
    pub links: Vec<(String, Target)>,
    /// Ids written in raw HTML (`<a id="x">`), which links may target too.
    pub html_ids: Vec<String>,
    /// Where `html` was parked while `build` checks the book (`html` is
    /// then empty; see [`crate::spool`]).
    pub spooled: Option<crate::spool::Slot>,
}

impl Rendered {
    /// True if the page has an element with this id (a heading, or an id
    /// in raw HTML).
    pub fn has_id(&self, id: &str) -> bool {
        self.headings.iter().any(|h| h.id == id) || self.html_ids.iter().any(|i| i == id)
    }
}

/// Ids in a fragment of raw HTML.
fn ids_in(html: &str, out: &mut Vec<String>) {
    let mut rest = html;
    while let Some(i) = rest.find("id=") {
        let after = &rest[i + 3..];
        let preceded_ok = i == 0 || rest[..i].ends_with(char::is_whitespace);
        let quote = after.chars().next();
        if let (true, Some(q @ ('"' | '\''))) = (preceded_ok, quote) {
            if let Some(end) = after[1..].find(q) {
                out.push(after[1..1 + end].to_string());
            }
        }
        rest = after;
    }
}

/// Everything the renderer needs to know about the page being rendered.
pub struct PageContext<'a> {
    /// The book (for link targets).
    pub book: &'a Book,
    /// The page.
    pub node: NodeId,
    /// Pretty or offline links.
    pub style: LinkStyle,
    /// The base URL's path.
    pub base_path: &'a str,
    /// The file, as shown in messages.
    pub file: &'a Path,
    /// The whole file text (for line numbers).
    pub text: &'a str,
    /// Byte offset of the body in `text`.
    pub body_offset: usize,
    /// Severity of a broken link (an error in `build`, a warning in
    /// `serve`).
    pub broken_link: Severity,
    /// Pre-rendered output of each ```` ```sql run ```` block, in order.
    pub sql_outputs: Option<&'a [String]>,
}

struct HeadingState<'a> {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<String>,
    events: Vec<Event<'a>>,
    text: String,
}

struct CodeState {
    info: FenceInfo,
    text: String,
    start: usize,
}

/// Render the body of a page.
pub fn render(cx: &PageContext<'_>) -> Rendered {
    let body = &cx.text[cx.body_offset..];
    let lines = LineIndex::new(cx.text);
    let locate = |offset: usize| lines.locate(cx.text, cx.body_offset + offset);
    let link_cx = LinkContext {
        book: cx.book,
        node: cx.node,
        folder: &cx.book.nodes[cx.node].folder,
        style: cx.style,
        base_path: cx.base_path,
    };
    let mut r = Rendered {
        sections: vec![Section::default()],
        ..Rendered::default()
    };
    let mut ids = IdSet::default();
    // Ids the templates use on every page.
    for id in [
        "content",
        "main",
        "top",
        "search",
        "sidebar",
        "toc",
        "page-title",
    ] {
        ids.reserve(id);
    }
    let mut out: Vec<Event<'_>> = Vec::new();
    let mut heading: Option<HeadingState<'_>> = None;
    let mut code: Option<CodeState> = None;
    let mut run_index = 0usize;
    let mut in_image = 0usize;

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Some(c) = code.as_mut() {
            match event {
                Event::Text(t) => c.text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let c = code.take().expect("in a code block");
                    let html = code_block(cx, &mut r, c, &locate, &mut run_index);
                    out.push(Event::Html(html.into()));
                }
                _ => {}
            }
            continue;
        }
        let event = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = rewrite(&link_cx, cx, &mut r, &dest_url, locate(range.start), false);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest.unwrap_or(dest_url),
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                in_image += 1;
                let dest = rewrite(&link_cx, cx, &mut r, &dest_url, locate(range.start), true);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest.unwrap_or(dest_url),
                    title,
                    id,
                })
            }
            Event::End(TagEnd::Image) => {
                in_image = in_image.saturating_sub(1);
                Event::End(TagEnd::Image)
            }
            // A task list's box needs a name for screen readers.
            Event::TaskListMarker(done) => Event::InlineHtml(
                if done {
                    "<input type=\"checkbox\" disabled checked aria-label=\"Done\">"
                } else {
                    "<input type=\"checkbox\" disabled aria-label=\"To do\">"
                }
                .into(),
            ),
            other => other,
        };
        if let Event::Html(h) | Event::InlineHtml(h) = &event {
            ids_in(h, &mut r.html_ids);
        }
        // Text for search and heading titles.
        if let Event::Text(t) | Event::Code(t) = &event {
            if let Some(h) = heading.as_mut() {
                h.text.push_str(t);
            } else if in_image == 0 {
                let s = r.sections.last_mut().expect("a section exists");
                s.text.push_str(t);
            }
        }
        if matches!(
            event,
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item)
        ) && heading.is_none()
        {
            let s = r.sections.last_mut().expect("a section exists");
            if !s.text.ends_with(' ') {
                s.text.push(' ');
            }
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs: _,
            }) => {
                heading = Some(HeadingState {
                    level,
                    id: id.map(|s| s.to_string()),
                    classes: classes.into_iter().map(|c| c.to_string()).collect(),
                    events: Vec::new(),
                    text: String::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                let h = heading.take().expect("in a heading");
                out.push(Event::Html(finish_heading(h, &mut ids, &mut r).into()));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(i) => FenceInfo::parse(&i),
                    pulldown_cmark::CodeBlockKind::Indented => FenceInfo::default(),
                };
                code = Some(CodeState {
                    info,
                    text: String::new(),
                    start: range.start,
                });
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                out.push(Event::Html(blocks::admonition_open(kind).into()));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                out.push(Event::Html(blocks::ADMONITION_CLOSE.into()));
            }
            Event::Start(Tag::Table(a)) => {
                out.push(Event::Html("<div class=\"table-wrap\">".into()));
                out.push(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::Table) => {
                out.push(Event::End(TagEnd::Table));
                out.push(Event::Html("</div>\n".into()));
            }
            e => match heading.as_mut() {
                Some(h) => h.events.push(e),
                None => out.push(e),
            },
        }
    }
    let mut html_out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut html_out, out.into_iter());
    // Every page's body is kept until the book-wide pages are written; a
    // string grown by doubling holds a third more than it needs (130 MB
    // at 10,000 pages).
    html_out.shrink_to_fit();
    r.html = html_out;
    for s in &mut r.sections {
        s.text = collapse_spaces(&s.text);
    }
    r.sections
        .retain(|s| !s.text.is_empty() || !s.anchor.is_empty());
    r
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn finish_heading(h: HeadingState<'_>, ids: &mut IdSet, r: &mut Rendered) -> String {
    let id = match h.id {
        Some(explicit) => {
            ids.reserve(&explicit);
            explicit
        }
        None => ids.unique(&h.text),
    };
    let mut inner = String::new();
    html::push_html(&mut inner, h.events.into_iter());
    let level = h.level as u8;
    let class = if h.classes.is_empty() {
        String::new()
    } else {
        format!(
            " class=\"{}\"",
            crate::highlight::escape(&h.classes.join(" "))
        )
    };
    let text = collapse_spaces(&h.text);
    if level >= 2 {
        r.sections.push(Section {
            anchor: id.clone(),
            title: text.clone(),
            text: String::new(),
        });
    }
    let out = format!(
        "<h{level} id=\"{id}\"{class}>{inner}<a class=\"heading-anchor\" href=\"#{id}\" \
         aria-label=\"Link to this section: {}\">#</a></h{level}>\n",
        crate::highlight::escape(&text)
    );
    r.headings.push(Heading {
        level,
        id,
        text,
        html: inner,
    });
    out
}

fn rewrite<'a>(
    link_cx: &LinkContext<'_>,
    cx: &PageContext<'_>,
    r: &mut Rendered,
    dest: &str,
    (line, column): (usize, usize),
    image: bool,
) -> Option<CowStr<'a>> {
    match links::resolve(link_cx, dest) {
        Resolved::Unchanged => {
            if links::is_external(dest) {
                r.external_links.push((dest.to_string(), line, column));
            }
            None
        }
        Resolved::Rewritten { href, target } => {
            match &target {
                Target::Page(node, Some(anchor)) => r.anchor_refs.push(AnchorRef {
                    target: *node,
                    anchor: anchor.clone(),
                    written: dest.to_string(),
                    line,
                    column,
                }),
                Target::Page(_, None) => {}
                Target::Asset(_) => r.assets_used.push(dest.to_string()),
            }
            r.links.push((href.clone(), target));
            Some(href.into())
        }
        Resolved::RootRelative(href) => {
            r.root_links.push((dest.to_string(), line, column));
            Some(href.into())
        }
        Resolved::Broken(msg) => {
            let msg = if image {
                msg.replace("the link", "the image")
            } else {
                msg
            };
            let mut d = Diagnostic::error(msg).in_file(cx.file).at(line, column);
            d.severity = cx.broken_link;
            r.diags.push(d);
            None
        }
    }
}

fn code_block(
    cx: &PageContext<'_>,
    r: &mut Rendered,
    c: CodeState,
    locate: &dyn Fn(usize) -> (usize, usize),
    run_index: &mut usize,
) -> String {
    let (fence_line, _) = locate(c.start);
    if c.info.lang == "quiz" {
        r.quizzes += 1;
        return match quiz::parse(&c.text, cx.file, fence_line + 1) {
            Ok(q) => quiz::render(&q, r.quizzes),
            Err(d) => {
                r.diags.push(d);
                String::new()
            }
        };
    }
    let mut extra = String::new();
    if c.info.is_sql_run() {
        let mode = if c.info.has("setup") {
            SqlMode::Setup
        } else if c.info.has("expect-error") {
            SqlMode::ExpectError
        } else {
            SqlMode::Run
        };
        r.sql_blocks.push(SqlBlock {
            code: c.text.clone(),
            line: fence_line + 1,
            mode,
        });
        if let Some(out) = cx.sql_outputs.and_then(|o| o.get(*run_index)) {
            extra.push_str(out);
        }
        *run_index += 1;
    }
    let (html, known) = blocks::code_block(&c.info, &c.text, &extra);
    if !known {
        r.diags.push(
            Diagnostic::warning(format!(
                "unknown code language `{}`; shown as plain text",
                c.info.lang
            ))
            .in_file(cx.file)
            .at(fence_line, 1),
        );
    }
    html
}

/// Render a short piece of inline Markdown (a quiz choice, a label) to
/// HTML without the surrounding paragraph.
pub fn inline_html(text: &str) -> String {
    let mut s = String::new();
    html::push_html(&mut s, Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH));
    let t = s.trim();
    let t = t.strip_prefix("<p>").unwrap_or(t);
    let t = t.strip_suffix("</p>").unwrap_or(t);
    t.to_string()
}
