//! Reading the site folder: walk `content/`, read every page's front
//! matter, and list the assets to copy.
//!
//! The walk is deterministic (sorted by file name), skips hidden files and
//! editor droppings, follows symlinks only when they stay inside the site
//! folder, and reports every unreadable or malformed file instead of
//! stopping at the first.

pub mod fingerprint;
pub mod front_matter;
pub mod order;
pub mod resources;
pub mod text;

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use front_matter::FrontMatter;
use resources::ResourceGroup;

/// One Markdown file, read and with its front matter parsed.
#[derive(Debug, Clone)]
pub struct SourcePage {
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// Path as shown in messages (`content/...`).
    pub shown: PathBuf,
    /// The normalised file text.
    pub text: String,
    /// The YAML front matter text (for finding lines of keys later).
    pub yaml_start: usize,
    /// Length of the YAML text.
    pub yaml_len: usize,
    /// The 1-based line on which the YAML starts.
    pub yaml_line: usize,
    /// Byte offset of the body in `text`.
    pub body_offset: usize,
    /// Parsed front matter.
    pub front: FrontMatter,
    /// Resources from front matter and the sidecar file, grouped.
    pub resources: Vec<ResourceGroup>,
    /// Where the resources were written (front matter or sidecar).
    pub resources_file: PathBuf,
    /// A hash of the file's bytes and its sidecar's.
    pub hash: u64,
}

impl SourcePage {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }

    /// The front matter's YAML text.
    pub fn yaml(&self) -> &str {
        &self.text[self.yaml_start..self.yaml_start + self.yaml_len]
    }

    /// The file line of the first `key:` in the front matter.
    pub fn key_line(&self, key: &str) -> usize {
        crate::yaml::key_line(self.yaml(), key).map_or(1, |l| l + self.yaml_line - 1)
    }

    /// The file line of `key: value` in the front matter.
    pub fn value_line(&self, key: &str, value: &str) -> usize {
        crate::yaml::value_line(self.yaml(), key, value)
            .map_or_else(|| self.key_line(key), |l| l + self.yaml_line - 1)
    }
}

/// A file under `content/` that is not Markdown: copied as is.
#[derive(Debug, Clone)]
pub struct SourceAsset {
    /// Path relative to `content/`, with `/` separators.
    pub rel: String,
    /// Absolute path to read from.
    pub path: PathBuf,
}

/// Everything found under `content/`.
#[derive(Debug, Clone, Default)]
pub struct SourceTree {
    /// Every Markdown file, in walk order.
    pub pages: Vec<SourcePage>,
    /// Every other file.
    pub assets: Vec<SourceAsset>,
}

/// True for names an editor or the OS leaves behind, and hidden files.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with('#')
        || name == "4913"
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".swo")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.ends_with(".orig")
        || name.ends_with(".crswap")
        || name == "Thumbs.db"
        || name == "desktop.ini"
}

const SIDECAR: &str = ".resources.yaml";

/// Walk `dir/content` and read every page. `out` (the output folder) is
/// skipped if it lies inside.
pub fn load(dir: &Path, out: Option<&Path>) -> (SourceTree, Diagnostics) {
    let mut diags = Diagnostics::new();
    let content = dir.join("content");
    if !content.is_dir() {
        diags.push(Diagnostic::error(format!(
            "no content/ folder in {}; expected content/index.md and chapter folders",
            dir.display()
        )));
        return (SourceTree::default(), diags);
    }
    let root = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let out = out.and_then(|o| o.canonicalize().ok());

    let mut md_files = Vec::new();
    let mut sidecars = Vec::new();
    let mut assets = Vec::new();
    let walker = walkdir::WalkDir::new(&content)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(walk_error(&e, dir));
                continue;
            }
        };
        let path = entry.path();
        if entry.path_is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(&root) => {}
                Ok(target) => {
                    diags.push(
                        Diagnostic::error(format!(
                            "this symlink points outside the site folder (to {}); expected a \
                             target inside {}",
                            target.display(),
                            root.display()
                        ))
                        .in_file(shown(dir, path)),
                    );
                    continue;
                }
                Err(e) => {
                    diags.push(
                        Diagnostic::error(format!("this symlink cannot be followed: {e}"))
                            .in_file(shown(dir, path)),
                    );
                    continue;
                }
            }
        }
        if entry.file_type().is_dir() {
            if let (Some(out), Ok(canon)) = (&out, path.canonicalize()) {
                if &canon == out {
                    continue;
                }
            }
            continue;
        }
        if !entry.file_type().is_file() {
            // A named pipe would block the build forever on open; a socket
            // or device is never content (issue 6).
            diags.push(
                Diagnostic::error(
                    "this is not a regular file (a named pipe, socket or device), so it \
                     cannot be read; expected a file or a folder",
                )
                .in_file(shown(dir, path)),
            );
            continue;
        }
        let Ok(rel) = path.strip_prefix(&content) else {
            continue;
        };
        let rel = rel_string(rel);
        let name = entry.file_name().to_string_lossy();
        if name.ends_with(SIDECAR) {
            sidecars.push((rel, path.to_path_buf()));
        } else if name.ends_with(".md") {
            md_files.push((rel, path.to_path_buf()));
        } else {
            assets.push(SourceAsset {
                rel,
                path: path.to_path_buf(),
            });
        }
    }

    let results: Vec<Result<SourcePage, Diagnostic>> = md_files
        .par_iter()
        .map(|(rel, path)| {
            let sidecar = sidecars
                .iter()
                .find(|(s, _)| s.strip_suffix(SIDECAR) == rel.strip_suffix(".md"))
                .map(|(s, p)| (s.as_str(), p.as_path()));
            read_page(dir, rel, path, sidecar)
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(p) => pages.push(p),
            Err(d) => diags.push(d),
        }
    }
    for (s, _) in &sidecars {
        let md = format!("{}.md", s.strip_suffix(SIDECAR).unwrap_or(s));
        if !md_files.iter().any(|(r, _)| *r == md) {
            diags.push(
                Diagnostic::error(format!(
                    "resources file without a page; expected {} beside it",
                    Path::new(&md)
                        .file_name()
                        .unwrap_or_default()
                        .to_string_lossy()
                ))
                .in_file(Path::new("content").join(s)),
            );
        }
    }
    (SourceTree { pages, assets }, diags)
}

/// Read one page (and its sidecar resources file) again, by its path
/// relative to `content/`.
pub fn read_one(dir: &Path, rel: &str) -> Result<SourcePage, Diagnostic> {
    let content = dir.join("content");
    let sidecar_rel = format!("{}{SIDECAR}", rel.strip_suffix(".md").unwrap_or(rel));
    let sidecar_path = content.join(&sidecar_rel);
    let sidecar = sidecar_path
        .is_file()
        .then_some((sidecar_rel.as_str(), sidecar_path.as_path()));
    read_page(dir, rel, &content.join(rel), sidecar)
}

fn walk_error(e: &walkdir::Error, dir: &Path) -> Diagnostic {
    let path = e.path().map(|p| shown(dir, p));
    let self_loop = e
        .io_error()
        .is_some_and(|io| io.to_string().contains("levels of symbolic links"));
    let d = if e.loop_ancestor().is_some() || self_loop {
        Diagnostic::error(
            "this symlink makes a loop (it points to itself, or to a folder that contains \
             it); expected a link to a file or folder inside the site",
        )
    } else {
        let io = e
            .io_error()
            .map_or_else(|| e.to_string(), ToString::to_string);
        Diagnostic::error(format!("cannot read this path: {io}"))
    };
    match path {
        Some(p) => d.in_file(p),
        None => d,
    }
}

/// `path` relative to the site folder, for messages.
pub fn shown(dir: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(dir).unwrap_or(path).to_path_buf()
}

fn rel_string(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_page(
    dir: &Path,
    rel: &str,
    path: &Path,
    sidecar: Option<(&str, &Path)>,
) -> Result<SourcePage, Diagnostic> {
    let shown_path = Path::new("content").join(rel);
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(format!("cannot read this file: {e}")).in_file(&shown_path)
    })?;
    let mut hash = fxhash(&bytes);
    let text = text::decode(&bytes, &shown_path)?;
    let split = front_matter::split(&text, &shown_path)?;
    let front = front_matter::parse(&split, &shown_path)?;
    let yaml_start = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
    let yaml_len = split.yaml.len();
    let yaml_line = split.yaml_line;
    let body_offset = split.body_offset;
    let mut entries = front.resources.clone();
    let mut resources_file = shown_path.clone();
    if let Some((srel, spath)) = sidecar {
        let sshown = Path::new("content").join(srel);
        let sbytes = std::fs::read(spath).map_err(|e| {
            Diagnostic::error(format!("cannot read this file: {e}")).in_file(&sshown)
        })?;
        hash ^= fxhash(&sbytes).rotate_left(1);
        entries.extend(resources::load_sidecar(spath, &sshown)?);
        if front.resources.is_empty() {
            resources_file = sshown;
        }
    }
    let _ = dir;
    Ok(SourcePage {
        rel: rel.to_string(),
        shown: shown_path,
        yaml_start,
        yaml_len,
        yaml_line,
        body_offset,
        resources: resources::into_groups(entries),
        resources_file,
        front,
        text,
        hash,
    })
}

/// A fast, stable (not cryptographic) hash of some bytes.
pub fn fxhash(bytes: &[u8]) -> u64 {
    // FNV-1a, 64 bit: stable across runs and platforms, good enough to tell
    // whether an input changed.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_editor_droppings() {
        for n in [".x.md.swp", "a.md~", "#a.md#", ".#a.md", "4913", ".hidden"] {
            assert!(is_ignored_name(n), "{n}");
        }
        assert!(!is_ignored_name("a.md"));
    }
}
