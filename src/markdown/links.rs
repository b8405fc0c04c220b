//! Link rewriting: relative links to source files become links to the
//! published URLs, relative to the linking page.
//!
//! Authors write `[ORMs](../05-orms/01-intro.md#sessions)` so the Markdown
//! also reads on a code host; the book publishes `../../orms/intro/#sessions`.
//! A link to a missing page or asset is reported; a link's `#anchor` is
//! recorded and checked once every page's headings are known.

use crate::book::url::{self, LinkStyle};
use crate::book::{Book, NodeId};

/// Where a link points, once resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Leave the link as written (external, `mailto:`, empty...).
    Unchanged,
    /// Rewritten URL, and what it points to.
    Rewritten {
        /// The new `href`/`src`.
        href: String,
        /// The page or file it leads to.
        target: Target,
    },
    /// A root-relative link (`/x/y`) with the base path prefixed.
    RootRelative(String),
    /// The target does not exist; the message says what was expected.
    Broken(String),
}

/// What a rewritten link leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A page of the book, optionally at an anchor (without `#`).
    Page(NodeId, Option<String>),
    /// A copied file, by its output path (with any `#fragment`).
    Asset(String),
}

/// What a link is resolved against.
#[derive(Debug, Clone, Copy)]
pub struct LinkContext<'a> {
    /// The book.
    pub book: &'a Book,
    /// The page the link is on.
    pub node: NodeId,
    /// The folder its relative links start from (relative to `content/`).
    pub folder: &'a str,
    /// Pretty or offline links.
    pub style: LinkStyle,
    /// The base URL's path (`/book/`).
    pub base_path: &'a str,
}

/// True when `dest` has a URL scheme (`https:`, `mailto:`) or is
/// protocol-relative (`//host/x`).
pub fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Resolve `dest` as written on the page described by `cx`.
pub fn resolve(cx: &LinkContext<'_>, dest: &str) -> Resolved {
    if dest.is_empty() || is_external(dest) {
        return Resolved::Unchanged;
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return Resolved::Rewritten {
            href: dest.to_string(),
            target: Target::Page(cx.node, Some(url::percent_decode(anchor))),
        };
    }
    if let Some(rest) = dest.strip_prefix('/') {
        return Resolved::RootRelative(format!("{}{}", cx.base_path, rest));
    }
    let (path_query, frag) = match dest.find('#') {
        Some(i) => (&dest[..i], Some(&dest[i + 1..])),
        None => (dest, None),
    };
    let path = path_query.split('?').next().unwrap_or(path_query);
    let decoded = url::percent_decode(path);
    let Some(target) = url::resolve(cx.folder, &decoded) else {
        return Resolved::Broken(format!(
            "the link `{dest}` climbs above content/; expected a file inside content/"
        ));
    };
    let frag_suffix = frag.map(|f| format!("#{f}")).unwrap_or_default();
    let from = &cx.book.nodes[cx.node].url;

    let trimmed = target.trim_end_matches('/');
    if let Some(&id) = cx.book.by_source.get(trimmed) {
        let to = &cx.book.nodes[id].url;
        let href = url::relative(
            from,
            &format!("{}{frag_suffix}", url::encode_path(to)),
            cx.style,
        );
        let anchor = frag.filter(|f| !f.is_empty()).map(url::percent_decode);
        return Resolved::Rewritten {
            href,
            target: Target::Page(id, anchor),
        };
    }
    if let Some(out) = cx.book.asset_by_source.get(&target) {
        let path = format!("{}{frag_suffix}", url::encode_path(out));
        let href = url::relative(from, &path, cx.style);
        return Resolved::Rewritten {
            href,
            target: Target::Asset(path),
        };
    }
    if cx.book.drafts.contains(&target) {
        return Resolved::Broken(format!(
            "the link `{dest}` points to a draft page, which this build leaves out; \
             build with --drafts or link elsewhere"
        ));
    }
    if target.ends_with(".md") {
        Resolved::Broken(format!(
            "the link `{dest}` points to a missing page (content/{target}); expected an \
             existing .md file"
        ))
    } else {
        Resolved::Broken(format!(
            "the link `{dest}` points to a missing file (content/{target})"
        ))
    }
}
