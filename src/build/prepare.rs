//! Getting assessments ready to build: load and validate each, read its templates, locales
//! and reference document, fix the date documents carry, and hash the inputs — every problem
//! of every assessment found at once.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::Failure;
use crate::cli::BuildArgs;
use crate::diag::Diagnostic;
use crate::edition::{Kind, PdfStandard};
use crate::hash::hash_file;
use crate::i18n::Locale;
use crate::model::{self, Assessment};
use crate::render::docx::Reference;
use crate::render::typst::{Moment, Session};
use crate::templates::{self, TemplateSet};
use crate::ui;

/// What one assessment needs during a build.
pub(crate) struct Prepared {
    pub assessment: Assessment,
    pub session: Arc<Session>,
    pub locales: BTreeMap<String, Locale>,
    pub reference: Arc<Reference>,
    /// `--paper`, else the reference document's paper, else A4.
    pub paper: crate::edition::Paper,
    /// Hash of the reference document's bytes.
    pub reference_digest: [u8; 32],
    /// The files dated: `2022-09-30T00:00:00Z`.
    pub created: String,
    /// Everything that shapes output, for the manifest's `inputs-sha256`.
    pub inputs: Sha256,
    /// `inputs`, finalised.
    pub inputs_digest: [u8; 32],
    /// Per kind: the templates that can affect a document of that kind (all but the other
    /// kinds' main templates and the locales, which reach documents through the IR), the
    /// images, the date and the standards. Watch rebuilds a document when its digest (or, for
    /// a Word file, the reference document's) changes.
    pub digests: BTreeMap<Kind, [u8; 32]>,
}

/// The fixed moment documents are dated with: SOURCE_DATE_EPOCH when set, else the
/// assessment's publication date at midnight UTC.
fn fixed_moment(a: &Assessment) -> Result<(Moment, String), Diagnostic> {
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
    let moment = Moment {
        year: date.year(),
        month: u8::from(date.month()),
        day: date.day(),
        hour: time.hour(),
        minute: time.minute(),
        second: time.second(),
    };
    // Typst represents years 0–9999 only.
    if typst::foundations::Datetime::from_ymd(moment.year, moment.month, moment.day).is_none() {
        return Err(Diagnostic::error("failed to represent the document date"));
    }
    let created = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second
    );
    Ok((moment, created))
}

/// The standards a build claims (default: PDF/UA-1 and PDF/A-2a), by deca's names.
pub(crate) fn standards(args: &BuildArgs) -> Vec<String> {
    let list = if args.pdf_standards.is_empty() {
        vec![PdfStandard::Ua1, PdfStandard::A2a]
    } else {
        args.pdf_standards.clone()
    };
    list.iter()
        .filter_map(|s| match s {
            PdfStandard::Ua1 => Some("ua-1"),
            PdfStandard::A2b => Some("a-2b"),
            PdfStandard::A2a => Some("a-2a"),
            PdfStandard::A2u => Some("a-2u"),
            PdfStandard::A3b => Some("a-3b"),
            PdfStandard::None => None,
        })
        .map(str::to_string)
        .collect()
}

/// The reference document's bytes, where they come from, and whether it is the built-in one.
fn reference_bytes(
    given: Option<&(Vec<u8>, String)>,
    templates: &TemplateSet,
) -> (Vec<u8>, String, bool) {
    match (given, templates.get("docx/reference.docx")) {
        (Some((b, shown)), _) => (b.clone(), shown.clone(), false),
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
    }
}

/// The digest of what can affect documents of each kind (see [`Prepared::digests`]), with the
/// `--font-path` fonts.
fn kind_digests(session: &Session) -> BTreeMap<Kind, [u8; 32]> {
    let mains: Vec<String> = Kind::ALL
        .iter()
        .map(|k| crate::render::typst::main_template(*k))
        .collect();
    // What every kind shares, hashed once.
    let mut common = Sha256::new();
    for (path, f) in &session.templates.files {
        let skip =
            mains.contains(path) || path.starts_with("locales/") || path.starts_with("docx/");
        if !skip {
            hash_file(&mut common, Path::new(path), &f.bytes);
        }
    }
    for (path, bytes) in &session.assets {
        hash_file(&mut common, Path::new(path), bytes);
    }
    common.update(format!("{:?}{:?}", session.moment(), session.standards()).as_bytes());
    common.update(crate::fonts::paths_digest());
    let common = common.finalize();
    Kind::ALL
        .iter()
        .zip(&mains)
        .map(|(&kind, main)| {
            let mut h = Sha256::new();
            h.update(common);
            if let Some(f) = session.templates.get(main) {
                hash_file(&mut h, Path::new(main), &f.bytes);
            }
            (kind, h.finalize().into())
        })
        .collect()
}

/// Loads, validates and prepares every assessment, finding every problem at once. Warnings go
/// to `warnings`, to be reported once the run has started (or with the errors).
pub(crate) fn prepare(
    args: &BuildArgs,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Vec<Prepared>, Failure> {
    let found = crate::source::discover(&args.dir).map_err(Failure::usage)?;
    warnings.extend(found.warnings);
    let dirs = found.dirs;
    super::paths::check(args).map_err(Failure::usage)?;
    let mut errors = Vec::new();
    let mut prepared = Vec::new();
    let given = match &args.reference_docx {
        Some(path) => match super::paths::read_reference(path) {
            Ok(b) => Some((b, path.display().to_string())),
            Err((d, true)) => return Err(Failure::usage(d)),
            Err((d, false)) => return Err(Failure::with_warnings(vec![d], warnings)),
        },
        None => None,
    };
    let standards = standards(args);
    // Whether text no font can display is an error (a PDF standard forbids missing glyphs) or
    // a warning (the glyphs print as boxes).
    let severity = if standards.is_empty() {
        crate::diag::Severity::Warning
    } else {
        crate::diag::Severity::Error
    };
    for dir in &dirs {
        let shown = ui::shown(dir);
        let templates = TemplateSet::load(&templates::layers_for(dir, args.templates.as_deref()));
        // The templates hashed once: for the inputs, and for the checked-load cache's key.
        let templates_digest: Option<[u8; 32]> = templates.as_ref().ok().map(|t| {
            let mut h = Sha256::new();
            t.digest(&mut h);
            h.finalize().into()
        });
        // What the checks a cached clean load skips read besides the data (see `checked`).
        let context: Option<[u8; 32]> = templates_digest.map(|t| {
            let mut h = Sha256::new();
            h.update(t);
            h.update(crate::fonts::paths_digest());
            h.update(format!("{severity:?}").as_bytes());
            h.finalize().into()
        });
        let mut key = None;
        let mut files_digest = None;
        let loaded = model::load_trusting(dir, &shown, &mut |files| {
            let digest = *files_digest.insert(super::checked::files_digest(files));
            let k = super::checked::key(&digest, context.as_ref()?);
            let trees = super::checked::recall(&k);
            key = Some(k);
            trees
        });
        let (errs, warns): (Vec<_>, Vec<_>) = loaded
            .diagnostics
            .into_iter()
            .partition(Diagnostic::is_error);
        warnings.extend(warns);
        errors.extend(errs);
        let Some(a) = loaded.assessment else { continue };
        let templates = match templates {
            Ok(t) => t,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let (moment, created) = fixed_moment(&a).map_err(Failure::usage)?;
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
        let (reference_docx, shown_ref, builtin) = reference_bytes(given.as_ref(), &templates);
        let reference =
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
        inputs.update(files_digest.unwrap_or_else(|| super::checked::files_digest(&a.files)));
        for (path, bytes) in &a.assets {
            hash_file(&mut inputs, Path::new(path), bytes);
        }
        inputs.update(templates_digest.unwrap_or_default());
        hash_file(&mut inputs, Path::new("reference.docx"), &reference_docx);
        // The PDF twin of a Word file on a letterhead takes the letterhead's paper.
        let paper = args
            .paper
            .or_else(|| crate::render::docx::reference_paper(&reference))
            .unwrap_or_default();
        // The date documents carry changes their bytes (SOURCE_DATE_EPOCH included).
        inputs.update(format!("{paper:?}{standards:?}{created}").as_bytes());
        inputs.update(crate::fonts::paths_digest());
        // Text no font can display, found before any PDF is made. A trusted load's data passed
        // this check with the same fonts before.
        if !loaded.trusted {
            let fonts = crate::render::typst::world::Fonts::new(&templates);
            let glyphs = model::coverage::check(&a, &fonts.book, severity);
            let clean = glyphs.is_empty();
            let (errs, warns): (Vec<_>, Vec<_>) =
                glyphs.into_iter().partition(Diagnostic::is_error);
            warnings.extend(warns);
            if !errs.is_empty() {
                errors.extend(errs);
                continue;
            }
            if let (true, Some(trees), Some(key)) = (clean, &loaded.clean, &key) {
                super::checked::keep(key, trees);
            }
        }
        let session = Session::new(templates, a.assets.clone(), moment, standards.clone());
        let digests = kind_digests(&session);
        prepared.push(Prepared {
            assessment: a,
            session: Arc::new(session),
            locales,
            reference: Arc::new(reference),
            paper,
            reference_digest: Sha256::digest(&reference_docx).into(),
            created,
            inputs_digest: inputs.clone().finalize().into(),
            inputs,
            digests,
        });
    }
    if errors.is_empty() {
        Ok(prepared)
    } else {
        Err(Failure::with_warnings(errors, warnings))
    }
}
