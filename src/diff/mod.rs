//! What changed between two card sets: cards added, removed, renamed, moved and changed, field
//! by field and word by word, and the same for the glossary entries.
//!
//! [`compare`] gives an [`AnnexDiff`], plain data (serde-serialisable). The summary and the
//! JSON of `rollikaart diff` ([`summary`]) and the redline document ([`redline`]) are all made
//! from it without comparing again. Cards are matched by id, then by title (same title, new
//! id: renamed); glossary entries by term. "Moved" means the order relative to the other
//! matched cards changed, not merely the order number (removing card 3 moves no card).

pub mod files;
pub mod redline;
pub mod summary;
pub mod tokens;
pub mod words;

use crate::cards::{Annex, AnnexSource, Card, GlossaryEntry, PerField};
use crate::text::Text;
use serde::Serialize;
use similar::{Algorithm, DiffTag, capture_diff_slices};
pub use words::{FieldDiff, FieldStats, Op, Side, TokenRun};

/// The whole comparison, old set against new set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnexDiff {
    /// `lisa.toml`: the fields of the annex as a whole.
    pub annex: AnnexFieldsDiff,
    /// Every card of either set, in the order the redline shows them.
    pub cards: Vec<CardDiff>,
    /// The redline's order: which card, shown as which version. A moved card stands twice:
    /// deleted where it was, inserted where it is.
    pub card_places: Vec<Place>,
    pub glossary: GlossaryDiff,
}

/// One item of the redline's order: `index` into the list of cards (or entries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Place {
    pub index: usize,
    pub side: Side,
}

/// What happened to a card or a glossary entry as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Unchanged,
    Changed,
    Added,
    Removed,
}

/// Which card a side of the comparison is: its order number, id, title and place (1-based
/// position among the set's cards).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardSide {
    pub order: u32,
    pub id: String,
    pub title: String,
    pub position: usize,
}

/// One card compared. A matched card has both sides; an added one only `new`, a removed one
/// only `old` (its fields are then all inserted or all deleted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardDiff {
    pub status: Status,
    pub old: Option<CardSide>,
    pub new: Option<CardSide>,
    /// Matched by title: the id changed.
    pub renamed: bool,
    /// Its order relative to the other matched cards changed.
    pub moved: bool,
    pub fields: CardFieldsDiff,
}

/// Every text on a card, compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardFieldsDiff {
    pub title: FieldDiff,
    pub subtitle: FieldDiff,
    /// The text fields, one per row of [`CARD_FIELDS`](crate::cards::CARD_FIELDS).
    pub text: PerField<FieldDiff>,
}

impl CardFieldsDiff {
    /// The fields in the order the card page shows them.
    pub fn all(&self) -> impl Iterator<Item = &FieldDiff> {
        [&self.title, &self.subtitle]
            .into_iter()
            .chain(self.text.values())
    }
}

/// The fields of `lisa.toml`, compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AnnexFieldsDiff {
    pub title: FieldDiff,
    pub label: FieldDiff,
    pub authority: FieldDiff,
    pub subject: FieldDiff,
    pub keywords: FieldDiff,
}

impl AnnexFieldsDiff {
    pub fn all(&self) -> [&FieldDiff; 5] {
        [
            &self.title,
            &self.label,
            &self.authority,
            &self.subject,
            &self.keywords,
        ]
    }
}

/// The glossary page compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GlossaryDiff {
    pub title: FieldDiff,
    /// Every entry of either set, in the order the redline shows them.
    pub entries: Vec<EntryDiff>,
    pub places: Vec<Place>,
}

/// One glossary entry compared (matched by its term).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryDiff {
    pub status: Status,
    pub term: String,
    /// 1-based position among the old set's entries, if it was there.
    pub old_position: Option<usize>,
    /// 1-based position among the new set's entries, if it is there.
    pub new_position: Option<usize>,
    pub moved: bool,
    /// The separator as printed (the template's default where the entry gives none).
    pub separator: FieldDiff,
    pub definition: FieldDiff,
}

impl AnnexDiff {
    /// Whether anything at all differs.
    pub fn has_changes(&self) -> bool {
        self.annex.all().iter().any(|f| f.changed())
            || self.cards.iter().any(CardDiff::differs)
            || self.glossary.title.changed()
            || self
                .glossary
                .entries
                .iter()
                .any(|e| e.status != Status::Unchanged || e.moved)
    }
}

impl CardDiff {
    /// Added, removed, renamed, moved or changed.
    pub fn differs(&self) -> bool {
        self.status != Status::Unchanged || self.renamed || self.moved
    }
}

/// Compares `old` with `new`. `default_separator` is the template's glossary separator, so
/// that an entry is compared as it is printed.
pub fn compare(old: &AnnexSource, new: &AnnexSource, default_separator: &str) -> AnnexDiff {
    let (cards, card_places) = compare_cards(&old.cards, &new.cards);
    AnnexDiff {
        annex: compare_annex(&old.annex, &new.annex),
        cards,
        card_places,
        glossary: GlossaryDiff {
            title: FieldDiff::compare(
                "title",
                &Text::single(old.glossary.title.as_str()),
                &Text::single(new.glossary.title.as_str()),
            ),
            ..compare_entries(
                &old.glossary.entries,
                &new.glossary.entries,
                default_separator,
            )
        },
    }
}

fn compare_annex(old: &Annex, new: &Annex) -> AnnexFieldsDiff {
    let line = |field, old: &str, new: &str| {
        FieldDiff::compare(field, &Text::single(old), &Text::single(new))
    };
    AnnexFieldsDiff {
        title: line("title", &old.title, &new.title),
        label: line("label", &old.label, &new.label),
        authority: line("authority", &old.authority, &new.authority),
        subject: line("subject", &old.subject, &new.subject),
        keywords: line(
            "keywords",
            &old.keywords.join(", "),
            &new.keywords.join(", "),
        ),
    }
}

/// Compares a card's texts: the title, the subtitle, then the text fields of the table. A
/// card on one side only is all deleted or all inserted.
fn card_fields(old: Option<&Card>, new: Option<&Card>) -> CardFieldsDiff {
    let field = |name: &'static str, text: &dyn Fn(&Card) -> Text| -> FieldDiff {
        match (old.map(text), new.map(text)) {
            (Some(o), Some(n)) => FieldDiff::compare(name, &o, &n),
            (Some(o), None) => FieldDiff::one_sided(name, &o, Op::Deleted),
            (None, Some(n)) => FieldDiff::one_sided(name, &n, Op::Inserted),
            (None, None) => FieldDiff {
                field: "",
                runs: Vec::new(),
            },
        }
    };
    CardFieldsDiff {
        title: field("title", &|card| Text::single(card.title.as_str())),
        subtitle: field("subtitle", &|card| {
            card.subtitle
                .as_deref()
                .map_or_else(Text::default, Text::single)
        }),
        text: PerField::from_fn(|spec| field(spec.key, &|card| card.fields[spec.field].clone())),
    }
}

fn card_side(card: &Card, index: usize) -> CardSide {
    CardSide {
        order: card.order,
        id: card.id.clone(),
        title: card.title.clone(),
        position: index + 1,
    }
}

/// Pairs of (old index, new index, found by the fallback key): first every item with the same
/// key, then, among the rest, every item with the same fallback key.
fn match_pairs<T, K: PartialEq>(
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> K,
    fallback: Option<&dyn Fn(&T) -> K>,
) -> Vec<(usize, usize, bool)> {
    let mut pairs = Vec::new();
    pair_by(old, new, &key, false, &mut pairs);
    if let Some(fallback) = fallback {
        pair_by(old, new, fallback, true, &mut pairs);
    }
    pairs
}

/// Adds a pair for each new item not yet paired whose key equals an unpaired old item's.
fn pair_by<T, K: PartialEq>(
    old: &[T],
    new: &[T],
    key: &dyn Fn(&T) -> K,
    by_fallback: bool,
    pairs: &mut Vec<(usize, usize, bool)>,
) {
    let mut old_paired = vec![false; old.len()];
    let mut new_paired = vec![false; new.len()];
    for &(i, j, _) in pairs.iter() {
        if let Some(p) = old_paired.get_mut(i) {
            *p = true;
        }
        if let Some(p) = new_paired.get_mut(j) {
            *p = true;
        }
    }
    let old_keys: Vec<K> = old.iter().map(key).collect();
    for (j, n) in new.iter().enumerate() {
        if new_paired.get(j).copied().unwrap_or(true) {
            continue;
        }
        let wanted = key(n);
        let found = old_keys
            .iter()
            .zip(old_paired.iter_mut())
            .enumerate()
            .find(|(_, (k, paired))| !**paired && **k == wanted);
        if let Some((i, (_, paired))) = found {
            *paired = true;
            pairs.push((i, j, by_fallback));
        }
    }
}

/// An item of either list: matched (the pair's number), or only old, or only new.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Slot {
    Pair(usize),
    OldOnly(usize),
    NewOnly(usize),
}

/// The order the redline shows the items in, from the old and new lists and the pairs:
/// the longest common order of the matched items stays in place; every other item is
/// shown deleted where it was in the old list or inserted where it is in the new one.
fn arrange(old_len: usize, new_len: usize, pairs: &[(usize, usize, bool)]) -> Vec<(Slot, Side)> {
    let old_slots: Vec<Slot> = (0..old_len)
        .map(|i| {
            pairs
                .iter()
                .position(|p| p.0 == i)
                .map_or(Slot::OldOnly(i), Slot::Pair)
        })
        .collect();
    let new_slots: Vec<Slot> = (0..new_len)
        .map(|j| {
            pairs
                .iter()
                .position(|p| p.1 == j)
                .map_or(Slot::NewOnly(j), Slot::Pair)
        })
        .collect();
    let mut order = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_slots, &new_slots) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let olds = old_slots.get(old_range).unwrap_or_default();
        let news = new_slots.get(new_range).unwrap_or_default();
        match tag {
            DiffTag::Equal => order.extend(news.iter().map(|&s| (s, Side::Both))),
            DiffTag::Delete => order.extend(olds.iter().map(|&s| (s, Side::Old))),
            DiffTag::Insert => order.extend(news.iter().map(|&s| (s, Side::New))),
            DiffTag::Replace => {
                order.extend(olds.iter().map(|&s| (s, Side::Old)));
                order.extend(news.iter().map(|&s| (s, Side::New)));
            }
        }
    }
    order
}

/// Numbers the items of an arrangement in order of first appearance; returns each item's
/// slot (once) and the places.
fn index_places(order: &[(Slot, Side)]) -> (Vec<(Slot, bool)>, Vec<Place>) {
    let mut items: Vec<(Slot, bool)> = Vec::new();
    let mut places = Vec::new();
    for &(slot, side) in order {
        let moved = matches!(slot, Slot::Pair(_)) && side != Side::Both;
        let index = match items.iter().position(|(s, _)| *s == slot) {
            Some(i) => {
                if let Some(item) = items.get_mut(i) {
                    item.1 |= moved;
                }
                i
            }
            None => {
                items.push((slot, moved));
                items.len() - 1
            }
        };
        places.push(Place { index, side });
    }
    (items, places)
}

fn compare_cards(old: &[Card], new: &[Card]) -> (Vec<CardDiff>, Vec<Place>) {
    let by_title = |c: &Card| c.title.clone();
    let pairs = match_pairs(old, new, |c: &Card| c.id.clone(), Some(&by_title));
    let (items, places) = index_places(&arrange(old.len(), new.len(), &pairs));
    let cards = items
        .into_iter()
        .filter_map(|(slot, moved)| {
            let (o, n, renamed) = match slot {
                Slot::Pair(k) => {
                    let &(i, j, renamed) = pairs.get(k)?;
                    (Some(i), Some(j), renamed)
                }
                Slot::OldOnly(i) => (Some(i), None, false),
                Slot::NewOnly(j) => (None, Some(j), false),
            };
            let old_card = o.and_then(|i| old.get(i));
            let new_card = n.and_then(|j| new.get(j));
            let fields = card_fields(old_card, new_card);
            let status = match (old_card, new_card) {
                (Some(_), None) => Status::Removed,
                (None, Some(_)) => Status::Added,
                _ if fields.all().any(|f| f.changed()) => Status::Changed,
                _ => Status::Unchanged,
            };
            Some(CardDiff {
                status,
                old: old_card.zip(o).map(|(c, i)| card_side(c, i)),
                new: new_card.zip(n).map(|(c, j)| card_side(c, j)),
                renamed,
                moved,
                fields,
            })
        })
        .collect();
    (cards, places)
}

/// The glossary entries compared: matched by term, each pair or lone entry as an
/// [`EntryDiff`] in the order the redline shows them.
// Long (63 lines): one match over the three ways an entry can stand, each a few lines.
fn compare_entries(
    old: &[GlossaryEntry],
    new: &[GlossaryEntry],
    default_separator: &str,
) -> GlossaryDiff {
    let pairs = match_pairs(old, new, |e: &GlossaryEntry| e.term.clone(), None);
    let (items, places) = index_places(&arrange(old.len(), new.len(), &pairs));
    let separator =
        |e: &GlossaryEntry| Text::single(e.separator.as_deref().unwrap_or(default_separator));
    let entries = items
        .into_iter()
        .filter_map(|(slot, moved)| {
            let (o, n) = match slot {
                Slot::Pair(k) => pairs.get(k).map(|&(i, j, _)| (Some(i), Some(j)))?,
                Slot::OldOnly(i) => (Some(i), None),
                Slot::NewOnly(j) => (None, Some(j)),
            };
            let old_entry = o.and_then(|i| old.get(i));
            let new_entry = n.and_then(|j| new.get(j));
            let (status, term, separator, definition) = match (old_entry, new_entry) {
                (Some(a), Some(b)) => {
                    let sep = FieldDiff::compare("separator", &separator(a), &separator(b));
                    let def = FieldDiff::compare("definition", &a.definition, &b.definition);
                    let status = if sep.changed() || def.changed() {
                        Status::Changed
                    } else {
                        Status::Unchanged
                    };
                    (status, &b.term, sep, def)
                }
                (Some(a), None) => (
                    Status::Removed,
                    &a.term,
                    FieldDiff::one_sided("separator", &separator(a), Op::Deleted),
                    FieldDiff::one_sided("definition", &a.definition, Op::Deleted),
                ),
                (None, Some(b)) => (
                    Status::Added,
                    &b.term,
                    FieldDiff::one_sided("separator", &separator(b), Op::Inserted),
                    FieldDiff::one_sided("definition", &b.definition, Op::Inserted),
                ),
                (None, None) => return None,
            };
            Some(EntryDiff {
                status,
                term: term.clone(),
                old_position: o.map(|i| i + 1),
                new_position: n.map(|j| j + 1),
                moved,
                separator,
                definition,
            })
        })
        .collect();
    GlossaryDiff {
        title: FieldDiff {
            field: "title",
            runs: Vec::new(),
        },
        entries,
        places,
    }
}
