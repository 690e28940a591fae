//! The markup of the combined annex's pages, shared with the cards' own files of a build.
//!
//! A card's own DOCX shows one page of the combined annex under the same setup, so its
//! page's blocks are the same markup; building them with docx-rs and the post pass's edits
//! of them are most of what a page costs. Whichever file of the build edits a page first
//! keeps a copy here, and the other takes it and only numbers its paragraph ids again
//! ([`super::package::PageMarkup::Shared`]). Each page is wanted by two files (the annex and
//! one card), so a taken copy is not kept again, and at most [`KEPT_BYTES`] are kept at once
//! (a 1,000-card annex's pages take about 7 MB): memory stays bounded at any size, and a
//! page beyond that is simply made twice.

use super::package::PageMarkup;
use crate::document::{Document, Page, PageKind};
use crate::render::ooxml::OoxmlError;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// The most page markup kept at once, in bytes.
const KEPT_BYTES: usize = 16 << 20;

/// What a page's slot holds.
enum Slot {
    /// Nobody made this page yet.
    Open,
    /// Made once, with no room to keep a copy: the other file makes it again.
    Made,
    /// The copy kept by the file that made it first.
    Kept(Vec<u8>),
    /// The copy was taken: the page's two files have it.
    Taken,
}

/// The annex's pages and their kept markup.
pub(super) struct SharedPages<'a> {
    annex: &'a Document,
    /// The annex's page of each kind (a card's order number is unique in a build).
    by_kind: HashMap<&'a PageKind, usize>,
    slots: Vec<Mutex<Slot>>,
    kept_bytes: AtomicUsize,
}

impl<'a> SharedPages<'a> {
    pub(super) fn of(annex: &'a Document) -> SharedPages<'a> {
        SharedPages {
            annex,
            by_kind: annex
                .pages
                .iter()
                .enumerate()
                .map(|(index, page)| (&page.kind, index))
                .collect(),
            slots: annex.pages.iter().map(|_| Mutex::new(Slot::Open)).collect(),
            kept_bytes: AtomicUsize::new(0),
        }
    }

    /// Whether `document`'s pages are drawn and edited as the annex's are: the same setup
    /// (the markup of a page depends on nothing else) and neither with tracked changes, whose
    /// ids run through each file as paragraph ids do.
    pub(super) fn serves(&self, document: &Document) -> bool {
        document.setup == self.annex.setup
            && document.meta.revision.is_none()
            && self.annex.meta.revision.is_none()
    }

    /// The edited markup of `page` of a document this serves: the copy another file kept,
    /// else `make()`'s, kept for the other file if there is room.
    pub(super) fn markup(
        &self,
        page: &Page,
        make: impl FnOnce() -> Result<Vec<u8>, OoxmlError>,
    ) -> Result<PageMarkup, OoxmlError> {
        let Some(slot) = self
            .by_kind
            .get(&page.kind)
            .filter(|index| self.annex.pages.get(**index) == Some(page))
            .and_then(|index| self.slots.get(*index))
        else {
            return make().map(PageMarkup::Edited);
        };
        let lock = || slot.lock().unwrap_or_else(PoisonError::into_inner);
        {
            let mut held = lock();
            match std::mem::replace(&mut *held, Slot::Taken) {
                Slot::Kept(markup) => {
                    self.kept_bytes.fetch_sub(markup.len(), Ordering::Relaxed);
                    return Ok(PageMarkup::Shared(markup));
                }
                other => *held = other,
            }
        }
        let markup = make()?;
        let mut held = lock();
        if matches!(*held, Slot::Open) {
            *held = if self.room_for(markup.len()) {
                Slot::Kept(markup.clone())
            } else {
                Slot::Made
            };
        }
        Ok(PageMarkup::Edited(markup))
    }

    /// Reserves `bytes` of the budget if they fit.
    fn room_for(&self, bytes: usize) -> bool {
        self.kept_bytes
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |kept| {
                kept.checked_add(bytes).filter(|total| *total <= KEPT_BYTES)
            })
            .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{BuildOptions, Selection};
    use crate::render::docx::Docx;
    use crate::render::{RenderContext, Renderer};
    use std::cell::Cell;

    fn bundled() -> crate::Project {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        crate::load_project(&root.join("cards"), &root.join("templates/lisa.toml"))
            .unwrap_or_else(|d| panic!("{}", d.render(false)))
    }

    fn build(project: &crate::Project, selection: Selection<'_>) -> Document {
        crate::document::build(
            &project.source,
            &project.template,
            &BuildOptions::default(),
            selection,
        )
    }

    #[test]
    fn a_page_is_made_once_for_the_annex_and_its_card_and_not_kept_after() {
        let project = bundled();
        let annex = build(&project, Selection::WholeAnnex);
        let card = build(&project, Selection::OneCard(&project.source.cards[2]));
        let shared = SharedPages::of(&annex);
        assert!(shared.serves(&card));
        let made = Cell::new(0);
        let make = |text: &str| {
            made.set(made.get() + 1);
            Ok(text.as_bytes().to_vec())
        };
        let from_annex = shared.markup(&annex.pages[2], || make("page 3"));
        let from_card = shared.markup(&card.pages[0], || make("again"));
        assert_eq!(from_annex, Ok(PageMarkup::Edited(b"page 3".to_vec())));
        assert_eq!(from_card, Ok(PageMarkup::Shared(b"page 3".to_vec())));
        assert_eq!(made.get(), 1);
        assert_eq!(
            shared.kept_bytes.load(Ordering::Relaxed),
            0,
            "the taken copy is freed"
        );
        assert_eq!(
            shared.markup(&card.pages[0], || make("third")),
            Ok(PageMarkup::Edited(b"third".to_vec()))
        );
        assert_eq!(made.get(), 2, "a third use makes it again");
    }

    #[test]
    fn an_edited_page_or_another_setup_is_not_served_from_the_annex() {
        let project = bundled();
        let annex = build(&project, Selection::WholeAnnex);
        let shared = SharedPages::of(&annex);
        shared
            .markup(&annex.pages[0], || Ok(b"annex".to_vec()))
            .unwrap();
        let mut card = build(&project, Selection::OneCard(&project.source.cards[0]));
        card.pages[0].blocks.pop();
        assert_eq!(
            shared.markup(&card.pages[0], || Ok(b"edited".to_vec())),
            Ok(PageMarkup::Edited(b"edited".to_vec()))
        );
        let mut revised = card.clone();
        card.setup.border_pt += 1.0;
        assert!(!shared.serves(&card));
        revised.meta.revision = Some(crate::document::Revision {
            author: "SKA".to_string(),
            timestamp: 0,
        });
        assert!(!shared.serves(&revised), "tracked changes");
    }

    #[test]
    fn no_more_than_the_budget_is_kept() {
        let project = bundled();
        let annex = build(&project, Selection::WholeAnnex);
        let shared = SharedPages::of(&annex);
        let big = KEPT_BYTES / 2 + 1;
        shared.markup(&annex.pages[0], || Ok(vec![0; big])).unwrap();
        shared.markup(&annex.pages[1], || Ok(vec![1; big])).unwrap();
        assert_eq!(shared.kept_bytes.load(Ordering::Relaxed), big);
        let card = build(&project, Selection::OneCard(&project.source.cards[1]));
        assert_eq!(
            shared.markup(&card.pages[0], || Ok(vec![2; 1])),
            Ok(PageMarkup::Edited(vec![2; 1])),
            "not kept, made"
        );
        assert_eq!(shared.kept_bytes.load(Ordering::Relaxed), big);
    }

    /// The point of it all: a card's file is byte for byte the one a renderer of its own
    /// makes, whether the annex's file was made before it or after.
    #[test]
    fn a_card_file_is_the_same_with_shared_pages() {
        let project = bundled();
        let annex = build(&project, Selection::WholeAnnex);
        let context = RenderContext {
            fonts: &project.fonts,
            icc_profile: &project.icc_profile,
            timestamp: crate::export::FALLBACK_TIMESTAMP,
            producer: "test",
        };
        let alone = Docx::default();
        let sharing = Docx::sharing_pages_with(&annex);
        let first_card = build(&project, Selection::OneCard(&project.source.cards[0]));
        let card_first = sharing.render(&first_card, &context).unwrap();
        let annex_file = sharing.render(&annex, &context).unwrap();
        assert_eq!(card_first, alone.render(&first_card, &context).unwrap());
        assert_eq!(annex_file, alone.render(&annex, &context).unwrap());
        for card in &project.source.cards[1..] {
            let doc = build(&project, Selection::OneCard(card));
            assert_eq!(
                sharing.render(&doc, &context).unwrap(),
                alone.render(&doc, &context).unwrap(),
                "{}",
                card.title
            );
        }
        let Some(shared) = &sharing.shared_pages else {
            panic!("no shared pages");
        };
        for (page, slot) in annex.pages.iter().zip(&shared.slots) {
            let kept = matches!(*slot.lock().unwrap(), Slot::Kept(_));
            let in_a_card_file = matches!(page.kind, PageKind::Card { .. });
            assert_eq!(
                kept, !in_a_card_file,
                "{}: kept only if no card's file took it",
                page.bookmark
            );
        }
    }
}
