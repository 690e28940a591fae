//! Writing output safely, through the real binary: never through a link, never opening what
//! stands in the way, a manifest that lists exactly its set, and all or nothing against
//! concurrent builds and `kill -9` at random moments.

mod common;
use common::*;
use rollikaart::output::{self, STAGING_PREFIX};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The tool's own names inside an output folder (staging folders, temp files).
const RESERVED: &str = ".rollikaart-";

/// A small card set (the first `cards` cards and the glossary) keeps a debug build well
/// under a second, so the kill and race loops fit in CI.
fn small_cards(cards: u32) -> CardsCopy {
    let copy = CardsCopy::new();
    for entry in std::fs::read_dir(copy.path()).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let order: Option<u32> = name.get(..2).and_then(|n| n.parse().ok());
        if order.is_some_and(|o| o > cards) {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    copy
}

/// Builds `cards` into `out` and asserts that the build succeeds.
fn assert_builds(cards: &Path, out: &Path) {
    let status = build_command(cards, out, &[]).status().unwrap();
    assert!(
        status.success(),
        "build of {} into {}",
        cards.display(),
        out.display()
    );
}

/// Starts a build of `cards` into `out` in the background, its output discarded.
fn spawn_build(cards: &Path, out: &Path) -> std::process::Child {
    build_command(cards, out, &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn build_command(cards: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rollikaart"));
    c.arg("build")
        .arg("-q")
        .arg("--cards")
        .arg(cards)
        .arg("--out")
        .arg(out)
        .args(extra)
        .current_dir(root())
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH");
    c
}

/// Every entry under `dir` with its bytes (folders end in `/`, links show their target),
/// leaving out the tool's staging folders at the top.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            let kind = e.file_type().unwrap();
            if rel.starts_with(STAGING_PREFIX) {
                continue;
            } else if kind.is_symlink() {
                let target = std::fs::read_link(&p).unwrap();
                files.insert(
                    format!("{rel} ->"),
                    target.to_string_lossy().as_bytes().to_vec(),
                );
            } else if kind.is_dir() {
                files.insert(format!("{rel}/"), Vec::new());
                stack.push(p);
            } else {
                files.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    files
}

/// The tool's leftovers anywhere under `dir`.
fn leftovers(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.file_name().to_string_lossy().starts_with(RESERVED) {
                found.push(e.path());
            } else if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            }
        }
    }
    found
}

/// Does `manifest` in `snapshot` list exactly the other files of its set, with their sums?
fn manifest_matches(snapshot: &BTreeMap<String, Vec<u8>>, manifest: &str) -> bool {
    let Some(text) = snapshot.get(manifest) else {
        return false;
    };
    let listed: BTreeMap<String, String> = String::from_utf8_lossy(text)
        .lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(hash, name)| (name.to_string(), hash.to_string()))
        .collect();
    let files: Vec<&String> = snapshot
        .keys()
        .filter(|k| !k.ends_with('/') && k.as_str() != manifest)
        .collect();
    files.len() == listed.len()
        && files.iter().all(|f| {
            let sum: String = Sha256::digest(&snapshot[*f])
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            listed.get(*f) == Some(&sum)
        })
}

/// Waits for `child` at most `limit`; a child still running then is killed and `None`.
fn wait_at_most(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// Two different complete sets, built once into their own folders: A (two cards) and
/// B (one card, draft), so that A → B also removes a card's files and B → A adds them.
struct Sets {
    cards_a: CardsCopy,
    cards_b: CardsCopy,
    a: BTreeMap<String, Vec<u8>>,
    b: BTreeMap<String, Vec<u8>>,
    _refs: tempfile::TempDir,
}

const DRAFT: &[&str] = &["--draft"];

impl Sets {
    fn new() -> Sets {
        let cards_a = small_cards(2);
        let cards_b = small_cards(1);
        let refs = tempfile::tempdir().unwrap();
        let build = |cards: &CardsCopy, extra: &[&str], name: &str| {
            let out = refs.path().join(name);
            let o = build_command(cards.path(), &out, extra).output().unwrap();
            assert!(o.status.success(), "{}", stderr(&o));
            snapshot(&out)
        };
        let a = build(&cards_a, &[], "a");
        let b = build(&cards_b, DRAFT, "b");
        assert_ne!(a, b);
        assert!(manifest_matches(&a, "SHA256SUMS") && manifest_matches(&b, "SHA256SUMS"));
        Sets {
            cards_a,
            cards_b,
            a,
            b,
            _refs: refs,
        }
    }

    fn command(&self, which_b: bool, out: &Path) -> Command {
        if which_b {
            build_command(self.cards_b.path(), out, DRAFT)
        } else {
            build_command(self.cards_a.path(), out, &[])
        }
    }

    fn set(&self, which_b: bool) -> &BTreeMap<String, Vec<u8>> {
        if which_b { &self.b } else { &self.a }
    }
}

#[test]
fn a_symlinked_cards_folder_is_refused_and_nothing_lands_in_its_target() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("kaardid")).unwrap();
    let cards = small_cards(1);
    let o = build_command(cards.path(), &out, &[]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("kaardid") && e.contains("symbolic link"), "{e}");
    assert!(e.contains("help:"), "{e}");
    assert!(snapshot(&elsewhere).is_empty());
    assert_eq!(snapshot(&out).keys().collect::<Vec<_>>(), ["kaardid ->"]);
}

#[test]
fn an_output_folder_named_through_a_link_is_used_as_the_user_chose() {
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    std::fs::create_dir_all(&real).unwrap();
    std::os::unix::fs::symlink(&real, tmp.path().join("out")).unwrap();
    let cards = small_cards(1);
    let o = build_command(cards.path(), &tmp.path().join("out"), &[])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(manifest_matches(&snapshot(&real), "SHA256SUMS"));
}

#[test]
fn a_fifo_or_a_link_to_dev_zero_in_the_way_is_replaced_without_being_read() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(out.join("kaardid")).unwrap();
    let fifo = Command::new("mkfifo").arg(out.join("lisa.pdf")).status();
    assert!(fifo.unwrap().success(), "mkfifo is part of coreutils");
    std::os::unix::fs::symlink("/dev/zero", out.join("lisa.docx")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", out.join("SHA256SUMS")).unwrap();
    let outside = tmp.path().join("outside.pdf");
    std::fs::write(&outside, "not yours").unwrap();
    std::os::unix::fs::symlink(&outside, out.join("kaardid/01-osakonna-juhataja.pdf")).unwrap();
    let cards = small_cards(1);
    let mut child = spawn_build(cards.path(), &out);
    let status = wait_at_most(&mut child, Duration::from_secs(60));
    assert!(
        status.is_some_and(|s| s.success()),
        "the build hung or failed"
    );
    let files = snapshot(&out);
    assert!(manifest_matches(&files, "SHA256SUMS"));
    assert!(
        !files.keys().any(|k| k.ends_with(" ->")),
        "{:?}",
        files.keys()
    );
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "not yours");
}

#[test]
fn a_build_removes_only_the_files_its_previous_manifest_lists() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let three = small_cards(3);
    assert_builds(three.path(), &out);
    std::fs::write(out.join("kaardid/märkmed.txt"), "mine").unwrap();
    std::fs::write(out.join("kaardid/99-oma.pdf"), "mine too").unwrap();
    let two = small_cards(2);
    assert_builds(two.path(), &out);
    let files = snapshot(&out);
    assert!(!files.contains_key("kaardid/03-juhtivspetsialist.pdf"));
    assert!(!files.contains_key("kaardid/03-juhtivspetsialist.docx"));
    assert_eq!(files["kaardid/märkmed.txt"], b"mine");
    assert_eq!(files["kaardid/99-oma.pdf"], b"mine too");
    let mut set = files.clone();
    set.remove("kaardid/märkmed.txt");
    set.remove("kaardid/99-oma.pdf");
    assert!(manifest_matches(&set, "SHA256SUMS"));
}

#[test]
fn a_card_run_writes_its_own_manifest_and_leaves_the_builds_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let cards = small_cards(3);
    assert_builds(cards.path(), &out);
    let build_sums = std::fs::read(out.join("SHA256SUMS")).unwrap();
    let o = run(&[
        "card",
        "2",
        "--cards",
        cards.path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read(out.join("SHA256SUMS")).unwrap(), build_sums);
    let files = snapshot(&out);
    let card: BTreeMap<String, Vec<u8>> = files
        .iter()
        .filter(|(k, _)| k.starts_with("02-") || k.starts_with("SHA256SUMS.card-"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_eq!(
        card.keys().collect::<Vec<_>>(),
        [
            "02-talituse-juhataja.docx",
            "02-talituse-juhataja.pdf",
            "SHA256SUMS.card-02"
        ]
    );
    assert!(manifest_matches(&card, "SHA256SUMS.card-02"));
    let build: BTreeMap<String, Vec<u8>> = files
        .into_iter()
        .filter(|(k, _)| !card.contains_key(k))
        .collect();
    assert!(manifest_matches(&build, "SHA256SUMS"));
}

#[test]
fn a_build_waits_for_the_lock_and_cleans_what_a_killed_one_left() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(out.join("kaardid")).unwrap();
    std::fs::create_dir(out.join(format!("{STAGING_PREFIX}1"))).unwrap();
    std::fs::write(out.join(format!("{STAGING_PREFIX}1/new-0")), "half").unwrap();
    std::fs::write(out.join("kaardid/.rollikaart-Ab12Cd.tmp"), "old temp").unwrap();
    let held = std::fs::File::open(&out).unwrap();
    held.lock().unwrap();
    let cards = small_cards(1);
    let mut child = spawn_build(cards.path(), &out);
    // Rendering takes well under this; the build must then be waiting, not writing.
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        child.try_wait().unwrap().is_none(),
        "did not wait for the lock"
    );
    assert!(
        leftovers(&out).len() == 2,
        "touched the folder without the lock"
    );
    held.unlock().unwrap();
    let status = wait_at_most(&mut child, Duration::from_secs(60));
    assert!(status.is_some_and(|s| s.success()));
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
    assert!(manifest_matches(&snapshot(&out), "SHA256SUMS"));
}

#[test]
fn two_builds_at_once_always_leave_one_complete_set() {
    let sets = Sets::new();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for round in 0..10 {
        let spawn = |b: bool| {
            sets.command(b, &out)
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let children = [spawn(round % 2 == 0), spawn(round % 2 == 1)];
        for child in children {
            let o = child.wait_with_output().unwrap();
            let e = stderr(&o);
            assert!(
                o.status.success() || e.contains("another build is writing to"),
                "round {round}: {e}"
            );
        }
        let now = snapshot(&out);
        assert!(
            &now == sets.set(false) || &now == sets.set(true),
            "round {round}: a mixed set: {:?}",
            now.keys()
        );
        assert!(manifest_matches(&now, "SHA256SUMS"), "round {round}");
        assert!(leftovers(&out).is_empty(), "round {round}");
    }
}

/// A small deterministic generator (xorshift64*), seeded from the clock and printed, so a
/// failing run can be repeated with ROLLIKAART_KILL_SEED.
struct Random(u64);

impl Random {
    fn new() -> Random {
        let seed = std::env::var("ROLLIKAART_KILL_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        eprintln!("kill test seed: ROLLIKAART_KILL_SEED={seed}");
        Random(seed | 1)
    }

    /// Uniform in `0.0..1.0`.
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// When a build starts writing, from `--timings` (total minus the write).
fn calibrate(sets: &Sets, out: &Path) -> Duration {
    let o = sets.command(false, out).arg("--timings").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let ms = |label: &str| -> Duration {
        let line = stderr(&o)
            .lines()
            .find(|l| l.starts_with(label))
            .map(str::to_string)
            .unwrap_or_default();
        let value: f64 = line
            .trim_start_matches(label)
            .trim()
            .trim_end_matches("ms")
            .trim()
            .parse()
            .unwrap_or(0.0);
        Duration::from_secs_f64(value / 1000.0)
    };
    ms("total").saturating_sub(ms("write and sync"))
}

fn committed_journal(out: &Path) -> bool {
    std::fs::read_dir(out).unwrap().flatten().any(|e| {
        e.file_name().to_string_lossy().starts_with(STAGING_PREFIX)
            && e.path().join("JOURNAL").exists()
    })
}

/// The guarantee, checked after each of 50 kills at random moments: without a committed
/// journal the folder is byte for byte the old set or the new one; with one,
/// `output::recover` (what the next build does first) makes it the new one; and after
/// recovery no staging folder or temp file is left. Every other kill is aimed at the write:
/// a staircase moves the aim later after an old set and earlier after a new one, so it
/// stays on the write however loaded the machine is.
#[test]
fn kill_9_at_random_moments_leaves_the_old_set_or_the_new_one() {
    /// How far a kill falls around the aim, as a fraction of it.
    const JITTER: f64 = 0.1;
    /// The staircase's steps.
    const LATER: f64 = 1.2;
    const EARLIER: f64 = 0.9;
    let sets = Sets::new();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut aim = calibrate(&sets, &out);
    let mut random = Random::new();
    let mut holds_b = false;
    let (mut old, mut new, mut journal) = (0, 0, 0);
    for kill in 0..50 {
        assert_eq!(&snapshot(&out), sets.set(holds_b), "kill {kill}: start");
        let wants_b = !holds_b;
        let aimed = kill % 2 == 1;
        let wait = if aimed {
            aim.mul_f64(1.0 - JITTER + 2.0 * JITTER * random.unit())
        } else {
            aim.mul_f64(LATER * random.unit())
        };
        let mut child = sets
            .command(wants_b, &out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(wait);
        child.kill().unwrap();
        child.wait().unwrap();
        let now = snapshot(&out);
        if committed_journal(&out) {
            journal += 1;
            output::recover(&out).unwrap();
            assert_eq!(
                &snapshot(&out),
                sets.set(wants_b),
                "kill {kill}: after recovery"
            );
            holds_b = wants_b;
        } else if &now == sets.set(wants_b) {
            new += 1;
            holds_b = wants_b;
            if aimed {
                aim = aim.mul_f64(EARLIER);
            }
        } else {
            assert_eq!(
                &now,
                sets.set(holds_b),
                "kill {kill} at {wait:?}: a mixed set"
            );
            old += 1;
            if aimed {
                aim = aim.mul_f64(LATER);
            }
        }
        output::recover(&out).unwrap();
        assert!(
            leftovers(&out).is_empty(),
            "kill {kill}: {:?}",
            leftovers(&out)
        );
    }
    eprintln!(
        "after 50 kills: {old} old sets, {new} new sets, {journal} committed journals completed"
    );
    assert!(
        old > 0 && new > 0,
        "the kills missed the write: {old} old, {new} new"
    );
    let o = sets.command(!holds_b, &out).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(&snapshot(&out), sets.set(!holds_b));
    assert!(leftovers(&out).is_empty());
}

/// A build hands each file on (to the output folder's staging area) as soon as it is
/// rendered, so that a build of any size holds only the files being rendered: with one
/// render thread, file N reaches the sink when exactly N files were rendered before it. The
/// files and the manifest are those of the in-memory export.
#[test]
fn each_file_is_handed_on_as_soon_as_it_is_rendered() {
    use rollikaart::export::{self, ExportOptions, Jobs};
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let project = bundled_project();
    let options = ExportOptions {
        jobs: Jobs(std::num::NonZeroUsize::new(1)),
        ..ExportOptions::default()
    };
    let prepared = export::prepare(&project, &options).unwrap();
    let rendered = AtomicUsize::new(0);
    let seen = Mutex::new(Vec::new());
    let result = prepared
        .render_into(&|done, _| rendered.store(done, Ordering::SeqCst), &|file| {
            let done = rendered.load(Ordering::SeqCst);
            seen.lock().unwrap().push((file, done));
            Ok(())
        })
        .unwrap();
    let seen = seen.into_inner().unwrap();
    let names: Vec<&str> = seen.iter().map(|(f, _)| f.relative.as_str()).collect();
    let listed = prepared.file_names();
    let annex = ["lisa.docx", "lisa.pdf"];
    let in_render_order: Vec<&str> = annex
        .into_iter()
        .chain(listed.iter().copied().filter(|name| !annex.contains(name)))
        .collect();
    assert_eq!(
        names, in_render_order,
        "the annex's files first (its DOCX, then its PDF), then the others format by format \
         in the order they are listed, the manifest last"
    );
    assert_eq!(listed.len(), names.len());
    let (manifest, rendered_files) = seen.split_last().unwrap();
    for (i, (file, done_before)) in rendered_files.iter().enumerate() {
        assert_eq!(
            *done_before, i,
            "{} was handed on only after {done_before} files were rendered",
            file.relative
        );
    }
    assert_eq!(manifest.0.relative, result.manifest);
    let in_memory = export::export(&project, &ExportOptions::default()).unwrap();
    let mut streamed: Vec<_> = seen.into_iter().map(|(f, _)| f).collect();
    streamed.sort_by_key(|f| listed.iter().position(|name| *name == f.relative));
    assert_eq!(
        streamed, in_memory.files,
        "the same bytes as the in-memory export"
    );
}

/// A file the output folder cannot take stops the build: the sink's problem is reported
/// and the rest of the set is still rendered (every problem at once), never put in place.
#[test]
fn a_file_the_sink_refuses_fails_the_build() {
    use rollikaart::diagnostics::Diagnostic;
    use rollikaart::export::{self, ExportOptions};
    let project = bundled_project();
    let options = ExportOptions::default();
    let prepared = export::prepare(&project, &options).unwrap();
    let e = prepared
        .render_into(&|_, _| {}, &|file| {
            if file.relative == "kaardid/03-juhtivspetsialist.docx" {
                Err(Diagnostic::new(None, "disk full".to_string()))
            } else {
                Ok(())
            }
        })
        .unwrap_err();
    assert!(e.render(false).contains("disk full"), "{}", e.render(false));
}
