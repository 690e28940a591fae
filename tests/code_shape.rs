//! The code's shape where a grep can prove it: the layout and the renderers read the
//! document, never the template (issue "2/7").

use std::path::Path;

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        panic!("cannot read {}", dir.display());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

#[test]
fn renderers_and_the_layout_do_not_read_the_template() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src/render"), &mut files);
    sources(&root.join("src/layout"), &mut files);
    assert!(files.len() > 10, "{files:?}");
    let mut offenders = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            let names_the_type = code.match_indices("Template").any(|(at, _)| {
                let before = code.get(..at).and_then(|b| b.chars().last());
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            if code.contains("crate::template") || names_the_type {
                offenders.push(format!("{}:{}: {line}", file.display(), n + 1));
            }
        }
    }
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
}
