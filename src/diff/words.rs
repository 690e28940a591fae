//! The word-by-word comparison of one field: runs of equal, deleted and inserted tokens.
//!
//! The diff itself is the `similar` crate's Myers algorithm over [`Token`]s. Afterwards a
//! lone space standing between two changes is folded into them, so that replacing "A B" by
//! "X Y" reads as one deletion and one insertion instead of four pieces around a kept space.

use super::tokens::{Token, TokenKind, tokenize};
use crate::document::{Change, MarkedParagraph, MarkedPiece, MarkedText};
use crate::text::Text;
use serde::Serialize;
use similar::{Algorithm, DiffTag, capture_diff_slices};

/// What happened to a run of tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Equal,
    Deleted,
    Inserted,
}

/// Consecutive tokens with the same fate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRun {
    pub op: Op,
    pub tokens: Vec<Token>,
}

impl TokenRun {
    /// The run's tokens as one string (paragraph breaks as a blank line).
    pub fn text(&self) -> String {
        self.tokens.iter().map(|t| t.text.as_str()).collect()
    }

    fn count(&self, kind: TokenKind) -> usize {
        self.tokens.iter().filter(|t| t.kind == kind).count()
    }
}

/// Which version of a field to show when making marked text from a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Both: equal text plain, deleted and inserted text marked (a changed card).
    Both,
    /// The old text only, all marked deleted (a removed card, or where a moved card was).
    Old,
    /// The new text only, all marked inserted (an added card, or where a moved card went).
    New,
}

/// The comparison of one field, old against new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldDiff {
    /// The field's name as in the card file, e.g. `roles`.
    pub field: &'static str,
    pub runs: Vec<TokenRun>,
}

/// How much of a field changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct FieldStats {
    pub words_inserted: usize,
    pub words_deleted: usize,
    pub paragraphs_inserted: usize,
    pub paragraphs_deleted: usize,
}

impl FieldDiff {
    /// Compares two texts of the field `field` word by word.
    pub fn compare(field: &'static str, old: &Text, new: &Text) -> FieldDiff {
        let old_tokens = tokenize(old);
        let new_tokens = tokenize(new);
        let mut runs = Vec::new();
        for op in capture_diff_slices(Algorithm::Myers, &old_tokens, &new_tokens) {
            let (tag, old_range, new_range) = op.as_tag_tuple();
            let old_part = old_tokens.get(old_range).unwrap_or_default();
            let new_part = new_tokens.get(new_range).unwrap_or_default();
            match tag {
                DiffTag::Equal => push_run(&mut runs, Op::Equal, new_part),
                DiffTag::Delete => push_run(&mut runs, Op::Deleted, old_part),
                DiffTag::Insert => push_run(&mut runs, Op::Inserted, new_part),
                DiffTag::Replace => {
                    push_run(&mut runs, Op::Deleted, old_part);
                    push_run(&mut runs, Op::Inserted, new_part);
                }
            }
        }
        FieldDiff {
            field,
            runs: fold_lone_spaces(runs),
        }
    }

    /// A field that exists only on one side: all of it deleted (`Op::Deleted`) or inserted.
    pub fn one_sided(field: &'static str, text: &Text, op: Op) -> FieldDiff {
        let mut runs = Vec::new();
        push_run(&mut runs, op, &tokenize(text));
        FieldDiff { field, runs }
    }

    pub fn changed(&self) -> bool {
        self.runs.iter().any(|r| r.op != Op::Equal)
    }

    pub fn stats(&self) -> FieldStats {
        let mut stats = FieldStats::default();
        for run in &self.runs {
            let words = run.count(TokenKind::Word);
            let breaks = run.count(TokenKind::ParagraphBreak);
            match run.op {
                Op::Equal => {}
                Op::Deleted => {
                    stats.words_deleted += words;
                    stats.paragraphs_deleted += breaks;
                }
                Op::Inserted => {
                    stats.words_inserted += words;
                    stats.paragraphs_inserted += breaks;
                }
            }
        }
        stats
    }

    /// The field's text on one side, as written in a card file (paragraphs joined by a blank
    /// line): `Op::Deleted` for the old text, `Op::Inserted` for the new.
    pub fn text_of(&self, side: Op) -> String {
        self.runs
            .iter()
            .filter(|r| r.op == Op::Equal || r.op == side)
            .map(TokenRun::text)
            .collect()
    }

    /// The field as marked text for a redline, showing `side`.
    pub fn marked(&self, side: Side) -> MarkedText {
        let mut paragraphs = Vec::new();
        let mut current = MarkedParagraph::default();
        for run in &self.runs {
            let change = match (side, run.op) {
                (Side::Both, Op::Equal) => None,
                (Side::Both | Side::Old, Op::Deleted) => Some(Change::Deleted),
                (Side::Both | Side::New, Op::Inserted) => Some(Change::Inserted),
                (Side::Old, Op::Equal) => Some(Change::Deleted),
                (Side::New, Op::Equal) => Some(Change::Inserted),
                (Side::Old, Op::Inserted) | (Side::New, Op::Deleted) => continue,
            };
            for token in &run.tokens {
                if token.kind == TokenKind::ParagraphBreak {
                    current.break_change = change;
                    paragraphs.push(std::mem::take(&mut current));
                } else {
                    push_piece(&mut current, &token.text, change);
                }
            }
        }
        if !paragraphs.is_empty() || !current.pieces.is_empty() {
            paragraphs.push(current);
        }
        MarkedText { paragraphs }
    }
}

fn push_piece(paragraph: &mut MarkedParagraph, text: &str, change: Option<Change>) {
    match paragraph.pieces.last_mut() {
        Some(last) if last.change == change => last.text.push_str(text),
        _ => paragraph.pieces.push(MarkedPiece {
            text: text.to_string(),
            change,
        }),
    }
}

/// Appends tokens as a run, joining the previous run when it has the same op.
fn push_run(runs: &mut Vec<TokenRun>, op: Op, tokens: &[Token]) {
    if tokens.is_empty() {
        return;
    }
    match runs.last_mut() {
        Some(last) if last.op == op => last.tokens.extend_from_slice(tokens),
        _ => runs.push(TokenRun {
            op,
            tokens: tokens.to_vec(),
        }),
    }
}

/// An equal run of nothing but one space, between two changed runs, becomes part of the
/// change; then each stretch of changes is written as its deletions followed by its
/// insertions. Both versions of the text stay exactly what they were.
fn fold_lone_spaces(runs: Vec<TokenRun>) -> Vec<TokenRun> {
    let is_lone_space = |r: &TokenRun| {
        r.op == Op::Equal
            && r.tokens.len() == 1
            && r.tokens.iter().all(|t| t.kind == TokenKind::Space)
    };
    let mut out: Vec<TokenRun> = Vec::new();
    let mut deleted: Vec<Token> = Vec::new();
    let mut inserted: Vec<Token> = Vec::new();
    let flush = |out: &mut Vec<TokenRun>, deleted: &mut Vec<Token>, inserted: &mut Vec<Token>| {
        push_run(out, Op::Deleted, deleted);
        push_run(out, Op::Inserted, inserted);
        deleted.clear();
        inserted.clear();
    };
    for (i, run) in runs.iter().enumerate() {
        let between_changes = i > 0
            && runs.get(i + 1).is_some_and(|r| r.op != Op::Equal)
            && runs.get(i - 1).is_some_and(|r| r.op != Op::Equal);
        match run.op {
            Op::Deleted => deleted.extend_from_slice(&run.tokens),
            Op::Inserted => inserted.extend_from_slice(&run.tokens),
            Op::Equal if between_changes && is_lone_space(run) => {
                deleted.extend_from_slice(&run.tokens);
                inserted.extend_from_slice(&run.tokens);
            }
            Op::Equal => {
                flush(&mut out, &mut deleted, &mut inserted);
                push_run(&mut out, Op::Equal, &run.tokens);
            }
        }
    }
    flush(&mut out, &mut deleted, &mut inserted);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(old: &str, new: &str) -> Vec<(Op, String)> {
        FieldDiff::compare("roles", &Text::parse(old), &Text::parse(new))
            .runs
            .iter()
            .map(|r| (r.op, r.text()))
            .collect()
    }

    #[test]
    fn one_word_replaced() {
        assert_eq!(
            runs(
                "Lõimija, võimestaja, nõustaja",
                "Lõimija, eestvedaja, nõustaja"
            ),
            [
                (Op::Equal, "Lõimija, ".to_string()),
                (Op::Deleted, "võimestaja".into()),
                (Op::Inserted, "eestvedaja".into()),
                (Op::Equal, ", nõustaja".into()),
            ]
        );
    }

    #[test]
    fn several_words_read_as_one_change() {
        assert_eq!(
            runs("üks kaks kolm neli", "üks viis kuus neli"),
            [
                (Op::Equal, "üks ".to_string()),
                (Op::Deleted, "kaks kolm".into()),
                (Op::Inserted, "viis kuus".into()),
                (Op::Equal, " neli".into()),
            ]
        );
    }

    #[test]
    fn a_new_paragraph_is_a_break_and_its_words() {
        let diff = FieldDiff::compare(
            "why",
            &Text::parse("Esimene lõik."),
            &Text::parse("Esimene lõik.\n\nTeine lõik."),
        );
        let stats = diff.stats();
        assert_eq!(stats.words_inserted, 2);
        assert_eq!(stats.paragraphs_inserted, 1);
        assert_eq!(stats.words_deleted + stats.paragraphs_deleted, 0);
        assert_eq!(diff.text_of(Op::Inserted), "Esimene lõik.\n\nTeine lõik.");
        assert_eq!(diff.text_of(Op::Deleted), "Esimene lõik.");
        let marked = diff.marked(Side::Both);
        assert_eq!(marked.paragraphs.len(), 2);
        assert_eq!(
            marked.paragraphs.first().and_then(|p| p.break_change),
            Some(Change::Inserted)
        );
    }

    #[test]
    fn same_text_is_one_equal_run() {
        let text = Text::parse("Sama tekst.\n\nJa teine.");
        let diff = FieldDiff::compare("why", &text, &text);
        assert!(!diff.changed());
        assert_eq!(diff.runs.len(), 1);
        assert_eq!(diff.marked(Side::Both), MarkedText::plain(&text));
    }
}
