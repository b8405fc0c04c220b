//! Numeric prefixes: `01-why.md` and `1_why.md` sort as 1 and publish as
//! `why`.

/// A file or folder name split into its numeric prefix and the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefixed<'a> {
    /// The number before `-` or `_`, if the name has one.
    pub number: Option<u64>,
    /// The name without the prefix (and without an extension, if it was
    /// split off by the caller).
    pub rest: &'a str,
}

/// Split `name` (digits, then `-` or `_`, then at least one character).
pub fn split_prefix(name: &str) -> Prefixed<'_> {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < name.len() {
        let sep = name.as_bytes()[digits];
        let rest = &name[digits + 1..];
        if (sep == b'-' || sep == b'_') && !rest.is_empty() {
            if let Ok(n) = name[..digits].parse() {
                return Prefixed {
                    number: Some(n),
                    rest,
                };
            }
        }
    }
    Prefixed {
        number: None,
        rest: name,
    }
}

/// The sort key of a sibling: weight if given, else prefix (compared as one
/// number); entries with neither sort after, by title, then by file name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    /// 0 for ordered entries, 1 for the rest.
    pub class: u8,
    /// The weight or prefix.
    pub number: i128,
    /// Lowercased title.
    pub title: String,
    /// The source name, the final tie-breaker.
    pub name: String,
}

impl SortKey {
    /// Build the key of one sibling.
    pub fn new(weight: Option<i64>, prefix: Option<u64>, title: &str, name: &str) -> Self {
        let number = weight.map(i128::from).or_else(|| prefix.map(i128::from));
        SortKey {
            class: u8::from(number.is_none()),
            number: number.unwrap_or(0),
            title: title.to_lowercase(),
            name: name.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(split_prefix("01-why").number, Some(1));
        assert_eq!(split_prefix("01-why").rest, "why");
        assert_eq!(split_prefix("1_why").rest, "why");
        assert_eq!(split_prefix("2024").number, None);
        assert_eq!(split_prefix("01-").number, None);
        assert_eq!(split_prefix("v1-x").number, None);
        assert_eq!(split_prefix("99999999999999999999999-x").number, None);
    }

    #[test]
    fn weight_beats_prefix_and_unordered_sort_last() {
        let a = SortKey::new(None, Some(2), "B", "02-b");
        let b = SortKey::new(Some(1), Some(5), "Z", "05-z");
        let c = SortKey::new(None, None, "A", "a");
        let mut v = vec![c.clone(), a.clone(), b.clone()];
        v.sort();
        assert_eq!(v, vec![b, a, c]);
    }
}
