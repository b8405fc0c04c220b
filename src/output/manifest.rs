//! `.openbook-manifest.json`: the mark that an output folder is
//! openbook's, and the record of the last build that wrote it.
//!
//! Besides counts, it keeps the fingerprint of the build's inputs and the
//! length and hash of every file written. The next build uses them twice:
//! when the inputs have not changed and every file is still as written,
//! nothing is done at all; otherwise each file whose new bytes hash the
//! same as the old ones is kept (hard-linked into the new site) rather than
//! written again, so servers and rsync see no change to it.

use std::collections::HashMap;
use std::path::Path;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use super::{safe_join, MANIFEST};

/// One written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Bytes.
    pub len: u64,
    /// xxh3-64 of the bytes, in hex.
    #[serde(with = "hex64")]
    pub hash: u64,
}

impl Entry {
    /// The entry for `bytes`.
    pub fn of(bytes: &[u8]) -> Entry {
        Entry {
            len: bytes.len() as u64,
            hash: xxhash_rust::xxh3::xxh3_64(bytes),
        }
    }
}

/// What the last build wrote.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// `openbook` and its version.
    pub generator: String,
    /// Book pages.
    pub pages: usize,
    /// Assets copied from `content/`.
    #[serde(default)]
    pub assets: usize,
    /// Files written, this one excluded.
    pub files: usize,
    /// Warnings the build gave (a build with warnings is never skipped, so
    /// that they are shown again).
    #[serde(default)]
    pub warnings: usize,
    /// The inputs' fingerprint (see [`crate::source::fingerprint`]); none
    /// when the build depended on something outside them (a database).
    #[serde(default)]
    pub inputs: Option<String>,
    /// Every file written, by its path in the site.
    #[serde(default)]
    pub outputs: HashMap<String, Entry>,
}

impl Manifest {
    /// The manifest in `dest`, if there is a readable one.
    pub fn read(dest: &Path) -> Option<Previous> {
        let path = dest.join(MANIFEST);
        let written = std::fs::metadata(&path).ok()?.modified().ok()?;
        let text = std::fs::read(&path).ok()?;
        let manifest = serde_json::from_slice(&text).ok()?;
        Some(Previous {
            manifest,
            written,
            root: dest.to_path_buf(),
        })
    }

    /// The manifest as written to disk.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// The manifest of the site a build replaces, and where that site is.
#[derive(Debug)]
pub struct Previous {
    /// What it says.
    pub manifest: Manifest,
    /// When it was written: a file changed after that was edited by hand.
    written: SystemTime,
    root: std::path::PathBuf,
}

impl Previous {
    /// The file of the old site at `rel`, if the last build wrote `entry`
    /// there and it is still as written (same length, not modified since).
    pub fn unchanged(&self, rel: &str, entry: Entry) -> Option<std::path::PathBuf> {
        if self.manifest.outputs.get(rel) != Some(&entry) {
            return None;
        }
        let path = safe_join(&self.root, rel).ok()?;
        let meta = std::fs::symlink_metadata(&path).ok()?;
        (meta.is_file() && meta.len() == entry.len && meta.modified().ok()? <= self.written)
            .then_some(path)
    }

    /// Whether every file the last build wrote is still there as written.
    pub fn intact(&self) -> bool {
        use rayon::prelude::*;
        self.manifest.outputs.len() == self.manifest.files
            && self.manifest.outputs.par_iter().all(|(rel, entry)| {
                safe_join(&self.root, rel)
                    .and_then(std::fs::symlink_metadata)
                    .is_ok_and(|m| {
                        m.is_file()
                            && m.len() == entry.len
                            && m.modified().is_ok_and(|t| t <= self.written)
                    })
            })
    }
}

mod hex64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{v:016x}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let s = <&str>::deserialize(d)?;
        u64::from_str_radix(s, 16).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_edited_after_the_build_is_not_unchanged() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.html"), "one").unwrap();
        let mut m = Manifest {
            files: 1,
            ..Manifest::default()
        };
        m.outputs.insert("a.html".into(), Entry::of(b"one"));
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(d.path().join(MANIFEST), m.to_json()).unwrap();
        let prev = Manifest::read(d.path()).unwrap();
        assert!(prev.intact());
        assert!(prev.unchanged("a.html", Entry::of(b"one")).is_some());
        assert!(prev.unchanged("a.html", Entry::of(b"two")).is_none());
        assert!(prev.unchanged("b.html", Entry::of(b"one")).is_none());
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(d.path().join("a.html"), "one").unwrap();
        assert!(!prev.intact());
        assert!(prev.unchanged("a.html", Entry::of(b"one")).is_none());
    }
}
