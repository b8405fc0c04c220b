//! Watching the site folder for edits.
//!
//! notify's full debouncer merges an editor's burst of events (write to a
//! temporary file, rename over the original, delete the backup) into one
//! batch and stitches rename pairs, so one save causes one rebuild. Paths of
//! hidden files and editor droppings (`.swp`, `~`, `4913`, `#x#`) are
//! dropped here; the output folder is never watched. `--poll` uses polling
//! instead of inotify, for network drives and WSL.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer_opt, DebounceEventResult, Debouncer, RecommendedCache};

use crate::diag::Diagnostic;

/// How long the debouncer waits for an editor's burst of events to end.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// A running watcher; dropping it stops watching.
pub enum Handle {
    /// inotify (or the platform's native watcher).
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    /// Polling.
    Poll(Debouncer<notify::PollWatcher, RecommendedCache>),
}

fn relevant(path: &Path, dir: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(dir) else {
        return false;
    };
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next().unwrap_or_default();
    let top = first == "content" || first == "themes" || first == "site.yaml";
    top && !rel
        .components()
        .any(|c| crate::source::is_ignored_name(&c.as_os_str().to_string_lossy()))
}

/// Watch `dir`'s `content/`, `themes/` and `site.yaml`; every debounced
/// batch of relevant changed paths is handed to `on_change`.
pub fn watch(
    dir: &Path,
    poll: bool,
    on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
) -> Result<Handle, Diagnostic> {
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let root = dir.clone();
    let handler = move |res: DebounceEventResult| {
        let Ok(events) = res else {
            return;
        };
        let mut paths: Vec<PathBuf> = events
            .iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths.iter().cloned())
            .filter(|p| relevant(p, &root))
            .collect();
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            on_change(paths);
        }
    };
    let err = |e: notify::Error| {
        Diagnostic::error(format!("cannot watch {} for changes: {e}", dir.display()))
    };
    let targets = [
        (dir.join("content"), RecursiveMode::Recursive),
        (dir.join("themes"), RecursiveMode::Recursive),
        (dir.clone(), RecursiveMode::NonRecursive),
    ];
    if poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
        let mut d = new_debouncer_opt::<_, notify::PollWatcher, _>(
            DEBOUNCE,
            None,
            handler,
            RecommendedCache::new(),
            config,
        )
        .map_err(err)?;
        for (p, mode) in &targets {
            if p.exists() {
                d.watch(p, *mode).map_err(err)?;
            }
        }
        Ok(Handle::Poll(d))
    } else {
        let mut d = new_debouncer_opt::<_, notify::RecommendedWatcher, _>(
            DEBOUNCE,
            None,
            handler,
            RecommendedCache::new(),
            notify::Config::default(),
        )
        .map_err(err)?;
        for (p, mode) in &targets {
            if p.exists() {
                d.watch(p, *mode).map_err(err)?;
            }
        }
        Ok(Handle::Native(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_are_relevant() {
        let d = Path::new("/site");
        assert!(relevant(Path::new("/site/content/a.md"), d));
        assert!(relevant(Path::new("/site/site.yaml"), d));
        assert!(relevant(Path::new("/site/themes/x/templates/page.html"), d));
        assert!(!relevant(Path::new("/site/public/index.html"), d));
        assert!(!relevant(Path::new("/site/content/.a.md.swp"), d));
        assert!(!relevant(Path::new("/site/content/a.md~"), d));
        assert!(!relevant(Path::new("/site/content/4913"), d));
        assert!(!relevant(Path::new("/site/README.md"), d));
    }
}
