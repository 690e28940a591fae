//! Card text as the authors wrote it, normalised for layout.
//!
//! The rule users see in the card files: inside a text a single line break is read as a space,
//! an empty line starts a new paragraph. Text is normalised to Unicode NFC (so `o` + U+0303
//! becomes `õ`), runs of spaces fold to one, and characters that must never reach a document
//! (control characters, unknown `{placeholders}`) are reported with their position.

use crate::tr;
use std::borrow::Cow;
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
        let composed: Cow<'_, str> = if is_nfc(raw) {
            Cow::Borrowed(raw)
        } else {
            Cow::Owned(raw.nfc().collect())
        };
        let normalised: String = composed
            .chars()
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
    let mut problems = find_control_characters(raw);
    problems.extend(find_unknown_placeholders(raw));
    problems.sort_by_key(|p| p.range.start);
    problems
}

/// Control characters other than line breaks and tabs: they must never reach a document
/// (an XML part with one is ill-formed).
pub fn find_control_characters(raw: &str) -> Vec<TextProblem> {
    raw.char_indices()
        .filter(|&(_, c)| c.is_control() && c != '\n' && c != '\t' && c != '\r')
        .map(|(i, c)| TextProblem {
            range: i..i + c.len_utf8(),
            message: tr!("text-control-character", code = format!("{:04X}", c as u32)),
            help: tr!("text-control-character-help"),
        })
        .collect()
}

/// Braces that are not one of [`KNOWN_PLACEHOLDERS`], with a suggestion for a near miss
/// (`{regDatetime}` → `{regDateTime}`).
pub fn find_unknown_placeholders(raw: &str) -> Vec<TextProblem> {
    let mut problems = Vec::new();
    let mut at = 0;
    while let Some(found) = raw.get(at..).and_then(|rest| rest.find(['{', '}'])) {
        let i = at + found;
        let rest = raw.get(i..).unwrap_or_default();
        if let Some(p) = KNOWN_PLACEHOLDERS.iter().find(|p| rest.starts_with(**p)) {
            at = i + p.len();
            continue;
        }
        // A `{` up to the next `}` (on the same line) is one braced piece; anything else is a
        // stray brace.
        let end = rest
            .strip_prefix('{')
            .and_then(|inner| {
                inner
                    .find(['}', '\n', '{'])
                    .filter(|&j| inner.as_bytes().get(j) == Some(&b'}'))
            })
            .map_or(i + 1, |j| i + j + 2);
        let piece = raw.get(i..end).unwrap_or_default();
        let suggestion = closest_placeholder(piece)
            .map(|p| format!("{} ", tr!("text-did-you-mean", placeholder = p)))
            .unwrap_or_default();
        problems.push(TextProblem {
            range: i..end,
            message: tr!("text-unknown-placeholder", piece = piece),
            help: tr!(
                "text-unknown-placeholder-help",
                suggestion = suggestion,
                first = KNOWN_PLACEHOLDERS.first().copied().unwrap_or_default(),
                second = KNOWN_PLACEHOLDERS.get(1).copied().unwrap_or_default()
            ),
        });
        at = end;
    }
    problems
}

/// The known placeholder nearest to `piece` (ignoring case), if it is a near miss.
fn closest_placeholder(piece: &str) -> Option<&'static str> {
    /// Most edits that still count as a typo of a placeholder.
    const MAX_TYPO_DISTANCE: usize = 3;
    let lower = piece.to_lowercase();
    KNOWN_PLACEHOLDERS
        .iter()
        .map(|p| (strsim::levenshtein(&p.to_lowercase(), &lower), *p))
        .filter(|(d, _)| *d <= MAX_TYPO_DISTANCE)
        .min()
        .map(|(_, p)| p)
}

/// Characters that the fonts cannot draw once the text is normalised to NFC, as ranges of
/// what the author typed: `<` followed by U+0338 becomes `≮` in NFC, so the pair is reported
/// when the fonts lack `≮`, even though they have both `<` and U+0338. Control characters
/// (reported by [`find_control_characters`]), soft hyphens and the dropped invisible
/// formatting characters are not drawn and not reported. Each character is reported once.
pub fn find_undrawable(raw: &str, covers: &dyn Fn(char) -> bool) -> Vec<TextProblem> {
    let not_drawn =
        |c: char| c.is_control() || c == SOFT_HYPHEN || DROPPED_FORMAT_CHARS.contains(&c);
    // Text in NFC (nearly all) is what NFC makes of it: when the fonts draw all of it there
    // is nothing to report, and no cluster needs composing.
    if is_nfc(raw) && raw.chars().all(|c| not_drawn(c) || covers(c)) {
        return Vec::new();
    }
    let mut problems = Vec::new();
    let mut reported: Vec<char> = Vec::new();
    for (range, typed) in composition_clusters(raw) {
        for c in typed.nfc() {
            if not_drawn(c) || covers(c) || reported.contains(&c) {
                continue;
            }
            reported.push(c);
            let as_typed = if typed.chars().eq(std::iter::once(c)) {
                String::new()
            } else {
                let codes: Vec<String> = typed
                    .chars()
                    .map(|t| format!("U+{:04X}", t as u32))
                    .collect();
                format!(" {}", tr!("text-written-as", codes = codes.join(" + ")))
            };
            problems.push(TextProblem {
                range: range.clone(),
                message: tr!(
                    "text-not-drawable",
                    character = c.to_string(),
                    code = format!("{:04X}", c as u32),
                    as_typed = as_typed
                ),
                help: tr!("text-not-drawable-help"),
            });
        }
    }
    problems
}

/// Whether `text` is certainly in NFC (Unicode's quick check; "maybe" counts as no), so
/// that normalising it would change nothing: most text is, and composing it character by
/// character was most of the time spent loading the cards.
fn is_nfc(text: &str) -> bool {
    unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
}

/// Splits `raw` into a starter with the combining characters that follow it: the pieces that
/// NFC composes, each with its byte range.
fn composition_clusters(raw: &str) -> Vec<(Range<usize>, &str)> {
    let mut clusters: Vec<(Range<usize>, &str)> = Vec::new();
    let mut start = 0;
    for (i, c) in raw.char_indices().skip(1) {
        if unicode_normalization::char::canonical_combining_class(c) == 0 {
            clusters.push((start..i, raw.get(start..i).unwrap_or_default()));
            start = i;
        }
    }
    if start < raw.len() {
        clusters.push((start..raw.len(), raw.get(start..).unwrap_or_default()));
    }
    clusters
}

/// Where `piece` of a decoded string value stands in the value's source text `source`
/// (which starts at byte `span.start` of the file); escapes can make them differ, then the
/// whole value is pointed at.
pub fn locate_in_value(source: &str, span: &Range<usize>, piece: &str) -> Range<usize> {
    let mut forms = vec![piece.to_string()];
    if let Some(c) = piece.chars().next().filter(|_| piece.chars().count() == 1) {
        let cp = c as u32;
        forms.extend([
            format!("\\u{cp:04X}"),
            format!("\\u{cp:04x}"),
            format!("\\U{cp:08X}"),
            format!("\\U{cp:08x}"),
        ]);
    }
    forms
        .iter()
        .find_map(|f| {
            source
                .find(f.as_str())
                .map(|i| span.start + i..span.start + i + f.len())
        })
        .unwrap_or(span.clone())
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
    fn a_near_miss_of_a_placeholder_gets_a_suggestion() {
        let p = find_unknown_placeholders("{regDatetime} nr {regNumber}");
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].range, 0..13);
        assert!(
            p[0].help.contains("did you mean {regDateTime}?"),
            "{}",
            p[0].help
        );
        let far = find_unknown_placeholders("{kuupäev}");
        assert!(!far[0].help.contains("did you mean"), "{}", far[0].help);
        let stray = find_unknown_placeholders("a } b { c");
        assert_eq!(
            stray.iter().map(|p| p.range.clone()).collect::<Vec<_>>(),
            [2..3, 6..7]
        );
    }

    /// Text in NFC skips the normalisation; the result must be what normalising gives, for
    /// the same text typed composed (fast path) and decomposed (normalised).
    #[test]
    fn text_in_nfc_and_the_same_text_decomposed_read_the_same() {
        let samples = [
            "Õiguskantsleri ülesanded: tööülesannete jaotus ja üleandmine.\n\nTeine lõik – žürii, šokolaad.",
            "Tühik\u{00A0}ja\u{200B}nähtamatu; ÄÖÜ õ Š Ž",
            "q\u{0301} jääb kokku panemata; e\u{0301}",
        ];
        for composed in samples {
            let composed: String = composed.nfc().collect();
            let decomposed: String = composed.nfd().collect();
            // A combining mark that does not compose makes the quick check unsure.
            assert_eq!(
                is_nfc(&composed),
                !composed.contains('\u{0301}'),
                "{composed}"
            );
            assert_eq!(
                Text::parse(&composed),
                Text::parse(&decomposed),
                "{composed}"
            );
            let covers = |c: char| c.is_ascii() || "ÕÜÄÖõüäöŠšŽž–\u{00A0}".contains(c);
            let fast = find_undrawable(&composed, &covers);
            let ranges: Vec<&str> = fast.iter().map(|p| &composed[p.range.clone()]).collect();
            let expected: Vec<&str> = if composed.contains('\u{0301}') {
                vec!["q\u{0301}", "é"]
            } else {
                vec![]
            };
            assert_eq!(ranges, expected, "{composed}");
        }
        assert!(!is_nfc("e\u{0301}"));
    }

    #[test]
    fn undrawable_is_checked_after_nfc_at_what_was_typed() {
        // The bundled fonts have `<` and U+0338 but not `≮`, which NFC makes of the two.
        let covers = |c: char| c != '\u{226E}';
        let raw = "a <\u{0338} b";
        let p = find_undrawable(raw, &covers);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].range, 2..5);
        assert!(p[0].message.contains("U+226E"), "{}", p[0].message);
        assert!(p[0].message.contains("U+003C + U+0338"), "{}", p[0].message);
        assert!(find_undrawable("võ\u{0303}", &|_| true).is_empty());
        let soft = find_undrawable("a\u{00AD}b\n", &|c| c.is_alphabetic());
        assert!(soft.is_empty());
    }

    #[test]
    fn placeholder_ranges_are_ordered() {
        let r = placeholder_ranges("{regNumber} x {regDateTime} {regNumber}");
        let names: Vec<_> = r.iter().map(|(_, p)| *p).collect();
        assert_eq!(names, ["{regNumber}", "{regDateTime}", "{regNumber}"]);
    }
}
