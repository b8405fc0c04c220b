//! Any bytes as a page file: decoding, the front-matter splitter and the
//! typed front matter must return a value or a diagnostic, never panic,
//! and a diagnostic must point inside the file.

#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use openbook::source::{front_matter, text};

fuzz_target!(|data: &[u8]| {
    let file = Path::new("content/01-ch/01-page.md");
    let text = match text::decode(data, file) {
        Ok(t) => t,
        Err(d) => {
            assert!(d.line >= 1, "{d}");
            return;
        }
    };
    let lines = text.lines().count().max(1);
    match front_matter::split(&text, file) {
        Ok(split) => {
            assert_eq!(&text[split.body_offset..], split.body);
            match front_matter::parse(&split, file) {
                Ok(fm) => assert!(!fm.title.trim().is_empty()),
                Err(d) => assert!(d.line >= 1 && d.line <= lines + 1, "{d} ({lines} lines)"),
            }
        }
        Err(d) => assert_eq!(d.line, 1, "{d}"),
    }
});
