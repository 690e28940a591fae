//! The tagged-PDF pass: the logical structure (ISO 32000-1 §14.7, PDF/UA-1) built from the
//! document model, tied to the marked content the PDF renderer wrote.
//!
//! The renderer wraps every piece of real text in `BDC /P <</MCID n>>` … `EMC` and records,
//! per sheet, which paragraph of the document each MCID belongs to ([`PageMarks`]). This pass
//! walks the [`Document`] — not the page — and writes the tree a reader follows:
//! `Document` → the header band's paragraphs (on the first sheet) → one `Sect` per page of
//! the document → `H1` for the title, `P` for the subtitle, a `Table` of `TR`s with `TH`
//! (`/Scope /Row` for the row labels, `/Scope /Column` with `/ColSpan` for the grey bars and
//! the column headings) and `TD`, a `P` per paragraph inside each cell; the glossary as `H1`
//! and a list, `L` → `LI` per entry → `Lbl` (the term) and `LBody` (a `P` per paragraph of
//! the definition). It also writes the `ParentTree`, `/StructParents` and `/Tabs /S` on every
//! page, `/MarkInfo` and the viewer preference to show the document title.
//!
//! Why a list for the glossary and not a `P` per entry with the term in a `Span`: the
//! glossary is a definition list, and PDF 1.7 has no structure type of its own for one; its
//! list types are the established way (the term is the item's `Lbl`, "a name … which
//! identifies … an element of a list", ISO 32000-1 Table 336). A reader hears how many
//! entries there are, can skip the list, and hears each term before its definition; and no
//! element mixes its own text with a child element's, which readers that follow the tree
//! element by element (and checkers of the reading order) take out of order.

use super::RenderError;
use crate::document::{Block, CellRole, Document, ParagraphRole, Table};
use crate::layout::page::ParagraphKey;
use crate::tr;
use lopdf::{Dictionary, Object, ObjectId};
use std::collections::BTreeMap;

/// What the marked content of one sheet belongs to: entry `n` is MCID `n`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageMarks {
    pub marks: Vec<Mark>,
}

/// One marked-content sequence of real text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub key: ParagraphKey,
    pub role: ParagraphRole,
    /// The term of a glossary entry (a `Span` inside the entry's `P`).
    pub term: bool,
}

impl PageMarks {
    /// Records `mark` and returns its MCID.
    pub fn push(&mut self, mark: Mark) -> i64 {
        self.marks.push(mark);
        i64::try_from(self.marks.len() - 1).unwrap_or(i64::MAX)
    }
}

/// The structure type of a paragraph with `role`; `term` for the glossary term inside it.
/// Used for the marked-content tag and the structure element alike.
pub fn structure_type(role: ParagraphRole, term: bool) -> &'static str {
    match (role, term) {
        (_, true) => "Lbl",
        (ParagraphRole::Title, false) => "H1",
        (
            ParagraphRole::HeaderLine
            | ParagraphRole::Subtitle
            | ParagraphRole::Label
            | ParagraphRole::Body
            | ParagraphRole::GlossaryEntry
            | ParagraphRole::Legend,
            false,
        ) => "P",
    }
}

/// A structure element before it is written.
struct Element {
    kind: &'static str,
    attributes: Option<Dictionary>,
    kids: Vec<Kid>,
}

enum Kid {
    Element(Element),
    /// Marked content `mcid` on sheet `page`.
    Content {
        page: usize,
        mcid: usize,
    },
}

impl Element {
    fn new(kind: &'static str) -> Element {
        Element {
            kind,
            attributes: None,
            kids: Vec::new(),
        }
    }

    /// Adds `child` if it holds any content.
    fn push_nonempty(&mut self, child: Option<Element>) {
        if let Some(child) = child.filter(|c| !c.kids.is_empty()) {
            self.kids.push(Kid::Element(child));
        }
    }
}

/// The marked content of every sheet, by the paragraph it belongs to, in drawing order.
struct ContentIndex {
    by_key: BTreeMap<ParagraphKey, Vec<(usize, usize, bool)>>,
}

impl ContentIndex {
    fn new(pages: &[PageMarks]) -> ContentIndex {
        let mut by_key: BTreeMap<ParagraphKey, Vec<(usize, usize, bool)>> = BTreeMap::new();
        for (page, marks) in pages.iter().enumerate() {
            for (mcid, mark) in marks.marks.iter().enumerate() {
                by_key
                    .entry(mark.key)
                    .or_default()
                    .push((page, mcid, mark.term));
            }
        }
        ContentIndex { by_key }
    }

    /// The element of paragraph `key` with role `role`, holding its marked content, or
    /// `None` if nothing of it was drawn.
    fn paragraph(&mut self, key: ParagraphKey, role: ParagraphRole) -> Option<Element> {
        let content = self.by_key.remove(&key)?;
        let mut element = Element::new(structure_type(role, false));
        element.kids = content
            .into_iter()
            .map(|(page, mcid, _)| Kid::Content { page, mcid })
            .collect();
        Some(element)
    }

    /// The list item of the glossary entry `key`: `Lbl` with the term, `LBody` with a `P`
    /// holding the rest of the paragraph.
    fn glossary_entry(&mut self, key: ParagraphKey, role: ParagraphRole) -> Option<Element> {
        let content = self.by_key.remove(&key)?;
        let mut label = Element::new(structure_type(role, true));
        let mut definition = Element::new(structure_type(role, false));
        for (page, mcid, term) in content {
            let kid = Kid::Content { page, mcid };
            if term {
                label.kids.push(kid);
            } else {
                definition.kids.push(kid);
            }
        }
        let mut body = Element::new("LBody");
        body.push_nonempty(Some(definition));
        let mut item = Element::new("LI");
        item.push_nonempty(Some(label));
        item.kids.push(Kid::Element(body));
        Some(item)
    }
}

/// Adds `paragraph`, a further paragraph of the last entry's definition, to that entry's
/// `LBody`.
fn continue_entry(list: &mut Element, paragraph: Option<Element>) {
    let item = match list.kids.last_mut() {
        Some(Kid::Element(item)) if item.kind == "LI" => item,
        _ => {
            list.kids.push(Kid::Element(Element::new("LI")));
            match list.kids.last_mut() {
                Some(Kid::Element(item)) => item,
                _ => return,
            }
        }
    };
    match item.kids.last_mut() {
        Some(Kid::Element(body)) if body.kind == "LBody" => body.push_nonempty(paragraph),
        _ => {
            let mut body = Element::new("LBody");
            body.push_nonempty(paragraph);
            item.kids.push(Kid::Element(body));
        }
    }
}

/// The `/A` attribute dictionary of a table cell (owner `/Table`).
fn cell_attributes(role: CellRole, reading_columns: usize) -> Option<Dictionary> {
    let mut a = Dictionary::new();
    let scope = match role {
        CellRole::RowHeader => Some("Row"),
        CellRole::ColumnHeader => Some("Column"),
        CellRole::Data => None,
    };
    if let Some(scope) = scope {
        a.set("Scope", Object::Name(scope.as_bytes().to_vec()));
    }
    if reading_columns > 1 {
        a.set(
            "ColSpan",
            Object::Integer(i64::try_from(reading_columns).unwrap_or(1)),
        );
    }
    if a.is_empty() {
        return None;
    }
    a.set("O", Object::Name(b"Table".to_vec()));
    Some(a)
}

fn table_element(
    index: &mut ContentIndex,
    table: &Table,
    page: usize,
    block: usize,
) -> Option<Element> {
    let mut element = Element::new("Table");
    for (row, content) in table.rows.iter().enumerate() {
        let mut tr = Element::new("TR");
        for (cell, c) in content.cells.iter().enumerate() {
            let kind = match c.role {
                CellRole::RowHeader | CellRole::ColumnHeader => "TH",
                CellRole::Data => "TD",
            };
            // A cell stays in the tree even if empty, so that the grid stays regular.
            let mut cell_element = Element::new(kind);
            cell_element.attributes = cell_attributes(c.role, c.reading_columns);
            for (paragraph, p) in c.paragraphs.iter().enumerate() {
                let key = ParagraphKey::Cell {
                    page,
                    block,
                    row,
                    cell,
                    paragraph,
                };
                cell_element.push_nonempty(index.paragraph(key, p.role));
            }
            tr.kids.push(Kid::Element(cell_element));
        }
        element.kids.push(Kid::Element(tr));
    }
    Some(element)
}

/// The whole tree, from the document.
fn document_element(document: &Document, index: &mut ContentIndex) -> Element {
    let mut root = Element::new("Document");
    let header = std::iter::once(&document.header.left).chain(&document.header.right);
    for (line, p) in header.enumerate() {
        root.push_nonempty(index.paragraph(ParagraphKey::Header(line), p.role));
    }
    for (page, content) in document.pages.iter().enumerate() {
        let mut sect = Element::new("Sect");
        // The glossary's list, while its entries are being read.
        let mut list: Option<Element> = None;
        for (block, b) in content.blocks.iter().enumerate() {
            let key = ParagraphKey::Block { page, block };
            match (b, list.as_mut()) {
                (Block::Paragraph(p), _) if p.role == ParagraphRole::GlossaryEntry => {
                    let entry = index.glossary_entry(key, p.role);
                    list.get_or_insert_with(|| Element::new("L"))
                        .push_nonempty(entry);
                }
                (Block::Paragraph(p), Some(list)) if p.role == ParagraphRole::Body => {
                    continue_entry(list, index.paragraph(key, p.role));
                }
                (Block::Paragraph(p), _) => {
                    sect.push_nonempty(list.take());
                    sect.push_nonempty(index.paragraph(key, p.role));
                }
                (Block::Table(t), _) => {
                    sect.push_nonempty(list.take());
                    sect.push_nonempty(table_element(index, t, page, block));
                }
            }
        }
        sect.push_nonempty(list);
        root.push_nonempty(Some(sect));
    }
    root
}

/// The sheet of the first content inside `element`.
fn first_page(element: &Element) -> Option<usize> {
    element.kids.iter().find_map(|k| match k {
        Kid::Content { page, .. } => Some(*page),
        Kid::Element(child) => first_page(child),
    })
}

/// Writes elements as objects, filling the parent tree as it goes.
struct Writer<'a> {
    pdf: &'a mut lopdf::Document,
    page_ids: &'a [ObjectId],
    /// For each sheet, the element that owns each MCID.
    parents: Vec<Vec<Option<ObjectId>>>,
}

impl Writer<'_> {
    fn write(&mut self, element: Element, parent: ObjectId) -> Result<ObjectId, RenderError> {
        let id = self.pdf.new_object_id();
        // Every element names the sheet its content starts on (readers resolve the sheet of
        // an element without content of its own from it).
        let own_page = first_page(&element);
        let mut kids = Vec::with_capacity(element.kids.len());
        for kid in element.kids {
            match kid {
                Kid::Element(child) => kids.push(Object::Reference(self.write(child, id)?)),
                Kid::Content { page, mcid } => {
                    let slot = self
                        .parents
                        .get_mut(page)
                        .and_then(|p| p.get_mut(mcid))
                        .ok_or_else(|| {
                            RenderError(tr!(
                                "render-mcid-range",
                                mcid = mcid.to_string(),
                                page = page.to_string()
                            ))
                        })?;
                    *slot = Some(id);
                    let mcid = Object::Integer(i64::try_from(mcid).unwrap_or(i64::MAX));
                    if Some(page) == own_page {
                        kids.push(mcid);
                    } else {
                        kids.push(Object::Dictionary(Dictionary::from_iter(vec![
                            ("Type", Object::Name(b"MCR".to_vec())),
                            ("Pg", Object::Reference(self.page(page)?)),
                            ("MCID", mcid),
                        ])));
                    }
                }
            }
        }
        let mut dict = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"StructElem".to_vec())),
            ("S", Object::Name(element.kind.as_bytes().to_vec())),
            ("P", Object::Reference(parent)),
        ]);
        // A single kid stands alone (ISO 32000-1 Table 323 allows both; some readers only
        // look for a bare MCID in a heading).
        let kids = match <[Object; 1]>::try_from(kids) {
            Ok([only]) => only,
            Err(kids) => Object::Array(kids),
        };
        dict.set("K", kids);
        if let Some(page) = own_page {
            dict.set("Pg", Object::Reference(self.page(page)?));
        }
        if let Some(a) = element.attributes {
            dict.set("A", Object::Dictionary(a));
        }
        self.pdf.objects.insert(id, Object::Dictionary(dict));
        Ok(id)
    }

    fn page(&self, page: usize) -> Result<ObjectId, RenderError> {
        self.page_ids
            .get(page)
            .copied()
            .ok_or_else(|| RenderError(tr!("render-no-sheet", page = page.to_string())))
    }
}

/// Adds the structure tree of `document`, whose sheets carry `pages`' marked content, and
/// marks the file as tagged.
pub fn write_structure(
    pdf: &mut lopdf::Document,
    document: &Document,
    pages: &[PageMarks],
) -> Result<(), RenderError> {
    let page_ids: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    if page_ids.len() != pages.len() {
        return Err(RenderError(tr!(
            "render-pages-vs-sheets",
            pages = page_ids.len().to_string(),
            sheets = pages.len().to_string()
        )));
    }
    let mut index = ContentIndex::new(pages);
    let tree = document_element(document, &mut index);
    if let Some(key) = index.by_key.keys().next() {
        return Err(RenderError(tr!(
            "render-text-not-in-tree",
            key = format!("{key:?}")
        )));
    }
    let root_id = pdf.new_object_id();
    let mut writer = Writer {
        pdf,
        page_ids: &page_ids,
        parents: pages.iter().map(|p| vec![None; p.marks.len()]).collect(),
    };
    let document_id = writer.write(tree, root_id)?;
    let parents = std::mem::take(&mut writer.parents);
    let mut nums = Vec::with_capacity(2 * parents.len());
    for (page, owners) in parents.into_iter().enumerate() {
        let owners = owners
            .into_iter()
            .enumerate()
            .map(|(mcid, owner)| {
                owner.map(Object::Reference).ok_or_else(|| {
                    RenderError(tr!(
                        "render-mcid-not-in-tree",
                        mcid = mcid.to_string(),
                        page = page.to_string()
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        nums.push(Object::Integer(i64::try_from(page).unwrap_or(i64::MAX)));
        nums.push(Object::Array(owners));
    }
    let parent_tree = pdf.add_object(Dictionary::from_iter(vec![("Nums", Object::Array(nums))]));
    let next_key = i64::try_from(page_ids.len()).unwrap_or(i64::MAX);
    pdf.objects.insert(
        root_id,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"StructTreeRoot".to_vec())),
            ("K", Object::Reference(document_id)),
            ("ParentTree", Object::Reference(parent_tree)),
            ("ParentTreeNextKey", Object::Integer(next_key)),
        ])),
    );
    for (n, id) in page_ids.iter().enumerate() {
        let page = pdf
            .get_object_mut(*id)
            .and_then(Object::as_dict_mut)
            .map_err(|e| RenderError(tr!("render-page-unreadable", error = e.to_string())))?;
        page.set(
            "StructParents",
            Object::Integer(i64::try_from(n).unwrap_or(i64::MAX)),
        );
        page.set("Tabs", Object::Name(b"S".to_vec()));
    }
    let catalog = pdf
        .catalog_mut()
        .map_err(|e| RenderError(tr!("render-pdf-catalog-unreadable", error = e.to_string())))?;
    catalog.set("StructTreeRoot", Object::Reference(root_id));
    catalog.set(
        "MarkInfo",
        Object::Dictionary(Dictionary::from_iter(vec![(
            "Marked",
            Object::Boolean(true),
        )])),
    );
    catalog.set(
        "ViewerPreferences",
        Object::Dictionary(Dictionary::from_iter(vec![(
            "DisplayDocTitle",
            Object::Boolean(true),
        )])),
    );
    Ok(())
}
