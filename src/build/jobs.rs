//! Running a build's documents: a fixed set of threads takes tasks in order from one list —
//! the reports first, then everything else — and each thread runs one task at a time to its
//! end. No task ever runs on another's stack: the threads are plain threads (not a
//! work-stealing pool), and every Typst compile and PDF export happens in a worker process
//! (see `render::typst`), so nothing a library does while it waits can start a second
//! document on the same stack.
//!
//! A task plans its document when it runs, so memory holds the documents in progress, not the
//! whole portfolio. A document that cites the report's pages gets them from its language's
//! page-map cell (see `pages`).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::manifest::Artifact;
use super::pages::{Cell, Learnt, MapSource, report_key};
use super::planned::{Planned, fit_key, key, plan};
use super::prepare::Prepared;
use super::progress::{DocRef, Reporter};
use super::publish::Staging;
use super::{fitcache, overflow, pagecache};
use crate::diag::Diagnostic;
use crate::edition::{Kind, OutputFormat};
use crate::hash::sha256_hex;
use crate::plan::{Ctx, Target};
use crate::render::typst::{Typst, TypstRaster};
use crate::render::{self, Context, Failure as RenderFailure, Layout, PageMap, Renderer};

/// One document to build, planned when its task runs.
pub(super) struct Task<'a> {
    /// Index of its assessment in the run's list (and of its renderers).
    pub assessment: usize,
    pub p: &'a Prepared,
    pub lang: String,
    pub target: Target,
    pub formats: Vec<OutputFormat>,
    /// Index of its language's page-map cell.
    pub cell: usize,
}

/// A file made, not yet published (its bytes are in staging).
pub(super) struct Produced {
    pub artifact: Artifact,
}

/// What a task came to.
pub(super) enum Done {
    /// Files made, with the document's key.
    Built {
        stem: String,
        key: [u8; 32],
        files: Vec<Produced>,
    },
    /// Unchanged since the last run: the previous files stay.
    Kept { artifacts: Vec<Artifact> },
    /// Errors, each with the document it belongs to.
    Failed(Vec<(Option<DocRef>, Diagnostic)>),
    /// Not attempted because the report it cites failed.
    Skipped,
}

/// Per document (`peru/en/brief-integrity`): the key of its inputs and its files, as last
/// published.
pub(super) type Published = BTreeMap<String, ([u8; 32], Vec<Artifact>)>;

/// What the tasks share.
pub(super) struct Shared<'a> {
    pub typst: &'a Arc<Typst>,
    pub raster: &'a Arc<render::typst::RasterCache>,
    pub renderers: Vec<BTreeMap<OutputFormat, Box<dyn Renderer>>>,
    pub cells: &'a [Cell],
    /// Page maps made or learnt in this run.
    pub learnt: &'a Learnt,
    pub staging: &'a Staging,
    pub reporter: &'a Reporter,
    /// Keys of the last successful run: unchanged documents are kept (watch).
    pub previous: Option<&'a Published>,
    pub emit: Option<&'a std::path::Path>,
    /// Report page maps known in memory, by page-cache key.
    pub maps: &'a std::collections::HashMap<String, Arc<PageMap>>,
}

/// Runs every task on `threads` threads; results come back in task order.
pub(super) fn run(tasks: &[Task], threads: usize, shared: &Shared) -> Vec<Done> {
    let next = AtomicUsize::new(0);
    let slots: Vec<Mutex<Option<Done>>> = tasks.iter().map(|_| Mutex::new(None)).collect();
    let work = || {
        loop {
            let i = next.fetch_add(1, Ordering::SeqCst);
            let Some(task) = tasks.get(i) else { break };
            let done = one(task, shared);
            *slots[i].lock().expect("result lock") = Some(done);
        }
    };
    std::thread::scope(|scope| {
        let mut started = 0;
        for i in 0..threads.max(1) {
            let spawned = std::thread::Builder::new()
                .name(format!("deca-{i}"))
                // Compiling in process (DECA_IN_PROCESS) recurses deeply in layout.
                .stack_size(64 * 1024 * 1024)
                .spawn_scoped(scope, work);
            if spawned.is_err() {
                break;
            }
            started += 1;
        }
        // Fewer threads than asked for still finish the work; none, and this one does.
        if started == 0 {
            work();
        }
    });
    slots
        .into_iter()
        .map(|s| {
            s.into_inner()
                .expect("result lock")
                .unwrap_or(Done::Skipped)
        })
        .collect()
}

fn one(task: &Task, shared: &Shared) -> Done {
    let done = document(task, shared);
    if task.target.kind == Kind::Report && !matches!(done, Done::Built { .. } | Done::Kept { .. }) {
        // Release the documents waiting for this report's pages.
        shared.cells[task.cell].set(None);
    }
    done
}

/// A language's page map from watch's memory, the cache, or a layout-only compile of the
/// report. On failure, the report's errors are added to `errors`.
fn learn_map(
    cell: &Cell,
    p: &Prepared,
    lang: &str,
    shared: &Shared,
    errors: &mut Vec<(Option<DocRef>, Diagnostic)>,
) -> Option<Arc<PageMap>> {
    let reporter = shared.reporter;
    if shared.previous.is_some()
        && let Some(m) = shared.maps.get(&cell.inputs_key)
    {
        reporter.page_map(&cell.assessment, &cell.lang, MapSource::Memory.name());
        return Some(m.clone());
    }
    if let Some(m) = pagecache::load(&cell.inputs_key) {
        reporter.page_map(&cell.assessment, &cell.lang, MapSource::Cache.name());
        let map = Arc::new(m);
        shared
            .learnt
            .add(vec![cell.inputs_key.clone()], map.clone());
        return Some(map);
    }
    let target = Target {
        kind: Kind::Report,
        item: None,
    };
    let report = plan(p, lang, target, p.paper, Vec::new());
    match render::typst::pdf::layout(
        shared.typst,
        &p.session,
        &report.doc,
        &report.ir_json,
        None,
        None,
    ) {
        Ok((layout, _)) => {
            reporter.page_map(&cell.assessment, &cell.lang, MapSource::Compiled.name());
            let map = Arc::new(layout.anchors);
            let keys = vec![report_key(p, &report.ir_json), cell.inputs_key.clone()];
            shared.learnt.add(keys, map.clone());
            Some(map)
        }
        Err(f) => {
            let doc = report.doc_ref(OutputFormat::Pdf);
            errors.extend(failure_diagnostics(&report, f, &doc, p.paper));
            None
        }
    }
}

fn raster(shared: &Shared, p: &Prepared) -> TypstRaster {
    TypstRaster {
        typst: shared.typst.clone(),
        session: p.session.clone(),
        cache: shared.raster.clone(),
    }
}

/// The errors of a failed render, each naming the document.
fn failure_diagnostics(
    d: &Planned,
    f: RenderFailure,
    doc: &DocRef,
    paper: crate::edition::Paper,
) -> Vec<(Option<DocRef>, Diagnostic)> {
    let diags = match f {
        RenderFailure::Errors(d) => d,
        RenderFailure::Overflow { overflow, warnings } => {
            let c = Ctx {
                a: &d.p.assessment,
                locale: &d.p.locales[&d.lang],
                paper,
            };
            let mut v = warnings;
            v.push(overflow::diagnostic(&c, &d.target, &overflow));
            v
        }
    };
    diags.into_iter().map(|x| (Some(doc.clone()), x)).collect()
}

/// Builds (or keeps) one document in its formats.
fn document(task: &Task, shared: &Shared) -> Done {
    let reporter = shared.reporter;
    let cell = &shared.cells[task.cell];
    let d = &plan(
        task.p,
        &task.lang,
        task.target.clone(),
        task.p.paper,
        task.formats.clone(),
    );
    reporter.working(&d.stem());
    let served: Option<PageMap> = if d.target.kind != Kind::Report && !d.cites.is_empty() {
        let mut errors = Vec::new();
        let map = cell.get(|| learn_map(cell, d.p, &d.lang, shared, &mut errors));
        if !errors.is_empty() {
            return Done::Failed(errors);
        }
        match map {
            Some(map) => Some(
                d.cites
                    .iter()
                    .filter_map(|t| map.get(t).map(|p| (t.clone(), *p)))
                    .collect(),
            ),
            None => return Done::Skipped,
        }
    } else {
        None
    };
    let key = key(d, served.as_ref());
    let stem = d.stem();
    let report_key = (d.target.kind == Kind::Report).then(|| report_key(d.p, &d.ir_json));
    if let Some((k, artifacts)) = shared.previous.and_then(|p| p.get(&stem))
        && *k == key
    {
        // A kept report still gives its pages, from memory.
        let map = report_key
            .as_ref()
            .and_then(|k| shared.maps.get(k).cloned());
        if d.target.kind != Kind::Report || map.is_some() {
            if let Some(map) = map {
                reporter.page_map(&cell.assessment, &cell.lang, MapSource::Memory.name());
                cell.set(Some(map));
            }
            for _ in artifacts {
                reporter.staged();
            }
            return Done::Kept {
                artifacts: artifacts.clone(),
            };
        }
    }
    let raster = raster(shared, d.p);
    let renderers = &shared.renderers[task.assessment];
    // Kinds whose text size is chosen by compiling keep the chosen scale for the next build.
    let fitted_key = (render::typst::fit::Fit::of(d.target.kind) != render::typst::fit::Fit::None)
        .then(|| fit_key(d, served.as_ref()));
    let fit_hint = fitted_key.as_deref().and_then(fitcache::load);
    let mut layout: Option<Layout> = None;
    let mut warnings = Vec::new();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for format in &d.formats {
        let doc_ref = d.doc_ref(*format);
        let r = &renderers[format];
        if r.needs_layout(d.target.kind) && layout.is_none() {
            match render::typst::pdf::layout(
                shared.typst,
                &d.p.session,
                &d.doc,
                &d.ir_json,
                served.as_ref(),
                fit_hint,
            ) {
                Ok((l, w)) => {
                    warnings.extend(w.into_iter().map(|x| (Some(doc_ref.clone()), x)));
                    layout = Some(l);
                }
                Err(f) => {
                    errors.extend(failure_diagnostics(d, f, &doc_ref, d.p.paper));
                    break;
                }
            }
        }
        let ident = d.stem();
        let cx = Context {
            ident: &ident,
            ir_json: &d.ir_json,
            report_pages: served.as_ref(),
            layout: layout.as_ref(),
            raster: &raster,
            fit_hint,
        };
        let rendered = match r.render(&d.doc, &cx) {
            Ok(x) => x,
            Err(f) => {
                errors.extend(failure_diagnostics(d, f, &doc_ref, d.p.paper));
                break;
            }
        };
        warnings.extend(
            rendered
                .warnings
                .into_iter()
                .map(|x| (Some(doc_ref.clone()), x)),
        );
        if layout.is_none() {
            layout = rendered.layout;
        }
        let rel = d.rel(*format);
        if let Err(e) = shared.staging.write(&rel, &rendered.bytes) {
            errors.push((Some(doc_ref), e));
            break;
        }
        reporter.staged();
        // The scale the file was set at (see `docx::takes_pdf_scale` for a Word file).
        let scale = match layout.as_ref() {
            Some(l)
                if *format == OutputFormat::Pdf || render::docx::takes_pdf_scale(d.target.kind) =>
            {
                l.scale
            }
            _ => 1.0,
        };
        files.push(Produced {
            artifact: Artifact {
                path: doc_ref.path.clone(),
                assessment: d.p.assessment.name.clone(),
                kind: d.target.kind.name().to_string(),
                lang: d.lang.clone(),
                format: format.extension().to_string(),
                priority: d.doc.priority.clone(),
                recommendation: d.doc.recommendation.clone(),
                pages: layout.as_ref().map(|l| l.pages),
                bytes: rendered.bytes.len() as u64,
                sha256: sha256_hex(&rendered.bytes),
                standards: rendered.standards,
                // Full size is the default the manifest leaves out.
                text_scale: ((scale - 1.0).abs() > 1e-9).then_some(scale),
            },
        });
    }
    if let Some(l) = &layout
        && d.target.kind == Kind::Brief
        && !(2..=4).contains(&l.pages)
    {
        warnings.push((
            Some(d.doc_ref(d.formats[0])),
            Diagnostic::warning(format!(
                "brief `{}` ({}) has {} page{}; briefs are meant to run 2 to 4 pages",
                d.target.item.as_deref().unwrap_or_default(),
                d.lang,
                l.pages,
                if l.pages == 1 { "" } else { "s" }
            )),
        ));
    }
    reporter.document_diagnostics(&warnings);
    if !errors.is_empty() {
        // The files staged so far are discarded with the run.
        reporter.discarded(&files.iter().map(|f| f.artifact.clone()).collect::<Vec<_>>());
        return Done::Failed(errors);
    }
    if let (Some(k), Some(l)) = (&fitted_key, &layout)
        && fit_hint != Some(l.scale)
    {
        fitcache::store(k, l.scale);
    }
    if let (Some(root), Some(l)) = (shared.emit, &layout)
        && let Err(e) = emit(root, d, l.scale, served.as_ref())
    {
        return Done::Failed(vec![(
            Some(d.doc_ref(d.formats[0])),
            Diagnostic::error(format!("failed to emit the Typst sources ({e})"))
                .in_file(root.join(d.stem())),
        )]);
    }
    if let (Some(l), Some(rk)) = (&layout, report_key) {
        let map = Arc::new(l.anchors.clone());
        shared
            .learnt
            .add(vec![rk, cell.inputs_key.clone()], map.clone());
        reporter.page_map(&cell.assessment, &cell.lang, MapSource::Report.name());
        cell.set(Some(map));
    }
    Done::Built { stem, key, files }
}

/// Writes the document's folder for the stock Typst CLI, at the scale it was fitted at.
fn emit(
    root: &std::path::Path,
    d: &Planned,
    scale: f64,
    served: Option<&PageMap>,
) -> std::io::Result<()> {
    let ir_json = if (scale - d.doc.scale).abs() > 1e-9 {
        let mut v: serde_json::Value =
            serde_json::from_slice(&d.ir_json).map_err(std::io::Error::other)?;
        v["scale"] = serde_json::json!(scale);
        serde_json::to_vec_pretty(&v).map_err(std::io::Error::other)?
    } else {
        d.ir_json.clone()
    };
    let served = if d.target.kind == Kind::Report {
        None
    } else {
        served
    };
    render::typst::emit::write(
        root,
        std::path::Path::new(&d.stem()),
        &d.p.session,
        d.target.kind,
        &ir_json,
        served,
    )
}
