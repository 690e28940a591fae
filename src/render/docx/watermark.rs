//! The draft mark of a `--draft` DOCX, made the way Word's "Insert > Watermark" makes one: a
//! VML WordArt shape (`v:shape` with a `v:textpath`) anchored in every page header, behind
//! the text, centred on the sheet and turned along its diagonal. Word shows it on every page
//! of every section whose header holds it, and lists it as a watermark it can remove;
//! LibreOffice imports it as a Fontwork watermark.
//!
//! The text, size and grey come from the template's `[draft]` section and the angle from the
//! page, as for the PDF's mark.

use super::super::RenderContext;
use super::super::ooxml::W_NS;
use crate::document::Setup;
use crate::units::mm_to_pt;

const VML_NS: &str = "urn:schemas-microsoft-com:vml";
const OFFICE_NS: &str = "urn:schemas-microsoft-com:office:office";
const WORD_VML_NS: &str = "urn:schemas-microsoft-com:office:word";
/// The largest channel value of a VML colour.
const CHANNEL_MAX: f32 = 255.0;
/// A full turn, for VML's clockwise rotation in degrees.
const FULL_TURN_DEGREES: f32 = 360.0;
/// Word's own watermarks are named so; Word offers "Remove Watermark" for shapes so named.
const SHAPE_NAME_PREFIX: &str = "PowerPlusWaterMarkObject";

/// The shape type of plain WordArt text (`o:spt="136"`, "textplain") as Word writes it: the
/// text is stretched to fill the shape's box.
const TEXT_SHAPE_TYPE: &str = r##"<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>"##;

/// The run holding the watermark shape number `index` (unique in the document) for `mark`.
pub(super) fn watermark_run(
    mark: &str,
    index: usize,
    setup: &Setup,
    context: &RenderContext<'_>,
) -> String {
    let draft = &setup.draft;
    let face = &context.fonts.bold;
    let (page_w, page_h) = (
        mm_to_pt(setup.sheet.width_mm),
        mm_to_pt(setup.sheet.height_mm),
    );
    // The box the text is stretched into: the text's advance width by its cap height, as
    // the PDF sets it.
    let width = face.width_pt(mark, draft.size_pt);
    let height = draft.size_pt * face.ascender / 1000.0;
    // Rising along the diagonal from bottom left to top right (VML turns clockwise).
    let rotation = FULL_TURN_DEGREES - page_h.atan2(page_w).to_degrees();
    let channel = (draft.gray.clamp(0.0, 1.0) * CHANNEL_MAX).round() as u8;
    let colour = format!("#{channel:02X}{channel:02X}{channel:02X}");
    let style = format!(
        "position:absolute;margin-left:0;margin-top:0;width:{width:.1}pt;height:{height:.1}pt;rotation:{rotation:.1};z-index:{BEHIND_TEXT_Z_INDEX};mso-position-horizontal:center;mso-position-horizontal-relative:page;mso-position-vertical:center;mso-position-vertical-relative:page"
    );
    let text_style = format!(
        "font-family:\"{}\";font-size:1pt;font-weight:bold",
        setup.docx_font_family
    );
    let esc = |s: &str| quick_xml::escape::escape(s).into_owned();
    format!(
        r##"<w:r xmlns:w="{W_NS}" xmlns:v="{VML_NS}" xmlns:o="{OFFICE_NS}" xmlns:w10="{WORD_VML_NS}"><w:rPr><w:noProof/></w:rPr><w:pict>{TEXT_SHAPE_TYPE}<v:shape id="{SHAPE_NAME_PREFIX}{index}" o:spid="_x0000_s{spid}" type="#_x0000_t136" style="{style}" o:allowincell="f" fillcolor="{colour}" stroked="f"><v:textpath style="{text_style}" string="{mark}"/><w10:wrap anchorx="page" anchory="page"/></v:shape></w:pict></w:r>"##,
        spid = SHAPE_ID_BASE + index,
        style = esc(&style),
        text_style = esc(&text_style),
        mark = esc(mark),
    )
}

/// The z-order Word gives a watermark: far behind the text.
const BEHIND_TEXT_Z_INDEX: i64 = -251_657_216;
/// Word numbers the shapes of headers from 2049 (`_x0000_s2049`); any unique number will do.
const SHAPE_ID_BASE: usize = 2049;

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_mark_is_escaped_numbered_and_turned_along_the_diagonal() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let p = crate::load_project(&root.join("cards"), &root.join("templates/lisa.toml"))
            .expect("the bundled project loads");
        let options = crate::document::BuildOptions::default();
        let whole = crate::document::Selection::WholeAnnex;
        let doc = crate::document::build(&p.source, &p.template, &options, whole);
        let context = RenderContext {
            fonts: &p.fonts,
            icc_profile: &p.icc_profile,
            timestamp: 0,
            producer: "test",
        };
        let run = watermark_run("A & <B>", 3, &doc.setup, &context);
        assert!(
            super::super::super::ooxml::XmlPart::parse(run.as_bytes()).is_ok(),
            "well-formed"
        );
        assert!(run.contains(r#"string="A &amp; &lt;B&gt;""#), "{run}");
        // A4 landscape: the diagonal rises atan(210/297) = 35.3°, i.e. 324.7° clockwise.
        assert!(run.contains("rotation:324.7;"), "{run}");
        assert!(run.contains(r#"id="PowerPlusWaterMarkObject3""#));
        assert!(run.contains(r#"o:spid="_x0000_s2052""#));
        assert!(run.contains(r##"fillcolor="#D9D9D9""##), "grey 0.85");
    }
}
