//! Running one job where Typst runs (a worker process, or the build itself when compiling in
//! process): compile the document, fit it to one page where its kind requires, export the PDF,
//! render page images, and say what came out.

use std::collections::HashMap;
use std::sync::Arc;

use typst::foundations::{Bytes, Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use super::fit::{self, Fit, FitError};
use super::protocol::{
    ImageFormat, Job, JobFailure, JobOutput, PageImage, SessionSpec, WireDiagnostic,
};
use super::world::{DecaWorld, Inputs, Shared};
use crate::templates::{Origin, TemplateFile, TemplateSet};

/// A session made ready to compile: the world's shared parts, images, date and standards.
pub(super) struct Session {
    shared: Arc<Shared>,
    assets: Arc<HashMap<String, Bytes>>,
    today: Datetime,
    timestamp: Timestamp,
    standards: Vec<PdfStandard>,
}

impl Session {
    /// Builds a session from its description.
    pub(super) fn new(spec: &SessionSpec) -> Result<Session, String> {
        let mut templates = TemplateSet::builtin();
        for path in &spec.removed {
            templates.files.remove(path);
        }
        for (path, bytes) in &spec.overrides {
            templates.files.insert(
                path.clone(),
                TemplateFile {
                    bytes: Arc::from(bytes.as_slice()),
                    origin: Origin::Override {
                        layer: String::new(),
                        path: path.into(),
                    },
                },
            );
        }
        let (y, m, d) = spec.today;
        let today = Datetime::from_ymd(y, m, d).ok_or("invalid date")?;
        let (y, mo, d, h, mi, s) = spec.timestamp;
        let moment = Datetime::from_ymd_hms(y, mo, d, h, mi, s).ok_or("invalid timestamp")?;
        let standards = spec
            .standards
            .iter()
            .map(|s| standard(s).ok_or_else(|| format!("unknown PDF standard `{s}`")))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Session {
            shared: Arc::new(Shared::new(templates)),
            assets: Arc::new(
                spec.assets
                    .iter()
                    .map(|(p, b)| (p.clone(), Bytes::new(b.clone())))
                    .collect(),
            ),
            today,
            timestamp: Timestamp::new_utc(moment),
            standards,
        })
    }
}

/// Typst's standard for one of deca's names.
pub(super) fn standard(name: &str) -> Option<PdfStandard> {
    Some(match name {
        "ua-1" => PdfStandard::Ua_1,
        "a-2b" => PdfStandard::A_2b,
        "a-2a" => PdfStandard::A_2a,
        "a-2u" => PdfStandard::A_2u,
        "a-3b" => PdfStandard::A_3b,
        _ => return None,
    })
}

/// A compiled document and its warnings.
struct Compiled {
    doc: PagedDocument,
    warnings: Vec<WireDiagnostic>,
}

fn compile(
    session: &Session,
    main: &str,
    ir: Bytes,
    pages: &Bytes,
) -> Result<Compiled, Vec<WireDiagnostic>> {
    let world = DecaWorld::new(
        session.shared.clone(),
        main,
        Inputs {
            ir,
            pages: pages.clone(),
            assets: session.assets.clone(),
        },
        session.today,
    );
    let result = typst::compile::<PagedDocument>(&world);
    let warnings = super::diagnostics::to_wire(&world, &result.warnings);
    match result.output {
        Ok(doc) => Ok(Compiled { doc, warnings }),
        Err(errors) => {
            let mut all = super::diagnostics::to_wire(&world, &errors);
            all.extend(warnings);
            Err(all)
        }
    }
}

/// The IR with its `scale` set, for fitting.
fn with_scale(ir: &serde_json::Value, scale: f64) -> Bytes {
    let mut v = ir.clone();
    v["scale"] = serde_json::json!(scale);
    Bytes::new(serde_json::to_vec(&v).expect("IR JSON serializes"))
}

fn error(message: impl Into<String>) -> WireDiagnostic {
    WireDiagnostic {
        error: true,
        message: message.into(),
        hints: Vec::new(),
        span: None,
    }
}

/// Runs one job.
pub(super) fn execute(session: &Session, job: &Job) -> Result<JobOutput, JobFailure> {
    execute_keeping(session, job).map(|(out, _)| out)
}

/// Runs one job and keeps the laid-out document (for previews that draw pages on demand).
pub(super) fn execute_keeping(
    session: &Session,
    job: &Job,
) -> Result<(JobOutput, PagedDocument), JobFailure> {
    let pages = Bytes::new(job.pages.clone());
    let read_ir = || -> Result<serde_json::Value, JobFailure> {
        serde_json::from_slice(&job.ir)
            .map_err(|e| JobFailure::Errors(vec![error(format!("failed to read the IR ({e})"))]))
    };
    let (compiled, scale, compiles, mut notes) = match job.fit {
        Fit::Closing => {
            let ir = read_ir()?;
            let (c, scale, compiles) = fit::closing::settle(
                job.fit_hint,
                |s| compile(session, &job.main, with_scale(&ir, s), &pages),
                |c| fit::closing::alone(&c.doc),
            )
            .map_err(JobFailure::Errors)?;
            (c, scale, compiles, Vec::new())
        }
        Fit::OnePage => {
            let ir = read_ir()?;
            let fitted = fit::fit(
                job.fit_hint,
                |s| compile(session, &job.main, with_scale(&ir, s), &pages),
                |c| &c.doc,
            );
            match fitted {
                Ok(f) => {
                    let mut notes = Vec::new();
                    if f.unmeasured {
                        notes.push(WireDiagnostic {
                        error: false,
                        message: format!(
                            "template `{}` lacks the `<deca-layout>` or `end` field marker, so deca tries every text size in turn and cannot say by how much a page overflows",
                            job.main
                        ),
                        hints: vec![
                            "see the marker contract in the README's template section".into(),
                        ],
                        span: None,
                    });
                    }
                    (f.compiled, f.scale, f.compiles, notes)
                }
                Err(FitError::Compile(errors)) => return Err(JobFailure::Errors(errors)),
                Err(FitError::Overflow(overflow, compiles)) => {
                    return Err(JobFailure::Overflow {
                        overflow,
                        warnings: Vec::new(),
                        compiles,
                    });
                }
            }
        }
        Fit::None => {
            let c = compile(session, &job.main, Bytes::new(job.ir.clone()), &pages)
                .map_err(JobFailure::Errors)?;
            (c, 1.0, 1, Vec::new())
        }
    };
    let mut warnings = compiled.warnings;
    warnings.append(&mut notes);
    let pdf = match &job.pdf {
        Some(ident) => Some(export(session, &compiled.doc, ident).map_err(|mut e| {
            e.extend(warnings.iter().cloned());
            JobFailure::Errors(e)
        })?),
        None => None,
    };
    let images = match job.images {
        Some(format) => images(&compiled.doc, format).map_err(|e| JobFailure::Errors(vec![e]))?,
        None => Vec::new(),
    };
    let out = JobOutput {
        pdf,
        pages: compiled.doc.pages().len(),
        scale,
        anchors: anchors(&compiled.doc),
        warnings,
        images,
        compiles,
    };
    Ok((out, compiled.doc))
}

/// Exports a compiled document as PDF with the session's standards.
fn export(
    session: &Session,
    doc: &PagedDocument,
    ident: &str,
) -> Result<Vec<u8>, Vec<WireDiagnostic>> {
    let standards = PdfStandards::new(&session.standards).map_err(|e| {
        vec![error(format!(
            "failed to combine PDF standards ({})",
            e.message()
        ))]
    })?;
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        creator: Smart::Custom(Some(format!("deca {}", env!("CARGO_PKG_VERSION")))),
        timestamp: Some(session.timestamp),
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(doc, &options).map_err(|errors| {
        errors
            .iter()
            .map(|e| WireDiagnostic {
                error: true,
                message: format!("failed to export PDF ({})", e.message),
                hints: e
                    .hints
                    .first()
                    .map(|h| h.v.to_string())
                    .into_iter()
                    .collect(),
                span: None,
            })
            .collect::<Vec<_>>()
    })?;
    // Readers open the document with its bookmarks shown: long reports are navigated by them.
    crate::render::outline_open::show_outline(&pdf).map_err(|e| {
        vec![error(format!(
            "failed to make the PDF open with its bookmarks shown ({})",
            e.0
        ))]
    })
}

/// Every page as an image.
fn images(doc: &PagedDocument, format: ImageFormat) -> Result<Vec<PageImage>, WireDiagnostic> {
    doc.pages()
        .iter()
        .map(|page| {
            let size = page.frame.size();
            let bytes = match format {
                ImageFormat::Svg => {
                    typst_svg::svg(page, &typst_svg::SvgOptions::default()).into_bytes()
                }
                ImageFormat::Png { pixel_per_pt } => {
                    let options = typst_render::RenderOptions {
                        pixel_per_pt: typst::utils::Scalar::new(f64::from(pixel_per_pt)),
                        ..Default::default()
                    };
                    let pixmap = typst_render::render(page, &options);
                    let (w, h) = (pixmap.width(), pixmap.height());
                    encode_png(w, h, &pixmap.take_demultiplied())
                        .map_err(|e| error(format!("failed to encode PNG ({e})")))?
                }
            };
            Ok(PageImage {
                bytes,
                width_pt: size.x.to_pt(),
                height_pt: size.y.to_pt(),
            })
        })
        .collect()
}

/// PNG compression for page images. Chosen by measurement on the bundled charts (see the
/// README's Performance section): `Fast` (fdeflate) takes a fraction of `Balanced`'s time for
/// files a little larger.
const PNG_COMPRESSION: png::Compression = png::Compression::Fast;

/// Encodes straight (not premultiplied) RGBA pixels as PNG.
pub fn encode_png(width: u32, height: u32, rgba: &[u8]) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(PNG_COMPRESSION);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgba)?;
    writer.finish()?;
    Ok(out)
}

/// Pages of every labelled element whose label is an anchor deca sets.
pub(super) fn anchors(doc: &PagedDocument) -> Vec<(String, usize)> {
    use typst::introspection::Introspector;
    let intro = doc.introspector();
    let mut out = std::collections::BTreeMap::new();
    for content in intro.query_labelled() {
        let (Some(label), Some(loc)) = (content.label(), content.location()) else {
            continue;
        };
        let name = label.resolve().to_string();
        if name.starts_with("deca-") {
            continue;
        }
        if let Some(page) = intro.page(loc) {
            out.entry(name).or_insert(page.get());
        }
    }
    out.into_iter().collect()
}

/// Lays a document out without exporting it.
pub(super) fn layout(
    session: &Session,
    main: &str,
    ir: &[u8],
    pages: &[u8],
) -> Result<PagedDocument, Vec<WireDiagnostic>> {
    compile(
        session,
        main,
        Bytes::new(ir.to_vec()),
        &Bytes::new(pages.to_vec()),
    )
    .map(|c| c.doc)
}
