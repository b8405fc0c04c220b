//! Small, serialisable view models for the templates.
//!
//! Each page gets only what its template shows; HTML that is the same for
//! many pages (the sidebar) is built once in Rust and passed as a string.

use serde::Serialize;
use std::sync::Arc;

use crate::book::url::{self, LinkStyle};
use crate::book::{Book, NodeId, NodeKind};
use crate::config::SiteConfig;
use crate::markdown::Rendered;
use crate::source::resources::ResourceGroup;

/// Site-wide values every template sees.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    /// Book title.
    pub title: String,
    /// Book description.
    pub description: String,
    /// `lang` attribute.
    pub language: String,
    /// Author.
    pub author: String,
    /// Base URL as configured.
    pub base_url: String,
    /// The source repository.
    pub repo_url: Option<String>,
    /// A hash of the theme's assets, for cache-busting query strings.
    pub asset_version: String,
}

impl SiteView {
    /// From the configuration.
    pub fn new(config: &SiteConfig, asset_version: u64) -> SiteView {
        SiteView {
            title: config.title.clone(),
            description: config.description.clone(),
            language: config.language.clone(),
            author: config.author.clone(),
            base_url: config.base_url.clone(),
            repo_url: config.repo_url.clone(),
            asset_version: format!("{:08x}", asset_version as u32),
        }
    }
}

/// Links every page's chrome needs, relative to that page.
#[derive(Debug, Clone, Serialize)]
pub struct Links {
    /// Path to the site root (`../../`, or `` on the home page).
    pub root: String,
    /// The theme's assets folder.
    pub assets: String,
    /// Home page.
    pub home: String,
    /// Full table of contents.
    pub contents: String,
    /// Search page.
    pub search: String,
    /// Resources index.
    pub resources: String,
    /// Page status list.
    pub status: String,
    /// Tag index.
    pub tags: String,
    /// Whole book on one page.
    pub print: String,
    /// Atom feed.
    pub feed: String,
    /// `index.html` when links must name files (`--offline`), else empty.
    pub index_suffix: &'static str,
}

impl Links {
    /// Links from the page at site path `from`. With `absolute`, links are
    /// root-relative under `base_path` (for `404.html`, which is served at
    /// any depth).
    pub fn new(from: &str, style: LinkStyle, absolute: Option<&str>) -> Links {
        let to = |target: &str| match absolute {
            Some(base) => format!("{base}{target}"),
            None => url::relative(from, target, style),
        };
        let root = match absolute {
            Some(base) => base.to_string(),
            None => url::root_prefix(from),
        };
        Links {
            assets: format!("{root}assets/"),
            root,
            home: to(""),
            contents: to("contents/"),
            search: to("search/"),
            resources: to("resources/"),
            status: to("status/"),
            tags: to("tags/"),
            print: to("print/"),
            feed: to("atom.xml"),
            index_suffix: if style == LinkStyle::Offline && absolute.is_none() {
                "index.html"
            } else {
                ""
            },
        }
    }
}

/// A link to another page.
#[derive(Debug, Clone, Serialize)]
pub struct LinkView {
    /// Its title.
    pub title: String,
    /// Relative href.
    pub href: String,
    /// "3.2", or empty.
    pub number: String,
}

/// One "what next?" card.
#[derive(Debug, Clone, Serialize)]
pub struct ChoiceView {
    /// Button text.
    pub label: String,
    /// Relative href.
    pub href: String,
    /// The target page's title.
    pub title: String,
    /// The target page's description.
    pub description: String,
}

/// A heading in the "on this page" outline.
#[derive(Debug, Clone, Serialize)]
pub struct TocEntry {
    /// 2 or 3.
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Text.
    pub text: String,
}

/// A child listed on a chapter page or the home page.
#[derive(Debug, Clone, Serialize)]
pub struct ChildView {
    /// Title.
    pub title: String,
    /// Relative href.
    pub href: String,
    /// "3.2".
    pub number: String,
    /// Description.
    pub description: String,
    /// `chapter` or `page`.
    pub kind: &'static str,
    /// Site-relative URL (for reading progress).
    pub url: String,
    /// Number of pages inside (chapters).
    pub pages: usize,
}

/// A tag on a page.
#[derive(Debug, Clone, Serialize)]
pub struct TagView {
    /// The tag as written.
    pub name: String,
    /// Relative href of its tag page.
    pub href: String,
}

/// Everything a page template shows about its page.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// `home`, `chapter` or `page`.
    pub kind: &'static str,
    /// Title.
    pub title: String,
    /// Sidebar title.
    pub nav_title: String,
    /// Description.
    pub description: String,
    /// "3.2".
    pub number: String,
    /// Site-relative URL.
    pub url: String,
    /// Absolute URL, if the base URL is absolute.
    pub canonical: Option<String>,
    /// Body HTML.
    pub body: String,
    /// "On this page".
    pub toc: Vec<TocEntry>,
    /// Home › Chapter › ...
    pub breadcrumbs: Vec<LinkView>,
    /// Previous in reading order.
    pub prev: Option<LinkView>,
    /// Next in reading order.
    pub next: Option<LinkView>,
    /// The question above the choices.
    pub next_prompt: String,
    /// "What next?" cards.
    pub choices: Vec<ChoiceView>,
    /// Curated resources.
    pub resources: Vec<ResourceGroup>,
    /// Number of resources.
    pub resource_count: usize,
    /// Children (chapter pages and home). The home page lists at most
    /// [`crate::render::nav::INLINE_TOP_LEVEL`] chapters, so that its size
    /// does not grow with the book; `contents/` lists them all.
    pub children: Vec<ChildView>,
    /// How many children there are in all.
    pub children_total: usize,
    /// `YYYY-MM-DD`.
    pub updated: Option<String>,
    /// "25 November 2026".
    pub updated_human: Option<String>,
    /// Editorial status.
    pub status: Option<&'static str>,
    /// Tags.
    pub tags: Vec<TagView>,
    /// "Edit this page" link.
    pub edit_url: Option<String>,
    /// Estimated reading time in minutes.
    pub reading_minutes: usize,
}

/// "2026-11-25" → "25 November 2026".
pub fn human_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parts: Vec<&str> = date.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => {
            let mi: usize = m.parse().unwrap_or(0);
            let di: u32 = d.parse().unwrap_or(0);
            match MONTHS.get(mi.wrapping_sub(1)) {
                Some(name) => format!("{di} {name} {y}"),
                None => date.to_string(),
            }
        }
        _ => date.to_string(),
    }
}

/// What a view needs besides the book.
pub struct ViewInput<'a> {
    /// The book.
    pub book: &'a Book,
    /// Settings.
    pub config: &'a SiteConfig,
    /// Pretty or offline links.
    pub style: LinkStyle,
    /// Rendered Markdown per node.
    pub rendered: &'a [Arc<Rendered>],
}

fn link(input: &ViewInput<'_>, from: NodeId, to: NodeId) -> LinkView {
    let b = input.book;
    LinkView {
        title: if to == Book::HOME {
            "Home".into()
        } else {
            b.nodes[to].nav_title.clone()
        },
        href: url::relative(
            &b.nodes[from].url,
            &url::encode_path(&b.nodes[to].url),
            input.style,
        ),
        number: b.nodes[to].number_string(),
    }
}

/// Count the pages under a node (itself included if it is a page).
pub fn page_count(book: &Book, id: NodeId) -> usize {
    let n = &book.nodes[id];
    usize::from(n.kind == NodeKind::Page)
        + n.children
            .iter()
            .map(|&c| page_count(book, c))
            .sum::<usize>()
}

/// Build the view of node `id`. `choices` are the resolved "what next?"
/// targets (label, node, anchor).
pub fn page_view(
    input: &ViewInput<'_>,
    id: NodeId,
    choices: &[(String, NodeId, String)],
) -> PageView {
    let b = input.book;
    let n = &b.nodes[id];
    let page = b.page_of(id);
    let front = page.map(|p| &p.front);
    let rendered = &input.rendered[id];
    let from = &n.url;
    let words = rendered
        .sections
        .iter()
        .map(|s| s.text.split_whitespace().count())
        .sum::<usize>();
    let description = front
        .and_then(|f| f.description.clone())
        .unwrap_or_default();
    let canonical = input
        .config
        .has_absolute_base()
        .then(|| format!("{}{}", input.config.base_url, url::encode_path(from)));
    let edit_url = match (input.config.edit_prefix(), page) {
        (Some(prefix), Some(p)) => Some(format!("{prefix}{}", url::encode_path(&p.rel))),
        _ => None,
    };
    let kind = match n.kind {
        NodeKind::Home => "home",
        NodeKind::Chapter => "chapter",
        NodeKind::Page => "page",
    };
    PageView {
        kind,
        title: if n.title.is_empty() {
            input.config.title.clone()
        } else {
            n.title.clone()
        },
        nav_title: n.nav_title.clone(),
        description,
        number: n.number_string(),
        url: n.url.clone(),
        canonical,
        body: rendered.html.clone(),
        toc: rendered
            .headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .map(|h| TocEntry {
                level: h.level,
                id: h.id.clone(),
                text: h.text.clone(),
            })
            .collect(),
        breadcrumbs: b
            .ancestors(id)
            .into_iter()
            .map(|a| link(input, id, a))
            .collect(),
        prev: n.prev.map(|p| link(input, id, p)),
        next: n.next.map(|p| link(input, id, p)),
        next_prompt: front
            .and_then(|f| f.next_prompt.clone())
            .unwrap_or_else(|| "What would you like to do next?".into()),
        choices: choices
            .iter()
            .map(|(label, target, anchor)| {
                let t = &b.nodes[*target];
                let frag = if anchor.is_empty() {
                    String::new()
                } else {
                    format!("#{anchor}")
                };
                ChoiceView {
                    label: label.clone(),
                    href: url::relative(
                        from,
                        &format!("{}{frag}", url::encode_path(&t.url)),
                        input.style,
                    ),
                    title: if t.title.is_empty() {
                        input.config.title.clone()
                    } else {
                        t.title.clone()
                    },
                    description: b
                        .page_of(*target)
                        .and_then(|p| p.front.description.clone())
                        .unwrap_or_default(),
                }
            })
            .collect(),
        resource_count: page.map_or(0, |p| p.resources.iter().map(|g| g.items.len()).sum()),
        resources: page.map(|p| p.resources.clone()).unwrap_or_default(),
        children_total: n.children.len(),
        children: n
            .children
            .iter()
            .take(if n.kind == NodeKind::Home {
                crate::render::nav::INLINE_TOP_LEVEL
            } else {
                usize::MAX
            })
            .map(|&c| {
                let cn = &b.nodes[c];
                ChildView {
                    title: cn.title.clone(),
                    href: url::relative(from, &url::encode_path(&cn.url), input.style),
                    number: cn.number_string(),
                    description: b
                        .page_of(c)
                        .and_then(|p| p.front.description.clone())
                        .unwrap_or_default(),
                    kind: if cn.kind == NodeKind::Chapter {
                        "chapter"
                    } else {
                        "page"
                    },
                    url: cn.url.clone(),
                    pages: page_count(b, c),
                }
            })
            .collect(),
        updated: front.and_then(|f| f.updated.clone()),
        updated_human: front.and_then(|f| f.updated.as_deref().map(human_date)),
        status: front.and_then(|f| f.status.map(|s| s.as_str())),
        tags: front
            .map(|f| {
                f.tags
                    .iter()
                    .map(|t| TagView {
                        name: t.clone(),
                        href: url::relative(
                            from,
                            &format!("tags/{}/", url::slugify(t)),
                            input.style,
                        ),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        edit_url,
        reading_minutes: words.div_ceil(220).max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_well() {
        assert_eq!(human_date("2026-11-25"), "25 November 2026");
        assert_eq!(human_date("2026-01-05"), "5 January 2026");
    }
}
