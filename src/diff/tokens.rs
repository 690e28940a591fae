//! Card text as diff tokens: words, punctuation, spaces, placeholders and paragraph breaks.
//!
//! A field's [`Text`] is already normalised by the text rules (a single line break read as a
//! space, an empty line starting a paragraph, spaces folded), so the tokens of a paragraph
//! put together give back the paragraph exactly, and a paragraph break is a token of its own.

use crate::text::{KNOWN_PLACEHOLDERS, SOFT_HYPHEN, Text};
use serde::Serialize;

/// What a token is; only words count in "+3 −1 words".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// Letters and digits (Estonian words, numbers such as `2024` or `6A`).
    Word,
    /// One punctuation mark or other sign.
    Punctuation,
    /// A stretch of spaces (an ordinary or a non-breaking one).
    Space,
    /// `{regDateTime}` or `{regNumber}`, kept whole.
    Placeholder,
    /// The break between two paragraphs.
    ParagraphBreak,
}

/// One token and its text as printed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Token {
    pub kind: TokenKind,
    pub text: String,
}

/// How a paragraph break reads when a field's text is written out as one string; the same as
/// [`Text::joined`].
pub const PARAGRAPH_BREAK: &str = "\n\n";

/// The tokens of `text`, paragraph by paragraph, with a break token between paragraphs.
pub fn tokenize(text: &Text) -> Vec<Token> {
    let mut tokens = Vec::new();
    for (i, paragraph) in text.paragraphs.iter().enumerate() {
        if i > 0 {
            tokens.push(Token {
                kind: TokenKind::ParagraphBreak,
                text: PARAGRAPH_BREAK.to_string(),
            });
        }
        push_paragraph(&mut tokens, paragraph);
    }
    tokens
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == SOFT_HYPHEN
}

fn push_paragraph(tokens: &mut Vec<Token>, paragraph: &str) {
    let mut rest = paragraph;
    while let Some(first) = rest.chars().next() {
        let placeholder = KNOWN_PLACEHOLDERS.iter().find(|p| rest.starts_with(**p));
        let (kind, len) = if let Some(p) = placeholder {
            (TokenKind::Placeholder, p.len())
        } else if is_word_char(first) {
            (TokenKind::Word, prefix_len(rest, is_word_char))
        } else if first.is_whitespace() {
            (TokenKind::Space, prefix_len(rest, char::is_whitespace))
        } else {
            (TokenKind::Punctuation, first.len_utf8())
        };
        let Some((token, tail)) = rest.split_at_checked(len) else {
            break;
        };
        tokens.push(Token {
            kind,
            text: token.to_string(),
        });
        rest = tail;
    }
}

/// The length in bytes of the longest prefix of `s` whose characters all satisfy `class`.
fn prefix_len(s: &str, class: impl Fn(char) -> bool) -> usize {
    s.char_indices()
        .find(|&(_, c)| !class(c))
        .map_or(s.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &Text) -> Vec<(TokenKind, String)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.kind, t.text))
            .collect()
    }

    #[test]
    fn words_punctuation_spaces_and_breaks() {
        let text = Text::parse("Lõimija, võimestaja(te)\u{00A0}6A\n\nnr {regNumber}.");
        let kinds = texts(&text);
        let words: Vec<&str> = kinds.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(
            words,
            [
                "Lõimija",
                ",",
                " ",
                "võimestaja",
                "(",
                "te",
                ")",
                "\u{00A0}",
                "6A",
                "\n\n",
                "nr",
                " ",
                "{regNumber}",
                "."
            ]
        );
        assert_eq!(kinds.get(9).map(|k| k.0), Some(TokenKind::ParagraphBreak));
        assert_eq!(kinds.get(12).map(|k| k.0), Some(TokenKind::Placeholder));
    }

    #[test]
    fn tokens_give_back_the_text() {
        let text = Text::parse("Üks  kaks,\nkolm\n\n\nneli – viis {kuupäev} {regDateTime}");
        let joined: String = tokenize(&text).into_iter().map(|t| t.text).collect();
        assert_eq!(joined, text.joined());
    }
}
