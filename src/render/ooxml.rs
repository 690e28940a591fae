//! A small post pass over an Office Open XML package (DOCX): read the parts, edit XML, put
//! the children of property elements into ECMA-376 schema order, and write the package again
//! deterministically.
//!
//! docx-rs writes some property elements out of schema order (`w:b` after `w:sz` in `w:rPr`,
//! `w:rPr` first in `w:pPr`, `w:tcBorders` before `w:gridSpan` in `w:tcPr`, the header
//! reference after `w:pgSz` in `w:sectPr`, …). Word accepts most of that but may offer to
//! "repair" the file, and validators reject it. [`reorder_element`] fixes it from a static table
//! of the schema's sequences ([`SEQUENCES`]); children it does not know keep their relative
//! order at the end.
//!
//! Large parts are edited streaming ([`edit_units`]): the reader's events go straight to the
//! writer, and only small *units* (a paragraph, a property element) are held as a tree, one
//! at a time, so memory does not grow with the document. Small parts (relationships, content
//! types) are edited as a whole tree ([`XmlPart`], [`Package::edit_xml`]).
//!
//! [`Package`] also drops parts no relationship leads to and adds parts with their content
//! type and relationship. [`write_package`] gives the same bytes for the same parts: a fixed
//! entry order, one fixed timestamp for every entry, deflate at a fixed level and no extra
//! fields.
//!
//! Element names are compared by namespace URI and local name, so the pass does not depend on
//! the `w:` prefix; new elements take the prefix of their parent.

use super::archive;
use crate::tr;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{QName, ResolveResult};
use quick_xml::{NsReader, Writer};
use std::borrow::Cow;
use std::collections::{BTreeSet, VecDeque};
use std::io::{Cursor, Read, Write};

/// The WordprocessingML main namespace (transitional), `w:` by convention.
pub const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// The part that must come first in the archive (some readers sniff for it).
const CONTENT_TYPES: &str = "[Content_Types].xml";
/// The package relationships, written second.
const PACKAGE_RELS: &str = "_rels/.rels";
const RELS_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const RELS_CONTENT_TYPE: &str = "application/vnd.openxmlformats-package.relationships+xml";
/// Deflate level for every entry (fixed, so the bytes do not depend on a library default).
/// Level 2 is a fifth faster than 6 and the annex stays under 20 KB.
const DEFLATE_LEVEL: u32 = 2;
/// The earliest time a ZIP entry can carry (MS-DOS date), used for earlier timestamps.
const DOS_EPOCH_YEAR: i32 = 1980;
/// The latest year a ZIP (MS-DOS) date can carry.
const DOS_LAST_YEAR: i32 = 2107;

/// Something in the package could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OoxmlError(pub String);

impl std::fmt::Display for OoxmlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OoxmlError {}

fn err(context: &str, e: impl std::fmt::Display) -> OoxmlError {
    OoxmlError(format!("{context}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// The XML tree
// ---------------------------------------------------------------------------------------------

/// A node of an XML part: an element, or anything else kept verbatim (text, references,
/// comments, the declaration).
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element(Element),
    Other(Event<'static>),
}

/// An element with its start tag as read (attributes untouched) and its children.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub start: BytesStart<'static>,
    /// The namespace the element's name is bound to, if any.
    pub namespace: Option<Namespace>,
    pub children: Vec<Node>,
}

/// The namespace an element's name is bound to: WordprocessingML's, which every check asks
/// about, held without a copy of its URI, or another one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Namespace {
    /// [`W_NS`].
    Word,
    Other(String),
}

impl Namespace {
    fn of(uri: &str) -> Namespace {
        if uri == W_NS {
            Namespace::Word
        } else {
            Namespace::Other(uri.to_string())
        }
    }
}

impl Element {
    /// A new element named `local` in this element's namespace, with this element's prefix
    /// (to be added as its child, where that prefix is bound).
    pub fn new_child(&self, local: &str, attributes: &[(&str, &str)]) -> Element {
        let name = match self.start.name().prefix() {
            Some(prefix) => format!("{}:{local}", prefix.into_inner()),
            None => local.to_string(),
        };
        let mut start = BytesStart::new(name);
        for &(key, value) in attributes {
            start.push_attribute((key, value));
        }
        Element {
            start,
            namespace: self.namespace.clone(),
            children: Vec::new(),
        }
    }

    /// The value of attribute `name` (as written, e.g. `w:val`), unescaped.
    pub fn attr(&self, name: &str) -> Option<String> {
        self.start
            .attributes()
            .flatten()
            .find(|a| a.key.0 == name)
            .and_then(|a| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
    }

    /// Whether the element has attribute `name` (as written).
    pub fn has_attr(&self, name: &str) -> bool {
        self.start.attributes().flatten().any(|a| a.key.0 == name)
    }

    /// Removes attribute `name` (as written); the others stay as they are.
    pub fn remove_attr(&mut self, name: &str) {
        let kept: Vec<(String, String)> = self
            .start
            .attributes()
            .flatten()
            .filter(|a| a.key.0 != name)
            .map(|a| (a.key.0.to_string(), a.value.into_owned()))
            .collect();
        self.start.clear_attributes();
        for (key, raw) in &kept {
            // The raw (still escaped) value goes back unchanged.
            self.start.push_attribute(Attribute {
                key: QName(key),
                value: Cow::Borrowed(raw),
            });
        }
    }

    /// Sets attribute `name` (as written) to `value`, replacing any earlier value.
    pub fn set_attr(&mut self, name: &str, value: &str) {
        self.remove_attr(name);
        self.start.push_attribute((name, value));
    }

    /// The local name (without prefix).
    pub fn local_name(&self) -> &str {
        local(&self.start)
    }

    /// Whether this is `{W_NS}local`.
    pub fn is_w(&self, local: &str) -> bool {
        self.in_w() && self.local_name() == local
    }

    /// Whether the element's name is in the WordprocessingML namespace.
    pub fn in_w(&self) -> bool {
        self.namespace == Some(Namespace::Word)
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Other(_) => None,
        })
    }

    /// Calls `f` on this element and every element below it, parents before children, with
    /// the local name of the parent element in the WordprocessingML namespace (if any).
    pub fn walk_mut(&mut self, f: &mut dyn FnMut(&mut Element, Option<&str>)) {
        self.walk_inner(None, f);
    }

    /// [`Element::walk_mut`] for an element whose parent's WordprocessingML local name is
    /// `parent` (a unit of [`edit_units`]).
    pub fn walk_mut_in(
        &mut self,
        parent: Option<&str>,
        f: &mut dyn FnMut(&mut Element, Option<&str>),
    ) {
        self.walk_inner(parent, f);
    }

    fn walk_inner(&mut self, parent: Option<&str>, f: &mut dyn FnMut(&mut Element, Option<&str>)) {
        f(self, parent);
        let me = self.in_w().then(|| local(&self.start));
        for child in &mut self.children {
            if let Node::Element(e) = child {
                e.walk_inner(me, f);
            }
        }
    }
}

/// A parsed XML part: the nodes at the top level (declaration, root element, …).
#[derive(Debug, Clone, PartialEq)]
pub struct XmlPart {
    pub nodes: Vec<Node>,
}

impl XmlPart {
    /// Reads a part; text, entity references and attributes are kept as written.
    pub fn parse(xml: &[u8]) -> Result<XmlPart, OoxmlError> {
        let mut reader = NsReader::from_reader(xml);
        reader.config_mut().trim_text(false);
        let mut stack: Vec<Element> = Vec::new();
        let mut top: Vec<Node> = Vec::new();
        fn push(stack: &mut [Element], top: &mut Vec<Node>, node: Node) {
            match stack.last_mut() {
                Some(parent) => parent.children.push(node),
                None => top.push(node),
            }
        }
        loop {
            let (ns, event) = reader
                .read_resolved_event()
                .map_err(|e| err(&tr!("render-xml-unreadable"), e))?;
            let namespace = match ns {
                ResolveResult::Bound(ns) => Some(Namespace::of(ns.into_inner())),
                _ => None,
            };
            match event {
                Event::Start(start) => stack.push(Element {
                    start: start.into_owned(),
                    namespace,
                    children: Vec::new(),
                }),
                Event::Empty(start) => {
                    let element = Element {
                        start: start.into_owned(),
                        namespace,
                        children: Vec::new(),
                    };
                    push(&mut stack, &mut top, Node::Element(element));
                }
                Event::End(_) => {
                    let element = stack
                        .pop()
                        .ok_or_else(|| OoxmlError(tr!("render-xml-end-without-start")))?;
                    push(&mut stack, &mut top, Node::Element(element));
                }
                Event::Eof => break,
                other => push(&mut stack, &mut top, Node::Other(other.into_owned())),
            }
        }
        if !stack.is_empty() {
            return Err(OoxmlError(tr!("render-xml-ends-inside")));
        }
        Ok(XmlPart { nodes: top })
    }

    /// The root element.
    pub fn root_mut(&mut self) -> Option<&mut Element> {
        self.nodes.iter_mut().find_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Other(_) => None,
        })
    }

    /// Writes the part; an element without children is written as an empty-element tag.
    pub fn to_bytes(&self) -> Result<Vec<u8>, OoxmlError> {
        let mut writer = Writer::new(Vec::new());
        for node in &self.nodes {
            write_node(&mut writer, node)?;
        }
        Ok(writer.into_inner())
    }
}

fn write_node<W: Write>(writer: &mut Writer<W>, node: &Node) -> Result<(), OoxmlError> {
    let write = |w: &mut Writer<W>, e: Event<'_>| {
        w.write_event(e)
            .map_err(|e| err(&tr!("render-xml-unwritable"), e))
    };
    match node {
        Node::Other(event) => write(writer, event.borrow()),
        Node::Element(e) if e.children.is_empty() => write(writer, Event::Empty(e.start.borrow())),
        Node::Element(e) => {
            write(writer, Event::Start(e.start.borrow()))?;
            for child in &e.children {
                write_node(writer, child)?;
            }
            write(writer, Event::End(e.start.to_end()))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Schema order
// ---------------------------------------------------------------------------------------------

/// One schema sequence: each inner slice is one position; names sharing a position form a
/// choice (`w:left`/`w:start`) or an unordered group (`CT_TrPrBase`, header and footer
/// references) and keep their relative order.
type Sequence = &'static [&'static [&'static str]];

/// CT_TblCellMar and CT_TcMar.
const CELL_MARGINS: Sequence = &[&["top"], &["left", "start"], &["bottom"], &["right", "end"]];

/// CT_TcBorders: the sides, the inside lines, then the two diagonals.
const CELL_BORDERS: Sequence = &[
    &["top"],
    &["left", "start"],
    &["bottom"],
    &["right", "end"],
    &["insideH"],
    &["insideV"],
    &["tl2br"],
    &["tr2bl"],
];

/// CT_TblBorders: a cell's borders without the diagonals.
const TABLE_BORDERS: Sequence = CELL_BORDERS.split_at(6).0;

/// The order of the children of each WordprocessingML property element (by local name),
/// from the sequences of ECMA-376 Part 1 (transitional schema `wml.xsd`).
static SEQUENCES: &[(&str, Sequence)] = &[
    // CT_RPr / CT_ParaRPr: EG_RPrBase, preceded by the paragraph mark's revision marks.
    (
        "rPr",
        &[
            &["ins"],
            &["del"],
            &["moveFrom"],
            &["moveTo"],
            &["rStyle"],
            &["rFonts"],
            &["b"],
            &["bCs"],
            &["i"],
            &["iCs"],
            &["caps"],
            &["smallCaps"],
            &["strike"],
            &["dstrike"],
            &["outline"],
            &["shadow"],
            &["emboss"],
            &["imprint"],
            &["noProof"],
            &["snapToGrid"],
            &["vanish"],
            &["webHidden"],
            &["color"],
            &["spacing"],
            &["w"],
            &["kern"],
            &["position"],
            &["sz"],
            &["szCs"],
            &["highlight"],
            &["u"],
            &["effect"],
            &["bdr"],
            &["shd"],
            &["fitText"],
            &["vertAlign"],
            &["rtl"],
            &["cs"],
            &["em"],
            &["lang"],
            &["eastAsianLayout"],
            &["specVanish"],
            &["oMath"],
            &["rPrChange"],
        ],
    ),
    // CT_PPr: CT_PPrBase, then rPr, sectPr, pPrChange.
    (
        "pPr",
        &[
            &["pStyle"],
            &["keepNext"],
            &["keepLines"],
            &["pageBreakBefore"],
            &["framePr"],
            &["widowControl"],
            &["numPr"],
            &["suppressLineNumbers"],
            &["pBdr"],
            &["shd"],
            &["tabs"],
            &["suppressAutoHyphens"],
            &["kinsoku"],
            &["wordWrap"],
            &["overflowPunct"],
            &["topLinePunct"],
            &["autoSpaceDE"],
            &["autoSpaceDN"],
            &["bidi"],
            &["adjustRightInd"],
            &["snapToGrid"],
            &["spacing"],
            &["ind"],
            &["contextualSpacing"],
            &["mirrorIndents"],
            &["suppressOverlap"],
            &["jc"],
            &["textDirection"],
            &["textAlignment"],
            &["textboxTightWrap"],
            &["outlineLvl"],
            &["divId"],
            &["cnfStyle"],
            &["rPr"],
            &["sectPr"],
            &["pPrChange"],
        ],
    ),
    // CT_TblPr (CT_TblPrBase, then tblPrChange).
    (
        "tblPr",
        &[
            &["tblStyle"],
            &["tblpPr"],
            &["tblOverlap"],
            &["bidiVisual"],
            &["tblStyleRowBandSize"],
            &["tblStyleColBandSize"],
            &["tblW"],
            &["jc"],
            &["tblCellSpacing"],
            &["tblInd"],
            &["tblBorders"],
            &["shd"],
            &["tblLayout"],
            &["tblCellMar"],
            &["tblLook"],
            &["tblCaption"],
            &["tblDescription"],
            &["tblPrChange"],
        ],
    ),
    // CT_TrPr: CT_TrPrBase is an unordered choice; revision marks come after it.
    (
        "trPr",
        &[
            &[
                "cnfStyle",
                "divId",
                "gridBefore",
                "gridAfter",
                "wBefore",
                "wAfter",
                "cantSplit",
                "trHeight",
                "tblHeader",
                "tblCellSpacing",
                "jc",
                "hidden",
            ],
            &["ins"],
            &["del"],
            &["trPrChange"],
        ],
    ),
    // CT_TcPr (CT_TcPrInner, then tcPrChange).
    (
        "tcPr",
        &[
            &["cnfStyle"],
            &["tcW"],
            &["gridSpan"],
            &["hMerge"],
            &["vMerge"],
            &["tcBorders"],
            &["shd"],
            &["noWrap"],
            &["tcMar"],
            &["textDirection"],
            &["tcFitText"],
            &["vAlign"],
            &["hideMark"],
            &["headers"],
            &["cellIns", "cellDel", "cellMerge"],
            &["tcPrChange"],
        ],
    ),
    // CT_SectPr: EG_HdrFtrReferences, EG_SectPrContents, sectPrChange.
    (
        "sectPr",
        &[
            &["headerReference", "footerReference"],
            &["footnotePr"],
            &["endnotePr"],
            &["type"],
            &["pgSz"],
            &["pgMar"],
            &["paperSrc"],
            &["pgBorders"],
            &["lnNumType"],
            &["pgNumType"],
            &["cols"],
            &["formProt"],
            &["vAlign"],
            &["noEndnote"],
            &["titlePg"],
            &["textDirection"],
            &["bidi"],
            &["rtlGutter"],
            &["docGrid"],
            &["printerSettings"],
            &["sectPrChange"],
        ],
    ),
    ("tblBorders", TABLE_BORDERS),
    ("tcBorders", CELL_BORDERS),
    // CT_TblCellMar and CT_TcMar.
    ("tblCellMar", CELL_MARGINS),
    ("tcMar", CELL_MARGINS),
    // CT_PBdr.
    (
        "pBdr",
        &[
            &["top"],
            &["left"],
            &["bottom"],
            &["right"],
            &["between"],
            &["bar"],
        ],
    ),
    // CT_DocDefaults.
    ("docDefaults", &[&["rPrDefault"], &["pPrDefault"]]),
    // CT_Style.
    (
        "style",
        &[
            &["name"],
            &["aliases"],
            &["basedOn"],
            &["next"],
            &["link"],
            &["autoRedefine"],
            &["hidden"],
            &["uiPriority"],
            &["semiHidden"],
            &["unhideWhenUsed"],
            &["qFormat"],
            &["locked"],
            &["personal"],
            &["personalCompose"],
            &["personalReply"],
            &["rsid"],
            &["pPr"],
            &["rPr"],
            &["tblPr"],
            &["trPr"],
            &["tcPr"],
            &["tblStylePr"],
        ],
    ),
    // CT_Settings (the elements of the WordprocessingML namespace; m:mathPr and
    // sl:schemaLibrary are not written by docx-rs).
    (
        "settings",
        &[
            &["writeProtection"],
            &["view"],
            &["zoom"],
            &["removePersonalInformation"],
            &["removeDateAndTime"],
            &["doNotDisplayPageBoundaries"],
            &["displayBackgroundShape"],
            &["printPostScriptOverText"],
            &["printFractionalCharacterWidth"],
            &["printFormsData"],
            &["embedTrueTypeFonts"],
            &["embedSystemFonts"],
            &["saveSubsetFonts"],
            &["saveFormsData"],
            &["mirrorMargins"],
            &["alignBordersAndEdges"],
            &["bordersDoNotSurroundHeader"],
            &["bordersDoNotSurroundFooter"],
            &["gutterAtTop"],
            &["hideSpellingErrors"],
            &["hideGrammaticalErrors"],
            &["activeWritingStyle"],
            &["proofState"],
            &["formsDesign"],
            &["attachedTemplate"],
            &["linkStyles"],
            &["stylePaneFormatFilter"],
            &["stylePaneSortMethod"],
            &["documentType"],
            &["mailMerge"],
            &["revisionView"],
            &["trackRevisions"],
            &["doNotTrackMoves"],
            &["doNotTrackFormatting"],
            &["documentProtection"],
            &["autoFormatOverride"],
            &["styleLockTheme"],
            &["styleLockQFSet"],
            &["defaultTabStop"],
            &["autoHyphenation"],
            &["consecutiveHyphenLimit"],
            &["hyphenationZone"],
            &["doNotHyphenateCaps"],
            &["showEnvelope"],
            &["summaryLength"],
            &["clickAndTypeStyle"],
            &["defaultTableStyle"],
            &["evenAndOddHeaders"],
            &["bookFoldRevPrinting"],
            &["bookFoldPrinting"],
            &["bookFoldPrintingSheets"],
            &["drawingGridHorizontalSpacing"],
            &["drawingGridVerticalSpacing"],
            &["displayHorizontalDrawingGridEvery"],
            &["displayVerticalDrawingGridEvery"],
            &["doNotUseMarginsForDrawingGridOrigin"],
            &["drawingGridHorizontalOrigin"],
            &["drawingGridVerticalOrigin"],
            &["doNotShadeFormData"],
            &["noPunctuationKerning"],
            &["characterSpacingControl"],
            &["printTwoOnOne"],
            &["strictFirstAndLastChars"],
            &["noLineBreaksAfter"],
            &["noLineBreaksBefore"],
            &["savePreviewPicture"],
            &["doNotValidateAgainstSchema"],
            &["saveInvalidXml"],
            &["ignoreMixedContent"],
            &["alwaysShowPlaceholderText"],
            &["doNotDemarcateInvalidXml"],
            &["saveXmlDataOnly"],
            &["useXSLTWhenSaving"],
            &["saveThroughXslt"],
            &["showXMLTags"],
            &["alwaysMergeEmptyNamespace"],
            &["updateFields"],
            &["hdrShapeDefaults"],
            &["footnotePr"],
            &["endnotePr"],
            &["compat"],
            &["docVars"],
            &["rsids"],
            &["attachedSchema"],
            &["themeFontLang"],
            &["clrSchemeMapping"],
            &["doNotIncludeSubdocsInStats"],
            &["doNotAutoCompressPictures"],
            &["forceUpgrade"],
            &["captions"],
            &["readModeInkLockDown"],
            &["smartTagType"],
            &["shapeDefaults"],
            &["doNotEmbedSmartTags"],
            &["decimalSymbol"],
            &["listSeparator"],
        ],
    ),
];

/// The schema sequence of the children of `{W_NS}parent`, if it is a property element.
fn sequence(parent: &str) -> Option<Sequence> {
    SEQUENCES
        .iter()
        .find(|(name, _)| *name == parent)
        .map(|(_, sequence)| *sequence)
}

/// Whether `{W_NS}local` is a property element whose children [`reorder_element`] sorts.
pub fn is_property_element(local: &str) -> bool {
    sequence(local).is_some()
}

/// The position of `child` in `sequence`, `None` if it is not there.
fn rank(sequence: Sequence, child: &Node) -> Option<usize> {
    let Node::Element(child) = child else {
        return None;
    };
    if !child.in_w() {
        return None;
    }
    let name = child.local_name();
    sequence.iter().position(|names| names.contains(&name))
}

/// Puts the children of every WordprocessingML property element (see [`SEQUENCES`]) below
/// and including `element` into schema order. The sort is stable: children at the same
/// position keep their order, and children not in the table (other namespaces, text) keep
/// their relative order after the known ones.
pub fn reorder_element(element: &mut Element) {
    element.walk_mut(&mut |e, _| {
        if !e.in_w() {
            return;
        }
        if let Some(sequence) = sequence(e.local_name()) {
            e.children
                .sort_by_key(|c| rank(sequence, c).unwrap_or(usize::MAX));
        }
    });
}

/// Streams an XML part from reader to writer and holds only its *units* as trees: the
/// elements `{W_NS}local` for which `is_unit(local)` holds (paragraphs, property elements —
/// small, while the part can be many megabytes). Each unit, once read whole, goes to `edit`
/// with the WordprocessingML local name of its parent element (if any); `edit` may change
/// it, or drop it by returning `false`. A kept unit is put into schema order
/// ([`reorder_element`]) and written. Everything outside the units is written as read, so
/// the result is byte for byte what [`XmlPart::parse`], the same edits, [`reorder_element`]
/// and [`XmlPart::to_bytes`] give: an element without children becomes an empty-element tag.
/// Every property element must lie inside a unit (or be one) to be put in order.
pub fn edit_units(
    xml: &[u8],
    is_unit: impl Fn(&str) -> bool,
    mut edit: impl FnMut(&mut Element, Option<&str>) -> Result<bool, OoxmlError>,
) -> Result<Vec<u8>, OoxmlError> {
    splice_units(xml, is_unit, |unit, parent| {
        edit(unit, parent).map(Edited::from)
    })
}

/// What becomes of a unit in [`splice_units`].
pub enum Edited {
    /// Put into schema order and written.
    Keep,
    Drop,
    /// Written in its place, as they are: markup the caller has already edited.
    Replace(Vec<u8>),
}

impl From<bool> for Edited {
    /// What [`edit_units`]'s edit answers: keep the unit or drop it.
    fn from(keep: bool) -> Edited {
        if keep { Edited::Keep } else { Edited::Drop }
    }
}

/// [`edit_units`], where `edit` may also replace a unit by other markup.
pub fn splice_units(
    xml: &[u8],
    is_unit: impl Fn(&str) -> bool,
    edit: impl FnMut(&mut Element, Option<&str>) -> Result<Edited, OoxmlError>,
) -> Result<Vec<u8>, OoxmlError> {
    let out = Vec::with_capacity(xml.len() + xml.len() / 8);
    splice_units_into(xml, is_unit, out, edit)
}

/// [`splice_units`], written into `out` as it goes (and given back), so that the edited part
/// need not be held whole.
pub fn splice_units_into<W: Write>(
    xml: &[u8],
    is_unit: impl Fn(&str) -> bool,
    out: W,
    edit: impl FnMut(&mut Element, Option<&str>) -> Result<Edited, OoxmlError>,
) -> Result<W, OoxmlError> {
    let mut writer = Writer::new(out);
    units_pass(xml, &is_unit, Some(&mut writer), edit)?;
    Ok(writer.into_inner())
}

/// Calls `found` on every unit of `xml` (see [`edit_units`]) with its parent's local name,
/// in document order, writing nothing.
pub fn for_each_unit(
    xml: &[u8],
    is_unit: impl Fn(&str) -> bool,
    mut found: impl FnMut(Element, Option<&str>),
) -> Result<(), OoxmlError> {
    units_pass(
        xml,
        &is_unit,
        None::<&mut Writer<Vec<u8>>>,
        |unit, parent| {
            let empty = Element {
                start: BytesStart::new(""),
                namespace: None,
                children: Vec::new(),
            };
            found(std::mem::replace(unit, empty), parent);
            Ok(Edited::Drop)
        },
    )
}

fn write_event<W: Write>(writer: &mut Writer<W>, event: Event<'_>) -> Result<(), OoxmlError> {
    writer
        .write_event(event)
        .map_err(|e| err(&tr!("render-xml-unwritable"), e))
}

/// The streaming pass of [`edit_units`] and [`for_each_unit`]; writes only with a `writer`.
// Long (115 lines): one event loop whose state (open elements, the pending start tag, the
// unit being read) is shared by every arm; split, each step would take all of it.
fn units_pass<W: Write>(
    xml: &[u8],
    is_unit: &dyn Fn(&str) -> bool,
    mut writer: Option<&mut Writer<W>>,
    mut edit: impl FnMut(&mut Element, Option<&str>) -> Result<Edited, OoxmlError>,
) -> Result<(), OoxmlError> {
    let mut reader = NsReader::from_reader(xml);
    reader.config_mut().trim_text(false);
    // The streamed elements now open: the local name of each in the WordprocessingML
    // namespace (`None` for other namespaces), for the parent of a unit.
    let mut open: Vec<Option<String>> = Vec::new();
    // The start tag of the innermost open streamed element while nothing is written inside
    // it yet: it becomes an empty-element tag if its end follows.
    let mut pending: Option<BytesStart<'static>> = None;
    // The unit being read, its open elements outermost first.
    let mut unit: Vec<Element> = Vec::new();
    let flush = |writer: &mut Option<&mut Writer<W>>,
                 pending: &mut Option<BytesStart<'static>>|
     -> Result<(), OoxmlError> {
        match (writer.as_deref_mut(), pending.take()) {
            (Some(w), Some(start)) => write_event(w, Event::Start(start)),
            _ => Ok(()),
        }
    };
    loop {
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| err(&tr!("render-xml-unreadable"), e))?;
        let namespace = match ns {
            ResolveResult::Bound(ns) => Some(ns.into_inner()),
            _ => None,
        };
        let in_w = namespace == Some(W_NS);
        let owned_namespace = || namespace.map(Namespace::of);
        let complete = match event {
            Event::Start(start) if !unit.is_empty() || (in_w && is_unit(local(&start))) => {
                unit.push(Element {
                    namespace: owned_namespace(),
                    start: start.into_owned(),
                    children: Vec::new(),
                });
                None
            }
            Event::Empty(start) if !unit.is_empty() || (in_w && is_unit(local(&start))) => {
                let element = Element {
                    namespace: owned_namespace(),
                    start: start.into_owned(),
                    children: Vec::new(),
                };
                match unit.last_mut() {
                    Some(parent) => {
                        parent.children.push(Node::Element(element));
                        None
                    }
                    None => Some(element),
                }
            }
            Event::End(_) if !unit.is_empty() => {
                let element = unit
                    .pop()
                    .ok_or_else(|| OoxmlError(tr!("render-xml-end-without-start")))?;
                match unit.last_mut() {
                    Some(parent) => {
                        parent.children.push(Node::Element(element));
                        None
                    }
                    None => Some(element),
                }
            }
            Event::Eof if !unit.is_empty() => {
                return Err(OoxmlError(tr!("render-xml-ends-inside")));
            }
            other if !unit.is_empty() => {
                if let Some(parent) = unit.last_mut() {
                    parent.children.push(Node::Other(other.into_owned()));
                }
                None
            }
            Event::Start(start) => {
                flush(&mut writer, &mut pending)?;
                open.push(in_w.then(|| local(&start).to_string()));
                pending = Some(start.into_owned());
                None
            }
            Event::End(end) => {
                open.pop()
                    .ok_or_else(|| OoxmlError(tr!("render-xml-end-without-start")))?;
                if let Some(w) = writer.as_deref_mut() {
                    match pending.take() {
                        Some(start) => write_event(w, Event::Empty(start))?,
                        None => write_event(w, Event::End(end))?,
                    }
                }
                None
            }
            Event::Eof => break,
            other => {
                flush(&mut writer, &mut pending)?;
                if let Some(w) = writer.as_deref_mut() {
                    write_event(w, other)?;
                }
                None
            }
        };
        if let Some(mut element) = complete {
            let parent = open.last().and_then(|p| p.as_deref());
            match edit(&mut element, parent)? {
                Edited::Keep => {
                    reorder_element(&mut element);
                    flush(&mut writer, &mut pending)?;
                    if let Some(w) = writer.as_deref_mut() {
                        write_node(w, &Node::Element(element))?;
                    }
                }
                Edited::Replace(markup) => {
                    flush(&mut writer, &mut pending)?;
                    if let Some(w) = writer.as_deref_mut() {
                        w.get_mut()
                            .write_all(&markup)
                            .map_err(|e| err(&tr!("render-xml-unwritable"), e))?;
                    }
                }
                Edited::Drop => {}
            }
        }
    }
    if !open.is_empty() {
        return Err(OoxmlError(tr!("render-xml-ends-inside")));
    }
    Ok(())
}

/// The local name of a start tag (without prefix).
fn local<'a>(start: &'a BytesStart<'_>) -> &'a str {
    // What quick-xml's `local_name` gives, found with a plain loop over the few bytes of a
    // name: its `str::find` costs two library calls per name, and every element's name is
    // asked for several times (a tenth of a DOCX render).
    let name = start.name().into_inner();
    match name.bytes().position(|b| b == b':') {
        Some(colon) => name.get(colon + 1..).unwrap_or(name),
        None => name,
    }
}

// ---------------------------------------------------------------------------------------------
// The package
// ---------------------------------------------------------------------------------------------

/// The parts of a package by name, in the order they were read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Package {
    pub parts: Vec<(String, Vec<u8>)>,
}

impl Package {
    /// Reads every file of a ZIP archive; folder entries are not parts and are dropped.
    pub fn read(zip_bytes: &[u8]) -> Result<Package, OoxmlError> {
        let mut archive = zip::ZipArchive::new(Cursor::new(zip_bytes))
            .map_err(|e| err(&tr!("render-not-zip"), e))?;
        let mut parts = Vec::with_capacity(archive.len());
        for i in 0..archive.len() {
            let mut file = archive
                .by_index(i)
                .map_err(|e| err(&tr!("render-entry-unreadable"), e))?;
            if file.is_dir() {
                continue;
            }
            let name = file
                .name()
                .map_err(|e| err(&tr!("render-entry-name-unreadable"), e))?
                .into_owned();
            let mut data = Vec::new();
            file.read_to_end(&mut data)
                .map_err(|e| err(&tr!("render-part-unreadable", name = name.to_string()), e))?;
            parts.push((name, data));
        }
        Ok(Package { parts })
    }

    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.parts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| d.as_slice())
    }

    /// Replaces a part, or adds it.
    pub fn set(&mut self, name: &str, data: Vec<u8>) {
        match self.parts.iter_mut().find(|(n, _)| n == name) {
            Some((_, d)) => *d = data,
            None => self.parts.push((name.to_string(), data)),
        }
    }

    /// The names of the parts.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().map(|(n, _)| n.as_str())
    }

    /// Parses part `name`, lets `edit` change the tree and stores the result.
    pub fn edit_xml(
        &mut self,
        name: &str,
        edit: impl FnOnce(&mut XmlPart),
    ) -> Result<(), OoxmlError> {
        let data = self
            .get(name)
            .ok_or_else(|| OoxmlError(tr!("render-no-part", name = name.to_string())))?;
        let mut part = XmlPart::parse(data)?;
        edit(&mut part);
        let bytes = part.to_bytes()?;
        self.set(name, bytes);
        Ok(())
    }

    /// Adds (or replaces) a part with its content type in `[Content_Types].xml`.
    pub fn add_part(
        &mut self,
        name: &str,
        content_type: &str,
        data: Vec<u8>,
    ) -> Result<(), OoxmlError> {
        let part_name = format!("/{name}");
        self.edit_xml(CONTENT_TYPES, |types| {
            if let Some(root) = types.root_mut() {
                root.children.retain(|n| {
                    !matches!(n, Node::Element(e) if e.local_name() == "Override"
                        && e.attr("PartName").as_deref() == Some(part_name.as_str()))
                });
                let entry = root.new_child(
                    "Override",
                    &[
                        ("PartName", part_name.as_str()),
                        ("ContentType", content_type),
                    ],
                );
                root.children.push(Node::Element(entry));
            }
        })?;
        self.set(name, data);
        Ok(())
    }

    /// Adds a relationship of `rel_type` from part `source` (`""` for the package) to
    /// `target` (relative to the source's folder) and returns its new id.
    pub fn add_relationship(
        &mut self,
        source: &str,
        rel_type: &str,
        target: &str,
    ) -> Result<String, OoxmlError> {
        let rels = rels_part(source);
        if self.get(&rels).is_none() {
            self.add_part(
                &rels,
                RELS_CONTENT_TYPE,
                format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{RELS_NS}"/>"#)
                    .into_bytes(),
            )?;
        }
        let mut id = String::new();
        self.edit_xml(&rels, |part| {
            if let Some(root) = part.root_mut() {
                let used: BTreeSet<String> = root.elements().filter_map(|e| e.attr("Id")).collect();
                id = (1..)
                    .map(|n| format!("rId{n}"))
                    .find(|candidate| !used.contains(candidate))
                    .unwrap_or_default();
                let rel = root.new_child(
                    "Relationship",
                    &[("Id", id.as_str()), ("Type", rel_type), ("Target", target)],
                );
                root.children.push(Node::Element(rel));
            }
        })?;
        Ok(id)
    }

    /// The parts reachable through relationships from the package, each with the content
    /// type part and the relationship parts of reachable parts.
    fn reachable(&self) -> Result<BTreeSet<String>, OoxmlError> {
        let mut seen = BTreeSet::from([CONTENT_TYPES.to_string()]);
        let mut queue = VecDeque::from([String::new()]);
        while let Some(source) = queue.pop_front() {
            let rels = rels_part(&source);
            let Some(data) = self.get(&rels) else {
                continue;
            };
            seen.insert(rels.clone());
            let mut part = XmlPart::parse(data).map_err(|e| err(&rels, e))?;
            let Some(root) = part.root_mut() else {
                continue;
            };
            for rel in root.elements() {
                if rel.attr("TargetMode").as_deref() == Some("External") {
                    continue;
                }
                if let Some(target) = rel.attr("Target") {
                    let name = resolve_target(&source, &target);
                    if seen.insert(name.clone()) {
                        queue.push_back(name);
                    }
                }
            }
        }
        Ok(seen)
    }

    /// Drops the parts no relationship leads to (docx-rs writes empty comments, numbering
    /// and footnotes parts it does not relate), and their content type entries.
    pub fn prune_unreferenced(&mut self) -> Result<(), OoxmlError> {
        let keep = self.reachable()?;
        self.parts.retain(|(name, _)| keep.contains(name));
        let present: BTreeSet<String> = self.names().map(|n| format!("/{n}")).collect();
        self.edit_xml(CONTENT_TYPES, |types| {
            if let Some(root) = types.root_mut() {
                root.children.retain(|n| match n {
                    Node::Element(e) if e.local_name() == "Override" => {
                        e.attr("PartName").is_some_and(|p| present.contains(&p))
                    }
                    _ => true,
                });
            }
        })
    }

    /// Removes part `name` with every relationship that leads to it, then whatever only it
    /// led to (see [`Package::prune_unreferenced`]).
    pub fn remove_part(&mut self, name: &str) -> Result<(), OoxmlError> {
        self.remove_parts(&[name])
    }

    /// [`Package::remove_part`] for several parts at once: one pass over the relationship
    /// parts and one prune, whatever the number of parts.
    pub fn remove_parts(&mut self, names: &[&str]) -> Result<(), OoxmlError> {
        let rels: Vec<String> = self
            .names()
            .filter(|n| n.ends_with(".rels"))
            .map(str::to_string)
            .collect();
        for rels_name in rels {
            let Some(source) = rels_source(&rels_name) else {
                continue;
            };
            self.edit_xml(&rels_name, |part| {
                if let Some(root) = part.root_mut() {
                    root.children.retain(|n| match n {
                        Node::Element(rel) => {
                            rel.attr("TargetMode").as_deref() == Some("External")
                                || rel.attr("Target").is_none_or(|t| {
                                    !names.contains(&resolve_target(&source, &t).as_str())
                                })
                        }
                        Node::Other(_) => true,
                    });
                }
            })?;
        }
        self.parts.retain(|(n, _)| !names.contains(&n.as_str()));
        self.prune_unreferenced()
    }

    /// The ZIP archive of the parts and of `deflated` (parts compressed already): see
    /// [`write_package`].
    pub fn write(
        &self,
        timestamp: i64,
        shared: &CompressedParts,
        deflated: &[DeflatedPart],
    ) -> Result<Vec<u8>, OoxmlError> {
        write_package(&self.parts, timestamp, shared, deflated)
    }
}

/// The relationship part of `source` (`""` is the package itself).
fn rels_part(source: &str) -> String {
    match source.rsplit_once('/') {
        Some((folder, file)) => format!("{folder}/_rels/{file}.rels"),
        None if source.is_empty() => PACKAGE_RELS.to_string(),
        None => format!("_rels/{source}.rels"),
    }
}

/// The part whose relationships `rels` holds (`""` for the package), the inverse of
/// [`rels_part`]; `None` for a name that is not a relationship part.
fn rels_source(rels: &str) -> Option<String> {
    let file = rels.strip_suffix(".rels")?;
    let (folder, source_file) = file.rsplit_once("_rels/")?;
    Some(format!("{folder}{source_file}"))
}

/// The part name a relationship target of `source` points to: absolute targets start at the
/// package root, relative ones at the source's folder; `.` and `..` are resolved.
fn resolve_target(source: &str, target: &str) -> String {
    let mut segments: Vec<&str> = match target.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => source
            .rsplit_once('/')
            .map(|(folder, _)| folder.split('/').collect())
            .unwrap_or_default(),
    };
    for segment in target.trim_start_matches('/').split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    segments.join("/")
}

/// The ZIP date of `timestamp` (seconds since 1970, UTC), held inside the range a ZIP entry
/// can carry.
fn zip_time(timestamp: i64) -> Result<archive::DosTime, OoxmlError> {
    use chrono::{Datelike, Timelike};
    let t = chrono::DateTime::from_timestamp(timestamp, 0)
        .ok_or_else(|| {
            OoxmlError(tr!(
                "render-timestamp-range",
                timestamp = timestamp.to_string()
            ))
        })?
        .naive_utc();
    if t.year() < DOS_EPOCH_YEAR {
        return Ok(dos_time(zip::DateTime::DEFAULT));
    }
    let (year, month, day, hour, minute, second) = if t.year() > DOS_LAST_YEAR {
        (DOS_LAST_YEAR, 12, 31, 23, 59, 58)
    } else {
        (
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
        )
    };
    let narrow = |v: u32| u8::try_from(v).map_err(|e| err(&tr!("render-date-field-range"), e));
    zip::DateTime::from_date_and_time(
        u16::try_from(year).map_err(|e| err(&tr!("render-year-range"), e))?,
        narrow(month)?,
        narrow(day)?,
        narrow(hour)?,
        narrow(minute)?,
        narrow(second)?,
    )
    .map(dos_time)
    .map_err(|e| err(&tr!("render-zip-date"), e))
}

fn dos_time(t: zip::DateTime) -> archive::DosTime {
    archive::DosTime {
        time: t.timepart(),
        date: t.datepart(),
    }
}

/// Where a part goes in the archive: the content types first, the package relationships
/// second, then every other part by name.
fn entry_order(name: &str) -> (u8, &str) {
    match name {
        CONTENT_TYPES => (0, name),
        PACKAGE_RELS => (1, name),
        _ => (2, name),
    }
}

/// Parts a build writes into many packages, compressed once: every DOCX of a build has the
/// same styles, settings, theme, header parts and relationships, and only its document and
/// core properties of its own. A part seen for the second time (same name and bytes) is
/// compressed into an entry kept from then on for every package that has it, which gives
/// the same entry as compressing it again. A part seen once is only remembered by a hash, so
/// memory does not grow with the parts of a large build that differ.
#[derive(Debug, Default)]
pub struct CompressedParts {
    entries: std::sync::Mutex<PartEntries>,
}

#[derive(Debug, Default)]
struct PartEntries {
    /// Hashes of the parts seen once.
    seen: std::collections::HashSet<u64>,
    /// The parts seen more than once, by hash: their bytes and compressed entries.
    compressed: std::collections::HashMap<u64, Vec<SharedPart>>,
}

#[derive(Debug)]
struct SharedPart {
    data: Vec<u8>,
    entry: std::sync::Arc<archive::Entry>,
}

impl CompressedParts {
    /// The compressed entry of part `name` with `data`, if the part was seen before (made
    /// now on its second sighting).
    fn entry_of(
        &self,
        name: &str,
        data: &[u8],
    ) -> Result<Option<std::sync::Arc<archive::Entry>>, OoxmlError> {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        (name, data).hash(&mut hasher);
        let hash = hasher.finish();
        // A poisoned lock only means another render panicked; the entries stay whole.
        let mut entries = self
            .entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(found) = entries.compressed.get(&hash).and_then(|parts| {
            parts
                .iter()
                .find(|p| p.entry.name() == name && p.data == data)
        }) {
            return Ok(Some(found.entry.clone()));
        }
        if entries.seen.insert(hash) {
            return Ok(None);
        }
        let entry = std::sync::Arc::new(compress(name, data)?);
        entries
            .compressed
            .entry(hash)
            .or_default()
            .push(SharedPart {
                data: data.to_vec(),
                entry: entry.clone(),
            });
        Ok(Some(entry))
    }
}

/// Part `name` with `data`, compressed.
fn compress(name: &str, data: &[u8]) -> Result<archive::Entry, OoxmlError> {
    archive::Entry::new(name, data, DEFLATE_LEVEL)
        .map_err(|e| err(&tr!("render-part-not-written", name = name.to_string()), e))
}

/// A part compressed as it was written ([`DeflatedPart::write`]), so that a large part is
/// never held whole; it goes into its package as it is (as the parts of [`CompressedParts`]
/// do), which gives the entry that compressing the whole part would.
#[derive(Debug)]
pub struct DeflatedPart {
    entry: archive::Entry,
}

/// What [`DeflatedPart::write`] gathers before it hands bytes to the compressor: the XML
/// writer writes a few bytes at a time.
const DEFLATED_PART_BUFFER: usize = 64 * 1024;

impl DeflatedPart {
    /// Part `name`, from what `write` writes.
    pub fn write(
        name: &str,
        write: impl FnOnce(&mut dyn Write) -> Result<(), OoxmlError>,
    ) -> Result<DeflatedPart, OoxmlError> {
        let not_written = |e| err(&tr!("render-part-not-written", name = name.to_string()), e);
        let entry = archive::Entry::written(name, DEFLATE_LEVEL, |out| {
            let mut buffered = std::io::BufWriter::with_capacity(DEFLATED_PART_BUFFER, out);
            write(&mut buffered)?;
            buffered
                .into_inner()
                .map(drop)
                .map_err(|e| not_written(e.into_error()))
        })?;
        Ok(DeflatedPart { entry })
    }
}

impl From<std::io::Error> for OoxmlError {
    fn from(e: std::io::Error) -> Self {
        err(&tr!("render-package-unfinished"), e)
    }
}

/// A part as it goes into an archive.
enum ArchiveEntry<'a> {
    Plain(&'a str, &'a [u8]),
    Deflated(&'a DeflatedPart),
}

impl ArchiveEntry<'_> {
    fn name(&self) -> &str {
        match self {
            ArchiveEntry::Plain(name, _) => name,
            ArchiveEntry::Deflated(part) => part.entry.name(),
        }
    }
}

/// Writes `parts` and `deflated` as a ZIP archive that depends only on the parts and
/// `timestamp`: entries in [`entry_order`], all dated `timestamp` (ZIP dates have two-second
/// steps and start in 1980), deflated at one fixed level, with no extra fields, comments or
/// folder entries ([`archive`]). A part `shared` holds compressed already is taken from there.
pub fn write_package(
    parts: &[(String, Vec<u8>)],
    timestamp: i64,
    shared: &CompressedParts,
    deflated: &[DeflatedPart],
) -> Result<Vec<u8>, OoxmlError> {
    let mut sorted: Vec<ArchiveEntry<'_>> = parts
        .iter()
        .map(|(name, data)| ArchiveEntry::Plain(name, data))
        .chain(deflated.iter().map(ArchiveEntry::Deflated))
        .collect();
    sorted.sort_by(|a, b| entry_order(a.name()).cmp(&entry_order(b.name())));
    #[allow(
        clippy::indexing_slicing,
        reason = "lint switched on while render/ is rewritten: windows(2) gives two items"
    )]
    for pair in sorted.windows(2) {
        if pair[0].name() == pair[1].name() {
            return Err(OoxmlError(tr!(
                "render-part-twice",
                name = pair[0].name().to_string()
            )));
        }
    }
    write_entries(&sorted, timestamp, shared)
}

/// A part's compressed entry, and where it was made.
enum Compressed<'a> {
    /// As the part was written ([`DeflatedPart`]).
    Written(&'a archive::Entry),
    /// Kept for the build ([`CompressedParts`]).
    Shared(std::sync::Arc<archive::Entry>),
    /// Compressed for this package alone.
    Now(archive::Entry),
}

impl Compressed<'_> {
    fn entry(&self) -> &archive::Entry {
        match self {
            Compressed::Written(entry) => entry,
            Compressed::Shared(entry) => entry,
            Compressed::Now(entry) => entry,
        }
    }
}

/// The archive of `parts` in the order given (see [`write_package`]).
fn write_entries(
    parts: &[ArchiveEntry<'_>],
    timestamp: i64,
    shared: &CompressedParts,
) -> Result<Vec<u8>, OoxmlError> {
    let time = zip_time(timestamp)?;
    // A part compressed already is taken as it is; any other is compressed here.
    let compressed = parts
        .iter()
        .map(|part| {
            Ok(match part {
                ArchiveEntry::Deflated(deflated) => Compressed::Written(&deflated.entry),
                ArchiveEntry::Plain(name, data) => match shared.entry_of(name, data)? {
                    Some(entry) => Compressed::Shared(entry),
                    None => Compressed::Now(compress(name, data)?),
                },
            })
        })
        .collect::<Result<Vec<_>, OoxmlError>>()?;
    let entries: Vec<&archive::Entry> = compressed.iter().map(Compressed::entry).collect();
    archive::write(&entries, time).map_err(|too_large| match too_large {
        archive::TooLarge::Part(name) => OoxmlError(tr!("render-part-not-added", name = name)),
        archive::TooLarge::Package => OoxmlError(tr!("render-package-unfinished")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`reorder_element`] on a whole XML part, streaming, with no other edit.
    fn schema_order(xml: &[u8]) -> Result<Vec<u8>, OoxmlError> {
        edit_units(xml, is_property_element, |_, _| Ok(true))
    }

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn order(body: &str) -> String {
        let xml =
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}>{body}</w:document>"#);
        let out = String::from_utf8(schema_order(xml.as_bytes()).unwrap()).unwrap();
        let start = out.find('>').unwrap() + 1;
        let inner = &out[start..];
        let open_end = inner.find('>').unwrap() + 1;
        inner[open_end..inner.len() - "</w:document>".len()].to_string()
    }

    #[test]
    fn run_properties_follow_the_schema() {
        assert_eq!(
            order(
                r#"<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/><w:b/><w:bCs/><w:rFonts w:ascii="Arial"/><w:lang w:val="et-EE"/></w:rPr>"#
            ),
            r#"<w:rPr><w:rFonts w:ascii="Arial"/><w:b/><w:bCs/><w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="et-EE"/></w:rPr>"#
        );
    }

    #[test]
    fn paragraph_mark_properties_move_after_spacing_and_jc() {
        assert_eq!(
            order(
                r#"<w:pPr><w:rPr><w:b/></w:rPr><w:jc w:val="right"/><w:spacing w:after="0"/><w:pageBreakBefore/></w:pPr>"#
            ),
            r#"<w:pPr><w:pageBreakBefore/><w:spacing w:after="0"/><w:jc w:val="right"/><w:rPr><w:b/></w:rPr></w:pPr>"#
        );
    }

    #[test]
    fn cell_table_row_and_section_properties() {
        assert_eq!(
            order(
                r#"<w:tcPr><w:tcW w:w="1" w:type="dxa"/><w:tcBorders><w:bottom/><w:top/><w:right/><w:left/></w:tcBorders><w:gridSpan w:val="3"/><w:shd w:fill="D9D9D9"/></w:tcPr>"#
            ),
            r#"<w:tcPr><w:tcW w:w="1" w:type="dxa"/><w:gridSpan w:val="3"/><w:tcBorders><w:top/><w:left/><w:bottom/><w:right/></w:tcBorders><w:shd w:fill="D9D9D9"/></w:tcPr>"#
        );
        assert_eq!(
            order(
                r#"<w:tblPr><w:tblW w:w="0"/><w:jc w:val="left"/><w:tblBorders/><w:tblCellMar/><w:tblLayout w:type="fixed"/></w:tblPr>"#
            ),
            r#"<w:tblPr><w:tblW w:w="0"/><w:jc w:val="left"/><w:tblBorders/><w:tblLayout w:type="fixed"/><w:tblCellMar/></w:tblPr>"#
        );
        assert_eq!(
            order(r#"<w:trPr><w:del/><w:trHeight/><w:cantSplit/></w:trPr>"#),
            r#"<w:trPr><w:trHeight/><w:cantSplit/><w:del/></w:trPr>"#
        );
        assert_eq!(
            order(
                r#"<w:sectPr><w:pgSz/><w:pgMar/><w:cols/><w:headerReference w:type="default"/><w:titlePg/><w:footerReference/></w:sectPr>"#
            ),
            r#"<w:sectPr><w:headerReference w:type="default"/><w:footerReference/><w:pgSz/><w:pgMar/><w:cols/><w:titlePg/></w:sectPr>"#
        );
    }

    #[test]
    fn unknown_children_keep_their_order_at_the_end() {
        assert_eq!(
            order(r#"<w:rPr><w:zz/><x:a xmlns:x="urn:x"/><w:sz/><w:yy/><w:b/></w:rPr>"#),
            r#"<w:rPr><w:b/><w:sz/><w:zz/><x:a xmlns:x="urn:x"/><w:yy/></w:rPr>"#
        );
    }

    #[test]
    fn only_the_wordprocessingml_namespace_is_reordered() {
        // Same local names, another namespace: left alone.
        assert_eq!(
            order(r#"<x:rPr xmlns:x="urn:x"><x:sz/><x:b/></x:rPr>"#),
            r#"<x:rPr xmlns:x="urn:x"><x:sz/><x:b/></x:rPr>"#
        );
        // Another prefix bound to the WordprocessingML namespace: reordered.
        let ns = W_NS;
        assert_eq!(
            order(&format!(r#"<v:rPr xmlns:v="{ns}"><v:sz/><v:b/></v:rPr>"#)),
            format!(r#"<v:rPr xmlns:v="{ns}"><v:b/><v:sz/></v:rPr>"#)
        );
    }

    #[test]
    fn text_and_references_survive_unchanged() {
        let body = r#"<w:p><w:r><w:t xml:space="preserve"> a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#x41; </w:t></w:r></w:p>"#;
        assert_eq!(order(body), body);
    }

    #[test]
    fn nested_property_elements_are_reordered_too() {
        assert_eq!(
            order(
                r#"<w:p><w:pPr><w:rPr><w:sz/><w:b/></w:rPr><w:jc/></w:pPr><w:r><w:rPr><w:szCs/><w:i/></w:rPr></w:r></w:p>"#
            ),
            r#"<w:p><w:pPr><w:jc/><w:rPr><w:b/><w:sz/></w:rPr></w:pPr><w:r><w:rPr><w:i/><w:szCs/></w:rPr></w:r></w:p>"#
        );
    }

    #[test]
    fn streaming_gives_the_bytes_of_the_tree() {
        let xml = format!(
            r#"<?xml version="1.0"?><w:document {W}><w:body><w:x></w:x><w:p a="1" ><w:pPr><w:jc/><w:pStyle/></w:pPr><w:r><w:t>a &amp; b</w:t></w:r></w:p><w:p><w:r><w:rPr/></w:r></w:p><!-- c --><w:sectPr><w:pgSz/><w:headerReference/></w:sectPr></w:body></w:document>"#
        );
        // The same edit on the whole tree and on the units: drop empty run properties of a
        // paragraph's runs, number the paragraphs.
        let drop_empty = |e: &mut Element, _: Option<&str>| {
            if e.is_w("r") {
                e.children.retain(
                    |c| !matches!(c, Node::Element(r) if r.is_w("rPr") && r.children.is_empty()),
                );
            }
        };
        let mut tree = XmlPart::parse(xml.as_bytes()).unwrap();
        let mut n = 0;
        for node in &mut tree.nodes {
            if let Node::Element(root) = node {
                root.walk_mut(&mut |e, p| {
                    drop_empty(e, p);
                    if e.is_w("p") {
                        n += 1;
                        e.set_attr("n", &n.to_string());
                    }
                });
                reorder_element(root);
            }
        }
        let mut m = 0;
        let mut parents = Vec::new();
        let streamed = edit_units(
            xml.as_bytes(),
            |l| l == "p" || is_property_element(l),
            |unit, parent| {
                parents.push(parent.map(str::to_string));
                unit.walk_mut_in(parent, &mut |e, p| {
                    drop_empty(e, p);
                    if e.is_w("p") {
                        m += 1;
                        e.set_attr("n", &m.to_string());
                    }
                });
                Ok(true)
            },
        )
        .unwrap();
        let expected = tree.to_bytes().unwrap();
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            String::from_utf8(expected).unwrap()
        );
        assert_eq!(
            parents,
            vec![Some("body".to_string()); 3],
            "units know their parent"
        );
        let out = String::from_utf8(schema_order(xml.as_bytes()).unwrap()).unwrap();
        assert!(
            out.contains("<w:x/>"),
            "an element without children is an empty tag: {out}"
        );
        assert!(
            out.contains(r#"<w:p a="1" ><w:pPr><w:pStyle/><w:jc/></w:pPr>"#),
            "{out}"
        );
    }

    #[test]
    fn dropped_units_and_unit_lookup() {
        let xml =
            format!(r#"<w:body {W}><w:tc><w:p/></w:tc><w:sectPr><w:cols/></w:sectPr></w:body>"#);
        let out = edit_units(xml.as_bytes(), |l| l == "p", |unit, _| Ok(!unit.is_w("p"))).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!(r#"<w:body {W}><w:tc/><w:sectPr><w:cols/></w:sectPr></w:body>"#),
            "the parent of a dropped unit becomes an empty tag, as in the tree"
        );
        let mut found = Vec::new();
        for_each_unit(
            xml.as_bytes(),
            |l| l == "sectPr",
            |unit, parent| {
                found.push((unit.elements().count(), parent.map(str::to_string)));
            },
        )
        .unwrap();
        assert_eq!(found, [(1, Some("body".to_string()))]);
        assert!(edit_units(b"<a><b></a>", |_| false, |_, _| Ok(true)).is_err());
        assert!(for_each_unit(format!("<w:p {W}>").as_bytes(), |_| true, |_, _| {}).is_err());
    }

    #[test]
    fn broken_xml_is_an_error() {
        assert!(schema_order(b"<a><b></a>").is_err());
        assert!(schema_order(b"<a>").is_err());
    }

    fn parts() -> Vec<(String, Vec<u8>)> {
        vec![
            ("word/document.xml".into(), b"<doc/>".repeat(50)),
            ("_rels/.rels".into(), b"<rels/>".to_vec()),
            ("docProps/core.xml".into(), b"<core/>".to_vec()),
            ("[Content_Types].xml".into(), b"<types/>".to_vec()),
        ]
    }

    /// A part compressed as it is written, in pieces smaller and larger than the buffer,
    /// gives the package the same part compressed whole gives, and reads back whole in its
    /// place in the entry order; a name given twice is refused as for plain parts.
    #[test]
    fn a_deflated_part_reads_back_whole_in_its_place() {
        let text: Vec<u8> = (0..40_000u32)
            .flat_map(|i| format!("<w:t>{i}</w:t>").into_bytes())
            .collect();
        let write = |out: &mut dyn Write| {
            for piece in text.chunks(7) {
                out.write_all(piece).map_err(|e| err("piece", e))?;
                out.flush().map_err(|e| err("flush", e))?;
            }
            out.write_all(&text).map_err(|e| err("whole", e))
        };
        let part = DeflatedPart::write("word/body.xml", write).unwrap();
        let deflated = std::slice::from_ref(&part);
        let shared = CompressedParts::default();
        let zip = write_package(&parts(), 1_700_000_000, &shared, deflated).unwrap();
        // The same bytes as the package with the part compressed whole.
        let mut plain = parts();
        plain.push(("word/body.xml".into(), [&text[..], &text[..]].concat()));
        let whole = write_package(&plain, 1_700_000_000, &shared, &[]).unwrap();
        assert!(
            zip == whole,
            "a part compressed as written differs from one compressed whole"
        );
        let read = Package::read(&zip).unwrap();
        assert_eq!(
            read.get("word/body.xml"),
            Some([&text[..], &text[..]].concat().as_slice())
        );
        let names: Vec<&str> = read.names().collect();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "docProps/core.xml",
                "word/body.xml",
                "word/document.xml"
            ]
        );
        let mut twice = parts();
        twice.push(("word/body.xml".into(), b"<b/>".to_vec()));
        assert!(write_package(&twice, 1_700_000_000, &shared, deflated).is_err());
    }

    #[test]
    fn packages_are_reproducible_and_ordered() {
        let a = write_package(&parts(), 1_700_000_000, &CompressedParts::default(), &[]).unwrap();
        let mut shuffled = parts();
        shuffled.reverse();
        let b = write_package(&shuffled, 1_700_000_000, &CompressedParts::default(), &[]).unwrap();
        assert_eq!(
            a, b,
            "the same parts give the same bytes whatever their order"
        );
        let read = Package::read(&a).unwrap();
        let names: Vec<&str> = read.names().collect();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "docProps/core.xml",
                "word/document.xml"
            ]
        );
        assert_eq!(read.get("word/document.xml").unwrap(), b"<doc/>".repeat(50));
        let mut archive = zip::ZipArchive::new(Cursor::new(&a)).unwrap();
        for i in 0..archive.len() {
            let file = archive.by_index(i).unwrap();
            assert_eq!(file.compression(), zip::CompressionMethod::Deflated);
            assert!(
                file.extra_data().is_none_or(|d| d.is_empty()),
                "{:?}",
                file.name()
            );
            let t = file.last_modified().unwrap();
            assert_eq!((t.year(), t.month(), t.day()), (2023, 11, 14));
        }
        assert_ne!(
            a,
            write_package(&parts(), 1_600_000_000, &CompressedParts::default(), &[]).unwrap()
        );
    }

    #[test]
    fn a_part_copied_compressed_gives_the_same_package_as_compressing_it_again() {
        let alone =
            write_package(&parts(), 1_700_000_000, &CompressedParts::default(), &[]).unwrap();
        let shared = CompressedParts::default();
        let mut other = parts();
        other[0].1 = b"<other/>".to_vec();
        let other_alone =
            write_package(&other, 1_700_000_000, &CompressedParts::default(), &[]).unwrap();
        // Seen once, twice (compressed apart and copied), then copied; a part that differs
        // is compressed as it is.
        for _ in 0..3 {
            assert_eq!(
                write_package(&parts(), 1_700_000_000, &shared, &[]).unwrap(),
                alone
            );
            assert_eq!(
                write_package(&other, 1_700_000_000, &shared, &[]).unwrap(),
                other_alone
            );
        }
        let entries = shared.entries.lock().unwrap();
        // The four parts, and the other first part.
        assert_eq!(entries.compressed.values().map(Vec::len).sum::<usize>(), 5);
        // Another date: not taken from the parts compressed for the first.
        drop(entries);
        assert_eq!(
            write_package(&parts(), 1_600_000_000, &shared, &[]).unwrap(),
            write_package(&parts(), 1_600_000_000, &CompressedParts::default(), &[]).unwrap()
        );
    }

    #[test]
    fn early_timestamps_become_the_zip_epoch() {
        let a = write_package(&parts(), 0, &CompressedParts::default(), &[]).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(&a)).unwrap();
        let t = archive.by_index(0).unwrap().last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1));
    }

    #[test]
    fn duplicate_parts_are_refused() {
        let mut p = parts();
        p.push(("_rels/.rels".into(), Vec::new()));
        assert!(write_package(&p, 0, &CompressedParts::default(), &[]).is_err());
    }

    #[test]
    fn relationship_targets() {
        assert_eq!(rels_part(""), "_rels/.rels");
        assert_eq!(
            rels_part("word/document.xml"),
            "word/_rels/document.xml.rels"
        );
        assert_eq!(resolve_target("", "word/document.xml"), "word/document.xml");
        assert_eq!(
            resolve_target("word/document.xml", "theme/theme1.xml"),
            "word/theme/theme1.xml"
        );
        assert_eq!(
            resolve_target("word/document.xml", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(
            resolve_target("word/document.xml", "/word/styles.xml"),
            "word/styles.xml"
        );
    }

    fn small_package() -> Package {
        let mut p = Package::default();
        p.set(
            CONTENT_TYPES,
            br#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="main"/><Override PartName="/word/comments.xml" ContentType="comments"/><Override PartName="/word/gone.xml" ContentType="gone"/></Types>"#.to_vec(),
        );
        p.set(
            PACKAGE_RELS,
            format!(r#"<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" Type="doc" Target="word/document.xml"/><Relationship Id="rId2" Type="web" Target="https://example.org/" TargetMode="External"/></Relationships>"#).into_bytes(),
        );
        p.set("word/document.xml", b"<doc/>".to_vec());
        p.set(
            "word/_rels/document.xml.rels",
            format!(r#"<Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" Type="styles" Target="styles.xml"/></Relationships>"#).into_bytes(),
        );
        p.set("word/styles.xml", b"<styles/>".to_vec());
        p.set("word/comments.xml", b"<comments/>".to_vec());
        p
    }

    #[test]
    fn unreferenced_parts_and_their_content_types_go() {
        let mut p = small_package();
        p.prune_unreferenced().unwrap();
        let names: BTreeSet<&str> = p.names().collect();
        assert_eq!(
            names,
            BTreeSet::from([
                CONTENT_TYPES,
                PACKAGE_RELS,
                "word/document.xml",
                "word/_rels/document.xml.rels",
                "word/styles.xml"
            ])
        );
        let types = String::from_utf8(p.get(CONTENT_TYPES).unwrap().to_vec()).unwrap();
        assert!(types.contains("/word/document.xml"));
        assert!(
            !types.contains("comments") && !types.contains("gone"),
            "{types}"
        );
        assert!(types.contains(r#"<Default Extension="xml""#));
    }

    #[test]
    fn parts_and_relationships_can_be_added() {
        let mut p = small_package();
        p.add_part("word/theme/theme1.xml", "theme", b"<theme/>".to_vec())
            .unwrap();
        let id = p
            .add_relationship("word/document.xml", "urn:theme", "theme/theme1.xml")
            .unwrap();
        assert_eq!(id, "rId2");
        let id = p
            .add_relationship("word/styles.xml", "urn:x", "../x.xml")
            .unwrap();
        assert_eq!(id, "rId1");
        p.add_part("x.xml", "x", b"<x/>".to_vec()).unwrap();
        p.prune_unreferenced().unwrap();
        for kept in [
            "word/theme/theme1.xml",
            "word/_rels/styles.xml.rels",
            "x.xml",
        ] {
            assert!(p.get(kept).is_some(), "{kept}");
        }
        let types = String::from_utf8(p.get(CONTENT_TYPES).unwrap().to_vec()).unwrap();
        assert!(
            types.contains(r#"<Override PartName="/word/theme/theme1.xml" ContentType="theme"/>"#),
            "{types}"
        );
        assert!(
            types.contains(r#"PartName="/word/_rels/styles.xml.rels""#),
            "{types}"
        );
    }

    #[test]
    fn a_removed_part_takes_its_relationships_along() {
        assert_eq!(rels_source("_rels/.rels").as_deref(), Some(""));
        assert_eq!(
            rels_source("word/_rels/document.xml.rels").as_deref(),
            Some("word/document.xml")
        );
        assert_eq!(rels_source("word/document.xml"), None);
        let mut p = small_package();
        p.remove_part("word/styles.xml").unwrap();
        assert!(p.get("word/styles.xml").is_none());
        let rels =
            String::from_utf8(p.get("word/_rels/document.xml.rels").unwrap().to_vec()).unwrap();
        assert!(!rels.contains("styles.xml"), "{rels}");
        assert!(p.get("word/document.xml").is_some());
        let package_rels = String::from_utf8(p.get(PACKAGE_RELS).unwrap().to_vec()).unwrap();
        assert!(
            package_rels.contains("https://example.org/"),
            "external links stay"
        );
    }

    #[test]
    fn attributes_can_be_read_and_removed() {
        let mut part = XmlPart::parse(br#"<a x="1 &amp; 2" y="&lt;" z="3"/>"#).unwrap();
        let root = part.root_mut().unwrap();
        assert_eq!(root.attr("x").as_deref(), Some("1 & 2"));
        root.remove_attr("z");
        assert_eq!(root.attr("z"), None);
        assert_eq!(part.to_bytes().unwrap(), br#"<a x="1 &amp; 2" y="&lt;"/>"#);
    }

    #[test]
    fn edit_and_set() {
        let mut package = Package::default();
        package.set("word/a.xml", format!(r#"<w:r {W}/>"#).into_bytes());
        package
            .edit_xml("word/a.xml", |part| {
                let root = part.root_mut().unwrap();
                let t = root.new_child("t", &[("xml:space", "preserve")]);
                assert!(t.is_w("t"));
                root.children.push(Node::Element(t));
            })
            .unwrap();
        assert_eq!(
            package.get("word/a.xml").unwrap(),
            format!(r#"<w:r {W}><w:t xml:space="preserve"/></w:r>"#).as_bytes()
        );
        assert!(package.edit_xml("word/missing.xml", |_| {}).is_err());
    }
}
