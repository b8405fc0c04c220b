//! The full-text search index, built once per build and searched in the
//! browser by the theme's `search.js`, with no server beyond static files.
//!
//! Why a compact index of our own rather than pagefind or elasticlunr: the
//! README's "Search" section has the measured comparison at 10,000 pages.
//! In short, elasticlunr loads the whole index (tens of megabytes at that
//! size) before the first query, and pagefind's browser side fetches its
//! files, which does not work from `file://` (`build --offline`).
//!
//! What is indexed: every heading section of every page
//! ([`crate::markdown::Section`]), never a draft (not even under
//! `--drafts`). The page title counts three times in the page's first
//! section, a heading three times in its section.
//!
//! The files, all scripts so that they load from `file://` too (each one
//! calls `OPENBOOK_SEARCH_LOAD(name, hash, data)`, see `load_call`):
//!
//! - `search-index.js`: the manifest: the shard and fragment file names,
//!   the first term of each shard, the first section of each fragment, and
//!   the character folding table. A few kilobytes even at 10,000 pages.
//! - `search/t<i>.js`: term shards. Terms are sorted and cut into
//!   shards of about [`SHARD_BYTES`]; each term maps to its sections and a
//!   precomputed BM25 score, delta-encoded. A query loads only the shards
//!   its words fall in.
//! - `search/f<j>.js`: fragments: the pages (URL, title, chapter)
//!   and their sections' text, cut at page boundaries into files of about
//!   [`FRAGMENT_BYTES`]; only the fragments of the results shown are
//!   loaded, to write their excerpts.
//!
//! Terms are lowercase runs of letters and digits, with accents folded
//! (`é` → `e`); the folding of every non-ASCII character met is written
//! into the manifest, so the browser folds queries exactly as the build
//! folded the text. A term found in more than [`MAX_POSTINGS`] sections
//! ("the", "postgresql") keeps only its best-scoring ones and is marked
//! common: the browser then treats it as optional in a query rather than
//! required.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::sync::Arc;

use rayon::prelude::*;

use crate::book::{Book, NodeId, NodeKind};
use crate::markdown::Rendered;

/// Target size of a term shard, in bytes.
pub const SHARD_BYTES: usize = 48 * 1024;
/// Target size of a fragment file, in bytes.
pub const FRAGMENT_BYTES: usize = 24 * 1024;
/// Sections kept per term; a term found in more is "common".
pub const MAX_POSTINGS: usize = 1000;
/// Sections counted together by one task.
const COUNT_CHUNK: usize = 256;
/// Terms longer than this are not indexed (hashes, long identifiers).
const MAX_TERM_CHARS: usize = 40;

/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// How much a word in the page title (first section) or in a heading
/// weighs against one in the text.
const TITLE_WEIGHT: u32 = 3;

/// The built index: the files to write, and a version for cache-busting.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// `(path relative to the output root, contents)`.
    pub files: Vec<(String, String)>,
    /// A hash of the index, for `search-index.js?v=`.
    pub version: String,
    /// Sections indexed.
    pub sections: usize,
    /// Distinct terms.
    pub terms: usize,
}

/// Term → `(section, weighted term frequency)`, by section.
type Postings = rustc_hash::FxHashMap<String, Vec<(u32, u32)>>;

/// A term and the sections it is found in: `(section, score)`, by section.
struct Term {
    text: String,
    /// Found in more than [`MAX_POSTINGS`] sections (only the best kept).
    common: bool,
    postings: Vec<(u32, u32)>,
}

/// One indexed section, as shown in a result (borrowed from the rendered
/// pages: at 10,000 pages the sections' text is tens of megabytes).
struct Doc<'a> {
    /// Index into the page table.
    page: usize,
    anchor: &'a str,
    title: &'a str,
    text: &'a str,
}

/// One indexed page.
struct PageEntry {
    url: String,
    title: String,
    /// "3 · Data" — the chapter the page is in.
    chapter: String,
    /// First and one-past-last section.
    sections: (usize, usize),
}

/// True if the node or a chapter above it is a draft.
fn is_draft(book: &Book, id: NodeId) -> bool {
    let draft = |n: NodeId| book.page_of(n).is_some_and(|p| p.front.draft);
    draft(id) || book.ancestors(id).into_iter().any(draft)
}

fn chapter_label(book: &Book, id: NodeId) -> String {
    match book.nodes[id].parent {
        Some(p) if p != Book::HOME => {
            let n = &book.nodes[p];
            format!("{}. {}", n.number_string(), n.nav_title)
        }
        _ => String::new(),
    }
}

impl SearchIndex {
    /// Index every published, non-draft page of the book.
    pub fn build(book: &Book, rendered: &[Arc<Rendered>]) -> SearchIndex {
        Self::build_with(book, rendered, SHARD_BYTES, FRAGMENT_BYTES)
    }

    /// [`SearchIndex::build`] with explicit file sizes (tests use small
    /// ones to get several files from a small book).
    pub fn build_with(
        book: &Book,
        rendered: &[Arc<Rendered>],
        shard_bytes: usize,
        fragment_bytes: usize,
    ) -> SearchIndex {
        let (pages, docs) = collect(book, rendered);
        // Count the terms of chunks of sections in parallel, straight into
        // postings lists, then append the chunks' lists in section order
        // (so every list comes out sorted). A list per section of its
        // terms as strings held 400 MB at 10,000 pages.
        let chunks: Vec<(Vec<u32>, Postings)> = docs
            .par_chunks(COUNT_CHUNK)
            .enumerate()
            .map_init(Folding::default, |folding, (c, chunk)| {
                let mut lengths = Vec::with_capacity(chunk.len());
                let mut postings = Postings::default();
                for (k, doc) in chunk.iter().enumerate() {
                    let s = c * COUNT_CHUNK + k;
                    let section = s as u32;
                    let mut len = 0u32;
                    let mut add = |t: &str, weight: u32| {
                        len += 1;
                        match postings.get_mut(t) {
                            Some(list) => match list.last_mut() {
                                Some(last) if last.0 == section => last.1 += weight,
                                _ => list.push((section, weight)),
                            },
                            None => {
                                postings.insert(t.to_string(), vec![(section, weight)]);
                            }
                        }
                    };
                    folding.each_token(doc.text, |t| add(t, 1));
                    let page = &pages[doc.page];
                    if s == page.sections.0 && doc.title != page.title {
                        let heading = format!("{} {}", page.title, doc.title);
                        folding.each_token(&heading, |t| add(t, TITLE_WEIGHT));
                    } else {
                        folding.each_token(doc.title, |t| add(t, TITLE_WEIGHT));
                    }
                    lengths.push(len);
                }
                (lengths, postings)
            })
            .collect();
        // term → (section, weighted term frequency)
        let mut postings = Postings::default();
        let mut lengths = Vec::with_capacity(docs.len());
        for (chunk_lengths, chunk) in chunks {
            lengths.extend(chunk_lengths);
            for (t, list) in chunk {
                match postings.get_mut(&t) {
                    Some(all) => all.extend(list),
                    None => {
                        postings.insert(t, list);
                    }
                }
            }
        }
        let fold_table = Folding::table_for(
            docs.iter()
                .flat_map(|d| [d.text, d.title])
                .chain(pages.iter().map(|p| p.title.as_str())),
        );
        let n = docs.len().max(1) as f64;
        let avg = (lengths.iter().map(|&l| f64::from(l)).sum::<f64>() / n).max(1.0);
        let mut terms: Vec<Term> = postings
            .into_par_iter()
            .map(|(term, list)| {
                let idf = (1.0 + (n - list.len() as f64 + 0.5) / (list.len() as f64 + 0.5)).ln();
                let scored: Vec<(u32, u32)> = list
                    .iter()
                    .map(|&(s, tf)| {
                        let tf = f64::from(tf);
                        let norm = 1.0 - B + B * f64::from(lengths[s as usize]) / avg;
                        let score = idf * tf * (K1 + 1.0) / (tf + K1 * norm);
                        // Stored as small integers (tenths).
                        (s, ((score * 10.0).round() as u32).clamp(1, 999))
                    })
                    .collect();
                let common = scored.len() > MAX_POSTINGS;
                let mut kept = scored;
                if common {
                    kept.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                    kept.truncate(MAX_POSTINGS);
                    kept.sort_by_key(|p| p.0);
                }
                Term {
                    text: term,
                    common,
                    postings: kept,
                }
            })
            .collect();
        terms.par_sort_unstable_by(|a, b| a.text.cmp(&b.text));

        let mut index = SearchIndex {
            sections: docs.len(),
            terms: terms.len(),
            ..SearchIndex::default()
        };
        let shards = shard_terms(&terms, shard_bytes);
        let fragments = fragment_pages(&pages, &docs, fragment_bytes);

        let mut manifest_shards = Vec::new();
        for (i, (first, body)) in shards.into_iter().enumerate() {
            let name = format!("t{i}");
            let (file, hash) = load_call(&name, &body);
            index.files.push((format!("search/{name}.js"), file));
            manifest_shards.push(serde_json::json!([first, name, hash]));
        }
        let mut manifest_fragments = Vec::new();
        for (j, (first, body)) in fragments.into_iter().enumerate() {
            let name = format!("f{j}");
            let (file, hash) = load_call(&name, &body);
            index.files.push((format!("search/{name}.js"), file));
            manifest_fragments.push(serde_json::json!([first, name, hash]));
        }
        let manifest = serde_json::json!({
            "version": 1,
            "sections": docs.len(),
            "pages": pages.len(),
            "shards": manifest_shards,
            "fragments": manifest_fragments,
            "fold": fold_table,
        });
        let (file, hash) = load_call("index", &manifest.to_string());
        index.version = hash;
        index.files.push(("search-index.js".into(), file));
        index
    }
}

/// `OPENBOOK_SEARCH_LOAD("name","hash",{...});` and the hash. File
/// names stay the same from build to build (so `serve` and a deployment
/// replace them in place); the manifest gives each file's hash, which the
/// browser puts in the URL (`t3.js?v=hash`) and checks against the hash
/// the file announces, so a file cached from an older build is never used
/// with a newer manifest, nor the other way round. `<` is escaped so a
/// file can never close a script element.
fn load_call(name: &str, json: &str) -> (String, String) {
    let json = json.replace('<', "\\u003c");
    let hash = format!("{:08x}", crate::source::fxhash(json.as_bytes()) as u32);
    let file = format!(
        "OPENBOOK_SEARCH_LOAD({},\"{hash}\",{json});\n",
        serde_json::Value::from(name)
    );
    (file, hash)
}

/// The pages and sections to index, in reading order.
fn collect<'a>(book: &Book, rendered: &'a [Arc<Rendered>]) -> (Vec<PageEntry>, Vec<Doc<'a>>) {
    let mut pages = Vec::new();
    let mut docs = Vec::new();
    for &id in &book.order {
        if book.page_of(id).is_none() || is_draft(book, id) {
            continue;
        }
        let n = &book.nodes[id];
        let title = if n.kind == NodeKind::Home || n.title.is_empty() {
            n.title.clone()
        } else {
            match n.number_string() {
                num if num.is_empty() => n.title.clone(),
                num => format!("{num} {}", n.title),
            }
        };
        let first = docs.len();
        let page = pages.len();
        for s in &rendered[id].sections {
            docs.push(Doc {
                page,
                anchor: &s.anchor,
                title: &s.title,
                text: &s.text,
            });
        }
        if docs.len() == first {
            docs.push(Doc {
                page,
                anchor: "",
                title: "",
                text: "",
            });
        }
        pages.push(PageEntry {
            url: n.url.clone(),
            title,
            chapter: chapter_label(book, id),
            sections: (first, docs.len()),
        });
    }
    (pages, docs)
}

/// Cut the sorted terms into shards of about `target` bytes, never
/// splitting the terms that share their first two characters (so a prefix
/// query of two characters or more reads one shard, or a few adjacent
/// ones). Returns `(first key, JSON object)` per shard.
fn shard_terms(terms: &[Term], target: usize) -> Vec<(String, String)> {
    let mut shards: Vec<(String, String)> = Vec::new();
    let mut body = String::new();
    let mut first = String::new();
    let mut group = String::new();
    for Term {
        text: term,
        common,
        postings: list,
    } in terms
    {
        let key: String = term.chars().take(2).collect();
        if key != group {
            if body.len() >= target {
                body.push('}');
                shards.push((std::mem::take(&mut first), std::mem::take(&mut body)));
            }
            group = key.clone();
        }
        if body.is_empty() {
            body.push('{');
            first = if shards.is_empty() {
                String::new()
            } else {
                key.clone()
            };
        } else {
            body.push(',');
        }
        body.push_str(&serde_json::Value::from(term.as_str()).to_string());
        body.push_str(if *common { ":[1" } else { ":[0" });
        let mut prev = 0u32;
        for &(s, score) in list {
            let _ = write!(body, ",{},{score}", s - prev);
            prev = s;
        }
        body.push(']');
    }
    if body.is_empty() {
        body.push('{');
    }
    body.push('}');
    shards.push((first, body));
    shards
}

/// Cut the pages into fragments of about `target` bytes, at page
/// boundaries. Returns `(first section, JSON)` per fragment:
/// `[[url, title, chapter, [[anchor, heading, text], ...]], ...]`.
fn fragment_pages(pages: &[PageEntry], docs: &[Doc<'_>], target: usize) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut body = String::new();
    let mut first = 0;
    for p in pages {
        let sections: Vec<serde_json::Value> = docs[p.sections.0..p.sections.1]
            .iter()
            .map(|d| serde_json::json!([d.anchor, d.title, d.text]))
            .collect();
        let entry = serde_json::json!([p.url, p.title, p.chapter, sections]).to_string();
        if body.is_empty() {
            body.push('[');
            first = p.sections.0;
        } else {
            body.push(',');
        }
        body.push_str(&entry);
        if body.len() >= target {
            body.push(']');
            out.push((first, std::mem::take(&mut body)));
        }
    }
    if !body.is_empty() {
        body.push(']');
        out.push((first, body));
    }
    out
}

/// Tokenising and accent folding, recording how each non-ASCII character
/// was folded so that the browser can do the same.
#[derive(Debug, Default)]
pub struct Folding {
    /// Non-ASCII character → its folded form (only where it changes).
    pub table: BTreeMap<String, String>,
    cache: HashMap<char, String>,
}

impl Folding {
    /// The folded form of one lowercase, non-ASCII character.
    fn fold_char(&mut self, c: char) -> &str {
        let table = &mut self.table;
        self.cache.entry(c).or_insert_with(|| {
            // Latin letters with diacritics fold to their base letters
            // (`é` → `e`, `ß` → `ss`); other scripts are kept as they are.
            let folded = match c as u32 {
                0xC0..=0x24F | 0x1E00..=0x1EFF => match deunicode::deunicode_char(c) {
                    Some(s)
                        if !s.is_empty()
                            && s.len() <= 3
                            && s.chars().all(|x| x.is_ascii_alphanumeric()) =>
                    {
                        s.to_ascii_lowercase()
                    }
                    _ => c.to_string(),
                },
                _ => c.to_string(),
            };
            if folded != c.to_string() {
                table.insert(c.to_string(), folded.clone());
            }
            folded
        })
    }

    /// The folding of every non-ASCII letter or digit in `texts` that
    /// folding changes, for the browser.
    pub fn table_for<'a>(texts: impl Iterator<Item = &'a str>) -> BTreeMap<String, String> {
        let mut f = Folding::default();
        for t in texts {
            if t.is_ascii() {
                continue;
            }
            for c in t
                .chars()
                .filter(|c| !c.is_ascii())
                .flat_map(char::to_lowercase)
            {
                if c.is_alphanumeric() {
                    f.fold_char(c);
                }
            }
        }
        f.table
    }

    /// The terms of `text`: lowercase, folded runs of letters and digits.
    pub fn tokens(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.each_token(text, |t| out.push(t.to_string()));
        out
    }

    /// Call `f` with each term of `text`, as [`Folding::tokens`] finds
    /// them, without allocating a string per term or per character (the
    /// tokeniser was a tenth of a build's instructions when it did).
    pub fn each_token(&mut self, text: &str, mut f: impl FnMut(&str)) {
        let mut cur = String::new();
        let mut emit = |cur: &mut String| {
            if keep_term(cur) {
                f(cur);
            }
            cur.clear();
        };
        for c in text.chars() {
            if c.is_ascii() {
                if c.is_ascii_alphanumeric() {
                    cur.push(c.to_ascii_lowercase());
                } else if !cur.is_empty() {
                    emit(&mut cur);
                }
                continue;
            }
            for c in c.to_lowercase() {
                if c.is_alphanumeric() {
                    if c.is_ascii() {
                        cur.push(c);
                    } else {
                        cur.push_str(self.fold_char(c));
                    }
                } else if !cur.is_empty() {
                    emit(&mut cur);
                }
            }
        }
        if !cur.is_empty() {
            emit(&mut cur);
        }
    }
}

fn keep_term(t: &str) -> bool {
    let n = t.chars().count();
    (2..=MAX_TERM_CHARS).contains(&n) || (n == 1 && t.bytes().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_fold_accents_and_record_them() {
        let mut f = Folding::default();
        assert_eq!(
            f.tokens("Café, VACUUM's Straße: a 9 x_y"),
            vec!["cafe", "vacuum", "strasse", "9"]
        );
        assert_eq!(f.table.get("é").map(String::as_str), Some("e"));
        assert_eq!(f.table.get("ß").map(String::as_str), Some("ss"));
    }

    #[test]
    fn shards_split_between_two_letter_groups() {
        let terms: Vec<Term> = ["aa", "ab", "aba", "abc", "b", "ba"]
            .iter()
            .map(|t| Term {
                text: (*t).to_string(),
                common: false,
                postings: vec![(0, 10), (3, 20)],
            })
            .collect();
        let shards = shard_terms(&terms, 1);
        let firsts: Vec<&str> = shards.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(firsts, vec!["", "ab", "b", "ba"]);
        let v: serde_json::Value = serde_json::from_str(&shards[1].1).unwrap();
        assert_eq!(v["aba"], serde_json::json!([0, 0, 10, 3, 20]));
    }
}
