//! Text layout for the PDF: fonts and metrics, line breaking, hyphenation, and placing the
//! document's pages, rows and cells on paper. The DOCX leaves this to the word processor.

pub mod fit;
pub mod fonts;
pub mod hyphenate;
pub mod page;
pub mod wrap;
