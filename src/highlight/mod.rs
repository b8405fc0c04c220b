//! Syntax highlighting with syntect, as CSS classes (never inline styles).
//!
//! syntect runs on the Oniguruma regex engine rather than the pure-Rust
//! fancy-regex: on the code blocks of a 1,000-page generated corpus (2,000
//! blocks, 34,000 lines; `cargo run --release --example highlight_speed`)
//! Oniguruma highlighted 18,700 lines/s on one core against 2,800-5,600
//! for fancy-regex on the same machine, with byte-identical output, for
//! about a minute more of first compile.
//!
//! The syntax set (syntect's defaults plus two-face's extras, which add
//! TOML, INI, Dockerfile, TypeScript...) is decoded once per process, on
//! first use or ahead of time by [`warm_up`] on a spare thread while the
//! content is being read. Scope classes carry an `hl-` prefix so they never
//! collide with the theme's own CSS; [`stylesheet`] writes the light and
//! dark colour schemes for them.
//!
//! Lines are memoised ([`memo`]): the HTML of a line is a function of the
//! line, the syntax and the parser's state where the line starts, so a line
//! met again in the same state (a blank line, `import psycopg`, `);`,
//! `ORDER BY n DESC`) is copied instead of re-parsed. What this saves is
//! measured in the README's performance section.

pub mod memo;

use std::sync::OnceLock;

use syntect::html::{css_for_theme_with_class_style, ClassStyle};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Start decoding the syntax set on another thread, so that it is ready by
/// the time the first code block is rendered.
pub fn warm_up() {
    std::thread::spawn(|| {
        syntaxes();
    });
}

/// Languages that are shown as plain text on purpose.
fn is_plain(lang: &str) -> bool {
    matches!(
        lang,
        "" | "text" | "txt" | "plain" | "plaintext" | "output" | "none"
    )
}

fn find(lang: &str) -> Option<&'static SyntaxReference> {
    let set = syntaxes();
    let token = match lang {
        "psql" | "pgsql" | "postgresql" | "postgres" | "plpgsql" => "sql",
        "console" | "shell-session" | "shell" | "sh" | "zsh" | "bash" => "bash",
        "py" | "python3" | "pycon" => "python",
        "yml" => "yaml",
        "conf" | "cfg" | "postgresql.conf" | "pg_hba.conf" => "ini",
        "rs" => "rust",
        "js" | "javascript" => "js",
        "ts" | "typescript" => "ts",
        "jsonc" => "json",
        other => other,
    };
    set.find_syntax_by_token(token)
}

/// Highlight `code` written in `lang`. Returns the inner HTML of a
/// `<code>` element, and whether the language was known (an unknown one
/// falls back to escaped plain text; the caller warns).
pub fn highlight(code: &str, lang: &str) -> (String, bool) {
    let lang = lang.to_ascii_lowercase();
    if is_plain(&lang) {
        return (escape(code), true);
    }
    let Some(syntax) = find(&lang) else {
        return (escape(code), false);
    };
    match highlight_lines(code, syntax) {
        Some(mut html) => {
            // Drop the last newline so `<pre>` does not show an empty last
            // line.
            while html.ends_with('\n') {
                html.pop();
            }
            (html, true)
        }
        None => (escape(code), true),
    }
}

/// What syntect's `ClassedHTMLGenerator` does, line by line, with each
/// line looked up in the memo first. `None` if syntect fails on a line.
fn highlight_lines(code: &str, syntax: &SyntaxReference) -> Option<String> {
    let set = syntaxes();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut open_spans: isize = 0;
    let mut html = String::with_capacity(code.len() * 3);
    memo::with(|memo| {
        for line in LinesWithEndings::from(code) {
            open_spans += memo.line(
                syntax,
                line,
                &mut state,
                &mut stack,
                &mut html,
                |state, stack| {
                    let ops = state.parse_line(line, set).ok()?;
                    syntect::html::line_tokens_to_classed_spans(line, &ops, STYLE, stack).ok()
                },
            )?;
        }
        Some(())
    })?;
    for _ in 0..open_spans {
        html.push_str("</span>");
    }
    Some(html)
}

/// HTML-escape text for element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The highlighting stylesheet: a light scheme by default and a dark one
/// under `[data-theme="dark"]`.
pub fn stylesheet() -> String {
    use two_face::theme::EmbeddedThemeName;
    let themes = two_face::theme::extra();
    let light =
        css_for_theme_with_class_style(themes.get(EmbeddedThemeName::InspiredGithub), STYLE)
            .unwrap_or_default();
    let dark = css_for_theme_with_class_style(themes.get(EmbeddedThemeName::OneHalfDark), STYLE)
        .unwrap_or_default();
    let mut css = String::from("/* Generated by openbook from syntect themes. */\n");
    // The code backgrounds of style.css (`--code-bg`, light and dark).
    // The light rules must not apply in the dark theme: the dark one does
    // not colour every scope the light one does.
    css.push_str(&scope(
        &readable(&strip_background(&light), (0xf3, 0xf4, 0xf1)),
        "html:not([data-theme=\"dark\"])",
    ));
    css.push_str(&scope(
        &readable(&strip_background(&dark), (0x1b, 0x21, 0x29)),
        "[data-theme=\"dark\"]",
    ));
    css
}

/// WCAG contrast asks 4.5:1 for text; with a margin for rounding.
const MIN_CONTRAST: f64 = 4.6;

/// Move every `color: #rrggbb` of `css` towards black (on a light
/// background) or white (on a dark one) until it reads on `bg` with a
/// contrast of at least [`MIN_CONTRAST`]. The syntect themes' comments and
/// some token colours are too faint for that as shipped.
fn readable(css: &str, bg: (u8, u8, u8)) -> String {
    let bg_l = luminance(bg);
    let target = if bg_l > 0.5 { 0.0 } else { 255.0 };
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("color: #") {
        let start = i + "color: #".len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let hex = rest.get(..6).unwrap_or("");
        let Some(mut rgb) = parse_hex(hex) else {
            continue;
        };
        let mut t = 0.0;
        while contrast(luminance(rgb), bg_l) < MIN_CONTRAST && t < 1.0 {
            t += 0.05;
            let orig = parse_hex(hex).unwrap_or(rgb);
            let mix = |c: u8| (f64::from(c) + (target - f64::from(c)) * t).round() as u8;
            rgb = (mix(orig.0), mix(orig.1), mix(orig.2));
        }
        out.push_str(&format!("{:02x}{:02x}{:02x}", rgb.0, rgb.1, rgb.2));
        rest = &rest[6..];
    }
    out.push_str(rest);
    out
}

fn parse_hex(hex: &str) -> Option<(u8, u8, u8)> {
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let p = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((p(0)?, p(2)?, p(4)?))
}

fn luminance((r, g, b): (u8, u8, u8)) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

fn contrast(a: f64, b: f64) -> f64 {
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// The theme's own background for `.hl-code` fights the page's code-block
/// colours; keep the token colours only.
fn strip_background(css: &str) -> String {
    css.lines()
        .filter(|l| !l.trim_start().starts_with("background-color"))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Prefix every selector of a simple stylesheet with `prefix`.
fn scope(css: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let (selectors, after) = rest.split_at(open);
        let close = after.find('}').map_or(after.len(), |i| i + 1);
        let scoped: Vec<String> = selectors
            .split(',')
            .map(|s| s.trim())
            .filter(|s| !s.is_empty() && !s.starts_with("/*"))
            .map(|s| {
                // Drop a leading comment that precedes the selector.
                let s = s.rsplit("*/").next().unwrap_or(s).trim();
                format!("{prefix} {s}")
            })
            .collect();
        out.push_str(&scoped.join(", "));
        out.push(' ');
        out.push_str(&after[..close]);
        out.push('\n');
        rest = &after[close..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faint_token_colours_are_made_readable() {
        let css = readable(
            ".c { color: #969896; }\n.k { color: #000000; }\n",
            (0xf3, 0xf4, 0xf1),
        );
        let first = parse_hex(&css[css.find('#').unwrap() + 1..][..6]).unwrap();
        assert!(contrast(luminance(first), luminance((0xf3, 0xf4, 0xf1))) >= 4.5);
        assert!(css.contains("color: #000000"), "{css}");
    }

    #[test]
    fn highlights_sql_with_classes() {
        let (html, known) = highlight("SELECT 1;\n", "sql");
        assert!(known);
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }

    #[test]
    fn toml_and_aliases_are_known() {
        for lang in [
            "toml", "psql", "console", "yaml", "json", "rust", "python", "ini",
        ] {
            assert!(highlight("a = 1\n", lang).1, "{lang}");
        }
        assert!(!highlight("x", "klingon").1);
    }

    #[test]
    fn dark_scheme_is_scoped() {
        let css = stylesheet();
        assert!(
            css.contains("\n[data-theme=\"dark\"] .hl-"),
            "{}",
            &css[..500.min(css.len())]
        );
        // Every rule is scoped to one theme, so that the light colours of
        // scopes the dark theme leaves alone never show in the dark.
        assert!(
            css.contains("html:not([data-theme=\"dark\"]) .hl-"),
            "{css}"
        );
        assert!(!css.lines().any(|l| l.starts_with(".hl-")), "{css}");
    }
}
