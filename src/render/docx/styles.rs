//! The DOCX style set (`word/styles.xml`): what each kind of paragraph looks like, written
//! once from the template, so that the body carries no font or size of its own and changing a
//! style in Word restyles every paragraph of that kind.
//!
//! Built-in styles keep Word's style ids and names (`Heading1` / "heading 1", `Header`,
//! `Subtitle`, `Normal`, …), so a localised Word shows its own names ("Pealkiri 1") and the
//! navigation pane, tables of contents and PDF bookmarks work. Every property a paragraph of
//! the model needs is spelt out in its style, because LibreOffice fills properties a style
//! leaves open from its own built-in styles of the same name (a centred "Subtitle", space
//! above "Heading 1").

use super::{AUTO_COLOR, AUTO_LINE_UNITS_PER_LINE, eighths, half_points, twips_mm, twips_pt};
use crate::document::{Document, Setup};
use quick_xml::escape::escape;

/// The character style of a glossary term.
pub(super) const TERM_STYLE: &str = "GlossaryTerm";
/// The table style of the card grid: its borders and cell margins.
pub(super) const GRID_STYLE: &str = "RoleCardGrid";
/// Outline level 0 is Word's "Level 1", the level of "heading 1".
const TITLE_OUTLINE_LEVEL: u8 = 0;
/// Outline level 9 is Word's "Body Text": not an entry of the navigation pane.
const BODY_OUTLINE_LEVEL: u8 = 9;

/// The kinds of paragraph the document has, each with its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ParagraphStyle {
    /// Card text and glossary entries.
    Normal,
    /// A card's title and the glossary's: Word's "heading 1".
    Title,
    /// The optional line under a card title.
    Subtitle,
    /// The lines of the page header band.
    HeaderLine,
    /// A label in the label column ("Miks on ametikoha vaja?").
    RowLabel,
    /// A label on a grey full-width bar.
    Bar,
    /// The title repeated with the continuation mark at the top of a card's further pages.
    ContinuationTitle,
}

impl ParagraphStyle {
    pub(super) fn id(self) -> &'static str {
        match self {
            ParagraphStyle::Normal => "Normal",
            ParagraphStyle::Title => "Heading1",
            ParagraphStyle::Subtitle => "Subtitle",
            ParagraphStyle::HeaderLine => "Header",
            ParagraphStyle::RowLabel => "RowLabel",
            ParagraphStyle::Bar => "BarLabel",
            ParagraphStyle::ContinuationTitle => "ContinuationTitle",
        }
    }

    /// Whether the style's text is bold.
    pub(super) fn bold(self) -> bool {
        matches!(
            self,
            ParagraphStyle::Title
                | ParagraphStyle::RowLabel
                | ParagraphStyle::Bar
                | ParagraphStyle::ContinuationTitle
        )
    }

    /// The style's font size.
    pub(super) fn size_pt(self, setup: &Setup) -> f32 {
        let sizes = &setup.sizes;
        match self {
            ParagraphStyle::Title | ParagraphStyle::ContinuationTitle => sizes.title_pt,
            ParagraphStyle::Subtitle => sizes.subtitle_pt,
            ParagraphStyle::HeaderLine => sizes.header_pt,
            ParagraphStyle::Normal | ParagraphStyle::RowLabel | ParagraphStyle::Bar => {
                sizes.body_pt
            }
        }
    }

    /// The space below a paragraph of this style.
    pub(super) fn space_after_pt(self, setup: &Setup) -> f32 {
        match self {
            ParagraphStyle::Title
            | ParagraphStyle::Subtitle
            | ParagraphStyle::ContinuationTitle => setup.title_space_after_pt,
            ParagraphStyle::Normal
            | ParagraphStyle::HeaderLine
            | ParagraphStyle::RowLabel
            | ParagraphStyle::Bar => 0.0,
        }
    }
}

/// One paragraph style of the table below: Word's name for it, what stands between the name
/// and its properties (`basedOn`, `next`, priority), and what its paragraphs keep besides
/// the spacing, indents and alignment every style spells out.
struct StyleRow {
    style: ParagraphStyle,
    name: &'static str,
    head: &'static str,
    keep: &'static str,
    outline: Option<u8>,
}

/// The paragraph styles after "Normal", in the order `styles.xml` lists them.
const PARAGRAPH_STYLES: [StyleRow; 6] = [
    StyleRow {
        style: ParagraphStyle::Title,
        name: "heading 1",
        head: r#"<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>"#,
        keep: "<w:keepNext/><w:keepLines/>",
        outline: Some(TITLE_OUTLINE_LEVEL),
    },
    StyleRow {
        style: ParagraphStyle::Subtitle,
        name: "Subtitle",
        head: r#"<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="11"/><w:qFormat/>"#,
        keep: "<w:keepNext/>",
        outline: None,
    },
    StyleRow {
        style: ParagraphStyle::HeaderLine,
        name: "header",
        head: r#"<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>"#,
        keep: "",
        outline: None,
    },
    StyleRow {
        style: ParagraphStyle::RowLabel,
        name: "Row Label",
        head: r#"<w:basedOn w:val="Normal"/><w:uiPriority w:val="20"/><w:qFormat/>"#,
        keep: "",
        outline: None,
    },
    StyleRow {
        style: ParagraphStyle::Bar,
        name: "Bar Label",
        head: r#"<w:basedOn w:val="RowLabel"/><w:uiPriority w:val="20"/><w:qFormat/>"#,
        keep: "",
        outline: None,
    },
    // Based on "heading 1", so restyling the titles restyles their repetitions too, but at
    // body-text level: a repetition is not an entry of the navigation pane.
    StyleRow {
        style: ParagraphStyle::ContinuationTitle,
        name: "Continuation Title",
        head: r#"<w:basedOn w:val="Heading1"/><w:uiPriority w:val="20"/>"#,
        keep: "",
        outline: Some(BODY_OUTLINE_LEVEL),
    },
];

/// Word's default character and table styles, which every `styles.xml` names.
const DEFAULT_STYLES: &str = concat!(
    r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#,
    r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#,
);

/// `word/styles.xml` for `document`'s setup and language.
pub(super) fn styles_xml(document: &Document) -> Vec<u8> {
    let parts = StyleParts::new(document);
    let mut xml = String::from(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
    xml.push_str(&format!(
        r#"<w:styles xmlns:w="{}">"#,
        super::super::ooxml::W_NS
    ));
    xml.push_str(&parts.doc_defaults());
    xml.push_str(&parts.normal_style());
    xml.push_str(DEFAULT_STYLES);
    for row in &PARAGRAPH_STYLES {
        xml.push_str(&parts.paragraph_style(row));
    }
    xml.push_str(&format!(
        r#"<w:style w:type="character" w:styleId="{TERM_STYLE}"><w:name w:val="Glossary Term"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="20"/><w:qFormat/><w:rPr><w:b/><w:bCs/></w:rPr></w:style>"#
    ));
    xml.push_str(&parts.grid_style());
    xml.push_str("</w:styles>");
    xml.into_bytes()
}

/// The pieces the styles share, from the document's setup: the font, the language and the
/// line spacing.
struct StyleParts<'a> {
    setup: &'a Setup,
    fonts: String,
    language: String,
    line: i64,
}

impl<'a> StyleParts<'a> {
    fn new(document: &'a Document) -> Self {
        let setup = &document.setup;
        let family = escape(setup.docx_font_family.as_str());
        StyleParts {
            setup,
            fonts: format!(
                r#"<w:rFonts w:ascii="{family}" w:hAnsi="{family}" w:eastAsia="{family}" w:cs="{family}"/>"#
            ),
            language: escape(document.meta.language.as_str()).into_owned(),
            line: (AUTO_LINE_UNITS_PER_LINE * setup.line_spacing).round() as i64,
        }
    }

    fn spacing(&self, after_pt: f32) -> String {
        format!(
            r#"<w:spacing w:before="0" w:after="{}" w:line="{}" w:lineRule="auto"/>"#,
            twips_pt(after_pt),
            self.line
        )
    }

    /// Run properties of a paragraph style: the font, bold or not, upright, in the text colour.
    fn run(&self, style: ParagraphStyle) -> String {
        let size = half_points(style.size_pt(self.setup));
        let weight = if style.bold() {
            "<w:b/><w:bCs/>"
        } else {
            r#"<w:b w:val="0"/><w:bCs w:val="0"/>"#
        };
        format!(
            r#"<w:rPr>{}{weight}<w:i w:val="0"/><w:iCs w:val="0"/><w:color w:val="{AUTO_COLOR}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/><w:lang w:val="{}"/></w:rPr>"#,
            self.fonts, self.language
        )
    }

    /// Paragraph and run properties of a paragraph style, in schema order (ECMA-376
    /// CT_PPrBase: the keep flags before the spacing, the outline level after the
    /// alignment), so that the OOXML pass has nothing to reorder in this part.
    fn paragraph(&self, style: ParagraphStyle, keep: &str, outline: &str) -> String {
        format!(
            r#"<w:pPr>{keep}{}<w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="left"/>{outline}</w:pPr>{}"#,
            self.spacing(style.space_after_pt(self.setup)),
            self.run(style)
        )
    }

    fn doc_defaults(&self) -> String {
        format!(
            r#"<w:docDefaults><w:rPrDefault><w:rPr>{fonts}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/><w:lang w:val="{language}"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>{spacing}</w:pPr></w:pPrDefault></w:docDefaults>"#,
            fonts = self.fonts,
            language = self.language,
            size = half_points(self.setup.sizes.body_pt),
            spacing = self.spacing(0.0)
        )
    }

    fn normal_style(&self) -> String {
        format!(
            r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>{}</w:style>"#,
            self.paragraph(ParagraphStyle::Normal, "", "")
        )
    }

    fn paragraph_style(&self, row: &StyleRow) -> String {
        let outline = row
            .outline
            .map(|level| format!(r#"<w:outlineLvl w:val="{level}"/>"#))
            .unwrap_or_default();
        format!(
            r#"<w:style w:type="paragraph" w:styleId="{}"><w:name w:val="{}"/>{}{}</w:style>"#,
            row.style.id(),
            row.name,
            row.head,
            self.paragraph(row.style, row.keep, &outline)
        )
    }

    /// The card grid's table style: a border on every edge, the cells' padding.
    fn grid_style(&self) -> String {
        let border = |edge: &str| {
            format!(
                r#"<w:{edge} w:val="single" w:sz="{}" w:space="0" w:color="{AUTO_COLOR}"/>"#,
                eighths(self.setup.border_pt)
            )
        };
        let pad = twips_mm(self.setup.cell_padding_mm);
        let margin = |edge: &str| format!(r#"<w:{edge} w:w="{pad}" w:type="dxa"/>"#);
        format!(
            r#"<w:style w:type="table" w:styleId="{GRID_STYLE}"><w:name w:val="Role Card Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:tblPr><w:tblBorders>{}</w:tblBorders><w:tblCellMar>{}</w:tblCellMar></w:tblPr></w:style>"#,
            ["top", "left", "bottom", "right", "insideH", "insideV"]
                .map(border)
                .concat(),
            ["top", "left", "bottom", "right"].map(margin).concat()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::ooxml::XmlPart;
    use std::path::Path;

    #[test]
    fn every_paragraph_style_is_defined_once() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let p = crate::load_project(&root.join("cards"), &root.join("templates/lisa.toml"))
            .expect("the bundled project loads");
        let options = crate::document::BuildOptions::default();
        let whole = crate::document::Selection::WholeAnnex;
        let xml = styles_xml(&crate::document::build(
            &p.source,
            &p.template,
            &options,
            whole,
        ));
        assert!(XmlPart::parse(&xml).is_ok(), "well-formed");
        let text = String::from_utf8(xml).unwrap_or_default();
        for style in [
            ParagraphStyle::Normal,
            ParagraphStyle::Title,
            ParagraphStyle::Subtitle,
            ParagraphStyle::HeaderLine,
            ParagraphStyle::RowLabel,
            ParagraphStyle::Bar,
            ParagraphStyle::ContinuationTitle,
        ] {
            let id = format!(r#"w:styleId="{}""#, style.id());
            assert_eq!(text.matches(&id).count(), 1, "{id}");
        }
        for id in [
            TERM_STYLE,
            GRID_STYLE,
            "DefaultParagraphFont",
            "TableNormal",
        ] {
            assert_eq!(text.matches(&format!(r#"w:styleId="{id}""#)).count(), 1);
        }
        assert!(text.contains(r#"<w:name w:val="heading 1"/>"#));
    }
}
