//! The PDF renderer: one request to Typst per document, which also yields the layout facts
//! (pages, anchors, fit scale) that other renderers and the build use.

use std::sync::Arc;

use super::{Request, Session, Typst, main_template};
use crate::edition::{Kind, OutputFormat};
use crate::ir;
use crate::render::{Context, Env, Failure, Layout, PageMap, Rendered, Renderer};

/// Renders PDFs with the session's standards.
pub struct PdfRenderer {
    typst: Arc<Typst>,
    session: Arc<Session>,
}

impl PdfRenderer {
    /// A PDF renderer using the environment's Typst compiler and session.
    pub fn new(env: &Env) -> PdfRenderer {
        PdfRenderer {
            typst: env.typst.clone(),
            session: env.session.clone(),
        }
    }
}

/// The names of the standards a PDF claims, as the manifest lists them.
pub(crate) fn standard_names(standards: &[String]) -> Vec<String> {
    standards
        .iter()
        .map(|s| match s.as_str() {
            "ua-1" => "PDF/UA-1".to_string(),
            // `a-2a` → `PDF/A-2a`: the part is upper case, the conformance level lower.
            other => format!("PDF/{}{}", other[..1].to_uppercase(), &other[1..]),
        })
        .collect()
}

/// The page map a document is compiled with: the report cites its own pages by querying
/// them in the same compile, so it is given none.
fn served<'a>(doc: &ir::Document, report_pages: Option<&'a PageMap>) -> Option<&'a PageMap> {
    if doc.kind == Kind::Report {
        None
    } else {
        report_pages
    }
}

impl Renderer for PdfRenderer {
    fn format(&self) -> OutputFormat {
        OutputFormat::Pdf
    }

    fn needs_layout(&self, _kind: Kind) -> bool {
        false
    }

    fn render(&self, doc: &ir::Document, cx: &Context) -> Result<Rendered, Failure> {
        let out = self.typst.run(
            &self.session,
            &Request {
                main: main_template(doc.kind),
                ir: cx.ir_json,
                pages: served(doc, cx.report_pages),
                fit: super::fit::Fit::of(doc.kind),
                fit_hint: cx.fit_hint,
                pdf: Some(cx.ident.to_string()),
                images: None,
                document: Some(cx.ident.to_string()),
            },
        )?;
        Ok(Rendered {
            bytes: out.pdf.unwrap_or_default(),
            layout: Some(out.layout),
            warnings: out.warnings,
            standards: standard_names(self.session.standards()),
        })
    }
}

/// The Typst layout of a document without exporting it: what a DOCX needs when no PDF is
/// made (the fit scale, the report's page numbers), and the report's page map for others.
/// `fit_hint` is as in [`Context::fit_hint`].
pub(crate) fn layout(
    typst: &Typst,
    session: &Session,
    doc: &ir::Document,
    ir_json: &[u8],
    report_pages: Option<&PageMap>,
    fit_hint: Option<f64>,
) -> Result<(Layout, Vec<crate::diag::Diagnostic>), Failure> {
    let out = typst.run(
        session,
        &Request {
            main: main_template(doc.kind),
            ir: ir_json,
            pages: served(doc, report_pages),
            fit: super::fit::Fit::of(doc.kind),
            fit_hint,
            pdf: None,
            images: None,
            document: Some(format!("{}/{}", doc.lang, doc.name)),
        },
    )?;
    Ok((out.layout, out.warnings))
}
