//! The DOCX backend.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::ir;
use crate::render::typst::Backend;

/// Renders an IR document as a Word file.
pub fn render(
    _doc: &ir::Document,
    _backend: &Backend,
    _assets: &BTreeMap<String, Vec<u8>>,
    _reference: &[u8],
) -> Result<(Vec<u8>, Vec<Diagnostic>), Vec<Diagnostic>> {
    Err(vec![Diagnostic::error("DOCX output is not available yet")])
}
