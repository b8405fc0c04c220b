//! # openbook
//!
//! openbook turns a folder of Markdown chapters and curated resource lists
//! into a fast, navigable, interactive open-book website.
//!
//! The pipeline, content → model → render → output:
//!
//! | stage | module |
//! | --- | --- |
//! | settings | [`config`] (`site.yaml`) |
//! | content | [`source`] (walk, front matter, resources) |
//! | model | [`book`] (tree, URLs, numbering, reading order) |
//! | Markdown | [`markdown`], [`highlight`] |
//! | verified SQL | [`sql`] (```` ```sql run ```` blocks run on PostgreSQL) |
//! | search | [`search`] (the index the browser searches) |
//! | templates | [`theme`], [`render`], [`pages`] |
//! | output | [`output`] (safe destination, staging and swap) |
//!
//! [`pipeline`] runs the stages for `build`, `check` and `serve`; [`check`]
//! adds the author's findings on top;
//! [`cli`] is the command line.
//!
//! ```no_run
//! use openbook::pipeline::{build, BuildOptions};
//! let summary = build(&BuildOptions::new("my-book")).expect("the book builds");
//! println!("{} pages", summary.pages);
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod book;
pub mod check;
pub mod cli;
pub mod config;
pub mod diag;
pub mod highlight;
pub mod markdown;
pub mod output;
pub mod pages;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod source;
pub mod spool;
pub mod sql;
pub mod theme;
pub mod yaml;

/// Report a bug in openbook (a panic) as one clear line instead of a Rust
/// backtrace. Input errors never panic; this is a safety net.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        let loc = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!("error: openbook hit an internal error ({msg}{loc}); please report it");
    }));
}
