//! Estonian hyphenation for words that do not fit a line on their own.
//!
//! Uses the TeX Estonian patterns (hyph-et, LPPL 1.3, Een Saar) compiled into the `hypher`
//! crate, the only language built in. The patterns split some words wrongly; the template's
//! exceptions list (words written with `-` at the allowed points) takes precedence.
//!
//! Every position here is a char index into the word as given: case folding is done one char
//! to one char (a char whose lowercase is longer, such as `İ`, is kept as it is), so the
//! positions of an exception or a pattern match never drift from the original word.

use std::collections::HashMap;
use unicode_normalization::char::is_combining_mark;

/// Hyphenation points with exceptions.
#[derive(Debug, Clone, Default)]
pub struct Hyphenator {
    /// Case-folded word ([`fold`]) → char indices where it may be broken.
    exceptions: HashMap<String, Vec<usize>>,
}

/// The word with each char replaced by its lowercase where that is a single char, so that the
/// folded word has exactly as many chars as the original.
fn fold(word: &str) -> String {
    word.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        })
        .collect()
}

impl Hyphenator {
    /// `exceptions` are words written with `-` at every allowed break, e.g. `töö-pe-re`.
    pub fn new(exceptions: &[String]) -> Hyphenator {
        let exceptions = exceptions
            .iter()
            .map(|e| {
                let mut points = Vec::new();
                let mut word = String::new();
                let mut chars = 0;
                for c in e.chars() {
                    if c == '-' {
                        points.push(chars);
                    } else {
                        word.push(c);
                        chars += 1;
                    }
                }
                (fold(&word), points)
            })
            .collect();
        Hyphenator { exceptions }
    }

    /// Char indices inside `word` (a run of letters) where a hyphen may be inserted: strictly
    /// inside the word, never in front of a combining mark.
    pub fn points(&self, word: &str) -> Vec<usize> {
        let chars: Vec<char> = word.chars().collect();
        let candidates = match self.exceptions.get(&fold(word)) {
            Some(points) => points.clone(),
            None => pattern_points(word),
        };
        candidates
            .into_iter()
            .filter(|&p| p > 0 && p < chars.len())
            .filter(|&p| chars.get(p).is_some_and(|&c| !is_combining_mark(c)))
            .collect()
    }
}

/// The char positions between the syllables the Estonian patterns find.
fn pattern_points(word: &str) -> Vec<usize> {
    if word.is_empty() {
        return Vec::new();
    }
    let mut points = Vec::new();
    let mut at = 0;
    for syllable in hypher::hyphenate(word, hypher::Lang::Estonian) {
        if at > 0 {
            points.push(at);
        }
        at += syllable.chars().count();
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word with `-` at every point: shows the points as a person reads them.
    fn marked(h: &Hyphenator, word: &str) -> String {
        let points = h.points(word);
        let mut out = String::new();
        for (i, c) in word.chars().enumerate() {
            if points.contains(&i) {
                out.push('-');
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn estonian_patterns_and_exceptions() {
        let h = Hyphenator::new(&["töö-pe-re".to_string()]);
        assert_eq!(h.points("Tööpere"), vec![3, 5]);
        assert_eq!(marked(&h, "TÖÖPERE"), "TÖÖ-PE-RE");
        let p = h.points("partnerorganisatsioonid");
        assert!(!p.is_empty());
        let word: Vec<char> = "partnerorganisatsioonid".chars().collect();
        for i in p {
            assert!(i >= 2 && i <= word.len() - 3, "{i}");
        }
    }

    #[test]
    fn points_are_positions_of_the_original_word() {
        // `İ` lowercases to two chars (`i` + U+0307); an exception written with it and a word
        // with it in capitals or in a pattern word must give points inside the word.
        let h = Hyphenator::new(&[
            "İs-tan-bul".to_string(),
            "i̇z-mir".to_string(),
            "i̇i̇i̇i̇i̇-i̇".to_string(),
        ]);
        assert_eq!(marked(&h, "İSTANBUL"), "İS-TAN-BUL");
        assert_eq!(marked(&h, "İstanbul"), "İs-tan-bul");
        // Written with a combining dot an exception is another word (`i̇i̇i̇i̇i̇-i̇` has its
        // point at char 10, and lowercased `İİİİİİ` is the same string as it): no point may
        // fall outside the word nor inside a char.
        for word in [
            "İzmir",
            "İİİİİİ",
            "İİİİİİİİİİ",
            "SÕİDUKİJUHTİMİNE",
            "ALİAVALİKKUSTE",
        ] {
            let n = word.chars().count();
            for p in h.points(word) {
                assert!(p > 0 && p < n, "{word}: {p}");
            }
        }
    }

    #[test]
    fn sharp_s_and_combining_marks() {
        let h = Hyphenator::default();
        // ß has no one-char uppercase; ẞ lowercases to ß (another UTF-8 length).
        for word in ["straße", "STRAẞE", "Großvaterstraße", "ẞẞẞẞẞẞẞẞ"] {
            let n = word.chars().count();
            for p in h.points(word) {
                assert!(p > 0 && p < n, "{word}: {p}");
            }
        }
        // A decomposed õ (o + U+0303) is never split from its mark.
        let word = "teeno\u{303}ustaja\u{301}mine";
        let chars: Vec<char> = word.chars().collect();
        let points = h.points(word);
        assert!(!points.is_empty(), "{word}");
        for p in points {
            assert!(!is_combining_mark(chars[p]), "{word}: {p}");
        }
        let h = Hyphenator::new(&["a\u{301}-b".to_string()]);
        assert_eq!(h.points("a\u{301}b"), vec![2]);
        assert!(
            Hyphenator::new(&["a-\u{301}b".to_string()])
                .points("a\u{301}b")
                .is_empty()
        );
    }

    #[test]
    fn short_and_empty_words() {
        let h = Hyphenator::new(&["-".to_string(), "a-".to_string(), "-b".to_string()]);
        for word in ["", "a", "b", "ab", "õu"] {
            assert!(h.points(word).is_empty(), "{word}");
        }
    }
}
