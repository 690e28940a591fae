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
//! The tree is never held as lopdf objects (a dictionary per element, tens of thousands for
//! a large annex, was half of a render's memory): it is numbered into a flat list
//! ([`StructureTree`]) whose object numbers are reserved in the document, and each element is
//! written straight into the file's object streams ([`pdf_file::AppendedObjects`]), in the
//! bytes its dictionary would have had.
//!
//! Why a list for the glossary and not a `P` per entry with the term in a `Span`: the
//! glossary is a definition list, and PDF 1.7 has no structure type of its own for one; its
//! list types are the established way (the term is the item's `Lbl`, "a name … which
//! identifies … an element of a list", ISO 32000-1 Table 336). A reader hears how many
//! entries there are, can skip the list, and hears each term before its definition; and no
//! element mixes its own text with a child element's, which readers that follow the tree
//! element by element (and checkers of the reading order) take out of order.

use super::RenderError;
use super::pdf_file::{self, ObjectWriter};
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
    /// The same marks for the same sheet drawn as document page `page`.
    pub fn on_page(mut self, page: usize) -> PageMarks {
        for mark in &mut self.marks {
            mark.key = mark.key.on_page(page);
        }
        self
    }

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

/// The `/A` attributes of a table cell (owner `/Table`): its scope and the columns it spans.
#[derive(Debug, Clone, Copy)]
struct CellAttributes {
    scope: Option<Scope>,
    col_span: Option<u32>,
}

/// A header cell's `/Scope`.
#[derive(Debug, Clone, Copy)]
enum Scope {
    Row,
    Column,
}

impl Scope {
    fn name(self) -> &'static [u8] {
        match self {
            Scope::Row => b"Row",
            Scope::Column => b"Column",
        }
    }
}

/// A structure element before it is written.
struct Element {
    kind: &'static str,
    attributes: Option<CellAttributes>,
    kids: Vec<Kid>,
}

enum Kid {
    /// Boxed, so that a content kid (most of them) takes 24 bytes, not an element's 72: the
    /// tree of a 1,000-card annex holds hundreds of thousands of kids at once.
    Element(Box<Element>),
    /// Marked content `mcid` on sheet `page`.
    Content { page: usize, mcid: usize },
}

impl Element {
    fn new(kind: &'static str) -> Element {
        Element {
            kind,
            attributes: None,
            kids: Vec::new(),
        }
    }

    /// How many elements this one and its descendants are.
    fn elements(&self) -> usize {
        1 + self.children().map(Element::elements).sum::<usize>()
    }

    /// How many kids this element and its descendants have.
    fn kids(&self) -> usize {
        self.kids.len() + self.children().map(Element::kids).sum::<usize>()
    }

    fn children(&self) -> impl Iterator<Item = &Element> {
        self.kids.iter().filter_map(|k| match k {
            Kid::Element(child) => Some(&**child),
            Kid::Content { .. } => None,
        })
    }

    /// Adds `child` if it holds any content.
    fn push_nonempty(&mut self, child: Option<Element>) {
        if let Some(child) = child.filter(|c| !c.kids.is_empty()) {
            self.kids.push(Kid::Element(Box::new(child)));
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
        item.kids.push(Kid::Element(Box::new(body)));
        Some(item)
    }
}

/// Adds `paragraph`, a further paragraph of the last entry's definition, to that entry's
/// `LBody`.
fn continue_entry(list: &mut Element, paragraph: Option<Element>) {
    let item = match list.kids.last_mut() {
        Some(Kid::Element(item)) if item.kind == "LI" => item,
        _ => {
            list.kids.push(Kid::Element(Box::new(Element::new("LI"))));
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
            item.kids.push(Kid::Element(Box::new(body)));
        }
    }
}

/// The `/A` attributes of a table cell, if it has any.
fn cell_attributes(role: CellRole, reading_columns: usize) -> Option<CellAttributes> {
    let scope = match role {
        CellRole::RowHeader => Some(Scope::Row),
        CellRole::ColumnHeader => Some(Scope::Column),
        CellRole::Data => None,
    };
    let col_span = (reading_columns > 1).then(|| u32::try_from(reading_columns).unwrap_or(1));
    (scope.is_some() || col_span.is_some()).then_some(CellAttributes { scope, col_span })
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
            tr.kids.push(Kid::Element(Box::new(cell_element)));
        }
        element.kids.push(Kid::Element(Box::new(tr)));
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

/// A structure element as it is written: object `first + 1 + n` of the tree for the `n`th
/// element in reading order (pre-order, the `Document` element first). Indices are `u32`,
/// as object numbers are: the tree of a large annex holds one of these per element and one
/// [`NumberedKid`] per kid while the file is written, and they were half its size as `usize`.
struct Numbered {
    kind: &'static str,
    /// The index among the tree's objects of the parent (0, the `StructTreeRoot`, for the
    /// `Document` element).
    parent: u32,
    /// The sheet its content starts on.
    page: Option<u32>,
    attributes: Option<CellAttributes>,
    /// Its kids, a range of [`StructureTree::kids`].
    kids: std::ops::Range<u32>,
}

/// A kid of a numbered element.
#[derive(Debug, Clone, Copy)]
enum NumberedKid {
    /// The element of this index among the tree's objects.
    Element(u32),
    /// Marked content `mcid` on sheet `page`.
    Content { page: u32, mcid: u32 },
}

/// `n` as a `u32` index of the tree; a tree too large for one is a file too large for PDF's
/// object numbers.
fn small(n: usize) -> Result<u32, RenderError> {
    u32::try_from(n).map_err(|_| RenderError(tr!("render-pdf-too-large")))
}

/// The structure tree as the file's objects, numbered from `first` (reserved in the
/// document): the `StructTreeRoot`, the elements in reading order, the `ParentTree`.
pub struct StructureTree {
    first: u32,
    page_ids: Vec<ObjectId>,
    elements: Vec<Numbered>,
    kids: Vec<NumberedKid>,
    /// For each sheet, the index among the tree's objects of the element that owns each
    /// MCID.
    parents: Vec<Vec<u32>>,
}

impl StructureTree {
    /// Numbers `root`'s elements in reading order, checking every MCID against the sheets'
    /// marks and recording its owner.
    fn number(
        first: u32,
        page_ids: Vec<ObjectId>,
        pages: &[PageMarks],
        root: Element,
    ) -> Result<StructureTree, RenderError> {
        let mut owners: Vec<Vec<Option<u32>>> =
            pages.iter().map(|p| vec![None; p.marks.len()]).collect();
        let mut tree = StructureTree {
            first,
            page_ids,
            elements: Vec::with_capacity(root.elements()),
            kids: Vec::with_capacity(root.kids()),
            parents: Vec::new(),
        };
        tree.add(root, 0, &mut owners)?;
        tree.parents = owners
            .into_iter()
            .enumerate()
            .map(|(page, owners)| {
                owners
                    .into_iter()
                    .enumerate()
                    .map(|(mcid, owner)| {
                        owner.ok_or_else(|| {
                            RenderError(tr!(
                                "render-mcid-not-in-tree",
                                mcid = mcid.to_string(),
                                page = page.to_string()
                            ))
                        })
                    })
                    .collect()
            })
            .collect::<Result<_, _>>()?;
        Ok(tree)
    }

    /// Numbers `element` and, after it, its descendants; gives its index.
    fn add(
        &mut self,
        element: Element,
        parent: u32,
        owners: &mut [Vec<Option<u32>>],
    ) -> Result<u32, RenderError> {
        let index = small(self.elements.len() + 1)?;
        let start = self.kids.len();
        let kids = start..start + element.kids.len();
        self.elements.push(Numbered {
            kind: element.kind,
            parent,
            // Every element names the sheet its content starts on (readers resolve the sheet
            // of an element without content of its own from it).
            page: first_page(&element).map(small).transpose()?,
            attributes: element.attributes,
            kids: small(kids.start)?..small(kids.end)?,
        });
        // The kids' places are taken before the children's own kids follow them.
        self.kids
            .resize(kids.end, NumberedKid::Content { page: 0, mcid: 0 });
        for (slot, kid) in kids.zip(element.kids) {
            let numbered = match kid {
                Kid::Element(child) => NumberedKid::Element(self.add(*child, index, owners)?),
                Kid::Content { page, mcid } => {
                    let owner = owners
                        .get_mut(page)
                        .and_then(|p| p.get_mut(mcid))
                        .ok_or_else(|| {
                            RenderError(tr!(
                                "render-mcid-range",
                                mcid = mcid.to_string(),
                                page = page.to_string()
                            ))
                        })?;
                    *owner = Some(index);
                    NumberedKid::Content {
                        page: small(page)?,
                        mcid: small(mcid)?,
                    }
                }
            };
            if let Some(slot) = self.kids.get_mut(slot) {
                *slot = numbered;
            }
        }
        Ok(index)
    }

    /// The document's number of the tree's object `index`.
    fn id(&self, index: u32) -> ObjectId {
        (self.first.saturating_add(index), 0)
    }

    fn page(&self, page: u32) -> std::io::Result<ObjectId> {
        usize::try_from(page)
            .ok()
            .and_then(|p| self.page_ids.get(p))
            .copied()
            .ok_or_else(|| std::io::Error::other(tr!("render-no-sheet", page = page.to_string())))
    }

    /// The index of the `ParentTree`, the last of the tree's objects.
    fn parent_tree(&self) -> usize {
        self.elements.len() + 1
    }

    /// `<</Type/StructTreeRoot/K … /ParentTree … /ParentTreeNextKey …>>`.
    fn write_root(&self, out: &mut ObjectWriter<'_>) {
        out.open_dictionary();
        out.name(b"Type");
        out.name(b"StructTreeRoot");
        out.name(b"K");
        out.reference(self.id(1));
        out.name(b"ParentTree");
        out.reference(self.id(u32::try_from(self.parent_tree()).unwrap_or(u32::MAX)));
        out.name(b"ParentTreeNextKey");
        out.integer(i64::try_from(self.page_ids.len()).unwrap_or(i64::MAX));
        out.close_dictionary();
    }

    /// `<</Type/StructElem/S … /P … /K … /Pg … /A …>>`; a single kid stands alone (ISO
    /// 32000-1 Table 323 allows both; some readers only look for a bare MCID in a heading).
    fn write_element(&self, element: &Numbered, out: &mut ObjectWriter<'_>) -> std::io::Result<()> {
        out.open_dictionary();
        out.name(b"Type");
        out.name(b"StructElem");
        out.name(b"S");
        out.name(element.kind.as_bytes());
        out.name(b"P");
        out.reference(self.id(element.parent));
        out.name(b"K");
        let range = usize::try_from(element.kids.start).unwrap_or(usize::MAX)
            ..usize::try_from(element.kids.end).unwrap_or(usize::MAX);
        let kids = self.kids.get(range).unwrap_or_default();
        let single = kids.len() == 1;
        if !single {
            out.open_array();
        }
        for kid in kids {
            self.write_kid(*kid, element.page, out)?;
        }
        if !single {
            out.close_array();
        }
        if let Some(page) = element.page {
            out.name(b"Pg");
            out.reference(self.page(page)?);
        }
        if let Some(a) = element.attributes {
            out.name(b"A");
            out.open_dictionary();
            if let Some(scope) = a.scope {
                out.name(b"Scope");
                out.name(scope.name());
            }
            if let Some(span) = a.col_span {
                out.name(b"ColSpan");
                out.integer(i64::from(span));
            }
            out.name(b"O");
            out.name(b"Table");
            out.close_dictionary();
        }
        out.close_dictionary();
        Ok(())
    }

    /// A kid: a reference to an element, a bare MCID on the element's own sheet, else a
    /// marked-content reference naming the sheet.
    fn write_kid(
        &self,
        kid: NumberedKid,
        own_page: Option<u32>,
        out: &mut ObjectWriter<'_>,
    ) -> std::io::Result<()> {
        match kid {
            NumberedKid::Element(index) => out.reference(self.id(index)),
            NumberedKid::Content { page, mcid } => {
                let mcid = i64::from(mcid);
                if Some(page) == own_page {
                    out.integer(mcid);
                } else {
                    out.open_dictionary();
                    out.name(b"Type");
                    out.name(b"MCR");
                    out.name(b"Pg");
                    out.reference(self.page(page)?);
                    out.name(b"MCID");
                    out.integer(mcid);
                    out.close_dictionary();
                }
            }
        }
        Ok(())
    }

    /// `<</Nums[0[…] 1[…] …]>>`: for each sheet, the owner of each of its MCIDs.
    fn write_parent_tree(&self, out: &mut ObjectWriter<'_>) {
        out.open_dictionary();
        out.name(b"Nums");
        out.open_array();
        for (page, owners) in self.parents.iter().enumerate() {
            out.integer(i64::try_from(page).unwrap_or(i64::MAX));
            out.open_array();
            for owner in owners {
                out.reference(self.id(*owner));
            }
            out.close_array();
        }
        out.close_array();
        out.close_dictionary();
    }
}

impl pdf_file::AppendedObjects for StructureTree {
    fn first(&self) -> u32 {
        self.first
    }

    fn count(&self) -> usize {
        self.elements.len() + 2
    }

    fn write_object(&self, index: usize, out: &mut ObjectWriter<'_>) -> std::io::Result<()> {
        if index == 0 {
            self.write_root(out);
        } else if index == self.parent_tree() {
            self.write_parent_tree(out);
        } else if let Some(element) = index.checked_sub(1).and_then(|i| self.elements.get(i)) {
            self.write_element(element, out)?;
        }
        Ok(())
    }
}

/// Marks the file as tagged and numbers the structure tree of `document`, whose sheets carry
/// `pages`' marked content: its objects' numbers are reserved in `pdf` (the catalog and the
/// pages refer to them), and [`pdf_file::write`] writes them after the document's own.
pub fn write_structure(
    pdf: &mut lopdf::Document,
    document: &Document,
    pages: &[PageMarks],
) -> Result<StructureTree, RenderError> {
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
    drop(index);
    let first = pdf.max_id.saturating_add(1);
    let tree = StructureTree::number(first, page_ids, pages, tree)?;
    pdf.max_id = u32::try_from(pdf_file::AppendedObjects::count(&tree))
        .ok()
        .and_then(|n| pdf.max_id.checked_add(n))
        .ok_or_else(|| RenderError(tr!("render-pdf-too-large")))?;
    for (n, id) in tree.page_ids.iter().enumerate() {
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
    catalog.set("StructTreeRoot", Object::Reference(tree.id(0)));
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
    Ok(tree)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A content kid must stay small: a large annex's tree holds one per marked line.
    #[test]
    fn a_kid_takes_three_words() {
        assert!(std::mem::size_of::<Kid>() <= 3 * std::mem::size_of::<usize>());
    }

    /// What the tree holds per element and per kid while the file is written stays small.
    #[test]
    fn a_numbered_kid_takes_three_u32s_and_an_element_six_words() {
        assert!(std::mem::size_of::<NumberedKid>() <= 3 * std::mem::size_of::<u32>());
        assert!(std::mem::size_of::<Numbered>() <= 6 * std::mem::size_of::<u64>());
    }
}
