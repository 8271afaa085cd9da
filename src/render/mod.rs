//! The renderer seam: every output format is a [`Renderer`] over the same IR document and a
//! [`Context`]. The context carries the assessment's images and, explicitly, what one backend
//! needs from another: the report's page map (pages that references print) and the layout
//! facts of the Typst edition (page count, the scale a one-pager was fitted at). Pictures for
//! formats that cannot draw charts themselves come from a [`Raster`].
//!
//! Adding a format is a new module implementing `Renderer` and one line in [`renderer`].

pub mod docx;
pub(crate) mod outline_open;
pub mod typst;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::diag::{DResult, Diagnostic};
use crate::edition::{Kind, OutputFormat};
use crate::ir;

/// The page of each anchor of a document (`finding-x` → 12).
pub type PageMap = HashMap<String, usize>;

/// What the Typst layout of a document says, for the build and for other backends.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// How many pages the document has.
    pub pages: usize,
    /// The text scale the document was set at (below 1.0 when shrunk to fit one page, above when grown to
    /// fill it).
    pub scale: f64,
    /// Page of each labelled anchor (`finding-x`, `recommendation-y`).
    pub anchors: PageMap,
}

/// A picture a format embeds in place of a chart or an image it cannot draw itself.
#[derive(Debug, Clone, PartialEq)]
pub struct Png {
    /// The PNG file's bytes.
    pub bytes: Vec<u8>,
    /// Width to place it at, in points.
    pub width_pt: f64,
    /// Height to place it at, in points.
    pub height_pt: f64,
}

/// Rasterises charts and images, the same pictures as the PDF shows.
pub trait Raster: Sync {
    /// A chart of `doc` (its theme, language and labels) as PNG.
    fn chart(&self, doc: &ir::Document, chart: &ir::Chart) -> DResult<Arc<Png>>;
    /// An image file served under `path` (`/assets/logo.svg`) as PNG at its natural size.
    fn image(&self, path: &str) -> DResult<Arc<Png>>;
}

/// Everything a renderer is given besides the document.
pub struct Context<'a> {
    /// Where the file goes, `peru/en/brief-integrity`: the PDF's identifier.
    pub ident: &'a str,
    /// The document's IR as JSON, serialised once for every backend that reads JSON.
    pub ir_json: &'a [u8],
    /// The report's page map for a document that cites report pages; for the report itself,
    /// its own (from `layout`).
    pub report_pages: Option<&'a PageMap>,
    /// The Typst layout of this document, when another renderer made it or it was asked for.
    pub layout: Option<&'a Layout>,
    /// Draws the charts and images a format cannot draw itself.
    pub raster: &'a dyn Raster,
    /// For a one-page document: the scale it was fitted at before with the same inputs (the
    /// build's fit cache). A renderer that fits tries it first; others ignore it.
    pub fit_hint: Option<f64>,
}

/// A rendered file.
pub struct Rendered {
    /// The file's contents.
    pub bytes: Vec<u8>,
    /// The layout, when this renderer laid the document out (the PDF renderer does).
    pub layout: Option<Layout>,
    /// Problems worth reporting that did not stop the file.
    pub warnings: Vec<Diagnostic>,
    /// Standards the file claims, e.g. `PDF/UA-1`, `ISO/IEC 29500 (transitional)`.
    pub standards: Vec<String>,
}

/// Why a renderer made no file.
#[derive(Debug)]
pub enum Failure {
    /// Errors from the templates, the data or the export.
    Errors(Vec<Diagnostic>),
    /// A one-page document does not fit even at the smallest text size.
    Overflow {
        /// How far past the page the content ran at the smallest scale.
        overflow: typst::fit::Overflow,
        /// Warnings from the last attempt.
        warnings: Vec<Diagnostic>,
    },
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(d: Vec<Diagnostic>) -> Failure {
        Failure::Errors(d)
    }
}

impl From<typst::Failure> for Failure {
    fn from(f: typst::Failure) -> Failure {
        match f {
            typst::Failure::Errors(d) => Failure::Errors(d),
            typst::Failure::Overflow { overflow, warnings } => {
                Failure::Overflow { overflow, warnings }
            }
        }
    }
}

/// One output format.
pub trait Renderer: Send + Sync {
    /// The format this renderer makes.
    fn format(&self) -> OutputFormat;
    /// Whether rendering a document of `kind` needs its Typst layout in the context (the
    /// fit scale of a one-pager, the report's own page numbers).
    fn needs_layout(&self, kind: Kind) -> bool;
    /// Renders a document.
    fn render(&self, doc: &ir::Document, cx: &Context) -> Result<Rendered, Failure>;
}

/// What renderers of one assessment share.
pub struct Env {
    /// The Typst compiler (in process or worker processes) every format lays out with.
    pub typst: Arc<typst::Typst>,
    /// The assessment's templates, images, date and PDF standards, which `typst` compiles with.
    pub session: Arc<typst::Session>,
    /// The reference Word document.
    pub reference: Arc<docx::Reference>,
    /// The moment files are dated with, `2022-09-30T00:00:00Z`.
    pub created: String,
}

/// The renderer of a format: the one place formats are registered.
pub fn renderer(format: OutputFormat, env: &Env) -> Box<dyn Renderer> {
    match format {
        OutputFormat::Pdf => Box::new(typst::PdfRenderer::new(env)),
        OutputFormat::Docx => Box::new(docx::DocxRenderer::new(env)),
    }
}

/// The renderers of a list of formats, in the order given.
pub fn renderers(formats: &[OutputFormat], env: &Env) -> BTreeMap<OutputFormat, Box<dyn Renderer>> {
    formats.iter().map(|f| (*f, renderer(*f, env))).collect()
}
