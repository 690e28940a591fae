//! Card text as the authors wrote it, normalised for layout.
//!
//! The rule users see in the card files: inside a text a single line break is read as a space,
//! an empty line starts a new paragraph. Text is normalised to Unicode NFC (so `o` + U+0303
//! becomes `õ`), runs of spaces fold to one, and characters that must never reach a document
//! (control characters, unknown `{placeholders}`) are reported with their position.

use std::ops::Range;
use unicode_normalization::UnicodeNormalization;

/// The placeholders that the registry system (Delta) fills when the directive is registered.
pub const KNOWN_PLACEHOLDERS: [&str; 2] = ["{regDateTime}", "{regNumber}"];

/// Invisible formatting characters that carry no text in a left-to-right Estonian document
/// and are removed: directional marks and embeddings, zero-width space and joiners, BOM.
const DROPPED_FORMAT_CHARS: [char; 11] = [
    '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}',
    '\u{202D}', '\u{202E}', '\u{FEFF}',
];

/// The soft hyphen: a place where a word may be broken, invisible otherwise.
pub const SOFT_HYPHEN: char = '\u{00AD}';

/// Paragraphs of one card field, each a single line of NFC text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub paragraphs: Vec<String>,
}

impl Text {
    /// Splits raw field text into paragraphs by the card rules.
    pub fn parse(raw: &str) -> Text {
        let normalised: String = raw
            .nfc()
            .filter(|c| !DROPPED_FORMAT_CHARS.contains(c))
            .collect();
        let mut paragraphs = Vec::new();
        let mut current = String::new();
        for line in normalised.lines() {
            let line = fold_spaces(line);
            if line.is_empty() {
                if !current.is_empty() {
                    paragraphs.push(std::mem::take(&mut current));
                }
            } else {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(&line);
            }
        }
        if !current.is_empty() {
            paragraphs.push(current);
        }
        Text { paragraphs }
    }

    /// One paragraph, already normalised.
    pub fn single(paragraph: impl Into<String>) -> Text {
        Text {
            paragraphs: vec![paragraph.into()],
        }
    }

    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }

    /// All paragraphs joined by a blank line (for comparisons and word lists).
    pub fn joined(&self) -> String {
        self.paragraphs.join("\n\n")
    }

    /// Appends the paragraphs of another text.
    pub fn extend(&mut self, other: Text) {
        self.paragraphs.extend(other.paragraphs);
    }
}

/// Trims a line and folds runs of ASCII spaces and tabs into one space. Non-breaking spaces
/// are kept: they are the author's wish that two words stay together.
fn fold_spaces(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut pending_space = false;
    for c in line
        .trim_matches(|c| c == ' ' || c == '\t' || c == '\r')
        .chars()
    {
        if c == ' ' || c == '\t' {
            pending_space = true;
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// A problem with one character or piece of a raw text, as a byte range in that raw text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextProblem {
    pub range: Range<usize>,
    pub message: String,
    pub help: String,
}

/// Control characters (other than line breaks and tabs) and braces that are not one of the
/// known placeholders.
pub fn find_problems(raw: &str) -> Vec<TextProblem> {
    let mut problems = Vec::new();
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_control() && c != '\n' && c != '\t' && c != '\r' {
            problems.push(TextProblem {
                range: i..i + c.len_utf8(),
                message: format!("control character U+{:04X} in the text", c as u32),
                help: "delete it; a card text may hold letters, digits, punctuation, spaces and line breaks".into(),
            });
        } else if c == '{' || c == '}' {
            let known = KNOWN_PLACEHOLDERS
                .iter()
                .find(|p| c == '{' && raw[i..].starts_with(*p));
            let end = match known {
                Some(p) => i + p.len(),
                None => raw[i..]
                    .find('}')
                    .filter(|_| c == '{')
                    .map_or(i + 1, |j| i + j + 1),
            };
            // Skip the rest of the placeholder or the braced piece.
            while chars.peek().is_some_and(|(j, _)| *j < end) {
                chars.next();
            }
            if known.is_none() {
                problems.push(TextProblem {
                    range: i..end,
                    message: format!("unknown placeholder or stray brace `{}`", &raw[i..end]),
                    help: format!(
                        "the only placeholders are {} and {}; remove the braces or use one of them",
                        KNOWN_PLACEHOLDERS[0], KNOWN_PLACEHOLDERS[1]
                    ),
                });
            }
        }
    }
    problems
}

/// Finds every known placeholder in `text`, as byte ranges, in order.
pub fn placeholder_ranges(text: &str) -> Vec<(Range<usize>, &'static str)> {
    let mut found = Vec::new();
    for p in KNOWN_PLACEHOLDERS {
        let mut from = 0;
        while let Some(i) = text[from..].find(p) {
            found.push((from + i..from + i + p.len(), p));
            from += i + p.len();
        }
    }
    found.sort_by_key(|(r, _)| r.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_breaks_fold_and_blank_lines_split() {
        let t = Text::parse("\n  Esimene   rida\n  jätkub\n\n\n Teine lõik \n");
        assert_eq!(t.paragraphs, vec!["Esimene rida jätkub", "Teine lõik"]);
    }

    #[test]
    fn combining_marks_become_precomposed_and_marks_are_dropped() {
        let t = Text::parse("vo\u{0303}imestaja\u{200F} a\u{00A0}b");
        assert_eq!(t.paragraphs, vec!["võimestaja a\u{00A0}b"]);
    }

    #[test]
    fn known_placeholders_pass_and_others_are_reported() {
        assert!(find_problems("nr {regNumber} {regDateTime}").is_empty());
        let p = find_problems("nr {regNr} ja }");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].range, 3..10);
        assert!(p[0].message.contains("{regNr}"));
        let p = find_problems("a\u{0007}b");
        assert_eq!(p[0].range, 1..2);
        assert!(p[0].message.contains("U+0007"));
    }

    #[test]
    fn placeholder_ranges_are_ordered() {
        let r = placeholder_ranges("{regNumber} x {regDateTime} {regNumber}");
        let names: Vec<_> = r.iter().map(|(_, p)| *p).collect();
        assert_eq!(names, ["{regNumber}", "{regDateTime}", "{regNumber}"]);
    }
}
