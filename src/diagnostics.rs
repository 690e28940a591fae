//! Located error messages for people who edit the card and template files.
//!
//! Every problem the tool finds in the input becomes a [`Diagnostic`]: the file, the line and
//! column, the offending source line, what is wrong and what to do about it, and optionally
//! secondary labels pointing elsewhere (e.g. "first used here" in another file). Loading
//! collects all of them (in all files) before anything is reported, so one run shows every
//! mistake. They are drawn by `annotate-snippets`, rustc's renderer: carets line up under
//! wide characters and tabs, and control characters in the source are shown as symbols.

use crate::tr;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A file's text kept for locating byte offsets as line and column.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            text: text.into(),
        }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset);
        let before = self.text.get(..offset).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before.get(line_start..).unwrap_or_default().chars().count() + 1;
        (line, col)
    }

    /// The text of the 1-based line `line`, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        self.text
            .split('\n')
            .nth(line.saturating_sub(1))
            .unwrap_or("")
            .trim_end_matches('\r')
    }

    /// Where `span` starts, with the part of it on its first line.
    pub fn locate(&self, span: Range<usize>) -> Location {
        let start = floor_char_boundary(&self.text, span.start);
        let end = floor_char_boundary(&self.text, span.end.max(start));
        let (line, column) = self.line_col(start);
        let line_start = self
            .text
            .get(..start)
            .and_then(|before| before.rfind('\n'))
            .map_or(0, |i| i + 1);
        let source_line = self.line_text(line).to_string();
        let from = start.saturating_sub(line_start).min(source_line.len());
        let to = end
            .saturating_sub(line_start)
            .clamp(from, source_line.len());
        Location {
            line,
            column,
            source_line,
            underline: from..to,
        }
    }

    /// A diagnostic pointing at `span` in this file.
    pub fn error_at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: Some(self.path.clone()),
            location: Some(Box::new(self.locate(span))),
            ..Diagnostic::new(None, message)
        }
    }
}

/// The largest char boundary of `text` at or before `offset` (at most the text's length).
fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Where in a file a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub source_line: String,
    /// The bytes of `source_line` to underline (a span over several lines is underlined on
    /// its first line).
    pub underline: Range<usize>,
}

/// A secondary place a diagnostic points at, with what it is, e.g. "first used here".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub file: PathBuf,
    pub location: Location,
    pub text: String,
}

/// One problem in the input, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: Option<PathBuf>,
    pub location: Option<Box<Location>>,
    /// The card or template field concerned, e.g. `why` or `entries[3].term`.
    pub field: Option<String>,
    pub message: String,
    pub help: Option<String>,
    /// Other places that explain this one, e.g. the first card with the same title (a boxed
    /// slice keeps `Result<_, Diagnostic>` small).
    pub labels: Box<[Label]>,
}

impl Diagnostic {
    /// A diagnostic about a whole file (or no file at all).
    pub fn new(file: Option<&Path>, message: impl Into<String>) -> Self {
        Self {
            file: file.map(Path::to_path_buf),
            location: None,
            field: None,
            message: message.into(),
            help: None,
            labels: Box::default(),
        }
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary label at `span` of `file`, e.g. "first used here".
    pub fn secondary(
        mut self,
        file: &SourceFile,
        span: Range<usize>,
        text: impl Into<String>,
    ) -> Self {
        let mut labels = std::mem::take(&mut self.labels).into_vec();
        labels.push(Label {
            file: file.path.clone(),
            location: file.locate(span),
            text: text.into(),
        });
        self.labels = labels.into_boxed_slice();
        self
    }

    /// The first line's text after `error: `: the field concerned, then what is wrong.
    fn title(&self) -> String {
        match &self.field {
            Some(field) => tr!(
                "diag-field",
                field = field.as_str(),
                message = self.message.as_str()
            ),
            None => self.message.clone(),
        }
    }

    /// Writes the diagnostic as text; `color` adds ANSI colours.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let title = self.title();
        let path = self.file.as_ref().map(|f| f.display().to_string());
        // annotate-snippets' own level words are English: the title names them in the language.
        let error = Level::ERROR.with_name(tr!("diag-error"));
        let mut group = Group::with_title(error.primary_title(title.as_str()));
        match (&path, &self.location) {
            (Some(path), Some(loc)) => group = group.element(snippet(path, loc, None)),
            (Some(path), None) => group = group.element(Origin::path(path.as_str())),
            (None, _) => {}
        }
        let label_paths: Vec<String> = self
            .labels
            .iter()
            .map(|l| l.file.display().to_string())
            .collect();
        for (label, path) in self.labels.iter().zip(&label_paths) {
            group = group.element(snippet(path, &label.location, Some(&label.text)));
        }
        if let Some(help) = &self.help {
            group = group.element(
                Level::HELP
                    .with_name(tr!("diag-help"))
                    .message(help.as_str()),
            );
        }
        let mut out = renderer.render(&[group]);
        out.push('\n');
        out
    }
}

/// One source line of `path` with `location` underlined: the primary place when `label` is
/// `None`, else a secondary one with that label.
fn snippet<'a>(
    path: &'a str,
    location: &'a Location,
    label: Option<&'a str>,
) -> Snippet<'a, annotate_snippets::Annotation<'a>> {
    let annotation = match label {
        None => AnnotationKind::Primary.span(location.underline.clone()),
        Some(text) => AnnotationKind::Context
            .span(location.underline.clone())
            .label(text),
    };
    Snippet::source(location.source_line.as_str())
        .line_start(location.line)
        .path(path)
        .annotation(annotation)
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render(false).trim_end())
    }
}

/// All problems found in one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// `Ok(value)` when nothing was reported, else the diagnostics.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    pub fn render(&self, color: bool) -> String {
        let mut out: String = self.0.iter().map(|d| d.render(color) + "\n").collect();
        out.push_str(&tr!("diag-summary", count = self.0.len()));
        out.push('\n');
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let f = SourceFile::new("a.toml", "x = 1\nõun = \"ä\"\n");
        assert_eq!(f.line_col(0), (1, 1));
        let off = f.text.find("\"ä").unwrap();
        assert_eq!(f.line_col(off), (2, 7));
        let d = f.error_at(off..off + 4, "bad").field("x").help("fix it");
        let text = d.render(false);
        assert!(text.starts_with("error: field `x`: bad\n"), "{text}");
        assert!(text.contains("--> a.toml:2:7\n"), "{text}");
        assert!(text.contains("2 | õun = \"ä\"\n"), "{text}");
        assert!(text.contains("  |       ^^^\n"), "{text}");
        assert!(text.contains("= help: fix it"), "{text}");
    }

    #[test]
    fn carets_line_up_under_wide_characters_and_tabs() {
        // Two CJK characters take two columns each, a tab four: the caret sits under `x`.
        let f = SourceFile::new("a.toml", "s = \"漢字\tx\"\n");
        let off = f.text.find('x').unwrap();
        let text = f.error_at(off..off + 1, "bad").render(false);
        let lines: Vec<&str> = text.lines().collect();
        let source = lines.iter().find(|l| l.starts_with("1 |")).unwrap();
        let carets = lines.iter().find(|l| l.ends_with('^')).unwrap();
        let display_col = |s: &str, upto: usize| -> usize {
            s.chars()
                .take(upto)
                .map(|c| match c {
                    '漢' | '字' => 2,
                    '\t' => 4,
                    _ => 1,
                })
                .sum()
        };
        let x_at = display_col(source, source.chars().position(|c| c == 'x').unwrap());
        assert_eq!(carets.chars().count() - 1, x_at, "{text}");
    }

    #[test]
    fn a_secondary_label_points_into_another_file() {
        let first = SourceFile::new("cards/02.toml", "order = 2\ntitle = \"A\"\n");
        let second = SourceFile::new("cards/03.toml", "order = 3\ntitle = \"A\"\n");
        let at = |f: &SourceFile| {
            let i = f.text.find("\"A\"").unwrap();
            i..i + 3
        };
        let d = second
            .error_at(at(&second), "title \"A\" is used twice")
            .secondary(&first, at(&first), "first used here");
        let text = d.render(false);
        assert!(text.contains("--> cards/03.toml:2:9"), "{text}");
        assert!(text.contains("::: cards/02.toml:2:9"), "{text}");
        assert!(text.contains("--- first used here"), "{text}");
    }

    #[test]
    fn spans_past_the_end_or_inside_a_char_do_not_panic() {
        let f = SourceFile::new("a.toml", "õ");
        for (start, end) in [(0, 0), (1, 1), (1, 2), (2, 9), (9, 1), (7, 7)] {
            let span = start..end;
            let text = f.error_at(span.clone(), "x").render(false);
            assert!(text.contains("a.toml:1:"), "{span:?}: {text}");
        }
        let empty = SourceFile::new("b.toml", "");
        assert!(
            empty
                .error_at(0..5, "x")
                .render(true)
                .contains("b.toml:1:1")
        );
    }

    #[test]
    fn whole_file_and_colour() {
        let d = Diagnostic::new(Some(Path::new("cards/lisa.toml")), "cannot read the file")
            .help("create it");
        let plain = d.render(false);
        assert!(plain.contains("error: cannot read the file"), "{plain}");
        assert!(plain.contains("--> cards/lisa.toml"), "{plain}");
        assert!(!plain.contains('\x1b'), "{plain}");
        assert!(d.render(true).contains('\x1b'));
    }
}
