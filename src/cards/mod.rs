//! The annex content: the annex file, the role cards and the glossary, validated.
//!
//! `load` reads a cards folder into an [`AnnexSource`]; every problem in every file is
//! collected as a located [`crate::diagnostics::Diagnostic`].

mod fields;
mod load;
mod reader;

pub use fields::{
    CARD_FIELD_COUNT, CARD_FIELDS, CardField, CardFieldSpec, FieldKind, PerField, RowShape,
};
pub use load::{ANNEX_FILE, GLOSSARY_FILE, load};

use crate::text::Text;
use std::path::PathBuf;

/// The annex as a whole: what the header, the metadata and the file names say. (The
/// document language is the template's `fonts.language`; a `language` key in the annex file
/// is accepted and not read, see `load`.)
#[derive(Debug, Clone, PartialEq)]
pub struct Annex {
    pub title: String,
    pub authority: String,
    pub label: String,
    pub subject: String,
    pub keywords: Vec<String>,
}

/// One role card, one page of the annex.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// Position in the annex (1-based, unique).
    pub order: u32,
    /// Stable ASCII slug naming the card in commands and file names.
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    /// The text fields, one per row of [`CARD_FIELDS`]: `card.fields[CardField::Why]`.
    pub fields: PerField<Text>,
    /// The file the card came from.
    pub source: PathBuf,
}

/// One glossary entry: the term (printed bold), what stands between, and its definition.
#[derive(Debug, Clone, PartialEq)]
pub struct GlossaryEntry {
    pub term: String,
    pub separator: Option<String>,
    pub definition: Text,
}

/// "Rollide SELETAV SÕNARAAMAT", the last page.
#[derive(Debug, Clone, PartialEq)]
pub struct Glossary {
    pub title: String,
    pub entries: Vec<GlossaryEntry>,
}

/// Everything read from a cards folder, cards sorted by `order`.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnexSource {
    pub annex: Annex,
    pub cards: Vec<Card>,
    pub glossary: Glossary,
}

impl AnnexSource {
    /// Finds a card by order number, by id or by title (case-insensitive), in that order. A
    /// title matches only when exactly one card has it: loading refuses two cards with one
    /// title, and a hand-made source with two never gets the first silently.
    pub fn find_card(&self, key: &str) -> Option<&Card> {
        let key = key.trim();
        if let Ok(n) = key.parse::<u32>() {
            return self.cards.iter().find(|c| c.order == n);
        }
        if let Some(card) = self.cards.iter().find(|c| c.id == key) {
            return Some(card);
        }
        let lower = key.to_lowercase();
        let mut by_title = self
            .cards
            .iter()
            .filter(|c| c.title.to_lowercase() == lower);
        match (by_title.next(), by_title.next()) {
            (Some(card), None) => Some(card),
            _ => None,
        }
    }
}
