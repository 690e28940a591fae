//! What `rollikaart diff` prints: a short summary for people, or the same as JSON.

use super::{AnnexDiff, CardDiff, CardSide, EntryDiff, FieldDiff, Op, Status};
use serde::Serialize;
use std::fmt::Write;

/// The minus sign of the word counts, "+3 −1 words".
const MINUS: char = '\u{2212}';

/// The summary as lines of text, one change a line; "no changes" when there are none.
pub fn text(diff: &AnnexDiff) -> String {
    let mut out = String::new();
    if !diff.has_changes() {
        let _ = writeln!(
            out,
            "no changes: {} cards and a glossary of {} entries, the same in both",
            diff.cards.len(),
            diff.glossary.entries.len()
        );
        return out;
    }
    let annex: Vec<String> = diff
        .annex
        .all()
        .into_iter()
        .filter_map(field_note)
        .collect();
    if !annex.is_empty() {
        let _ = writeln!(out, "annex (lisa.toml): {}", annex.join(", "));
    }
    card_lines(&mut out, diff);
    glossary_lines(&mut out, diff);
    out
}

fn card_label(side: &CardSide) -> String {
    format!("{:02} {}", side.order, side.id)
}

fn card_lines(out: &mut String, diff: &AnnexDiff) {
    let count = |f: &dyn Fn(&CardDiff) -> bool| diff.cards.iter().filter(|c| f(c)).count();
    let added = |c: &CardDiff| c.status == Status::Added;
    let removed = |c: &CardDiff| c.status == Status::Removed;
    let renamed = |c: &CardDiff| c.renamed;
    let moved = |c: &CardDiff| c.moved;
    let changed = |c: &CardDiff| c.status == Status::Changed;
    let _ = writeln!(
        out,
        "cards: {} added, {} removed, {} renamed, {} moved, {} changed",
        count(&added),
        count(&removed),
        count(&renamed),
        count(&moved),
        count(&changed)
    );
    for c in &diff.cards {
        if let (true, Some(new)) = (added(c), &c.new) {
            let _ = writeln!(out, "  added    {}: {}", card_label(new), new.title);
        }
        if let (true, Some(old)) = (removed(c), &c.old) {
            let _ = writeln!(out, "  removed  {}: {}", card_label(old), old.title);
        }
    }
    for c in diff.cards.iter().filter(|c| c.renamed) {
        if let (Some(old), Some(new)) = (&c.old, &c.new) {
            let _ = writeln!(
                out,
                "  renamed  {:02} {} → {}: {}",
                new.order, old.id, new.id, new.title
            );
        }
    }
    for c in diff.cards.iter().filter(|c| c.moved) {
        if let (Some(old), Some(new)) = (&c.old, &c.new) {
            let _ = writeln!(
                out,
                "  moved    {}: from place {} to place {}",
                card_label(new),
                old.position,
                new.position
            );
        }
    }
    for c in diff.cards.iter().filter(|c| changed(c)) {
        if let Some(new) = &c.new {
            let notes: Vec<String> = c.fields.all().into_iter().filter_map(field_note).collect();
            let _ = writeln!(out, "  changed  {}: {}", card_label(new), notes.join(", "));
        }
    }
}

fn glossary_lines(out: &mut String, diff: &AnnexDiff) {
    let g = &diff.glossary;
    let count = |s: Status| g.entries.iter().filter(|e| e.status == s).count();
    let moved = g.entries.iter().filter(|e| e.moved).count();
    let _ = writeln!(
        out,
        "glossary: {} added, {} removed, {} moved, {} changed",
        count(Status::Added),
        count(Status::Removed),
        moved,
        count(Status::Changed)
    );
    if let Some(note) = field_note(&g.title) {
        let _ = writeln!(out, "  changed  the glossary {note}");
    }
    let line = |e: &EntryDiff| -> Option<String> {
        match e.status {
            Status::Added => Some(format!("  added    \"{}\"", e.term)),
            Status::Removed => Some(format!("  removed  \"{}\"", e.term)),
            Status::Changed | Status::Unchanged => None,
        }
    };
    for l in g.entries.iter().filter_map(line) {
        let _ = writeln!(out, "{l}");
    }
    for e in g.entries.iter().filter(|e| e.moved) {
        if let (Some(from), Some(to)) = (e.old_position, e.new_position) {
            let _ = writeln!(
                out,
                "  moved    \"{}\": from place {from} to place {to}",
                e.term
            );
        }
    }
    for e in g.entries.iter().filter(|e| e.status == Status::Changed) {
        let notes: Vec<String> = [&e.separator, &e.definition]
            .into_iter()
            .filter_map(field_note)
            .collect();
        let _ = writeln!(out, "  changed  \"{}\": {}", e.term, notes.join(", "));
    }
}

/// `roles (+3 −1 words)`, `why (+12 −0 words, +1 −0 paragraphs)`, or `separator (changed)`
/// when no word and no paragraph changed (punctuation or spaces only); `None` when the field
/// is the same.
fn field_note(field: &FieldDiff) -> Option<String> {
    if !field.changed() {
        return None;
    }
    let s = field.stats();
    let mut parts = Vec::new();
    if s.words_inserted + s.words_deleted > 0 {
        parts.push(format!(
            "+{} {MINUS}{} words",
            s.words_inserted, s.words_deleted
        ));
    }
    if s.paragraphs_inserted + s.paragraphs_deleted > 0 {
        parts.push(format!(
            "+{} {MINUS}{} paragraphs",
            s.paragraphs_inserted, s.paragraphs_deleted
        ));
    }
    if parts.is_empty() {
        parts.push("changed".into());
    }
    Some(format!("{} ({})", field.field, parts.join(", ")))
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
                    Status::Changed | Status::Unchanged => c
                        .fields
                        .all()
                        .into_iter()
                        .filter_map(field_report)
                        .collect(),
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
