//! `rollikaart diff` through the real binary, and the redline model: accepting every change
//! gives the new annex's text, rejecting every change the old one's, paragraph by paragraph.

mod common;
use common::*;
use proptest::prelude::*;
use rollikaart::cards::{AnnexSource, Card, GlossaryEntry};
use rollikaart::diff::{self, Status, redline};
use rollikaart::document::{self, BuildOptions, Document, Selection};
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

/// Checks that the redline of `old` → `new` accepts to `new` and rejects to `old`.
fn assert_redline_projects(old: &AnnexSource, new: &AnnexSource) -> Result<(), TestCaseError> {
    let p = bundled();
    let changes = diff::compare(old, new, &p.template.glossary.separator);
    let marked = redline::build(
        &changes,
        &new.annex,
        &p.template,
        &BuildOptions::default(),
        &redline_options(),
    );
    prop_assert_eq!(texts(&redline::accept_all(&marked)), texts(&whole(new)));
    prop_assert_eq!(texts(&redline::reject_all(&marked)), texts(&whole(old)));
    Ok(())
}

#[test]
fn the_redline_of_the_seven_changes_accepts_to_new_and_rejects_to_old() {
    let new_copy = edited_copy();
    let new = rollikaart::load_project(new_copy.path(), &root().join("templates/lisa.toml"))
        .unwrap()
        .source;
    let old = &bundled().source;
    assert_redline_projects(old, &new).unwrap();
    // Deleted text is in the redline as its own runs, inserted text too.
    let p = bundled();
    let changes = diff::compare(old, &new, &p.template.glossary.separator);
    let marked = redline::build(
        &changes,
        &new.annex,
        &p.template,
        &BuildOptions::default(),
        &redline_options(),
    );
    let runs: Vec<(&str, Option<document::Change>)> = marked
        .paragraphs()
        .flat_map(|p| p.runs.iter())
        .filter(|r| r.change.is_some())
        .map(|r| (r.text.as_str(), r.change))
        .collect();
    assert!(runs.contains(&("võimestaja", Some(document::Change::Deleted))));
    assert!(runs.contains(&("eestvedaja", Some(document::Change::Inserted))));
    assert!(runs.contains(&("Uus lõik lisatud siia.", Some(document::Change::Inserted))));
    assert!(runs.contains(&("TESTJUHT", Some(document::Change::Deleted))));
    assert!(runs.contains(&("UUS ROLL", Some(document::Change::Inserted))));
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

#[derive(Debug, Clone)]
enum Edit {
    ReplaceWord {
        card: usize,
        field: usize,
        at: usize,
        word: usize,
    },
    InsertWord {
        card: usize,
        field: usize,
        at: usize,
        word: usize,
    },
    DeleteWord {
        card: usize,
        field: usize,
        at: usize,
    },
    AddParagraph {
        card: usize,
        field: usize,
        at: usize,
        word: usize,
    },
    RemoveParagraph {
        card: usize,
        field: usize,
        at: usize,
    },
    SplitParagraph {
        card: usize,
        field: usize,
        at: usize,
    },
    JoinParagraphs {
        card: usize,
        field: usize,
        at: usize,
    },
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
    prop_oneof![
        (c.clone(), f.clone(), a.clone(), w.clone()).prop_map(|(card, field, at, word)| {
            Edit::ReplaceWord {
                card,
                field,
                at,
                word,
            }
        }),
        (c.clone(), f.clone(), a.clone(), w.clone()).prop_map(|(card, field, at, word)| {
            Edit::InsertWord {
                card,
                field,
                at,
                word,
            }
        }),
        (c.clone(), f.clone(), a.clone()).prop_map(|(card, field, at)| Edit::DeleteWord {
            card,
            field,
            at
        }),
        (c.clone(), f.clone(), a.clone(), w.clone()).prop_map(|(card, field, at, word)| {
            Edit::AddParagraph {
                card,
                field,
                at,
                word,
            }
        }),
        (c.clone(), f.clone(), a.clone()).prop_map(|(card, field, at)| Edit::RemoveParagraph {
            card,
            field,
            at
        }),
        (c.clone(), f.clone(), a.clone()).prop_map(|(card, field, at)| Edit::SplitParagraph {
            card,
            field,
            at
        }),
        (c.clone(), f.clone(), a.clone()).prop_map(|(card, field, at)| Edit::JoinParagraphs {
            card,
            field,
            at
        }),
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
    match field {
        0 => &mut card.why,
        1 => &mut card.roles,
        2 => &mut card.purpose,
        3 => &mut card.benefit,
        4 => &mut card.target_groups,
        5 => &mut card.competences,
        _ => &mut card.job_family,
    }
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

fn apply(source: &mut AnnexSource, edit: &Edit, serial: usize) {
    let cards = &mut source.cards;
    let len = cards.len().max(1);
    match *edit {
        Edit::ReplaceWord {
            card,
            field,
            at,
            word,
        } => {
            if let Some(c) = cards.get_mut(card % len) {
                edit_words(field_mut(c, field), at, |w, at| {
                    let n = w.len().max(1);
                    if let Some(x) = w.get_mut(at % n) {
                        *x = WORDS[word].to_string();
                    }
                });
            }
        }
        Edit::InsertWord {
            card,
            field,
            at,
            word,
        } => {
            if let Some(c) = cards.get_mut(card % len) {
                edit_words(field_mut(c, field), at, |w, at| {
                    w.insert(at % (w.len() + 1), WORDS[word].to_string());
                });
            }
        }
        Edit::DeleteWord { card, field, at } => {
            if let Some(c) = cards.get_mut(card % len) {
                edit_words(field_mut(c, field), at, |w, at| {
                    if w.len() > 1 {
                        w.remove(at % w.len());
                    }
                });
            }
        }
        Edit::AddParagraph {
            card,
            field,
            at,
            word,
        } => {
            if let Some(c) = cards.get_mut(card % len) {
                let t = field_mut(c, field);
                let at = at % (t.paragraphs.len() + 1);
                t.paragraphs.insert(at, format!("{} lõik.", WORDS[word]));
            }
        }
        Edit::RemoveParagraph { card, field, at } => {
            if let Some(c) = cards.get_mut(card % len) {
                let t = field_mut(c, field);
                if t.paragraphs.len() > 1 {
                    t.paragraphs.remove(at % t.paragraphs.len());
                }
            }
        }
        Edit::SplitParagraph { card, field, at } => {
            if let Some(c) = cards.get_mut(card % len) {
                let t = field_mut(c, field);
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
        }
        Edit::JoinParagraphs { card, field, at } => {
            if let Some(c) = cards.get_mut(card % len) {
                let t = field_mut(c, field);
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
                edit_words(&mut e.definition, at, |w, at| {
                    let n = w.len().max(1);
                    if let Some(x) = w.get_mut(at % n) {
                        *x = WORDS[word].to_string();
                    }
                });
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn accept_all_gives_new_and_reject_all_gives_old(edits in prop::collection::vec(edit(), 1..12)) {
        let old = bundled().source.clone();
        let mut new = old.clone();
        for (serial, e) in edits.iter().enumerate() {
            apply(&mut new, e, serial);
        }
        assert_redline_projects(&old, &new)?;
        // And the other way round: the redline from new back to old.
        assert_redline_projects(&new, &old)?;
    }
}
