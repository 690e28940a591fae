//! Registration data: template mode keeps `{regDateTime}` and `{regNumber}` for the registry
//! system (Delta) to fill; final mode fills them from the command line.

use crate::diagnostics::Diagnostic;
use crate::text::placeholder_ranges;
use crate::tr;
use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;

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

impl Registration {
    /// Builds the mode from the two command-line values; both or neither must be given.
    pub fn from_args(date: Option<&str>, number: Option<&str>) -> Result<Registration, Diagnostic> {
        match (date, number) {
            (None, None) => Ok(Registration::Template),
            (Some(d), Some(n)) => Ok(Registration::Final {
                date: parse_date(d)?,
                number: check_number(n)?,
            }),
            (Some(_), None) => Err(
                Diagnostic::new(None, tr!("registration-date-without-number"))
                    .help(tr!("registration-both-or-neither")),
            ),
            (None, Some(_)) => Err(
                Diagnostic::new(None, tr!("registration-number-without-date"))
                    .help(tr!("registration-both-or-neither")),
            ),
        }
    }

    pub fn is_final(&self) -> bool {
        matches!(self, Registration::Final { .. })
    }

    /// Splits `text` at the placeholders: the literal pieces and the placeholders, which in
    /// final mode are replaced by the values, with the date written in `date_format`.
    pub fn expand(&self, text: &str, date_format: &str) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut at = 0;
        for (range, p) in placeholder_ranges(text) {
            if range.start > at {
                pieces.push(text[at..range.start].to_string());
            }
            let value = match (self, Field::from_placeholder(p)) {
                (Registration::Final { date, .. }, Some(Field::RegDate)) => {
                    date.format(date_format).to_string()
                }
                (Registration::Final { number, .. }, Some(Field::RegNumber)) => number.clone(),
                _ => p.to_string(),
            };
            pieces.push(value);
            at = range.end;
        }
        if at < text.len() || pieces.is_empty() {
            pieces.push(text[at..].to_string());
        }
        pieces
    }
}

/// The years a registration date may have: a four-digit year of this or the last century,
/// so that `15.03.24` cannot become the year 24.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

/// The longest run of digits read as a year (so that 20245 is reported as a year without
/// four digits rather than as no date at all).
const MAX_YEAR_DIGITS: usize = 9;

/// Letters a directive number may hold besides the ASCII ones: the Estonian letters.
const ESTONIAN_LETTERS: &str = "õäöüšžÕÄÖÜŠŽ";

/// Reads `15.03.2024` or `2024-03-15` (the year with four digits, 1900–2999); impossible
/// dates are errors.
pub fn parse_date(s: &str) -> Result<NaiveDate, Diagnostic> {
    let s = s.trim();
    let refuse = |why: String, help: String| {
        Diagnostic::new(None, tr!("registration-bad-date", date = s, why = why))
            .field("--reg-date")
            .help(help)
    };
    // Made only for an error: the messages are not parsed in a run that needs none.
    let usual = || tr!("registration-date-help");
    let (day, month, year) = match (split3(s, '.'), split3(s, '-')) {
        (Some((d, m, y)), _) => (d, m, y),
        (None, Some((y, m, d))) => (d, m, y),
        _ => {
            return Err(refuse(tr!("registration-date-form"), usual()));
        }
    };
    let digits = |p: &str, max_len| {
        !p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(day, 2) && digits(month, 2) && digits(year, MAX_YEAR_DIGITS)) {
        return Err(refuse(tr!("registration-date-digits"), usual()));
    }
    if year.len() != 4 {
        let hint = match year.len() {
            2 => tr!(
                "registration-year-two-digits",
                day = day,
                month = month,
                year = year
            ),
            _ => tr!("registration-year-four-digits", day = day, month = month),
        };
        return Err(refuse(tr!("registration-year-not-four", year = year), hint));
    }
    let number = |p: &str| p.parse::<u32>().unwrap_or(0);
    let year_number = i32::try_from(number(year)).unwrap_or(0);
    if !YEARS.contains(&year_number) {
        return Err(refuse(
            tr!(
                "registration-year-range",
                year = year,
                first = *YEARS.start(),
                last = *YEARS.end()
            ),
            tr!("registration-year-range-help"),
        ));
    }
    NaiveDate::from_ymd_opt(year_number, number(month), number(day)).ok_or_else(|| {
        refuse(
            tr!("registration-no-such-day"),
            tr!("registration-no-such-day-help", usual = usual()),
        )
    })
}

/// `a<sep>b<sep>c`, or `None` when `s` does not have exactly three parts.
fn split3(s: &str, sep: char) -> Option<(&str, &str, &str)> {
    let mut parts = s.split(sep);
    let found = (parts.next()?, parts.next()?, parts.next()?);
    parts.next().is_none().then_some(found)
}

/// Checks a directive number after NFC normalisation: the digits 0-9, Latin letters (ASCII
/// and the Estonian õ ä ö ü š ž), `-/.` and spaces, at least one digit, at most 64
/// characters on one line. Digits of other scripts (fullwidth `１`, Arabic-Indic `١`) are
/// refused by name: a PDF font would not draw them and a registry would not match them.
pub fn check_number(s: &str) -> Result<String, Diagnostic> {
    let normalised: String = s.trim().nfc().collect();
    let refuse = |why: String| {
        Diagnostic::new(
            None,
            tr!(
                "registration-bad-number",
                number = s.escape_debug().to_string(),
                why = why
            ),
        )
        .field("--reg-number")
        .help(tr!("registration-number-help", max = MAX_NUMBER_CHARS))
    };
    if normalised.chars().count() > MAX_NUMBER_CHARS {
        return Err(refuse(tr!(
            "registration-number-too-long",
            max = MAX_NUMBER_CHARS
        )));
    }
    if let Some(c) = normalised
        .chars()
        .find(|c| c.is_numeric() && !c.is_ascii_digit())
    {
        return Err(refuse(tr!(
            "registration-number-foreign-digit",
            character = c.to_string(),
            code = format!("{:04X}", c as u32)
        )));
    }
    let allowed = |c: char| {
        c.is_ascii_alphanumeric()
            || ESTONIAN_LETTERS.contains(c)
            || matches!(c, '-' | '/' | '.' | ' ')
    };
    if let Some(c) = normalised.chars().find(|&c| !allowed(c)) {
        return Err(refuse(tr!(
            "registration-number-bad-character",
            character = c.escape_debug().to_string(),
            code = format!("{:04X}", c as u32)
        )));
    }
    if !normalised.chars().any(|c| c.is_ascii_digit()) {
        return Err(refuse(tr!("registration-number-no-digit")));
    }
    Ok(normalised)
}

impl Registration {
    /// In final mode, the filled-in values must be drawable with the fonts (`covers`): the
    /// number as given, the date as `date_format` writes it.
    pub fn check_drawable(
        &self,
        date_format: &str,
        covers: &dyn Fn(char) -> bool,
    ) -> Result<(), Diagnostic> {
        let Registration::Final { date, number } = self else {
            return Ok(());
        };
        // Written without `to_string`, which panics on a format chrono cannot write.
        let mut date_text = String::new();
        if std::fmt::Write::write_fmt(&mut date_text, format_args!("{}", date.format(date_format)))
            .is_err()
        {
            return Err(Diagnostic::new(None, tr!("registration-date-format-fails"))
                .field("registration.date_format")
                .help(tr!("registration-date-format-fails-help")));
        }
        for (option, text) in [
            ("--reg-number", number.as_str()),
            ("--reg-date", date_text.as_str()),
        ] {
            if let Some(c) = text.chars().find(|&c| !covers(c)) {
                return Err(Diagnostic::new(
                    None,
                    tr!(
                        "registration-not-drawable",
                        text = text,
                        character = c.to_string(),
                        code = format!("{:04X}", c as u32)
                    ),
                )
                .field(option)
                .help(tr!("registration-not-drawable-help")));
            }
        }
        Ok(())
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
    fn years_need_four_digits_between_1900_and_2999() {
        let two = parse_date("15.03.24").unwrap_err().to_string();
        assert!(
            two.contains("write the year with four digits: 15.03.2024"),
            "{two}"
        );
        assert!(parse_date("15.03.4").is_err());
        assert!(parse_date("0001-03-15").is_err());
        assert!(parse_date("1-03-15").is_err());
        assert!(parse_date("15.03.1899").is_err());
        assert!(parse_date("15.03.3000").is_err());
        assert!(parse_date("15.03.+2024").is_err());
        assert!(parse_date("15.03.2024.1").is_err());
        assert_eq!(
            parse_date("5.3.2024").unwrap(),
            NaiveDate::from_ymd_opt(2024, 3, 5).unwrap()
        );
        assert!(parse_date("15.03.1900").is_ok());
        assert!(parse_date("31.12.2999").is_ok());
    }

    #[test]
    fn numbers_use_the_digits_0_to_9_and_latin_letters() {
        assert_eq!(check_number("2-3/24/123-A").unwrap(), "2-3/24/123-A");
        let fullwidth = check_number("１-1/24/37").unwrap_err().to_string();
        assert!(
            fullwidth.contains("U+FF11") && fullwidth.contains("digits 0-9"),
            "{fullwidth}"
        );
        let arabic = check_number("١-1/24/37").unwrap_err().to_string();
        assert!(arabic.contains("another script"), "{arabic}");
        assert!(check_number("1-1/24/Я").is_err());
        assert!(check_number("A-B").is_err());
        assert_eq!(check_number("1-1/24/37-Õ").unwrap(), "1-1/24/37-Õ");
        // Composed by NFC before the check: O + U+0303 is Õ.
        assert_eq!(check_number("1-O\u{0303}").unwrap(), "1-Õ");
    }

    #[test]
    fn final_values_must_be_drawable() {
        let f = Registration::from_args(Some("15.03.2024"), Some("1-1/24/37-Õ")).unwrap();
        assert!(f.check_drawable("%d.%m.%Y", &|_| true).is_ok());
        let e = f
            .check_drawable("%d.%m.%Y", &|c| c != 'Õ')
            .unwrap_err()
            .to_string();
        assert!(e.contains("U+00D5") && e.contains("--reg-number"), "{e}");
        assert!(
            Registration::Template
                .check_drawable("%d", &|_| false)
                .is_ok()
        );
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
        assert_eq!(t[0], "{regDateTime}");
        assert_eq!(t[1], " käskkirjaga nr ");
        let f = Registration::from_args(Some("2024-03-05"), Some("1-1/24/37")).unwrap();
        let joined: String = f.expand(text, "%d.%m.%Y").concat();
        assert_eq!(joined, "05.03.2024 käskkirjaga nr 1-1/24/37");
    }
}
