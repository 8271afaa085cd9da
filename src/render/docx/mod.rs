//! The DOCX backend: the same IR as the PDF, written as WordprocessingML and styled by a
//! reference Word document merged at the zip and XML level.
//!
//! Leaf modules first: `xml` (escaping, units), `color`, `geometry` (the page in twips),
//! `raster` (pictures from the Typst backend); then `body` (IR → body XML), `styles`,
//! `placeholders`, `direction`, `reference` (reading a user's reference safely) and `package`
//! (assembling the parts). No module imports one that imports it back.

mod body;
mod color;
mod direction;
mod fit;
mod geometry;
mod package;
pub mod placeholders;
mod raster;
pub mod reference;
mod styles;
mod xml;

use std::sync::Arc;

use crate::diag::{DResult, Diagnostic};
use crate::edition::{Kind, OutputFormat, Paper};
use crate::ir;
use crate::render::{Context, Env, Failure, PageMap, Raster, Rendered, Renderer};

pub use body::{STYLES, bookmark_name};
pub use reference::Reference;
pub use styles::WORD_INTERNAL;

/// Whether a Word file of this kind takes the text scale its PDF was set at: one-page kinds
/// do (Word then fits them, no larger than the PDF); a brief's Word file is not set smaller
/// with its PDF (Word lays it out and keeps its small print with the last source instead).
pub fn takes_pdf_scale(kind: Kind) -> bool {
    kind.is_one_page()
}

/// The built-in reference document, parsed.
pub fn builtin_reference() -> Reference {
    reference::read(crate::templates::REFERENCE_DOCX, "(built-in)", true)
        .expect("the built-in reference document is valid")
}

/// The paper of a reference document's page, when it is one deca knows: the PDF twin of a
/// Word file on a Letter letterhead is Letter too.
pub fn reference_paper(reference: &Reference) -> Option<Paper> {
    if reference.builtin {
        return None;
    }
    geometry::Geometry::from_section(&reference.section()?)?.paper()
}

/// Warnings about a reference document, given once per build: the styles it lacks.
pub fn reference_warnings(reference: &Reference) -> Vec<Diagnostic> {
    if reference.builtin {
        return Vec::new();
    }
    let styles = reference
        .part_of_kind("styles")
        .and_then(|p| reference.text(&p));
    let hint = "`deca templates export DIR` writes the built-in reference document, with every style deca uses, to start from";
    let mut warnings: Vec<Diagnostic> = reference.sanitized_warning().into_iter().collect();
    warnings.extend(match styles {
        None => vec![
            Diagnostic::warning(format!(
                "the reference document {} has no styles; the built-in styles are used",
                reference.shown
            ))
            .hint(hint),
        ],
        Some(s) => {
            let missing = styles::missing(&s);
            if missing.is_empty() {
                return warnings;
            }
            let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
            vec![
                Diagnostic::warning(format!(
                    "the reference document {} lacks {} style{} deca uses ({}); the built-in ones are used",
                    reference.shown,
                    missing.len(),
                    if missing.len() == 1 { "" } else { "s" },
                    list.join(", ")
                ))
                .hint(format!("add styles with these ids to it to control their look; {hint}")),
            ]
        }
    });
    warnings
}

/// Renders an IR document as a Word file. `report_pages` gives the page of each anchor in the
/// PDF report of the same language (the report's own, for the report): references print it.
/// `created` dates the file (`2022-09-30T00:00:00Z`).
pub fn render(
    doc: &ir::Document,
    raster: &dyn Raster,
    reference: &Reference,
    report_pages: Option<&PageMap>,
    created: &str,
) -> DResult<Vec<u8>> {
    let geo = if reference.builtin {
        geometry::Geometry::from_ir(&doc.page)
    } else {
        reference
            .section()
            .and_then(|s| geometry::Geometry::from_section(&s))
            .unwrap_or_else(|| geometry::Geometry::from_ir(&doc.page))
    };
    let raster = raster::Raster { inner: raster, doc };
    let body = body::build(doc, geo, &raster, report_pages)?;
    let builtin = builtin_reference();
    package::assemble(doc, body, reference, &builtin, &geo, created)
}

/// The DOCX renderer: the reference document's styles, the PDF's fit scale for one-page
/// kinds, and the report's page numbers.
pub struct DocxRenderer {
    reference: Arc<Reference>,
    created: String,
}

impl DocxRenderer {
    /// A Word renderer using the environment's reference document and file date.
    pub fn new(env: &Env) -> DocxRenderer {
        DocxRenderer {
            reference: env.reference.clone(),
            created: env.created.clone(),
        }
    }
}

impl Renderer for DocxRenderer {
    fn format(&self) -> OutputFormat {
        OutputFormat::Docx
    }

    fn needs_layout(&self, kind: Kind) -> bool {
        // One-pagers take the PDF's fit scale; the report prints its own page numbers.
        kind.is_one_page() || kind == Kind::Report
    }

    fn render(&self, doc: &ir::Document, cx: &Context) -> Result<Rendered, Failure> {
        let fitted;
        let doc = match cx.layout {
            Some(l) if takes_pdf_scale(doc.kind) && l.scale != doc.scale => {
                fitted = ir::Document {
                    scale: l.scale,
                    ..doc.clone()
                };
                &fitted
            }
            _ => doc,
        };
        let pages = if doc.kind == Kind::Report {
            cx.layout.map(|l| &l.anchors)
        } else {
            cx.report_pages
        };
        let bytes = render(doc, cx.raster, &self.reference, pages, &self.created)?;
        Ok(Rendered {
            bytes,
            layout: None,
            warnings: Vec::new(),
            standards: vec!["ISO/IEC 29500 (transitional)".to_string()],
        })
    }
}
