//! `deca build`: the whole matrix — assessments × languages × documents × formats — in one
//! process, jobs in parallel, every error of the run reported, files published atomically with
//! a manifest (see `publish`).

pub mod keep;
pub mod lock;
pub mod manifest;
mod paths;
pub mod progress;
pub mod publish;
mod select;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::cli::BuildArgs;
use crate::diag::Diagnostic;
use crate::edition::{Kind, OutputFormat, PdfStandard};
use crate::hash::{hash_file, sha256_hex};
use crate::i18n::Locale;
use crate::model::{self, Assessment, translations};
use crate::plan::{self, Ctx, Target};
use crate::render::typst::{Backend, fit, world::Shared};
use crate::templates::{self, TemplateSet};
use crate::{exit, ui};
use manifest::{Artifact, Manifest};
use progress::{Mode, Reporter};

pub use select::Selection;

/// Runs `deca build` and returns the exit code.
pub fn run(args: &BuildArgs) -> u8 {
    let mut reporter = Reporter::new(Mode::choose(args.json, args.quiet));
    match build(args, &mut reporter) {
        Ok(outcome) => {
            reporter.finish(
                true,
                outcome.rebuilt,
                outcome.warnings,
                0,
                &args.out.display().to_string(),
            );
            exit::OK
        }
        Err(failure) => {
            reporter.diagnostics(&failure.diagnostics);
            let errors = failure.diagnostics.iter().filter(|d| d.is_error()).count();
            reporter.finish(
                false,
                0,
                failure.warnings,
                errors,
                &args.out.display().to_string(),
            );
            if failure.usage {
                exit::USAGE
            } else {
                exit::FAILED
            }
        }
    }
}

/// A successful run.
pub struct Outcome {
    pub manifest: Manifest,
    pub warnings: usize,
    /// Documents made by this run (the manifest may also list kept ones).
    pub rebuilt: usize,
}

/// A failed run: every error found, and whether it was a usage error.
pub struct Failure {
    pub diagnostics: Vec<Diagnostic>,
    pub usage: bool,
    pub warnings: usize,
}

impl Failure {
    /// A failed run: its errors, with the warnings found before them.
    fn with_warnings(errors: Vec<Diagnostic>, warnings: &[Diagnostic]) -> Failure {
        let mut diagnostics = warnings.to_vec();
        diagnostics.extend(errors);
        Failure {
            diagnostics,
            usage: false,
            warnings: warnings.len(),
        }
    }

    fn usage(d: Diagnostic) -> Failure {
        Failure {
            diagnostics: vec![d],
            usage: true,
            warnings: 0,
        }
    }
}

/// What one assessment needs during a build.
struct Prepared {
    assessment: Assessment,
    backend: Backend,
    locales: BTreeMap<String, Locale>,
    reference: Arc<crate::render::docx::Reference>,
    /// `--paper`, else the reference document's paper, else A4.
    paper: crate::edition::Paper,
    inputs: Sha256,
}

/// One document in one language, in the selected formats.
struct Job<'a> {
    p: &'a Prepared,
    lang: String,
    target: Target,
    formats: Vec<OutputFormat>,
}

/// A job's files (or its errors), and the warnings it raised either way.
type JobOutcome = (Result<Vec<Produced>, Vec<Diagnostic>>, Vec<Diagnostic>);

/// A file made by a job, not yet published.
struct Produced {
    rel: PathBuf,
    bytes: Vec<u8>,
    artifact: Artifact,
}

/// The fixed moment documents are dated with: SOURCE_DATE_EPOCH when set, else the
/// assessment's publication date at midnight UTC.
fn fixed_date(
    a: &Assessment,
) -> Result<(typst::foundations::Datetime, typst_pdf::Timestamp, String), Diagnostic> {
    let (date, time) = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => {
            let secs: i64 = v.trim().parse().map_err(|_| {
                Diagnostic::error(format!("invalid SOURCE_DATE_EPOCH `{v}`")).hint(
                    "set it to whole seconds since 1970-01-01 UTC, e.g. $(git log -1 --format=%ct)",
                )
            })?;
            let dt = time::OffsetDateTime::from_unix_timestamp(secs).map_err(|_| {
                Diagnostic::error(format!("SOURCE_DATE_EPOCH `{v}` is out of range"))
            })?;
            (dt.date(), dt.time())
        }
        _ => (a.date, time::Time::MIDNIGHT),
    };
    let day =
        typst::foundations::Datetime::from_ymd(date.year(), u8::from(date.month()), date.day())
            .ok_or_else(|| Diagnostic::error("failed to represent the document date"))?;
    let moment = typst::foundations::Datetime::from_ymd_hms(
        date.year(),
        u8::from(date.month()),
        date.day(),
        time.hour(),
        time.minute(),
        time.second(),
    )
    .ok_or_else(|| Diagnostic::error("failed to represent the document date"))?;
    let created = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year(),
        u8::from(date.month()),
        date.day(),
        time.hour(),
        time.minute(),
        time.second()
    );
    Ok((day, typst_pdf::Timestamp::new_utc(moment), created))
}

fn standards(args: &BuildArgs) -> Vec<PdfStandard> {
    if args.pdf_standards.is_empty() {
        vec![PdfStandard::Ua1, PdfStandard::A2a]
    } else {
        args.pdf_standards.clone()
    }
}

fn typst_standards(list: &[PdfStandard]) -> Vec<typst_pdf::PdfStandard> {
    list.iter()
        .filter_map(|s| match s {
            PdfStandard::Ua1 => Some(typst_pdf::PdfStandard::Ua_1),
            PdfStandard::A2b => Some(typst_pdf::PdfStandard::A_2b),
            PdfStandard::A2a => Some(typst_pdf::PdfStandard::A_2a),
            PdfStandard::A2u => Some(typst_pdf::PdfStandard::A_2u),
            PdfStandard::A3b => Some(typst_pdf::PdfStandard::A_3b),
            PdfStandard::None => None,
        })
        .collect()
}

fn standard_names(list: &[PdfStandard]) -> Vec<String> {
    list.iter()
        .filter_map(|s| match s {
            PdfStandard::Ua1 => Some("PDF/UA-1"),
            PdfStandard::A2b => Some("PDF/A-2b"),
            PdfStandard::A2a => Some("PDF/A-2a"),
            PdfStandard::A2u => Some("PDF/A-2u"),
            PdfStandard::A3b => Some("PDF/A-3b"),
            PdfStandard::None => None,
        })
        .map(str::to_string)
        .collect()
}

/// Loads, validates and prepares every assessment, finding every problem at once. Warnings go
/// to `warnings`, to be reported once the run has started (or with the errors).
fn prepare(args: &BuildArgs, warnings: &mut Vec<Diagnostic>) -> Result<Vec<Prepared>, Failure> {
    let found = crate::source::discover(&args.dir).map_err(Failure::usage)?;
    warnings.extend(found.warnings);
    let dirs = found.dirs;
    paths::check(args).map_err(Failure::usage)?;
    let mut errors = Vec::new();
    let mut prepared = Vec::new();
    let reference = match &args.reference_docx {
        Some(path) => match paths::read_reference(path) {
            Ok(b) => Some(b),
            Err((d, true)) => return Err(Failure::usage(d)),
            Err((d, false)) => return Err(Failure::with_warnings(vec![d], warnings)),
        },
        None => None,
    };
    for dir in &dirs {
        let shown = ui::shown(dir);
        let loaded = model::load(dir, &shown);
        let (errs, warns): (Vec<_>, Vec<_>) = loaded
            .diagnostics
            .into_iter()
            .partition(Diagnostic::is_error);
        warnings.extend(warns);
        errors.extend(errs);
        let Some(a) = loaded.assessment else { continue };
        let templates =
            match TemplateSet::load(&templates::layers_for(dir, args.templates.as_deref())) {
                Ok(t) => t,
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
        let (today, timestamp, created) = match fixed_date(&a) {
            Ok(v) => v,
            Err(d) => return Err(Failure::usage(d)),
        };
        let mut locales = BTreeMap::new();
        for lang in a.languages() {
            match Locale::load(&templates, lang) {
                Ok((l, w)) => {
                    warnings.extend(w);
                    locales.insert(lang.to_string(), l);
                }
                Err(d) => errors.push(d),
            }
        }
        let (reference_docx, shown_ref, builtin) =
            match (&reference, templates.get("docx/reference.docx")) {
                (Some(b), _) => (
                    b.clone(),
                    args.reference_docx
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default(),
                    false,
                ),
                (None, Some(f)) => (
                    f.bytes.to_vec(),
                    f.origin.to_string(),
                    f.origin == templates::Origin::BuiltIn,
                ),
                (None, None) => (
                    templates::REFERENCE_DOCX.to_vec(),
                    "(built-in)".to_string(),
                    true,
                ),
            };
        let parsed_reference =
            match crate::render::docx::reference::read(&reference_docx, &shown_ref, builtin) {
                Ok(r) => {
                    warnings.extend(crate::render::docx::reference_warnings(&r));
                    r
                }
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
        let mut inputs = Sha256::new();
        for (kind, file) in &a.files {
            hash_file(
                &mut inputs,
                Path::new(&kind.file_name()),
                file.text.as_bytes(),
            );
        }
        for (path, bytes) in &a.assets {
            hash_file(&mut inputs, Path::new(path), bytes);
        }
        templates.digest(&mut inputs);
        hash_file(&mut inputs, Path::new("reference.docx"), &reference_docx);
        // The PDF twin of a Word file on a letterhead takes the letterhead's paper.
        let paper = args
            .paper
            .or_else(|| crate::render::docx::reference_paper(&parsed_reference))
            .unwrap_or_default();
        // The documents' date (SOURCE_DATE_EPOCH or the assessment's) shapes the output too.
        inputs.update(format!("{:?}{:?}{created}", paper, standards(args)).as_bytes());
        let backend = Backend {
            shared: Arc::new(Shared::new(templates)),
            today,
            timestamp,
            created,
            timeout: Duration::from_secs(args.timeout.max(1)),
            standards: typst_standards(&standards(args)),
        };
        // Text no font can display, found before any PDF is made: an error where a PDF
        // standard forbids missing glyphs, else a warning (the glyphs print as boxes).
        let severity = if backend.standards.is_empty() {
            crate::diag::Severity::Warning
        } else {
            crate::diag::Severity::Error
        };
        let glyphs = model::coverage::check(&a, &backend.shared.fonts.book, severity);
        let (errs, warns): (Vec<_>, Vec<_>) = glyphs.into_iter().partition(Diagnostic::is_error);
        warnings.extend(warns);
        if !errs.is_empty() {
            errors.extend(errs);
            continue;
        }
        prepared.push(Prepared {
            assessment: a,
            backend,
            locales,
            reference: Arc::new(parsed_reference),
            paper,
            inputs,
        });
    }
    if errors.is_empty() {
        Ok(prepared)
    } else {
        Err(Failure::with_warnings(errors, warnings))
    }
}

/// Builds, publishes and returns the manifest; on failure the output folder is untouched.
pub fn build(args: &BuildArgs, reporter: &mut Reporter) -> Result<Outcome, Failure> {
    let mut pending = Vec::new();
    let prepared = prepare(args, &mut pending)?;
    let selection = Selection::from_args(args);
    let mut errors = Vec::new();
    for p in &prepared {
        if let Err(d) = selection.check(&p.assessment) {
            return Err(Failure::usage(d));
        }
        for lang in selection.langs(&p.assessment) {
            let fallbacks = translations::fallback_diagnostics(&p.assessment, &lang, args.strict);
            let (errs, warns): (Vec<_>, Vec<_>) =
                fallbacks.into_iter().partition(Diagnostic::is_error);
            pending.extend(warns);
            errors.extend(errs);
        }
    }
    if !errors.is_empty() {
        return Err(Failure::with_warnings(errors, &pending));
    }

    let mut jobs = Vec::new();
    for p in &prepared {
        for lang in selection.langs(&p.assessment) {
            for target in plan::targets(&p.assessment) {
                if selection.wants(&target) {
                    jobs.push(Job {
                        p,
                        lang: lang.clone(),
                        target,
                        formats: selection.formats.clone(),
                    });
                }
            }
        }
    }
    let total: usize = jobs.iter().map(|j| j.formats.len()).sum();
    let names: Vec<String> = prepared.iter().map(|p| p.assessment.name.clone()).collect();
    reporter.start(total, &names);
    // Warnings found while loading, now that the run has begun.
    let mut warnings = pending.len();
    reporter.diagnostics(&pending);

    let threads = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("deca-{i}"))
        .build()
        .map_err(|e| {
            Failure::usage(Diagnostic::error(format!(
                "failed to start worker threads ({e})"
            )))
        })?;

    let staging =
        publish::Staging::new(&args.out, publish::Hold::for_args(args)).map_err(|d| Failure {
            diagnostics: vec![d],
            usage: false,
            warnings,
        })?;
    let std_names = standard_names(&standards(args));

    // The report of each language comes first: the other documents cite its pages.
    let langs: Vec<(&Prepared, String)> = prepared
        .iter()
        .flat_map(|p| {
            selection
                .langs(&p.assessment)
                .into_iter()
                .map(move |l| (p, l))
        })
        .filter(|(p, l)| jobs.iter().any(|j| std::ptr::eq(j.p, *p) && &j.lang == l))
        .collect();
    let pages: Vec<Result<HashMap<String, usize>, Vec<Diagnostic>>> = pool.install(|| {
        langs
            .par_iter()
            .map(|(p, lang)| report_pages(p, lang))
            .collect()
    });
    let mut page_maps: HashMap<(String, String), HashMap<String, usize>> = HashMap::new();
    for ((p, lang), result) in langs.iter().zip(pages) {
        match result {
            Ok(m) => {
                page_maps.insert((p.assessment.name.clone(), lang.clone()), m);
            }
            Err(d) => errors.extend(d),
        }
    }
    if !errors.is_empty() {
        return Err(staging.fail(errors, warnings));
    }

    let results: Vec<JobOutcome> = pool.install(|| {
        jobs.par_iter()
            .map(|job| {
                reporter.working(&format!(
                    "{}/{}/{}",
                    job.p.assessment.name,
                    job.lang,
                    job.target.name()
                ));
                let pages = page_maps.get(&(job.p.assessment.name.clone(), job.lang.clone()));
                let mut warns = Vec::new();
                let result = run_job(job, pages, &std_names, &mut warns);
                if let Ok(files) = &result {
                    for f in files {
                        match staging.write(&f.rel, &f.bytes) {
                            Ok(()) => reporter.written(
                                &f.artifact.path,
                                &f.artifact.sha256,
                                f.artifact.bytes,
                                Some(f.artifact.pages),
                            ),
                            Err(e) => return (Err(vec![e]), warns),
                        }
                    }
                }
                reporter.diagnostics(&warns);
                (result, warns)
            })
            .collect()
    });
    let mut produced = Vec::new();
    for (result, warns) in results {
        warnings += warns.len();
        match result {
            Ok(files) => produced.extend(files),
            Err(d) => errors.extend(d),
        }
    }
    if !errors.is_empty() {
        return Err(staging.fail(errors, warnings));
    }

    let mut inputs = Sha256::new();
    for p in &prepared {
        inputs.update(p.assessment.name.as_bytes());
        inputs.update(p.inputs.clone().finalize());
    }
    let inputs_hex: String = inputs
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let rebuilt = produced.len();
    let artifacts: Vec<Artifact> = produced.into_iter().map(|p| p.artifact).collect();
    let scope = keep::Scope {
        selection: selection.clone(),
        assessments: names.clone(),
    };
    let committed = staging
        .commit(artifacts, inputs_hex, &scope, args.clean)
        .map_err(|d| Failure {
            diagnostics: vec![d],
            usage: false,
            warnings,
        })?;
    reporter.removed(&committed.removed);
    let manifest = committed.manifest;
    Ok(Outcome {
        manifest,
        warnings,
        rebuilt,
    })
}

fn ctx<'a>(p: &'a Prepared, lang: &str) -> Ctx<'a> {
    Ctx {
        a: &p.assessment,
        locale: &p.locales[lang],
        paper: p.paper,
    }
}

/// Compiles a language's report to learn the page of each finding and recommendation.
fn report_pages(p: &Prepared, lang: &str) -> Result<HashMap<String, usize>, Vec<Diagnostic>> {
    let c = ctx(p, lang);
    let doc = plan::document(
        &c,
        &Target {
            kind: Kind::Report,
            item: None,
        },
    );
    let compiled = p.backend.compile(&doc, &p.assessment.assets, None)?;
    Ok(crate::render::typst::anchors(&compiled.doc))
}

fn rel_path(a: &Assessment, lang: &str, target: &Target, format: OutputFormat) -> PathBuf {
    PathBuf::from(&a.name)
        .join(lang)
        .join(format!("{}.{}", target.name(), format.extension()))
}

fn run_job(
    job: &Job,
    pages: Option<&HashMap<String, usize>>,
    std_names: &[String],
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Produced>, Vec<Diagnostic>> {
    let p = job.p;
    let c = ctx(p, &job.lang);
    // The report's references point into itself; the others' into the report.
    let pages = if job.target.kind == Kind::Report {
        None
    } else {
        pages
    };
    let doc = plan::document(&c, &job.target);
    if let Err(msg) = crate::ir::check_headings(&doc) {
        return Err(vec![Diagnostic::error(format!(
            "{}: {msg}",
            job.target.name()
        ))]);
    }
    let ident = format!("{}/{}/{}", p.assessment.name, job.lang, job.target.name());
    let pdf = match p.backend.pdf(&doc, &p.assessment.assets, pages, &ident) {
        Ok(pdf) => pdf,
        Err(fit::Failure::Errors(d)) => return Err(d),
        Err(fit::Failure::Overflow(o)) => {
            return Err(vec![overflow_diagnostic(&c, &job.target, &o)]);
        }
    };
    warnings.extend(pdf.warnings.iter().cloned());
    if job.target.kind == Kind::Brief && !(2..=4).contains(&pdf.pages) {
        warnings.push(Diagnostic::warning(format!(
            "brief `{}` ({}) has {} page{}; briefs are meant to run 2 to 4 pages",
            job.target.item.as_deref().unwrap_or_default(),
            job.lang,
            pdf.pages,
            if pdf.pages == 1 { "" } else { "s" }
        )));
    }
    let mut out = Vec::new();
    for format in &job.formats {
        let rel = rel_path(&p.assessment, &job.lang, &job.target, *format);
        let (bytes, standards) = match format {
            OutputFormat::Pdf => (pdf.bytes.clone(), std_names.to_vec()),
            OutputFormat::Docx => {
                let mut fitted = doc.clone();
                fitted.scale = pdf.scale;
                let bytes = crate::render::docx::render(
                    &fitted,
                    &p.backend,
                    &p.assessment.assets,
                    &p.reference,
                    if job.target.kind == Kind::Report {
                        Some(&pdf.anchors)
                    } else {
                        pages
                    },
                )?;
                (bytes, vec!["ISO/IEC 29500 (transitional)".to_string()])
            }
        };
        let artifact = Artifact {
            path: rel.to_string_lossy().replace('\\', "/"),
            assessment: p.assessment.name.clone(),
            kind: job.target.kind.name().to_string(),
            lang: job.lang.clone(),
            format: format.extension().to_string(),
            priority: doc.priority.clone(),
            recommendation: doc.recommendation.clone(),
            pages: pdf.pages,
            bytes: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
            standards,
            text_scale: (pdf.scale < 1.0).then_some(pdf.scale),
        };
        out.push(Produced {
            rel,
            bytes,
            artifact,
        });
    }
    Ok(out)
}

/// The error for a one-page document that overflows even at the smallest text size, located
/// at the data field to shorten.
fn overflow_diagnostic(c: &Ctx, target: &Target, o: &fit::Overflow) -> Diagnostic {
    use crate::source::FileKind;
    let a = c.a;
    let pct = (o.scale * 100.0).round();
    let amount = format!(
        "about {:.0} mm (~{:.0} line{})",
        o.overflow_mm.max(1.0),
        o.lines,
        if o.lines.round() == 1.0 { "" } else { "s" }
    );
    let len = |t: &model::Text| c.t(t).chars().count();
    match target.kind {
        Kind::Onepager => {
            let id = target.item.as_deref().unwrap_or_default();
            let r = a.recommendation(id).expect("planned recommendation exists");
            let mut fields: Vec<(&str, usize, Option<crate::diag::Location>)> = vec![
                (
                    "summary",
                    len(&r.summary.value),
                    a.location(FileKind::Recommendations, &r.summary),
                ),
                (
                    "rationale",
                    len(&r.rationale.value),
                    a.location(FileKind::Recommendations, &r.rationale),
                ),
                (
                    "actions",
                    r.actions.iter().map(|x| len(&x.value)).sum(),
                    r.actions
                        .first()
                        .and_then(|x| a.location(FileKind::Recommendations, x)),
                ),
                (
                    "actors",
                    r.actors.iter().map(|x| len(&x.value)).sum(),
                    r.actors
                        .first()
                        .and_then(|x| a.location(FileKind::Recommendations, x)),
                ),
            ];
            let crossing = o.field.clone().unwrap_or_else(|| "rationale".into());
            fields.sort_by_key(|f| std::cmp::Reverse(f.1));
            let longest = fields
                .iter()
                .take(2)
                .map(|(n, l, _)| format!("`{n}` ({l} characters)"))
                .collect::<Vec<_>>()
                .join(" and ");
            let at = fields
                .iter()
                .find(|f| f.0 == crossing)
                .and_then(|f| f.2.clone());
            Diagnostic::error(format!(
                "recommendation `{id}` ({}) does not fit on one page: even at {pct}% text size it overflows by {amount}, from field `{crossing}` on",
                c.lang()
            ))
            .at_opt(at)
            .label("shorten this field")
            .hint(format!("shorten `{crossing}`; the longest fields are {longest}. deca never cuts text"))
        }
        _ => {
            let rec = o.row.and_then(|r| a.recommendations.get(r));
            let mut d = Diagnostic::error(format!(
                "the overview ({}) does not fit on one page: even at {pct}% text size it overflows by {amount}{}",
                c.lang(),
                rec.map(|r| format!(
                    ", from recommendation {} (`{}`) on",
                    r.number.value, r.id.value
                ))
                .unwrap_or_default()
            ));
            let longest = a
                .recommendations
                .iter()
                .max_by_key(|r| len(&r.summary.value) + len(&r.title.value));
            if let Some(r) = longest {
                d = d
                    .at_opt(a.location(FileKind::Recommendations, &r.summary))
                    .label("the longest summary")
                    .hint(format!(
                        "shorten the `summary` or `title` of the longest recommendations, starting with `{}`",
                        r.id.value
                    ));
            }
            d
        }
    }
}
