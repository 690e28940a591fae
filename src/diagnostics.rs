//! Located error messages for people who edit the card and template files.
//!
//! Every problem the tool finds in the input becomes a [`Diagnostic`]: the file, the line and
//! column, the offending source line, what is wrong and what to do about it. Loading collects
//! all of them (in all files) before anything is reported, so one run shows every mistake.

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
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
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

    /// A diagnostic pointing at `span` in this file.
    pub fn error_at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self.line_col(span.start);
        let source_line = self.line_text(line).to_string();
        let width = if span.end > span.start {
            let end = floor_char_boundary(&self.text, span.end.min(self.text.len()));
            let start = floor_char_boundary(&self.text, span.start);
            let piece = &self.text[start..end];
            piece
                .split('\n')
                .next()
                .unwrap_or("")
                .chars()
                .count()
                .max(1)
        } else {
            1
        };
        Diagnostic {
            file: Some(self.path.clone()),
            location: Some(Box::new(Location {
                line,
                column,
                width,
                source_line,
            })),
            field: None,
            message: message.into(),
            help: None,
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Where in a file a diagnostic points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// How many characters to underline.
    pub width: usize,
    pub source_line: String,
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

    /// Writes the diagnostic as text; `color` adds ANSI colours.
    pub fn render(&self, color: bool) -> String {
        let (red, blue, bold, reset) = if color {
            ("\x1b[1;31m", "\x1b[1;34m", "\x1b[1m", "\x1b[0m")
        } else {
            ("", "", "", "")
        };
        let mut out = format!("{red}error{reset}{bold}: ");
        if let Some(file) = &self.file {
            out.push_str(&file.display().to_string());
            if let Some(loc) = &self.location {
                out.push_str(&format!(":{}:{}", loc.line, loc.column));
            }
            out.push_str(": ");
        }
        if let Some(field) = &self.field {
            out.push_str(&format!("field `{field}`: "));
        }
        out.push_str(&self.message);
        out.push_str(reset);
        out.push('\n');
        if let Some(loc) = &self.location {
            let number = loc.line.to_string();
            let pad = " ".repeat(number.len());
            let shown: String = loc.source_line.replace('\t', " ");
            out.push_str(&format!("{blue}{pad} |{reset}\n"));
            out.push_str(&format!("{blue}{number} |{reset} {shown}\n"));
            let lead = " ".repeat(loc.column.saturating_sub(1));
            let marks = "^".repeat(loc.width.min(80));
            out.push_str(&format!("{blue}{pad} |{reset} {lead}{red}{marks}{reset}\n"));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("  {blue}= help:{reset} {help}\n"));
        }
        out
    }
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
        let n = self.0.len();
        out.push_str(&format!(
            "{} problem{} found; nothing was written.\n",
            n,
            if n == 1 { "" } else { "s" }
        ));
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
        let d = f.error_at(off..off + 4, "bad");
        let text = d.render(false);
        assert!(text.contains("a.toml:2:7: bad"), "{text}");
        assert!(text.contains("2 | õun = \"ä\""), "{text}");
        assert!(text.contains("  |       ^^^\n"), "{text}");
    }
}
