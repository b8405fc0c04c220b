//! URLs and output paths.
//!
//! Every page has a site-relative URL path such as `connecting/psycopg/`
//! (the home page is the empty path). Links inside the book are written
//! relative to the linking page, so the book works under any sub-path of
//! the base URL and, with `--offline`, from disk.

/// A derived slug: lowercase ASCII, letters transliterated where possible
/// (`Café` → `cafe`, `Привет` → `privet`), runs of other characters
/// become `-`.
pub fn slugify(name: &str) -> String {
    let ascii = deunicode::deunicode(name);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// How links between pages are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkStyle {
    /// `../psycopg/` — for a web server.
    Pretty,
    /// `../psycopg/index.html` — for reading from disk.
    Offline,
}

/// The relative URL from the page at `from` to the site path `to` (both
/// site-relative; directories end in `/`, the home page is ``).
pub fn relative(from: &str, to: &str, style: LinkStyle) -> String {
    let (to_path, frag) = match to.find('#') {
        Some(i) => (&to[..i], &to[i..]),
        None => (to, ""),
    };
    let from_segs: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to_segs: Vec<&str> = to_path.split('/').collect();
    // Directory segments of the target: all but the last element (which
    // is `` for a directory URL, or a file name).
    let to_dirs = &to_segs[..to_segs.len() - 1];
    let common = from_segs
        .iter()
        .zip(to_dirs)
        .take_while(|(a, b)| a == b)
        .count();
    let mut s = "../".repeat(from_segs.len() - common);
    s.push_str(&to_segs[common..].join("/"));
    s.push_str(frag);
    finish(s, style)
}

/// The prefix that leads from the page at `from` to the site root.
pub fn root_prefix(from: &str) -> String {
    "../".repeat(from.matches('/').count())
}

/// Apply the link style to a URL that may end in a directory.
pub fn finish(mut s: String, style: LinkStyle) -> String {
    let (path, frag) = match s.find('#') {
        Some(i) => {
            let frag = s[i..].to_string();
            s.truncate(i);
            (s, frag)
        }
        None => (s, String::new()),
    };
    let mut path = path;
    if style == LinkStyle::Offline && (path.is_empty() || path.ends_with('/')) {
        path.push_str("index.html");
    } else if path.is_empty() {
        path.push_str("./");
    }
    path + &frag
}

/// The output file for a page URL (`a/b/` → `a/b/index.html`).
pub fn page_file(url: &str) -> String {
    format!("{url}index.html")
}

/// Resolve a relative path (`../x/y.md`) against a folder (`a/b`), both
/// `/`-separated and relative to `content/`. `None` if it climbs above the
/// root.
pub fn resolve(folder: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = if link.starts_with('/') {
        Vec::new()
    } else {
        folder.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Percent-decode a link target (`my%20page.md` → `my page.md`).
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // Work on bytes: `%` may be followed by a multi-byte character,
        // and slicing the `str` there would panic (found by `check`'s
        // hardening tests, issue 6).
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encode the characters of a path that may not appear raw in an
/// `href` (spaces, quotes, non-ASCII are kept readable by browsers but
/// encoded here for validity).
pub fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' | b'#' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Café au lait"), "cafe-au-lait");
        assert_eq!(slugify("  Hello, World!  "), "hello-world");
        assert_eq!(slugify("psycopg 3"), "psycopg-3");
        assert_eq!(slugify("Привет мир"), "privet-mir");
        assert_eq!(slugify("../../etc"), "etc");
    }

    #[test]
    fn relative_urls() {
        assert_eq!(relative("a/b/", "c/", LinkStyle::Pretty), "../../c/");
        assert_eq!(relative("", "c/", LinkStyle::Pretty), "c/");
        assert_eq!(relative("a/", "", LinkStyle::Pretty), "../");
        assert_eq!(relative("", "", LinkStyle::Pretty), "./");
        assert_eq!(relative("a/", "", LinkStyle::Offline), "../index.html");
        assert_eq!(
            relative("a/", "b/#x", LinkStyle::Offline),
            "../b/index.html#x"
        );
        assert_eq!(
            relative("a/", "img/x.png", LinkStyle::Offline),
            "../img/x.png"
        );
        assert_eq!(relative("a/b/", "a/c/", LinkStyle::Pretty), "../c/");
        assert_eq!(relative("a/b/", "a/b/", LinkStyle::Pretty), "./");
        assert_eq!(relative("a/b/", "a/", LinkStyle::Pretty), "../");
        assert_eq!(relative("a/b/", "a/b/c/#x", LinkStyle::Pretty), "c/#x");
        assert_eq!(
            relative("a/b/", "a/img/x.png", LinkStyle::Pretty),
            "../img/x.png"
        );
        assert_eq!(relative("a/b/", "#x", LinkStyle::Pretty), "../../#x");
    }

    #[test]
    fn resolving() {
        assert_eq!(resolve("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(resolve("a", "./c.md").as_deref(), Some("a/c.md"));
        assert_eq!(resolve("", "../c.md"), None);
        assert_eq!(percent_decode("my%20page.md"), "my page.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%41%c3%a9"), "Aé");
    }

    /// See issue 6: `%` followed by a multi-byte character panicked.
    #[test]
    fn percent_before_a_multibyte_character_does_not_panic() {
        assert_eq!(percent_decode("%aé.md"), "%aé.md");
        assert_eq!(percent_decode("%é"), "%é");
    }
}
