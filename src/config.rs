//! `site.yaml`: the book's settings, read into a typed [`SiteConfig`].
//!
//! Unknown keys are errors that name the key and suggest the closest known
//! one, so that a typo never silently drops a setting.

use std::path::Path;

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::yaml;

/// The settings of one book, as written in `site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The book's title (required).
    pub title: String,
    /// A sentence about the book, for the home page's meta description.
    #[serde(default)]
    pub description: String,
    /// Where the book is published, e.g. `https://example.org/book/`. Used
    /// for the sitemap, the feed and canonical links; its path is the
    /// prefix of root-relative links. Defaults to `/`.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    /// The language of the text (`lang` attribute). Defaults to `en`.
    #[serde(default = "default_language")]
    pub language: String,
    /// The author shown in the footer and in the feed.
    #[serde(default)]
    pub author: String,
    /// The theme: `default`, or the name of a folder under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The book's source repository, for "edit this page" links.
    #[serde(default)]
    pub repo_url: Option<String>,
    /// The prefix of "edit this page" links, to which the page's path under
    /// `content/` is appended. Defaults to `{repo_url}/edit/main/content/`.
    #[serde(default)]
    pub edit_url: Option<String>,
    /// Settings for verified SQL examples.
    #[serde(default)]
    pub sql: Option<SqlConfig>,
}

/// Settings for running ```` ```sql run ```` blocks at build time.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SqlConfig {
    /// A connection URL used when neither `--database-url` nor
    /// `DATABASE_URL` is given.
    #[serde(default)]
    pub database_url: Option<String>,
    /// A `.sql` file, relative to the site folder, run in every page's
    /// scratch database before the page's own blocks.
    #[serde(default)]
    pub setup: Option<String>,
    /// Per-statement timeout in seconds (default 10).
    #[serde(default)]
    pub timeout: Option<u64>,
}

fn default_base_url() -> String {
    "/".to_string()
}
fn default_language() -> String {
    "en".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}

impl SiteConfig {
    /// Read and validate `site.yaml` in `dir`.
    pub fn load(dir: &Path) -> Result<SiteConfig, Diagnostic> {
        let path = dir.join("site.yaml");
        let shown = Path::new("site.yaml");
        if std::fs::metadata(&path).is_ok_and(|m| !m.is_file()) {
            // A folder, or a named pipe that would block the read forever.
            return Err(Diagnostic::error(
                "site.yaml is not a regular file; expected a YAML file with at least \
                 `title: \"...\"`",
            )
            .in_file(shown));
        }
        let bytes = std::fs::read(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Diagnostic::error(format!(
                    "no site.yaml in {}; expected a site folder with site.yaml and content/ \
                     (run `openbook init DIR` to start one)",
                    dir.display()
                ))
            } else {
                Diagnostic::error(format!("cannot read site.yaml: {e}")).in_file(shown)
            }
        })?;
        let text = crate::source::text::decode(&bytes, shown)?;
        if text.trim().is_empty() {
            return Err(Diagnostic::error(
                "site.yaml is empty; expected at least `title: \"...\"`",
            )
            .in_file(shown)
            .at(1, 1));
        }
        let mut config: SiteConfig = yaml::parse(&text, shown, 1)?;
        config.validate(&text, shown)?;
        Ok(config)
    }

    fn validate(&mut self, text: &str, shown: &Path) -> Result<(), Diagnostic> {
        let line = |key: &str| yaml::key_line(text, key).unwrap_or(1);
        if self.title.trim().is_empty() {
            return Err(
                Diagnostic::error("`title` is empty; expected the book's title")
                    .in_file(shown)
                    .at(line("title"), 1),
            );
        }
        if !self.base_url.ends_with('/') {
            self.base_url.push('/');
        }
        if !(self.base_url.starts_with('/')
            || self.base_url.starts_with("http://")
            || self.base_url.starts_with("https://"))
        {
            return Err(Diagnostic::error(format!(
                "`base_url` is `{}`; expected an absolute URL such as \
                 `https://example.org/book/` or a path such as `/book/`",
                self.base_url
            ))
            .in_file(shown)
            .at(line("base_url"), 1));
        }
        if self.theme.is_empty()
            || !self
                .theme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Diagnostic::error(format!(
                "`theme` is `{}`; expected `default` or a folder name under themes/ \
                 (letters, digits, `-`, `_`)",
                self.theme
            ))
            .in_file(shown)
            .at(line("theme"), 1));
        }
        Ok(())
    }

    /// Replace the base URL (from `--base-url`).
    pub fn set_base_url(&mut self, url: &str) {
        self.base_url = url.to_string();
        if !self.base_url.ends_with('/') {
            self.base_url.push('/');
        }
    }

    /// The path part of the base URL, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let rest = match self.base_url.split_once("://") {
            Some((_, rest)) => rest.find('/').map(|i| &rest[i..]).unwrap_or("/"),
            None => self.base_url.as_str(),
        };
        let mut p = rest.to_string();
        if !p.starts_with('/') {
            p.insert(0, '/');
        }
        if !p.ends_with('/') {
            p.push('/');
        }
        p
    }

    /// True when the base URL has a scheme and host, so that absolute links
    /// (sitemap, feed, canonical) can be written.
    pub fn has_absolute_base(&self) -> bool {
        self.base_url.starts_with("http://") || self.base_url.starts_with("https://")
    }

    /// The "edit this page" prefix, if the book has one.
    pub fn edit_prefix(&self) -> Option<String> {
        if let Some(e) = &self.edit_url {
            let mut e = e.clone();
            if !e.ends_with('/') {
                e.push('/');
            }
            return Some(e);
        }
        self.repo_url
            .as_ref()
            .map(|r| format!("{}/edit/main/content/", r.trim_end_matches('/')))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(base: &str) -> SiteConfig {
        let mut c: SiteConfig = yaml::parse(
            &format!("title: T\nbase_url: {base}\n"),
            Path::new("site.yaml"),
            1,
        )
        .unwrap();
        c.validate("", Path::new("site.yaml")).unwrap();
        c
    }

    #[test]
    fn base_path_from_url() {
        assert_eq!(cfg("https://example.org/book").base_path(), "/book/");
        assert_eq!(cfg("https://example.org").base_path(), "/");
        assert_eq!(cfg("/sub/").base_path(), "/sub/");
    }

    #[test]
    fn unknown_key_is_named() {
        let e = yaml::parse::<SiteConfig>("title: T\nbase_ulr: x\n", Path::new("site.yaml"), 1)
            .unwrap_err();
        assert!(
            e.message.contains("did you mean `base_url`?"),
            "{}",
            e.message
        );
        assert_eq!(e.line, 2);
    }
}
