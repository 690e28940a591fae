//! The annex template: fixed wording, page geometry, fonts and sizes (`templates/lisa.toml`).
//!
//! Nothing the reader sees on a page is decided in code: labels, header lines, sizes, margins,
//! column widths, borders and fills all come from this file. Paths inside it are relative to
//! the template file.

use crate::cards::PerField;
use crate::diagnostics::{Diagnostic, Diagnostics, SourceFile};
use crate::i18n::{self, short};
use crate::text;
use crate::tr;
use crate::units::{SheetGeometry, at_least};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The default template, relative to the working folder.
pub const DEFAULT_TEMPLATE: &str = "templates/lisa.toml";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    pub page: SheetGeometry,
    pub fonts: Fonts,
    pub pdf: Pdf,
    pub sizes: Sizes,
    pub header: Header,
    pub title: TitleStyle,
    pub labels: Labels,
    pub table: Table,
    pub glossary: GlossaryStyle,
    pub hyphenation: Hyphenation,
    pub registration: Registration,
    pub draft: Draft,
    /// How a redline PDF (`rollikaart diff --out`) marks changes; optional in a template.
    #[serde(default)]
    pub redline: RedlineStyle,
    /// The template file itself, for messages.
    #[serde(skip)]
    pub path: PathBuf,
    /// Folder of the template file; relative paths start here.
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// The template file's text, for locating messages after loading.
    #[serde(skip)]
    text: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fonts {
    pub regular: Spanned<String>,
    pub bold: Spanned<String>,
    pub docx_family: String,
    pub language: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pdf {
    pub output_intent_icc: Spanned<String>,
    pub output_intent_name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sizes {
    pub header_pt: f32,
    pub title_pt: f32,
    pub subtitle_pt: f32,
    pub body_pt: f32,
    pub glossary_title_pt: f32,
    pub line_spacing: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub right_lines: Vec<String>,
    pub column_gap_mm: f32,
    pub space_after_mm: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TitleStyle {
    pub space_after_mm: f32,
    /// Printed after a card's title where the card continues on another sheet: "(järg)".
    pub continuation_mark: String,
}

/// `[labels]`: the label of each card field, under the field's key; every key of the card
/// field table is required and no other is allowed (see [`PerField`]'s `Deserialize`).
pub type Labels = PerField<Spanned<String>>;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    pub label_column_mm: f32,
    pub groups_column_mm: f32,
    pub border_pt: f32,
    pub cell_padding_mm: f32,
    pub paragraph_space_pt: f32,
    pub heading_fill: Spanned<String>,
}

/// The marks of a redline PDF: deleted words struck through, inserted words underlined, each
/// in its colour (the line carries the meaning, the colour helps).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedlineStyle {
    /// Colour of deleted words and their strike line, `RRGGBB`.
    pub deleted_color: String,
    /// Colour of inserted words and their underline, `RRGGBB`.
    pub inserted_color: String,
    /// Thickness of the strike and underline.
    pub line_pt: f32,
    /// Height of the strike line above the baseline, as a share of the font size.
    pub strike_rise: f32,
    /// Depth of the underline below the baseline, as a share of the font size.
    pub underline_drop: f32,
    /// What a screen reader says before deleted text (the tagged PDF's `/E`).
    pub deleted_prefix: String,
    /// What a screen reader says before inserted text.
    pub inserted_prefix: String,
    /// The line in the header band of the redline, `{old}` standing for the older cards
    /// folder.
    pub legend: String,
}

/// The bundled template's redline marks (templates/lisa.toml writes the same values), for a
/// template without a `[redline]` section.
const REDLINE_DELETED: &str = "C00000";
const REDLINE_INSERTED: &str = "0046AD";
const REDLINE_LINE_PT: f32 = 0.6;
const REDLINE_STRIKE_RISE: f32 = 0.3;
const REDLINE_UNDERLINE_DROP: f32 = 0.15;
const REDLINE_DELETED_PREFIX: &str = "kustutatud: ";
const REDLINE_INSERTED_PREFIX: &str = "lisatud: ";
const REDLINE_LEGEND: &str = "Muudatused võrreldes: {old}";

impl Default for RedlineStyle {
    fn default() -> RedlineStyle {
        RedlineStyle {
            deleted_color: REDLINE_DELETED.to_string(),
            inserted_color: REDLINE_INSERTED.to_string(),
            line_pt: REDLINE_LINE_PT,
            strike_rise: REDLINE_STRIKE_RISE,
            underline_drop: REDLINE_UNDERLINE_DROP,
            deleted_prefix: REDLINE_DELETED_PREFIX.to_string(),
            inserted_prefix: REDLINE_INSERTED_PREFIX.to_string(),
            legend: REDLINE_LEGEND.to_string(),
        }
    }
}

impl RedlineStyle {
    /// The colour of deleted text; the built-in one if the template's is not a colour.
    pub fn deleted(&self) -> Rgb {
        parse_hex_rgb(&self.deleted_color).unwrap_or(Rgb(0xC0, 0x00, 0x00))
    }

    /// The colour of inserted text; the built-in one if the template's is not a colour.
    pub fn inserted(&self) -> Rgb {
        parse_hex_rgb(&self.inserted_color).unwrap_or(Rgb(0x00, 0x46, 0xAD))
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GlossaryStyle {
    pub separator: String,
    pub entry_space_pt: f32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hyphenation {
    pub exceptions: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub date_format: Spanned<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Draft {
    pub mark: String,
    pub size_pt: f32,
    pub gray: f32,
}

/// The narrowest text column the table check accepts: room for a few letters.
const MIN_TEXT_WIDTH_MM: f32 = 5.0;

/// The range a number in the template must lie in, with what the number is for the hint.
struct Bound {
    key: &'static str,
    value: f32,
    min: f32,
    max: f32,
    /// Whether `min` itself is refused (sizes must be more than 0).
    above_min: bool,
}

impl Bound {
    /// `min..=max`.
    fn between(key: &'static str, value: f32, min: f32, max: f32) -> Bound {
        Bound {
            key,
            value,
            min,
            max,
            above_min: false,
        }
    }

    /// More than `min`, at most `max`.
    fn above(key: &'static str, value: f32, min: f32, max: f32) -> Bound {
        Bound {
            above_min: true,
            ..Bound::between(key, value, min, max)
        }
    }

    /// Whether the value is finite and inside the range.
    fn holds(&self) -> bool {
        self.value.is_finite()
            && self.value <= self.max
            && if self.above_min {
                self.value > self.min
            } else {
                self.value >= self.min
            }
    }

    /// The error at the value's key, saying the range.
    fn refusal(&self, file: &SourceFile) -> Diagnostic {
        let (min, max) = (short(self.min), short(self.max));
        let range = if self.above_min {
            tr!("template-range-above", min = min, max = max)
        } else {
            tr!("template-range-between", min = min, max = max)
        };
        let message = tr!(
            "template-out-of-range",
            key = self.key,
            value = short(self.value),
            range = range.as_str()
        );
        error_at_key(file, self.key, message)
            .help(tr!("template-out-of-range-help", range = range.as_str()))
    }
}

/// Whether two opposite margins leave less than [`MIN_TEXT_WIDTH_MM`] of the page's
/// `extent` (false for NaN: the range check reports that).
fn margins_crowd(near_mm: f32, far_mm: f32, extent_mm: f32) -> bool {
    near_mm + far_mm + MIN_TEXT_WIDTH_MM >= extent_mm
}

/// An RGB colour, each channel 0–255.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Template {
    /// Reads and checks the template file.
    pub fn load(path: &Path) -> Result<Template, Diagnostics> {
        if let Some(why) = not_a_regular_file(path) {
            return Err(
                Diagnostic::new(Some(path), tr!("template-unreadable", why = why))
                    .help(tr!("template-unreadable-help"))
                    .into(),
            );
        }
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::new(Some(path), tr!("template-unreadable", why = e.to_string()))
                .help(tr!("template-unreadable-help"))
        })?;
        let file = SourceFile::new(path, text);
        let mut template: Template = toml::from_str(&file.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            file.error_at(span, toml_message(e.message()))
                .help(tr!("template-syntax-help"))
        })?;
        template.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        template.path = path.to_path_buf();
        let problems = template.check(&file);
        template.text = file.text;
        problems.into_result(template)
    }

    /// The template file's text as it was read.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The absolute (or working-folder relative) path of a path written in the template.
    pub fn resolve(&self, relative: &str) -> PathBuf {
        self.base_dir.join(relative)
    }

    /// A diagnostic pointing at the value of `key` (dotted, e.g. `sizes.body_pt` or
    /// `header.right_lines[1]`), with the key as its field; at the whole file when the key
    /// cannot be found.
    pub fn error_at_key(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        let file = SourceFile::new(&self.path, self.text.as_str());
        error_at_key(&file, key, message)
    }

    /// Every text the template prints, with its key: header lines, labels, the glossary
    /// separator and the draft mark.
    pub fn printed_texts(&self) -> Vec<(String, &str)> {
        let mut texts: Vec<(String, &str)> = self
            .header
            .right_lines
            .iter()
            .enumerate()
            .map(|(i, line)| (format!("header.right_lines[{i}]"), line.as_str()))
            .collect();
        texts.extend(
            self.labels
                .iter()
                .map(|(spec, label)| (format!("labels.{}", spec.key), label.get_ref().as_str())),
        );
        texts.push((
            "glossary.separator".into(),
            self.glossary.separator.as_str(),
        ));
        texts.push(("draft.mark".into(), self.draft.mark.as_str()));
        texts.push((
            "title.continuation_mark".into(),
            self.title.continuation_mark.as_str(),
        ));
        texts
    }

    /// The heading fill as RGB (checked at load time).
    pub fn heading_fill(&self) -> Rgb {
        parse_hex_rgb(self.table.heading_fill.get_ref()).unwrap_or(Rgb(0xD9, 0xD9, 0xD9))
    }

    /// A registration date as the template's `date_format` writes it.
    pub fn format_date(&self, date: chrono::NaiveDate) -> Option<String> {
        let mut rendered = String::new();
        std::fmt::Write::write_fmt(
            &mut rendered,
            format_args!("{}", date.format(self.registration.date_format.get_ref())),
        )
        .ok()
        .map(|()| rendered)
    }

    fn check(&self, file: &SourceFile) -> Diagnostics {
        let mut d = Diagnostics::default();
        self.check_numbers(file, &mut d);
        self.check_geometry(file, &mut d);
        self.check_texts(file, &mut d);
        for (spec, label) in self.labels.iter() {
            if label.get_ref().trim().is_empty() {
                d.push(
                    file.error_at(
                        label.span(),
                        tr!("template-label-empty", key = spec.key.to_string()),
                    )
                    .field(format!("labels.{}", spec.key))
                    .help(tr!("template-label-empty-help")),
                );
            }
        }
        if parse_hex_rgb(self.table.heading_fill.get_ref()).is_none() {
            d.push(
                file.error_at(self.table.heading_fill.span(), tr!("template-not-a-colour"))
                    .field("table.heading_fill")
                    .help(tr!("template-not-a-colour-help")),
            );
        }
        self.check_date_format(file, &mut d);
        for (key, path) in [
            ("fonts.regular", &self.fonts.regular),
            ("fonts.bold", &self.fonts.bold),
            ("pdf.output_intent_icc", &self.pdf.output_intent_icc),
        ] {
            let resolved = self.resolve(path.get_ref());
            if let Some(why) = not_a_regular_file(&resolved) {
                d.push(
                    file.error_at(
                        path.span(),
                        tr!(
                            "template-file-bad",
                            file = resolved.display().to_string(),
                            why = why
                        ),
                    )
                    .field(key)
                    .help(tr!("template-file-bad-help")),
                );
            }
        }
        d
    }

    /// Every number lies in its range (finite, positive sizes, margins and gaps of 0 or
    /// more); the ranges are written beside the values in templates/lisa.toml.
    fn check_numbers(&self, file: &SourceFile, d: &mut Diagnostics) {
        for bound in self.number_bounds() {
            if !bound.holds() {
                d.push(bound.refusal(file));
            }
        }
    }

    /// The range of every number in the template: a table of data, one row a number (long
    /// on purpose; the rows are the rules).
    fn number_bounds(&self) -> [Bound; 23] {
        let (page, sizes, table) = (&self.page, &self.sizes, &self.table);
        let size = |key, value| Bound::above(key, value, 0.0, MAX_FONT_PT);
        let length = |key, value, max| Bound::between(key, value, 0.0, max);
        [
            Bound::between("page.width_mm", page.width_mm, MIN_PAGE_MM, MAX_PAGE_MM),
            Bound::between("page.height_mm", page.height_mm, MIN_PAGE_MM, MAX_PAGE_MM),
            length("page.margin_top_mm", page.margin_top_mm, MAX_PAGE_MM),
            length("page.margin_bottom_mm", page.margin_bottom_mm, MAX_PAGE_MM),
            length("page.margin_left_mm", page.margin_left_mm, MAX_PAGE_MM),
            length("page.margin_right_mm", page.margin_right_mm, MAX_PAGE_MM),
            size("sizes.header_pt", sizes.header_pt),
            size("sizes.title_pt", sizes.title_pt),
            size("sizes.subtitle_pt", sizes.subtitle_pt),
            size("sizes.body_pt", sizes.body_pt),
            size("sizes.glossary_title_pt", sizes.glossary_title_pt),
            Bound::between(
                "sizes.line_spacing",
                sizes.line_spacing,
                MIN_LINE_SPACING,
                MAX_LINE_SPACING,
            ),
            length(
                "header.column_gap_mm",
                self.header.column_gap_mm,
                MAX_GAP_MM,
            ),
            length(
                "header.space_after_mm",
                self.header.space_after_mm,
                MAX_GAP_MM,
            ),
            length(
                "title.space_after_mm",
                self.title.space_after_mm,
                MAX_GAP_MM,
            ),
            Bound::above(
                "table.label_column_mm",
                table.label_column_mm,
                0.0,
                MAX_PAGE_MM,
            ),
            Bound::above(
                "table.groups_column_mm",
                table.groups_column_mm,
                0.0,
                MAX_PAGE_MM,
            ),
            Bound::between(
                "table.border_pt",
                table.border_pt,
                MIN_BORDER_PT,
                MAX_BORDER_PT,
            ),
            length("table.cell_padding_mm", table.cell_padding_mm, MAX_GAP_MM),
            length(
                "table.paragraph_space_pt",
                table.paragraph_space_pt,
                MAX_SPACE_PT,
            ),
            length(
                "glossary.entry_space_pt",
                self.glossary.entry_space_pt,
                MAX_SPACE_PT,
            ),
            Bound::above("draft.size_pt", self.draft.size_pt, 0.0, MAX_DRAFT_MARK_PT),
            Bound::between("draft.gray", self.draft.gray, 0.0, 1.0),
        ]
    }

    /// The page is larger than its margins, the columns fit beside each other with room for
    /// text after the padding, and the header's gap leaves room for the annex title.
    fn check_geometry(&self, file: &SourceFile, d: &mut Diagnostics) {
        let mut refuse = |key: &str, message: String, help: String| {
            d.push(error_at_key(file, key, message).help(help));
        };
        let page = &self.page;
        // Each pair of margins against the page's extent: the key, the message and its help,
        // and the names of the three sizes in the message.
        let rules = [
            (
                "page.margin_left_mm",
                ["template-side-margins", "template-side-margins-help"],
                [
                    ("left", page.margin_left_mm),
                    ("right", page.margin_right_mm),
                ],
                ("width", page.width_mm),
            ),
            (
                "page.margin_top_mm",
                [
                    "template-top-bottom-margins",
                    "template-top-bottom-margins-help",
                ],
                [
                    ("top", page.margin_top_mm),
                    ("bottom", page.margin_bottom_mm),
                ],
                ("height", page.height_mm),
            ),
        ];
        for (key, [message, help], [near, far], extent) in rules {
            if margins_crowd(near.1, far.1, extent.1) {
                let args = [near, far, extent].map(|(name, mm)| (name, short(mm)));
                refuse(key, i18n::tr(message, &args), i18n::tr(help, &[]));
            }
        }
        self.check_columns(&mut refuse);
        let content = page.content_width_mm();
        if !at_least(content / 2.0, self.header.column_gap_mm + MIN_TEXT_WIDTH_MM) {
            refuse(
                "header.column_gap_mm",
                tr!(
                    "template-gap",
                    gap = short(self.header.column_gap_mm),
                    content = short(content)
                ),
                tr!("template-gap-help"),
            );
        }
    }

    /// The table's three columns each leave room for text, also after the cell padding.
    fn check_columns(&self, refuse: &mut dyn FnMut(&str, String, String)) {
        let table = &self.table;
        let content = self.page.content_width_mm();
        let columns = [
            ("table.label_column_mm", table.label_column_mm),
            (
                "table.groups_column_mm",
                table.groups_column_mm - table.label_column_mm,
            ),
            ("table.groups_column_mm", content - table.groups_column_mm),
        ];
        let padding = 2.0 * table.cell_padding_mm;
        if columns
            .iter()
            .any(|(_, w)| !at_least(*w, MIN_TEXT_WIDTH_MM))
        {
            refuse(
                "table.groups_column_mm",
                tr!(
                    "template-columns",
                    label = short(table.label_column_mm),
                    groups = short(table.groups_column_mm),
                    content = short(content),
                    min = short(MIN_TEXT_WIDTH_MM)
                ),
                tr!("template-columns-help"),
            );
        } else if let Some((_, narrowest)) = columns
            .iter()
            .copied()
            .find(|(_, w)| !at_least(*w, padding + MIN_TEXT_WIDTH_MM))
        {
            refuse(
                "table.cell_padding_mm",
                tr!(
                    "template-padding",
                    padding = short(table.cell_padding_mm),
                    min = short(MIN_TEXT_WIDTH_MM),
                    narrowest = short(narrowest)
                ),
                tr!("template-padding-help"),
            );
        }
    }

    /// No text holds a control character; the printed ones hold only known placeholders.
    fn check_texts(&self, file: &SourceFile, d: &mut Diagnostics) {
        let printed: Vec<String> = self.printed_texts().into_iter().map(|(k, _)| k).collect();
        let Ok(table) = toml::de::DeTable::parse(&file.text) else {
            return;
        };
        let mut strings = Vec::new();
        collect_strings(table.get_ref(), "", &mut strings);
        for (key, value, span) in strings {
            let source = file.text.get(span.clone()).unwrap_or_default();
            let mut problems = text::find_control_characters(value);
            if printed.contains(&key) {
                problems.extend(text::find_unknown_placeholders(value));
            }
            for p in problems {
                let piece = value.get(p.range.clone()).unwrap_or_default();
                d.push(
                    file.error_at(text::locate_in_value(source, &span, piece), p.message)
                        .field(key.clone())
                        .help(p.help),
                );
            }
        }
    }

    /// The date format writes a date that holds the day and no control character.
    fn check_date_format(&self, file: &SourceFile, d: &mut Diagnostics) {
        let sample = chrono::NaiveDate::from_ymd_opt(2024, 3, 15);
        let rendered = sample.and_then(|s| self.format_date(s));
        let usable = rendered.as_deref().is_some_and(|r| {
            r.contains("15") && !r.chars().any(char::is_control) && !r.contains(['{', '}'])
        });
        if !usable {
            d.push(
                file.error_at(
                    self.registration.date_format.span(),
                    tr!("template-date-format"),
                )
                .field("registration.date_format")
                .help(tr!("template-date-format-help")),
            );
        }
    }
}

// The ranges of the template's numbers (also written in templates/lisa.toml).
/// Smallest and largest page side: a business card to twice A0's long side.
const MIN_PAGE_MM: f32 = 50.0;
const MAX_PAGE_MM: f32 = 2400.0;
/// Largest font size of any text; the page fit is checked as well.
const MAX_FONT_PT: f32 = 200.0;
/// Line spacing as a multiple of single spacing. Tighter than single spacing, the lines of a
/// paragraph overlap and the last one reaches below its cell (found by the template
/// property test at 0.51).
const MIN_LINE_SPACING: f32 = 1.0;
const MAX_LINE_SPACING: f32 = 5.0;
/// Largest gap, space or padding in millimetres.
const MAX_GAP_MM: f32 = 200.0;
/// Largest paragraph or entry space in points.
const MAX_SPACE_PT: f32 = 200.0;
/// Border widths: a visible hairline to a heavy rule.
const MIN_BORDER_PT: f32 = 0.1;
const MAX_BORDER_PT: f32 = 10.0;
/// Largest draft mark.
const MAX_DRAFT_MARK_PT: f32 = 1000.0;

/// Why `path` cannot be read as an input file, without opening it: it does not exist, or it
/// is a folder, a named pipe, a device or a socket. `None` for a regular file (or a link to
/// one).
pub fn not_a_regular_file(path: &Path) -> Option<String> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Some(tr!("template-file-missing"));
        }
        Err(e) => return Some(tr!("template-file-unreadable", error = e.to_string())),
    };
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some(tr!("template-file-folder"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some(tr!("template-file-fifo"));
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some(tr!("template-file-device"));
        }
        if kind.is_socket() {
            return Some(tr!("template-file-socket"));
        }
    }
    Some(tr!("template-file-irregular"))
}

/// A diagnostic at the value of a dotted key (`sizes.body_pt`, `header.right_lines[1]`) in
/// a TOML file, with the key as its field; at the whole file when it cannot be found.
pub fn error_at_key(file: &SourceFile, key: &str, message: impl Into<String>) -> Diagnostic {
    let span = toml::de::DeTable::parse(&file.text)
        .ok()
        .and_then(|table| value_span(table.get_ref(), key));
    match span {
        Some(span) => file.error_at(span, message),
        None => Diagnostic::new(Some(&file.path), message),
    }
    .field(key)
}

/// The span of the value at a dotted key (as for [`error_at_key`]) in a TOML file.
pub fn key_span(file: &SourceFile, key: &str) -> Option<std::ops::Range<usize>> {
    let table = toml::de::DeTable::parse(&file.text).ok()?;
    value_span(table.get_ref(), key)
}

/// The span of the value at a dotted key with optional `[index]` parts.
fn value_span(table: &toml::de::DeTable<'_>, key: &str) -> Option<std::ops::Range<usize>> {
    let mut parts = key.split('.');
    let first = parts.next()?;
    let mut value = lookup(table, first)?;
    for part in parts {
        value = lookup(value.get_ref().as_table()?, part)?;
    }
    Some(value.span())
}

fn lookup<'t, 'i>(
    table: &'t toml::de::DeTable<'i>,
    part: &str,
) -> Option<&'t Spanned<toml::de::DeValue<'i>>> {
    match part.split_once('[') {
        None => table.get(part),
        Some((name, index)) => {
            let i: usize = index.strip_suffix(']')?.parse().ok()?;
            table.get(name)?.get_ref().as_array()?.get(i)
        }
    }
}

/// Every string value of a TOML text, with its dotted key and span (none when the text does
/// not parse).
pub fn string_values(text: &str) -> Vec<(String, String, std::ops::Range<usize>)> {
    let Ok(table) = toml::de::DeTable::parse(text) else {
        return Vec::new();
    };
    let mut strings = Vec::new();
    collect_strings(table.get_ref(), "", &mut strings);
    strings
        .into_iter()
        .map(|(key, value, span)| (key, value.to_string(), span))
        .collect()
}

/// Every string value in `table`, with its dotted key and span.
fn collect_strings<'t>(
    table: &'t toml::de::DeTable<'_>,
    prefix: &str,
    out: &mut Vec<(String, &'t str, std::ops::Range<usize>)>,
) {
    for (key, value) in table.iter() {
        let name = format!("{prefix}{}", key.get_ref());
        collect_value(value, name, out);
    }
}

fn collect_value<'t>(
    value: &'t Spanned<toml::de::DeValue<'_>>,
    name: String,
    out: &mut Vec<(String, &'t str, std::ops::Range<usize>)>,
) {
    use toml::de::DeValue;
    match value.get_ref() {
        DeValue::String(s) => out.push((name, s.as_ref(), value.span())),
        DeValue::Table(t) => collect_strings(t, &format!("{name}."), out),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_value(item, format!("{name}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn parse_hex_rgb(s: &str) -> Option<Rgb> {
    let s = s.trim_start_matches('#');
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&s[i..i + 2], 16).ok();
    Some(Rgb(channel(0)?, channel(2)?, channel(4)?))
}

/// A TOML reader message in the language in force: serde's "missing field `key`" is ours
/// to say; any other message is the reader's own.
fn toml_message(message: &str) -> String {
    let message = message.trim();
    match message
        .strip_prefix(SERDE_MISSING_FIELD)
        .and_then(|rest| rest.strip_prefix('`'))
        .and_then(|rest| rest.strip_suffix('`'))
    {
        Some(key) => tr!("template-missing-key", key = key),
        None => message.to_string(),
    }
}

/// How serde starts the message for a key the template lacks.
const SERDE_MISSING_FIELD: &str = "missing field ";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cards::CARD_FIELDS;

    #[test]
    fn hex_colours() {
        assert_eq!(parse_hex_rgb("D9d9D9"), Some(Rgb(0xD9, 0xD9, 0xD9)));
        assert_eq!(parse_hex_rgb("#000000"), Some(Rgb(0, 0, 0)));
        assert_eq!(parse_hex_rgb("D9D9"), None);
        assert_eq!(parse_hex_rgb("GGGGGG"), None);
    }

    fn labels_toml(keys: &[&str]) -> String {
        keys.iter()
            .map(|k| format!("{k} = \"label of {k}\"\n"))
            .collect()
    }

    /// `[labels]` takes exactly the keys of the card field table and hands each one back under
    /// its own field; a missing or an unknown key is refused by name.
    #[test]
    fn the_labels_are_the_card_field_table() {
        let keys = CARD_FIELDS.map(|spec| spec.key);
        let labels: Labels = toml::from_str(&labels_toml(&keys)).unwrap();
        for spec in &CARD_FIELDS {
            assert_eq!(
                labels[spec.field].get_ref(),
                &format!("label of {}", spec.key)
            );
        }
        for spec in &CARD_FIELDS {
            let without: Vec<&str> = keys.iter().copied().filter(|k| *k != spec.key).collect();
            let error = toml::from_str::<Labels>(&labels_toml(&without)).unwrap_err();
            assert!(
                error
                    .message()
                    .contains(&format!("missing field `{}`", spec.key)),
                "{error}"
            );
        }
        let mut extra = keys.to_vec();
        extra.push("rolse");
        let error = toml::from_str::<Labels>(&labels_toml(&extra)).unwrap_err();
        assert!(
            error
                .message()
                .contains("unknown field `rolse`, expected one of `why`, `roles`"),
            "{error}"
        );
        assert!(error.span().is_some(), "{error}");
    }
}
