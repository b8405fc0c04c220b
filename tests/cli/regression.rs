//! Regression tests, each named after the crash or hang it pins, with the
//! issue that found it. Fuzzing finds (see `scripts/fuzz.sh`) go here too.

use crate::util::*;

/// See issue 6 (hardening sweep): `%` followed by a multi-byte character in
/// a link sliced a string inside the character and panicked.
#[test]
fn percent_before_a_multibyte_character_in_a_link() {
    let site = Site::fixture("basic");
    site.write(
        "content/01-first-steps/03-x.md",
        "---\ntitle: \"X\"\n---\n\n[x](%aé.md) and ![y](%é.png) and [z](#%aé)\n",
    );
    let r = site.build_err(&[]);
    r.assert_diag("content/01-first-steps/03-x.md", 5, "missing page");
    r.assert_diag("content/01-first-steps/03-x.md", 5, "missing file");
}

/// See issue 6: a named pipe under `content/` blocked the build forever.
#[test]
fn a_named_pipe_does_not_hang_the_build() {
    let site = Site::fixture("basic");
    let p = site.path().join("content/pipe.md");
    if !std::process::Command::new("mkfifo")
        .arg(&p)
        .status()
        .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    site.build_err(&[])
        .assert_diag_file("content/pipe.md", "not a regular file");
}

/// Found by fuzzing (issue 6, `scripts/fuzz.sh`, front_matter target):
/// YAML counts U+2028 (and U+2029, U+0085) as line breaks, so an error
/// after one in the front matter was reported a line too low, past the
/// end of short files.
#[test]
fn a_unicode_line_separator_in_front_matter_does_not_shift_error_lines() {
    let site = Site::fixture("basic");
    site.write(
        "content/01-first-steps/03-x.md",
        "---\ntitle: \"Intro\u{2028}duction\"\nweight: heavy\n---\n",
    );
    site.build_err(&[])
        .assert_diag("content/01-first-steps/03-x.md", 3, "weight");
}
