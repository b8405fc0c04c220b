//! Page bodies parked on disk between the Markdown stage and the writing
//! stage of `openbook build`.
//!
//! Every page's body must exist before anything is written (links and
//! anchors are checked across the whole book first), and the pages and
//! `print/` need them again at the end. Held in memory, the bodies of a
//! 10,000-page book were a third of a build's peak memory (200 MB of
//! 580 MB). Instead, each body is appended to one anonymous temporary file
//! as soon as it is rendered and read back when its page is written: one
//! big sequential file costs the kernel little (unlike many small ones),
//! and the bytes stay in the page cache, which the system can reclaim.
//!
//! The file is created beside the output folder (on the same disk, never
//! on a `tmpfs` in memory) without a name (`O_TMPFILE`), so it disappears
//! when the build ends, however it ends. Where that is not possible the
//! bodies simply stay in memory. `serve` and `check` keep them in memory.

use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where a body was parked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    offset: u64,
    len: usize,
}

/// An anonymous file that bodies are appended to, from any thread.
#[derive(Debug)]
pub struct Spool {
    file: File,
    end: AtomicU64,
}

impl Spool {
    /// A spool in the folder that will hold `dest`, if that folder exists
    /// and the platform allows it.
    pub fn beside(dest: &Path) -> Option<Spool> {
        if !cfg!(unix) {
            return None;
        }
        let dest = crate::output::absolute(dest).ok()?;
        let parent = dest.parent()?;
        let file = tempfile::tempfile_in(parent).ok()?;
        Some(Spool {
            file,
            end: AtomicU64::new(0),
        })
    }

    /// Park `text`.
    pub fn put(&self, text: &str) -> io::Result<Slot> {
        let len = text.len();
        let offset = self.end.fetch_add(len as u64, Ordering::Relaxed);
        write_at(&self.file, text.as_bytes(), offset)?;
        Ok(Slot { offset, len })
    }

    /// Read back what was parked at `slot`.
    pub fn get(&self, slot: Slot) -> io::Result<String> {
        let mut buf = vec![0; slot.len];
        read_at(&self.file, &mut buf, slot.offset)?;
        String::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn write_at(_: &File, _: &[u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(not(unix))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_come_back_from_any_thread_and_leave_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let spool = Spool::beside(&dir.path().join("public")).expect("a spool");
        let texts: Vec<String> = (0..200)
            .map(|i| format!("<p>page {i} é</p>").repeat(i % 7 + 1))
            .collect();
        let slots: Vec<Slot> = std::thread::scope(|s| {
            let handles: Vec<_> = texts
                .iter()
                .map(|t| s.spawn(|| spool.put(t).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for (t, slot) in texts.iter().zip(slots) {
            assert_eq!(&spool.get(slot).unwrap(), t);
        }
        // Nothing with a name was created beside the destination.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
