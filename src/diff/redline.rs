//! The redline: the new annex as a [`Document`] in which every change is marked, built from an
//! [`AnnexDiff`] by the same page builders as `build` ([`document::build_marked`]).
//!
//! Deleted text stands as its own runs where it was; an added card is one inserted block and a
//! removed card one deleted block (labels included); a moved card is deleted where it was and
//! inserted where it is. [`accept_all`] and [`reject_all`] give the document that accepting
//! or rejecting every change leaves, as Word does: accepting drops deleted runs, rejecting
//! drops inserted ones, a paragraph whose end (mark) is dropped joins the next one, and a
//! paragraph left with no runs disappears.

use super::{AnnexDiff, CardDiff, EntryDiff, Place, Side};
use crate::cards::Annex;
use crate::document::{
    self, AnnexContent, Block, BuildOptions, CardContent, Change, Document, EntryContent,
    GlossaryContent, MarkedText, Page, Paragraph, Revision,
};
use crate::template::Template;

/// Where the template's legend names the older cards folder.
pub const LEGEND_OLD: &str = "{old}";

/// What a redline is made with besides the comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedlineOptions {
    /// Who made the changes and when.
    pub revision: Revision,
    /// Leave out the cards that did not change (then accepting every change no longer gives
    /// the whole new annex, only its changed cards and the glossary).
    pub changed_only: bool,
    /// What the new set is compared with (the older cards folder, as given), for the legend
    /// in the header band; none without.
    pub compared_with: Option<String>,
}

/// The redline document of the new annex (`new_annex` gives the document properties).
pub fn build(
    diff: &AnnexDiff,
    new_annex: &Annex,
    template: &Template,
    options: &BuildOptions,
    redline: &RedlineOptions,
) -> Document {
    let mut content = content(diff, redline.changed_only);
    content.legend = redline
        .compared_with
        .as_ref()
        .map(|old| template.redline.legend.replace(LEGEND_OLD, old));
    let mut doc = document::build_marked(&content, new_annex, template, options);
    doc.meta.revision = Some(redline.revision.clone());
    doc
}

/// The marked content of every page, in the redline's order; with `changed_only`, the cards
/// that did not change are left out.
pub fn content(diff: &AnnexDiff, changed_only: bool) -> AnnexContent {
    AnnexContent {
        legend: None,
        header_title: diff.annex.title.marked(Side::Both),
        header_label: diff.annex.label.marked(Side::Both),
        cards: diff
            .card_places
            .iter()
            .filter_map(|place| diff.cards.get(place.index).map(|c| (c, place.side)))
            .filter(|(c, _)| !changed_only || c.differs())
            .map(|(c, side)| card(c, side))
            .collect(),
        glossary: GlossaryContent {
            bookmark: diff.glossary.title.text_of(super::Op::Inserted),
            title: diff.glossary.title.marked(Side::Both),
            entries: diff
                .glossary
                .places
                .iter()
                .filter_map(|&Place { index, side }| {
                    diff.glossary.entries.get(index).map(|e| entry(e, side))
                })
                .collect(),
        },
    }
}

/// The mark a whole block carries when it is shown as one side only.
fn block_change(side: Side) -> Option<Change> {
    match side {
        Side::Both => None,
        Side::Old => Some(Change::Deleted),
        Side::New => Some(Change::Inserted),
    }
}

fn card(card: &CardDiff, side: Side) -> CardContent {
    let shown = match side {
        Side::Old => card.old.as_ref().or(card.new.as_ref()),
        Side::Both | Side::New => card.new.as_ref().or(card.old.as_ref()),
    };
    let f = &card.fields;
    CardContent {
        order: shown.map_or(0, |s| s.order),
        id: shown.map(|s| s.id.clone()).unwrap_or_default(),
        bookmark: shown.map(|s| s.title.clone()).unwrap_or_default(),
        block_change: block_change(side),
        title: f.title.marked(side),
        subtitle: f.subtitle.marked(side),
        fields: f.text.as_ref().map(|field| field.marked(side)),
    }
}

fn entry(entry: &EntryDiff, side: Side) -> EntryContent {
    EntryContent {
        term: MarkedText::whole_line(&entry.term, block_change(side)),
        separator: entry.separator.marked(side),
        definition: entry.definition.marked(side),
    }
}

/// The document with every change accepted: the new annex.
pub fn accept_all(doc: &Document) -> Document {
    project(doc, Change::Deleted)
}

/// The document with every change rejected: the old annex.
pub fn reject_all(doc: &Document) -> Document {
    project(doc, Change::Inserted)
}

/// `doc` with the runs and paragraph ends marked `dropped` removed and every mark cleared.
fn project(doc: &Document, dropped: Change) -> Document {
    let left = project_paragraphs(std::slice::from_ref(&doc.header.left), dropped)
        .into_iter()
        .next()
        .unwrap_or_else(|| Paragraph {
            runs: Vec::new(),
            ..doc.header.left.clone()
        });
    let mut header = doc.header.clone();
    header.left = left;
    // The legend belongs to the redline only.
    let right: Vec<Paragraph> = doc
        .header
        .right
        .iter()
        .filter(|p| p.role != document::ParagraphRole::Legend)
        .cloned()
        .collect();
    header.right = project_paragraphs(&right, dropped);
    Document {
        meta: document::Metadata {
            revision: None,
            ..doc.meta.clone()
        },
        setup: doc.setup.clone(),
        header,
        pages: doc
            .pages
            .iter()
            .map(|p| project_page(p, dropped))
            .filter(|p| p.paragraphs().next().is_some())
            .collect(),
    }
}

fn project_page(page: &Page, dropped: Change) -> Page {
    let mut blocks = Vec::new();
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let flush = |blocks: &mut Vec<Block>, paragraphs: &mut Vec<Paragraph>| {
        blocks.extend(
            project_paragraphs(paragraphs, dropped)
                .into_iter()
                .map(Block::Paragraph),
        );
        paragraphs.clear();
    };
    for block in &page.blocks {
        match block {
            Block::Paragraph(p) => paragraphs.push(p.clone()),
            Block::Table(table) => {
                flush(&mut blocks, &mut paragraphs);
                let mut table = table.clone();
                for cell in table.rows.iter_mut().flat_map(|r| r.cells.iter_mut()) {
                    cell.paragraphs = project_paragraphs(&cell.paragraphs, dropped);
                }
                blocks.push(Block::Table(table));
            }
        }
    }
    flush(&mut blocks, &mut paragraphs);
    Page {
        blocks,
        change: None,
        ..page.clone()
    }
}

/// One run of consecutive paragraphs (a cell's, or a page's outside tables) projected.
fn project_paragraphs(paragraphs: &[Paragraph], dropped: Change) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut joined: Vec<document::Run> = Vec::new();
    for p in paragraphs {
        joined.extend(
            p.runs
                .iter()
                .filter(|r| r.change != Some(dropped))
                .map(|r| document::Run {
                    change: None,
                    ..r.clone()
                }),
        );
        if p.break_change == Some(dropped) {
            // The paragraph end is gone: its runs go on in the next paragraph, which keeps
            // its own properties (the paragraph mark carries them).
            continue;
        }
        if !joined.is_empty() {
            out.push(Paragraph {
                runs: std::mem::take(&mut joined),
                break_change: None,
                ..p.clone()
            });
        }
    }
    if !joined.is_empty()
        && let Some(last) = paragraphs.last()
    {
        out.push(Paragraph {
            runs: joined,
            break_change: None,
            ..last.clone()
        });
    }
    out
}
