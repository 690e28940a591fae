//! The bundled cards load, and every class of bad card input is rejected through the real
//! binary with exit code 1 and a message naming file, line, column and field.

mod common;
use common::*;
use rollikaart::cards::CardField;

const CARD: &str = "03-juhtivspetsialist.toml";

#[test]
fn bundled_cards_check_clean() {
    let o = run(&["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("14 cards"), "{}", stdout(&o));
}

#[test]
fn list_gives_all_titles_in_annex_order() {
    let o = run(&["list", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let titles: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "OSAKONNA JUHATAJA",
            "TALITUSE JUHATAJA",
            "JUHTIVSPETSIALIST",
            "STO PIIRKONNA KOORDINAATOR",
            "TEENUSEOMANIK (IT vaates äriteenuse omanik)",
            "PORTFELLIHALDUR",
            "PEADIREKTORI NÕUNIK",
            "SPETSIALIST (sh MENETLEJA, NÕUSTAJA)",
            "PEASPETSIALIST",
            "EKSPERT",
            "(VEEBI)HALDUR",
            "TESTJUHT",
            "PEAKASUTAJA",
            "TEENUSE DISAINER",
        ]
    );
    let orders: Vec<u64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["order"].as_u64().unwrap())
        .collect();
    assert_eq!(orders, (1..=14).collect::<Vec<_>>());
    let text = stdout(&run(&["list"]));
    assert!(
        text.lines().next().unwrap().contains("osakonna-juhataja"),
        "{text}"
    );
}

#[test]
fn library_loads_cards_and_glossary_with_text() {
    let root = root();
    let p =
        rollikaart::load_project(&root.join("cards"), &root.join("templates/lisa.toml")).unwrap();
    assert_eq!(p.source.cards.len(), 14);
    assert_eq!(p.source.glossary.title, "Rollide SELETAV SÕNARAAMAT");
    assert_eq!(
        p.source.glossary.entries.first().unwrap().term,
        "Strateegiline planeerija"
    );
    assert_eq!(
        p.source.annex.title,
        "Sotsiaalkindlustusameti teenuspõhise juhtimise rollikaardid 2024"
    );
    let portfolio = p.source.find_card("portfellihaldur").unwrap();
    assert!(
        portfolio
            .subtitle
            .as_deref()
            .unwrap()
            .starts_with("(Võib olla kombineeritud")
    );
    assert_eq!(p.source.find_card("7").unwrap().id, "peadirektori-nounik");
    assert_eq!(p.source.find_card("teenuse disainer").unwrap().order, 14);
    // A hand-made source with two cards of one title: the title names neither.
    let mut two = p.source.clone();
    let mut copy = two.find_card("teenuse-disainer").unwrap().clone();
    copy.order = 15;
    copy.id = "teine-disainer".to_string();
    two.cards.push(copy);
    assert!(two.find_card("TEENUSE DISAINER").is_none());
    assert_eq!(two.find_card("teine-disainer").unwrap().order, 15);
    for card in &p.source.cards {
        assert!(!card.fields[CardField::Competences].is_empty());
        assert!(
            card.fields[CardField::Competences]
                .joined()
                .contains("Vajalike kompetentside täpsem eeldus"),
            "{}",
            card.id
        );
    }
}

/// Runs check on a broken copy and asserts exit code 1 and the located message.
fn assert_rejected(
    copy: &CardsCopy,
    file: &str,
    line: usize,
    field: &str,
    words: &[&str],
) -> String {
    let o = copy.check();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let located = format!("{file}:{line}:");
    assert!(err.contains(&located), "expected {located} in:\n{err}");
    assert!(
        err.contains(&format!("field `{field}`")),
        "expected field {field} in:\n{err}"
    );
    assert!(err.contains("= help:"), "no hint in:\n{err}");
    for w in words {
        assert!(err.contains(w), "expected {w:?} in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// Replaces `from` with `to` in the card file, asserts that loading refuses it at the line
/// where `at` now stands (see `assert_rejected`), and returns the message.
fn edit_rejected(from: &str, to: &str, at: &str, field: &str, words: &[&str]) -> String {
    let c = CardsCopy::new();
    c.edit(CARD, from, to);
    let line = line_of(&c, CARD, at);
    assert_rejected(&c, CARD, line, field, words)
}

/// One edit of the card file, refused at the line it made and naming its field: a misspelt
/// key (with a suggestion), an empty text, a wrong type, a control character, an id that
/// looks like a path.
#[test]
fn single_edits_are_refused_at_their_line() {
    let cases: [(&str, &str, &str, &str, &[&str]); 5] = [
        // unknown key is named with a suggestion
        (
            "roles = \"\"\"",
            "rolse = \"\"\"",
            "rolse =",
            "rolse",
            &["unknown field", "did you mean `roles`"],
        ),
        // empty text is an error
        (
            "title = \"JUHTIVSPETSIALIST\"",
            "title = \"   \"",
            "title = ",
            "title",
            &["is empty"],
        ),
        // wrong type is an error
        (
            "order = 3",
            "order = \"kolm\"",
            "order = ",
            "order",
            &["expected a whole number, found string"],
        ),
        // control characters are errors
        (
            "Teenusepõhise eestvedajana",
            "Teenusepõhise\\u0007 eestvedajana",
            "\\u0007",
            "why",
            &["control character U+0007"],
        ),
        // path like id is refused
        (
            "id = \"juhtivspetsialist\"",
            "id = \"../x\"",
            "id = ",
            "id",
            &["not a plain short name"],
        ),
    ];
    for (from, to, at, field, words) in cases {
        edit_rejected(from, to, at, field, words);
    }
}

#[test]
fn missing_field_is_reported_with_what_to_add() {
    let c = CardsCopy::new();
    let text = std::fs::read_to_string(c.file(CARD)).unwrap();
    let start = text.find("benefit = \"\"\"").unwrap();
    let end = start + text[start..].find("\"\"\"\n\n").unwrap() + 4;
    c.write(
        CARD,
        format!("{}{}", &text[..start], &text[end..]).as_bytes(),
    );
    assert_rejected(
        &c,
        CARD,
        1,
        "benefit",
        &["missing field", "add `benefit = ...`"],
    );
}

/// A copy of the cards in which the card file takes the order and the id of card 2.
fn copy_of_card_2() -> CardsCopy {
    let c = CardsCopy::new();
    c.edit(CARD, "order = 3", "order = 2");
    c.edit(
        CARD,
        "id = \"juhtivspetsialist\"",
        "id = \"talituse-juhataja\"",
    );
    c
}

#[test]
fn duplicate_order_and_id_are_both_reported() {
    let c = copy_of_card_2();
    let err = assert_rejected(
        &c,
        CARD,
        line_of(&c, CARD, "order = "),
        "order",
        &["order 2 is used twice"],
    );
    assert!(
        err.contains(&format!("{CARD}:{}:", line_of(&c, CARD, "id = "))),
        "{err}"
    );
    assert!(
        err.contains("id \"talituse-juhataja\" is used twice"),
        "{err}"
    );
    assert!(
        err.contains("02-talituse-juhataja.toml has the same"),
        "{err}"
    );
}

#[test]
fn duplicate_title_is_an_error_pointing_at_the_first_use() {
    let c = CardsCopy::new();
    // Capitals aside, as `rollikaart card TITLE` finds it.
    c.edit(
        CARD,
        "title = \"JUHTIVSPETSIALIST\"",
        "title = \"Talituse Juhataja\"",
    );
    let first = "02-talituse-juhataja.toml";
    let err = assert_rejected(
        &c,
        CARD,
        line_of(&c, CARD, "title = "),
        "title",
        &[
            "the title \"Talituse Juhataja\" is used twice",
            "first used here",
        ],
    );
    assert!(
        err.contains(&format!("{first}:{}:", line_of(&c, first, "title = "))),
        "the first use is not located:\n{err}"
    );
    assert!(
        err.contains(&format!("{first} has the same title")),
        "{err}"
    );
    // The same title is not silently resolved to one of the two cards.
    let o = run(&[
        "card",
        "TALITUSE JUHATAJA",
        "--cards",
        c.path().to_str().unwrap(),
        "--out",
        c.file("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("is used twice"), "{}", stderr(&o));
    assert!(!c.file("out").exists());
}

#[test]
fn duplicate_order_and_id_point_at_the_first_use() {
    let c = copy_of_card_2();
    let err = stderr(&c.check());
    let first = "02-talituse-juhataja.toml";
    for key in ["order = ", "id = "] {
        let at = format!("{first}:{}:", line_of(&c, first, key));
        assert!(err.contains(&at), "expected {at} in:\n{err}");
    }
    assert_eq!(err.matches("first used here").count(), 2, "{err}");
}

#[test]
fn numbers_out_of_range_say_the_range() {
    for (order, what) in [
        ("4294967296", "just above u32"),
        ("0", "zero"),
        ("-3", "negative"),
        ("99999999999999999999", "beyond i64"),
    ] {
        let c = CardsCopy::new();
        c.edit(CARD, "order = 3", &format!("order = {order}"));
        assert_rejected(
            &c,
            CARD,
            line_of(&c, CARD, "order = "),
            "order",
            &["`order` must be between 1 and 4294967295"],
        );
        let err = stderr(&c.check());
        assert!(!err.contains("expected a whole number"), "{what}: {err}");
    }
    let c = CardsCopy::new();
    c.edit(CARD, "order = 3", "order = 4294967295");
    c.edit("14-teenuse-disainer.toml", "order = 14", "order = 0x0E");
    let o = c.check();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn nested_keys_are_reported_at_their_place() {
    let c = CardsCopy::new();
    c.edit(CARD, "order = 3", "order = 3\nextra.deep.er.key = 1");
    let text = std::fs::read_to_string(c.file(CARD)).unwrap();
    c.write(CARD, format!("{text}\n[why2.a.b.c]\nd = 1\n").as_bytes());
    let glossary = std::fs::read_to_string(c.file("sonaraamat.toml")).unwrap();
    c.write(
        "sonaraamat.toml",
        format!("{glossary}\n[entries.deep.key]\nz = 1\n").as_bytes(),
    );
    let err = assert_rejected(
        &c,
        CARD,
        line_of(&c, CARD, "extra.deep"),
        "extra",
        &["unknown field `extra`"],
    );
    let at = |file: &str, needle: &str| format!("{file}:{}:", line_of(&c, file, needle));
    assert!(err.contains(&at(CARD, "[why2.a.b.c]")), "{err}");
    assert!(
        err.contains(&at("sonaraamat.toml", "[entries.deep.key]")),
        "{err}"
    );
    assert!(err.contains("field `entries[12].deep`"), "{err}");
    assert!(
        !err.contains(":1:1"),
        "a nested key reported at 1:1:\n{err}"
    );
}

#[test]
fn glossary_without_entries_is_an_error() {
    let c = CardsCopy::new();
    let text = std::fs::read_to_string(c.file("sonaraamat.toml")).unwrap();
    let cut = text.find("[[entries]]").unwrap();
    c.write(
        "sonaraamat.toml",
        format!("{}entries = []\n", &text[..cut]).as_bytes(),
    );
    let line = line_of(&c, "sonaraamat.toml", "entries = []");
    assert_rejected(&c, "sonaraamat.toml", line, "entries", &["no entries"]);
}

#[test]
fn characters_the_fonts_lack_are_named_with_code_point() {
    let err = edit_rejected(
        "Teenusepõhise eestvedajana",
        "Teenusepõhise 😀 eestvedajana 漢",
        "😀",
        "why",
        &["U+1F600", "cannot be drawn"],
    );
    assert!(err.contains("U+6F22"), "{err}");
}

#[test]
fn unknown_placeholders_are_errors_known_ones_are_not() {
    let err = edit_rejected(
        "Teenusepõhise eestvedajana",
        "Teenusepõhise {regNr} eestvedajana {regNumber}",
        "{regNr}",
        "why",
        &["`{regNr}`"],
    );
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}

#[test]
fn all_problems_in_all_files_come_out_in_one_run() {
    let c = CardsCopy::new();
    c.edit(CARD, "roles = \"\"\"", "rolse = \"\"\"");
    c.edit("10-ekspert.toml", "order = 10", "order = 0");
    c.edit("10-ekspert.toml", "title = \"EKSPERT\"", "title = 5");
    c.write("12-testjuht.toml", b"order = 12\nid = \"x\" title\n");
    let o = c.check();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains(CARD), "{err}");
    assert!(err.contains("10-ekspert.toml:6:"), "{err}");
    assert!(err.contains("must be between 1 and 4294967295"), "{err}");
    assert!(err.contains("field `title`"), "{err}");
    assert!(err.contains("12-testjuht.toml:2:"), "{err}");
    assert!(err.contains("TOML syntax error"), "{err}");
    assert!(err.contains("problems found"), "{err}");
}

#[test]
fn not_utf8_and_missing_folder() {
    let c = CardsCopy::new();
    c.write(CARD, b"order = 3\nid = \"\xff\"\n");
    let o = c.check();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(&format!("{CARD}:2:")), "{}", stderr(&o));
    assert!(stderr(&o).contains("not UTF-8"), "{}", stderr(&o));

    let o = run(&["check", "--cards", "no/such/folder"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no/such/folder"), "{}", stderr(&o));
    assert!(stderr(&o).contains("--cards DIR"), "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_with_2() {
    let o = run(&["check", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

/// Every row of the card-field table reaches the page: a card file that sets the row's TOML
/// key to a text of its own loads (the schema reads the key), and the card's document shows
/// that text after the row's template label (the rows are built from the table).
#[test]
fn every_card_field_of_the_table_is_read_and_shown_after_its_label() {
    use rollikaart::cards::{CARD_FIELDS, FieldKind};
    use rollikaart::document::{self, BuildOptions, Selection};
    for spec in CARD_FIELDS {
        let copy = CardsCopy::new();
        let path = copy.file(CARD);
        let mut card: toml::Table = toml::from_str(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{CARD}: {e}"));
        let marker = format!("Välja {} proovitekst", spec.key);
        let value = match spec.kind {
            FieldKind::Text => toml::Value::String(marker.clone()),
            FieldKind::TextList => toml::Value::Array(vec![toml::Value::String(marker.clone())]),
        };
        assert!(
            card.insert(spec.key.to_string(), value).is_some(),
            "{CARD} has no key {}",
            spec.key
        );
        copy.write(CARD, toml::to_string(&card).unwrap().as_bytes());
        let project = rollikaart::load_project(copy.path(), &root().join("templates/lisa.toml"))
            .unwrap_or_else(|d| panic!("{}: {}", spec.key, d.render(false)));
        let loaded = project
            .source
            .cards
            .iter()
            .find(|c| c.source.ends_with(CARD));
        let loaded = loaded.unwrap();
        assert_eq!(loaded.fields[spec.field].joined(), marker, "{}", spec.key);
        let doc = document::build(
            &project.source,
            &project.template,
            &BuildOptions::default(),
            Selection::OneCard(loaded),
        );
        let texts: Vec<String> = doc.paragraphs().map(|p| p.plain_text()).collect();
        let label = project.template.labels[spec.field].get_ref();
        let at_label = texts.iter().position(|t| t == label);
        let at_marker = texts.iter().position(|t| *t == marker);
        assert!(
            matches!((at_label, at_marker), (Some(l), Some(m)) if l < m),
            "{}: label {label:?} at {at_label:?}, text at {at_marker:?} in {texts:?}",
            spec.key
        );
    }
}

/// A new card field is one row of the table (plus its label and message): the bundled
/// template has exactly one `[labels]` key per row; both languages name every
/// row; and a card page's table has the rows that walking the table's row shapes predicts.
#[test]
fn a_card_field_is_one_table_row() {
    use rollikaart::cards::{CARD_FIELD_COUNT, CARD_FIELDS, RowShape};
    use rollikaart::document::{self, Block, BuildOptions, Selection};
    use rollikaart::i18n::{Lang, has_message};
    let template: toml::Table =
        toml::from_str(&std::fs::read_to_string(root().join("templates/lisa.toml")).unwrap())
            .unwrap();
    let labels = template["labels"].as_table().unwrap();
    assert_eq!(labels.len(), CARD_FIELD_COUNT);
    let mut table_keys: Vec<&str> = CARD_FIELDS.iter().map(|spec| spec.key).collect();
    let mut template_keys: Vec<&str> = labels.keys().map(String::as_str).collect();
    template_keys.sort_unstable();
    table_keys.sort_unstable();
    assert_eq!(template_keys, table_keys, "[labels] against the table");
    for spec in &CARD_FIELDS {
        for lang in Lang::ALL {
            assert!(
                has_message(lang, spec.what),
                "{} in {}",
                spec.what,
                lang.code()
            );
        }
    }
    let mut rows = 0;
    for spec in &CARD_FIELDS {
        rows += match spec.row {
            RowShape::Labelled => 1,
            // A heading bar and the text; a pair's two bars and two texts share two rows.
            RowShape::Heading | RowShape::PairLeft => 2,
            RowShape::PairRight => 0,
        };
    }
    let p = bundled_project();
    for card in &p.source.cards {
        let doc = document::build(
            &p.source,
            &p.template,
            &BuildOptions::default(),
            Selection::OneCard(card),
        );
        let tables: Vec<usize> = doc.pages[0]
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t.rows.len()),
                Block::Paragraph(_) => None,
            })
            .collect();
        assert_eq!(tables, [rows], "{}", card.id);
    }
}

/// Card files are read in parallel, but their problems are reported in the files' order.
#[test]
fn problems_in_several_cards_come_in_file_order() {
    let c = CardsCopy::new();
    let broken = [
        "13-peakasutaja.toml",
        "02-talituse-juhataja.toml",
        "09-peaspetsialist.toml",
        "05-teenuseomanik.toml",
    ];
    for name in broken {
        let text = std::fs::read_to_string(c.file(name)).unwrap();
        let id_line = text.lines().find(|l| l.starts_with("id = ")).unwrap();
        c.edit(name, id_line, "id = \"Not A Slug\"");
    }
    let out = c.check();
    assert!(!out.status.success());
    let err = stderr(&out);
    let at: Vec<usize> = broken
        .iter()
        .map(|name| {
            err.find(name)
                .unwrap_or_else(|| panic!("{name} not named:\n{err}"))
        })
        .collect();
    let mut in_file_order = at.clone();
    in_file_order.sort_unstable();
    assert_eq!(
        [at[1], at[3], at[2], at[0]],
        in_file_order[..],
        "not in file order:\n{err}"
    );
}
