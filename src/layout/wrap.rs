//! Line breaking: styled runs of one paragraph into lines no wider than a box.
//!
//! Breaks at Unicode line-break opportunities (UAX #14: after spaces, after hyphens, at soft
//! hyphens), greedily, as word processors do. A word wider than the whole line is hyphenated
//! (Estonian patterns); a piece still too wide is broken between characters, so text never
//! leaves its box and nothing is dropped.

// Every index below is a char position of the paragraph, kept below `chars.len()` (and
// `prefix.len()` = chars + 1) by the loop guards and the span bounds; the property tests in
// tests/layout_props.rs run the wrapping on random text at random widths.
#![allow(
    clippy::indexing_slicing,
    reason = "char positions bounded by the loop guards; rewrite with get() to remove"
)]

use super::fonts::Fonts;
use super::hyphenate::Hyphenator;
use crate::document::{Change, Run};
use crate::text::SOFT_HYPHEN;

/// A piece of one line in one style, positioned from the line's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    pub text: String,
    pub bold: bool,
    /// In a redline: the text was inserted or deleted.
    pub change: Option<Change>,
    pub x_pt: f32,
    pub width_pt: f32,
}

/// One line of a wrapped paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub fragments: Vec<Fragment>,
    pub width_pt: f32,
    /// The line ends inside a word and shows a hyphen that is not in the text.
    pub hyphenated: bool,
    /// The line was broken at a space, which is not drawn (text extraction needs to know
    /// that a word ends there).
    pub ends_at_space: bool,
}

impl Line {
    pub fn text(&self) -> String {
        self.fragments.iter().map(|f| f.text.as_str()).collect()
    }
}

const HYPHEN: char = '-';

/// A paragraph's characters with their style and width.
struct Glyphs {
    chars: Vec<char>,
    bold: Vec<bool>,
    change: Vec<Option<Change>>,
    /// prefix[i] = width of chars[..i], in points; f64 so that differences stay exact to a
    /// thousandth of a point in paragraphs many pages long.
    prefix: Vec<f64>,
}

impl Glyphs {
    fn new(runs: &[Run], size_pt: f32, fonts: &Fonts) -> Glyphs {
        let mut chars = Vec::new();
        let mut bold = Vec::new();
        let mut change = Vec::new();
        let mut prefix = vec![0.0];
        let mut total = 0.0f64;
        for run in runs {
            let face = fonts.face(run.bold);
            for c in run.text.chars() {
                let w = if c == SOFT_HYPHEN {
                    0.0
                } else {
                    face.advance(c).unwrap_or(0.0) * size_pt / 1000.0
                };
                total += f64::from(w);
                chars.push(c);
                bold.push(run.bold);
                change.push(run.change);
                prefix.push(total);
            }
        }
        Glyphs {
            chars,
            bold,
            change,
            prefix,
        }
    }

    fn width(&self, from: usize, to: usize) -> f32 {
        (self.prefix[to] - self.prefix[from]) as f32
    }

    /// End of `from..to` without trailing spaces.
    fn trim_end(&self, from: usize, mut to: usize) -> usize {
        while to > from && self.chars[to - 1] == ' ' {
            to -= 1;
        }
        to
    }

    /// What of `from..to` shows as a line: the visible range (spaces and soft hyphens at both
    /// ends dropped) and whether it ends with a hyphen, for a soft hyphen that directly follows
    /// a visible character.
    fn visible(&self, from: usize, to: usize) -> (usize, usize, bool) {
        let mut start = from;
        while start < to && matches!(self.chars[start], ' ' | SOFT_HYPHEN) {
            start += 1;
        }
        let trimmed = self.trim_end(start, to);
        let mut end = trimmed;
        while end > start && self.chars[end - 1] == SOFT_HYPHEN {
            end -= 1;
        }
        let hyphen = end < trimmed && end > start && self.chars[end - 1] != ' ';
        while end > start && matches!(self.chars[end - 1], ' ' | SOFT_HYPHEN) {
            end -= 1;
        }
        (start, end, hyphen)
    }

    /// Whether `from..to` shows anything.
    fn shows(&self, from: usize, to: usize) -> bool {
        let (start, end, _) = self.visible(from, to);
        start < end
    }

    /// Width of `from..to` as a line, with the hyphen a soft hyphen at its end shows.
    fn line_width(&self, from: usize, to: usize, hyphen_width: &dyn Fn(bool) -> f32) -> f32 {
        let (start, end, hyphen) = self.visible(from, to);
        let hyphen = if hyphen {
            hyphen_width(self.bold[end - 1])
        } else {
            0.0
        };
        self.width(start, end) + hyphen
    }
}

/// Where lines end, as char ranges, before styling.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    hyphen: bool,
}

/// Wraps `runs` at `size_pt` into lines of at most `width_pt`.
pub fn wrap(
    runs: &[Run],
    size_pt: f32,
    width_pt: f32,
    fonts: &Fonts,
    hyphenator: &Hyphenator,
) -> Vec<Line> {
    let g = Glyphs::new(runs, size_pt, fonts);
    if g.chars.is_empty() {
        return Vec::new();
    }
    let hyphen_width =
        |bold: bool| fonts.face(bold).advance(HYPHEN).unwrap_or(0.0) * size_pt / 1000.0;

    // Break opportunities as char indices (a break before that char).
    let text: String = g.chars.iter().collect();
    let mut byte_to_char = vec![0; text.len() + 1];
    for (ci, (bi, c)) in text.char_indices().enumerate() {
        byte_to_char[bi..bi + c.len_utf8()].fill(ci);
    }
    byte_to_char[text.len()] = g.chars.len();
    let opportunities: Vec<usize> = unicode_linebreak::linebreaks(&text)
        .map(|(b, _)| byte_to_char[b])
        .collect();

    let mut spans: Vec<Span> = Vec::new();
    let mut line_start = 0;
    let mut seg_start = 0;
    for &seg_end in &opportunities {
        if seg_end <= seg_start {
            continue;
        }
        let fits = g.line_width(line_start, seg_end, &hyphen_width) <= width_pt;
        if !fits && g.shows(line_start, seg_start) {
            spans.push(Span {
                start: line_start,
                end: seg_start,
                hyphen: false,
            });
            line_start = seg_start;
        }
        // The segment alone is too wide: split it inside the word.
        while g.line_width(line_start, seg_end, &hyphen_width) > width_pt {
            let end = g.trim_end(line_start, seg_end);
            let (cut, hyphen) =
                split_point(&g, line_start, end, width_pt, hyphenator, &hyphen_width);
            spans.push(Span {
                start: line_start,
                end: cut,
                hyphen,
            });
            line_start = cut;
        }
        seg_start = seg_end;
    }
    if g.shows(line_start, g.chars.len()) {
        spans.push(Span {
            start: line_start,
            end: g.chars.len(),
            hyphen: false,
        });
    }
    spans
        .into_iter()
        .map(|s| style_line(&g, s, fonts, size_pt))
        .collect()
}

/// Where to cut the over-wide piece `from..to`: the last hyphenation point that fits with its
/// hyphen, else the last character that fits (at least one character per line).
fn split_point(
    g: &Glyphs,
    from: usize,
    to: usize,
    width_pt: f32,
    hyphenator: &Hyphenator,
    hyphen_width: &dyn Fn(bool) -> f32,
) -> (usize, bool) {
    let mut best: Option<usize> = None;
    let mut i = from;
    while i < to {
        if !g.chars[i].is_alphabetic() {
            i += 1;
            continue;
        }
        let word_start = i;
        while i < to && g.chars[i].is_alphabetic() {
            i += 1;
        }
        let word: String = g.chars[word_start..i].iter().collect();
        for p in hyphenator.points(&word) {
            let cut = word_start + p;
            if cut > from && g.width(from, cut) + hyphen_width(g.bold[cut - 1]) <= width_pt {
                best = Some(cut);
            }
        }
    }
    if let Some(cut) = best {
        return (cut, true);
    }
    // At least one visible character per line.
    let mut cut = from + 1;
    while cut < to && matches!(g.chars[cut - 1], ' ' | SOFT_HYPHEN) {
        cut += 1;
    }
    while cut < to && g.line_width(from, cut + 1, hyphen_width) <= width_pt {
        cut += 1;
    }
    (cut, false)
}

/// Turns a char range into styled fragments: spaces and soft hyphens at both ends dropped, a
/// hyphen shown where the line was broken inside a word or at a soft hyphen.
fn style_line(g: &Glyphs, span: Span, fonts: &Fonts, size_pt: f32) -> Line {
    let (start, end, ends_at_soft_hyphen) = g.visible(span.start, span.end);
    let show_hyphen = span.hyphen || ends_at_soft_hyphen;
    let mut fragments: Vec<Fragment> = Vec::new();
    let mut x = 0.0;
    let mut push = |c: char, bold: bool, change: Option<Change>| {
        let w = fonts.face(bold).advance(c).unwrap_or(0.0) * size_pt / 1000.0;
        match fragments.last_mut() {
            Some(f) if f.bold == bold && f.change == change => {
                f.text.push(c);
                f.width_pt += w;
            }
            _ => fragments.push(Fragment {
                text: c.to_string(),
                bold,
                change,
                x_pt: x,
                width_pt: w,
            }),
        }
        x += w;
    };
    for i in start..end {
        if g.chars[i] != SOFT_HYPHEN {
            push(g.chars[i], g.bold[i], g.change[i]);
        }
    }
    if show_hyphen && end > start {
        push(HYPHEN, g.bold[end - 1], g.change[end - 1]);
    }
    let ends_at_space = g
        .chars
        .get(end..span.end)
        .is_some_and(|rest| rest.contains(&' '));
    Line {
        fragments,
        width_pt: x,
        hyphenated: show_hyphen,
        ends_at_space,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::fonts::FontFace;
    use std::path::Path;

    fn fonts() -> Fonts {
        Fonts {
            regular: FontFace::load(Path::new("fonts/LiberationSans-Regular.ttf")).unwrap(),
            bold: FontFace::load(Path::new("fonts/LiberationSans-Bold.ttf")).unwrap(),
        }
    }

    fn run(text: &str) -> Run {
        Run {
            text: text.into(),
            bold: false,
            change: None,
        }
    }

    fn lines(text: &str, width: f32) -> Vec<String> {
        wrap(&[run(text)], 10.0, width, &fonts(), &Hyphenator::default())
            .iter()
            .map(Line::text)
            .collect()
    }

    #[test]
    fn breaks_at_spaces_and_keeps_every_word() {
        let text =
            "Valdkonnaülese eestvedajana loob eeldused, et meeskonnaliikmed suudaksid kindlustada";
        let l = lines(text, 150.0);
        assert!(l.len() > 1);
        assert_eq!(l.join(" "), text);
        for line in wrap(&[run(text)], 10.0, 150.0, &fonts(), &Hyphenator::default()) {
            assert!(line.width_pt <= 150.0);
        }
    }

    #[test]
    fn breaks_after_a_hyphen_in_a_compound() {
        let l = lines("IT-arenduste IT-arenduste", 70.0);
        assert_eq!(l[0], "IT-arenduste");
    }

    #[test]
    fn long_word_is_hyphenated_inside_its_box() {
        let f = fonts();
        let out = wrap(
            &[run("partnerorganisatsioonidele")],
            10.0,
            60.0,
            &f,
            &Hyphenator::default(),
        );
        assert!(out.len() >= 2);
        assert!(out[0].hyphenated);
        assert!(out.iter().all(|l| l.width_pt <= 60.0));
        let joined: String = out
            .iter()
            .map(|l| l.text().trim_end_matches('-').to_string())
            .collect();
        assert_eq!(joined, "partnerorganisatsioonidele");
    }

    #[test]
    fn a_word_without_break_points_is_cut_between_letters() {
        let out = wrap(
            &[run(&"x".repeat(200))],
            10.0,
            50.0,
            &fonts(),
            &Hyphenator::default(),
        );
        assert!(out.len() > 3);
        assert!(out.iter().all(|l| l.width_pt <= 50.0 && !l.hyphenated));
        assert_eq!(
            out.iter().map(|l| l.text()).collect::<String>(),
            "x".repeat(200)
        );
    }

    #[test]
    fn soft_hyphen_is_invisible_unless_the_line_breaks_there() {
        let l = lines("aaa tööpe\u{00AD}re", 500.0);
        assert_eq!(l, vec!["aaa tööpere"]);
        let narrow = fonts().regular.width_pt("aaa tööpe-", 10.0) + 0.5;
        let l = lines("aaa tööpe\u{00AD}re", narrow);
        assert_eq!(l, vec!["aaa tööpe-", "re"]);
    }

    #[test]
    fn the_hyphen_shown_at_a_soft_hyphen_counts_in_the_width() {
        let f = fonts();
        let width = f.regular.width_pt("aaaa", 10.0) + 1.0;
        let out = wrap(
            &[run("aaaa\u{00AD}bbbb")],
            10.0,
            width,
            &f,
            &Hyphenator::default(),
        );
        assert!(out.iter().all(|l| l.width_pt <= width), "{out:?}");
        assert_eq!(
            out.iter()
                .map(|l| l.text().trim_end_matches('-').to_string())
                .collect::<String>(),
            "aaaabbbb"
        );
        // A soft hyphen with nothing before it never shows as a lone hyphen.
        let out = wrap(
            &[run("aaaa \u{00AD} bbbb")],
            10.0,
            width,
            &f,
            &Hyphenator::default(),
        );
        assert!(out.iter().all(|l| l.text() != "-"), "{out:?}");
    }

    #[test]
    fn styles_become_fragments() {
        let runs = [
            Run {
                text: "Termin".into(),
                bold: true,
                change: None,
            },
            run(" – seletus"),
        ];
        let out = wrap(&runs, 10.0, 500.0, &fonts(), &Hyphenator::default());
        assert_eq!(out[0].fragments.len(), 2);
        assert!(out[0].fragments[0].bold);
        assert!((out[0].fragments[1].x_pt - out[0].fragments[0].width_pt).abs() < 1e-3);
    }
}
