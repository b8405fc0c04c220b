//! The book's model: the chapter tree, URLs, numbering and reading order,
//! assembled from the source files.
//!
//! The folder tree is the table of contents. A folder that holds at least
//! one (published) Markdown page is a chapter; its `_index.md` gives its
//! title and landing page. Siblings are ordered by `weight`, else by
//! numeric prefix, else by title. The reading order is a pre-order walk of
//! the tree (home, chapter 1, 1.1, 1.2, chapter 2, ...): previous and next
//! links follow it across chapter boundaries.

pub mod url;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics};
use crate::source::order::{split_prefix, SortKey};
use crate::source::{SourceAsset, SourcePage, SourceTree};

/// Index of a node in [`Book::nodes`].
pub type NodeId = usize;

/// What a node of the table of contents is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// The home page (the root of the tree).
    Home,
    /// A folder: a chapter or a nested section.
    Chapter,
    /// A Markdown page.
    Page,
}

/// One entry of the table of contents.
#[derive(Debug, Clone)]
pub struct Node {
    /// Home, chapter or page.
    pub kind: NodeKind,
    /// The source page (`_index.md` for chapters), if there is one.
    pub page: Option<usize>,
    /// The full title.
    pub title: String,
    /// The title for the sidebar and table of contents.
    pub nav_title: String,
    /// Site-relative URL path: `connecting/psycopg/`, or `` for home.
    pub url: String,
    /// The parent chapter (None for home).
    pub parent: Option<NodeId>,
    /// Children in order.
    pub children: Vec<NodeId>,
    /// Position in the book: `[3, 2]` is "3.2". Empty for home.
    pub number: Vec<usize>,
    /// The folder (relative to `content/`) that relative links in this
    /// node's page are resolved from.
    pub folder: String,
    /// Previous node in reading order.
    pub prev: Option<NodeId>,
    /// Next node in reading order.
    pub next: Option<NodeId>,
}

impl Node {
    /// "3.2" for `[3, 2]`.
    pub fn number_string(&self) -> String {
        self.number
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// A file to copy from `content/` to the output.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Where it comes from.
    pub source: SourceAsset,
    /// Its output path, relative to the output root.
    pub out: String,
}

/// URL paths that belong to the book-wide pages; a page may not take them.
pub const RESERVED: &[&str] = &[
    "contents",
    "resources",
    "status",
    "tags",
    "print",
    "search",
    "assets",
    "404.html",
    "sitemap.xml",
    "atom.xml",
    "robots.txt",
    "toc.js",
    "search-index.js",
];

/// True when the first URL segment `top` belongs to a book-wide page. Case
/// is ignored: `Search/` and `search/` are one folder on macOS and Windows
/// (issue 6).
pub fn is_reserved(top: &str) -> bool {
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(top))
}

/// The assembled book.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// Every node; index 0 is the home page.
    pub nodes: Vec<Node>,
    /// The source pages, as read (shared, so that a copy of the book for
    /// `serve`'s book-wide pages costs little).
    pub pages: Vec<Arc<SourcePage>>,
    /// Node ids in reading order (home first).
    pub order: Vec<NodeId>,
    /// Source path (`a/b.md`, or a folder `a` for chapters) → node.
    pub by_source: HashMap<String, NodeId>,
    /// Source paths of pages left out as drafts.
    pub drafts: HashSet<String>,
    /// Files to copy.
    pub assets: Vec<Asset>,
    /// Source path → output path of each asset.
    pub asset_by_source: HashMap<String, String>,
}

/// How the book is being assembled.
#[derive(Debug, Clone, Copy, Default)]
pub struct AssembleOptions {
    /// Include pages marked `draft: true`.
    pub drafts: bool,
}

impl Book {
    /// The root node (home).
    pub const HOME: NodeId = 0;

    /// The source page of a node, if any.
    pub fn page_of(&self, id: NodeId) -> Option<&SourcePage> {
        self.nodes[id].page.map(|i| &*self.pages[i])
    }

    /// Ancestors of `id`, from the home page down to its parent.
    pub fn ancestors(&self, id: NodeId) -> Vec<NodeId> {
        let mut v = Vec::new();
        let mut cur = self.nodes[id].parent;
        while let Some(p) = cur {
            v.push(p);
            cur = self.nodes[p].parent;
        }
        v.reverse();
        v
    }

    /// The top-level chapter that contains `id` (itself if it is one).
    pub fn chapter_of(&self, id: NodeId) -> Option<NodeId> {
        let mut cur = id;
        loop {
            match self.nodes[cur].parent {
                None => return None,
                Some(Book::HOME) => return Some(cur),
                Some(p) => cur = p,
            }
        }
    }

    /// Assemble the book from what was read.
    pub fn assemble(tree: SourceTree, opts: AssembleOptions) -> (Book, Diagnostics) {
        Assembler::new(tree, opts).run()
    }
}

struct Folder {
    index: Option<usize>,
    pages: Vec<usize>,
    subfolders: Vec<String>,
}

struct Assembler {
    book: Book,
    diags: Diagnostics,
    folders: BTreeMap<String, Folder>,
    pending_assets: Vec<SourceAsset>,
}

fn parent_folder(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

fn file_name(rel: &str) -> &str {
    rel.rfind('/').map_or(rel, |i| &rel[i + 1..])
}

/// "02-psql-and-sql" → "Psql and sql".
fn title_from_name(name: &str) -> String {
    let rest = split_prefix(name).rest.replace(['-', '_'], " ");
    let mut c = rest.trim().chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => name.to_string(),
    }
}

impl Assembler {
    fn new(tree: SourceTree, opts: AssembleOptions) -> Self {
        let SourceTree { pages, assets } = tree;
        let mut book = Book {
            pages: pages.into_iter().map(Arc::new).collect(),
            ..Book::default()
        };
        // Left-out drafts: the page itself, and every page under a folder
        // whose `_index.md` is a draft.
        if !opts.drafts {
            let draft_dirs: Vec<String> = book
                .pages
                .iter()
                .filter(|p| p.front.draft && file_name(&p.rel) == "_index.md")
                .map(|p| format!("{}/", parent_folder(&p.rel)))
                .collect();
            for p in &book.pages {
                if p.front.draft
                    || draft_dirs
                        .iter()
                        .any(|d| d != "/" && p.rel.starts_with(d.as_str()))
                {
                    book.drafts.insert(p.rel.clone());
                }
            }
        }
        let mut a = Assembler {
            book,
            diags: Diagnostics::new(),
            folders: BTreeMap::new(),
            pending_assets: assets,
        };
        a.collect_folders();
        a
    }

    fn folder_mut(&mut self, path: &str) -> &mut Folder {
        if !self.folders.contains_key(path) {
            if !path.is_empty() {
                let parent = parent_folder(path).to_string();
                self.folder_mut(&parent).subfolders.push(path.to_string());
            }
            self.folders.insert(
                path.to_string(),
                Folder {
                    index: None,
                    pages: Vec::new(),
                    subfolders: Vec::new(),
                },
            );
        }
        self.folders.get_mut(path).expect("just inserted")
    }

    fn collect_folders(&mut self) {
        self.folder_mut("");
        for i in 0..self.book.pages.len() {
            let rel = self.book.pages[i].rel.clone();
            if self.book.drafts.contains(&rel) {
                continue;
            }
            let folder = parent_folder(&rel).to_string();
            let name = file_name(&rel);
            let is_index = name == "_index.md" || (folder.is_empty() && name == "index.md");
            let f = self.folder_mut(&folder);
            if is_index {
                if let Some(prev) = f.index {
                    let other = prev;
                    let shown = self.book.pages[i].shown.clone();
                    let first = self.book.pages[other].shown.display().to_string();
                    self.diags.push(
                        Diagnostic::error(format!(
                            "two landing pages for one folder (this and {first}); expected one"
                        ))
                        .in_file(shown),
                    );
                } else {
                    f.index = Some(i);
                }
            } else {
                f.pages.push(i);
            }
        }
    }

    fn run(mut self) -> (Book, Diagnostics) {
        // The home node.
        let root_index = self.folders[""].index;
        let home_title = root_index
            .map(|i| self.book.pages[i].front.title.clone())
            .unwrap_or_default();
        self.book.nodes.push(Node {
            kind: NodeKind::Home,
            page: root_index,
            nav_title: root_index
                .and_then(|i| self.book.pages[i].front.nav_title.clone())
                .unwrap_or_else(|| home_title.clone()),
            title: home_title,
            url: String::new(),
            parent: None,
            children: Vec::new(),
            number: Vec::new(),
            folder: String::new(),
            prev: None,
            next: None,
        });
        if let Some(i) = root_index {
            self.book
                .by_source
                .insert(self.book.pages[i].rel.clone(), Book::HOME);
        }
        self.book.by_source.insert(String::new(), Book::HOME);
        self.build_children(Book::HOME, "");
        self.number(Book::HOME);
        self.reading_order();
        self.check_urls();
        let assets = std::mem::take(&mut self.pending_assets);
        self.place_assets(assets);
        (self.book, self.diags)
    }

    fn build_children(&mut self, parent: NodeId, folder: &str) {
        let (pages, subfolders) = {
            let f = &self.folders[folder];
            (f.pages.clone(), f.subfolders.clone())
        };
        let mut entries: Vec<(SortKey, NodeId)> = Vec::new();
        for i in pages {
            let page = &self.book.pages[i];
            let name = file_name(&page.rel);
            let stem = name.strip_suffix(".md").unwrap_or(name);
            let pre = split_prefix(stem);
            let slug = match &page.front.slug {
                Some(s) => s.clone(),
                None => url::slugify(pre.rest),
            };
            if slug.is_empty() {
                self.diags.push(
                    Diagnostic::error(format!(
                        "cannot make a URL from the file name `{name}`; add `slug:` to the \
                         front matter (letters, digits, `-`)"
                    ))
                    .in_file(&page.shown)
                    .at(1, 1),
                );
                continue;
            }
            let key = SortKey::new(page.front.weight, pre.number, &page.front.title, name);
            let id = self.book.nodes.len();
            let url = format!("{}{}/", self.book.nodes[parent].url, slug);
            self.book.nodes.push(Node {
                kind: NodeKind::Page,
                page: Some(i),
                title: page.front.title.clone(),
                nav_title: page
                    .front
                    .nav_title
                    .clone()
                    .unwrap_or_else(|| page.front.title.clone()),
                url,
                parent: Some(parent),
                children: Vec::new(),
                number: Vec::new(),
                folder: folder.to_string(),
                prev: None,
                next: None,
            });
            self.book.by_source.insert(page.rel.clone(), id);
            entries.push((key, id));
        }
        for sub in subfolders {
            if !self.has_pages(&sub) {
                continue;
            }
            let index = self.folders[&sub].index;
            let name = file_name(&sub).to_string();
            let pre = split_prefix(&name);
            let front = index.map(|i| &self.book.pages[i].front);
            let title = front.map_or_else(|| title_from_name(&name), |f| f.title.clone());
            let slug = match front.and_then(|f| f.slug.clone()) {
                Some(s) => s,
                None => url::slugify(pre.rest),
            };
            if slug.is_empty() {
                self.diags.push(Diagnostic::error(format!(
                    "cannot make a URL from the folder name `content/{sub}`; add an \
                     `_index.md` with a `slug:`"
                )));
                continue;
            }
            let key = SortKey::new(front.and_then(|f| f.weight), pre.number, &title, &name);
            let id = self.book.nodes.len();
            let url = format!("{}{}/", self.book.nodes[parent].url, slug);
            self.book.nodes.push(Node {
                kind: NodeKind::Chapter,
                page: index,
                nav_title: front
                    .and_then(|f| f.nav_title.clone())
                    .unwrap_or_else(|| title.clone()),
                title,
                url,
                parent: Some(parent),
                children: Vec::new(),
                number: Vec::new(),
                folder: sub.clone(),
                prev: None,
                next: None,
            });
            if let Some(i) = index {
                self.book
                    .by_source
                    .insert(self.book.pages[i].rel.clone(), id);
            }
            self.book.by_source.insert(sub.clone(), id);
            self.build_children(id, &sub);
            entries.push((key, id));
        }
        entries.sort();
        self.book.nodes[parent].children = entries.into_iter().map(|(_, id)| id).collect();
    }

    fn has_pages(&self, folder: &str) -> bool {
        let f = &self.folders[folder];
        f.index.is_some() || !f.pages.is_empty() || f.subfolders.iter().any(|s| self.has_pages(s))
    }

    fn number(&mut self, id: NodeId) {
        let children = self.book.nodes[id].children.clone();
        let base = self.book.nodes[id].number.clone();
        for (i, c) in children.into_iter().enumerate() {
            let mut n = base.clone();
            n.push(i + 1);
            self.book.nodes[c].number = n;
            self.number(c);
        }
    }

    fn reading_order(&mut self) {
        let mut order = Vec::with_capacity(self.book.nodes.len());
        let mut stack = vec![Book::HOME];
        while let Some(id) = stack.pop() {
            order.push(id);
            stack.extend(self.book.nodes[id].children.iter().rev());
        }
        for w in order.windows(2) {
            self.book.nodes[w[0]].next = Some(w[1]);
            self.book.nodes[w[1]].prev = Some(w[0]);
        }
        self.book.order = order;
    }

    fn source_shown(&self, id: NodeId) -> PathBuf {
        match self.book.nodes[id].page {
            Some(i) => self.book.pages[i].shown.clone(),
            None => PathBuf::from("content").join(&self.book.nodes[id].folder),
        }
    }

    fn check_urls(&mut self) {
        let mut seen: HashMap<String, NodeId> = HashMap::new();
        for id in 0..self.book.nodes.len() {
            let url = self.book.nodes[id].url.clone();
            let top = url.split('/').next().unwrap_or("");
            if is_reserved(top) {
                let line = self.book.nodes[id]
                    .page
                    .map_or(0, |i| self.book.pages[i].key_line("slug"));
                self.diags.push(
                    Diagnostic::error(format!(
                        "this page's URL `/{url}` collides with the book-wide page `/{top}/`; \
                         rename the file or set another `slug:`"
                    ))
                    .in_file(self.source_shown(id))
                    .at(line, if line > 0 { 1 } else { 0 }),
                );
                continue;
            }
            if let Some(&other) = seen.get(&url) {
                let other_file = self.source_shown(other);
                self.diags.push(
                    Diagnostic::error(format!(
                        "this page and {} both map to the URL `/{url}`; expected one page per \
                         URL (rename one, or set a different `slug:`)",
                        other_file.display()
                    ))
                    .in_file(self.source_shown(id)),
                );
            } else {
                seen.insert(url, id);
            }
        }
    }

    /// The output folder for a source folder: a chapter's URL, or the
    /// parent's output folder plus the prefix-stripped name.
    fn folder_out(&self, folder: &str) -> String {
        if folder.is_empty() {
            return String::new();
        }
        if let Some(&id) = self.book.by_source.get(folder) {
            if self.book.nodes[id].kind == NodeKind::Chapter {
                return self.book.nodes[id].url.clone();
            }
        }
        format!(
            "{}{}/",
            self.folder_out(parent_folder(folder)),
            split_prefix(file_name(folder)).rest
        )
    }

    fn place_assets(&mut self, assets: Vec<SourceAsset>) {
        let page_files: HashSet<String> = self
            .book
            .nodes
            .iter()
            .map(|n| url::page_file(&n.url))
            .collect();
        let mut seen: HashMap<String, String> = HashMap::new();
        for a in assets {
            let folder = parent_folder(&a.rel);
            let name = file_name(&a.rel);
            let out = format!("{}{}", self.folder_out(folder), split_prefix(name).rest);
            let shown = PathBuf::from("content").join(&a.rel);
            let top = out.split('/').next().unwrap_or("");
            if is_reserved(top) || page_files.contains(&out) {
                self.diags.push(
                    Diagnostic::error(format!(
                        "this file would be written to `{out}`, which the book itself writes; \
                         rename or move it"
                    ))
                    .in_file(shown),
                );
                continue;
            }
            if let Some(other) = seen.get(&out) {
                self.diags.push(
                    Diagnostic::error(format!(
                        "this file and content/{other} are both written to `{out}`; rename one"
                    ))
                    .in_file(shown),
                );
                continue;
            }
            seen.insert(out.clone(), a.rel.clone());
            self.book.asset_by_source.insert(a.rel.clone(), out.clone());
            self.book.assets.push(Asset { source: a, out });
        }
    }
}
