//! openbook's integration tests, compiled into one binary.
//!
//! Each module covers one area. Tests copy a fixture site from
//! `tests/sites/<name>/` into a temporary folder (see [`util::Site`]), run
//! the real `openbook` binary or the library on it, and inspect the output
//! as a DOM (scraper) or parsed XML (roxmltree), never by substring alone.
//!
//! Where to add a test: a new behaviour of `build` goes in `build.rs`, a
//! new kind of bad input in `hardening.rs` (with the untouched-output
//! check) and its message wording in `errors.rs`; `check` findings in
//! `check.rs`, `check --external` in `external.rs`; verified SQL examples
//! in `sql.rs` (with a PostgreSQL server from `pg.rs`).

mod pg;
mod util;

mod book;
mod book_pages;
mod browser;
mod build;
mod check;
mod errors;
mod external;
mod hardening;
mod incremental;
mod properties;
mod rebuild;
mod regression;
mod scaffold;
mod search;
mod serve;
mod sidebar;
mod sql;
