//! Heading ids, following GitHub's scheme so that links written for a code
//! host work here too: lowercase, spaces to `-`, punctuation dropped,
//! repeats suffixed `-1`, `-2`.

use std::collections::{HashMap, HashSet};

/// A heading of a page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The unique id.
    pub id: String,
    /// The heading's text, without markup.
    pub text: String,
    /// The heading's inner HTML (inline markup kept).
    pub html: String,
}

/// GitHub's id for a heading text (before de-duplication).
pub fn github_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            id.push(c);
        } else if c == ' ' {
            id.push('-');
        }
    }
    id
}

/// Hands out unique ids within one page.
#[derive(Debug, Default)]
pub struct IdSet {
    used: HashSet<String>,
    /// The next suffix to try per base id, so that a page with thousands
    /// of equal headings does not count up from 1 for each (issue 6).
    next_suffix: HashMap<String, usize>,
}

impl IdSet {
    /// Reserve an id explicitly written by the author (`{#id}`) or used by
    /// the template; returns false if it was taken already.
    pub fn reserve(&mut self, id: &str) -> bool {
        self.used.insert(id.to_string())
    }

    /// A unique id derived from `text`.
    pub fn unique(&mut self, text: &str) -> String {
        let mut base = github_id(text);
        if base.is_empty() {
            base = "section".to_string();
        }
        if self.used.insert(base.clone()) {
            return base;
        }
        // Ids are never released, so every suffix below the remembered
        // one is still taken: the result is the same as counting from 1.
        let n = self.next_suffix.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_scheme() {
        assert_eq!(github_id("Alpha section"), "alpha-section");
        assert_eq!(github_id("What's new in 18?"), "whats-new-in-18");
        assert_eq!(github_id("`psql` essentials"), "psql-essentials");
        assert_eq!(github_id("SELECT ... FOR UPDATE"), "select--for-update");
    }

    #[test]
    fn repeats_are_suffixed() {
        let mut ids = IdSet::default();
        assert_eq!(ids.unique("Pitfalls"), "pitfalls");
        assert_eq!(ids.unique("Pitfalls"), "pitfalls-1");
        assert_eq!(ids.unique("Pitfalls"), "pitfalls-2");
        assert_eq!(ids.unique("!!!"), "section");
        assert!(ids.reserve("x-2"));
        assert_eq!(ids.unique("x"), "x");
        assert_eq!(ids.unique("x"), "x-1");
        assert_eq!(ids.unique("x"), "x-3");
    }

    /// See issue 6: 50,000 equal headings took quadratic time.
    #[test]
    fn many_equal_headings_get_distinct_ids_quickly() {
        let mut ids = IdSet::default();
        for i in 0..50_000 {
            let id = ids.unique("Pitfalls");
            if i > 0 {
                assert_eq!(id, format!("pitfalls-{i}"));
            }
        }
    }
}
