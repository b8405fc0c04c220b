//! The default theme, compiled into the binary so that `openbook` works in
//! any folder. `themes/default/` in this repository is its source; a site's
//! own `themes/<name>/templates/` and `themes/<name>/static/` override it
//! file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};

macro_rules! embed {
    ($kind:literal, $($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../themes/default/", $kind, "/", $name)))),*]
    };
}

/// The default templates.
pub const TEMPLATES: &[(&str, &[u8])] = embed!(
    "templates",
    "base.html",
    "partials/page-header.html",
    "partials/page-footer.html",
    "partials/choices.html",
    "partials/resources.html",
    "partials/outline.html",
    "page.html",
    "chapter.html",
    "home.html",
    "contents.html",
    "404.html",
    "resources.html",
    "status.html",
    "tags.html",
    "tag.html",
    "print.html",
    "search.html",
    "sitemap.xml",
    "atom.xml",
);

/// The default static files (written under `assets/`).
pub const STATIC: &[(&str, &[u8])] =
    embed!("static", "style.css", "app.js", "search.js", "favicon.svg",);

/// A file of the theme and where it came from.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Where it came from, for messages (`themes/x/templates/page.html`, or
    /// `(built-in) page.html`).
    pub shown: PathBuf,
}

/// The resolved theme: built-in files with the site's overrides applied.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Template name → file.
    pub templates: BTreeMap<String, ThemeFile>,
    /// Static path (relative to `assets/`) → file.
    pub statics: BTreeMap<String, ThemeFile>,
}

impl Theme {
    /// Load the theme named in `site.yaml` for the site in `dir`.
    pub fn load(dir: &Path, name: &str) -> Result<Theme, Diagnostics> {
        let mut theme = Theme::default();
        for (n, b) in TEMPLATES {
            theme.templates.insert(
                (*n).to_string(),
                ThemeFile {
                    bytes: b.to_vec(),
                    shown: PathBuf::from(format!("(built-in theme) templates/{n}")),
                },
            );
        }
        for (n, b) in STATIC {
            theme.statics.insert(
                (*n).to_string(),
                ThemeFile {
                    bytes: b.to_vec(),
                    shown: PathBuf::from(format!("(built-in theme) static/{n}")),
                },
            );
        }
        let folder = dir.join("themes").join(name);
        if !folder.is_dir() {
            if name == "default" {
                return Ok(theme);
            }
            return Err(Diagnostic::error(format!(
                "`theme: {name}` but there is no folder themes/{name}/; expected \
                 themes/{name}/templates/ (or `theme: default`)"
            ))
            .in_file("site.yaml")
            .into());
        }
        let mut diags = Diagnostics::new();
        for (sub, map) in [
            ("templates", &mut theme.templates),
            ("static", &mut theme.statics),
        ] {
            let base = folder.join(sub);
            if !base.is_dir() {
                continue;
            }
            for entry in walkdir::WalkDir::new(&base).sort_by_file_name() {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        diags.push(Diagnostic::error(format!("cannot read the theme: {e}")));
                        continue;
                    }
                };
                if !entry.file_type().is_file() {
                    continue;
                }
                let fname = entry.file_name().to_string_lossy();
                if crate::source::is_ignored_name(&fname) {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(&base)
                    .unwrap_or(entry.path())
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let shown = crate::source::shown(dir, entry.path());
                match std::fs::read(entry.path()) {
                    Ok(bytes) => {
                        map.insert(rel, ThemeFile { bytes, shown });
                    }
                    Err(e) => diags.push(
                        Diagnostic::error(format!("cannot read this file: {e}")).in_file(shown),
                    ),
                }
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        Ok(theme)
    }

    /// A hash of every theme file, for cache-busting and change detection.
    pub fn hash(&self) -> u64 {
        let mut h = 0u64;
        for (n, f) in self.templates.iter().chain(self.statics.iter()) {
            h = h.rotate_left(7)
                ^ crate::source::fxhash(n.as_bytes())
                ^ crate::source::fxhash(&f.bytes);
        }
        h
    }
}
