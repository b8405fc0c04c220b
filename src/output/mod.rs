//! Writing the built site safely.
//!
//! [`check_destination`] refuses an output folder that would overwrite the
//! author's work, before anything is written or deleted. [`Staging`] writes
//! the new site into a temporary folder beside the destination and swaps it
//! in only when the whole build succeeded, so a failed build leaves the
//! last good site where it was. A manifest file marks folders openbook
//! wrote, so that it never replaces a folder it did not create.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diag::Diagnostic;

pub mod manifest;

/// The file that marks an output folder as openbook's, and records what
/// was built into it.
pub const MANIFEST: &str = ".openbook-manifest.json";

/// Make `p` absolute and normalised, without requiring it to exist:
/// the longest existing ancestor is canonicalised (resolving symlinks) and
/// the rest appended with `..` and `.` folded.
pub fn absolute(p: &Path) -> io::Result<PathBuf> {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    };
    // Fold `.` and `..` lexically first: `public/../content` is `content`
    // even when `public` does not exist yet.
    let mut p = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                p.pop();
            }
            Component::CurDir => {}
            other => p.push(other.as_os_str()),
        }
    }
    let mut existing = p.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        match Path::new(&name).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => out.push(name),
        }
    }
    Ok(out)
}

/// Refuse a destination that is the site folder, an ancestor of it, or
/// inside `content/` or `themes/`, or an existing folder openbook did not
/// write.
pub fn check_destination(dir: &Path, dest: &Path) -> Result<(), Diagnostic> {
    let dir = absolute(dir)
        .map_err(|e| Diagnostic::error(format!("cannot resolve the site folder: {e}")))?;
    let dest_abs = absolute(dest)
        .map_err(|e| Diagnostic::error(format!("cannot resolve the output folder: {e}")))?;
    let refuse = |why: &str| {
        Err(Diagnostic::error(format!(
            "refusing to write the book to {}: {why}; choose another --out",
            dest.display()
        )))
    };
    if dest_abs == dir {
        return refuse("it is the site folder itself");
    }
    if dir.starts_with(&dest_abs) {
        return refuse("it contains the site folder");
    }
    for protected in ["content", "themes"] {
        if dest_abs.starts_with(dir.join(protected)) {
            return refuse(&format!("it is inside the site's {protected}/ folder"));
        }
    }
    if dest_abs.exists() {
        if !dest_abs.is_dir() {
            return refuse("it exists and is not a folder");
        }
        let empty = std::fs::read_dir(&dest_abs)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !dest_abs.join(MANIFEST).is_file() {
            return refuse(
                "it already holds files that openbook did not write (there is no \
                 .openbook-manifest.json); move them away or delete the folder first",
            );
        }
    }
    Ok(())
}

/// A temporary folder beside the destination that becomes the destination
/// on [`Staging::commit`], and is removed if dropped before.
pub struct Staging {
    dest: PathBuf,
    dir: Option<tempfile::TempDir>,
}

impl Staging {
    /// Create the staging folder next to `dest` (same file system, so the
    /// final swap is a rename).
    pub fn new(dest: &Path) -> io::Result<Staging> {
        let dest = absolute(dest)?;
        let parent = dest
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dest.clone());
        std::fs::create_dir_all(&parent)?;
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = tempfile::Builder::new()
            .prefix(&format!(".{name}.openbook-stage-"))
            .tempdir_in(&parent)?;
        Ok(Staging {
            dest,
            dir: Some(dir),
        })
    }

    /// The staging folder.
    pub fn path(&self) -> &Path {
        self.dir.as_ref().expect("staging not committed").path()
    }

    /// The final destination.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Move the staged site into place. The old site is renamed aside first
    /// and deleted only once the new one is in place.
    pub fn commit(mut self) -> io::Result<()> {
        let staged = self.dir.take().expect("staging not committed").keep();
        let old = if self.dest.exists() {
            let parent = self.dest.parent().unwrap_or(Path::new("."));
            let aside = tempfile::Builder::new()
                .prefix(".openbook-old-")
                .tempdir_in(parent)?
                .keep();
            // Rename over the empty placeholder folder.
            std::fs::remove_dir(&aside)?;
            std::fs::rename(&self.dest, &aside)?;
            Some(aside)
        } else {
            None
        };
        if let Err(e) = std::fs::rename(&staged, &self.dest) {
            // Put the old site back.
            if let Some(old) = &old {
                let _ = std::fs::rename(old, &self.dest);
            }
            let _ = std::fs::remove_dir_all(&staged);
            return Err(e);
        }
        if let Some(old) = old {
            let _ = std::fs::remove_dir_all(old);
        }
        Ok(())
    }
}

/// Join a site-relative output path onto `root`, refusing anything that
/// could escape it (absolute paths, `..`).
pub fn safe_join(root: &Path, rel: &str) -> io::Result<PathBuf> {
    let mut p = root.to_path_buf();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("output path `{rel}` would leave the output folder"),
                ))
            }
            s if s.contains('\\') || s.contains('\0') || Path::new(s).is_absolute() => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "output path `{rel}` is not allowed; expected names without `\\` \
                         (a folder separator on Windows) or NUL"
                    ),
                ))
            }
            s => p.push(s),
        }
    }
    Ok(p)
}

/// Write `bytes` to `root/rel`, creating folders.
pub fn write_file(root: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    let path = safe_join(root, rel)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&path, bytes)
}

/// Write `root/rel` from what `fill` writes, through a buffer, creating
/// folders; returns the length and hash of what was written.
pub fn write_file_with(
    root: &Path,
    rel: &str,
    fill: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
) -> io::Result<manifest::Entry> {
    let path = safe_join(root, rel)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut out = Hashing {
        inner: io::BufWriter::with_capacity(256 << 10, std::fs::File::create(&path)?),
        hash: xxhash_rust::xxh3::Xxh3::new(),
        len: 0,
    };
    fill(&mut out)?;
    io::Write::flush(&mut out)?;
    Ok(manifest::Entry {
        len: out.len,
        hash: out.hash.digest(),
    })
}

/// A writer that hashes what goes through it.
struct Hashing<W> {
    inner: W,
    hash: xxhash_rust::xxh3::Xxh3,
    len: u64,
}

impl<W: io::Write> io::Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Hard-link the existing file `old` to `root/rel`, creating folders.
pub fn link_file(root: &Path, rel: &str, old: &Path) -> io::Result<()> {
    let path = safe_join(root, rel)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::hard_link(old, &path)
}

/// Replace the file at `root/rel` by a hard link to `old`, atomically (a
/// link beside it, renamed over it).
pub fn replace_with_link(root: &Path, rel: &str, old: &Path) -> io::Result<()> {
    let path = safe_join(root, rel)?;
    let mut beside = path.clone().into_os_string();
    beside.push(".openbook-link");
    let beside = PathBuf::from(beside);
    std::fs::hard_link(old, &beside)?;
    std::fs::rename(&beside, &path).inspect_err(|_| {
        let _ = std::fs::remove_file(&beside);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_join_refuses_escape() {
        let r = Path::new("/tmp/out");
        assert!(safe_join(r, "a/b/index.html").is_ok());
        assert!(safe_join(r, "../x").is_err());
        assert!(safe_join(r, "a/../../x").is_err());
        assert_eq!(
            safe_join(r, "/etc/passwd").unwrap(),
            Path::new("/tmp/out/etc/passwd")
        );
    }

    #[test]
    fn destinations() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir(site.path().join("content")).unwrap();
        let s = site.path();
        assert!(check_destination(s, &s.join("public")).is_ok());
        assert!(check_destination(s, s).is_err());
        assert!(check_destination(s, s.parent().unwrap()).is_err());
        assert!(check_destination(s, &s.join("content/out")).is_err());
        assert!(check_destination(s, &s.join("themes/x")).is_err());
        assert!(check_destination(s, &s.join("public/../content")).is_err());
        std::fs::create_dir(s.join("mine")).unwrap();
        std::fs::write(s.join("mine/notes.txt"), "precious").unwrap();
        assert!(check_destination(s, &s.join("mine")).is_err());
    }
}
