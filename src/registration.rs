//! Registration data: template mode keeps `{regDateTime}` and `{regNumber}` for the registry
//! system (Delta) to fill; final mode fills them from the command line.

use crate::diagnostics::Diagnostic;
use crate::text::placeholder_ranges;
use chrono::NaiveDate;

/// Longest directive number accepted.
const MAX_NUMBER_CHARS: usize = 64;

/// Which placeholder a piece of text stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    RegDate,
    RegNumber,
}

impl Field {
    pub fn placeholder(self) -> &'static str {
        match self {
            Field::RegDate => "{regDateTime}",
            Field::RegNumber => "{regNumber}",
        }
    }

    fn from_placeholder(p: &str) -> Option<Field> {
        [Field::RegDate, Field::RegNumber]
            .into_iter()
            .find(|f| f.placeholder() == p)
    }
}

/// Template mode (placeholders kept) or final mode (values filled in).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Registration {
    #[default]
    Template,
    Final {
        date: NaiveDate,
        number: String,
    },
}

/// A piece of text: literal, or the text standing for a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub field: Option<Field>,
}

impl Registration {
    /// Builds the mode from the two command-line values; both or neither must be given.
    pub fn from_args(date: Option<&str>, number: Option<&str>) -> Result<Registration, Diagnostic> {
        match (date, number) {
            (None, None) => Ok(Registration::Template),
            (Some(d), Some(n)) => Ok(Registration::Final {
                date: parse_date(d)?,
                number: check_number(n)?,
            }),
            (Some(_), None) => Err(Diagnostic::new(
                None,
                "--reg-date was given without --reg-number",
            )
            .help("give both --reg-date and --reg-number (final mode) or neither (template mode)")),
            (None, Some(_)) => Err(Diagnostic::new(
                None,
                "--reg-number was given without --reg-date",
            )
            .help("give both --reg-date and --reg-number (final mode) or neither (template mode)")),
        }
    }

    pub fn is_final(&self) -> bool {
        matches!(self, Registration::Final { .. })
    }

    /// Splits `text` at the placeholders; in final mode they are replaced by the values,
    /// with the date written in `date_format`.
    pub fn expand(&self, text: &str, date_format: &str) -> Vec<Piece> {
        let mut pieces = Vec::new();
        let mut at = 0;
        for (range, p) in placeholder_ranges(text) {
            if range.start > at {
                pieces.push(Piece {
                    text: text[at..range.start].to_string(),
                    field: None,
                });
            }
            let field = Field::from_placeholder(p);
            let value = match (self, field) {
                (Registration::Final { date, .. }, Some(Field::RegDate)) => {
                    date.format(date_format).to_string()
                }
                (Registration::Final { number, .. }, Some(Field::RegNumber)) => number.clone(),
                _ => p.to_string(),
            };
            pieces.push(Piece { text: value, field });
            at = range.end;
        }
        if at < text.len() || pieces.is_empty() {
            pieces.push(Piece {
                text: text[at..].to_string(),
                field: None,
            });
        }
        pieces
    }
}

/// Reads `15.03.2024` or `2024-03-15`; impossible dates are errors.
pub fn parse_date(s: &str) -> Result<NaiveDate, Diagnostic> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%d.%m.%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .map_err(|_| {
            Diagnostic::new(None, format!("`{s}` is not a valid registration date"))
                .field("--reg-date")
                .help("write the date as dd.mm.yyyy (15.03.2024) or yyyy-mm-dd (2024-03-15); the day must exist in that month")
        })
}

/// Checks a directive number: letters, digits, `-/.` and spaces, at most 64 characters.
pub fn check_number(s: &str) -> Result<String, Diagnostic> {
    let trimmed = s.trim();
    let ok = !trimmed.is_empty()
        && trimmed.chars().count() <= MAX_NUMBER_CHARS
        && trimmed
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | '.' | ' '));
    if ok {
        Ok(trimmed.to_string())
    } else {
        Err(Diagnostic::new(None, format!("`{}` is not a valid directive number", s.escape_debug()))
            .field("--reg-number")
            .help(format!(
                "give the number as registered, e.g. 1-1/24/37: letters, digits, '-', '/', '.' and spaces, at most {MAX_NUMBER_CHARS} characters, on one line"
            )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_forms_and_impossible_ones() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 15).unwrap();
        assert_eq!(parse_date("15.03.2024").unwrap(), d);
        assert_eq!(parse_date("2024-03-15").unwrap(), d);
        assert!(parse_date("31.02.2024").is_err());
        assert!(parse_date("2024-13-01").is_err());
        assert!(parse_date("15/03/2024").is_err());
    }

    #[test]
    fn numbers() {
        assert_eq!(check_number("1-1/24/37").unwrap(), "1-1/24/37");
        assert!(check_number("1\n2").is_err());
        assert!(check_number("").is_err());
        assert!(check_number(&"1".repeat(65)).is_err());
        assert!(check_number("1-1;drop").is_err());
    }

    #[test]
    fn half_given_is_an_error() {
        assert!(Registration::from_args(Some("15.03.2024"), None).is_err());
        assert!(Registration::from_args(None, Some("1")).is_err());
        assert_eq!(
            Registration::from_args(None, None).unwrap(),
            Registration::Template
        );
    }

    #[test]
    fn expand_keeps_or_fills() {
        let text = "{regDateTime} käskkirjaga nr {regNumber}";
        let t = Registration::Template.expand(text, "%d.%m.%Y");
        assert_eq!(t.len(), 3);
        assert_eq!(
            t[0],
            Piece {
                text: "{regDateTime}".into(),
                field: Some(Field::RegDate)
            }
        );
        assert_eq!(t[1].text, " käskkirjaga nr ");
        let f = Registration::from_args(Some("2024-03-05"), Some("1-1/24/37")).unwrap();
        let joined: String = f
            .expand(text, "%d.%m.%Y")
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(joined, "05.03.2024 käskkirjaga nr 1-1/24/37");
    }
}
