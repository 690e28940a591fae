//! What `rollikaart diff` prints: a short summary for people, or the same as JSON.

use super::{AnnexDiff, CardDiff, CardSide, EntryDiff, FieldDiff, Op, Status};
use crate::tr;
use serde::Serialize;

/// The summary as lines of text, one change a line, in the interface language (the texts
/// are the `diff-*` messages of `src/locales/*/cli.ftl`); "no changes" when there are none.
pub fn text(diff: &AnnexDiff) -> String {
    let mut lines = Vec::new();
    if !diff.has_changes() {
        lines.push(tr!(
            "diff-no-changes",
            cards = diff.cards.len(),
            entries = diff.glossary.entries.len()
        ));
        return with_newlines(&lines);
    }
    let annex: Vec<String> = diff
        .annex
        .all()
        .into_iter()
        .filter_map(field_note)
        .collect();
    if !annex.is_empty() {
        lines.push(tr!("diff-annex", notes = annex.join(", ")));
    }
    card_lines(&mut lines, diff);
    glossary_lines(&mut lines, diff);
    with_newlines(&lines)
}

fn with_newlines(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

/// `07 peadirektori-nounik`: the order number (two digits) and the id.
fn card_label(side: &CardSide) -> String {
    format!("{:02} {}", side.order, side.id)
}

fn card_lines(lines: &mut Vec<String>, diff: &AnnexDiff) {
    let count = |f: &dyn Fn(&CardDiff) -> bool| diff.cards.iter().filter(|c| f(c)).count();
    let added = |c: &CardDiff| c.status == Status::Added;
    let removed = |c: &CardDiff| c.status == Status::Removed;
    let renamed = |c: &CardDiff| c.renamed;
    let moved = |c: &CardDiff| c.moved;
    let changed = |c: &CardDiff| c.status == Status::Changed;
    lines.push(tr!(
        "diff-cards",
        added = count(&added),
        removed = count(&removed),
        renamed = count(&renamed),
        moved = count(&moved),
        changed = count(&changed)
    ));
    for c in &diff.cards {
        if let (true, Some(new)) = (added(c), &c.new) {
            lines.push(tr!(
                "diff-card-added",
                card = card_label(new),
                title = new.title.as_str()
            ));
        }
        if let (true, Some(old)) = (removed(c), &c.old) {
            lines.push(tr!(
                "diff-card-removed",
                card = card_label(old),
                title = old.title.as_str()
            ));
        }
    }
    for c in diff.cards.iter().filter(|c| c.renamed) {
        if let (Some(old), Some(new)) = (&c.old, &c.new) {
            lines.push(tr!(
                "diff-card-renamed",
                order = format!("{:02}", new.order),
                old = old.id.as_str(),
                new = new.id.as_str(),
                title = new.title.as_str()
            ));
        }
    }
    for c in diff.cards.iter().filter(|c| c.moved) {
        if let (Some(old), Some(new)) = (&c.old, &c.new) {
            lines.push(tr!(
                "diff-card-moved",
                card = card_label(new),
                from = old.position,
                to = new.position
            ));
        }
    }
    for c in diff.cards.iter().filter(|c| changed(c)) {
        if let Some(new) = &c.new {
            let notes: Vec<String> = c.fields.all().filter_map(field_note).collect();
            lines.push(tr!(
                "diff-card-changed",
                card = card_label(new),
                notes = notes.join(", ")
            ));
        }
    }
}

fn glossary_lines(lines: &mut Vec<String>, diff: &AnnexDiff) {
    let g = &diff.glossary;
    let count = |s: Status| g.entries.iter().filter(|e| e.status == s).count();
    let moved = g.entries.iter().filter(|e| e.moved).count();
    lines.push(tr!(
        "diff-glossary",
        added = count(Status::Added),
        removed = count(Status::Removed),
        moved = moved,
        changed = count(Status::Changed)
    ));
    if let Some(note) = field_note(&g.title) {
        lines.push(tr!("diff-glossary-title", note = note));
    }
    let line = |e: &EntryDiff| -> Option<String> {
        match e.status {
            Status::Added => Some(tr!("diff-entry-added", term = e.term.as_str())),
            Status::Removed => Some(tr!("diff-entry-removed", term = e.term.as_str())),
            Status::Changed | Status::Unchanged => None,
        }
    };
    lines.extend(g.entries.iter().filter_map(line));
    for e in g.entries.iter().filter(|e| e.moved) {
        if let (Some(from), Some(to)) = (e.old_position, e.new_position) {
            lines.push(tr!(
                "diff-entry-moved",
                term = e.term.as_str(),
                from = from,
                to = to
            ));
        }
    }
    for e in g.entries.iter().filter(|e| e.status == Status::Changed) {
        let notes: Vec<String> = [&e.separator, &e.definition]
            .into_iter()
            .filter_map(field_note)
            .collect();
        lines.push(tr!(
            "diff-entry-changed",
            term = e.term.as_str(),
            notes = notes.join(", ")
        ));
    }
}

/// `roles (+3 −1 words)`, `why (+12 −0 words, +1 −0 paragraphs)`, or `separator (changed)`
/// when no word and no paragraph changed (punctuation or spaces only); `None` when the field
/// is the same. The field name is the card file's key, not translated.
fn field_note(field: &FieldDiff) -> Option<String> {
    if !field.changed() {
        return None;
    }
    let s = field.stats();
    let mut parts = Vec::new();
    if s.words_inserted + s.words_deleted > 0 {
        parts.push(tr!(
            "diff-words",
            inserted = s.words_inserted,
            deleted = s.words_deleted
        ));
    }
    if s.paragraphs_inserted + s.paragraphs_deleted > 0 {
        parts.push(tr!(
            "diff-paragraphs",
            inserted = s.paragraphs_inserted,
            deleted = s.paragraphs_deleted
        ));
    }
    if parts.is_empty() {
        parts.push(tr!("diff-field-changed"));
    }
    Some(tr!(
        "diff-field",
        field = field.field,
        parts = parts.join(", ")
    ))
}

// ---- JSON ----------------------------------------------------------------------------------
// The field names below are the stable interface of `rollikaart diff --json` (README,
// "Comparing two card sets"). Only what differs is listed.

#[derive(Serialize)]
struct Report<'a> {
    changed: bool,
    annex: Vec<FieldReport>,
    cards: Vec<CardReport<'a>>,
    glossary: GlossaryReport<'a>,
}

#[derive(Serialize)]
struct CardReport<'a> {
    status: Status,
    old: Option<&'a CardSide>,
    new: Option<&'a CardSide>,
    renamed: bool,
    moved: bool,
    fields: Vec<FieldReport>,
}

#[derive(Serialize)]
struct GlossaryReport<'a> {
    title: Option<FieldReport>,
    entries: Vec<EntryReport<'a>>,
}

#[derive(Serialize)]
struct EntryReport<'a> {
    status: Status,
    term: &'a str,
    old_position: Option<usize>,
    new_position: Option<usize>,
    moved: bool,
    fields: Vec<FieldReport>,
}

#[derive(Serialize)]
struct FieldReport {
    field: &'static str,
    words_inserted: usize,
    words_deleted: usize,
    paragraphs_inserted: usize,
    paragraphs_deleted: usize,
    runs: Vec<RunReport>,
}

#[derive(Serialize)]
struct RunReport {
    op: Op,
    text: String,
}

fn field_report(field: &FieldDiff) -> Option<FieldReport> {
    if !field.changed() {
        return None;
    }
    let s = field.stats();
    Some(FieldReport {
        field: field.field,
        words_inserted: s.words_inserted,
        words_deleted: s.words_deleted,
        paragraphs_inserted: s.paragraphs_inserted,
        paragraphs_deleted: s.paragraphs_deleted,
        runs: field
            .runs
            .iter()
            .map(|r| RunReport {
                op: r.op,
                text: r.text(),
            })
            .collect(),
    })
}

/// The changes as pretty-printed JSON.
pub fn json(diff: &AnnexDiff) -> Result<String, serde_json::Error> {
    let report = Report {
        changed: diff.has_changes(),
        annex: diff
            .annex
            .all()
            .into_iter()
            .filter_map(field_report)
            .collect(),
        cards: diff
            .cards
            .iter()
            .filter(|c| c.differs())
            .map(|c| CardReport {
                status: c.status,
                old: c.old.as_ref(),
                new: c.new.as_ref(),
                renamed: c.renamed,
                moved: c.moved,
                fields: match c.status {
                    // A whole card added or removed: its text is the card file's.
                    Status::Added | Status::Removed => Vec::new(),
                    Status::Changed | Status::Unchanged => {
                        c.fields.all().filter_map(field_report).collect()
                    }
                },
            })
            .collect(),
        glossary: GlossaryReport {
            title: field_report(&diff.glossary.title),
            entries: diff
                .glossary
                .entries
                .iter()
                .filter(|e| e.status != Status::Unchanged || e.moved)
                .map(|e| EntryReport {
                    status: e.status,
                    term: &e.term,
                    old_position: e.old_position,
                    new_position: e.new_position,
                    moved: e.moved,
                    fields: match e.status {
                        Status::Added | Status::Removed => Vec::new(),
                        Status::Changed | Status::Unchanged => [&e.separator, &e.definition]
                            .into_iter()
                            .filter_map(field_report)
                            .collect(),
                    },
                })
                .collect(),
        },
    };
    serde_json::to_string_pretty(&report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Text;

    fn note(old: &str, new: &str) -> Option<String> {
        field_note(&FieldDiff::compare(
            "roles",
            &Text::parse(old),
            &Text::parse(new),
        ))
    }

    #[test]
    fn field_notes_count_words_and_paragraphs() {
        assert_eq!(note("üks kaks", "üks kaks"), None);
        assert_eq!(
            note("üks kaks", "üks kolm neli"),
            Some("roles (+2 −1 words)".into())
        );
        assert_eq!(
            note("üks kaks", "üks\n\nkaks"),
            Some("roles (+1 −0 paragraphs)".into())
        );
        assert_eq!(
            note("üks, kaks", "üks; kaks"),
            Some("roles (changed)".into())
        );
    }
}
