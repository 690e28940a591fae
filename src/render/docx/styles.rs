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

/// `word/styles.xml` for `document`'s setup and language.
pub(super) fn styles_xml(document: &Document) -> Vec<u8> {
    let t = &document.setup;
    let family = escape(t.docx_font_family.as_str());
    let language = escape(document.meta.language.as_str());
    let line = (AUTO_LINE_UNITS_PER_LINE * t.line_spacing).round() as i64;
    let fonts = format!(
        r#"<w:rFonts w:ascii="{family}" w:hAnsi="{family}" w:eastAsia="{family}" w:cs="{family}"/>"#
    );
    let spacing = |after_pt: f32| {
        format!(
            r#"<w:spacing w:before="0" w:after="{}" w:line="{line}" w:lineRule="auto"/>"#,
            twips_pt(after_pt)
        )
    };
    // Run properties of a paragraph style: the font, bold or not, upright, in the text colour.
    let run = |style: ParagraphStyle| {
        let size = half_points(style.size_pt(t));
        let weight = if style.bold() {
            "<w:b/><w:bCs/>"
        } else {
            r#"<w:b w:val="0"/><w:bCs w:val="0"/>"#
        };
        format!(
            r#"<w:rPr>{fonts}{weight}<w:i w:val="0"/><w:iCs w:val="0"/><w:color w:val="{AUTO_COLOR}"/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/><w:lang w:val="{language}"/></w:rPr>"#
        )
    };
    let paragraph = |style: ParagraphStyle, extra: &str| {
        format!(
            r#"<w:pPr>{extra}{}<w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="left"/></w:pPr>{}"#,
            spacing(style.space_after_pt(t)),
            run(style)
        )
    };
    let outline = |level: u8| format!(r#"<w:outlineLvl w:val="{level}"/>"#);
    let paragraph_style = |style: ParagraphStyle, name: &str, head: &str, extra: &str| {
        format!(
            r#"<w:style w:type="paragraph" w:styleId="{}"><w:name w:val="{name}"/>{head}{}</w:style>"#,
            style.id(),
            paragraph(style, extra)
        )
    };
    let normal = ParagraphStyle::Normal;
    let border = |edge: &str| {
        format!(
            r#"<w:{edge} w:val="single" w:sz="{}" w:space="0" w:color="{AUTO_COLOR}"/>"#,
            eighths(t.border_pt)
        )
    };
    let pad = twips_mm(t.cell_padding_mm);
    let margin = |edge: &str| format!(r#"<w:{edge} w:w="{pad}" w:type="dxa"/>"#);

    let mut xml = String::from(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#);
    xml.push_str(&format!(
        r#"<w:styles xmlns:w="{}">"#,
        super::super::ooxml::W_NS
    ));
    xml.push_str(&format!(
        r#"<w:docDefaults><w:rPrDefault><w:rPr>{fonts}<w:sz w:val="{0}"/><w:szCs w:val="{0}"/><w:lang w:val="{language}"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>{1}</w:pPr></w:pPrDefault></w:docDefaults>"#,
        half_points(t.sizes.body_pt),
        spacing(0.0)
    ));
    xml.push_str(&format!(
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>{}</w:style>"#,
        paragraph(normal, "")
    ));
    xml.push_str(r#"<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#);
    xml.push_str(r#"<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#);
    xml.push_str(&paragraph_style(
        ParagraphStyle::Title,
        "heading 1",
        r#"<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>"#,
        &format!("<w:keepNext/><w:keepLines/>{}", outline(TITLE_OUTLINE_LEVEL)),
    ));
    xml.push_str(&paragraph_style(
        ParagraphStyle::Subtitle,
        "Subtitle",
        r#"<w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:uiPriority w:val="11"/><w:qFormat/>"#,
        "<w:keepNext/>",
    ));
    xml.push_str(&paragraph_style(
        ParagraphStyle::HeaderLine,
        "header",
        r#"<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>"#,
        "",
    ));
    xml.push_str(&paragraph_style(
        ParagraphStyle::RowLabel,
        "Row Label",
        r#"<w:basedOn w:val="Normal"/><w:uiPriority w:val="20"/><w:qFormat/>"#,
        "",
    ));
    xml.push_str(&paragraph_style(
        ParagraphStyle::Bar,
        "Bar Label",
        r#"<w:basedOn w:val="RowLabel"/><w:uiPriority w:val="20"/><w:qFormat/>"#,
        "",
    ));
    // Based on "heading 1", so restyling the titles restyles their repetitions too, but at
    // body-text level: a repetition is not an entry of the navigation pane.
    xml.push_str(&paragraph_style(
        ParagraphStyle::ContinuationTitle,
        "Continuation Title",
        r#"<w:basedOn w:val="Heading1"/><w:uiPriority w:val="20"/>"#,
        &outline(BODY_OUTLINE_LEVEL),
    ));
    xml.push_str(&format!(
        r#"<w:style w:type="character" w:styleId="{TERM_STYLE}"><w:name w:val="Glossary Term"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="20"/><w:qFormat/><w:rPr><w:b/><w:bCs/></w:rPr></w:style>"#
    ));
    xml.push_str(&format!(
        r#"<w:style w:type="table" w:styleId="{GRID_STYLE}"><w:name w:val="Role Card Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:tblPr><w:tblBorders>{}</w:tblBorders><w:tblCellMar>{}</w:tblCellMar></w:tblPr></w:style>"#,
        ["top", "left", "bottom", "right", "insideH", "insideV"]
            .map(border)
            .concat(),
        ["top", "left", "bottom", "right"].map(margin).concat()
    ));
    xml.push_str("</w:styles>");
    xml.into_bytes()
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
