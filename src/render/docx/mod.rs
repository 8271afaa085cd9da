//! The DOCX backend: the same IR as the PDF, written with docx-rs, styled by a reference Word
//! document merged at the zip and XML level.

mod body;
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

/// Renders an IR document as a Word file; returns its bytes and any warnings.
pub fn render(
    doc: &ir::Document,
    backend: &Backend,
    assets: &BTreeMap<String, Vec<u8>>,
    reference: &Reference,
) -> Result<(Vec<u8>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let body = body::build(doc, backend, assets)?;
    let builtin = builtin_reference();
    package::assemble(doc, body, reference, &builtin, &backend.created)
}
