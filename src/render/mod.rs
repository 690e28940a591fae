//! Renderers: each draws a [`Document`] in one file format. They decide nothing about
//! content and never read the template: page geometry, sizes and names come from the
//! document's setup, the fonts and the colour profile from the [`RenderContext`].

pub mod archive;
pub mod content_stream;
pub mod deflate;
pub mod docx;
pub mod font_kit;
pub mod font_program;
pub mod ooxml;
pub mod pdf;
pub mod pdf_file;
pub mod pdfa;
pub mod shared_bodies;
pub mod tagging;

use crate::document::Document;
use crate::icc::IccProfile;
use crate::layout::fonts::Fonts;

/// What every renderer may read besides the document.
#[derive(Debug, Clone, Copy)]
pub struct RenderContext<'a> {
    pub fonts: &'a Fonts,
    /// The PDF/A output intent's colour profile, checked when the project loaded.
    pub icc_profile: &'a IccProfile,
    /// Seconds since 1970 used for every date written into the file (reproducible output).
    pub timestamp: i64,
    /// "rollikaart X.Y.Z", written as the producer / application.
    pub producer: &'a str,
}

/// A renderer failed; the message says why. Not the user's fault unless it says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RenderError {}

/// One output format.
pub trait Renderer: Sync {
    /// The file extension without a dot, e.g. `pdf`.
    fn extension(&self) -> &'static str;
    /// The file's bytes.
    fn render(
        &self,
        document: &Document,
        context: &RenderContext<'_>,
    ) -> Result<Vec<u8>, RenderError>;
}
