//! Performance of the annex build, measured against the targets of the performance issue.
//!
//! `cargo bench` runs this program (harness = false): every scenario is timed with
//! `std::time::Instant` (CPU time beside it through libc), peak heap through dhat, and a
//! table prints each figure beside its target with "met" or "MISSED". A missed target does
//! not fail the run: a benchmark reports, it does not gate.
//!
//! Quick mode (fewer iterations): `cargo bench -- --quick` or `ROLLIKAART_BENCH_QUICK=1`.
//!
//! Every timed figure is the median of its iterations unless the row says otherwise; the
//! reference machine for the targets has 2 cores.

use rollikaart::Project;
use rollikaart::cards::{AnnexSource, Card};
use rollikaart::document::{self, BuildOptions, Document, Selection};
use rollikaart::export::{self, Formats, Scope};
use rollikaart::output::{self, OutputFile};
use rollikaart::render::docx::Docx;
use rollikaart::render::pdf::Pdf;
use rollikaart::render::{RenderContext, Renderer};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// Heap accounting

/// The allocator: the system's, switched to dhat's profiling allocator while [`PROFILING`]
/// is set. dhat takes a global lock on every allocation, so the timed scenarios must not go
/// through it; dhat::Alloc wraps `System` itself, so a block allocated on one side of the
/// switch and freed on the other is still handled by the same system allocator (dhat
/// ignores frees and reallocations of blocks it did not see).
struct Switch;

/// Whether allocations go through dhat: only inside [`peak_heap`].
static PROFILING: AtomicBool = AtomicBool::new(false);

// SAFETY: every call is forwarded unchanged to `System` or to `dhat::Alloc`, which forwards
// to `System` and only records sizes.
unsafe impl GlobalAlloc for Switch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        unsafe {
            if PROFILING.load(Ordering::Relaxed) {
                dhat::Alloc.alloc(layout)
            } else {
                System.alloc(layout)
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        unsafe {
            if PROFILING.load(Ordering::Relaxed) {
                dhat::Alloc.alloc_zeroed(layout)
            } else {
                System.alloc_zeroed(layout)
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe {
            if PROFILING.load(Ordering::Relaxed) {
                dhat::Alloc.dealloc(ptr, layout)
            } else {
                System.dealloc(ptr, layout)
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        unsafe {
            if PROFILING.load(Ordering::Relaxed) {
                dhat::Alloc.realloc(ptr, layout, new_size)
            } else {
                System.realloc(ptr, layout, new_size)
            }
        }
    }
}

#[global_allocator]
static ALLOCATOR: Switch = Switch;

/// The most bytes live at once while `f` runs, counting only what was allocated during it
/// (dhat's heap profile in testing mode: nothing is written to disk); and `f`'s result.
fn peak_heap<T>(f: impl FnOnce() -> T) -> (usize, T) {
    PROFILING.store(true, Ordering::SeqCst);
    let profiler = dhat::Profiler::builder()
        .testing()
        .trim_backtraces(Some(1))
        .build();
    let value = f();
    let peak = dhat::HeapStats::get().max_bytes;
    drop(profiler);
    PROFILING.store(false, Ordering::SeqCst);
    (peak, value)
}

// ---------------------------------------------------------------------------------------
// Measuring and reporting

const KB: f64 = 1024.0;
const MB: f64 = 1024.0 * 1024.0;

/// Sorted durations of the iterations of one measurement: wall time and, where the kernel
/// tells it, the CPU time of the measuring thread.
struct Samples {
    wall: Vec<Duration>,
    cpu: Option<Vec<Duration>>,
}

fn median(sorted: &[Duration]) -> Duration {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}

impl Samples {
    fn median(&self) -> Duration {
        median(&self.wall)
    }

    /// The nearest-rank 90th percentile of the wall times.
    fn p90(&self) -> Duration {
        let rank = (self.wall.len() * 9).div_ceil(10).max(1);
        self.wall[rank - 1]
    }

    fn min(&self) -> Duration {
        self.wall[0]
    }

    /// The median CPU time of this thread: on a busy machine, the work without the waiting
    /// for a core. Only meaningful for work done on the measuring thread.
    fn cpu_median(&self) -> Option<Duration> {
        self.cpu.as_deref().map(median)
    }

    /// "p90 …, CPU …" for the table.
    fn detail(&self) -> String {
        let mut d = format!("p90 {:.2}", ms(self.p90()));
        if let Some(cpu) = self.cpu_median() {
            d.push_str(&format!(", CPU {:.2}", ms(cpu)));
        }
        d
    }
}

/// The time this thread has spent on a CPU: `clock_gettime(CLOCK_THREAD_CPUTIME_ID)`
/// (`/proc/thread-self/schedstat` only moves in scheduler ticks on some kernels, too coarse
/// for a 10 ms figure). `None` where the clock is missing.
#[cfg(unix)]
fn thread_cpu() -> Option<Duration> {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid, writable timespec; the clock id is libc's constant.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    (rc == 0).then(|| {
        Duration::new(
            u64::try_from(t.tv_sec).unwrap_or(0),
            u32::try_from(t.tv_nsec).unwrap_or(0),
        )
    })
}

#[cfg(not(unix))]
fn thread_cpu() -> Option<Duration> {
    None
}

/// The CPU time (user + system) of all finished child processes so far:
/// `getrusage(RUSAGE_CHILDREN)`. `None` where it fails.
#[cfg(unix)]
fn children_cpu() -> Option<Duration> {
    // SAFETY: all-zero is a valid `rusage` (plain integers).
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `u` is a valid, writable rusage; the `who` value is libc's constant.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let micros = |t: libc::timeval| {
        u64::try_from(t.tv_sec).unwrap_or(0) * 1_000_000 + u64::try_from(t.tv_usec).unwrap_or(0)
    };
    (rc == 0).then(|| Duration::from_micros(micros(u.ru_utime) + micros(u.ru_stime)))
}

#[cfg(not(unix))]
fn children_cpu() -> Option<Duration> {
    None
}

/// Runs `f` once untimed (warm-up), then `iterations` times timed.
fn measure<T>(iterations: usize, mut f: impl FnMut() -> T) -> Samples {
    black_box(f());
    measure_cold(iterations, f)
}

/// Runs `f` `iterations` times timed, without a warm-up.
fn measure_cold<T>(iterations: usize, mut f: impl FnMut() -> T) -> Samples {
    let mut wall = Vec::with_capacity(iterations.max(1));
    let mut cpu = Some(Vec::with_capacity(iterations.max(1)));
    for _ in 0..iterations.max(1) {
        let cpu_before = thread_cpu();
        let started = Instant::now();
        black_box(f());
        wall.push(started.elapsed());
        match (cpu_before, thread_cpu(), cpu.as_mut()) {
            (Some(a), Some(b), Some(c)) => c.push(b.saturating_sub(a)),
            _ => cpu = None,
        }
    }
    wall.sort();
    if let Some(c) = cpu.as_mut() {
        c.sort();
    }
    Samples { wall, cpu }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A target a figure is held against.
#[derive(Clone, Copy)]
enum Target {
    /// At most this many milliseconds.
    Ms(f64),
    /// At most this many bytes.
    Bytes(f64),
    /// No target; the text says what would be reasonable.
    Informative(&'static str),
}

struct Row {
    scenario: String,
    measured: String,
    target: String,
    met: Option<bool>,
}

#[derive(Default)]
struct Report {
    rows: Vec<Row>,
}

impl Report {
    /// A timed figure held against a target in milliseconds.
    fn time(&mut self, scenario: &str, took: Duration, detail: &str, target: Target) {
        let value = ms(took);
        let measured = if detail.is_empty() {
            format!("{value:.2} ms")
        } else {
            format!("{value:.2} ms ({detail})")
        };
        self.push(scenario, measured, value, target);
    }

    /// A size held against a target in bytes.
    fn bytes(&mut self, scenario: &str, bytes: usize, target: Target) {
        let b = bytes as f64;
        let measured = if b >= MB {
            format!("{:.1} MB", b / MB)
        } else {
            format!("{:.1} KB", b / KB)
        };
        self.push(scenario, measured, b, target);
    }

    fn push(&mut self, scenario: &str, measured: String, value: f64, target: Target) {
        let (target, met) = match target {
            Target::Ms(limit) => (format!("≤ {limit} ms"), Some(value <= limit)),
            Target::Bytes(limit) if limit >= MB => {
                (format!("≤ {} MB", limit / MB), Some(value <= limit))
            }
            Target::Bytes(limit) => (format!("≤ {} KB", limit / KB), Some(value <= limit)),
            Target::Informative(note) => (note.to_string(), None),
        };
        let row = Row {
            scenario: scenario.to_string(),
            measured,
            target,
            met,
        };
        eprintln!(
            "  {:<60} {:<44} {:<30} {}",
            row.scenario,
            row.measured,
            row.target,
            verdict(row.met)
        );
        self.rows.push(row);
    }

    fn print(&mut self) {
        // Rows in scenario order (the sizes are measured early, from the build's files).
        self.rows.sort_by_key(|r| {
            r.scenario
                .split('.')
                .next()
                .and_then(|n| n.parse::<u32>().ok())
        });
        println!();
        println!("| scenario | measured | target | met? |");
        println!("| --- | --- | --- | --- |");
        for r in &self.rows {
            println!(
                "| {} | {} | {} | {} |",
                r.scenario,
                r.measured,
                r.target,
                verdict(r.met)
            );
        }
        let missed: Vec<&Row> = self.rows.iter().filter(|r| r.met == Some(false)).collect();
        let held = self.rows.iter().filter(|r| r.met.is_some()).count();
        println!();
        println!(
            "{} of {held} targets met; {} MISSED{}",
            held - missed.len(),
            missed.len(),
            if missed.is_empty() { "" } else { ":" }
        );
        for r in missed {
            println!(
                "  MISSED  {}: {} against {}",
                r.scenario, r.measured, r.target
            );
        }
    }
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "MISSED",
        None => "informative",
    }
}

// ---------------------------------------------------------------------------------------
// The machine

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .and_then(|rest| rest.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".to_string());
    format!("{cores} cores (nproc), {model}")
}

/// The 1-, 5- and 15-minute load averages: how busy the machine was (noise).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_string())
}

// ---------------------------------------------------------------------------------------
// Inputs

fn package_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load() -> Project {
    let root = package_root();
    match rollikaart::load_project(&root.join("cards"), &root.join("templates/lisa.toml")) {
        Ok(p) => p,
        Err(d) => {
            eprintln!("{}", d.render(false));
            panic!("the bundled cards do not load");
        }
    }
}

/// An annex of `n` cards made from the bundled ones, round-robin, numbered 1..=n with ids
/// `kaart-0001`…; the glossary stays as it is.
fn synthetic(source: &AnnexSource, n: usize) -> AnnexSource {
    let cards: Vec<Card> = (1..=n)
        .map(|i| {
            let mut card = source.cards[(i - 1) % source.cards.len()].clone();
            card.order = u32::try_from(i).expect("card count fits u32");
            card.id = format!("kaart-{i:04}");
            card
        })
        .collect();
    AnnexSource {
        annex: source.annex.clone(),
        cards,
        glossary: source.glossary.clone(),
    }
}

fn context<'a>(project: &'a Project, producer: &'a str) -> RenderContext<'a> {
    RenderContext {
        template: &project.template,
        fonts: &project.fonts,
        icc_profile: &project.icc_profile,
        timestamp: export::FALLBACK_TIMESTAMP,
        producer,
    }
}

fn whole(source: &AnnexSource, project: &Project) -> Document {
    document::build(
        source,
        &project.template,
        &BuildOptions::default(),
        Selection::WholeAnnex,
    )
}

fn render(renderer: &dyn Renderer, doc: &Document, cx: &RenderContext<'_>) -> Vec<u8> {
    renderer
        .render(doc, cx)
        .unwrap_or_else(|e| panic!("{} render failed: {e}", renderer.extension()))
}

fn export_all(project: &Project) -> Vec<OutputFile> {
    match export::export(
        project,
        &BuildOptions::default(),
        Formats::Both,
        Scope::Everything,
        false,
        export::FALLBACK_TIMESTAMP,
    ) {
        Ok(e) => e.files,
        Err(d) => panic!("export failed:\n{}", d.render(false)),
    }
}

fn write(dir: &Path, files: &[OutputFile]) {
    if let Err(d) = output::write_all(dir, files, Some(output::MANIFEST)) {
        panic!("write_all failed: {}", d.message);
    }
}

// ---------------------------------------------------------------------------------------
// The release binary

/// The release binary: the one cargo built for this bench, else target/release/rollikaart,
/// built with `cargo build --release` when missing.
fn release_binary() -> Option<PathBuf> {
    if let Some(p) = option_env!("CARGO_BIN_EXE_rollikaart").map(PathBuf::from)
        && p.is_file()
    {
        return Some(p);
    }
    let p = package_root().join("target/release/rollikaart");
    if p.is_file() {
        return Some(p);
    }
    eprintln!(
        "note: {} is missing; running `cargo build --release` first (not timed)",
        p.display()
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let built = Command::new(cargo)
        .args(["build", "--release", "--bin", "rollikaart"])
        .current_dir(package_root())
        .status();
    match built {
        Ok(s) if s.success() && p.is_file() => Some(p),
        Ok(s) => {
            eprintln!(
                "note: `cargo build --release` ended with {s}; the process figures are skipped"
            );
            None
        }
        Err(e) => {
            eprintln!("note: cannot run cargo ({e}); the process figures are skipped");
            None
        }
    }
}

/// One `rollikaart build -q --out DIR` from the package root; panics when it fails.
fn run_binary(binary: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let output = Command::new(binary)
        .args(["build", "-q", "--out"])
        .arg(out)
        .args(extra)
        .current_dir(package_root())
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .output()
        .expect("the release binary starts");
    assert!(
        output.status.success(),
        "rollikaart build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

// ---------------------------------------------------------------------------------------

/// Iteration counts, full and quick.
struct Plan {
    load: usize,
    small: usize,
    export: usize,
    process: usize,
    large: usize,
}

impl Plan {
    fn new(quick: bool) -> Plan {
        if quick {
            Plan {
                load: 10,
                small: 10,
                export: 5,
                process: 5,
                large: 1,
            }
        } else {
            Plan {
                load: 100,
                small: 100,
                export: 30,
                process: 20,
                large: 5,
            }
        }
    }
}

fn main() {
    // cargo passes `--bench` (and a filter, if one was given); only `--quick` means anything.
    let quick = std::env::args().skip(1).any(|a| a == "--quick")
        || std::env::var("ROLLIKAART_BENCH_QUICK").is_ok_and(|v| v == "1");
    let plan = Plan::new(quick);
    let started = Instant::now();
    let machine = machine();
    let load_before = load_average();
    eprintln!(
        "rollikaart benchmark{}: {machine}; load average {load_before}",
        if quick { " (quick)" } else { "" }
    );
    if cfg!(debug_assertions) {
        eprintln!("note: built without optimisations; run `cargo bench` for meaningful figures");
    }
    let mut report = Report::default();
    let producer = format!("rollikaart {}", env!("CARGO_PKG_VERSION"));

    // 1. Parse and validate the bundled cards.
    let project = load();
    let s = measure(plan.load, load);
    report.time(
        "1. load_project (parse + validate 14 cards)",
        s.median(),
        &s.detail(),
        Target::Informative("informative (suggest ≤ 5 ms)"),
    );

    // 2. The combined annex PDF: the first render in the process is cold (fonts parsed for
    //    printpdf, colour profile and hyphenation dictionary loaded); then one renderer is
    //    reused, as a build does for its 15 PDFs.
    let cx = context(&project, &producer);
    let pdf = Pdf::default();
    let mut cold_pdf = Vec::new();
    let cold = measure_cold(1, || {
        cold_pdf = render(&pdf, &whole(&project.source, &project), &cx);
    });
    let s = measure(plan.small, || {
        render(&pdf, &whole(&project.source, &project), &cx)
    });
    report.time(
        "2. combined PDF, build + render (warm renderer)",
        s.median(),
        &format!("{}, min {:.2}", s.detail(), ms(s.min())),
        Target::Ms(10.0),
    );
    report.time(
        "2. combined PDF, first render in the process",
        cold.median(),
        &format!(
            "cold{}",
            cold.cpu_median()
                .map(|c| format!(", CPU {:.2}", ms(c)))
                .unwrap_or_default()
        ),
        Target::Informative("informative"),
    );
    let s = measure(plan.small / 3, || {
        render(&Pdf::default(), &whole(&project.source, &project), &cx)
    });
    report.time(
        "2. combined PDF, a new renderer each time",
        s.median(),
        &format!("font parse per file; {}", s.detail()),
        Target::Informative("informative"),
    );
    let doc = whole(&project.source, &project);
    let s = measure(plan.small, || whole(&project.source, &project));
    report.time(
        "2. of which document::build",
        s.median(),
        &s.detail(),
        Target::Informative("informative"),
    );
    let s = measure(plan.small, || {
        rollikaart::layout::page::layout(&doc, &project.template, &project.fonts)
    });
    report.time(
        "2. of which layout",
        s.median(),
        &s.detail(),
        Target::Informative("informative"),
    );

    // 3. The combined DOCX.
    let s = measure(plan.small, || {
        render(&Docx, &whole(&project.source, &project), &cx)
    });
    report.time(
        "3. combined DOCX, build + render",
        s.median(),
        &s.detail(),
        Target::Informative("informative (suggest ≤ 10 ms)"),
    );

    // 4. The full build in the process: export (combined + per card, both formats, manifest)
    //    and write_all into a new folder each time.
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let mut run = 0usize;
    let mut next_dir = || {
        run += 1;
        scratch.path().join(format!("out-{run}"))
    };
    let files = export_all(&project);
    let s = measure(plan.export, || export_all(&project));
    report.time(
        "4. full build in-process: export only",
        s.median(),
        &format!("{} files", files.len()),
        Target::Informative("informative"),
    );
    let s = measure(plan.export, || write(&next_dir(), &files));
    report.time(
        "4. full build in-process: write_all only",
        s.median(),
        &format!("p90 {:.2} ms", ms(s.p90())),
        Target::Informative("informative"),
    );
    let s = measure(plan.export, || write(&next_dir(), &export_all(&project)));
    report.time(
        "4. full build in-process: export + write_all",
        s.median(),
        &format!("p90 {:.2} ms", ms(s.p90())),
        Target::Informative("informative"),
    );
    match release_binary() {
        Some(binary) => {
            // CPU of each build process (all its threads), beside the wall time: on a busy
            // machine the wall time also holds the waiting for a free core.
            let mut cpu: Vec<Duration> = Vec::new();
            let s = measure(plan.process, || {
                let before = children_cpu();
                run_binary(&binary, &next_dir(), &[]);
                if let (Some(a), Some(b)) = (before, children_cpu()) {
                    cpu.push(b.saturating_sub(a));
                }
            });
            cpu.sort();
            let cpu = if cpu.is_empty() {
                String::new()
            } else {
                format!(", CPU {:.1}", ms(median(&cpu)))
            };
            report.time(
                "4. whole process: rollikaart build -q (wall)",
                s.median(),
                &format!(
                    "p90 {:.1}, min {:.1}{cpu}, {} runs",
                    ms(s.p90()),
                    ms(s.min()),
                    s.wall.len()
                ),
                Target::Ms(40.0),
            );
            let timings = run_binary(&binary, &next_dir(), &["--timings"]);
            eprintln!("  one run with --timings:");
            for line in String::from_utf8_lossy(&timings.stderr).lines() {
                eprintln!("    {line}");
            }
        }
        None => eprintln!("  4. whole process: skipped (no release binary)"),
    }

    // 7. Sizes (from the export above: template mode, no draft mark).
    let size = |name: &str| {
        files
            .iter()
            .find(|f| f.relative == name)
            .map_or(0, |f| f.bytes.len())
    };
    report.bytes(
        "7. size: combined PDF",
        size("lisa.pdf"),
        Target::Bytes(100.0 * KB),
    );
    let largest = files
        .iter()
        .filter(|f| f.relative.starts_with("kaardid/") && f.relative.ends_with(".pdf"))
        .max_by_key(|f| f.bytes.len())
        .expect("per-card PDFs");
    report.bytes(
        &format!("7. size: largest per-card PDF ({})", largest.relative),
        largest.bytes.len(),
        Target::Bytes(40.0 * KB),
    );
    report.bytes(
        "7. size: combined DOCX",
        size("lisa.docx"),
        Target::Bytes(40.0 * KB),
    );
    drop(cold_pdf);

    // 5. Synthetic annexes of 250, 500 and 1,000 cards: growth should be linear.
    // Time per card (µs): wall, and CPU where known.
    let mut per_card: Vec<(usize, f64, Option<f64>)> = Vec::new();
    for n in [250usize, 500, 1000] {
        let source = synthetic(&project.source, n);
        let iterations = if n == 1000 {
            plan.large
        } else {
            plan.large.min(3)
        };
        let p = measure_cold(iterations, || render(&pdf, &whole(&source, &project), &cx));
        let d = measure_cold(iterations, || render(&Docx, &whole(&source, &project), &cx));
        let both = p.median() + d.median();
        let cpu = p.cpu_median().zip(d.cpu_median()).map(|(a, b)| a + b);
        let per = |t: Duration| t.as_secs_f64() * 1e6 / n as f64;
        per_card.push((n, per(both), cpu.map(per)));
        report.time(
            &format!("5. {n} cards: combined PDF + DOCX"),
            both,
            &format!(
                "PDF {:.0} + DOCX {:.0}{}; {:.0} µs/card",
                ms(p.median()),
                ms(d.median()),
                cpu.map(|c| format!(", CPU {:.0}", ms(c)))
                    .unwrap_or_default(),
                per(both)
            ),
            if n == 1000 {
                Target::Ms(2000.0)
            } else {
                Target::Informative("informative")
            },
        );
    }
    let (first_n, first, first_cpu) = per_card[0];
    let (last_n, last, last_cpu) = per_card[per_card.len() - 1];
    let ratio = last / first;
    let cpu_ratio = last_cpu.zip(first_cpu).map(|(l, f)| l / f);
    eprintln!(
        "  growth: time per card at {last_n} / at {first_n} cards = {ratio:.2} wall{} \
         (1.00 is linear); {}",
        cpu_ratio
            .map(|r| format!(", {r:.2} CPU"))
            .unwrap_or_default(),
        per_card
            .iter()
            .map(|(n, us, _)| format!("{n}: {us:.0} µs/card"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    report.push(
        "5. growth: per-card time 1,000 vs 250 cards",
        format!(
            "{ratio:.2}× wall{}",
            cpu_ratio
                .map(|r| format!(", {r:.2}× CPU"))
                .unwrap_or_default()
        ),
        ratio,
        Target::Informative("≈ 1.0 is linear (informative)"),
    );

    // 6. Peak heap for the 1,000-card PDF and DOCX, both kept as a build keeps its files;
    //    then each format alone, to show which one sets the peak.
    let source = synthetic(&project.source, 1000);
    let (peak, (pdf_bytes, docx_bytes)) = peak_heap(|| {
        let doc = whole(&source, &project);
        let pdf_bytes = render(&pdf, &doc, &cx);
        let docx_bytes = render(&Docx, &doc, &cx);
        (pdf_bytes, docx_bytes)
    });
    report.bytes(
        "6. peak heap, 1,000-card PDF + DOCX (dhat, above the start)",
        peak,
        Target::Bytes(64.0 * MB),
    );
    eprintln!(
        "  1,000-card files: PDF {:.0} KB, DOCX {:.0} KB; peak {:.1} MB",
        pdf_bytes.len() as f64 / KB,
        docx_bytes.len() as f64 / KB,
        peak as f64 / MB
    );
    drop((pdf_bytes, docx_bytes));
    for (name, renderer) in [("PDF", &pdf as &dyn Renderer), ("DOCX", &Docx)] {
        let (peak, bytes) = peak_heap(|| render(renderer, &whole(&source, &project), &cx));
        black_box(bytes);
        report.bytes(
            &format!("6. of which {name} alone"),
            peak,
            Target::Informative("informative"),
        );
    }

    diff_rows(&mut report, &plan, &project);

    report.print();
    println!();
    println!("machine: {machine}");
    println!(
        "load average before {load_before}, after {} (a busy machine makes the figures noisy)",
        load_average()
    );
    println!(
        "benchmark took {:.1} s{}",
        started.elapsed().as_secs_f64(),
        if quick { " (quick mode)" } else { "" }
    );
}

/// Issue 14: `rollikaart diff --out` (compare, then muudatused.docx and muudatused.pdf in
/// memory) against a build of the same new set (31 files in memory); the diff must not cost
/// more than the build.
fn diff_rows(report: &mut Report, plan: &Plan, old: &Project) {
    let mut new = old.clone();
    // A word replaced, a paragraph added, a card removed, one moved to the end.
    if let Some(card) = new.source.cards.get_mut(6) {
        for p in &mut card.roles.paragraphs {
            *p = p.replace("võimestaja", "eestvedaja");
        }
        card.why
            .paragraphs
            .push("Uus lõik lisatud siia.".to_string());
    }
    if new.source.cards.len() > 11 {
        new.source.cards.remove(11);
    }
    if !new.source.cards.is_empty() {
        let moved = new.source.cards.remove(1.min(new.source.cards.len() - 1));
        new.source.cards.push(moved);
    }
    let redline = rollikaart::diff::redline::RedlineOptions {
        revision: document::Revision {
            author: new.source.annex.authority.clone(),
            timestamp: export::FALLBACK_TIMESTAMP,
        },
        changed_only: false,
        compared_with: Some("cards".to_string()),
    };
    let diff_files = || {
        rollikaart::diff::files::export(
            old,
            &new,
            &BuildOptions::default(),
            &redline,
            export::FALLBACK_TIMESTAMP,
        )
        .map(|e| e.files)
        .unwrap_or_default()
    };
    let build = measure(plan.export, || export_all(&new));
    let diff = measure(plan.export, diff_files);
    report.time(
        "8. build of the edited set (31 files, in memory)",
        build.median(),
        &build.detail(),
        Target::Informative("the diff's limit below"),
    );
    report.time(
        "8. diff + both files (muudatused.docx and .pdf, in memory)",
        diff.median(),
        &diff.detail(),
        Target::Ms(ms(build.median())),
    );
}
