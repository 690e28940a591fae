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

use crate::cards::{AnnexSource, Card, Glossary};
use crate::registration::{Field, Registration};
use crate::template::Template;
use crate::text::Text;
use crate::units::mm_to_pt;

mod setup;

pub use crate::template::Rgb;
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
    /// In final mode, the registration data as the document shows it, for records systems
    /// (the DOCX's custom properties); empty in template mode.
    pub record_properties: Vec<RecordProperty>,
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
    /// The title with the continuation mark that the page's further sheets repeat under the
    /// header band.
    pub continuation: Option<Paragraph>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
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
}

/// A piece of text in one style. `field` marks text standing for a registration placeholder
/// (the placeholder itself in template mode, its value in final mode).
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub field: Option<Field>,
}

impl Paragraph {
    /// The paragraph's text without styles.
    pub fn plain_text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
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
        self.registration
            .expand(text, self.template.registration.date_format.get_ref())
            .into_iter()
            .map(|p| Run {
                text: p.text,
                bold,
                field: p.field,
            })
            .collect()
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
        }
    }

    fn body(&self, text: &Text) -> Vec<Paragraph> {
        let body = self.template.sizes.body_pt;
        let gap = self.template.table.paragraph_space_pt;
        let last = text.paragraphs.len().saturating_sub(1);
        text.paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let after = if i == last { 0.0 } else { gap };
                self.paragraph(ParagraphRole::Body, p, false, body, after)
            })
            .collect()
    }

    fn label(&self, label: &str) -> Vec<Paragraph> {
        vec![self.paragraph(
            ParagraphRole::Label,
            label,
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
            field: None,
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

    fn header(&self, annex_title: &str, annex_label: &str) -> HeaderBand {
        let size = self.template.sizes.header_pt;
        let right = self
            .template
            .header
            .right_lines
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(annex_label))
            .map(|line| Paragraph {
                align: Align::Right,
                ..self.paragraph(ParagraphRole::HeaderLine, line, false, size, 0.0)
            })
            .collect();
        HeaderBand {
            left: self.paragraph(ParagraphRole::HeaderLine, annex_title, false, size, 0.0),
            right,
        }
    }

    fn card_page(&self, card: &Card) -> Page {
        let t = self.template;
        let labels = &t.labels;
        let fill = Some(t.heading_fill());
        let title = self.paragraph(
            ParagraphRole::Title,
            &card.title,
            true,
            t.sizes.title_pt,
            if card.subtitle.is_some() {
                0.0
            } else {
                mm_to_pt(t.title.space_after_mm)
            },
        );
        let continuation = Some(self.continuation(&title));
        let mut blocks = vec![Block::Paragraph(title)];
        if let Some(subtitle) = &card.subtitle {
            blocks.push(Block::Paragraph(self.paragraph(
                ParagraphRole::Subtitle,
                subtitle,
                false,
                t.sizes.subtitle_pt,
                mm_to_pt(t.title.space_after_mm),
            )));
        }
        let label_row = |label: &str, text: &Text| Row {
            cells: vec![
                self.cell(LABEL_SPAN, CellRole::RowHeader, None, self.label(label)),
                self.cell(TEXT_SPAN, CellRole::Data, None, self.body(text)),
            ],
        };
        let heading_rows = |label: &str, text: &Text| {
            [
                Row {
                    cells: vec![self.cell(
                        FULL_SPAN,
                        CellRole::ColumnHeader,
                        fill,
                        self.label(label),
                    )],
                },
                Row {
                    cells: vec![self.cell(FULL_SPAN, CellRole::Data, None, self.body(text))],
                },
            ]
        };
        let mut rows = vec![
            label_row(labels.why.get_ref(), &card.why),
            label_row(labels.roles.get_ref(), &card.roles),
        ];
        rows.extend(heading_rows(labels.purpose.get_ref(), &card.purpose));
        rows.extend(heading_rows(labels.benefit.get_ref(), &card.benefit));
        rows.push(Row {
            cells: vec![
                self.cell(
                    GROUPS_SPAN,
                    CellRole::ColumnHeader,
                    fill,
                    self.label(labels.target_groups.get_ref()),
                ),
                self.cell(
                    COMPETENCES_SPAN,
                    CellRole::ColumnHeader,
                    fill,
                    self.label(labels.competences.get_ref()),
                ),
            ],
        });
        rows.push(Row {
            cells: vec![
                self.cell(
                    GROUPS_SPAN,
                    CellRole::Data,
                    None,
                    self.body(&card.target_groups),
                ),
                self.cell(
                    COMPETENCES_SPAN,
                    CellRole::Data,
                    None,
                    self.body(&card.competences),
                ),
            ],
        });
        rows.push(label_row(labels.job_family.get_ref(), &card.job_family));
        let content = t.page.content_width_mm();
        let columns_mm = vec![
            t.table.label_column_mm,
            t.table.groups_column_mm - t.table.label_column_mm,
            content - t.table.groups_column_mm,
        ];
        blocks.push(Block::Table(Table { columns_mm, rows }));
        Page {
            kind: PageKind::Card { order: card.order },
            bookmark: card.title.clone(),
            outline_entry: format!("{}. {}", card.order, card.title),
            blocks,
            continuation,
        }
    }

    fn glossary_page(&self, glossary: &Glossary) -> Page {
        let t = self.template;
        let body = t.sizes.body_pt;
        let title = self.paragraph(
            ParagraphRole::Title,
            &glossary.title,
            true,
            t.sizes.glossary_title_pt,
            mm_to_pt(t.title.space_after_mm),
        );
        let continuation = Some(self.continuation(&title));
        let mut blocks = vec![Block::Paragraph(title)];
        for entry in &glossary.entries {
            let separator = entry.separator.as_deref().unwrap_or(&t.glossary.separator);
            let mut paragraphs = entry.definition.paragraphs.iter();
            let mut runs = self.runs(&entry.term, true);
            runs.extend(self.runs(separator, false));
            if let Some(first) = paragraphs.next() {
                runs.extend(self.runs(first, false));
            }
            let mut entry_blocks = vec![Paragraph {
                role: ParagraphRole::GlossaryEntry,
                runs,
                size_pt: body,
                align: Align::Left,
                space_after_pt: t.table.paragraph_space_pt,
            }];
            entry_blocks.extend(paragraphs.map(|p| {
                let gap = t.table.paragraph_space_pt;
                self.paragraph(ParagraphRole::Body, p, false, body, gap)
            }));
            if let Some(last) = entry_blocks.last_mut() {
                last.space_after_pt = t.glossary.entry_space_pt;
            }
            blocks.extend(entry_blocks.into_iter().map(Block::Paragraph));
        }
        Page {
            kind: PageKind::Glossary,
            bookmark: glossary.title.clone(),
            outline_entry: glossary.title.clone(),
            blocks,
            continuation,
        }
    }
}

/// What to put in one output document.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Selection<'a> {
    /// All cards, then the glossary.
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
            let mut pages: Vec<Page> = source.cards.iter().map(|c| builder.card_page(c)).collect();
            pages.push(builder.glossary_page(&source.glossary));
            (pages, annex.title.clone())
        }
        Selection::OneCard(card) => (
            vec![builder.card_page(card)],
            format!("{} – {}", annex.title, card.title),
        ),
    };
    // A draft says so in its properties too, not only on the page.
    let title = if options.draft {
        format!("{title} ({})", template.draft.mark)
    } else {
        title
    };
    Document {
        meta: Metadata {
            title,
            author: annex.authority.clone(),
            subject: annex.subject.clone(),
            keywords: annex.keywords.clone(),
            language: template.fonts.language.clone(),
            registration: options.registration.clone(),
            draft_mark: options.draft.then(|| template.draft.mark.clone()),
            record_properties: builder.record_properties(),
        },
        setup: Setup::from_template(template),
        header: builder.header(&annex.title, &annex.label),
        pages,
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
