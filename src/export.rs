//! What a build produces: the combined annex and per-card files in the chosen formats.
//! [`prepare`] builds and checks the documents; [`Prepared::render_into`] renders each file
//! and hands it on as soon as it is made (the CLI stages it in the output folder, see
//! [`crate::output::SetWriter`]); [`export`] keeps them all in memory instead.

use crate::Project;
use crate::cards::Card;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::document::{self, BuildOptions, Document, Selection};
use crate::layout::page::PageFrame;
use crate::output::{MANIFEST, OutputFile, manifest};
use crate::registration::Registration;
use crate::render::docx::Docx;
use crate::render::pdf::Pdf;
use crate::render::{RenderContext, Renderer};
use crate::tr;
use crate::verify::ReadParts;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
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

/// Which formats to write (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Formats {
    Pdf,
    Docx,
    #[default]
    Both,
}

impl Formats {
    fn renderers<'r>(self, pdf: &'r Pdf, docx: &'r Docx) -> Vec<&'r dyn Renderer> {
        match self {
            Formats::Pdf => vec![pdf as &dyn Renderer],
            Formats::Docx => vec![docx as &dyn Renderer],
            Formats::Both => vec![pdf as &dyn Renderer, docx],
        }
    }
}

/// What one build renders, besides the project. The default is a template-mode build of
/// everything in both formats, dated [`FALLBACK_TIMESTAMP`].
#[derive(Debug, Clone)]
pub struct ExportOptions<'a> {
    /// The registration and the draft mark.
    pub document: BuildOptions,
    pub formats: Formats,
    /// [`Selection::WholeAnnex`]: the combined annex and one file per card;
    /// [`Selection::OneCard`]: that card's files alone.
    pub selection: Selection<'a>,
    /// `--final`: refuse a document with a placeholder left, before rendering, and a file
    /// with one, after.
    pub final_required: bool,
    /// The date written into the files (see [`timestamp`]).
    pub timestamp: i64,
    pub jobs: Jobs,
}

impl Default for ExportOptions<'_> {
    fn default() -> Self {
        ExportOptions {
            document: BuildOptions::default(),
            formats: Formats::default(),
            selection: Selection::default(),
            final_required: false,
            timestamp: FALLBACK_TIMESTAMP,
            jobs: Jobs::default(),
        }
    }
}

/// The rendered files of one build, with what the summary line needs.
#[derive(Debug, Clone)]
pub struct Export {
    /// The set's files, its manifest last.
    pub files: Vec<OutputFile>,
    /// The manifest's name: [`MANIFEST`] for the whole annex, its own per card.
    pub manifest: String,
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
        return Ok(date.and_time(chrono::NaiveTime::MIN).and_utc().timestamp());
    }
    match source_date_epoch {
        None => Ok(FALLBACK_TIMESTAMP),
        Some(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|t| (0..=LAST_TIMESTAMP).contains(t))
            .ok_or_else(|| {
                Diagnostic::new(None, tr!("export-bad-epoch", value = s.to_string()))
                    .help(tr!("export-bad-epoch-help"))
            }),
    }
}

/// The per-card file name without extension: `NN-id`.
pub fn card_stem(card: &Card) -> String {
    format!("{:02}-{}", card.order, card.id)
}

/// The manifest of a selection's set: a card run never takes the build's name, so that
/// `card 7` into a build's folder leaves the build's manifest alone.
pub fn manifest_name(selection: Selection<'_>) -> String {
    match selection {
        Selection::WholeAnnex => MANIFEST.to_string(),
        Selection::OneCard(card) => format!("{MANIFEST}.card-{:02}", card.order),
    }
}

/// Renders everything in memory; nothing is written (tests, benchmarks, `diff`).
pub fn export(project: &Project, options: &ExportOptions<'_>) -> Result<Export, Diagnostics> {
    export_with_progress(project, options, &|_, _| {})
}

/// How many files are rendered at once: `--jobs N`, by default one per core.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Jobs(pub Option<std::num::NonZeroUsize>);

impl Jobs {
    /// The number of render threads: the given number, else the number of cores (1 when
    /// the system does not say).
    pub fn threads(self) -> usize {
        match self.0 {
            Some(n) => n.get(),
            None => crate::parallel::cores(),
        }
    }
}

/// Called after each rendered file with (files done, files in all), from any thread.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// [`export`], telling `progress` after each file is rendered.
pub fn export_with_progress(
    project: &Project,
    options: &ExportOptions<'_>,
    progress: Progress<'_>,
) -> Result<Export, Diagnostics> {
    let prepared = prepare(project, options)?;
    let position: HashMap<&str, usize> = prepared
        .file_names()
        .iter()
        .enumerate()
        .map(|(i, name)| (*name, i))
        .collect();
    let made = Mutex::new(Vec::with_capacity(position.len()));
    let rendered = prepared.render_into(progress, &|file| {
        made.lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(file);
        Ok(())
    })?;
    let mut files = made
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    files.sort_by_key(|f| position.get(f.relative.as_str()).copied());
    Ok(Export {
        files,
        manifest: rendered.manifest,
        pages: rendered.pages,
        render_time: rendered.render_time,
    })
}

/// A build checked and ready to render: its documents, each with its file name without
/// extension, and the formats. Every check that needs no rendered bytes is behind it, so
/// the output folder can be prepared for exactly the set's file names
/// ([`Prepared::file_names`]) before anything is rendered.
pub struct Prepared<'a> {
    /// Each document's file name without extension and what it shows.
    jobs: Vec<(String, Selection<'a>)>,
    documents: Documents<'a>,
    /// The set's files in the order they are listed ([`in_render_order`]; rendered in
    /// [`runs`]), the manifest last.
    names: Vec<String>,
    pages: usize,
}

/// What [`Prepared::render_into`] made, besides the files it handed on.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The manifest's name: [`MANIFEST`] for the whole annex, its own per card.
    pub manifest: String,
    pub pages: usize,
    /// Time spent rendering each format, summed over all files and threads.
    pub render_time: Vec<(&'static str, Duration)>,
    /// With `--final`: time spent reading every file back, summed over all files and threads.
    pub read_back_time: Option<Duration>,
}

/// Builds the documents of `options.selection` and checks them: the registration values
/// can be drawn, every document fits its pages and, with `--final`, no placeholder is left.
pub fn prepare<'a>(
    project: &'a Project,
    options: &'a ExportOptions<'a>,
) -> Result<Prepared<'a>, Diagnostics> {
    let jobs = jobs(project, options.selection);
    let documents = Documents::new(project, options);
    let pages = check_documents(&documents, &jobs)?;
    let extensions: Vec<&str> = options
        .formats
        .renderers(&Pdf::default(), &Docx::default())
        .iter()
        .map(|r| r.extension())
        .collect();
    let mut names: Vec<String> = in_render_order(&extensions, &jobs)
        .map(|(e, (stem, _))| format!("{stem}.{e}"))
        .collect();
    names.push(manifest_name(options.selection));
    Ok(Prepared {
        jobs,
        documents,
        names,
        pages,
    })
}

impl Prepared<'_> {
    /// The paths of the set's files inside the output folder, in the order the manifest
    /// lists them, the manifest last. One render thread renders them in this order, except
    /// that the combined annex's files come first, its DOCX before its PDF ([`runs`]).
    pub fn file_names(&self) -> Vec<&str> {
        self.names.iter().map(String::as_str).collect()
    }

    /// The manifest's name.
    pub fn manifest_name(&self) -> &str {
        self.names.last().map_or(MANIFEST, String::as_str)
    }

    /// Renders every file, on a pool of threads, and hands each one to `sink` as soon as
    /// it is made (and, with `--final`, read back and found complete), then the manifest
    /// over all of them. A file is dropped once `sink` has it, so a build of any size holds
    /// only the files being rendered. Any problem, the render's or the sink's, is returned
    /// after every file was tried; the caller then keeps nothing of what `sink` took.
    pub fn render_into(
        &self,
        progress: Progress<'_>,
        sink: Sink<'_>,
    ) -> Result<Rendered, Diagnostics> {
        let (project, options) = (self.documents.project, self.documents.options);
        let producer = format!("rollikaart {}", env!("CARGO_PKG_VERSION"));
        let context = RenderContext {
            fonts: &project.fonts,
            icc_profile: &project.icc_profile,
            timestamp: options.timestamp,
            producer: &producer,
        };
        let pdf = match &self.documents.annex {
            Some(annex) => Pdf::sharing_with(annex),
            None => Pdf::default(),
        };
        let docx = Docx::default();
        let renderers = options.formats.renderers(&pdf, &docx);
        let final_required = options.final_required;
        let read_back_nanos = AtomicU64::new(0);
        let read_parts = ReadParts::default();
        let handed_on = |file: OutputFile| -> Result<manifest::Entry, Diagnostic> {
            if final_required {
                let started = Instant::now();
                verify_final(&file, &read_parts)?;
                let took = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
                read_back_nanos.fetch_add(took, Ordering::Relaxed);
            }
            let entry = manifest::Entry::of(&file);
            sink(file)?;
            Ok(entry)
        };
        let rendered = render_parallel(
            &self.jobs,
            &self.documents,
            &renderers,
            &context,
            options.jobs,
            progress,
            &handed_on,
        )?;
        let mut timings: Vec<(&'static str, Duration)> = Vec::new();
        let mut entries = Vec::with_capacity(rendered.len());
        for (entry, extension, took) in rendered {
            match timings.iter_mut().find(|(name, _)| *name == extension) {
                Some((_, total)) => *total += took,
                None => timings.push((extension, took)),
            }
            entries.push(entry);
        }
        let manifest_name = self.manifest_name().to_string();
        sink(manifest::make_from(&manifest_name, entries))?;
        Ok(Rendered {
            manifest: manifest_name,
            pages: self.pages,
            render_time: timings,
            read_back_time: final_required
                .then(|| Duration::from_nanos(read_back_nanos.load(Ordering::Relaxed))),
        })
    }
}

/// Where [`Prepared::render_into`] hands each rendered file, from any render thread.
pub type Sink<'a> = &'a (dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync);

/// The documents of `selection`, each with its file name without extension: the combined
/// annex and every card under [`CARDS_DIR`], or the one card alone.
fn jobs<'a>(project: &'a Project, selection: Selection<'a>) -> Vec<(String, Selection<'a>)> {
    match selection {
        Selection::WholeAnnex => {
            let cards = project.source.cards.iter().map(|card| {
                let name = format!("{CARDS_DIR}/{}", card_stem(card));
                (name, Selection::OneCard(card))
            });
            std::iter::once((ANNEX_STEM.to_string(), Selection::WholeAnnex))
                .chain(cards)
                .collect()
        }
        Selection::OneCard(card) => vec![(card_stem(card), selection)],
    }
}

/// The documents of a build, as they are needed.
struct Documents<'a> {
    project: &'a Project,
    options: &'a ExportOptions<'a>,
    /// The combined annex, built once; a card's own document is made from it when it is
    /// needed ([`document::card_of_annex`]) and dropped after, so that a build of any size
    /// holds one copy of the annex.
    annex: Option<Arc<Document>>,
    /// Where each card stands among the project's cards, by its address (a
    /// [`Selection::OneCard`] refers to one of them).
    card_index: HashMap<usize, usize>,
}

impl<'a> Documents<'a> {
    fn new(project: &'a Project, options: &'a ExportOptions<'a>) -> Self {
        let mut documents = Documents {
            project,
            options,
            annex: None,
            card_index: HashMap::new(),
        };
        if options.selection == Selection::WholeAnnex {
            documents.annex = Some(Arc::new(documents.build(Selection::WholeAnnex)));
            let cards = project.source.cards.iter().enumerate();
            documents.card_index = cards.map(|(i, card)| (address(card), i)).collect();
        }
        documents
    }

    fn build(&self, selection: Selection<'_>) -> Document {
        document::build(
            &self.project.source,
            &self.project.template,
            &self.options.document,
            selection,
        )
    }

    /// The document of `selection`: the annex built before, a card's taken from it, or one
    /// built now.
    fn get(&self, selection: Selection<'_>) -> Cow<'_, Document> {
        let annex = self.annex.as_deref();
        let from_annex = match (selection, annex) {
            (Selection::WholeAnnex, Some(annex)) => return Cow::Borrowed(annex),
            (Selection::OneCard(card), Some(annex)) => {
                self.card_index.get(&address(card)).and_then(|&index| {
                    let (source, template) = (&self.project.source, &self.project.template);
                    document::card_of_annex(annex, source, template, &self.options.document, index)
                })
            }
            _ => None,
        };
        Cow::Owned(from_annex.unwrap_or_else(|| self.build(selection)))
    }
}

/// The address of `card`, which tells the project's cards apart.
fn address(card: &Card) -> usize {
    std::ptr::from_ref(card).addr()
}

/// In final mode: no placeholder is left unfilled in `doc` (the file `name`).
fn check_filled(name: &str, doc: &Document) -> Result<(), Diagnostic> {
    let left = doc.unfilled_placeholders();
    if left.is_empty() {
        return Ok(());
    }
    Err(Diagnostic::new(
        None,
        tr!(
            "export-unfilled",
            name = name,
            placeholders = left.join(", ")
        ),
    )
    .help(tr!("export-unfilled-help")))
}

/// Before rendering: the registration values can be drawn, every document fits its pages
/// (see [`crate::fit_check`]) and, with `--final`, has no placeholder left. Gives the number
/// of PDF sheets of all documents.
///
/// The layout of a page depends only on the page and the document's [`PageFrame`] (every
/// page starts a sheet), so a card's own document, whose page the combined annex `annex`
/// has in the same frame, is not laid out again: its sheets are counted from the annex's
/// check ([`fitted_sheets`]).
fn check_documents(
    documents: &Documents<'_>,
    jobs: &[(String, Selection<'_>)],
) -> Result<usize, Diagnostics> {
    let (project, options) = (documents.project, documents.options);
    let template = &project.template;
    options
        .document
        .registration
        .check_drawable(template.registration.date_format.get_ref(), &|c| {
            project.fonts.covers(c)
        })?;
    let mut checked: Vec<(PageFrame<'_>, &Document, Vec<usize>)> = Vec::new();
    let mut unfilled = Diagnostics::default();
    let mut sheets = 0;
    for (index, (stem, selection)) in jobs.iter().enumerate() {
        let doc = documents.get(*selection);
        if options.final_required
            && let Err(d) = check_filled(stem, &doc)
        {
            unfilled.push(d);
        }
        let frame = PageFrame::of(&doc, &project.fonts);
        if let Some(known) = sheets_checked_before(&checked, frame, &doc, index) {
            sheets += known;
            continue;
        }
        let per_page = fitted_sheets(documents, *selection, &doc)?;
        sheets += per_page.iter().sum::<usize>();
        if let (Selection::WholeAnnex, Some(annex)) = (selection, &documents.annex) {
            let room = frame.content_room_pt;
            checked.push((PageFrame::with_room(annex, room), annex, per_page));
        }
    }
    unfilled.into_result(sheets)
}

/// The sheets each page of `doc`, the document of `selection`, takes, once it is found to
/// fit (see [`crate::fit_check`]). The annex of a template build (default build options)
/// is the document [`crate::load_project`] checked: its sheets are taken from there. The
/// annex of another build (final, draft) is compared with that one, built again (cheap
/// beside a layout): where only its header differs, only its header band is laid out.
fn fitted_sheets(
    documents: &Documents<'_>,
    selection: Selection<'_>,
    doc: &Document,
) -> Result<Vec<usize>, Diagnostics> {
    let project = documents.project;
    let checked_at_load = &project.template_annex_fit;
    let whole_annex = selection == Selection::WholeAnnex;
    if whole_annex
        && documents.options.document == BuildOptions::default()
        && checked_at_load.sheets_per_page.len() == doc.pages.len()
    {
        return Ok(checked_at_load.sheets_per_page.clone());
    }
    let template_annex = whole_annex.then(|| project.template_annex());
    let (fit, problems) = crate::fit_check::check(
        doc,
        template_annex
            .as_ref()
            .map(|annex| (annex, checked_at_load)),
        &project.source,
        &project.template,
        &project.fonts,
        &project.cards_dir,
    );
    problems.into_result(fit.sheets_per_page)
}

/// The sheets of `doc`, whose pages are laid out in `frame`, when every one of its pages
/// stands in a document of `checked` with the same frame. Document `index` of a build is
/// usually page `index - 1` of the combined annex, so that page is looked at first.
fn sheets_checked_before(
    checked: &[(PageFrame<'_>, &Document, Vec<usize>)],
    frame: PageFrame<'_>,
    doc: &Document,
    index: usize,
) -> Option<usize> {
    let (_, before, per_page) = checked.iter().find(|(f, _, _)| *f == frame)?;
    let guess = index.checked_sub(1);
    doc.pages.iter().try_fold(0, |total, page| {
        let same = |k: &usize| before.pages.get(*k) == Some(page);
        let at = guess
            .filter(same)
            .or_else(|| (0..before.pages.len()).find(same))?;
        Some(total + per_page.get(at)?)
    })
}

/// The last look at a final file before it is handed on: no text in a PDF page or DOCX
/// part has the shape of a placeholder (`{` letters `}`).
/// `read_parts`: the DOCX parts of the build read back before.
fn verify_final(file: &OutputFile, read_parts: &ReadParts) -> Result<(), Diagnostic> {
    let found = if file.relative.ends_with(".pdf") {
        crate::verify::pdf_placeholder(&file.bytes)
    } else if file.relative.ends_with(".docx") {
        crate::verify::docx_placeholder_with(&file.bytes, read_parts)
    } else {
        Ok(None)
    };
    let problem = match found {
        Ok(None) => return Ok(()),
        Ok(Some(p)) => tr!(
            "export-left-in-final",
            file = file.relative.as_str(),
            placeholder = p
        ),
        Err(why) => tr!(
            "export-read-back-failed",
            file = file.relative.as_str(),
            why = why
        ),
    };
    Err(Diagnostic::new(None, problem).help(tr!("export-left-in-final-help")))
}

/// One file handed on: its manifest entry, its format and how long it took to render.
type Made = (manifest::Entry, &'static str, Duration);

/// Every document in every format, in the order the set's files are listed and their
/// tasks numbered: format by format, the documents in order within each (see
/// [`render_parallel`]).
fn in_render_order<'a, F: Copy, D>(
    formats: &'a [F],
    documents: &'a [D],
) -> impl Iterator<Item = (F, &'a D)> + 'a {
    formats
        .iter()
        .flat_map(move |format| documents.iter().map(move |document| (*format, document)))
}

/// One document in one format, to render.
type Task<'a> = (&'a str, Selection<'a>, &'a dyn Renderer);

/// Every document of `documents` (file name without extension, what it shows) in every
/// format of `renderers`, as tasks numbered [`in_render_order`].
fn tasks<'a>(
    renderers: &'a [&'a dyn Renderer],
    documents: &'a [(String, Selection<'a>)],
) -> Vec<Task<'a>> {
    in_render_order(renderers, documents)
        .map(|(r, (stem, selection))| (stem.as_str(), *selection, r))
        .collect()
}

/// Renders every document in every format on a pool of at most `jobs` threads; results keep
/// the task order, so the output does not depend on scheduling.
///
/// The threads take [`runs`] of tasks from one queue, in order, each as it is free.
fn render_parallel(
    documents_to_render: &[(String, Selection<'_>)],
    documents: &Documents<'_>,
    renderers: &[&dyn Renderer],
    context: &RenderContext<'_>,
    jobs: Jobs,
    progress: Progress<'_>,
    hand_on: &(dyn Fn(OutputFile) -> Result<manifest::Entry, Diagnostic> + Sync),
) -> Result<Vec<Made>, Diagnostics> {
    let tasks = tasks(renderers, documents_to_render);
    let finished = std::sync::atomic::AtomicUsize::new(0);
    let render_one = |(stem, selection, r): &Task<'_>| -> Result<Made, Diagnostic> {
        let started = Instant::now();
        let bytes = r.render(&documents.get(*selection), context).map_err(|e| {
            Diagnostic::new(
                None,
                tr!(
                    "export-render-failed",
                    file = format!("{stem}.{}", r.extension()),
                    error = e.to_string()
                ),
            )
        })?;
        let file = OutputFile {
            relative: format!("{stem}.{}", r.extension()),
            bytes,
        };
        let took = started.elapsed();
        let entry = hand_on(file)?;
        let done = finished.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        progress(done, tasks.len());
        Ok((entry, r.extension(), took))
    };
    let runs = runs(&tasks);
    let pool = render_pool(jobs, runs.len());
    let done = in_task_order(pool.as_ref(), &runs, |index| {
        tasks.get(index).map(render_one)
    });
    let mut out = Vec::with_capacity(tasks.len());
    let mut problems = Diagnostics::default();
    for r in done.into_iter().flatten() {
        match r {
            Ok(x) => out.push(x),
            Err(d) => problems.push(d),
        }
    }
    problems.into_result(out)
}

/// The order the tasks are taken in, as runs of task indices, each run rendered in order on
/// one thread.
///
/// The combined annex's files are one run, first: each holds the whole annex at its peak
/// (the PDF of 10,000 cards some 200 MB), and taken by two threads at once they added up
/// (3,000 cards: 188 MB peak RSS side by side, 164 MB one after the other). Its DOCX comes
/// before its PDF: every PDF waits for the build's font subsets, which the first PDF makes,
/// so the next thread, which starts on the first card's PDF, makes them while this one
/// writes the DOCX.
/// Every other task is a run of its own, in task order.
fn runs(tasks: &[Task<'_>]) -> Vec<Vec<usize>> {
    let (mut annex, others): (Vec<usize>, Vec<usize>) = (0..tasks.len())
        .partition(|&index| matches!(tasks.get(index), Some((_, Selection::WholeAnnex, _))));
    annex.reverse();
    std::iter::once(annex)
        .filter(|run| !run.is_empty())
        .chain(others.into_iter().map(|index| vec![index]))
        .collect()
}

/// `f` of every task index in `runs`, each run in order on one thread of `pool` (which take
/// the runs from one queue, in order, as each is free; without a pool, here), the results
/// in task order.
fn in_task_order<R: Send>(
    pool: Option<&rayon::ThreadPool>,
    runs: &[Vec<usize>],
    f: impl Fn(usize) -> R + Sync + Send,
) -> Vec<R> {
    let run = |run: &Vec<usize>| -> Vec<(usize, R)> {
        run.iter().map(|&index| (index, f(index))).collect()
    };
    let done: Vec<Vec<(usize, R)>> = match pool {
        Some(pool) => pool.install(|| runs.iter().par_bridge().map(run).collect()),
        None => runs.iter().map(run).collect(),
    };
    let mut done: Vec<(usize, R)> = done.into_iter().flatten().collect();
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, r)| r).collect()
}

/// A pool of `jobs` threads (one per core by default), never more threads than tasks; `None`
/// when one thread is enough or the system refuses threads ([`crate::parallel::pool`]): then
/// the caller renders on its own thread, slower but the same bytes.
fn render_pool(jobs: Jobs, tasks: usize) -> Option<rayon::ThreadPool> {
    crate::parallel::pool(jobs.threads().min(tasks), "render")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> Project {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        crate::load_project(&root.join("cards"), &root.join("templates/lisa.toml"))
            .unwrap_or_else(|d| panic!("{}", d.render(false)))
    }

    #[test]
    fn a_card_file_is_counted_from_the_annex_check_unless_it_differs() {
        let project = bundled();
        let options = ExportOptions::default();
        let jobs = jobs(&project, options.selection);
        let documents = Documents::new(&project, &options);
        let docs: Vec<Document> = jobs
            .iter()
            .map(|(_, s)| documents.get(*s).into_owned())
            .collect();
        let measured: usize = docs
            .iter()
            .map(|d| crate::layout::fit::measure(d, &project.fonts).sheets)
            .sum();
        let counted = check_documents(&documents, &jobs).unwrap();
        assert_eq!(
            counted, measured,
            "each document measured alone gives the same sheets"
        );
        let (annex, cards) = docs.split_first().unwrap();
        let fit = crate::layout::fit::measure(annex, &project.fonts);
        let fonts = &project.fonts;
        let checked = vec![(PageFrame::of(annex, fonts), annex, fit.sheets_per_page)];
        let counted = |doc: &Document, index| {
            sheets_checked_before(&checked, PageFrame::of(doc, fonts), doc, index)
        };
        for (i, card) in cards.iter().enumerate() {
            assert!(counted(card, i + 1).is_some());
            // Not at its usual place: found all the same.
            assert!(counted(card, 0).is_some());
        }
        let mut other = cards[0].clone();
        other.header.left.size_pt += 1.0;
        assert_eq!(counted(&other, 1), None, "another header");
        let mut other = cards[0].clone();
        if let Some(crate::document::Block::Table(t)) = other.pages[0].blocks.last_mut() {
            t.rows.pop();
        }
        assert_eq!(counted(&other, 1), None, "another page");
        let card = &cards[0];
        let mut frame = PageFrame::of(card, fonts);
        frame.content_room_pt += 1.0;
        assert_eq!(
            sheets_checked_before(&checked, frame, card, 1),
            None,
            "another content room"
        );
    }

    #[test]
    fn a_pool_keeps_the_task_order_and_one_thread_needs_none() {
        assert!(render_pool(Jobs::default(), 0).is_none());
        assert!(render_pool(Jobs::default(), 1).is_none());
        let one = Jobs(std::num::NonZeroUsize::new(1));
        assert_eq!(one.threads(), 1);
        assert!(
            render_pool(one, 100).is_none(),
            "--jobs 1 renders on the caller's thread"
        );
        let three = Jobs(std::num::NonZeroUsize::new(3));
        let Some(pool) = render_pool(three, 100) else {
            panic!("no three threads for the test");
        };
        assert_eq!(pool.current_num_threads(), 3);
        assert_eq!(
            render_pool(three, 2).map(|p| p.current_num_threads()),
            Some(2),
            "never more threads than tasks"
        );
        let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(2).build() else {
            panic!("no two threads for the test");
        };
        // Runs of uneven length, out of task order, one of them long.
        let mut runs: Vec<Vec<usize>> = vec![(500..1000).rev().collect()];
        runs.extend((0..500).rev().map(|i| vec![i]));
        let threads_seen = Mutex::new(std::collections::HashMap::new());
        let on_pool = in_task_order(Some(&pool), &runs, |i| {
            if i % 7 == 0 {
                std::thread::yield_now();
            }
            let thread = std::thread::current().id();
            threads_seen
                .lock()
                .unwrap()
                .entry(i >= 500)
                .or_insert_with(std::collections::HashSet::new)
                .insert(thread);
            i * 3
        });
        let here: Vec<usize> = (0..1000).map(|i| i * 3).collect();
        assert_eq!(on_pool, here);
        assert_eq!(in_task_order(None, &runs, |i| i * 3), here);
        let seen = threads_seen.into_inner().unwrap();
        assert_eq!(seen[&true].len(), 1, "a run stays on one thread");
    }

    /// The annex's files are one run, taken first, its DOCX before its PDF; every other
    /// task is a run of its own, in task order; each task is in exactly one run.
    #[test]
    fn the_annexs_files_are_one_run_taken_first() {
        let project = bundled();
        let (pdf, docx) = (Pdf::default(), Docx::default());
        let renderers: [&dyn Renderer; 2] = [&pdf, &docx];
        let documents = jobs(&project, Selection::WholeAnnex);
        let tasks = tasks(&renderers, &documents);
        let annex_runs = runs(&tasks);
        let first: Vec<(&str, &str)> = annex_runs[0]
            .iter()
            .map(|&i| (tasks[i].0, tasks[i].2.extension()))
            .collect();
        assert_eq!(first, [(ANNEX_STEM, "docx"), (ANNEX_STEM, "pdf")]);
        assert!(annex_runs[1..].iter().all(|run| run.len() == 1));
        let others: Vec<usize> = annex_runs[1..].iter().flatten().copied().collect();
        assert!(others.windows(2).all(|w| w[0] < w[1]), "in task order");
        let mut all: Vec<usize> = annex_runs.concat();
        all.sort_unstable();
        assert_eq!(all, (0..tasks.len()).collect::<Vec<_>>());
        assert_eq!(tasks.len(), 2 * (project.source.cards.len() + 1));
        let card = Selection::OneCard(&project.source.cards[0]);
        let one = jobs(&project, card);
        let card_tasks = super::tasks(&renderers, &one);
        assert_eq!(
            runs(&card_tasks),
            [vec![0], vec![1]],
            "a card alone: no annex run"
        );
    }

    #[test]
    fn the_annex_is_counted_from_the_check_at_load_unless_its_pages_or_header_band_differ() {
        let project = bundled();
        let options = ExportOptions::default();
        let documents = Documents::new(&project, &options);
        let annex = documents.get(Selection::WholeAnnex).into_owned();
        let measured = crate::layout::fit::measure(&annex, &project.fonts);
        assert_eq!(
            project.template_annex_fit, measured,
            "the check at load measured the template-mode annex"
        );
        let counted = check_documents(&documents, &jobs(&project, options.selection)).unwrap();
        // Marked sheets: a check that takes them counts one more sheet per page.
        let mut marked = bundled();
        marked.template_annex_fit.sheets_per_page =
            measured.sheets_per_page.iter().map(|s| s + 1).collect();
        let jobs = jobs(&marked, options.selection);
        let from_load = counted + annex.pages.len() + (jobs.len() - 1);
        let count = |options: &ExportOptions<'_>| {
            check_documents(&Documents::new(&marked, options), &jobs).unwrap()
        };
        assert_eq!(
            count(&options),
            from_load,
            "the annex and every card file counted from the sheets found at load"
        );
        let draft = ExportOptions {
            document: BuildOptions {
                draft: true,
                ..BuildOptions::default()
            },
            ..ExportOptions::default()
        };
        assert_eq!(
            count(&draft),
            from_load,
            "a draft has the same pages and header band: counted from the check at load too"
        );
        let final_build = |number: &str| {
            let options = ExportOptions {
                document: BuildOptions {
                    registration: crate::registration::Registration::Final {
                        date: chrono::NaiveDate::from_ymd_opt(2024, 3, 15).unwrap(),
                        number: number.to_string(),
                    },
                    ..BuildOptions::default()
                },
                ..ExportOptions::default()
            };
            let annex = Documents::new(&marked, &options)
                .get(Selection::WholeAnnex)
                .into_owned();
            let fit = crate::layout::fit::measure(&annex, &project.fonts);
            (options, annex, fit)
        };
        let (short, short_annex, short_fit) = final_build("1-1/24/37");
        assert_eq!(
            short_annex.pages, annex.pages,
            "registration data changes only the header"
        );
        assert_eq!(
            short_fit.band_bottom_pt, measured.band_bottom_pt,
            "the bundled registration keeps the header band as deep"
        );
        assert_eq!(
            count(&short),
            from_load,
            "a final build counted from the check at load"
        );
        let (long, _, long_fit) = final_build(&"1-1/24/37 ".repeat(12));
        assert_ne!(
            long_fit.band_bottom_pt, measured.band_bottom_pt,
            "a registration number of many lines deepens the header band"
        );
        let cards: usize = long_fit.sheets_per_page.iter().take(jobs.len() - 1).sum();
        assert_eq!(
            count(&long),
            long_fit.sheets + cards,
            "a deeper header band: the annex laid out again (and its card files counted from it)"
        );
    }
}
