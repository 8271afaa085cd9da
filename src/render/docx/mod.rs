//! The DOCX backend: the same IR as the PDF, written with docx-rs, styled by a reference Word
//! document merged at the zip and XML level.

mod body;
mod direction;
mod package;
pub mod placeholders;
pub mod reference;
mod styles;

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::ir;
use crate::render::typst::Backend;

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
/// PDF report of the same language: references print it.
pub fn render(
    doc: &ir::Document,
    backend: &Backend,
    assets: &BTreeMap<String, Vec<u8>>,
    reference: &Reference,
    report_pages: Option<&crate::render::typst::PageMap>,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let body = body::build(doc, backend, assets, report_pages)?;
    let builtin = builtin_reference();
    package::assemble(doc, body, reference, &builtin, &backend.created)
}
