//! Reading a cards folder: the annex file, one file per card, the glossary.

use super::reader::{self, Coverage, FieldSpec, TableReader};
use super::{Annex, AnnexSource, Card, FieldKind, Glossary, GlossaryEntry, PerField};
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::tr;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The annex-level file inside the cards folder.
pub const ANNEX_FILE: &str = "lisa.toml";
/// The glossary file inside the cards folder.
pub const GLOSSARY_FILE: &str = "sonaraamat.toml";

const ANNEX_TITLE: FieldSpec = FieldSpec {
    key: "title",
    what: "cards-what-annex-title",
};
const ANNEX_AUTHORITY: FieldSpec = FieldSpec {
    key: "authority",
    what: "cards-what-annex-authority",
};
const ANNEX_LABEL: FieldSpec = FieldSpec {
    key: "label",
    what: "cards-what-annex-label",
};
/// Once required and never used: the document language is the template's `fonts.language`.
/// Still accepted (if a string) so that an older annex file loads; its value is not read.
const ANNEX_LANGUAGE: FieldSpec = FieldSpec {
    key: "language",
    what: "cards-what-annex-language",
};
const ANNEX_SUBJECT: FieldSpec = FieldSpec {
    key: "subject",
    what: "cards-what-annex-subject",
};
const ANNEX_KEYWORDS: FieldSpec = FieldSpec {
    key: "keywords",
    what: "cards-what-annex-keywords",
};

const ORDER: FieldSpec = FieldSpec {
    key: "order",
    what: "cards-what-order",
};
const ID: FieldSpec = FieldSpec {
    key: "id",
    what: "cards-what-id",
};
const TITLE: FieldSpec = FieldSpec {
    key: "title",
    what: "cards-what-title",
};
const SUBTITLE: FieldSpec = FieldSpec {
    key: "subtitle",
    what: "cards-what-subtitle",
};
const GLOSSARY_TITLE: FieldSpec = FieldSpec {
    key: "title",
    what: "cards-what-glossary-title",
};
const GLOSSARY_ENTRIES: FieldSpec = FieldSpec {
    key: "entries",
    what: "cards-what-glossary-entries",
};
const TERM: FieldSpec = FieldSpec {
    key: "term",
    what: "cards-what-term",
};
const SEPARATOR: FieldSpec = FieldSpec {
    key: "separator",
    what: "cards-what-separator",
};
const DEFINITION: FieldSpec = FieldSpec {
    key: "definition",
    what: "cards-what-definition",
};

/// Reads and validates the cards folder. `coverage` tells which characters the fonts can draw;
/// without it (fonts unavailable) that check is skipped.
pub fn load(dir: &Path, coverage: Option<Coverage<'_>>) -> Result<AnnexSource, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            return Err(Diagnostic::new(
                Some(dir),
                tr!("cards-folder-unreadable", error = e.to_string()),
            )
            .help(tr!("cards-folder-unreadable-help"))
            .into());
        }
    };
    let mut card_files: Vec<PathBuf> = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.extension().is_some_and(|e| e == "toml")
            && name != ANNEX_FILE
            && name != GLOSSARY_FILE
        {
            card_files.push(path);
        }
    }
    card_files.sort();

    let annex = read_file(&dir.join(ANNEX_FILE), &mut diagnostics)
        .and_then(|f| annex_from(&f, coverage, &mut diagnostics));
    let glossary = read_file(&dir.join(GLOSSARY_FILE), &mut diagnostics)
        .and_then(|f| glossary_from(&f, coverage, &mut diagnostics));

    if card_files.is_empty() {
        diagnostics.push(
            Diagnostic::new(Some(dir), tr!("cards-folder-empty"))
                .help(tr!("cards-folder-empty-help")),
        );
    }
    let mut cards = Vec::new();
    let mut places: Vec<Places> = Vec::new();
    for (loaded, found) in read_cards(&card_files, coverage) {
        diagnostics.extend(found);
        if let Some((card, at)) = loaded {
            cards.push(card);
            places.push(at);
        }
    }
    check_unique(&cards, &places, &mut diagnostics);

    cards.sort_by_key(|c| c.order);
    match (annex, glossary) {
        (Some(annex), Some(glossary)) if diagnostics.is_empty() => Ok(AnnexSource {
            annex,
            cards,
            glossary,
        }),
        _ => Err(diagnostics),
    }
}

/// Each card file read and parsed, with what was found wrong in it, in the order of
/// `paths`. The files are independent, so they are read on several threads
/// ([`crate::parallel`]); the results and messages keep the files' order.
fn read_cards(
    paths: &[PathBuf],
    coverage: Option<Coverage<'_>>,
) -> Vec<(Option<(Card, Places)>, Diagnostics)> {
    crate::parallel::map_in_order(
        paths,
        || (),
        |(), _, path| {
            let mut found = Diagnostics::default();
            let loaded =
                read_file(path, &mut found).and_then(|file| card_from(&file, coverage, &mut found));
            (loaded, found)
        },
    )
}

fn read_file(path: &Path, diagnostics: &mut Diagnostics) -> Option<SourceFile> {
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(SourceFile::new(path, text)),
            Err(e) => {
                let bytes = e.as_bytes();
                let valid = e.utf8_error().valid_up_to();
                let prefix = String::from_utf8_lossy(bytes.get(..valid).unwrap_or_default());
                let file = SourceFile::new(path, prefix);
                let mut d = file.error_at(valid..valid, tr!("cards-not-utf8"));
                d.help = Some(tr!("cards-not-utf8-help"));
                diagnostics.push(d);
                None
            }
        },
        Err(e) => {
            let (message, help) = if e.kind() == std::io::ErrorKind::NotFound {
                (tr!("cards-file-missing"), tr!("cards-file-missing-help"))
            } else {
                (
                    tr!("cards-file-unreadable", error = e.to_string()),
                    tr!("cards-file-unreadable-help"),
                )
            };
            diagnostics.push(Diagnostic::new(Some(path), message).help(help));
            None
        }
    }
}

fn annex_from(
    file: &SourceFile,
    coverage: Option<Coverage<'_>>,
    diagnostics: &mut Diagnostics,
) -> Option<Annex> {
    let table = parse_into(file, diagnostics)?;
    let mut r = TableReader::new(file, table.get_ref(), table.span(), String::new(), coverage);
    let title = r.string(&ANNEX_TITLE);
    let authority = r.string(&ANNEX_AUTHORITY);
    let label = r.string(&ANNEX_LABEL);
    let _not_read = r.optional_string(&ANNEX_LANGUAGE);
    let subject = r.string(&ANNEX_SUBJECT);
    let keywords = r.string_list(&ANNEX_KEYWORDS);
    let found = r.finish();
    let ok = found.is_empty();
    diagnostics.extend(found);
    let annex = Annex {
        title: title?,
        authority: authority?,
        label: label?,
        subject: subject?,
        keywords: keywords?,
    };
    ok.then_some(annex)
}

/// A loaded card's file and where its unique keys stand in it, for "used twice" messages.
struct Places {
    file: SourceFile,
    order: Range<usize>,
    id: Range<usize>,
    title: Range<usize>,
}

fn card_from(
    file: &SourceFile,
    coverage: Option<Coverage<'_>>,
    diagnostics: &mut Diagnostics,
) -> Option<(Card, Places)> {
    let table = parse_into(file, diagnostics)?;
    let mut r = TableReader::new(file, table.get_ref(), table.span(), String::new(), coverage);
    let order = r.positive_integer(&ORDER);
    let id = r.string(&ID);
    let title = r.string(&TITLE);
    let subtitle = r.optional_string(&SUBTITLE);
    let fields = PerField::from_fn(|spec| match spec.kind {
        FieldKind::Text => r.text(&spec.reader_spec()),
        FieldKind::TextList => r.text_list(&spec.reader_spec()),
    });
    let id_span = r.value_span(ID.key).unwrap_or(0..0);
    let title_span = r.value_span(TITLE.key).unwrap_or(0..0);
    let mut found = r.finish();
    if let Some(id) = &id
        && !is_slug(id)
    {
        found.push(
            file.error_at(id_span.clone(), tr!("cards-id-not-slug", id = id.as_str()))
                .field("id")
                .help(tr!("cards-id-not-slug-help")),
        );
    }
    let ok = found.is_empty();
    diagnostics.extend(found);
    let (order, order_span) = order?;
    let card = Card {
        order,
        id: id?,
        title: title?,
        subtitle,
        fields: fields.transpose()?,
        source: file.path.clone(),
    };
    let places = Places {
        file: file.clone(),
        order: order_span,
        id: id_span,
        title: title_span,
    };
    ok.then_some((card, places))
}

fn glossary_from(
    file: &SourceFile,
    coverage: Option<Coverage<'_>>,
    diagnostics: &mut Diagnostics,
) -> Option<Glossary> {
    let table = parse_into(file, diagnostics)?;
    let mut r = TableReader::new(file, table.get_ref(), table.span(), String::new(), coverage);
    let title = r.string(&GLOSSARY_TITLE);
    let tables = r.tables(&GLOSSARY_ENTRIES);
    let entries_span = r.value_span(GLOSSARY_ENTRIES.key);
    let mut found = r.finish();
    let mut entries = Vec::new();
    for (i, (t, span)) in tables.iter().flatten().enumerate() {
        let mut er = TableReader::new(
            file,
            t,
            span.clone(),
            format!("entries[{}].", i + 1),
            coverage,
        );
        let term = er.string(&TERM);
        let separator = er.optional_string_raw(&SEPARATOR);
        let definition = er.text(&DEFINITION);
        found.extend(er.finish());
        if let (Some(term), Some(definition)) = (term, definition) {
            entries.push(GlossaryEntry {
                term,
                separator,
                definition,
            });
        }
    }
    if tables.as_ref().is_some_and(|t| t.is_empty()) {
        found.push(
            file.error_at(entries_span.unwrap_or(0..0), tr!("cards-glossary-empty"))
                .field("entries")
                .help(tr!("cards-glossary-empty-help")),
        );
    }
    let ok = found.is_empty();
    diagnostics.extend(found);
    let glossary = Glossary {
        title: title?,
        entries,
    };
    ok.then_some(glossary)
}

fn parse_into<'f>(
    file: &'f SourceFile,
    diagnostics: &mut Diagnostics,
) -> Option<toml::Spanned<toml::de::DeTable<'f>>> {
    match reader::parse(file) {
        Ok(t) => Some(t),
        Err(d) => {
            diagnostics.extend(d);
            None
        }
    }
}

/// Whether `id` is a lowercase ASCII slug usable as a file name.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && !id.starts_with('-')
        && !id.ends_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A key that must name one card: the field, where it stands, what two cards are compared by,
/// and the message and help when a second card uses it.
struct Unique {
    field: &'static FieldSpec,
    span: fn(&Places) -> Range<usize>,
    key: fn(&Card) -> String,
    twice: fn(&Card) -> String,
    help: &'static str,
}

/// Order, id and title must each name one card: the title too, since `rollikaart card TITLE`
/// finds a card by it (case-insensitively).
const UNIQUE: [Unique; 3] = [
    Unique {
        field: &ORDER,
        span: |at| at.order.clone(),
        key: |card| card.order.to_string(),
        twice: |card| tr!("cards-order-twice", order = card.order),
        help: "cards-order-twice-help",
    },
    Unique {
        field: &ID,
        span: |at| at.id.clone(),
        key: |card| card.id.clone(),
        twice: |card| tr!("cards-id-twice", id = card.id.as_str()),
        help: "cards-id-twice-help",
    },
    Unique {
        field: &TITLE,
        span: |at| at.title.clone(),
        key: |card| card.title.to_lowercase(),
        twice: |card| tr!("cards-title-twice", title = card.title.as_str()),
        help: "cards-title-twice-help",
    },
];

/// Each key in [`UNIQUE`] names one card. The second use is the error, the first is shown
/// beside it; a card's errors come in the table's order.
fn check_unique(cards: &[Card], places: &[Places], diagnostics: &mut Diagnostics) {
    let mut first: [BTreeMap<String, usize>; UNIQUE.len()] = Default::default();
    for (i, (card, at)) in cards.iter().zip(places).enumerate() {
        for (rule, first) in UNIQUE.iter().zip(&mut first) {
            let earlier = *first.entry((rule.key)(card)).or_insert(i);
            if earlier == i {
                continue;
            }
            let Some((other, other_at)) = cards.get(earlier).zip(places.get(earlier)) else {
                continue;
            };
            diagnostics.push(
                at.file
                    .error_at((rule.span)(at), (rule.twice)(card))
                    .field(rule.field.key)
                    .secondary(
                        &other_at.file,
                        (rule.span)(other_at),
                        tr!("cards-first-used-here"),
                    )
                    .help(tr!(rule.help, other = other.source.display().to_string())),
            );
        }
    }
}
