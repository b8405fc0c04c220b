//! Author scaffolding: `openbook init` (a new book that shows every
//! feature) and `openbook new` (a page with its front matter filled in, in
//! the right place). Neither ever overwrites a file.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::source::order::split_prefix;

macro_rules! starter {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("starter/", $path)))),*]
    };
}

/// The starter book written by `init`: path → text. `2026-01-01` is
/// replaced by today's date.
const STARTER: &[(&str, &str)] = starter!(
    "site.yaml",
    "content/index.md",
    "content/01-getting-started/_index.md",
    "content/01-getting-started/01-first-page.md",
    "content/01-getting-started/02-second-page.md",
    "content/01-getting-started/img/diagram.svg",
);

const PLACEHOLDER_DATE: &str = "2026-01-01";

/// Today's date, `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a (year, month, day) date; Howard Hinnant's
/// algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Create a new book in `dir`, which must not exist or be empty. Returns
/// the files written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Diagnostic::error(format!(
                "{} exists and is not a folder; expected a new or empty folder",
                dir.display()
            )));
        }
        let mut entries = std::fs::read_dir(dir)
            .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", dir.display())))?;
        if entries.next().is_some() {
            return Err(Diagnostic::error(format!(
                "{} is not empty; `openbook init` only writes into a new or empty folder, \
                 so that it never overwrites your files",
                dir.display()
            )));
        }
    }
    let today = today();
    let mut written = Vec::new();
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        write_new(&path, &text.replace(PLACEHOLDER_DATE, &today))?;
        written.push(path);
    }
    Ok(written)
}

/// Write a file that must not exist yet.
fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::error(format!(
                    "{} already exists; openbook never overwrites a file",
                    path.display()
                ))
            } else {
                Diagnostic::error(format!("cannot create {}: {e}", path.display()))
            }
        })?;
    f.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))
}

/// "connection-pooling" → "Connection pooling".
pub fn title_from_stem(stem: &str) -> String {
    let words = split_prefix(stem).rest.replace(['-', '_'], " ");
    let words = words.trim();
    let mut c = words.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => "Untitled".to_string(),
    }
}

/// The site folder that `path` (a page to create) belongs to: the nearest
/// ancestor with a `site.yaml`, if `path` is under its `content/`.
fn find_site(path: &Path) -> Option<PathBuf> {
    let mut cur = path.parent();
    while let Some(dir) = cur {
        if dir.join("site.yaml").is_file() {
            let content = dir.join("content");
            return path.starts_with(&content).then(|| dir.to_path_buf());
        }
        cur = dir.parent();
    }
    None
}

/// The next numeric prefix among the siblings in `folder` (`03-` after
/// `02-...`), or `None` if no sibling has one.
fn next_prefix(folder: &Path) -> Option<String> {
    let entries = std::fs::read_dir(folder).ok()?;
    let mut max: Option<(u64, usize)> = None;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if crate::source::is_ignored_name(&name) || name == "_index.md" {
            continue;
        }
        let digits = name.bytes().take_while(u8::is_ascii_digit).count();
        if let Some(n) = split_prefix(name.trim_end_matches(".md")).number {
            let width = max.map_or(digits, |(_, w)| w.max(digits));
            max = Some((max.map_or(n, |(m, _)| m.max(n)), width));
        }
    }
    max.map(|(n, width)| format!("{:0width$}-", n + 1))
}

/// Create a new page at `path` (relative to the current directory, under
/// a site's `content/`). If the name has no numeric prefix and its
/// siblings do, the next free one is added so the page sorts after them.
/// Returns the path written.
pub fn new_page(path: &Path) -> Result<PathBuf, Diagnostic> {
    let mut path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| Diagnostic::error(format!("cannot read the current folder: {e}")))?
            .join(path)
    };
    if path.extension().is_none_or(|e| e != "md") {
        let mut s = path.into_os_string();
        s.push(".md");
        path = PathBuf::from(s);
    }
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Err(Diagnostic::error(
            "expected a file name such as content/01-intro/02-setup.md",
        ));
    };
    if name.contains(['/', '\\']) || name.starts_with('.') {
        return Err(Diagnostic::error(format!(
            "`{name}` is not a usable page name"
        )));
    }
    if find_site(&path).is_none() {
        return Err(Diagnostic::error(format!(
            "{} is not inside the content/ folder of a site (a folder with site.yaml); \
             expected a path such as content/02-chapter/03-page.md",
            path.display()
        )));
    }
    let stem = name.trim_end_matches(".md").to_string();
    let folder = path.parent().map(Path::to_path_buf).unwrap_or_default();
    if split_prefix(&stem).number.is_none() {
        if let Some(prefix) = next_prefix(&folder) {
            path = folder.join(format!("{prefix}{name}"));
        }
    }
    let title = if stem == "_index" {
        folder.file_name().map_or_else(
            || "Chapter".to_string(),
            |f| title_from_stem(&f.to_string_lossy()),
        )
    } else {
        title_from_stem(&stem)
    };
    let text = format!(
        "---\ntitle: \"{}\"\ndescription: \"\"\nupdated: {}\nstatus: draft\ntags: []\n---\n\n\
         Start writing here.\n",
        title.replace('"', "\\\""),
        today()
    );
    std::fs::create_dir_all(&folder)
        .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", folder.display())))?;
    write_new(&path, &text)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_417), (2025, 11, 25));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert!(crate::source::front_matter::is_valid_date(&today()));
    }

    #[test]
    fn titles() {
        assert_eq!(
            title_from_stem("03-connection-pooling"),
            "Connection pooling"
        );
        assert_eq!(title_from_stem("psycopg_3"), "Psycopg 3");
    }
}
