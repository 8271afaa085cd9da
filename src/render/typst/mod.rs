//! The Typst backend: IR → JSON → templates → PDF (and PNG for charts in Word files).
//!
//! A document is compiled in its own world (see `world`), on a worker thread with a time limit
//! so a runaway template cannot hang a build. One-pagers and the overview are fitted to one
//! page by shrinking text in steps down to a floor (see `fit`).

mod diagnostics;
pub mod fit;
pub mod world;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::Duration;

use typst::foundations::{Bytes, Datetime, Smart};
use typst::introspection::Introspector;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::diag::Diagnostic;
use crate::ir;
use world::{DecaWorld, Shared};

pub use diagnostics::convert as convert_diagnostics;

/// The page of each anchor of a document (`finding-x` → 12).
pub type PageMap = HashMap<String, usize>;

/// A page rendered to PNG, with its size in points.
pub struct Png {
    pub bytes: Vec<u8>,
    pub width_pt: f64,
    pub height_pt: f64,
}

/// Settings shared by every Typst compilation of a build.
#[derive(Clone)]
pub struct Backend {
    pub shared: Arc<Shared>,
    /// The date `datetime.today()` returns and the PDF creation date: fixed for determinism.
    pub today: Datetime,
    pub timestamp: Timestamp,
    /// The same moment for Word files' core properties, `2022-09-30T00:00:00Z`.
    pub created: String,
    /// Longest a single compilation may run.
    pub timeout: Duration,
    pub standards: Vec<PdfStandard>,
}

/// A compiled document.
pub struct Compiled {
    pub doc: PagedDocument,
    pub warnings: Vec<Diagnostic>,
}

/// A PDF and what the build needs to know about it.
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Page of each labelled anchor (`finding-x`, `recommendation-y`).
    pub anchors: PageMap,
    pub warnings: Vec<Diagnostic>,
    /// The text scale the document was set at (below 1.0 when shrunk to fit).
    pub scale: f64,
}

/// The template that lays out a kind.
pub fn main_template(kind: crate::edition::Kind) -> String {
    format!("typst/{}.typ", kind.name())
}

impl Backend {
    /// Compiles `main` (a template path) with `json` served as `/ir.json` and the report's page
    /// map (anchor → page) as `/pages.json`.
    pub fn compile_with(
        &self,
        main: &str,
        json: Vec<u8>,
        assets: &BTreeMap<String, Vec<u8>>,
        pages: Option<&PageMap>,
    ) -> Result<Compiled, Vec<Diagnostic>> {
        let mut extra = HashMap::new();
        extra.insert("/ir.json".to_string(), Bytes::new(json));
        let pages = match pages {
            Some(p) => serde_json::to_vec(&p.iter().collect::<BTreeMap<_, _>>())
                .expect("a page map serializes"),
            None => b"{}".to_vec(),
        };
        extra.insert("/pages.json".to_string(), Bytes::new(pages));
        for (path, bytes) in assets {
            extra.insert(format!("/assets/{path}"), Bytes::new(bytes.clone()));
        }
        let world = DecaWorld::new(self.shared.clone(), main, extra, self.today);
        let (tx, rx) = mpsc::channel();
        let handle = std::thread::Builder::new()
            .name("typst".into())
            .stack_size(64 * 1024 * 1024)
            .spawn(move || {
                let result = typst::compile::<PagedDocument>(&world);
                let warnings = convert_diagnostics(&world, &result.warnings);
                let out = match result.output {
                    Ok(doc) => Ok(Compiled { doc, warnings }),
                    Err(errors) => {
                        let mut all = convert_diagnostics(&world, &errors);
                        all.extend(warnings);
                        Err(all)
                    }
                };
                let _ = tx.send(out);
            })
            .map_err(|e| {
                vec![Diagnostic::error(format!(
                    "failed to start the Typst compiler ({e})"
                ))]
            })?;
        match rx.recv_timeout(self.timeout) {
            Ok(result) => {
                let _ = handle.join();
                result
            }
            Err(mpsc::RecvTimeoutError::Timeout) => Err(vec![
                Diagnostic::error(format!(
                    "template `{main}` ran longer than the time limit ({} s) and was stopped",
                    self.timeout.as_secs()
                ))
                .hint("look for an endless loop or runaway recursion in the template; `--timeout SECONDS` raises the limit"),
            ]),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(vec![Diagnostic::error(format!(
                "the Typst compiler stopped unexpectedly on `{main}`"
            ))]),
        }
    }

    /// Compiles an IR document with its kind's template; `pages` is the page map of the report
    /// its references point into.
    pub fn compile(
        &self,
        doc: &ir::Document,
        assets: &BTreeMap<String, Vec<u8>>,
        pages: Option<&PageMap>,
    ) -> Result<Compiled, Vec<Diagnostic>> {
        let json = serde_json::to_vec(doc).expect("IR serializes to JSON");
        self.compile_with(&main_template(doc.kind), json, assets, pages)
    }

    /// Exports a compiled document as PDF with the configured standards.
    pub fn export(&self, doc: &PagedDocument, ident: &str) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let standards = PdfStandards::new(&self.standards).map_err(|e| {
            vec![Diagnostic::error(format!(
                "failed to combine PDF standards ({})",
                e.message()
            ))]
        })?;
        let options = PdfOptions {
            ident: Smart::Custom(ident.to_string()),
            creator: Smart::Custom(Some(format!("deca {}", env!("CARGO_PKG_VERSION")))),
            timestamp: Some(self.timestamp),
            standards,
            tagged: true,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(doc, &options).map_err(|errors| {
            errors
                .iter()
                .map(|e| {
                    let mut d = Diagnostic::error(format!("failed to export PDF ({})", e.message));
                    if let Some(h) = e.hints.first() {
                        d = d.hint(h.v.to_string());
                    }
                    d
                })
                .collect()
        })
    }

    /// Compiles (fitting to one page where the kind requires it) and exports a document.
    pub fn pdf(
        &self,
        doc: &ir::Document,
        assets: &BTreeMap<String, Vec<u8>>,
        pages: Option<&PageMap>,
        ident: &str,
    ) -> Result<Pdf, fit::Failure> {
        let (compiled, scale) = if doc.kind.is_one_page() {
            fit::fit(self, doc, assets, pages)?
        } else {
            (
                self.compile(doc, assets, pages)
                    .map_err(fit::Failure::Errors)?,
                1.0,
            )
        };
        let bytes = self
            .export(&compiled.doc, ident)
            .map_err(fit::Failure::Errors)?;
        Ok(Pdf {
            bytes,
            pages: compiled.doc.pages().len(),
            anchors: anchors(&compiled.doc),
            warnings: compiled.warnings,
            scale,
        })
    }

    /// Renders a chart alone to PNG (for Word files), with the same template as the PDF.
    pub fn chart_png(
        &self,
        figure: &serde_json::Value,
        assets: &BTreeMap<String, Vec<u8>>,
    ) -> Result<Png, Vec<Diagnostic>> {
        let json = serde_json::to_vec(figure).expect("chart serializes");
        let compiled = self.compile_with("typst/chart-image.typ", json, assets, None)?;
        let page = compiled
            .doc
            .pages()
            .first()
            .ok_or_else(|| vec![Diagnostic::error("chart template produced no page")])?;
        let size = page.frame.size();
        let options = typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new(3.0),
            ..Default::default()
        };
        let pixmap = typst_render::render(page, &options);
        let png = pixmap.encode_png().map_err(|e| {
            vec![Diagnostic::error(format!(
                "failed to encode chart PNG ({e})"
            ))]
        })?;
        Ok(Png {
            bytes: png,
            width_pt: size.x.to_pt(),
            height_pt: size.y.to_pt(),
        })
    }
}

impl Backend {
    /// Renders an image file (PNG, JPEG or SVG) to PNG at its natural size, for Word files.
    pub fn image_png(
        &self,
        _doc: &ir::Document,
        path: &str,
        assets: &BTreeMap<String, Vec<u8>>,
    ) -> Result<Png, Vec<Diagnostic>> {
        let json =
            serde_json::to_vec(&serde_json::json!({ "image": path })).expect("request serializes");
        let compiled = self.compile_with("typst/image-png.typ", json, assets, None)?;
        let page = compiled.doc.pages().first().ok_or_else(|| {
            vec![Diagnostic::error(format!(
                "image `{path}` produced no page"
            ))]
        })?;
        let size = page.frame.size();
        let options = typst_render::RenderOptions {
            pixel_per_pt: typst::utils::Scalar::new(3.0),
            ..Default::default()
        };
        let png = typst_render::render(page, &options)
            .encode_png()
            .map_err(|e| {
                vec![Diagnostic::error(format!(
                    "failed to encode image PNG ({e})"
                ))]
            })?;
        Ok(Png {
            bytes: png,
            width_pt: size.x.to_pt(),
            height_pt: size.y.to_pt(),
        })
    }
}

/// Pages of every labelled element whose label is an anchor deca sets.
pub fn anchors(doc: &PagedDocument) -> PageMap {
    let intro = doc.introspector();
    let mut out = HashMap::new();
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
    out
}

/// The text of every page, for tests and parity checks: glyph runs in reading order.
pub fn page_texts(doc: &PagedDocument) -> Vec<String> {
    use typst::layout::{Frame, FrameItem};
    fn walk(frame: &Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, out),
                FrameItem::Text(t) => {
                    out.push_str(t.text.as_str());
                    out.push(' ');
                }
                _ => {}
            }
        }
    }
    doc.pages()
        .iter()
        .map(|p| {
            let mut s = String::new();
            walk(&p.frame, &mut s);
            s
        })
        .collect()
}
