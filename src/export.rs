//! What a build produces: the combined annex and per-card files in the chosen formats, each
//! rendered in memory and checked before anything is written.

use crate::Project;
use crate::cards::Card;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::document::{self, BuildOptions, Document, Selection};
use crate::output::{OutputFile, manifest};
use crate::registration::Registration;
use crate::render::docx::Docx;
use crate::render::pdf::Pdf;
use crate::render::{RenderContext, Renderer};
use std::time::{Duration, Instant};

/// The file name (without extension) of the combined annex.
pub const ANNEX_STEM: &str = "lisa";
/// The folder of the per-card files.
pub const CARDS_DIR: &str = "kaardid";
/// Dates written into files when neither a registration date nor SOURCE_DATE_EPOCH is
/// given: 2024-01-01T00:00:00Z, so that template builds are reproducible.
pub const FALLBACK_TIMESTAMP: i64 = 1_704_067_200;

/// The last second a PDF or ZIP date can show: 9999-12-31T23:59:59Z.
const LAST_TIMESTAMP: i64 = 253_402_300_799;

/// Which formats to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formats {
    Pdf,
    Docx,
    Both,
}

impl Formats {
    fn renderers(self, pdf: &Pdf) -> Vec<&dyn Renderer> {
        match self {
            Formats::Pdf => vec![pdf as &dyn Renderer],
            Formats::Docx => vec![&Docx],
            Formats::Both => vec![pdf as &dyn Renderer, &Docx],
        }
    }
}

/// What to export.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// The combined annex and one file per card.
    Everything,
    /// One card only.
    Card(&'a Card),
}

/// The rendered files of one build, with what the summary line needs.
#[derive(Debug, Clone)]
pub struct Export {
    pub files: Vec<OutputFile>,
    pub pages: usize,
    /// Time spent rendering each format, summed over all files and threads.
    pub render_time: Vec<(&'static str, Duration)>,
}

/// The timestamp written into files: the registration date in final mode, else
/// SOURCE_DATE_EPOCH, else [`FALLBACK_TIMESTAMP`].
pub fn timestamp(
    registration: &Registration,
    source_date_epoch: Option<&str>,
) -> Result<i64, Diagnostic> {
    if let Registration::Final { date, .. } = registration {
        return Ok(date
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc()
            .timestamp());
    }
    match source_date_epoch {
        None => Ok(FALLBACK_TIMESTAMP),
        Some(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|t| (0..=LAST_TIMESTAMP).contains(t))
            .ok_or_else(|| {
                Diagnostic::new(
                    None,
                    format!("SOURCE_DATE_EPOCH=`{s}` is not a number of seconds since 1970"),
                )
                .help("unset it or give whole seconds, e.g. SOURCE_DATE_EPOCH=1710460800")
            }),
    }
}

/// The per-card file name without extension: `NN-id`.
pub fn card_stem(card: &Card) -> String {
    format!("{:02}-{}", card.order, card.id)
}

/// Renders everything in memory; nothing is written.
pub fn export(
    project: &Project,
    options: &BuildOptions,
    formats: Formats,
    scope: Scope<'_>,
    final_required: bool,
    timestamp: i64,
) -> Result<Export, Diagnostics> {
    let producer = format!("rollikaart {}", env!("CARGO_PKG_VERSION"));
    let context = RenderContext {
        template: &project.template,
        fonts: &project.fonts,
        icc_profile: &project.icc_profile,
        timestamp,
        producer: &producer,
    };
    let pdf = Pdf::default();
    let mut jobs: Vec<(String, Document)> = Vec::new();
    if let Scope::Everything = scope {
        jobs.push((
            ANNEX_STEM.to_string(),
            document::build(
                &project.source,
                &project.template,
                options,
                Selection::WholeAnnex,
            ),
        ));
    }
    let cards: Vec<&Card> = match scope {
        Scope::Everything => project.source.cards.iter().collect(),
        Scope::Card(card) => vec![card],
    };
    let prefix = match scope {
        Scope::Everything => format!("{CARDS_DIR}/"),
        Scope::Card(_) => String::new(),
    };
    for card in cards {
        let doc = document::build(
            &project.source,
            &project.template,
            options,
            Selection::OneCard(card),
        );
        jobs.push((format!("{prefix}{}", card_stem(card)), doc));
    }
    let pages = check_documents(project, options, &jobs)?;
    if final_required {
        let mut d = Diagnostics::default();
        for (name, doc) in &jobs {
            let left = doc.unfilled_placeholders();
            if !left.is_empty() {
                d.push(
                    Diagnostic::new(None, format!("{name}: the placeholders {} would stay unfilled", left.join(", ")))
                        .help("--final needs --reg-date and --reg-number; check the cards for a placeholder typed by mistake"),
                );
            }
        }
        if !d.is_empty() {
            return Err(d);
        }
    }
    let renderers = formats.renderers(&pdf);
    let rendered = render_parallel(&jobs, &renderers, &context)?;
    let mut files = Vec::with_capacity(rendered.len() + 1);
    let mut timings: Vec<(&'static str, Duration)> = Vec::new();
    for (file, extension, took) in rendered {
        match timings.iter_mut().find(|(name, _)| *name == extension) {
            Some((_, total)) => *total += took,
            None => timings.push((extension, took)),
        }
        files.push(file);
    }
    if final_required {
        verify_final(&files)?;
    }
    let m = manifest(&files);
    files.push(m);
    Ok(Export {
        files,
        pages,
        render_time: timings,
    })
}

/// Before rendering: the registration values can be drawn, and every document fits its
/// pages (see [`crate::layout::fit`]). Gives the number of PDF sheets of all documents.
fn check_documents(
    project: &Project,
    options: &BuildOptions,
    jobs: &[(String, Document)],
) -> Result<usize, Diagnostics> {
    let template = &project.template;
    options
        .registration
        .check_drawable(template.registration.date_format.get_ref(), &|c| {
            project.fonts.covers(c)
        })?;
    let mut sheets = 0;
    for (_, doc) in jobs {
        let (fit, problems) = crate::layout::fit::check(
            doc,
            &project.source,
            template,
            &project.fonts,
            &project.cards_dir,
        );
        if !problems.is_empty() {
            return Err(problems);
        }
        sheets += fit.sheets;
    }
    Ok(sheets)
}

/// The last look at a final document before anything is written: no text in any PDF page or
/// DOCX part has the shape of a placeholder (`{` letters `}`).
fn verify_final(files: &[OutputFile]) -> Result<(), Diagnostics> {
    let mut d = Diagnostics::default();
    for file in files {
        let found = if file.relative.ends_with(".pdf") {
            crate::verify::pdf_placeholder(&file.bytes)
        } else if file.relative.ends_with(".docx") {
            crate::verify::docx_placeholder(&file.bytes)
        } else {
            Ok(None)
        };
        let problem = match found {
            Ok(None) => continue,
            Ok(Some(p)) => format!("{}: `{p}` would stay in the final document", file.relative),
            Err(why) => format!(
                "{}: cannot read the file back to check it: {why}",
                file.relative
            ),
        };
        d.push(Diagnostic::new(None, problem).help(
            "nothing was written; check the template and cards for a placeholder typed by mistake",
        ));
    }
    d.into_result(())
}

type Rendered = (OutputFile, &'static str, Duration);

/// Renders every job in every format, spread over the machine's cores; results keep the job
/// order, so the output does not depend on scheduling.
fn render_parallel(
    jobs: &[(String, Document)],
    renderers: &[&dyn Renderer],
    context: &RenderContext<'_>,
) -> Result<Vec<Rendered>, Diagnostics> {
    let tasks: Vec<(&str, &Document, &dyn Renderer)> = jobs
        .iter()
        .flat_map(|(stem, doc)| renderers.iter().map(move |r| (stem.as_str(), doc, *r)))
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(tasks.len().max(1));
    let render_one =
        |(stem, doc, r): &(&str, &Document, &dyn Renderer)| -> Result<Rendered, Diagnostic> {
            let started = Instant::now();
            let bytes = r.render(doc, context).map_err(|e| {
                Diagnostic::new(None, format!("cannot make {stem}.{}: {e}", r.extension()))
            })?;
            let file = OutputFile {
                relative: format!("{stem}.{}", r.extension()),
                bytes,
            };
            Ok((file, r.extension(), started.elapsed()))
        };
    // A shared queue: each thread takes the next task when it is free. The whole annex comes
    // first, so the largest job starts at once and the small ones fill in around it.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<(usize, Result<Rendered, Diagnostic>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(task) = tasks.get(i) else { break };
                        mine.push((i, render_one(task)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    let mut out = Vec::with_capacity(tasks.len());
    let mut problems = Diagnostics::default();
    for (_, r) in done {
        match r {
            Ok(x) => out.push(x),
            Err(d) => problems.push(d),
        }
    }
    problems.into_result(out)
}
