//! The format-neutral annex: pages of blocks; tables of rows, cells and paragraphs.
//!
//! Built once from the cards, the template and the registration data. What stands on a page,
//! in which cell, in what order, bold or not, at what size, is decided here and only here;
//! the PDF and DOCX renderers draw this model and decide nothing about content.
//!
//! What the model promises its readers (the layout and the renderers):
//! - it is complete: with the fonts, the colour profile, a timestamp and a producer name it
//!   is all a renderer needs; nothing of the template is read after [`build`] (the page setup
//!   of [`setup`] carries the geometry, sizes, rules, draft look and names);
//! - every paragraph has its text in runs (placeholders expanded for the mode), its size,
//!   alignment, space below and its [`ParagraphRole`]; every cell its span, fill and
//!   [`CellRole`]: styles and structure tags follow the roles, never the shape of the tree;
//! - every page has its outline entry, its table caption and the title its further sheets
//!   repeat ([`Page::continuation`]), decided once for both formats;
//! - the metadata (title, author, language, draft mark, the properties for records systems)
//!   is final: renderers write it as it is.

use crate::cards::{
    Annex, AnnexSource, CARD_FIELDS, Card, CardField, Glossary, PerField, RowShape,
};
use crate::registration::{Field, Registration};
use crate::template::Template;
use crate::text::Text;
use crate::units::mm_to_pt;

mod setup;

pub use crate::template::{RedlineStyle, Rgb};
pub use setup::{DraftLook, Setup, SheetGeometry, StyleSizes};

/// The whole annex, or a part of it (one card) for per-card files.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub meta: Metadata,
    /// How the document is set on paper.
    pub setup: Setup,
    /// The header band printed at the top of every page.
    pub header: HeaderBand,
    pub pages: Vec<Page>,
}

/// Document properties shared by both formats.
#[derive(Debug, Clone, PartialEq)]
pub struct Metadata {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// BCP 47 language tag, e.g. `et-EE`.
    pub language: String,
    /// The registration data the document was made with.
    pub registration: Registration,
    /// A draft's visible mark, if this is a draft.
    pub draft_mark: Option<String>,
    /// In a redline: who made the changes and when (Word's tracked-change author and date).
    pub revision: Option<Revision>,
    /// In final mode, the registration data as the document shows it, for records systems
    /// (the DOCX's custom properties); empty in template mode.
    pub record_properties: Vec<RecordProperty>,
}

/// The author and time every change of a redline is attributed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub author: String,
    /// Seconds since 1970 (UTC).
    pub timestamp: i64,
}

/// A named value a records system reads from the file's properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordProperty {
    /// The placeholder's name without braces, e.g. `regNumber`.
    pub name: String,
    pub value: String,
}

/// Left: the annex title. Right: the approval lines, right-aligned.
#[derive(Debug, Clone, PartialEq)]
pub struct HeaderBand {
    pub left: Paragraph,
    pub right: Vec<Paragraph>,
}

/// What a page shows; each starts on a new sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub kind: PageKind,
    /// The page's name: the role or the glossary title (the DOCX's table caption).
    pub bookmark: String,
    /// The PDF outline entry: the name, numbered for a card ("1. OSAKONNA JUHATAJA").
    pub outline_entry: String,
    pub blocks: Vec<Block>,
    /// In a redline: the whole page is one inserted or deleted block (an added or removed
    /// card, or where a moved card was or went): its table rows and paragraph ends with it.
    pub change: Option<Change>,
    /// The title with the continuation mark that the page's further sheets repeat under the
    /// header band.
    pub continuation: Option<Paragraph>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageKind {
    Card { order: u32 },
    Glossary,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Paragraph),
    Table(Table),
}

/// A bordered table on a grid of columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns_mm: Vec<f32>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
}

/// A cell spanning `span` grid columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub span: usize,
    pub fill: Option<Rgb>,
    pub paragraphs: Vec<Paragraph>,
    /// What the cell is to a reader: a header of its row or of the cells below, or data.
    pub role: CellRole,
    /// How many columns of the table as a reader hears it the cell covers. The drawing grid
    /// has three columns (see `span`), the table a reader hears has two: label | text, or
    /// "Otsesed sihtgrupid" | "Vajalikud kompetentsid"; a full-width row covers both.
    pub reading_columns: usize,
}

/// The meaning of a table cell (tagged PDF `TH` with its `/Scope`, or `TD`; DOCX header
/// styles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellRole {
    /// A row label ("Miks on ametikoha vaja?"): heads the text beside it.
    RowHeader,
    /// A heading over the cells below it: a grey bar or a column heading.
    ColumnHeader,
    /// Card text.
    Data,
}

/// The meaning of a paragraph, decided here once: the tagged PDF's structure types and the
/// DOCX's paragraph styles follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParagraphRole {
    /// A line of the header band: the annex title, the approval lines, the annex label.
    HeaderLine,
    /// A card's title or the glossary's title: a first-level heading.
    Title,
    /// The line under a card's title.
    Subtitle,
    /// The text of a header cell (a row label, a grey bar, a column heading).
    Label,
    /// Card text, or a further paragraph of a glossary definition.
    Body,
    /// A glossary entry: its bold runs are the term, the rest is the separator and the
    /// first paragraph of the definition.
    GlossaryEntry,
    /// In a redline: the line of the header band that says what the document is compared
    /// with ("Muudatused võrreldes: …"); not part of either annex.
    Legend,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub role: ParagraphRole,
    pub runs: Vec<Run>,
    pub size_pt: f32,
    pub align: Align,
    pub space_after_pt: f32,
    /// In a redline: the paragraph's end (its paragraph mark) was inserted or deleted, so
    /// accepting or rejecting joins this paragraph with the next one. `None` elsewhere.
    pub break_change: Option<Change>,
}

/// A piece of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    /// In a redline: this text was inserted or deleted. `None` elsewhere.
    pub change: Option<Change>,
}

impl Paragraph {
    /// The paragraph's text without styles.
    pub fn plain_text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }

    /// The change mark every run of the paragraph carries (a title of a card inserted or
    /// deleted as a whole), if they all carry the same one. What is added to such a line
    /// (the continuation mark) carries it too.
    pub fn whole_change(&self) -> Option<Change> {
        let first = self.runs.first().and_then(|r| r.change)?;
        self.runs
            .iter()
            .all(|r| r.change == Some(first))
            .then_some(first)
    }
}

// The card table sits on a grid of three columns: the label column, the rest of the
// "Otsesed sihtgrupid" column, and the "Vajalikud kompetentsid" column (widths from the
// template). These are the spans of the cells on that grid, each with the columns it covers
// in the two-column table a reader hears (label | text).
/// A label cell: the first grid column.
const LABEL_SPAN: (usize, usize) = (1, 1);
/// The text beside a label: the other two columns.
const TEXT_SPAN: (usize, usize) = (2, 1);
/// A full-width heading or text row.
const FULL_SPAN: (usize, usize) = (3, 2);
/// "Otsesed sihtgrupid": the label column and the middle one.
const GROUPS_SPAN: (usize, usize) = (2, 1);
/// "Vajalikud kompetentsid": the last column.
const COMPETENCES_SPAN: (usize, usize) = (1, 1);

/// Builds document paragraphs from template values and card text.
struct Builder<'a> {
    template: &'a Template,
    registration: &'a Registration,
}

impl Builder<'_> {
    fn runs(&self, text: &str, bold: bool) -> Vec<Run> {
        self.marked_runs(text, bold, None)
    }

    fn paragraph(
        &self,
        role: ParagraphRole,
        text: &str,
        bold: bool,
        size_pt: f32,
        space_after_pt: f32,
    ) -> Paragraph {
        Paragraph {
            role,
            runs: self.runs(text, bold),
            size_pt,
            align: Align::Left,
            space_after_pt,
            break_change: None,
        }
    }

    fn body(&self, text: &MarkedText) -> Vec<Paragraph> {
        let body = self.template.sizes.body_pt;
        let gap = self.template.table.paragraph_space_pt;
        let last = text.paragraphs.len().saturating_sub(1);
        text.paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let after = if i == last { 0.0 } else { gap };
                self.marked_paragraph(ParagraphRole::Body, p, false, body, after)
            })
            .collect()
    }

    /// A label cell's paragraph; `change` marks it when the whole card is inserted or deleted.
    fn label(&self, label: &str, change: Option<Change>) -> Vec<Paragraph> {
        vec![self.marked_line(
            ParagraphRole::Label,
            &MarkedText::whole_line(label, change),
            true,
            self.template.sizes.body_pt,
            0.0,
        )]
    }

    fn cell(
        &self,
        (span, reading_columns): (usize, usize),
        role: CellRole,
        fill: Option<Rgb>,
        paragraphs: Vec<Paragraph>,
    ) -> Cell {
        Cell {
            span,
            fill,
            paragraphs,
            role,
            reading_columns,
        }
    }

    /// `title` with the template's continuation mark, for the further sheets of its page.
    fn continuation(&self, title: &Paragraph) -> Paragraph {
        let mark = &self.template.title.continuation_mark;
        let bold = title.runs.last().is_some_and(|r| r.bold);
        let mut runs = title.runs.clone();
        runs.push(Run {
            text: format!(" {mark}"),
            bold,
            change: title.whole_change(),
        });
        Paragraph {
            runs,
            space_after_pt: mm_to_pt(self.template.title.space_after_mm),
            ..title.clone()
        }
    }

    /// In final mode, the registration number and date as the document shows them, under
    /// the names of their placeholders.
    fn record_properties(&self) -> Vec<RecordProperty> {
        if !self.registration.is_final() {
            return Vec::new();
        }
        [Field::RegNumber, Field::RegDate]
            .into_iter()
            .map(|field| {
                let placeholder = field.placeholder();
                RecordProperty {
                    name: placeholder
                        .trim_start_matches('{')
                        .trim_end_matches('}')
                        .to_string(),
                    value: self
                        .runs(placeholder, false)
                        .into_iter()
                        .map(|r| r.text)
                        .collect(),
                }
            })
            .collect()
    }

    fn header(&self, annex_title: &MarkedText, annex_label: &MarkedText) -> HeaderBand {
        let size = self.template.sizes.header_pt;
        let mut right: Vec<Paragraph> = self
            .template
            .header
            .right_lines
            .iter()
            .map(|line| self.paragraph(ParagraphRole::HeaderLine, line, false, size, 0.0))
            .collect();
        right.push(self.marked_line(ParagraphRole::HeaderLine, annex_label, false, size, 0.0));
        for line in &mut right {
            line.align = Align::Right;
        }
        HeaderBand {
            left: self.marked_line(ParagraphRole::HeaderLine, annex_title, false, size, 0.0),
            right,
        }
    }

    /// The side-by-side pair: both labels in heading bars, then both texts, split at the
    /// template's groups column.
    fn pair_rows(
        &self,
        (left_label, left_text): (&str, &MarkedText),
        (right_label, right_text): (&str, &MarkedText),
        mark: Option<Change>,
    ) -> [Row; 2] {
        let fill = Some(self.template.heading_fill());
        [
            Row {
                cells: vec![
                    self.cell(
                        GROUPS_SPAN,
                        CellRole::ColumnHeader,
                        fill,
                        self.label(left_label, mark),
                    ),
                    self.cell(
                        COMPETENCES_SPAN,
                        CellRole::ColumnHeader,
                        fill,
                        self.label(right_label, mark),
                    ),
                ],
            },
            Row {
                cells: vec![
                    self.cell(GROUPS_SPAN, CellRole::Data, None, self.body(left_text)),
                    self.cell(
                        COMPETENCES_SPAN,
                        CellRole::Data,
                        None,
                        self.body(right_text),
                    ),
                ],
            },
        ]
    }

    fn card_page(&self, card: &CardContent) -> Page {
        let t = self.template;
        let title = self.marked_line(
            ParagraphRole::Title,
            &card.title,
            true,
            t.sizes.title_pt,
            if card.subtitle.is_empty() {
                mm_to_pt(t.title.space_after_mm)
            } else {
                0.0
            },
        );
        let continuation = Some(self.continuation(&title));
        let mut blocks = vec![Block::Paragraph(title)];
        if !card.subtitle.is_empty() {
            blocks.push(Block::Paragraph(self.marked_line(
                ParagraphRole::Subtitle,
                &card.subtitle,
                false,
                t.sizes.subtitle_pt,
                mm_to_pt(t.title.space_after_mm),
            )));
        }
        let rows = self.field_rows(card);
        let content = t.page.content_width_mm();
        let columns_mm = vec![
            t.table.label_column_mm,
            t.table.groups_column_mm - t.table.label_column_mm,
            content - t.table.groups_column_mm,
        ];
        blocks.push(Block::Table(Table { columns_mm, rows }));
        Page {
            kind: PageKind::Card { order: card.order },
            bookmark: card.bookmark.clone(),
            outline_entry: format!("{}. {}", card.order, card.bookmark),
            blocks,
            continuation,
            change: card.block_change,
        }
    }

    /// The card table's rows: each field of [`CARD_FIELDS`] in the shape its row names.
    fn field_rows(&self, card: &CardContent) -> Vec<Row> {
        let labels = &self.template.labels;
        let fill = Some(self.template.heading_fill());
        let mark = card.block_change;
        let label_row = |label: &str, text: &MarkedText| Row {
            cells: vec![
                self.cell(
                    LABEL_SPAN,
                    CellRole::RowHeader,
                    None,
                    self.label(label, mark),
                ),
                self.cell(TEXT_SPAN, CellRole::Data, None, self.body(text)),
            ],
        };
        let heading_rows = |label: &str, text: &MarkedText| {
            [
                Row {
                    cells: vec![self.cell(
                        FULL_SPAN,
                        CellRole::ColumnHeader,
                        fill,
                        self.label(label, mark),
                    )],
                },
                Row {
                    cells: vec![self.cell(FULL_SPAN, CellRole::Data, None, self.body(text))],
                },
            ]
        };
        let text_of = |field: CardField| (labels[field].get_ref().as_str(), &card.fields[field]);
        let mut rows = Vec::new();
        let mut fields = CARD_FIELDS.iter().peekable();
        while let Some(spec) = fields.next() {
            let (label, text) = text_of(spec.field);
            match spec.row {
                RowShape::Labelled => rows.push(label_row(label, text)),
                RowShape::Heading => rows.extend(heading_rows(label, text)),
                RowShape::PairLeft | RowShape::PairRight => {
                    // A pair is its left half and the right half after it (a table test
                    // checks the shape); a lone half is shown as a heading row.
                    match fields.next_if(|next| next.row == RowShape::PairRight) {
                        Some(right) => {
                            rows.extend(self.pair_rows((label, text), text_of(right.field), mark))
                        }
                        None => rows.extend(heading_rows(label, text)),
                    }
                }
            }
        }
        rows
    }

    fn glossary_page(&self, glossary: &GlossaryContent) -> Page {
        let t = self.template;
        let body = t.sizes.body_pt;
        let title = self.marked_line(
            ParagraphRole::Title,
            &glossary.title,
            true,
            t.sizes.glossary_title_pt,
            mm_to_pt(t.title.space_after_mm),
        );
        let continuation = Some(self.continuation(&title));
        let mut blocks = vec![Block::Paragraph(title)];
        for entry in &glossary.entries {
            let mut paragraphs = entry.definition.paragraphs.iter();
            let mut runs = self.line_runs(&entry.term, true);
            runs.extend(self.line_runs(&entry.separator, false));
            let first = paragraphs.next();
            if let Some(first) = first {
                runs.extend(self.piece_runs(&first.pieces, false));
            }
            let mut entry_blocks = vec![Paragraph {
                role: ParagraphRole::GlossaryEntry,
                runs,
                size_pt: body,
                align: Align::Left,
                space_after_pt: t.table.paragraph_space_pt,
                break_change: first.and_then(|p| p.break_change),
            }];
            entry_blocks.extend(paragraphs.map(|p| {
                let gap = t.table.paragraph_space_pt;
                self.marked_paragraph(ParagraphRole::Body, p, false, body, gap)
            }));
            if let Some(last) = entry_blocks.last_mut() {
                last.space_after_pt = t.glossary.entry_space_pt;
            }
            blocks.extend(entry_blocks.into_iter().map(Block::Paragraph));
        }
        Page {
            kind: PageKind::Glossary,
            bookmark: glossary.bookmark.clone(),
            outline_entry: glossary.bookmark.clone(),
            blocks,
            continuation,
            change: None,
        }
    }
}

/// What to put in one output document (and, for an export, which documents to make: see
/// [`crate::export::ExportOptions`]).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Selection<'a> {
    /// All cards, then the glossary.
    #[default]
    WholeAnnex,
    /// One card alone.
    OneCard(&'a Card),
}

/// Options that change the document but not its content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildOptions {
    pub registration: Registration,
    pub draft: bool,
}

/// Builds the document for `selection`.
pub fn build(
    source: &AnnexSource,
    template: &Template,
    options: &BuildOptions,
    selection: Selection<'_>,
) -> Document {
    let builder = Builder {
        template,
        registration: &options.registration,
    };
    let annex = &source.annex;
    let (pages, title) = match selection {
        Selection::WholeAnnex => {
            let mut pages: Vec<Page> = source
                .cards
                .iter()
                .map(|c| builder.card_page(&CardContent::plain(c)))
                .collect();
            pages.push(builder.glossary_page(&GlossaryContent::plain(
                &source.glossary,
                &template.glossary.separator,
            )));
            (pages, annex.title.clone())
        }
        Selection::OneCard(card) => (
            vec![builder.card_page(&CardContent::plain(card))],
            one_card_title(annex, card),
        ),
    };
    let header = builder.header(
        &MarkedText::line(&annex.title),
        &MarkedText::line(&annex.label),
    );
    Document {
        meta: metadata(annex, template, options, title, builder.record_properties()),
        setup: Setup::from_template(template),
        header,
        pages,
    }
}

/// The document of card `index` of `source` alone, taken from `annex`, the document
/// [`build`] made of the whole annex with `options`: what [`build`] makes for
/// [`Selection::OneCard`], without building the card's page again (it is the annex's page).
/// `None` if the annex has no page for that card.
pub fn card_of_annex(
    annex: &Document,
    source: &AnnexSource,
    template: &Template,
    options: &BuildOptions,
    index: usize,
) -> Option<Document> {
    let card = source.cards.get(index)?;
    let page = annex.pages.get(index)?;
    let title = one_card_title(&source.annex, card);
    let record_properties = annex.meta.record_properties.clone();
    Some(Document {
        meta: metadata(&source.annex, template, options, title, record_properties),
        setup: annex.setup.clone(),
        header: annex.header.clone(),
        pages: vec![page.clone()],
    })
}

/// The title of a card's own file.
fn one_card_title(annex: &Annex, card: &Card) -> String {
    format!("{} – {}", annex.title, card.title)
}

/// The document properties of an annex (or a part of it) titled `title`.
fn metadata(
    annex: &Annex,
    template: &Template,
    options: &BuildOptions,
    title: String,
    record_properties: Vec<RecordProperty>,
) -> Metadata {
    // A draft says so in its properties too, not only on the page.
    let title = if options.draft {
        format!("{title} ({})", template.draft.mark)
    } else {
        title
    };
    Metadata {
        title,
        author: annex.authority.clone(),
        subject: annex.subject.clone(),
        keywords: annex.keywords.clone(),
        language: template.fonts.language.clone(),
        registration: options.registration.clone(),
        draft_mark: options.draft.then(|| template.draft.mark.clone()),
        revision: None,
        record_properties,
    }
}

// ---------------------------------------------------------------------------------------------
// Change marks (redlines). A page is built from "marked text": per field, paragraphs of pieces,
// each piece with an optional change mark. A plain build marks nothing; `crate::diff` fills the
// marks from a comparison of two card sets and calls `build_marked`. One card-page builder
// serves both.
// ---------------------------------------------------------------------------------------------

/// What a redline says about a piece of text: it is new, or it was there and is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Change {
    Inserted,
    Deleted,
}

/// A stretch of text with one change mark (or none).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MarkedPiece {
    pub text: String,
    pub change: Option<Change>,
}

/// One paragraph of marked text. `break_change` marks the paragraph's end as inserted or
/// deleted (so that accepting or rejecting joins it with the next paragraph).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MarkedParagraph {
    pub pieces: Vec<MarkedPiece>,
    pub break_change: Option<Change>,
}

/// A field's text as paragraphs of marked pieces; no paragraphs means the field is absent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MarkedText {
    pub paragraphs: Vec<MarkedParagraph>,
}

impl MarkedText {
    /// Card text without marks, one piece per paragraph.
    pub fn plain(text: &Text) -> MarkedText {
        MarkedText {
            paragraphs: text
                .paragraphs
                .iter()
                .map(|p| MarkedParagraph {
                    pieces: vec![MarkedPiece {
                        text: p.clone(),
                        change: None,
                    }],
                    break_change: None,
                })
                .collect(),
        }
    }

    /// A one-line text (a title, a label) without marks.
    pub fn line(text: &str) -> MarkedText {
        MarkedText::whole_line(text, None)
    }

    /// A one-line text carrying one mark throughout.
    pub fn whole_line(text: &str, change: Option<Change>) -> MarkedText {
        MarkedText {
            paragraphs: vec![MarkedParagraph {
                pieces: vec![MarkedPiece {
                    text: text.to_string(),
                    change,
                }],
                break_change: None,
            }],
        }
    }

    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }
}

/// Everything printed on one card page, as marked text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CardContent {
    pub order: u32,
    pub id: String,
    pub bookmark: String,
    /// Set when the whole card is one inserted or deleted block: the labels carry it too.
    pub block_change: Option<Change>,
    pub title: MarkedText,
    /// Empty when the card has no subtitle.
    pub subtitle: MarkedText,
    /// The text fields, one per row of [`CARD_FIELDS`].
    pub fields: PerField<MarkedText>,
}

impl CardContent {
    /// A card as `build` prints it, without marks.
    pub fn plain(card: &Card) -> CardContent {
        CardContent {
            order: card.order,
            id: card.id.clone(),
            bookmark: card.title.clone(),
            block_change: None,
            title: MarkedText::line(&card.title),
            subtitle: card
                .subtitle
                .as_deref()
                .map_or_else(MarkedText::default, MarkedText::line),
            fields: card.fields.as_ref().map(MarkedText::plain),
        }
    }
}

/// One glossary entry as marked text; `separator` is the one printed (the template's default
/// already applied).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntryContent {
    pub term: MarkedText,
    pub separator: MarkedText,
    pub definition: MarkedText,
}

/// The glossary page as marked text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GlossaryContent {
    pub bookmark: String,
    pub title: MarkedText,
    pub entries: Vec<EntryContent>,
}

impl GlossaryContent {
    /// The glossary as `build` prints it, without marks.
    pub fn plain(glossary: &Glossary, default_separator: &str) -> GlossaryContent {
        GlossaryContent {
            bookmark: glossary.title.clone(),
            title: MarkedText::line(&glossary.title),
            entries: glossary
                .entries
                .iter()
                .map(|e| EntryContent {
                    term: MarkedText::line(&e.term),
                    separator: MarkedText::line(
                        e.separator.as_deref().unwrap_or(default_separator),
                    ),
                    definition: MarkedText::plain(&e.definition),
                })
                .collect(),
        }
    }
}

/// A whole annex as marked text, in the order the redline shows it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnnexContent {
    /// The legend line of a redline's header band.
    pub legend: Option<String>,
    pub header_title: MarkedText,
    pub header_label: MarkedText,
    pub cards: Vec<CardContent>,
    pub glossary: GlossaryContent,
}

/// Builds the whole annex from marked content (a redline), with the properties of `annex`
/// (the newer set's). The same page builders as [`build`].
pub fn build_marked(
    content: &AnnexContent,
    annex: &Annex,
    template: &Template,
    options: &BuildOptions,
) -> Document {
    let builder = Builder {
        template,
        registration: &options.registration,
    };
    let mut pages: Vec<Page> = content.cards.iter().map(|c| builder.card_page(c)).collect();
    pages.push(builder.glossary_page(&content.glossary));
    Document {
        meta: metadata(
            annex,
            template,
            options,
            annex.title.clone(),
            builder.record_properties(),
        ),
        setup: Setup::from_template(template),
        header: builder.redline_header(content),
        pages,
    }
}

impl Builder<'_> {
    /// The header band of a redline: the annex's, with the legend as its last right line.
    fn redline_header(&self, content: &AnnexContent) -> HeaderBand {
        let mut header = self.header(&content.header_title, &content.header_label);
        if let Some(legend) = &content.legend {
            let size = self.template.sizes.header_pt;
            header.right.push(Paragraph {
                align: Align::Right,
                ..self.paragraph(ParagraphRole::Legend, legend, false, size, 0.0)
            });
        }
        header
    }

    /// `text` split at the registration placeholders, every run carrying `change`.
    fn marked_runs(&self, text: &str, bold: bool, change: Option<Change>) -> Vec<Run> {
        self.registration
            .expand(text, self.template.registration.date_format.get_ref())
            .into_iter()
            .map(|text| Run { text, bold, change })
            .collect()
    }

    fn piece_runs(&self, pieces: &[MarkedPiece], bold: bool) -> Vec<Run> {
        pieces
            .iter()
            .flat_map(|p| self.marked_runs(&p.text, bold, p.change))
            .collect()
    }

    /// All of `text`'s pieces as the runs of one line.
    fn line_runs(&self, text: &MarkedText, bold: bool) -> Vec<Run> {
        text.paragraphs
            .iter()
            .flat_map(|p| self.piece_runs(&p.pieces, bold))
            .collect()
    }

    fn marked_paragraph(
        &self,
        role: ParagraphRole,
        paragraph: &MarkedParagraph,
        bold: bool,
        size_pt: f32,
        space_after_pt: f32,
    ) -> Paragraph {
        let mut runs = self.piece_runs(&paragraph.pieces, bold);
        if runs.is_empty() {
            runs = self.marked_runs("", bold, paragraph.break_change);
        }
        Paragraph {
            role,
            runs,
            size_pt,
            align: Align::Left,
            space_after_pt,
            break_change: paragraph.break_change,
        }
    }

    /// A one-line text (title, subtitle, label) as one paragraph.
    fn marked_line(
        &self,
        role: ParagraphRole,
        text: &MarkedText,
        bold: bool,
        size_pt: f32,
        space_after_pt: f32,
    ) -> Paragraph {
        let mut runs = self.line_runs(text, bold);
        if runs.is_empty() {
            runs = self.runs("", bold);
        }
        Paragraph {
            role,
            runs,
            size_pt,
            align: Align::Left,
            space_after_pt,
            break_change: None,
        }
    }
}

impl Document {
    /// Every paragraph in reading order: header first, then each page's blocks, cells left to
    /// right. Used by checks that must see all text (placeholders left, round trips).
    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        let header = std::iter::once(&self.header.left).chain(self.header.right.iter());
        header.chain(self.pages.iter().flat_map(Page::paragraphs))
    }

    /// The placeholders still standing in the text (none in a correct final document).
    pub fn unfilled_placeholders(&self) -> Vec<&'static str> {
        let mut found = Vec::new();
        for p in self.paragraphs() {
            for r in &p.runs {
                for (_, name) in crate::text::placeholder_ranges(&r.text) {
                    if !found.contains(&name) {
                        found.push(name);
                    }
                }
            }
        }
        found
    }
}

impl Page {
    /// The page's paragraphs in reading order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.blocks
            .iter()
            .flat_map(|b| -> Box<dyn Iterator<Item = &Paragraph> + '_> {
                match b {
                    Block::Paragraph(p) => Box::new(std::iter::once(p)),
                    Block::Table(t) => Box::new(
                        t.rows
                            .iter()
                            .flat_map(|r| r.cells.iter().flat_map(|c| c.paragraphs.iter())),
                    ),
                }
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A card's document taken from the annex is the one built for the card alone, in
    /// template, final and draft builds.
    #[test]
    fn a_card_of_the_annex_is_the_card_built_alone() {
        let p = crate::bundled_project();
        let registration =
            Registration::from_args(Some("15.03.2024"), Some("1-1/24/37")).expect("a registration");
        let builds = [
            BuildOptions::default(),
            BuildOptions {
                registration,
                draft: false,
            },
            BuildOptions {
                draft: true,
                ..BuildOptions::default()
            },
        ];
        for options in &builds {
            let annex = build(&p.source, &p.template, options, Selection::WholeAnnex);
            for (index, card) in p.source.cards.iter().enumerate() {
                let alone = build(&p.source, &p.template, options, Selection::OneCard(card));
                let taken = card_of_annex(&annex, &p.source, &p.template, options, index);
                assert_eq!(taken.as_ref(), Some(&alone), "card {index}, {options:?}");
            }
            let past_the_cards = p.source.cards.len();
            let none = card_of_annex(&annex, &p.source, &p.template, options, past_the_cards);
            assert!(none.is_none());
        }
    }
}
