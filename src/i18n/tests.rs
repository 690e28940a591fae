//! The message files agree between the languages, and numbers and plurals come out right.

use super::*;
use fluent_syntax::ast;
use std::collections::{BTreeMap, BTreeSet};

/// Every message id of one language with the variables its value and attributes use.
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (_, area, text) in FILES.iter().filter(|(l, _, _)| *l == lang) {
        let resource = match fluent_syntax::parser::parse(*text) {
            Ok(r) => r,
            Err((_, errors)) => panic!("{}/{area}.ftl does not parse: {errors:?}", lang.code()),
        };
        for entry in resource.body {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    pattern_variables(p, &mut vars);
                }
                let previous = out.insert(m.id.name.to_string(), vars);
                assert!(
                    previous.is_none(),
                    "{} is twice in {}",
                    m.id.name,
                    lang.code()
                );
            }
        }
    }
    out
}

fn pattern_variables(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, vars);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_variables(inline, vars),
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, vars);
            for v in variants {
                pattern_variables(&v.value, vars);
            }
        }
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_string());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_variables(a, vars);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, vars),
        _ => {}
    }
}

#[test]
fn every_message_is_in_both_languages_with_the_same_variables() {
    let et = messages(Lang::Et);
    let en = messages(Lang::En);
    assert!(et.len() > 50, "only {} Estonian messages", et.len());
    let et_ids: BTreeSet<_> = et.keys().collect();
    let en_ids: BTreeSet<_> = en.keys().collect();
    assert_eq!(
        et_ids.symmetric_difference(&en_ids).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "ids in one language only"
    );
    for (id, vars) in &et {
        assert_eq!(Some(vars), en.get(id), "variables of {id} differ");
    }
}

#[test]
fn every_area_exists_in_every_language() {
    for (_, area, _) in FILES {
        for lang in Lang::ALL {
            assert!(
                FILES.iter().any(|(l, a, _)| *l == lang && a == area),
                "{area}.ftl missing in {}",
                lang.code()
            );
        }
    }
}

#[test]
fn plurals_follow_each_language() {
    let summary = |lang, files: u32, pages: u32| {
        tr_in(
            lang,
            "build-summary",
            &[
                ("files", Value::from(files)),
                ("pages", Value::from(pages)),
                ("out", Value::from("out")),
                ("seconds", decimal(0.05, 2)),
            ],
        )
    };
    let cases = [
        (
            Lang::Et,
            1,
            1,
            "1 fail (1 lehekülg) kirjutatud väljundkausta out, aega kulus 0,05 s",
        ),
        (
            Lang::Et,
            31,
            29,
            "31 faili (29 lehekülge) kirjutatud väljundkausta out, aega kulus 0,05 s",
        ),
        (Lang::En, 1, 1, "wrote 1 file (1 page) to out in 0.05 s"),
        (Lang::En, 3, 2, "wrote 3 files (2 pages) to out in 0.05 s"),
    ];
    for (lang, files, pages, expected) in cases {
        assert_eq!(summary(lang, files, pages), expected);
    }
}

#[test]
fn decimals_use_the_language_separator() {
    let n = |v: f64, digits: usize| match decimal(v, digits) {
        Value::Number(n) => n,
        other => panic!("not a number: {other:?}"),
    };
    assert_eq!(format_number(Lang::Et, &n(0.05, 2)), "0,05");
    assert_eq!(format_number(Lang::En, &n(0.05, 2)), "0.05");
    assert_eq!(format_number(Lang::Et, &n(12.345, 1)), "12,3");
    assert_eq!(format_number(Lang::Et, &n(3.0, 0)), "3");
    assert_eq!(format_number(Lang::Et, &n(3.0, 2)), "3,00");
    let plain = FluentNumber::from(7.5);
    assert_eq!(format_number(Lang::Et, &plain), "7,5");
    // Through a message, as the commands use it.
    let line = tr_in(
        Lang::Et,
        "watch-built",
        &[("seconds", decimal(1.0 / 3.0, 2))],
    );
    assert_eq!(line, "ehitatud 0,33 s");
    let line = tr_in(
        Lang::En,
        "watch-built",
        &[("seconds", decimal(1.0 / 3.0, 2))],
    );
    assert_eq!(line, "built in 0.33 s");
}

#[test]
fn the_language_comes_from_rollikaart_lang_then_the_locale() {
    assert_eq!(choose(Some("et"), Some("en_US.UTF-8")), Lang::Et);
    assert_eq!(choose(Some("EN"), Some("et_EE.UTF-8")), Lang::En);
    assert_eq!(choose(Some("fr"), Some("et_EE.UTF-8")), Lang::Et);
    assert_eq!(choose(None, Some("et_EE.UTF-8")), Lang::Et);
    assert_eq!(choose(None, Some("C.UTF-8")), Lang::En);
    assert_eq!(choose(None, None), Lang::En);
    assert_eq!(Lang::from_code(" et "), Some(Lang::Et));
    assert_eq!(Lang::from_code("de"), None);
}

#[test]
fn an_unknown_id_shows_itself_and_no_isolation_marks_appear() {
    assert_eq!(tr_in(Lang::Et, "no-such-message", &[]), "no-such-message");
    assert!(!has_message(Lang::En, "no-such-message"));
    let text = tr_in(Lang::En, "card-printed", &[("file", Value::from("a.pdf"))]);
    assert_eq!(text, "sent a.pdf to the printer");
}
