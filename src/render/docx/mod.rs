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

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::edition::Paper;
use crate::ir;
use crate::render::typst::Backend;

pub use body::{STYLES, bookmark_name};
pub use reference::Reference;
pub use styles::WORD_INTERNAL;

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
/// PDF report of the same language: references into the report print it.
pub fn render(
    doc: &ir::Document,
    backend: &Backend,
    assets: &BTreeMap<String, Vec<u8>>,
    reference: &Reference,
    report_pages: Option<&crate::render::typst::PageMap>,
) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let geo = if reference.builtin {
        geometry::Geometry::from_ir(&doc.page)
    } else {
        reference
            .section()
            .and_then(|s| geometry::Geometry::from_section(&s))
            .unwrap_or_else(|| geometry::Geometry::from_ir(&doc.page))
    };
    let raster = raster::Raster {
        backend,
        assets,
        doc,
    };
    let body = body::build(doc, geo, &raster, report_pages)?;
    let builtin = builtin_reference();
    package::assemble(doc, body, reference, &builtin, &geo, &backend.created)
}
