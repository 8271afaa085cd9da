//! The preview's one seam to the build: load the assessments the way `deca build` does, and
//! compile one document into its PDF, its page images and text (from that same compile) and,
//! on request, its DOCX.
//!
//! This mirrors `build`'s preparation (templates, locales, backend, reference document) because
//! the build does not yet expose "build one document and give me its pages"; when it does,
//! `Session::load` and `Session::document` are the two functions to replace.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use typst_layout::PagedDocument;

use crate::cli::BuildArgs;
use crate::diag::Diagnostic;
use crate::edition::{Kind, PdfStandard};
use crate::i18n::Locale;
use crate::model::{self, Assessment};
use crate::plan::{self, Ctx, Target};
use crate::render::typst::{Backend, PageMap, fit, world::Shared};
use crate::templates::{self, TemplateSet};
use crate::ui;

/// One assessment, ready to compile.
struct Prepared {
    assessment: Assessment,
    backend: Backend,
    locales: BTreeMap<String, Locale>,
    reference: crate::render::docx::Reference,
}

/// Everything loaded from the data and templates at one moment.
pub struct Session {
    prepared: Vec<Prepared>,
    args: BuildArgs,
    /// Warnings found while loading, shown above every document.
    pub warnings: Vec<Diagnostic>,
}

/// A document in the list: `peru/en/onepager-rural-access`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct DocId(pub String);

/// What the list shows for one document.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Listed {
    pub id: DocId,
    pub assessment: String,
    pub lang: String,
    pub kind: &'static str,
    pub title: String,
}

/// One compiled document.
pub struct Rendered {
    pub pdf: Vec<u8>,
    /// The laid-out pages, kept to draw page images on request.
    pub doc: Arc<PagedDocument>,
    /// Each page's text, from the same layout.
    pub texts: Vec<String>,
    /// Below 1.0 when a one-page document was shrunk to fit.
    pub scale: f64,
    pub warnings: Vec<Diagnostic>,
    /// What the DOCX is made from: the fitted IR and the report's page map.
    fitted: crate::ir::Document,
    pages: Option<PageMap>,
    at: usize,
}

fn standards(args: &BuildArgs) -> Vec<typst_pdf::PdfStandard> {
    let list = if args.pdf_standards.is_empty() {
        vec![PdfStandard::Ua1, PdfStandard::A2a]
    } else {
        args.pdf_standards.clone()
    };
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

fn date(a: &Assessment) -> Option<(typst::foundations::Datetime, typst_pdf::Timestamp, String)> {
    let d = a.date;
    let day = typst::foundations::Datetime::from_ymd(d.year(), u8::from(d.month()), d.day())?;
    let moment = typst::foundations::Datetime::from_ymd_hms(
        d.year(),
        u8::from(d.month()),
        d.day(),
        0,
        0,
        0,
    )?;
    let created = format!(
        "{:04}-{:02}-{:02}T00:00:00Z",
        d.year(),
        u8::from(d.month()),
        d.day()
    );
    Some((day, typst_pdf::Timestamp::new_utc(moment), created))
}

impl Session {
    /// Loads every assessment `args` names; every problem found, or the session.
    pub fn load(args: &BuildArgs) -> Result<Session, Vec<Diagnostic>> {
        let dirs = crate::source::assessment_dirs(&args.dir).map_err(|d| vec![d])?;
        let reference_bytes = match &args.reference_docx {
            Some(path) => Some(
                crate::input::read(path, None, crate::render::docx::reference::MAX_TOTAL_BYTES)
                    .map_err(|e| vec![e.diagnostic(path, "the reference document", "")])?,
            ),
            None => None,
        };
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let mut prepared = Vec::new();
        for dir in &dirs {
            let loaded = model::load(dir, &ui::shown(dir));
            let (errs, warns): (Vec<_>, Vec<_>) = loaded
                .diagnostics
                .into_iter()
                .partition(Diagnostic::is_error);
            warnings.extend(warns);
            errors.extend(errs);
            let Some(a) = loaded.assessment else { continue };
            let set =
                match TemplateSet::load(&templates::layers_for(dir, args.templates.as_deref())) {
                    Ok(t) => t,
                    Err(d) => {
                        errors.push(d);
                        continue;
                    }
                };
            let mut locales = BTreeMap::new();
            for lang in a.languages() {
                match Locale::load(&set, lang) {
                    Ok((l, w)) => {
                        warnings.extend(w);
                        locales.insert(lang.to_string(), l);
                    }
                    Err(d) => errors.push(d),
                }
            }
            let (bytes, shown, builtin) = match (&reference_bytes, set.get("docx/reference.docx")) {
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
            let reference = match crate::render::docx::reference::read(&bytes, &shown, builtin) {
                Ok(r) => r,
                Err(d) => {
                    errors.push(d);
                    continue;
                }
            };
            let Some((today, timestamp, created)) = date(&a) else {
                errors.push(Diagnostic::error("failed to represent the document date"));
                continue;
            };
            let backend = Backend {
                shared: Arc::new(Shared::new(set)),
                today,
                timestamp,
                created,
                timeout: Duration::from_secs(args.timeout.max(1)),
                standards: standards(args),
            };
            prepared.push(Prepared {
                assessment: a,
                backend,
                locales,
                reference,
            });
        }
        if errors.is_empty() {
            Ok(Session {
                prepared,
                args: args.clone(),
                warnings,
            })
        } else {
            errors.extend(warnings);
            Err(errors)
        }
    }

    /// The documents, in build order per assessment and language, as far as the selection
    /// flags allow.
    pub fn list(&self) -> Vec<Listed> {
        let selection = crate::build::Selection::from_args(&self.args);
        let mut out = Vec::new();
        for p in &self.prepared {
            for lang in selection.langs(&p.assessment) {
                let Some(locale) = p.locales.get(&lang) else {
                    continue;
                };
                let ctx = Ctx {
                    a: &p.assessment,
                    locale,
                    paper: self.args.paper.unwrap_or_default(),
                };
                for target in plan::targets(&p.assessment) {
                    if !selection.wants(&target) {
                        continue;
                    }
                    let doc = plan::document(&ctx, &target);
                    out.push(Listed {
                        id: DocId(format!("{}/{lang}/{}", p.assessment.name, target.name())),
                        assessment: p.assessment.name.clone(),
                        lang: lang.clone(),
                        kind: target.kind.name(),
                        // "Brief: Public integrity", as a reader's title bar shows it.
                        title: doc.meta.title.clone(),
                    });
                }
            }
        }
        out
    }

    fn find(&self, id: &DocId) -> Option<(&Prepared, String, Target)> {
        let mut parts = id.0.splitn(3, '/');
        let (name, lang, stem) = (parts.next()?, parts.next()?, parts.next()?);
        let p = self.prepared.iter().find(|p| p.assessment.name == name)?;
        p.locales.get(lang)?;
        let target = plan::targets(&p.assessment)
            .into_iter()
            .find(|t| t.name() == stem)?;
        Some((p, lang.to_string(), target))
    }

    /// The report's page of each anchor, which other documents' references print.
    pub fn report_pages(&self, id: &DocId) -> Result<Option<PageMap>, Vec<Diagnostic>> {
        let Some((p, lang, target)) = self.find(id) else {
            return Ok(None);
        };
        if target.kind == Kind::Report {
            return Ok(None);
        }
        let ctx = Ctx {
            a: &p.assessment,
            locale: &p.locales[&lang],
            paper: self.args.paper.unwrap_or_default(),
        };
        let report = plan::document(
            &ctx,
            &Target {
                kind: Kind::Report,
                item: None,
            },
        );
        let compiled = p.backend.compile(&report, &p.assessment.assets, None)?;
        Ok(Some(crate::render::typst::anchors(&compiled.doc)))
    }

    /// Compiles one document; `pages` is the report's page map (`report_pages`).
    pub fn document(
        &self,
        id: &DocId,
        pages: Option<&PageMap>,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        let Some((p, lang, target)) = self.find(id) else {
            return Err(vec![Diagnostic::error(format!(
                "no document `{}` in this preview",
                id.0
            ))]);
        };
        let ctx = Ctx {
            a: &p.assessment,
            locale: &p.locales[&lang],
            paper: self.args.paper.unwrap_or_default(),
        };
        let doc = plan::document(&ctx, &target);
        let (compiled, scale) = if doc.kind.is_one_page() {
            match fit::fit(&p.backend, &doc, &p.assessment.assets, pages) {
                Ok(v) => v,
                Err(fit::Failure::Errors(d)) => return Err(d),
                Err(fit::Failure::Overflow(o)) => {
                    return Err(vec![Diagnostic::error(format!(
                        "`{}` does not fit on one page: even at {:.0}% text size it overflows by about {:.0} mm",
                        id.0,
                        o.scale * 100.0,
                        o.overflow_mm.max(1.0)
                    ))
                    .hint("`deca build` names the field to shorten")]);
                }
            }
        } else {
            (p.backend.compile(&doc, &p.assessment.assets, pages)?, 1.0)
        };
        let pdf = p.backend.export(&compiled.doc, &id.0)?;
        let texts = crate::render::typst::page_texts(&compiled.doc);
        let mut fitted = doc;
        fitted.scale = scale;
        let at = self
            .prepared
            .iter()
            .position(|x| std::ptr::eq(x, p))
            .unwrap_or(0);
        Ok(Rendered {
            pdf,
            doc: Arc::new(compiled.doc),
            texts,
            scale,
            warnings: compiled.warnings,
            fitted,
            pages: pages.cloned(),
            at,
        })
    }

    /// The Word file of a compiled document, made when asked for.
    pub fn docx(&self, r: &Rendered) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let p = &self.prepared[r.at];
        crate::render::docx::render(
            &r.fitted,
            &p.backend,
            &p.assessment.assets,
            &p.reference,
            r.pages.as_ref(),
        )
    }

    /// The folders to watch: the data, and every templates folder that applies.
    pub fn watched(args: &BuildArgs) -> Vec<PathBuf> {
        let mut out = vec![args.dir.clone()];
        if let Some(t) = &args.templates {
            out.push(t.clone());
        }
        if let Some(r) = &args.reference_docx {
            out.push(r.clone());
        }
        for d in crate::source::assessment_dirs(&args.dir).unwrap_or_default() {
            if let Some(parent) = d.parent() {
                out.push(parent.join("templates"));
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// A page drawn as PNG, `zoom` pixels per point.
pub fn page_png(doc: &PagedDocument, index: usize, zoom: f64) -> Option<Vec<u8>> {
    let page = doc.pages().get(index)?;
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(zoom),
        ..Default::default()
    };
    typst_render::render(page, &options).encode_png().ok()
}
