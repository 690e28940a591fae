//! Typed access to one parsed TOML table that records every problem instead of stopping.
//!
//! Serde stops at the first error in a file; the card files need every mistake reported at
//! once, so the loader walks the spanned TOML tree itself through this reader.

use crate::diagnostics::{Diagnostics, SourceFile};
use crate::i18n::tr;
use crate::text::{self, Text};
use crate::tr;
use std::collections::BTreeSet;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// What a field accepts, and the help line shown when it is wrong.
pub struct FieldSpec {
    pub key: &'static str,
    pub what: &'static str,
}

/// How a text field is described when its value has the wrong type.
const TEXT_TYPE: &str = "cards-type-text";

/// Whether a character can be drawn with the bundled fonts.
pub type Coverage<'a> = &'a (dyn Fn(char) -> bool + Sync);

pub struct TableReader<'a, 'i> {
    file: &'a SourceFile,
    table: &'a DeTable<'i>,
    /// Span of the table itself, for "missing field" messages.
    span: Range<usize>,
    /// Path prefix for field names in messages, e.g. `entries[2].`.
    prefix: String,
    known: BTreeSet<&'static str>,
    coverage: Option<Coverage<'a>>,
    pub diagnostics: Diagnostics,
}

impl<'a, 'i> TableReader<'a, 'i> {
    pub fn new(
        file: &'a SourceFile,
        table: &'a DeTable<'i>,
        span: Range<usize>,
        prefix: String,
        coverage: Option<Coverage<'a>>,
    ) -> Self {
        Self {
            file,
            table,
            span,
            prefix,
            known: BTreeSet::new(),
            coverage,
            diagnostics: Diagnostics::default(),
        }
    }

    fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    fn get(&mut self, spec: &FieldSpec) -> Option<&'a Spanned<DeValue<'i>>> {
        self.known.insert(spec.key);
        self.table.get(spec.key)
    }

    fn missing(&mut self, spec: &FieldSpec) {
        let d = self
            .file
            .error_at(
                self.span.start..self.span.start,
                tr!("cards-missing-field", field = self.name(spec.key)),
            )
            .field(self.name(spec.key))
            .help(tr!(
                "cards-missing-field-help",
                key = spec.key,
                what = tr(spec.what, &[])
            ));
        self.diagnostics.push(d);
    }

    fn wrong_type(&mut self, spec: &FieldSpec, value: &Spanned<DeValue<'i>>, expected: &str) {
        let d = self
            .file
            .error_at(
                value.span(),
                tr!(
                    "cards-wrong-type",
                    expected = tr(expected, &[]),
                    found = tr(&format!("cards-found-{}", value.get_ref().type_str()), &[])
                ),
            )
            .field(self.name(spec.key))
            .help(tr(spec.what, &[]));
        self.diagnostics.push(d);
    }

    /// Checks the raw text of a string value for bad characters, reporting at their position.
    fn check_text(&mut self, spec: &FieldSpec, raw: &str, span: Range<usize>) {
        let source = self.file.text.get(span.clone()).unwrap_or_default();
        let mut problems = text::find_problems(raw);
        if let Some(covers) = self.coverage {
            problems.extend(text::find_undrawable(raw, covers));
        }
        for problem in problems {
            let piece = raw.get(problem.range.clone()).unwrap_or_default();
            let at = text::locate_in_value(source, &span, piece);
            let d = self
                .file
                .error_at(at, problem.message)
                .field(self.name(spec.key))
                .help(problem.help);
            self.diagnostics.push(d);
        }
    }

    /// A required non-empty string, trimmed but otherwise as written.
    pub fn string(&mut self, spec: &FieldSpec) -> Option<String> {
        let value = self.optional_string(spec);
        if value.is_none() && !self.table.contains_key(spec.key) {
            self.missing(spec);
        }
        value
    }

    /// An optional string; present but empty is an error.
    pub fn optional_string(&mut self, spec: &FieldSpec) -> Option<String> {
        let value = self.get(spec)?;
        self.text_value(spec, value, "cards-type-string")
            .map(|text| text.paragraphs.join(" "))
    }

    /// An optional string kept exactly as written (spaces matter, e.g. a separator).
    pub fn optional_string_raw(&mut self, spec: &FieldSpec) -> Option<String> {
        let value = self.get(spec)?;
        let raw = self.checked_str(spec, value, "cards-type-string")?;
        if raw.is_empty() || raw.contains('\n') {
            let d = self
                .file
                .error_at(
                    value.span(),
                    tr!("cards-one-line", field = self.name(spec.key)),
                )
                .field(self.name(spec.key))
                .help(tr(spec.what, &[]));
            self.diagnostics.push(d);
            return None;
        }
        Some(raw.to_string())
    }

    /// A required text of one or more paragraphs.
    pub fn text(&mut self, spec: &FieldSpec) -> Option<Text> {
        let Some(value) = self.get(spec) else {
            self.missing(spec);
            return None;
        };
        self.text_value(spec, value, TEXT_TYPE)
    }

    /// The string of `value`, its characters checked; a wrong type is reported as `expected`.
    fn checked_str(
        &mut self,
        spec: &FieldSpec,
        value: &'a Spanned<DeValue<'i>>,
        expected: &str,
    ) -> Option<&'a str> {
        let Some(raw) = value.get_ref().as_str() else {
            self.wrong_type(spec, value, expected);
            return None;
        };
        self.check_text(spec, raw, value.span());
        Some(raw)
    }

    /// The paragraphs of a string value; an empty one is reported.
    fn text_value(
        &mut self,
        spec: &FieldSpec,
        value: &'a Spanned<DeValue<'i>>,
        expected: &str,
    ) -> Option<Text> {
        let raw = self.checked_str(spec, value, expected)?;
        let text = Text::parse(raw);
        if text.is_empty() {
            let d = self
                .file
                .error_at(
                    value.span(),
                    tr!("cards-empty", field = self.name(spec.key)),
                )
                .field(self.name(spec.key))
                .help(tr!("cards-empty-help", what = tr(spec.what, &[])));
            self.diagnostics.push(d);
            return None;
        }
        Some(text)
    }

    /// A required non-empty list of texts, joined into one text of paragraphs.
    pub fn text_list(&mut self, spec: &FieldSpec) -> Option<Text> {
        let Some(value) = self.get(spec) else {
            self.missing(spec);
            return None;
        };
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(spec, value, "cards-type-texts");
            return None;
        };
        if items.is_empty() {
            let d = self
                .file
                .error_at(
                    value.span(),
                    tr!("cards-no-paragraphs", field = self.name(spec.key)),
                )
                .field(self.name(spec.key))
                .help(tr!("cards-no-paragraphs-help", what = tr(spec.what, &[])));
            self.diagnostics.push(d);
            return None;
        }
        let mut all = Text::default();
        let mut ok = true;
        for item in items.iter() {
            match self.text_value(spec, item, TEXT_TYPE) {
                Some(t) => all.extend(t),
                None => ok = false,
            }
        }
        ok.then_some(all)
    }

    /// A required list of plain strings (may be empty).
    pub fn string_list(&mut self, spec: &FieldSpec) -> Option<Vec<String>> {
        let Some(value) = self.get(spec) else {
            self.missing(spec);
            return None;
        };
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(spec, value, "cards-type-strings");
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            if let Some(s) = self.checked_str(spec, item, "cards-type-string") {
                out.push(Text::parse(s).paragraphs.join(" "));
            }
        }
        Some(out)
    }

    /// A required whole number from 1 to `u32::MAX`, with the span of its value.
    pub fn positive_integer(&mut self, spec: &FieldSpec) -> Option<(u32, Range<usize>)> {
        let Some(value) = self.get(spec) else {
            self.missing(spec);
            return None;
        };
        let Some(integer) = value.get_ref().as_integer() else {
            self.wrong_type(spec, value, "cards-type-number");
            return None;
        };
        // Digits beyond i64 are out of range too, not another type.
        let in_range = i64::from_str_radix(&integer.as_str().replace('_', ""), integer.radix())
            .ok()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|&n| n >= 1);
        if in_range.is_none() {
            let d = self
                .file
                .error_at(
                    value.span(),
                    tr!(
                        "cards-number-range",
                        field = self.name(spec.key),
                        max = u32::MAX
                    ),
                )
                .field(self.name(spec.key))
                .help(tr(spec.what, &[]));
            self.diagnostics.push(d);
        }
        in_range.map(|n| (n, value.span()))
    }

    /// A required array of tables (`[[key]]`), each with its span.
    pub fn tables(&mut self, spec: &FieldSpec) -> Option<Vec<(&'a DeTable<'i>, Range<usize>)>> {
        let Some(value) = self.get(spec) else {
            self.missing(spec);
            return None;
        };
        let Some(items) = value.get_ref().as_array() else {
            self.wrong_type(spec, value, "cards-type-tables");
            return None;
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref().as_table() {
                Some(t) => out.push((t, item.span())),
                None => self.wrong_type(spec, item, "cards-type-table"),
            }
        }
        Some(out)
    }

    /// The span of a key's value, if the key is present.
    pub fn value_span(&self, key: &str) -> Option<Range<usize>> {
        self.table.get(key).map(|v| v.span())
    }

    /// Reports keys that no accessor asked for, with a suggestion, and hands back the problems.
    pub fn finish(mut self) -> Diagnostics {
        let known: Vec<&str> = self.known.iter().copied().collect();
        for (key, _) in self.table.iter() {
            let k: &str = key.get_ref();
            if self.known.contains(k) {
                continue;
            }
            let suggestion = known
                .iter()
                .map(|c| (strsim::levenshtein(c, k), *c))
                .filter(|(d, _)| *d <= 3)
                .min()
                .map(|(_, c)| format!("{} ", tr!("cards-did-you-mean", name = c)))
                .unwrap_or_default();
            let d = self
                .file
                .error_at(
                    key.span(),
                    tr!("cards-unknown-field", field = format!("{}{k}", self.prefix)),
                )
                .field(format!("{}{k}", self.prefix))
                .help(tr!(
                    "cards-unknown-field-help",
                    suggestion = suggestion,
                    fields = known.join(", ")
                ));
            self.diagnostics.push(d);
        }
        self.diagnostics
    }
}

/// Parses a TOML file into a spanned table, or the syntax errors found.
pub fn parse(file: &SourceFile) -> Result<Spanned<DeTable<'_>>, Diagnostics> {
    let (table, errors) = DeTable::parse_recoverable(&file.text);
    if errors.is_empty() {
        return Ok(table);
    }
    let mut diagnostics = Diagnostics::default();
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        diagnostics.push(
            file.error_at(span, tr!("cards-toml-syntax", message = message))
                .help(tr!("cards-toml-syntax-help")),
        );
    }
    Err(diagnostics)
}
