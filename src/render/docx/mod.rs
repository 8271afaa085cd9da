//! The DOCX backend: the same IR as the PDF, written with docx-rs, styled by a reference Word
//! document merged at the zip and XML level.

mod body;
mod direction;
mod package;
pub mod placeholders;
pub mod reference;
mod styles;

use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::edition::{Kind, OutputFormat};
use crate::ir;
use crate::render::{Context, Env, Failure, PageMap, Raster, Rendered, Renderer};

pub use body::bookmark_name;
pub use reference::Reference;

/// The built-in reference document, parsed.
pub fn builtin_reference() -> Reference {
    reference::read(crate::templates::REFERENCE_DOCX, "(built-in)", true)
        .expect("the built-in reference document is valid")
}

/// Warnings about a reference document, given once per build: the styles it lacks.
pub fn reference_warnings(reference: &Reference) -> Vec<Diagnostic> {
    if reference.builtin {
        return Vec::new();
    }
    let sanitized = reference.sanitized_warning();
    let styles = reference
        .part_of_kind("styles")
        .and_then(|p| reference.text(&p));
    let mut warnings: Vec<Diagnostic> = sanitized.into_iter().collect();
    warnings.extend(match styles {
        None => vec![Diagnostic::warning(format!(
            "the reference document {} has no styles; the built-in styles are used",
            reference.shown
        ))],
        Some(s) => {
            let missing = styles::missing(&s);
            if missing.is_empty() {
                return Vec::new();
            }
            let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
            vec![Diagnostic::warning(format!(
                "the reference document {} lacks {} style{} deca uses ({}); the built-in ones are used",
                reference.shown,
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                list.join(", ")
            ))
            .hint("add styles with these ids to the reference document to control their look")]
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
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let body = body::build(doc, raster, report_pages)?;
    let builtin = builtin_reference();
    package::assemble(doc, body, reference, &builtin, created)
}

/// The DOCX renderer: the reference document's styles, the PDF's fit scale for one-page
/// kinds, and the report's page numbers.
pub struct DocxRenderer {
    reference: Arc<Reference>,
    created: String,
}

impl DocxRenderer {
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
            Some(l) if doc.kind.is_one_page() && l.scale != doc.scale => {
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
