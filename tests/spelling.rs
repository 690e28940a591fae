//! Spell check of every card text with the Estonian hunspell dictionary: only the words in
//! tests/spelling-allowlist.txt (names, abbreviations, compounds, the authors' own spelling)
//! may be unknown to it.

mod common;
use common::*;
use std::io::Write;
use std::process::{Command, Stdio};

fn allowlist() -> Vec<String> {
    std::fs::read_to_string(root().join("tests/spelling-allowlist.txt"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split('#').next())
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn card_text_has_no_unknown_words_but_the_allowed_ones() {
    if !tool_available("hunspell", "-v") {
        return;
    }
    let dict_ok = Command::new("hunspell")
        .args(["-d", "et_EE", "-l"])
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success());
    if !dict_ok {
        tool_available("hunspell-et_EE-dictionary (Debian myspell-et)", "--version");
        return;
    }
    let p = bundled_project();
    let mut text = vec![
        p.source.annex.title.clone(),
        p.source.glossary.title.clone(),
    ];
    for c in &p.source.cards {
        text.extend(card_texts(c));
    }
    for e in &p.source.glossary.entries {
        text.push(e.term.clone());
        text.push(e.definition.joined());
    }
    let mut child = Command::new("hunspell")
        .args(["-d", "et_EE", "-l"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.join("\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let allowed = allowlist();
    let mut unknown: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .filter(|w| !allowed.iter().any(|a| a == w))
        .map(str::to_string)
        .collect();
    unknown.sort();
    unknown.dedup();
    assert!(
        unknown.is_empty(),
        "words hunspell (et_EE) does not know; fix them or add them with a reason to tests/spelling-allowlist.txt: {unknown:?}"
    );
}
