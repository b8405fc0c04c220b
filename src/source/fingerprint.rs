//! One hash of everything a build reads, so that `build` can tell that
//! nothing changed since the last build and leave the output alone.
//!
//! The inputs are `site.yaml`, `sql-results.yaml`, the SQL setup file, and
//! every file under `content/` and `themes/` (name and bytes), plus what
//! is not in the site folder: this program (its version, size and
//! modification time, since the default theme is built into it) and the
//! build's options. Files are read and hashed in parallel; at 10,000 pages
//! (82 MB of Markdown) this takes a few tens of milliseconds once the files
//! are in the page cache, against seconds for a build.

use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

/// The inputs' fingerprint: 32 hex digits.
///
/// `options` is whatever else changes the output (base URL, drafts...);
/// `setup` is the SQL setup file named in `site.yaml`, if any.
pub fn inputs(dir: &Path, options: &str, setup: Option<&str>) -> io::Result<String> {
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for name in ["site.yaml", crate::sql::record::FILE]
        .into_iter()
        .chain(setup)
    {
        files.push((name.to_string(), dir.join(name)));
    }
    for top in ["content", "themes"] {
        let root = dir.join(top);
        if !root.exists() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&root).follow_links(true) {
            let entry = entry.map_err(io::Error::other)?;
            if !entry.file_type().is_file() && !entry.file_type().is_dir() {
                // A pipe or a device: `build` reports it; never read it.
                return Err(io::Error::other("not a regular file"));
            }
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .into_owned();
                files.push((rel, entry.into_path()));
            }
        }
    }
    files.sort();
    let hashes: Vec<io::Result<u128>> = files
        .par_iter()
        .map(|(_, path)| match std::fs::read(path) {
            Ok(bytes) => Ok(xxh3_128(&bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(0),
            Err(e) => Err(e),
        })
        .collect();
    let mut h = Xxh3::new();
    h.update(concat!("openbook ", env!("CARGO_PKG_VERSION"), "\0").as_bytes());
    h.update(program_identity().as_bytes());
    h.update(options.as_bytes());
    for ((rel, _), hash) in files.iter().zip(hashes) {
        h.update(rel.as_bytes());
        h.update(b"\0");
        h.update(&hash?.to_le_bytes());
    }
    Ok(format!("{:032x}", h.digest128()))
}

/// This program's size and modification time: a rebuilt openbook (with,
/// say, a changed default theme) is a changed input.
fn program_identity() -> String {
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| {
            let modified = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{} {modified}\0", m.len())
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("site.yaml"), "title: T\n").unwrap();
        std::fs::create_dir_all(d.path().join("content/01-a")).unwrap();
        std::fs::write(d.path().join("content/01-a/01-p.md"), "x").unwrap();
        d
    }

    #[test]
    fn any_change_to_a_name_a_byte_or_an_option_changes_it() {
        let d = site();
        let first = inputs(d.path(), "", None).unwrap();
        assert_eq!(first, inputs(d.path(), "", None).unwrap());
        assert_ne!(first, inputs(d.path(), "drafts", None).unwrap());
        std::fs::write(d.path().join("content/01-a/01-p.md"), "y").unwrap();
        let edited = inputs(d.path(), "", None).unwrap();
        assert_ne!(first, edited);
        std::fs::rename(
            d.path().join("content/01-a/01-p.md"),
            d.path().join("content/01-a/02-p.md"),
        )
        .unwrap();
        assert_ne!(edited, inputs(d.path(), "", None).unwrap());
        std::fs::create_dir_all(d.path().join("themes/default")).unwrap();
        std::fs::write(d.path().join("themes/default/page.html"), "").unwrap();
        assert_ne!(edited, inputs(d.path(), "", None).unwrap());
    }
}
