//! Estonian hyphenation for words that do not fit a line on their own.
//!
//! Uses the TeX Estonian patterns shipped with the `hyphenation` crate, loaded once. The
//! patterns split some words wrongly; the template's exceptions list (words written with
//! `-` at the allowed points) takes precedence.

use hyphenation::{Hyphenator as _, Language, Load, Standard};
use std::collections::HashMap;
use std::sync::OnceLock;

fn dictionary() -> Option<&'static Standard> {
    static DICT: OnceLock<Option<Standard>> = OnceLock::new();
    DICT.get_or_init(|| Standard::from_embedded(Language::Estonian).ok())
        .as_ref()
}

/// Hyphenation points with exceptions.
#[derive(Debug, Clone, Default)]
pub struct Hyphenator {
    /// Lowercase word → char indices where it may be broken.
    exceptions: HashMap<String, Vec<usize>>,
}

impl Hyphenator {
    /// `exceptions` are words written with `-` at every allowed break, e.g. `töö-pe-re`.
    pub fn new(exceptions: &[String]) -> Hyphenator {
        let exceptions = exceptions
            .iter()
            .map(|e| {
                let mut points = Vec::new();
                let mut word = String::new();
                for c in e.chars() {
                    if c == '-' {
                        points.push(word.chars().count());
                    } else {
                        word.push(c);
                    }
                }
                (word.to_lowercase(), points)
            })
            .collect();
        Hyphenator { exceptions }
    }

    /// Char indices inside `word` (a run of letters) where a hyphen may be inserted.
    pub fn points(&self, word: &str) -> Vec<usize> {
        if let Some(points) = self.exceptions.get(&word.to_lowercase()) {
            return points.clone();
        }
        let Some(dict) = dictionary() else {
            return Vec::new();
        };
        let hyphenated = dict.hyphenate(word);
        hyphenated
            .breaks
            .iter()
            .map(|&byte| word[..byte].chars().count())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estonian_patterns_and_exceptions() {
        let h = Hyphenator::new(&["töö-pe-re".to_string()]);
        assert_eq!(h.points("Tööpere"), vec![3, 5]);
        let p = h.points("partnerorganisatsioonid");
        assert!(!p.is_empty());
        let word: Vec<char> = "partnerorganisatsioonid".chars().collect();
        for i in p {
            assert!(i >= 2 && i <= word.len() - 2, "{i}");
        }
    }
}
