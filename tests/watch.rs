//! `rollikaart watch` on a temporary copy of the cards: a saved card rebuilds the PDF, a
//! broken card reports an error and leaves the last good PDF in place.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Long enough for a debug build of the annex on a busy machine.
const PATIENCE: Duration = Duration::from_secs(90);

/// The watch process, killed when the test ends however it ends.
struct Watch {
    child: Child,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(stream: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            let mut all = sink.lock().unwrap();
            all.push_str(&line);
            all.push('\n');
        }
    });
    text
}

fn start(cards: &Path, out: &Path) -> Watch {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rollikaart"))
        .args(["watch", "--cards", cards.to_str().unwrap()])
        .args(["--out", out.to_str().unwrap()])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env("ROLLIKAART_LANG", "en")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = collect(child.stdout.take().unwrap());
    let stderr = collect(child.stderr.take().unwrap());
    Watch {
        child,
        stdout,
        stderr,
    }
}

/// Waits until `done` holds, or fails with `what` after [`PATIENCE`].
fn wait_for(watch: &mut Watch, what: &str, mut done: impl FnMut(&Watch) -> bool) {
    let started = Instant::now();
    while !done(watch) {
        if let Ok(Some(status)) = watch.child.try_wait() {
            panic!(
                "watch ended ({status}) before {what}: {}",
                watch.stderr.lock().unwrap()
            );
        }
        assert!(
            started.elapsed() < PATIENCE,
            "no {what} after {PATIENCE:?}; stdout:\n{}\nstderr:\n{}",
            watch.stdout.lock().unwrap(),
            watch.stderr.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn count(text: &Mutex<String>, needle: &str) -> usize {
    text.lock().unwrap().matches(needle).count()
}

#[test]
fn a_saved_card_rebuilds_the_pdf_and_a_broken_one_keeps_the_last_good_one() {
    let cards = CardsCopy::new();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let pdf = out.join("lisa.pdf");
    let mut watch = start(cards.path(), &out);

    wait_for(&mut watch, "first build", |w| {
        count(&w.stdout, "built in ") >= 1
    });
    let first = std::fs::read(&pdf).unwrap();
    assert!(
        !out.join("lisa.docx").exists(),
        "watch writes only the PDFs by default"
    );

    cards.edit(
        "01-osakonna-juhataja.toml",
        "Valdkonnaülese eestvedajana",
        "Valdkonnaülese juhina",
    );
    wait_for(&mut watch, "rebuilt PDF", |_| {
        std::fs::read(&pdf).is_ok_and(|now| now != first)
    });
    wait_for(&mut watch, "second build line", |w| {
        count(&w.stdout, "built in ") >= 2
    });
    let good = std::fs::read(&pdf).unwrap();
    let text = pdftotext(&good);
    if let Some(text) = text {
        assert!(text.contains("Valdkonnaülese juhina"), "{text}");
    }

    cards.write(
        "01-osakonna-juhataja.toml",
        b"order = 1\nid = \"osakonna-juhataja\"\ntitle = ",
    );
    wait_for(&mut watch, "error line", |w| {
        count(&w.stderr, "the build failed") >= 1
    });
    let err = watch.stderr.lock().unwrap().clone();
    assert!(err.contains("01-osakonna-juhataja.toml:3"), "{err}");
    assert_eq!(
        std::fs::read(&pdf).unwrap(),
        good,
        "the last good PDF changed"
    );
    assert!(
        watch.child.try_wait().unwrap().is_none(),
        "watch ended after an error"
    );
}
