//! The user's language: every text the tool shows (messages, hints, `--help`, the man page)
//! comes from the Fluent files under `src/locales/<lang>/<area>.ftl`, compiled into the binary.
//!
//! The language is chosen once, at start: the binary calls [`init`] with its `--lang` value
//! and from then on [`tr`] (or the [`tr!`](crate::tr) macro) answers in that language
//! everywhere, library code included, without a language parameter being passed around. The
//! choice is, in order: `--lang`, then `ROLLIKAART_LANG`, then the locale (`LC_ALL`,
//! `LC_MESSAGES`, `LANG`: Estonian when it starts with `et`), else English. Library code that
//! runs before [`init`] (tests, benchmarks) gets the same choice from the environment.
//!
//! Numbers: plural forms follow Fluent's CLDR plural rules (`{ $count -> [one] … *[other] … }`),
//! and every number placed into a message is written by [`format_number`], the one place that
//! knows the decimal separator (a comma in Estonian: "0,05 s"; a point in English). Give a
//! fixed number of decimals with [`decimal`].
//!
//! ```
//! use rollikaart::i18n::{self, Lang};
//! i18n::init(Some(Lang::Et));
//! let line = rollikaart::tr!("watch-built", seconds = i18n::decimal(0.05, 2));
//! assert_eq!(line, "ehitatud 0,05 s");
//! ```
//!
//! A new area (e.g. the diagnostics of the card loader) gets one file per language and one
//! line per language in [`FILES`]; the tests then check its ids and variables too.
//!
//! Why fluent-bundle and not fluent-templates: the messages are a handful of files known at
//! compile time, so `include_str!` is enough; fluent-bundle lets this module set the number
//! formatter per language and turn off the Unicode isolation marks that would show up as stray
//! characters in a terminal, with fewer dependencies than fluent-templates' loader.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::OnceLock;
use unic_langid::LanguageIdentifier;

pub use fluent_bundle::FluentValue as Value;
use fluent_bundle::types::{FluentNumber, FluentNumberOptions};

/// The languages of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Et,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Et, Lang::En];

    /// The language code, as `--lang` and `ROLLIKAART_LANG` take it.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Et => "et",
            Lang::En => "en",
        }
    }

    /// `et` or `en`, any case; `None` for anything else.
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }

    fn decimal_separator(self) -> char {
        match self {
            Lang::Et => ',',
            Lang::En => '.',
        }
    }
}

/// The message files: language, area, text. One file per language and area; every area must
/// exist in every language (a test checks ids and variables match).
#[rustfmt::skip]
pub const FILES: &[(Lang, &str, &str)] = &[
    (Lang::Et, "cli", include_str!("../locales/et/cli.ftl")),
    (Lang::En, "cli", include_str!("../locales/en/cli.ftl")),
    (Lang::Et, "cards", include_str!("../locales/et/cards.ftl")),
    (Lang::En, "cards", include_str!("../locales/en/cards.ftl")),
    (Lang::Et, "diagnostics", include_str!("../locales/et/diagnostics.ftl")),
    (Lang::En, "diagnostics", include_str!("../locales/en/diagnostics.ftl")),
    (Lang::Et, "registration", include_str!("../locales/et/registration.ftl")),
    (Lang::En, "registration", include_str!("../locales/en/registration.ftl")),
    (Lang::Et, "template", include_str!("../locales/et/template.ftl")),
    (Lang::En, "template", include_str!("../locales/en/template.ftl")),
    (Lang::Et, "text", include_str!("../locales/et/text.ftl")),
    (Lang::En, "text", include_str!("../locales/en/text.ftl")),
    (Lang::Et, "layout", include_str!("../locales/et/layout.ftl")),
    (Lang::En, "layout", include_str!("../locales/en/layout.ftl")),
    (Lang::Et, "output", include_str!("../locales/et/output.ftl")),
    (Lang::En, "output", include_str!("../locales/en/output.ftl")),
    (Lang::Et, "render", include_str!("../locales/et/render.ftl")),
    (Lang::En, "render", include_str!("../locales/en/render.ftl")),
    (Lang::Et, "export", include_str!("../locales/et/export.ftl")),
    (Lang::En, "export", include_str!("../locales/en/export.ftl")),
];

static CHOSEN: OnceLock<Lang> = OnceLock::new();
/// Each language's messages, parsed when first asked for (a run speaks one language, and
/// parsing both took a millisecond of every start).
static BUNDLES: [OnceLock<FluentBundle<FluentResource>>; Lang::ALL.len()] =
    [const { OnceLock::new() }; Lang::ALL.len()];

/// Fixes the language for the rest of the run: `requested` (from `--lang`) if given, else the
/// environment. A second call changes nothing. Gives the language in force.
pub fn init(requested: Option<Lang>) -> Lang {
    *CHOSEN.get_or_init(|| requested.unwrap_or_else(from_environment))
}

/// The language in force (chosen from the environment if [`init`] was not called).
pub fn language() -> Lang {
    init(None)
}

/// `ROLLIKAART_LANG`, else the locale variables, else English.
pub fn from_environment() -> Lang {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    choose(
        var("ROLLIKAART_LANG").as_deref(),
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .find_map(var)
            .as_deref(),
    )
}

/// The rule behind [`from_environment`]: an explicit `ROLLIKAART_LANG` that names a language,
/// else the first set locale variable (Estonian if it starts with `et`), else English.
pub fn choose(rollikaart_lang: Option<&str>, locale: Option<&str>) -> Lang {
    if let Some(lang) = rollikaart_lang.and_then(Lang::from_code) {
        return lang;
    }
    match locale {
        Some(l) if l.to_ascii_lowercase().starts_with("et") => Lang::Et,
        _ => Lang::En,
    }
}

/// The message `id` in the language in force, with its variables filled.
pub fn tr(id: &str, args: &[(&str, Value<'_>)]) -> String {
    tr_in(language(), id, args)
}

/// The message `id` in `lang`. An unknown id gives the id itself, so that a missing
/// translation is visible rather than silently English; the tests make sure none is missing.
pub fn tr_in(lang: Lang, id: &str, args: &[(&str, Value<'_>)]) -> String {
    let Some(bundle) = bundle(lang) else {
        return id.to_string();
    };
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_string();
    };
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fluent_args), &mut errors)
        .into_owned()
}

/// Whether `lang` has a message `id` with a value.
pub fn has_message(lang: Lang, id: &str) -> bool {
    bundle(lang)
        .and_then(|b| b.get_message(id))
        .is_some_and(|m| m.value().is_some())
}

/// A number shown with exactly `digits` decimals (e.g. seconds: `decimal(0.05, 2)`).
pub fn decimal(value: f64, digits: usize) -> Value<'static> {
    Value::Number(FluentNumber::new(
        value,
        FluentNumberOptions {
            minimum_fraction_digits: Some(digits),
            maximum_fraction_digits: Some(digits),
            ..FluentNumberOptions::default()
        },
    ))
}

/// A template's `f32` as it was written (`0.1`, not the `0.100000001…` of its `f64`), as a
/// number so that the separator follows the language.
pub fn short(value: f32) -> Value<'static> {
    let shortest = value.to_string().parse::<f64>().unwrap_or(f64::NAN);
    Value::Number(FluentNumber::from(shortest))
}

/// Writes a number as `lang` does: rounded to its maximum decimals, padded to its minimum,
/// with the language's decimal separator. No digit grouping (the tool's numbers are small).
pub fn format_number(lang: Lang, number: &FluentNumber) -> String {
    let options = &number.options;
    let written = match options.maximum_fraction_digits {
        Some(max) => format!("{:.max$}", number.value),
        None => number.value.to_string(),
    };
    let written = match options.minimum_fraction_digits {
        Some(min) => {
            let (whole, fraction) = written.split_once('.').unwrap_or((&written, ""));
            let missing = min.saturating_sub(fraction.chars().count());
            let fraction = format!("{fraction}{}", "0".repeat(missing));
            if fraction.is_empty() {
                whole.to_string()
            } else {
                format!("{whole}.{fraction}")
            }
        }
        None => written,
    };
    written.replace('.', &lang.decimal_separator().to_string())
}

fn bundle(lang: Lang) -> Option<&'static FluentBundle<FluentResource>> {
    let index = Lang::ALL.iter().position(|l| *l == lang)?;
    Some(BUNDLES.get(index)?.get_or_init(|| make_bundle(lang)))
}

fn make_bundle(lang: Lang) -> FluentBundle<FluentResource> {
    // A two-letter code always parses; the default (undetermined) would only lose plurals.
    let id: LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(match lang {
        Lang::Et => format_et,
        Lang::En => format_en,
    }));
    // NUMBER() is a builtin; registering it twice is the only error and cannot happen here.
    let _ = bundle.add_builtins();
    for (_, _, text) in FILES.iter().filter(|(l, _, _)| *l == lang) {
        // A file with a syntax error still gives its good messages; the tests fail on it.
        let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(r, _)| r);
        // Duplicate ids keep the first; the tests fail on them.
        let _ = bundle.add_resource(resource);
    }
    bundle
}

fn format_et<M>(value: &Value<'_>, _: &M) -> Option<String> {
    match value {
        Value::Number(n) => Some(format_number(Lang::Et, n)),
        _ => None,
    }
}

fn format_en<M>(value: &Value<'_>, _: &M) -> Option<String> {
    match value {
        Value::Number(n) => Some(format_number(Lang::En, n)),
        _ => None,
    }
}

/// A message in the language in force: `tr!("id")` or `tr!("id", name = value, …)`; values
/// are anything [`Value`] converts from (strings, numbers; [`decimal`] for fixed decimals).
#[macro_export]
macro_rules! tr {
    ($id:expr) => {
        $crate::i18n::tr($id, &[])
    };
    ($id:expr, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::tr(
            $id,
            &[$((stringify!($name), $crate::i18n::Value::from($value))),+],
        )
    };
}

#[cfg(test)]
mod tests;
