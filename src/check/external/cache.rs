//! The results of earlier external checks, kept in
//! `DIR/.openbook-cache/external-links.json` so a rerun is fast.
//!
//! Only answers worth keeping are cached: a working URL and a redirect to
//! a working URL. A broken link is always fetched again, so that a fix (or
//! the end of an outage) shows at once. Entries older than the maximum age
//! are ignored and dropped on the next save. A missing, unreadable or
//! corrupt cache is treated as empty: the cache only ever saves time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The cache file, relative to the site folder (the folder is git-ignored).
pub const CACHE_FILE: &str = ".openbook-cache/external-links.json";

/// One remembered answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// When it was checked, in seconds since the Unix epoch.
    pub checked: u64,
    /// The final HTTP status (after redirects).
    pub status: u16,
    /// Where the URL redirects to, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect: Option<(u16, String)>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    version: u32,
    entries: BTreeMap<String, Entry>,
}

const VERSION: u32 = 1;

/// The cache, loaded in memory.
#[derive(Debug)]
pub struct Cache {
    path: Option<PathBuf>,
    max_age: Duration,
    entries: BTreeMap<String, Entry>,
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl Cache {
    /// Load the cache at `path` (none: a cache that forgets everything).
    pub fn load(path: Option<&Path>, max_age: Duration) -> Cache {
        let entries = path
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|b| serde_json::from_slice::<File>(&b).ok())
            .filter(|f| f.version == VERSION)
            .map(|f| f.entries)
            .unwrap_or_default();
        let mut c = Cache {
            path: path.map(Path::to_path_buf),
            max_age,
            entries,
        };
        let now = now();
        c.entries.retain(|_, e| c_fresh(e, now, max_age));
        c
    }

    /// A fresh entry for `url`, if there is one.
    pub fn get(&self, url: &str) -> Option<&Entry> {
        self.entries
            .get(url)
            .filter(|e| c_fresh(e, now(), self.max_age))
    }

    /// Remember `entry` for `url`.
    pub fn put(&mut self, url: &str, entry: Entry) {
        self.entries.insert(url.to_string(), entry);
    }

    /// Write the cache back (to a temporary file, then renamed into
    /// place). Errors are returned for a warning; they never fail a check.
    pub fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let file = File {
            version: VERSION,
            entries: self.entries.clone(),
        };
        let json = serde_json::to_vec_pretty(&file).map_err(std::io::Error::other)?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json)?;
        std::fs::rename(&tmp, path)
    }
}

fn c_fresh(e: &Entry, now: u64, max_age: Duration) -> bool {
    e.checked <= now && now - e.checked < max_age.as_secs()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_entries_are_ignored_and_corrupt_files_are_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.json");
        let mut c = Cache::load(Some(&path), Duration::from_secs(60));
        c.put(
            "https://a.org/",
            Entry {
                checked: now(),
                status: 200,
                redirect: None,
            },
        );
        c.put(
            "https://old.org/",
            Entry {
                checked: now() - 120,
                status: 200,
                redirect: None,
            },
        );
        c.save().unwrap();
        let c = Cache::load(Some(&path), Duration::from_secs(60));
        assert!(c.get("https://a.org/").is_some());
        assert!(c.get("https://old.org/").is_none());
        std::fs::write(&path, "{not json").unwrap();
        let c = Cache::load(Some(&path), Duration::from_secs(60));
        assert!(c.get("https://a.org/").is_none());
    }
}
