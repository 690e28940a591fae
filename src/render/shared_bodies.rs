//! The sheet bodies that the combined annex and the card files share. A card's page is a
//! page of the annex; where the card's file lays its pages out as the annex does (the same
//! [`PageFrame`]: setup, header band and content room), each of its sheets' bodies (all but
//! the header band, see [`crate::layout::page::Sheet::band`]) is the same content stream in
//! both files. So it is laid out, drawn and compressed by whichever of the two files comes to
//! it first and kept for the other, which takes it. Both draw it when they come to it at
//! the same moment, and a file drawn again draws it again: the bytes are the same either
//! way. A body is held from the first file until the second takes it, or until the build's
//! renderer is dropped when no other file takes it (a card's file drawn with fonts of its
//! own).

use super::pdfa::PageContent;
use super::tagging::PageMarks;
use crate::document::{Document, Page, PageKind};
use crate::layout::fonts::Fonts;
use crate::layout::page::{PageFrame, content_room_pt};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

/// A sheet's body as drawn: its content stream and what each of its MCIDs belongs to.
#[derive(Debug, Clone)]
pub struct Body {
    pub content: Arc<PageContent>,
    pub marks: PageMarks,
}

/// The bodies of one annex page's sheets.
enum Slot {
    /// Not drawn yet.
    Empty,
    /// Drawn by one file, kept for the other.
    Drawn(Vec<Body>),
    /// Both files have them.
    Taken,
}

/// The bodies of the combined annex's pages, page by page.
pub struct SharedBodies {
    annex: Arc<Document>,
    /// The annex's [`content_room_pt`], worked out on first use.
    annex_room: OnceLock<f32>,
    /// Where each page of the annex stands, by its outline entry.
    by_outline: HashMap<String, usize>,
    slots: Vec<Mutex<Slot>>,
}

impl SharedBodies {
    pub fn new(annex: Arc<Document>) -> SharedBodies {
        let by_outline = annex
            .pages
            .iter()
            .enumerate()
            .map(|(at, page)| (page.outline_entry.clone(), at))
            .collect();
        let slots = annex
            .pages
            .iter()
            .map(|_| Mutex::new(Slot::Empty))
            .collect();
        SharedBodies {
            annex,
            annex_room: OnceLock::new(),
            by_outline,
            slots,
        }
    }

    /// Whether `document` lays its pages out as the annex does: the same [`PageFrame`].
    pub fn lays_out_as_annex(&self, document: &Document, fonts: &Fonts) -> bool {
        let annex_room = *self
            .annex_room
            .get_or_init(|| content_room_pt(&self.annex, fonts));
        PageFrame::of(document, fonts) == PageFrame::with_room(&self.annex, annex_room)
    }

    /// The annex card page that `page` is, if there is one (of a document that
    /// [`lays_out_as_annex`](Self::lays_out_as_annex)). The glossary page is in no other
    /// file, so it is never kept.
    pub fn place(&self, page: &Page) -> Option<usize> {
        if !matches!(page.kind, PageKind::Card { .. }) {
            return None;
        }
        let &at = self.by_outline.get(&page.outline_entry)?;
        (self.annex.pages.get(at)? == page).then_some(at)
    }

    /// The bodies of annex page `at` if the other file drew them, for document page `index`.
    pub fn take(&self, at: usize, index: usize) -> Option<Vec<Body>> {
        let mut slot = self
            .slots
            .get(at)?
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let bodies = match std::mem::replace(&mut *slot, Slot::Taken) {
            Slot::Drawn(bodies) => bodies,
            other => {
                *slot = other;
                return None;
            }
        };
        let on_page = |body: Body| Body {
            marks: body.marks.on_page(index),
            content: body.content,
        };
        Some(bodies.into_iter().map(on_page).collect())
    }

    /// Keeps the bodies of annex page `at`, just drawn, for the other file; when it has drawn
    /// them meanwhile as well, neither needs them any more.
    pub fn keep(&self, at: usize, bodies: &[Body]) {
        let Some(slot) = self.slots.get(at) else {
            return;
        };
        let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
        *slot = match &*slot {
            Slot::Empty => Slot::Drawn(bodies.to_vec()),
            Slot::Drawn(_) | Slot::Taken => Slot::Taken,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{BuildOptions, Selection, build};
    use crate::render::pdf::Pdf;
    use crate::render::{RenderContext, Renderer};

    fn context(p: &crate::Project) -> RenderContext<'_> {
        RenderContext {
            fonts: &p.fonts,
            icc_profile: &p.icc_profile,
            timestamp: 0,
            producer: "test",
        }
    }

    /// The combined annex of `p`, built with `options`.
    fn annex_of(p: &crate::Project, options: &BuildOptions) -> Arc<Document> {
        Arc::new(build(
            &p.source,
            &p.template,
            options,
            Selection::WholeAnnex,
        ))
    }

    /// The content streams of sheet `sheet` (from 1) of the PDF in `bytes`: its band's and
    /// its body's, as stored.
    fn sheet_streams(bytes: &[u8], sheet: u32) -> (Vec<u8>, Vec<u8>) {
        let doc = lopdf::Document::load_mem(bytes).unwrap();
        let page = doc.get_pages()[&sheet];
        let contents = doc
            .get_dictionary(page)
            .unwrap()
            .get(b"Contents")
            .unwrap()
            .as_array()
            .unwrap()
            .clone();
        let stream = |object: &lopdf::Object| {
            let id = object.as_reference().unwrap();
            doc.get_object(id)
                .unwrap()
                .as_stream()
                .unwrap()
                .content
                .clone()
        };
        assert_eq!(
            contents.len(),
            2,
            "a sheet is drawn as its band and its body"
        );
        (stream(&contents[0]), stream(&contents[1]))
    }

    /// A card's file and the combined annex are the same bytes whichever of them drew the
    /// card's sheet body, and whether the body was shared at all (the same card rendered
    /// again after the annex took its body draws it anew); the card's body is the annex page's stream, its band
    /// not (real content in the card's file, a repeat in the annex).
    #[test]
    fn a_shared_body_gives_the_bytes_of_one_drawn_for_the_file() {
        let mut p = crate::bundled_project();
        bodies_are_shared_unchanged(&p, 1);
        // Titles too tall for one sheet: every card page takes several.
        p.template.sizes.title_pt = 400.0;
        bodies_are_shared_unchanged(&p, 2);
    }

    /// The checks of [`a_shared_body_gives_the_bytes_of_one_drawn_for_the_file`] for
    /// project `p`, whose card pages take at least `sheets` sheets each.
    fn bodies_are_shared_unchanged(p: &crate::Project, sheets: usize) {
        let context = context(p);
        let options = BuildOptions::default();
        let annex = annex_of(p, &options);
        let card_index = 2;
        let card = build(
            &p.source,
            &p.template,
            &options,
            Selection::OneCard(&p.source.cards[card_index]),
        );
        let annex_first = Pdf::sharing_with(&annex);
        let annex_then = annex_first.render(&annex, &context).unwrap();
        let card_taken = annex_first.render(&card, &context).unwrap();
        let card_first = Pdf::sharing_with(&annex);
        let card_drawn = card_first.render(&card, &context).unwrap();
        let annex_taken = card_first.render(&annex, &context).unwrap();
        let card_again = card_first.render(&card, &context).unwrap();
        assert!(card_taken == card_drawn, "the card's file");
        assert!(card_again == card_drawn, "the card's file rendered again");
        assert!(annex_taken == annex_then, "the combined annex");

        let sheets_of_card = lopdf::Document::load_mem(&card_drawn)
            .unwrap()
            .get_pages()
            .len();
        assert!(sheets_of_card >= sheets, "{sheets_of_card} sheets");
        let laid_out = crate::layout::page::layout(&annex, &p.fonts);
        let first_in_annex = laid_out.sheets.iter().position(|s| s.page == card_index);
        let first_in_annex = first_in_annex.expect("the card's page in the annex");
        for k in 0..sheets_of_card {
            let in_annex = u32::try_from(first_in_annex + k + 1).unwrap();
            let in_card = u32::try_from(k + 1).unwrap();
            let (annex_band, annex_body) = sheet_streams(&annex_then, in_annex);
            let (card_band, card_body) = sheet_streams(&card_drawn, in_card);
            assert_eq!(
                annex_body, card_body,
                "sheet {k}: the body is the annex page's stream"
            );
            if k == 0 {
                assert_ne!(annex_band, card_band, "the band is marked for its file");
            } else {
                assert_eq!(
                    annex_band, card_band,
                    "a further sheet's band is a repeat in both"
                );
            }
        }
    }

    /// A body is handed on once, to the other file, with its marks moved to that file's page;
    /// a page drawn by both is held by neither.
    #[test]
    fn a_body_goes_from_one_file_to_the_other_once() {
        use crate::document::ParagraphRole;
        use crate::layout::page::ParagraphKey;
        use crate::render::tagging::Mark;
        let p = crate::bundled_project();
        let options = BuildOptions::default();
        let annex = annex_of(&p, &options);
        let shared = SharedBodies::new(Arc::clone(&annex));
        let card = build(
            &p.source,
            &p.template,
            &options,
            Selection::OneCard(&p.source.cards[3]),
        );
        assert!(shared.lays_out_as_annex(&card, &p.fonts));
        let glossary = annex.pages.last().expect("the glossary page");
        assert_eq!(
            shared.place(glossary),
            None,
            "the glossary is in the annex alone"
        );
        assert_eq!(shared.place(&card.pages[0]), Some(3));
        let mut edited = card.pages[0].clone();
        edited.blocks.pop();
        assert_eq!(shared.place(&edited), None, "a page unlike the annex's");

        let mut marks = PageMarks::default();
        let key = ParagraphKey::Block { page: 3, block: 0 };
        marks.push(Mark {
            key,
            role: ParagraphRole::Title,
            term: false,
        });
        let body = Body {
            content: Arc::new(PageContent::compress(b"BT ET").unwrap()),
            marks,
        };
        assert!(shared.take(3, 0).is_none(), "nothing drawn yet");
        shared.keep(3, std::slice::from_ref(&body));
        let taken = shared.take(3, 0).expect("drawn by the annex");
        assert_eq!(
            taken[0].marks.marks[0].key,
            ParagraphKey::Block { page: 0, block: 0 }
        );
        assert!(shared.take(3, 0).is_none(), "taken once");
        shared.keep(3, std::slice::from_ref(&body));
        assert!(shared.take(3, 0).is_none(), "both files had it");

        shared.keep(4, std::slice::from_ref(&body));
        shared.keep(4, std::slice::from_ref(&body));
        assert!(
            shared.take(4, 0).is_none(),
            "drawn by both: held by neither"
        );
    }

    /// A card's page that the annex lays out otherwise shares nothing: with a glossary title
    /// taller than any card's text, the annex has more room to repeat a card's title on a
    /// further sheet, so some card pages take other sheets there than alone. Such a card's
    /// file is the same bytes whether the annex was drawn before it or not, with the sheets
    /// of its own layout.
    #[test]
    fn a_card_laid_out_otherwise_than_in_the_annex_shares_nothing() {
        let mut p = crate::bundled_project();
        p.template.sizes.title_pt = 78.0;
        p.template.sizes.glossary_title_pt = 100.0;
        let context = context(&p);
        let options = BuildOptions::default();
        let annex = annex_of(&p, &options);
        let in_annex = crate::layout::page::layout(&annex, &p.fonts);
        let mut differing = 0;
        for (index, card) in p.source.cards.iter().enumerate() {
            let doc = build(&p.source, &p.template, &options, Selection::OneCard(card));
            assert!(!SharedBodies::new(Arc::clone(&annex)).lays_out_as_annex(&doc, &p.fonts));
            let alone = crate::layout::page::layout(&doc, &p.fonts).sheets.len();
            if in_annex.sheets.iter().filter(|s| s.page == index).count() == alone {
                continue;
            }
            differing += 1;
            let annex_first = Pdf::sharing_with(&annex);
            annex_first.render(&annex, &context).unwrap();
            let after_annex = annex_first.render(&doc, &context).unwrap();
            let first = Pdf::sharing_with(&annex).render(&doc, &context).unwrap();
            assert!(after_annex == first, "card {index}");
            let sheets = lopdf::Document::load_mem(&first).unwrap().get_pages().len();
            assert_eq!(sheets, alone, "card {index}: the sheets of its own layout");
        }
        assert!(
            differing > 0,
            "some card page takes other sheets in the annex"
        );
    }
}
