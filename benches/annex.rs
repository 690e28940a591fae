//! Performance of the annex build, measured against the targets of the performance issue.
//!
//! `cargo bench` runs this program (harness = false): every scenario is timed with
//! `std::time::Instant` (the thread's CPU time beside it, `clock_gettime` through libc), on
//! mimalloc, the allocator of the `rollikaart` binary (two rows also give the system's
//! allocator, for comparison); the peak heap is dhat's heap profile (switched on only inside
//! that scenario), and a table
//! prints each figure beside its target with "met", "MISSED" or "SKIPPED". A missed target
//! does not fail the run: a benchmark reports, it does not gate.
//!
//! Quick mode (fewer iterations): `cargo bench --bench annex -- --quick` or
//! `ROLLIKAART_BENCH_QUICK=1` (`cargo bench -- --quick` also hands the flag to the unit tests).
//! The 10,000-card build (minutes on 2 cores) runs only with `ROLLIKAART_BENCH_10K=1`.
//!
//! The whole-process figures run the release binary and read each child's CPU time and
//! peak RSS with `wait4` (libc), started by a fresh copy of this program (a launcher) so that the
//! bench's own memory is not counted. Scenario 4 runs native Typst (`ROLLIKAART_TYPST`, else
//! `~/.cargo/bin/typst`, else `typst` on the PATH) on a Typst source of the same annex the
//! bench writes from our document model (A4 landscape, the header band, titles, bordered
//! table rows, Liberation Sans from `fonts/`, `--pdf-standard a-2b`), alternating with our
//! build in the same run; without Typst that row says SKIPPED.
//!
//! Every timed figure is the median of its iterations unless the row says otherwise; the
//! reference machine for the targets has 2 cores.

use rollikaart::Project;
use rollikaart::cards::{AnnexSource, Card, CardField};
use rollikaart::document::{self, BuildOptions, Document, Selection};
use rollikaart::export::{self, ExportOptions};
use rollikaart::output::{self, OutputFile};
use rollikaart::render::docx::Docx;
use rollikaart::render::pdf::Pdf;
use rollikaart::render::{RenderContext, Renderer};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------
// Heap accounting

/// The allocator: mimalloc, as in the `rollikaart` binary (src/main.rs), so that the
/// in-process rows time the renderers as a build runs them; the system's for the rows that
/// say so ([`time_on_system_allocator`]); dhat's profiling allocator inside [`peak_heap`]. dhat
/// takes a global lock on every allocation, so the timed rows must not go through it.
///
/// A block goes back to the allocator it came from, whatever the route is by then: mimalloc
/// knows its own blocks (`mi_is_in_heap_region`, a look-up in its segment map); every other
/// block came from the system's allocator, directly or through dhat (which forwards to
/// `System` and ignores frees and reallocations of blocks it did not see).
struct Switch;

/// Where new blocks come from: one of the `ROUTE_*` values.
static ROUTE: AtomicU8 = AtomicU8::new(ROUTE_MIMALLOC);
const ROUTE_MIMALLOC: u8 = 0;
const ROUTE_SYSTEM: u8 = 1;
const ROUTE_DHAT: u8 = 2;

/// Whether `ptr` was allocated by mimalloc.
fn from_mimalloc(ptr: *mut u8) -> bool {
    // SAFETY: mi_is_in_heap_region only looks `ptr` up in mimalloc's segment map; it does
    // not dereference it, and any address may be asked about.
    unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
}

// SAFETY: every call is forwarded unchanged to mimalloc, `System` or `dhat::Alloc` (which
// forwards to `System` and only records sizes); a block is freed or reallocated by the
// allocator that made it (see [`Switch`]).
unsafe impl GlobalAlloc for Switch {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        unsafe {
            match ROUTE.load(Ordering::Relaxed) {
                ROUTE_MIMALLOC => mimalloc::MiMalloc.alloc(layout),
                ROUTE_DHAT => dhat::Alloc.alloc(layout),
                _ => System.alloc(layout),
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        unsafe {
            match ROUTE.load(Ordering::Relaxed) {
                ROUTE_MIMALLOC => mimalloc::MiMalloc.alloc_zeroed(layout),
                ROUTE_DHAT => dhat::Alloc.alloc_zeroed(layout),
                _ => System.alloc_zeroed(layout),
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's; `ptr` goes back to its own allocator.
        unsafe {
            if from_mimalloc(ptr) {
                mimalloc::MiMalloc.dealloc(ptr, layout)
            } else if ROUTE.load(Ordering::Relaxed) == ROUTE_DHAT {
                dhat::Alloc.dealloc(ptr, layout)
            } else {
                System.dealloc(ptr, layout)
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's; `ptr` goes back to its own allocator.
        unsafe {
            if from_mimalloc(ptr) {
                mimalloc::MiMalloc.realloc(ptr, layout, new_size)
            } else if ROUTE.load(Ordering::Relaxed) == ROUTE_DHAT {
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
    ROUTE.store(ROUTE_DHAT, Ordering::SeqCst);
    let profiler = dhat::Profiler::builder()
        .testing()
        .trim_backtraces(Some(1))
        .build();
    let value = f();
    let peak = dhat::HeapStats::get().max_bytes;
    drop(profiler);
    ROUTE.store(ROUTE_MIMALLOC, Ordering::SeqCst);
    (peak, value)
}

/// An informative row `label`: `f` timed over `iterations` with new blocks from the
/// system's allocator (glibc's malloc) instead of mimalloc.
fn time_on_system_allocator<T>(
    report: &mut Report,
    label: &str,
    iterations: usize,
    f: impl FnMut() -> T,
) {
    ROUTE.store(ROUTE_SYSTEM, Ordering::SeqCst);
    let s = measure(iterations, f);
    ROUTE.store(ROUTE_MIMALLOC, Ordering::SeqCst);
    report.time(
        label,
        s.median(),
        &format!("glibc malloc instead of mimalloc; {}", s.detail()),
        Target::Informative("informative"),
    );
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
/// through libc (`/proc/thread-self/schedstat` only moves in scheduler ticks on some
/// kernels, too coarse for a 10 ms figure). `None` where the clock is missing.
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

/// What one child process cost: wall time, CPU time (user + system, all its threads) and
/// peak resident memory.
#[derive(Clone, Copy)]
struct ProcessCost {
    wall: Duration,
    cpu: Option<Duration>,
    peak_rss: Option<usize>,
}

/// Starts `command` (output discarded) and waits for it with `wait4`, which gives this one
/// child's CPU time and peak RSS (`RUSAGE_CHILDREN` would give the largest child so far).
/// Panics, with the command's standard error, when it fails.
fn run_measured(command: &mut Command) -> ProcessCost {
    try_run_measured(command).unwrap_or_else(|e| panic!("{e}"))
}

/// The first argument that makes this program a launcher (see [`launcher`]).
const LAUNCHER_FLAG: &str = "--launch-and-measure";

/// [`run_measured`], giving the failure (with the command's standard error) instead.
///
/// The command is started by a fresh copy of this program in launcher mode, not by the
/// bench itself: Linux carries a process's peak RSS over `exec` from the memory it was
/// started in, so a child spawned straight from the bench would report the bench's own peak
/// (tens of MB after the in-process scenarios) whenever that is higher than its own.
fn try_run_measured(command: &mut Command) -> Result<ProcessCost, String> {
    let this = std::env::current_exe().map_err(|e| format!("no path to the bench: {e}"))?;
    let mut launch = Command::new(this);
    launch
        .arg(LAUNCHER_FLAG)
        .arg(command.get_program())
        .args(command.get_args());
    if let Some(dir) = command.get_current_dir() {
        launch.current_dir(dir);
    }
    for (key, value) in command.get_envs() {
        match value {
            Some(v) => launch.env(key, v),
            None => launch.env_remove(key),
        };
    }
    let out = launch
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{command:?}: the launcher does not start: {e}"))?;
    let report = String::from_utf8_lossy(&out.stdout);
    let numbers: Vec<u64> = report
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    match (out.status.success(), numbers.as_slice()) {
        (true, [wall_us, cpu_us, rss]) => Ok(ProcessCost {
            wall: Duration::from_micros(*wall_us),
            cpu: (*cpu_us > 0).then(|| Duration::from_micros(*cpu_us)),
            peak_rss: (*rss > 0).then(|| usize::try_from(*rss).unwrap_or(usize::MAX)),
        }),
        _ => Err(format!(
            "{command:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )),
    }
}

/// Launcher mode (`annex --launch-and-measure PROGRAM ARGS…`): runs the program with its
/// output discarded, and prints its wall time and CPU time in µs and its peak RSS in bytes
/// (0 where unknown); on failure prints its standard error and exits 1.
fn launcher(program: &str, args: &[String]) -> std::process::ExitCode {
    let started = Instant::now();
    let child = match Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{program} does not start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let (ok, cpu, peak_rss, stderr) = wait_child(child);
    let wall = started.elapsed();
    if !ok {
        eprintln!("{stderr}");
        return std::process::ExitCode::FAILURE;
    }
    println!(
        "{} {} {}",
        wall.as_micros(),
        cpu.map_or(0, |c| c.as_micros()),
        peak_rss.unwrap_or(0)
    );
    std::process::ExitCode::SUCCESS
}

/// Waits for `child`: (succeeded, CPU time, peak RSS in bytes, its standard error).
/// `wait4` through libc gives this one child's user and system time and its peak RSS
/// (`ru_maxrss`, in KiB on Linux).
#[cfg(unix)]
fn wait_child(mut child: std::process::Child) -> (bool, Option<Duration>, Option<usize>, String) {
    use std::io::Read;
    // Read standard error first: a child blocked on a full pipe would never end.
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        let _ = e.read_to_string(&mut stderr);
    }
    let mut status: libc::c_int = 0;
    // SAFETY: all-zero is a valid `rusage` (plain integers).
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = libc::pid_t::try_from(child.id()).expect("a pid fits pid_t");
    // SAFETY: `status` and `u` are valid and writable; `pid` is our own unreaped child.
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut u) };
    if rc != pid {
        let ok = child.wait().is_ok_and(|s| s.success());
        return (ok, None, None, stderr);
    }
    let micros = |t: libc::timeval| {
        u64::try_from(t.tv_sec).unwrap_or(0) * 1_000_000 + u64::try_from(t.tv_usec).unwrap_or(0)
    };
    let cpu = Duration::from_micros(micros(u.ru_utime) + micros(u.ru_stime));
    let rss = usize::try_from(u.ru_maxrss).unwrap_or(0) * 1024;
    let succeeded = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    (succeeded, Some(cpu), Some(rss), stderr)
}

#[cfg(not(unix))]
fn wait_child(child: std::process::Child) -> (bool, Option<Duration>, Option<usize>, String) {
    match child.wait_with_output() {
        Ok(o) => (
            o.status.success(),
            None,
            None,
            String::from_utf8_lossy(&o.stderr).into_owned(),
        ),
        Err(e) => (false, None, None, e.to_string()),
    }
}

/// The medians of several runs of one program.
struct ProcessSamples {
    wall: Samples,
    cpu: Option<Duration>,
    peak_rss: Option<usize>,
}

impl ProcessSamples {
    fn new(runs: &[ProcessCost]) -> ProcessSamples {
        let mut wall: Vec<Duration> = runs.iter().map(|r| r.wall).collect();
        wall.sort();
        let mut cpu: Vec<Duration> = runs.iter().filter_map(|r| r.cpu).collect();
        cpu.sort();
        ProcessSamples {
            wall: Samples { wall, cpu: None },
            cpu: (!cpu.is_empty()).then(|| median(&cpu)),
            peak_rss: runs.iter().filter_map(|r| r.peak_rss).max(),
        }
    }

    /// "p90 …, min …, CPU …, peak RSS …, N runs" for the table.
    fn detail(&self) -> String {
        let mut d = format!(
            "p90 {:.1}, min {:.1}",
            ms(self.wall.p90()),
            ms(self.wall.min())
        );
        if let Some(cpu) = self.cpu {
            d.push_str(&format!(", CPU {:.1}", ms(cpu)));
        }
        if let Some(rss) = self.peak_rss {
            d.push_str(&format!(", peak RSS {:.1} MB", rss as f64 / MB));
        }
        d.push_str(&format!(", {} runs", self.wall.wall.len()));
        d
    }
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
    /// A ratio of at most this much, of what the text names ("× Typst's wall time").
    Ratio(f64, &'static str),
    /// No target; the text says what would be reasonable.
    Informative(&'static str),
}

struct Row {
    scenario: String,
    measured: String,
    target: String,
    met: Option<bool>,
    /// Not measured: an outside program is missing or the scenario was not asked for.
    skipped: bool,
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
            Target::Ratio(limit, of) => (format!("≤ {limit}× {of}"), Some(value <= limit)),
            Target::Informative(note) => (note.to_string(), None),
        };
        self.add(Row {
            scenario: scenario.to_string(),
            measured,
            target,
            met,
            skipped: false,
        });
    }

    /// A target that could not be measured, with why.
    fn skipped(&mut self, scenario: &str, why: &str, target: &str) {
        self.add(Row {
            scenario: scenario.to_string(),
            measured: format!("SKIPPED: {why}"),
            target: target.to_string(),
            met: None,
            skipped: true,
        });
    }

    fn add(&mut self, row: Row) {
        eprintln!(
            "  {:<60} {:<44} {:<30} {}",
            row.scenario,
            row.measured,
            row.target,
            verdict(&row)
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
                verdict(r)
            );
        }
        let missed: Vec<&Row> = self.rows.iter().filter(|r| r.met == Some(false)).collect();
        let held = self.rows.iter().filter(|r| r.met.is_some()).count();
        let skipped = self.rows.iter().filter(|r| r.skipped).count();
        println!();
        println!(
            "{} of {held} targets met; {} MISSED; {skipped} SKIPPED{}",
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

fn verdict(row: &Row) -> &'static str {
    match (row.skipped, row.met) {
        (true, _) => "SKIPPED",
        (_, Some(true)) => "met",
        (_, Some(false)) => "MISSED",
        (_, None) => "informative",
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
    match export::export(project, &ExportOptions::default()) {
        Ok(e) => e.files,
        Err(d) => panic!("export failed:\n{}", d.render(false)),
    }
}

fn write(dir: &Path, files: &[OutputFile]) {
    if let Err(d) = output::write_all(dir, files, Some(output::MANIFEST)) {
        panic!("write_all failed: {}", d.message);
    }
}

/// A card folder of `n` cards on disk for a whole-process build: the bundled card files
/// round-robin, each with its own order, id and title (titles must be unique), and the
/// bundled annex and glossary files.
fn card_folder(dir: &Path, n: usize) -> PathBuf {
    let cards = package_root().join("cards");
    let folder = dir.join(format!("cards-{n}"));
    std::fs::create_dir_all(&folder).expect("a card folder");
    let mut bundled: Vec<PathBuf> = std::fs::read_dir(&cards)
        .expect("the bundled cards")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()))
        })
        .collect();
    bundled.sort();
    let texts: Vec<String> = bundled
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a bundled card"))
        .collect();
    for extra in ["lisa.toml", "sonaraamat.toml"] {
        std::fs::copy(cards.join(extra), folder.join(extra)).expect("copy of an annex file");
    }
    for i in 1..=n {
        let text = &texts[(i - 1) % texts.len()];
        let card: String = text
            .lines()
            .map(|line| {
                if line.starts_with("order = ") {
                    format!("order = {i}")
                } else if line.starts_with("id = ") {
                    format!("id = \"kaart-{i:05}\"")
                } else if let Some(title) = line
                    .strip_prefix("title = \"")
                    .and_then(|t| t.strip_suffix('"'))
                {
                    format!("title = \"{title} {i}\"")
                } else {
                    line.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(folder.join(format!("{i:05}-kaart.toml")), card).expect("a card file");
    }
    folder
}

// ---------------------------------------------------------------------------------------
// Typst, side by side

/// The Typst CLI: `ROLLIKAART_TYPST`, else `~/.cargo/bin/typst`, else `typst` on the PATH;
/// with its version line. `None` when none runs.
fn typst() -> Option<(PathBuf, String)> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(p) = std::env::var_os("ROLLIKAART_TYPST") {
        candidates.push(PathBuf::from(p));
    }
    if let Some(home) = std::env::var_os("HOME") {
        candidates.push(PathBuf::from(home).join(".cargo/bin/typst"));
    }
    candidates.push(PathBuf::from("typst"));
    candidates.into_iter().find_map(|p| {
        let out = Command::new(&p).arg("--version").output().ok()?;
        out.status
            .success()
            .then(|| (p, String::from_utf8_lossy(&out.stdout).trim().to_string()))
    })
}

/// A Typst string literal holding `text`.
fn typst_string(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// A paragraph of the model as Typst content: its runs (bold where ours are), size,
/// alignment and space below.
fn typst_paragraph(p: &rollikaart::document::Paragraph) -> String {
    let runs: String = p
        .runs
        .iter()
        .map(|r| {
            let weight = if r.bold { "bold" } else { "regular" };
            format!("#text(weight: \"{weight}\", {})", typst_string(&r.text))
        })
        .collect();
    let align = match p.align {
        rollikaart::document::Align::Right => "right",
        _ => "left",
    };
    format!(
        "#block(below: {}pt, align({align}, text(size: {}pt)[{runs}]))\n",
        p.space_after_pt, p.size_pt
    )
}

/// The annex as a Typst document, made from the same model our renderers draw: A4
/// landscape with the template's margins, Liberation Sans from `fonts/`, on every page the
/// header band (left text, right lines), then the page's title and paragraphs and its
/// bordered table, cells spanning and shaded as ours.
fn typst_source(doc: &Document, project: &Project) -> String {
    let t = &project.template;
    let page = &t.page;
    let mut s = format!(
        "#set document(title: {})\n#set page(width: {}mm, height: {}mm, margin: (top: {}mm, bottom: {}mm, left: {}mm, right: {}mm))\n#set text(font: \"Liberation Sans\", lang: \"et\")\n",
        typst_string(&doc.meta.title),
        page.width_mm,
        page.height_mm,
        page.margin_top_mm,
        page.margin_bottom_mm,
        page.margin_left_mm,
        page.margin_right_mm
    );
    let right: String = doc.header.right.iter().map(typst_paragraph).collect();
    let header = format!(
        "#grid(columns: (1fr, auto), column-gutter: {}mm, [{}], [{right}])\n#v({}mm)\n",
        t.header.column_gap_mm,
        typst_paragraph(&doc.header.left),
        t.header.space_after_mm
    );
    for (i, p) in doc.pages.iter().enumerate() {
        if i > 0 {
            s.push_str("#pagebreak()\n");
        }
        s.push_str(&header);
        for block in &p.blocks {
            match block {
                rollikaart::document::Block::Paragraph(para) => s.push_str(&typst_paragraph(para)),
                rollikaart::document::Block::Table(table) => {
                    let columns: Vec<String> =
                        table.columns_mm.iter().map(|w| format!("{w}mm")).collect();
                    s.push_str(&format!(
                        "#table(columns: ({},), stroke: {}pt, inset: {}mm,\n",
                        columns.join(", "),
                        t.table.border_pt,
                        t.table.cell_padding_mm
                    ));
                    for row in &table.rows {
                        for cell in &row.cells {
                            let fill = cell.fill.map_or(
                                String::new(),
                                |rollikaart::template::Rgb(r, g, b)| {
                                    format!(", fill: rgb({r}, {g}, {b})")
                                },
                            );
                            let body: String =
                                cell.paragraphs.iter().map(typst_paragraph).collect();
                            s.push_str(&format!(
                                "  table.cell(colspan: {}{fill})[{body}],\n",
                                cell.span
                            ));
                        }
                    }
                    s.push_str(")\n");
                }
            }
        }
    }
    s
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

/// The registration options of a final build, as the legal office gives them.
const FINAL_MODE: [&str; 5] = [
    "--reg-date",
    "15.03.2024",
    "--reg-number",
    "1-1/24/37",
    "--final",
];

/// One `rollikaart build -q` of `cards` (the bundled ones when `None`) into `out`, measured.
fn build_process(binary: &Path, cards: Option<&Path>, out: &Path, extra: &[&str]) -> ProcessCost {
    let mut command = Command::new(binary);
    command
        .args(["build", "-q", "--out"])
        .arg(out)
        .args(extra)
        .current_dir(package_root())
        .env_remove("SOURCE_DATE_EPOCH");
    if let Some(cards) = cards {
        command.arg("--cards").arg(cards);
    }
    run_measured(&mut command)
}

/// Scenario 4: the whole process, final mode, of the bundled set, beside native Typst
/// typesetting the same annex alone; runs alternate, so both see the same machine.
fn whole_process(
    report: &mut Report,
    binary: &Path,
    project: &Project,
    plan: &Plan,
    next_dir: &mut dyn FnMut() -> PathBuf,
) {
    let typst = typst();
    let typst_job = typst.as_ref().map(|(typst, version)| {
        let dir = next_dir();
        std::fs::create_dir_all(&dir).expect("a folder for the Typst source");
        let registration = rollikaart::registration::Registration::from_args(
            Some("15.03.2024"),
            Some("1-1/24/37"),
        )
        .unwrap_or_else(|d| panic!("the bench's registration: {}", d.render(false)));
        let options = BuildOptions {
            registration,
            draft: false,
        };
        let doc = document::build(
            &project.source,
            &project.template,
            &options,
            Selection::WholeAnnex,
        );
        let source = dir.join("lisa.typ");
        std::fs::write(&source, typst_source(&doc, project)).expect("the Typst source");
        (typst.clone(), version.clone(), source, dir.join("lisa.pdf"))
    });
    let run_typst = |(typst, _, source, pdf): &(PathBuf, String, PathBuf, PathBuf)| {
        try_run_measured(
            Command::new(typst)
                .args(["compile", "--ignore-system-fonts", "--font-path"])
                .arg(package_root().join("fonts"))
                .args(["--pdf-standard", "a-2b"])
                .arg(source)
                .arg(pdf),
        )
    };
    // Warm-up: the page cache, and Typst's first-run font scan. A Typst that fails on the
    // source is reported and left out.
    build_process(binary, None, &next_dir(), &FINAL_MODE);
    let mut typst_failed = None;
    if let Some(job) = &typst_job
        && let Err(e) = run_typst(job)
    {
        typst_failed = Some(e);
    }
    let typst_job = typst_job.filter(|_| typst_failed.is_none());
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for _ in 0..plan.process {
        ours.push(build_process(binary, None, &next_dir(), &FINAL_MODE));
        if let Some(job) = &typst_job {
            theirs.push(run_typst(job).unwrap_or_else(|e| panic!("{e}")));
        }
    }
    let ours = ProcessSamples::new(&ours);
    report.time(
        "4. whole process: rollikaart build -q, final mode (wall)",
        ours.wall.median(),
        &ours.detail(),
        Target::Informative("see the Typst ratio"),
    );
    if let Some(cpu) = ours.cpu {
        report.time(
            "4. whole process: CPU (all threads)",
            cpu,
            "",
            Target::Ms(40.0),
        );
    }
    match &typst_job {
        Some((_, version, _, pdf)) => {
            let theirs = ProcessSamples::new(&theirs);
            let size = std::fs::metadata(pdf).map_or(0, |m| m.len());
            report.time(
                &format!("4. native {version}: the combined annex alone, PDF/A-2b (wall)"),
                theirs.wall.median(),
                &format!("{}, {:.0} KB", theirs.detail(), size as f64 / KB),
                Target::Informative("informative"),
            );
            let ratio = ms(ours.wall.median()) / ms(theirs.wall.median()).max(f64::MIN_POSITIVE);
            report.push(
                "4. whole process vs Typst, wall-time ratio (same run)",
                format!("{ratio:.2}×"),
                ratio,
                Target::Ratio(0.5, "Typst's wall time"),
            );
        }
        None => {
            if let Some(e) = &typst_failed {
                eprintln!("  *** Typst failed on the generated source: {e}");
            }
            eprintln!(
                "  *** SKIPPED: 4. the Typst comparison: no `typst` (set ROLLIKAART_TYPST, or \
                 `cargo install typst-cli --version ~0.15` puts it in ~/.cargo/bin)"
            );
            report.skipped(
                "4. whole process vs Typst, wall-time ratio (same run)",
                if typst_failed.is_some() {
                    "typst failed (see above)"
                } else {
                    "no typst"
                },
                "≤ 0.5× Typst's wall time",
            );
        }
    }
    let timings = run_binary(binary, &next_dir(), &["--timings"]);
    eprintln!("  one run with --timings:");
    for line in String::from_utf8_lossy(&timings.stderr).lines() {
        eprintln!("    {line}");
    }
}

/// Scenario 8: a full build of 1,000 cards (2,002 documents and the manifest) as a
/// process; scenario 9: the same for 10,000 cards when `ROLLIKAART_BENCH_10K=1` (it takes
/// minutes on 2 cores).
fn large_builds(report: &mut Report, binary: &Path, plan: &Plan, scratch: &Path) {
    let mut sizes = vec![1000usize];
    let ten_thousand = std::env::var("ROLLIKAART_BENCH_10K").is_ok_and(|v| v == "1");
    if ten_thousand {
        sizes.push(10_000);
    } else {
        eprintln!("  *** SKIPPED: 9. 10,000 cards (set ROLLIKAART_BENCH_10K=1; a few minutes)");
        report.skipped(
            "9. 10,000 cards, full build: peak RSS and growth",
            "set ROLLIKAART_BENCH_10K=1",
            "≤ 150 MB; ≤ 1.1× the time per card at 1,000",
        );
    }
    let mut per_card: Vec<(usize, f64)> = Vec::new();
    for n in sizes {
        let cards = card_folder(scratch, n);
        let runs: Vec<ProcessCost> = (0..plan.large.min(3))
            .map(|i| {
                build_process(
                    binary,
                    Some(&cards),
                    &scratch.join(format!("big-{n}-{i}")),
                    &[],
                )
            })
            .collect();
        let s = ProcessSamples::new(&runs);
        per_card.push((n, ms(s.wall.median()) / n as f64));
        let step = if n == 1000 { 8 } else { 9 };
        report.time(
            &format!("{step}. {n} cards, full build, whole process (wall)"),
            s.wall.median(),
            &s.detail(),
            if n == 1000 {
                Target::Ms(1000.0)
            } else {
                Target::Informative("linear: see the ratio")
            },
        );
        if let Some(rss) = s.peak_rss {
            report.bytes(
                &format!("{step}. {n} cards, full build, peak RSS"),
                rss,
                Target::Bytes(if n == 1000 { 100.0 } else { 150.0 } * MB),
            );
        }
        for i in 0..runs.len() {
            let _ = std::fs::remove_dir_all(scratch.join(format!("big-{n}-{i}")));
        }
    }
    if let [(_, at_1000), (_, at_10000)] = per_card[..] {
        let ratio = at_10000 / at_1000;
        report.push(
            "9. growth: per-card time 10,000 vs 1,000 cards (whole process)",
            format!("{ratio:.2}×"),
            ratio,
            Target::Ratio(1.1, "the time per card at 1,000 (linear)"),
        );
    }
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, program, rest @ ..] = args.as_slice()
        && flag == LAUNCHER_FLAG
    {
        return launcher(program, rest);
    }
    bench();
    std::process::ExitCode::SUCCESS
}

fn bench() {
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
        Target::Ms(5.0),
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
    time_on_system_allocator(
        &mut report,
        "2. combined PDF, warm, system allocator",
        plan.small,
        || render(&pdf, &whole(&project.source, &project), &cx),
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
        rollikaart::layout::page::layout(&doc, &project.fonts)
    });
    report.time(
        "2. of which layout",
        s.median(),
        &s.detail(),
        Target::Informative("informative"),
    );

    // 3. The combined DOCX: one renderer reused, as a build does for its 15 DOCX (it
    //    compresses the parts they share once), as row 2 reuses one PDF renderer; then a
    //    new renderer each time, which compresses every part again.
    let docx = Docx::default();
    render(&docx, &whole(&project.source, &project), &cx);
    let s = measure(plan.small, || {
        render(&docx, &whole(&project.source, &project), &cx)
    });
    report.time(
        "3. combined DOCX, build + render (warm renderer)",
        s.median(),
        &s.detail(),
        Target::Ms(4.0),
    );
    let s = measure(plan.small, || {
        render(&Docx::default(), &whole(&project.source, &project), &cx)
    });
    report.time(
        "3. combined DOCX, a new renderer each time",
        s.median(),
        &format!("every part compressed; {}", s.detail()),
        Target::Informative("informative"),
    );
    time_on_system_allocator(
        &mut report,
        "3. combined DOCX, warm, system allocator",
        plan.small,
        || render(&docx, &whole(&project.source, &project), &cx),
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
    let binary = release_binary();
    match &binary {
        Some(binary) => whole_process(&mut report, binary, &project, &plan, &mut next_dir),
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
        Target::Bytes(24.0 * KB),
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
        let d = measure_cold(iterations, || {
            render(&Docx::default(), &whole(&source, &project), &cx)
        });
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
                Target::Ms(600.0)
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
        Target::Ratio(1.1, "the time per card at 250 (linear)"),
    );

    // 6. Peak heap for the 1,000-card PDF and DOCX, both kept as a build keeps its files;
    //    then each format alone, to show which one sets the peak.
    let source = synthetic(&project.source, 1000);
    let (peak, (pdf_bytes, docx_bytes)) = peak_heap(|| {
        let doc = whole(&source, &project);
        let pdf_bytes = render(&pdf, &doc, &cx);
        let docx_bytes = render(&Docx::default(), &doc, &cx);
        (pdf_bytes, docx_bytes)
    });
    report.bytes(
        "6. peak heap, 1,000-card PDF + DOCX (dhat, above the start)",
        peak,
        Target::Bytes(48.0 * MB),
    );
    eprintln!(
        "  1,000-card files: PDF {:.0} KB, DOCX {:.0} KB; peak {:.1} MB",
        pdf_bytes.len() as f64 / KB,
        docx_bytes.len() as f64 / KB,
        peak as f64 / MB
    );
    drop((pdf_bytes, docx_bytes));
    for (name, renderer) in [("PDF", &pdf as &dyn Renderer), ("DOCX", &Docx::default())] {
        let (peak, bytes) = peak_heap(|| render(renderer, &whole(&source, &project), &cx));
        black_box(bytes);
        report.bytes(
            &format!("6. of which {name} alone, above the start"),
            peak,
            Target::Informative("informative"),
        );
    }

    // 8. and 9. Full builds of 1,000 (and, on request, 10,000) cards, whole process.
    match &binary {
        Some(binary) => large_builds(&mut report, binary, &plan, scratch.path()),
        None => eprintln!("  8. large builds: skipped (no release binary)"),
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
        for p in &mut card.fields[CardField::Roles].paragraphs {
            *p = p.replace("võimestaja", "eestvedaja");
        }
        card.fields[CardField::Why]
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
