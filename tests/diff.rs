//! `rollikaart diff` through the real binary, and the redline model: accepting every change
//! gives the new annex's text, rejecting every change the old one's, paragraph by paragraph.

mod common;
use common::*;
use proptest::prelude::*;
use rollikaart::cards::{AnnexSource, CARD_FIELDS, Card, GlossaryEntry};
use rollikaart::diff::{self, AnnexDiff, Status, redline};
use rollikaart::document::{self, BuildOptions, Document, Selection};
use rollikaart::template::Template;
use rollikaart::text::Text;
use std::path::Path;
use std::sync::OnceLock;

fn template() -> String {
    root().join("templates/lisa.toml").display().to_string()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The bundled cards with exactly seven changes: a word replaced (07 roles), a paragraph added
/// (03 why), a card removed (12), a card added (15), a card renamed (05: id changed, title
/// the same), a glossary entry changed ("Võimestaja"), one card moved (02 to the end).
fn edited_copy() -> CardsCopy {
    let copy = CardsCopy::new();
    copy.edit(
        "07-peadirektori-nounik.toml",
        "Lõimija, võimestaja, protsesside juht",
        "Lõimija, eestvedaja, protsesside juht",
    );
    copy.edit(
        "03-juhtivspetsialist.toml",
        "iseseisvat toimetulekut ja heaolu.\n\"\"\"\n\nroles",
        "iseseisvat toimetulekut ja heaolu.\n\nUus lõik lisatud siia.\n\"\"\"\n\nroles",
    );
    std::fs::remove_file(copy.file("12-testjuht.toml")).unwrap();
    let added = std::fs::read_to_string(copy.file("14-teenuse-disainer.toml"))
        .unwrap()
        .replace("order = 14", "order = 15")
        .replace("id = \"teenuse-disainer\"", "id = \"uus-roll\"")
        .replace("title = \"TEENUSE DISAINER\"", "title = \"UUS ROLL\"");
    copy.write("15-uus-roll.toml", added.as_bytes());
    copy.edit(
        "05-teenuseomanik.toml",
        "id = \"teenuseomanik\"",
        "id = \"teenuse-omanik\"",
    );
    copy.edit(
        "sonaraamat.toml",
        "pädevuse ja oskuste sihipärane",
        "pädevuse ja teadmiste sihipärane",
    );
    copy.edit("02-talituse-juhataja.toml", "order = 2", "order = 99");
    copy
}

/// The project of [`edited_copy`] with the bundled template (the copy itself is gone once
/// loaded).
fn edited_project() -> rollikaart::Project {
    let copy = edited_copy();
    rollikaart::load_project(copy.path(), &root().join("templates/lisa.toml")).unwrap()
}

/// `rollikaart diff OLD --cards NEW` with extra arguments.
fn diff_run(old: &Path, new: &Path, extra: &[&str]) -> std::process::Output {
    let template = template();
    let mut args = vec![
        "diff",
        path(old),
        "--cards",
        path(new),
        "--template",
        &template,
    ];
    args.extend_from_slice(extra);
    run(&args)
}

const EXPECTED_SUMMARY: &str = "\
cards: 1 added, 1 removed, 1 renamed, 1 moved, 2 changed
  removed  12 testjuht: TESTJUHT
  added    15 uus-roll: UUS ROLL
  renamed  05 teenuseomanik → teenuse-omanik: TEENUSEOMANIK (IT vaates äriteenuse omanik)
  moved    99 talituse-juhataja: from place 2 to place 14
  changed  03 juhtivspetsialist: why (+4 −0 words, +1 −0 paragraphs)
  changed  07 peadirektori-nounik: roles (+1 −1 words)
glossary: 0 added, 0 removed, 0 moved, 1 changed
  changed  \"Võimestaja\": definition (+1 −1 words)
";

/// The text the seven changes delete and insert in the cards, each with its change.
const CARD_CHANGES: [(&str, document::Change); 5] = [
    ("võimestaja", document::Change::Deleted),
    ("eestvedaja", document::Change::Inserted),
    ("Uus lõik lisatud siia.", document::Change::Inserted),
    ("TESTJUHT", document::Change::Deleted),
    ("UUS ROLL", document::Change::Inserted),
];

/// The words the seven changes delete and insert in the glossary.
const GLOSSARY_CHANGES: [(&str, document::Change); 2] = [
    ("oskuste", document::Change::Deleted),
    ("teadmiste", document::Change::Inserted),
];

#[test]
fn the_summary_lists_exactly_the_seven_changes() {
    let new = edited_copy();
    let o = diff_run(&root().join("cards"), new.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), EXPECTED_SUMMARY);
    assert_eq!(stderr(&o), "");
}

#[test]
fn the_json_lists_exactly_the_seven_changes() {
    let new = edited_copy();
    let o = diff_run(&root().join("cards"), new.path(), &["--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["changed"], true);
    assert_eq!(v["annex"].as_array().unwrap().len(), 0);
    let cards = v["cards"].as_array().unwrap();
    let summary: Vec<String> = cards
        .iter()
        .map(|c| {
            let id = |side: &str| c[side]["id"].as_str().unwrap_or("-").to_string();
            let fields: Vec<String> = c["fields"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    format!(
                        "{}+{}-{}w+{}-{}p",
                        f["field"].as_str().unwrap(),
                        f["words_inserted"],
                        f["words_deleted"],
                        f["paragraphs_inserted"],
                        f["paragraphs_deleted"]
                    )
                })
                .collect();
            format!(
                "{} {}>{} renamed={} moved={} [{}]",
                c["status"].as_str().unwrap(),
                id("old"),
                id("new"),
                c["renamed"],
                c["moved"],
                fields.join(" ")
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            "unchanged talituse-juhataja>talituse-juhataja renamed=false moved=true []",
            "changed juhtivspetsialist>juhtivspetsialist renamed=false moved=false [why+4-0w+1-0p]",
            "unchanged teenuseomanik>teenuse-omanik renamed=true moved=false []",
            "changed peadirektori-nounik>peadirektori-nounik renamed=false moved=false [roles+1-1w+0-0p]",
            "removed testjuht>- renamed=false moved=false []",
            "added ->uus-roll renamed=false moved=false []",
        ]
    );
    // The runs spell the change: the old and the new word, the new paragraph.
    let runs = |i: usize| -> Vec<(String, String)> {
        cards[i]["fields"][0]["runs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["op"] != "equal")
            .map(|r| {
                (
                    r["op"].as_str().unwrap().to_string(),
                    r["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(
        runs(3),
        [
            ("deleted".to_string(), "võimestaja".to_string()),
            ("inserted".into(), "eestvedaja".into())
        ]
    );
    assert_eq!(
        runs(1),
        [(
            "inserted".to_string(),
            "\n\nUus lõik lisatud siia.".to_string()
        )]
    );
    let entries = v["glossary"]["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["term"], "Võimestaja");
    assert_eq!(entries[0]["status"], "changed");
    assert_eq!(entries[0]["fields"][0]["field"], "definition");
    assert!(v["glossary"]["title"].is_null());
}

#[test]
fn the_bundled_set_against_itself_has_no_changes() {
    let cards = root().join("cards");
    for extra in [&[][..], &["--exit-code"][..]] {
        let o = diff_run(&cards, &cards, extra);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(
            stdout(&o),
            "no changes: 14 cards and a glossary of 12 entries, the same in both\n"
        );
    }
    let o = diff_run(&cards, &cards, &["--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["changed"], false);
    assert_eq!(v["cards"].as_array().unwrap().len(), 0);
    assert_eq!(v["glossary"]["entries"].as_array().unwrap().len(), 0);
}

#[test]
fn exit_code_is_one_only_with_exit_code_and_changes() {
    let new = edited_copy();
    let cards = root().join("cards");
    assert_eq!(diff_run(&cards, new.path(), &[]).status.code(), Some(0));
    assert_eq!(
        diff_run(&cards, new.path(), &["--exit-code"]).status.code(),
        Some(1)
    );
    assert_eq!(
        diff_run(&cards, new.path(), &["--exit-code", "--json"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn problems_in_both_folders_are_located_and_nothing_is_printed() {
    let old = CardsCopy::new();
    old.edit(
        "03-juhtivspetsialist.toml",
        "id = \"juhtivspetsialist\"",
        "id = \"juhtivspetsialist",
    );
    let new = CardsCopy::new();
    new.edit("07-peadirektori-nounik.toml", "roles = ", "rolse = ");
    let o = diff_run(old.path(), new.path(), &["--exit-code"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "");
    let err = stderr(&o);
    let old_file = old.file("03-juhtivspetsialist.toml");
    let new_file = new.file("07-peadirektori-nounik.toml");
    let old_line = line_of(&old, "03-juhtivspetsialist.toml", "id = ");
    assert!(
        err.contains(&format!("{}:{old_line}:", old_file.display())),
        "{err}"
    );
    assert!(err.contains(&format!("{}:", new_file.display())), "{err}");
    assert!(err.contains("did you mean `roles`?"), "{err}");
    assert!(
        err.contains("problems found; nothing was written."),
        "{err}"
    );
}

#[test]
fn a_missing_old_folder_is_an_error() {
    let o = diff_run(
        Path::new("/nonexistent/kaardid"),
        &root().join("cards"),
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("/nonexistent/kaardid"),
        "{}",
        stderr(&o)
    );
    assert_eq!(stdout(&o), "");
}

// ---- the redline model ---------------------------------------------------------------------

fn bundled() -> &'static rollikaart::Project {
    static PROJECT: OnceLock<rollikaart::Project> = OnceLock::new();
    PROJECT.get_or_init(bundled_project)
}

/// The author and date of the tests' redlines.
fn redline_options() -> redline::RedlineOptions {
    redline::RedlineOptions {
        revision: document::Revision {
            author: "Testija".to_string(),
            timestamp: 1_700_000_000,
        },
        changed_only: false,
        compared_with: Some("vanad-kaardid/".to_string()),
    }
}

/// What the tests render with: the project's fonts and profile, a fixed time and producer.
fn context(p: &rollikaart::Project) -> rollikaart::render::RenderContext<'_> {
    rollikaart::render::RenderContext {
        fonts: &p.fonts,
        icc_profile: &p.icc_profile,
        timestamp: 1_700_000_000,
        producer: "rollikaart test",
    }
}

fn texts(doc: &Document) -> Vec<String> {
    doc.paragraphs().map(|p| p.plain_text()).collect()
}

fn whole(source: &AnnexSource) -> Document {
    let p = bundled();
    document::build(
        source,
        &p.template,
        &BuildOptions::default(),
        Selection::WholeAnnex,
    )
}

/// The changes from `old` to `new` and their redline, with `template` and the tests' author and
/// date.
fn redline_of(old: &AnnexSource, new: &AnnexSource, template: &Template) -> (AnnexDiff, Document) {
    let changes = diff::compare(old, new, &template.glossary.separator);
    let marked = redline::build(
        &changes,
        &new.annex,
        template,
        &BuildOptions::default(),
        &redline_options(),
    );
    (changes, marked)
}

/// Checks that the redline of `old` → `new` accepts to `new` and rejects to `old`.
fn assert_redline_projects(old: &AnnexSource, new: &AnnexSource) -> Result<(), TestCaseError> {
    let (_, marked) = redline_of(old, new, &bundled().template);
    prop_assert_eq!(texts(&redline::accept_all(&marked)), texts(&whole(new)));
    prop_assert_eq!(texts(&redline::reject_all(&marked)), texts(&whole(old)));
    Ok(())
}

#[test]
fn the_redline_of_the_seven_changes_accepts_to_new_and_rejects_to_old() {
    let new = edited_project().source;
    let old = &bundled().source;
    assert_redline_projects(old, &new).unwrap();
    // Deleted text is in the redline as its own runs, inserted text too.
    let (changes, marked) = redline_of(old, &new, &bundled().template);
    let runs: Vec<(&str, Option<document::Change>)> = marked
        .paragraphs()
        .flat_map(|p| p.runs.iter())
        .filter(|r| r.change.is_some())
        .map(|r| (r.text.as_str(), r.change))
        .collect();
    for (text, change) in CARD_CHANGES {
        assert!(runs.contains(&(text, Some(change))), "{change:?} {text:?}");
    }
    // The moved card: deleted where it was (second), inserted where it is (last card).
    let titles: Vec<(String, bool)> = marked
        .pages
        .iter()
        .filter_map(|p| p.paragraphs().next())
        .map(|t| (t.plain_text(), t.runs.iter().all(|r| r.change.is_some())))
        .collect();
    assert_eq!(
        titles.get(1),
        Some(&("TALITUSE JUHATAJA".to_string(), true))
    );
    let n = titles.len();
    assert_eq!(
        titles.get(n - 2),
        Some(&("TALITUSE JUHATAJA".to_string(), true))
    );
    assert_eq!(
        changes
            .cards
            .iter()
            .filter(|c| c.status == Status::Changed)
            .count(),
        2
    );
}

#[test]
fn a_plain_build_carries_no_marks() {
    let doc = whole(&bundled().source);
    assert!(
        doc.paragraphs()
            .all(|p| p.break_change.is_none() && p.runs.iter().all(|r| r.change.is_none()))
    );
}

/// Words the random edits put in.
const WORDS: [&str; 6] = ["uus", "Sõna", "2025", "täpsustatud", "ja", "(lisa)"];

/// A change to the paragraphs or words of one text.
#[derive(Debug, Clone, Copy)]
enum TextEdit {
    ReplaceWord,
    InsertWord,
    DeleteWord,
    AddParagraph,
    RemoveParagraph,
    SplitParagraph,
    JoinParagraphs,
}

/// `how` in field `field` of card `card`; `at` picks the paragraph (and the word), `word`
/// what is put in.
#[derive(Debug, Clone, Copy)]
struct CardTextEdit {
    how: TextEdit,
    card: usize,
    field: usize,
    at: usize,
    word: usize,
}

#[derive(Debug, Clone)]
enum Edit {
    CardText(CardTextEdit),
    RemoveCard {
        card: usize,
    },
    AddCard {
        card: usize,
        at: usize,
    },
    RenameCard {
        card: usize,
    },
    MoveCard {
        card: usize,
        to: usize,
    },
    Subtitle {
        card: usize,
        word: usize,
    },
    Title {
        card: usize,
        word: usize,
    },
    Definition {
        entry: usize,
        at: usize,
        word: usize,
    },
    RemoveEntry {
        entry: usize,
    },
    AddEntry {
        at: usize,
        word: usize,
    },
    Separator {
        entry: usize,
        word: usize,
    },
    AnnexTitle {
        word: usize,
    },
    AnnexLabel {
        word: usize,
    },
    GlossaryTitle {
        word: usize,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    let n = 64usize;
    let (c, f, a, w) = (0..n, 0..7usize, 0..n, 0..WORDS.len());
    let text = |how: TextEdit| {
        (c.clone(), f.clone(), a.clone(), w.clone()).prop_map(move |(card, field, at, word)| {
            Edit::CardText(CardTextEdit {
                how,
                card,
                field,
                at,
                word,
            })
        })
    };
    prop_oneof![
        text(TextEdit::ReplaceWord),
        text(TextEdit::InsertWord),
        text(TextEdit::DeleteWord),
        text(TextEdit::AddParagraph),
        text(TextEdit::RemoveParagraph),
        text(TextEdit::SplitParagraph),
        text(TextEdit::JoinParagraphs),
        c.clone().prop_map(|card| Edit::RemoveCard { card }),
        (c.clone(), a.clone()).prop_map(|(card, at)| Edit::AddCard { card, at }),
        c.clone().prop_map(|card| Edit::RenameCard { card }),
        (c.clone(), a.clone()).prop_map(|(card, to)| Edit::MoveCard { card, to }),
        (c.clone(), w.clone()).prop_map(|(card, word)| Edit::Subtitle { card, word }),
        (c.clone(), w.clone()).prop_map(|(card, word)| Edit::Title { card, word }),
        (c.clone(), a.clone(), w.clone()).prop_map(|(entry, at, word)| Edit::Definition {
            entry,
            at,
            word
        }),
        c.clone().prop_map(|entry| Edit::RemoveEntry { entry }),
        (a, w.clone()).prop_map(|(at, word)| Edit::AddEntry { at, word }),
        (c, w.clone()).prop_map(|(entry, word)| Edit::Separator { entry, word }),
        w.clone().prop_map(|word| Edit::AnnexTitle { word }),
        w.clone().prop_map(|word| Edit::AnnexLabel { word }),
        w.prop_map(|word| Edit::GlossaryTitle { word }),
    ]
}

fn field_mut(card: &mut Card, field: usize) -> &mut Text {
    let last = CARD_FIELDS.len() - 1;
    &mut card.fields[CARD_FIELDS[field.min(last)].field]
}

/// Applies `f` to the words of one paragraph of a text (chosen by `at`) and re-reads the text
/// by the card rules, so that it stays a text a card file could hold.
fn edit_words(text: &mut Text, at: usize, f: impl FnOnce(&mut Vec<String>, usize)) {
    let n = text.paragraphs.len().max(1);
    if let Some(p) = text.paragraphs.get_mut(at % n) {
        let mut words: Vec<String> = p.split(' ').map(String::from).collect();
        f(&mut words, at);
        if !words.iter().all(|w| w.is_empty()) {
            *p = words.join(" ");
        }
    }
    *text = Text::parse(&text.joined());
}

/// Applies `how` to `t`: `at` picks the paragraph (and the word), `word` is what goes in.
fn edit_text(t: &mut Text, how: TextEdit, at: usize, word: &str) {
    match how {
        TextEdit::ReplaceWord => edit_words(t, at, |w, at| {
            let n = w.len().max(1);
            if let Some(x) = w.get_mut(at % n) {
                *x = word.to_string();
            }
        }),
        TextEdit::InsertWord => edit_words(t, at, |w, at| {
            w.insert(at % (w.len() + 1), word.to_string());
        }),
        TextEdit::DeleteWord => edit_words(t, at, |w, at| {
            if w.len() > 1 {
                w.remove(at % w.len());
            }
        }),
        TextEdit::AddParagraph => {
            let at = at % (t.paragraphs.len() + 1);
            t.paragraphs.insert(at, format!("{word} lõik."));
        }
        TextEdit::RemoveParagraph => {
            if t.paragraphs.len() > 1 {
                t.paragraphs.remove(at % t.paragraphs.len());
            }
        }
        TextEdit::SplitParagraph => {
            let n = t.paragraphs.len().max(1);
            if let Some(p) = t.paragraphs.get(at % n).cloned() {
                let spaces: Vec<usize> = p.match_indices(' ').map(|(i, _)| i).collect();
                if let Some(&cut) = spaces.get(at % spaces.len().max(1)) {
                    let (a, b) = p.split_at(cut);
                    t.paragraphs
                        .splice(at % n..at % n + 1, [a.to_string(), b.trim().to_string()]);
                }
            }
        }
        TextEdit::JoinParagraphs => {
            if t.paragraphs.len() > 1 {
                let i = at % (t.paragraphs.len() - 1);
                let next = t.paragraphs.remove(i + 1);
                if let Some(p) = t.paragraphs.get_mut(i) {
                    p.push(' ');
                    p.push_str(&next);
                }
            }
        }
    }
}

fn apply(source: &mut AnnexSource, edit: &Edit, serial: usize) {
    let cards = &mut source.cards;
    let len = cards.len().max(1);
    match *edit {
        Edit::CardText(e) => {
            if let Some(c) = cards.get_mut(e.card % len) {
                edit_text(field_mut(c, e.field), e.how, e.at, WORDS[e.word]);
            }
        }
        Edit::RemoveCard { card } => {
            if cards.len() > 1 {
                cards.remove(card % len);
            }
        }
        Edit::AddCard { card, at } => {
            if let Some(c) = cards.get(card % len).cloned() {
                let new = Card {
                    id: format!("lisatud-{serial}"),
                    title: format!("LISATUD ROLL {serial}"),
                    ..c
                };
                cards.insert(at % (cards.len() + 1), new);
            }
        }
        Edit::RenameCard { card } => {
            if let Some(c) = cards.get_mut(card % len) {
                c.id = format!("uus-nimi-{serial}");
            }
        }
        Edit::MoveCard { card, to } => {
            let c = cards.remove(card % len);
            cards.insert(to % (cards.len() + 1), c);
        }
        Edit::Subtitle { card, word } => {
            if let Some(c) = cards.get_mut(card % len) {
                c.subtitle = match c.subtitle {
                    Some(_) if word % 2 == 0 => None,
                    _ => Some(format!("({} alapealkiri)", WORDS[word])),
                };
            }
        }
        Edit::Title { card, word } => {
            if let Some(c) = cards.get_mut(card % len) {
                c.title = format!("{} {}", c.title, WORDS[word].to_uppercase());
            }
        }
        Edit::Definition { entry, at, word } => {
            let n = source.glossary.entries.len().max(1);
            if let Some(e) = source.glossary.entries.get_mut(entry % n) {
                edit_text(&mut e.definition, TextEdit::ReplaceWord, at, WORDS[word]);
            }
        }
        Edit::RemoveEntry { entry } => {
            let entries = &mut source.glossary.entries;
            if entries.len() > 1 {
                let n = entries.len();
                entries.remove(entry % n);
            }
        }
        Edit::AddEntry { at, word } => {
            let entries = &mut source.glossary.entries;
            let at = at % (entries.len() + 1);
            entries.insert(
                at,
                GlossaryEntry {
                    term: format!("Uus termin {serial}"),
                    separator: None,
                    definition: Text::single(format!("{} seletus", WORDS[word])),
                },
            );
        }
        Edit::Separator { entry, word } => {
            let n = source.glossary.entries.len().max(1);
            if let Some(e) = source.glossary.entries.get_mut(entry % n) {
                e.separator = [None, Some(" - "), Some(": "), Some(" ")]
                    .get(word % 4)
                    .copied()
                    .flatten()
                    .map(String::from);
            }
        }
        Edit::AnnexTitle { word } => {
            source.annex.title = format!("{} {}", source.annex.title, WORDS[word]);
        }
        Edit::AnnexLabel { word } => source.annex.label = format!("Lisa {}", WORDS[word]),
        Edit::GlossaryTitle { word } => {
            source.glossary.title = format!("{} {}", WORDS[word], source.glossary.title);
        }
    }
    // Orders follow the list, as the card files' numbers would.
    for (i, c) in source.cards.iter_mut().enumerate() {
        c.order = u32::try_from(i + 1).unwrap();
    }
}

/// The bundled cards, and a copy with `edits` applied in turn.
fn bundled_and_edited(edits: &[Edit]) -> (AnnexSource, AnnexSource) {
    let old = bundled().source.clone();
    let mut new = old.clone();
    for (serial, e) in edits.iter().enumerate() {
        apply(&mut new, e, serial);
    }
    (old, new)
}

/// Runs `check` on the bundled cards and each of `cases` random copies of them, a copy made
/// by applying a number of random edits (in `how_many`) in turn.
fn for_random_edits(
    cases: u32,
    how_many: std::ops::Range<usize>,
    check: fn(&AnnexSource, &AnnexSource) -> Result<(), TestCaseError>,
) {
    let config = ProptestConfig {
        cases,
        ..ProptestConfig::default()
    };
    proptest!(config, |(edits in prop::collection::vec(edit(), how_many.clone()))| {
        let (old, new) = bundled_and_edited(&edits);
        check(&old, &new)?;
    });
}

#[test]
fn accept_all_gives_new_and_reject_all_gives_old() {
    for_random_edits(64, 1..12, |old, new| {
        assert_redline_projects(old, new)?;
        // And the other way round: the redline from new back to old.
        assert_redline_projects(new, old)
    });
}

// ---- muudatused.docx -----------------------------------------------------------------------

/// What a paragraph of a DOCX holds for the Accept All / Reject All projections: its runs
/// (text, inside `w:ins`, inside `w:del`) and whether its mark is inserted or deleted.
#[derive(Debug, Default)]
struct DocxParagraph {
    runs: Vec<(String, bool, bool)>,
    mark_inserted: bool,
    mark_deleted: bool,
}

fn unzip(docx: &[u8], part: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut text = String::new();
    archive
        .by_name(part)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The body paragraphs of `word/document.xml` in document order.
fn docx_paragraphs(docx: &[u8]) -> Vec<DocxParagraph> {
    use quick_xml::events::Event;
    let xml = unzip(docx, "word/document.xml");
    let mut reader = quick_xml::Reader::from_str(&xml);
    reader.config_mut().trim_text(false);
    let mut out = Vec::new();
    let mut current = DocxParagraph::default();
    let (mut in_ppr, mut in_ins, mut in_del, mut in_text) = (false, false, false, false);
    loop {
        let event = reader.read_event().unwrap();
        let (start, name) = match &event {
            Event::Start(e) => (true, e.name().0.to_string()),
            Event::Empty(e) => (false, e.name().0.to_string()),
            Event::End(e) => {
                match e.name().0 {
                    "w:p" => out.push(std::mem::take(&mut current)),
                    "w:pPr" => in_ppr = false,
                    "w:ins" => in_ins = false,
                    "w:del" => in_del = false,
                    "w:t" | "w:delText" => in_text = false,
                    _ => {}
                }
                continue;
            }
            Event::Text(t) if in_text => {
                let text = t.xml10_content().to_string();
                current.runs.push((text, in_ins, in_del));
                continue;
            }
            Event::GeneralRef(r) if in_text => {
                let text = match r.resolve_char_ref().unwrap() {
                    Some(c) => c.to_string(),
                    None => quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
                        .unwrap()
                        .to_string(),
                };
                current.runs.push((text, in_ins, in_del));
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match name.as_str() {
            "w:pPr" => in_ppr = start,
            "w:ins" if in_ppr => current.mark_inserted = true,
            "w:del" if in_ppr => current.mark_deleted = true,
            // A row mark (w:trPr) is empty; a run wrapper has runs inside.
            "w:ins" => in_ins = start,
            "w:del" => in_del = start,
            "w:t" | "w:delText" => in_text = start,
            "w:tab" => current.runs.push(("\t".into(), in_ins, in_del)),
            _ => {}
        }
    }
    out
}

/// The text Word shows after Accept All (`accept`) or Reject All: the runs of the other
/// side dropped, a paragraph whose mark goes joined with the next; the non-empty paragraphs.
fn projected(paragraphs: &[DocxParagraph], accept: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut joined = String::new();
    for p in paragraphs {
        for (text, ins, del) in &p.runs {
            let dropped = if accept { *del } else { *ins };
            if !dropped {
                joined.push_str(text);
            }
        }
        let mark_goes = if accept {
            p.mark_deleted
        } else {
            p.mark_inserted
        };
        if !mark_goes {
            if !joined.is_empty() {
                out.push(std::mem::take(&mut joined));
            }
            joined.clear();
        }
    }
    if !joined.is_empty() {
        out.push(joined);
    }
    out
}

/// The non-empty paragraphs of a plain DOCX (no tracked changes in it).
fn plain_paragraphs(docx: &[u8]) -> Vec<String> {
    let paragraphs = docx_paragraphs(docx);
    assert!(
        paragraphs
            .iter()
            .all(|p| !p.mark_inserted && !p.mark_deleted && p.runs.iter().all(|r| !r.1 && !r.2)),
        "a plain build has no tracked changes"
    );
    projected(&paragraphs, true)
}

/// `rollikaart build --format docx` of `cards`: the annex DOCX.
fn built_docx(cards: &Path) -> Vec<u8> {
    let out = tempfile::tempdir().unwrap();
    let template = template();
    let o = run(&[
        "build",
        "--cards",
        path(cards),
        "--template",
        &template,
        "--format",
        "docx",
        "--out",
        path(out.path()),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::read(out.path().join("lisa.docx")).unwrap()
}

/// `rollikaart diff OLD --cards NEW --out DIR`: the folder.
fn redline_out(old: &Path, new: &Path, extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec!["--out", path(out.path())];
    args.extend_from_slice(extra);
    let o = diff_run(old, new, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with(EXPECTED_SUMMARY), "{}", stdout(&o));
    out
}

fn seven_changes_redline() -> (CardsCopy, tempfile::TempDir, Vec<u8>) {
    let new = edited_copy();
    let out = redline_out(&root().join("cards"), new.path(), &[]);
    let docx = std::fs::read(out.path().join("muudatused.docx")).unwrap();
    (new, out, docx)
}

#[test]
fn accepting_every_tracked_change_gives_the_new_annex_and_rejecting_the_old() {
    let (new, _out, docx) = seven_changes_redline();
    let paragraphs = docx_paragraphs(&docx);
    assert_ne!(projected(&paragraphs, true), projected(&paragraphs, false));
    assert_eq!(
        projected(&paragraphs, true),
        plain_paragraphs(&built_docx(new.path())),
        "Accept All"
    );
    assert_eq!(
        projected(&paragraphs, false),
        plain_paragraphs(&built_docx(&root().join("cards"))),
        "Reject All"
    );
    // The changes are there as tracked changes, not as plain text.
    let runs: Vec<&(String, bool, bool)> = paragraphs.iter().flat_map(|p| &p.runs).collect();
    let has =
        |text: &str, ins: bool, del: bool| runs.iter().any(|r| **r == (text.into(), ins, del));
    for (text, change) in CARD_CHANGES {
        let inserted = change == document::Change::Inserted;
        assert!(has(text, inserted, !inserted), "{change:?} {text:?}");
    }
    assert!(paragraphs.iter().any(|p| p.mark_inserted));
    assert!(paragraphs.iter().any(|p| p.mark_deleted));
}

#[test]
fn every_tracked_change_has_a_unique_id_the_author_and_the_date() {
    let new = edited_copy();
    let out = redline_out(
        &root().join("cards"),
        new.path(),
        &["--author", "Õigusosakond & Co", "--date", "2025-02-03"],
    );
    let docx = std::fs::read(out.path().join("muudatused.docx")).unwrap();
    let mut ids = std::collections::BTreeSet::new();
    let mut marks = 0;
    for part in ["word/document.xml"] {
        let xml = unzip(&docx, part);
        for tag in xml
            .split('<')
            .filter(|t| t.starts_with("w:ins ") || t.starts_with("w:del "))
        {
            marks += 1;
            assert!(tag.contains(r#"w:author="Õigusosakond &amp; Co""#), "{tag}");
            assert!(tag.contains(r#"w:date="2025-02-03T00:00:00Z""#), "{tag}");
            let id = tag
                .split("w:id=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("no id: {tag}"));
            assert!(ids.insert(id.to_string()), "the id {id} twice");
        }
    }
    assert!(marks > 40, "only {marks} tracked changes");
    // Deleted text is w:delText, never w:t, and keeps its spaces.
    let xml = unzip(&docx, "word/document.xml");
    for deleted in xml.split("<w:del ").skip(1) {
        if deleted.split('>').next().unwrap_or_default().ends_with('/') {
            continue; // a paragraph-mark or row deletion holds no text
        }
        let inside = deleted.split("</w:del>").next().unwrap_or_default();
        assert!(!inside.contains("<w:t "), "w:t in a deletion");
    }
    assert!(xml.contains(r#"<w:delText xml:space="preserve">võimestaja</w:delText>"#));
    // The placeholders of the header stay single runs; the legend is in the header band.
    let header = unzip(&docx, "word/header1.xml");
    for whole_run in ["{regDateTime}", "{regNumber}"] {
        assert!(
            header.contains(&format!(r#"<w:t xml:space="preserve">{whole_run}</w:t>"#)),
            "{whole_run} is not one run"
        );
    }
    assert!(header.contains("Muudatused võrreldes: "), "no legend");
    // The default author is the authority of lisa.toml.
    let (_new, _out, default_docx) = seven_changes_redline();
    let xml = unzip(&default_docx, "word/document.xml");
    assert!(xml.contains(r#"w:author="Sotsiaalkindlustusamet""#));
}

#[test]
fn the_redline_is_written_all_or_nothing_with_its_own_manifest_and_the_same_bytes() {
    let (new, out, first) = seven_changes_redline();
    let manifest = std::fs::read_to_string(out.path().join("SHA256SUMS.muudatused")).unwrap();
    assert!(manifest.contains("  muudatused.docx\n"), "{manifest}");
    let again = redline_out(&root().join("cards"), new.path(), &[]);
    assert_eq!(
        std::fs::read(again.path().join("muudatused.docx")).unwrap(),
        first,
        "the same inputs give the same bytes"
    );
    // A problem in either folder writes nothing.
    let broken = edited_copy();
    broken.edit("07-peadirektori-nounik.toml", "roles = ", "rolse = ");
    let empty = tempfile::tempdir().unwrap();
    let target = empty.path().join("muudatused");
    let o = diff_run(
        &root().join("cards"),
        broken.path(),
        &["--out", path(&target)],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(!target.exists(), "nothing is written on an input problem");
    // A date that is not one is an error naming the option.
    let o = diff_run(
        &root().join("cards"),
        new.path(),
        &["--out", path(&target), "--date", "homme"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--date `homme`"), "{}", stderr(&o));
    assert!(!target.exists());
}

#[test]
fn changed_only_leaves_the_unchanged_cards_out() {
    let new = edited_copy();
    let out = redline_out(&root().join("cards"), new.path(), &["--changed-only"]);
    let docx = std::fs::read(out.path().join("muudatused.docx")).unwrap();
    let text = projected(&docx_paragraphs(&docx), true).join("\n");
    assert!(text.contains("eestvedaja"));
    assert!(text.contains("UUS ROLL"));
    assert!(
        !text.contains("OSAKONNA JUHATAJA\n"),
        "card 01 did not change"
    );
}

#[test]
fn openxml_audit_finds_the_redline_clean() {
    if !python_module_available("openxml_audit") {
        return;
    }
    let (_new, out, _) = seven_changes_redline();
    let script = r#"
import sys
from openxml_audit import OpenXmlValidator
result = OpenXmlValidator(max_errors=0).validate(sys.argv[1])
findings = list(result.errors)
for f in findings:
    print(f)
sys.exit(1 if findings or result.error_count or result.warning_count or not result.is_valid else 0)
"#;
    let o = python(script, &out.path().join("muudatused.docx"));
    assert!(
        o.status.success(),
        "openxml-audit: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn libreoffice_opens_the_redline_and_shows_the_changes() {
    let office = if tool_available("soffice", "--version") {
        "soffice"
    } else {
        return;
    };
    if !tool_available("pdftotext", "-v") {
        return;
    }
    let (_new, out, _) = seven_changes_redline();
    let pdf_dir = tempfile::tempdir().unwrap();
    let profile = pdf_dir.path().join("profile");
    let o = std::process::Command::new(office)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(pdf_dir.path())
        .arg(out.path().join("muudatused.docx"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pdf = std::fs::read(pdf_dir.path().join("muudatused.pdf")).unwrap();
    let text = pdftotext(&pdf).unwrap();
    // Shown with changes: the deleted and the inserted words both stand on the pages.
    for (word, _) in CARD_CHANGES {
        assert!(text.contains(word), "LibreOffice does not show {word:?}");
    }
}

// ---- muudatused.pdf ------------------------------------------------------------------------

/// The redline of the seven changes rendered as PDF in-process, with its layout.
fn seven_changes_pdf() -> (Vec<u8>, rollikaart::layout::page::Layout) {
    let new = edited_project();
    let (_, doc) = redline_of(&bundled().source, &new.source, &new.template);
    rollikaart::render::pdf::Pdf::default()
        .render_with_layout(&doc, &context(&new))
        .unwrap()
}

/// A changed piece of text as laid out: sheet, text, x range, baseline, size, mark.
type ChangedText = (usize, String, f32, f32, f32, f32, document::Change);

fn changed_texts(layout: &rollikaart::layout::page::Layout) -> Vec<ChangedText> {
    use rollikaart::layout::page::Item;
    let mut found = Vec::new();
    for (n, sheet) in layout.sheets.iter().enumerate() {
        for item in &sheet.items {
            if let Item::Text {
                x,
                y,
                size_pt,
                text,
                width_pt,
                change: Some(change),
                ..
            } = item
                && !text.trim().is_empty()
            {
                found.push((n, text.clone(), *x, x + width_pt, *y, *size_pt, *change));
            }
        }
    }
    found
}

/// Whether a line at `line_y` marks text with baseline `baseline` at `size` as `change`: a
/// strike runs through the letters (above the baseline, below the cap height), an underline
/// under them (below the baseline, above the next line).
fn marks_as(change: document::Change, line_y: f32, baseline: f32, size: f32) -> bool {
    match change {
        document::Change::Deleted => {
            line_y < baseline - 0.1 * size && line_y > baseline - 0.7 * size
        }
        document::Change::Inserted => line_y > baseline && line_y < baseline + 0.4 * size,
    }
}

#[test]
fn every_changed_word_in_the_pdf_layout_has_its_strike_or_underline() {
    use rollikaart::layout::page::Item;
    let (_, layout) = seven_changes_pdf();
    let texts = changed_texts(&layout);
    let has = |word: &str, change| texts.iter().any(|t| t.1.contains(word) && t.6 == change);
    for (word, change) in CARD_CHANGES.into_iter().chain(GLOSSARY_CHANGES) {
        assert!(has(word, change), "{change:?} {word:?}");
    }
    let lines: Vec<(usize, f32, f32, f32, document::Change)> = layout
        .sheets
        .iter()
        .enumerate()
        .flat_map(|(n, s)| {
            s.items.iter().filter_map(move |i| match i {
                Item::ChangeLine {
                    x1, x2, y, change, ..
                } => Some((n, *x1, *x2, *y, *change)),
                _ => None,
            })
        })
        .collect();
    for (sheet, text, x1, x2, baseline, size, change) in &texts {
        assert!(
            lines.iter().any(|l| l.0 == *sheet
                && l.4 == *change
                && (l.1 - x1).abs() < 0.01
                && (l.2 - x2).abs() < 0.01
                && marks_as(*change, l.3, *baseline, *size)),
            "{change:?} {text:?} on sheet {sheet} has no line"
        );
    }
    // No line without changed text under it.
    for (sheet, x1, x2, y, change) in &lines {
        assert!(
            layout
                .sheets
                .get(*sheet)
                .is_some_and(|s| s.items.iter().any(|i| matches!(
                    i,
                    Item::Text { x, width_pt, y: baseline, size_pt, change: Some(c), .. }
                        if c == change && (x - x1).abs() < 0.01 && (x + width_pt - x2).abs() < 0.01
                            && marks_as(*change, *y, *baseline, *size_pt)
                ))),
            "a line at {x1}..{x2}, {y} on sheet {sheet} marks nothing"
        );
    }
}

/// `pdf` written as `name` in a new temporary folder (gone when the folder is dropped).
fn pdf_file(pdf: &[u8], name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    std::fs::write(&file, pdf).unwrap();
    (dir, file)
}

/// `python3 -c SCRIPT FILE`.
fn python(script: &str, file: &Path) -> std::process::Output {
    std::process::Command::new("python3")
        .args(["-c", script])
        .arg(file)
        .output()
        .unwrap()
}

/// The stroked segments of a PDF in colour (not black), per page, top-down: (page, x1, y1,
/// x2, y2, r, g, b), read from the content streams with pikepdf.
fn coloured_segments(pdf: &[u8]) -> Vec<(usize, f32, f32, f32, f32, [f32; 3])> {
    let (_dir, file) = pdf_file(pdf, "a.pdf");
    let script = r#"
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
for n, page in enumerate(pdf.pages):
    h = float(page.mediabox[3])
    colour, start, end = (0, 0, 0), None, None
    for operands, op in pikepdf.parse_content_stream(page):
        op = str(op)
        if op == "RG":
            colour = tuple(float(v) for v in operands)
        elif op == "m":
            start = (float(operands[0]), h - float(operands[1]))
        elif op == "l":
            end = (float(operands[0]), h - float(operands[1]))
        elif op == "S" and start and end and colour != (0, 0, 0):
            print(n, start[0], start[1], end[0], end[1], *colour)
"#;
    let o = python(script, &file);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| {
            let v: Vec<f32> = l.split(' ').map(|x| x.parse().unwrap()).collect();
            (v[0] as usize, v[1], v[2], v[3], v[4], [v[5], v[6], v[7]])
        })
        .collect()
}

/// The words of a PDF with their boxes, as `pdftotext -bbox` gives them: (page, word,
/// xMin, yMin, xMax, yMax), top-down.
fn word_boxes(pdf: &[u8]) -> Vec<(usize, String, f32, f32, f32, f32)> {
    let (_dir, file) = pdf_file(pdf, "a.pdf");
    let o = std::process::Command::new("pdftotext")
        .arg("-bbox")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&o.stdout);
    let mut words = Vec::new();
    for (page, chunk) in html.split("<page ").skip(1).enumerate() {
        for w in chunk.split("<word ").skip(1) {
            let attr = |name: &str| -> f32 {
                w.split(&format!("{name}=\""))
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap()
            };
            let text = w.split('>').nth(1).unwrap().split('<').next().unwrap();
            let text = text
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">");
            words.push((
                page,
                text,
                attr("xMin"),
                attr("yMin"),
                attr("xMax"),
                attr("yMax"),
            ));
        }
    }
    words
}

#[test]
fn the_pdf_strikes_deleted_words_and_underlines_inserted_ones_in_their_colours() {
    if !python_module_available("pikepdf") || !tool_available("pdftotext", "-v") {
        return;
    }
    let (pdf, layout) = seven_changes_pdf();
    let template = &bundled().template.redline;
    let colour = |c: document::Change| {
        let rollikaart::template::Rgb(r, g, b) = match c {
            document::Change::Deleted => template.deleted(),
            document::Change::Inserted => template.inserted(),
        };
        [r, g, b].map(|v| f32::from(v) / 255.0)
    };
    let drawn = coloured_segments(&pdf);
    let words = word_boxes(&pdf);
    let texts = changed_texts(&layout);
    assert!(texts.len() > 20, "only {} changed pieces", texts.len());
    for (sheet, text, x1, x2, baseline, size, change) in &texts {
        // The line is drawn in the PDF, in its colour, where the layout put it …
        let line = drawn.iter().find(|d| {
            d.0 == *sheet
                && (d.1 - x1).abs() < 0.05
                && (d.3 - x2).abs() < 0.05
                && (d.2 - d.4).abs() < 0.01
                && marks_as(*change, d.2, *baseline, *size)
                && d.5
                    .iter()
                    .zip(colour(*change))
                    .all(|(a, b)| (a - b).abs() < 0.01)
        });
        let Some(line) = line else {
            panic!("no {change:?} line drawn under {text:?} on page {sheet}");
        };
        // … across the word boxes pdftotext finds there: the strike inside them, the
        // underline in their lower part or just under them.
        let under: Vec<_> = words
            .iter()
            .filter(|w| w.0 == *sheet && w.2 < x2 - 0.5 && w.4 > x1 + 0.5)
            .filter(|w| w.3 <= *baseline && w.5 >= baseline - 0.5 * size)
            .collect();
        assert!(!under.is_empty(), "pdftotext finds no word at {text:?}");
        for w in under {
            let ok = match change {
                document::Change::Deleted => line.2 > w.3 && line.2 < w.5,
                document::Change::Inserted => {
                    line.2 > (w.3 + w.5) / 2.0 && line.2 < w.5 + 0.3 * size
                }
            };
            assert!(
                ok,
                "the {change:?} line of {text:?} at {} misses the word box {w:?}",
                line.2
            );
        }
    }
}

#[test]
fn the_redline_pdf_is_pdf_a_has_both_texts_and_tells_a_reader_what_changed() {
    if !python_module_available("pikepdf") {
        return;
    }
    let (pdf, _) = seven_changes_pdf();
    let (_dir, file) = pdf_file(&pdf, "muudatused.pdf");
    for script in ["tests/pdfa_check.py", "tests/pdf_structure.py"] {
        let o = std::process::Command::new("python3")
            .arg(root().join(script))
            .arg(&file)
            .output()
            .unwrap();
        assert!(o.status.success(), "{script}: {}{}", stdout(&o), stderr(&o));
        if script.ends_with("pdf_structure.py") {
            let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
            assert_eq!(
                v["problems"].as_array().unwrap().len(),
                0,
                "{}",
                v["problems"]
            );
        }
    }
    if let Some(text) = pdftotext(&pdf) {
        for (word, _) in CARD_CHANGES.into_iter().chain(GLOSSARY_CHANGES) {
            assert!(text.contains(word), "pdftotext lacks {word:?}");
        }
        // The legend in the header band names what the set is compared with.
        assert!(
            text.contains("Muudatused võrreldes: vanad-kaardid/"),
            "no legend"
        );
    }
    // The spoken form of each change: a Span with /E "kustutatud: …" or "lisatud: …".
    let script = r#"
import sys, pikepdf
pdf = pikepdf.open(sys.argv[1])
for page in pdf.pages:
    for operands, op in pikepdf.parse_content_stream(page):
        if str(op) == "BDC" and str(operands[0]) == "/Span" and "/E" in operands[1]:
            print(str(operands[1]["/E"]))
"#;
    let o = python(script, &file);
    let spoken = stdout(&o);
    assert!(
        spoken.lines().any(|l| l == "kustutatud: võimestaja"),
        "{spoken}"
    );
    assert!(
        spoken.lines().any(|l| l == "lisatud: eestvedaja"),
        "{spoken}"
    );
}

/// The DOCX of `doc` rendered in-process with the bundled template.
fn docx_of(doc: &Document) -> Vec<u8> {
    use rollikaart::render::Renderer;
    rollikaart::render::docx::Docx::default()
        .render(doc, &context(bundled()))
        .unwrap()
}

/// In the redline DOCX of `old` → `new`, Accept All gives the new annex's DOCX text and
/// Reject All the old one's, paragraph by paragraph.
fn assert_docx_redline_projects(old: &AnnexSource, new: &AnnexSource) -> Result<(), TestCaseError> {
    let (_, marked) = redline_of(old, new, &bundled().template);
    let paragraphs = docx_paragraphs(&docx_of(&marked));
    prop_assert_eq!(
        projected(&paragraphs, true),
        plain_paragraphs(&docx_of(&whole(new)))
    );
    prop_assert_eq!(
        projected(&paragraphs, false),
        plain_paragraphs(&docx_of(&whole(old)))
    );
    Ok(())
}

#[test]
fn docx_accept_all_gives_new_and_reject_all_gives_old() {
    for_random_edits(16, 1..8, assert_docx_redline_projects);
}
