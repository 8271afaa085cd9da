//! The preview's one seam to the build: load the assessments the way `deca build` does, and
//! compile one document into its PDF, its page images and text (from that same compile) and,
//! on request, its DOCX.
//!
//! Loading is the build's own preparation (`build::prepare`: data, templates, locales,
//! reference document and its paper, the documents' date, glyph coverage), so a preview shows
//! what `deca build` would make; compiling keeps the layout to draw pages from.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use typst_layout::PagedDocument;

use crate::cli::BuildArgs;
use crate::diag::{DResult, Diagnostic};
use crate::edition::Kind;
use crate::plan::{self, Ctx, Target};
use crate::render::typst::{self as engine, PageMap, RasterCache, Request, Typst, TypstRaster};

use crate::build::Prepared;

/// Everything loaded from the data and templates at one moment.
pub(super) struct Session {
    prepared: Vec<Prepared>,
    args: BuildArgs,
    /// Compiles in this process, keeping each layout to draw pages from.
    typst: Arc<Typst>,
    pictures: Arc<RasterCache>,
    /// Warnings found while loading, shown above every document.
    pub warnings: Vec<Diagnostic>,
}

/// A document in the list: `peru/en/onepager-rural-access`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub(super) struct DocId(pub String);

/// What the list shows for one document.
#[derive(Debug, Clone, serde::Serialize)]
pub(super) struct Listed {
    pub id: DocId,
    pub assessment: String,
    pub lang: String,
    pub kind: &'static str,
    pub title: String,
}

/// One compiled document.
pub(super) struct Rendered {
    pub pdf: Vec<u8>,
    /// The laid-out pages, kept to draw page images on request.
    pub doc: Arc<PagedDocument>,
    /// Each page's text, from the same layout.
    pub texts: Vec<String>,
    /// Below 1.0 when a one-page document was shrunk to fit, above when grown to fill its page.
    pub scale: f64,
    pub warnings: Vec<Diagnostic>,
    /// What the DOCX is made from: the IR (at the PDF's scale where the Word file takes it)
    /// and the report's page map.
    fitted: crate::ir::Document,
    pages: Option<PageMap>,
    at: usize,
}

impl Session {
    /// Loads every assessment `args` names; every problem found, or the session.
    pub(super) fn load(args: &BuildArgs) -> DResult<Session> {
        let mut warnings = Vec::new();
        // A failure carries the warnings found before it.
        let prepared = crate::build::prepare(args, &mut warnings).map_err(|f| f.diagnostics)?;
        Ok(Session {
            prepared,
            args: args.clone(),
            typst: Arc::new(Typst::in_process(Duration::from_secs(args.timeout.max(1)))),
            pictures: Arc::new(RasterCache::new()),
            warnings,
        })
    }

    /// The documents, in build order per assessment and language, as far as the selection
    /// flags allow.
    pub(super) fn list(&self) -> Vec<Listed> {
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
                    paper: p.paper,
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
    pub(super) fn report_pages(&self, id: &DocId) -> DResult<Option<PageMap>> {
        let Some((p, lang, target)) = self.find(id) else {
            return Ok(None);
        };
        if target.kind == Kind::Report {
            return Ok(None);
        }
        let ctx = Ctx {
            a: &p.assessment,
            locale: &p.locales[&lang],
            paper: p.paper,
        };
        let report = plan::document(
            &ctx,
            &Target {
                kind: Kind::Report,
                item: None,
            },
        );
        let ir = serde_json::to_vec(&report).expect("IR serializes");
        let request = Request {
            main: engine::main_template(Kind::Report),
            ir: &ir,
            pages: None,
            fit: engine::fit::Fit::None,
            fit_hint: None,
            pdf: None,
            images: None,
            document: None,
        };
        let (out, _) = self
            .typst
            .run_local(&p.session, &request)
            .map_err(failure)?;
        Ok(Some(out.layout.anchors))
    }

    /// Compiles one document; `pages` is the report's page map (`report_pages`).
    pub(super) fn document(&self, id: &DocId, pages: Option<&PageMap>) -> DResult<Rendered> {
        let Some((p, lang, target)) = self.find(id) else {
            return Err(vec![Diagnostic::error(format!(
                "no document `{}` in this preview",
                id.0
            ))]);
        };
        let ctx = Ctx {
            a: &p.assessment,
            locale: &p.locales[&lang],
            paper: p.paper,
        };
        let doc = plan::document(&ctx, &target);
        let ir = serde_json::to_vec(&doc).expect("IR serializes");
        let request = Request {
            main: engine::main_template(doc.kind),
            ir: &ir,
            pages,
            fit: engine::fit::Fit::of(doc.kind),
            fit_hint: None,
            pdf: Some(id.0.clone()),
            images: None,
            document: None,
        };
        let (out, laid_out) = match self.typst.run_local(&p.session, &request) {
            Ok(v) => v,
            Err(engine::Failure::Errors(d)) => return Err(d),
            Err(engine::Failure::Overflow { overflow: o, .. }) => {
                return Err(vec![Diagnostic::error(format!(
                    "`{}` does not fit on one page: even at {:.0}% text size it overflows by about {:.0} mm",
                    id.0,
                    o.scale * 100.0,
                    o.overflow_mm.unwrap_or(0.0).max(1.0)
                ))
                .hint("`deca build` names the field to shorten")]);
            }
        };
        let scale = out.layout.scale;
        let pdf = out.pdf.unwrap_or_default();
        let texts = crate::render::typst::page_texts(&laid_out);
        let mut fitted = doc;
        if crate::render::docx::takes_pdf_scale(fitted.kind) {
            fitted.scale = scale;
        }
        let at = self
            .prepared
            .iter()
            .position(|x| std::ptr::eq(x, p))
            .unwrap_or(0);
        Ok(Rendered {
            pdf,
            doc: Arc::new(laid_out),
            texts,
            scale,
            warnings: out.warnings,
            fitted,
            pages: pages.cloned(),
            at,
        })
    }

    /// The Word file of a compiled document, made when asked for.
    pub(super) fn docx(&self, r: &Rendered) -> DResult<Vec<u8>> {
        let p = &self.prepared[r.at];
        let raster = TypstRaster {
            typst: self.typst.clone(),
            session: p.session.clone(),
            cache: self.pictures.clone(),
        };
        crate::render::docx::render(
            &r.fitted,
            &raster,
            &p.reference,
            r.pages.as_ref(),
            &p.created,
        )
    }

    /// The folders to watch: the data, and every templates folder that applies.
    pub(super) fn watched(args: &BuildArgs) -> Vec<PathBuf> {
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

/// A failed compile's diagnostics.
fn failure(f: engine::Failure) -> Vec<Diagnostic> {
    match f {
        engine::Failure::Errors(d) => d,
        engine::Failure::Overflow { warnings, .. } => warnings,
    }
}

/// A page drawn as PNG, `zoom` pixels per point.
pub(super) fn page_png(doc: &PagedDocument, index: usize, zoom: f64) -> Option<Vec<u8>> {
    let page = doc.pages().get(index)?;
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(zoom),
        ..Default::default()
    };
    typst_render::render(page, &options).encode_png().ok()
}
