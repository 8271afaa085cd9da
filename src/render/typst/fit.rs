//! Fitting one-pagers and the overview to exactly one page: compile at full size, then shrink
//! the text in steps down to a readable floor. When even the floor overflows, report which
//! field spills over and by how much, so the author knows what to shorten. Nothing is ever cut.

use std::collections::BTreeMap;

use typst::foundations::Value;
use typst::introspection::Introspector;
use typst_layout::PagedDocument;

use super::{Backend, Compiled};
use crate::diag::Diagnostic;
use crate::ir;

/// Text scales tried in turn; the last is the readable floor (about 8.6 pt body text).
pub const SCALES: [f64; 6] = [1.0, 0.96, 0.92, 0.88, 0.85, 0.82];

/// Why a document could not be produced.
#[derive(Debug)]
pub enum Failure {
    /// The template or the export failed.
    Errors(Vec<Diagnostic>),
    /// The content does not fit on one page even at the floor.
    Overflow(Overflow),
}

/// How a one-page document overflows at the smallest text size.
#[derive(Debug, Clone, PartialEq)]
pub struct Overflow {
    /// The field marker whose content crosses onto page 2 (`rationale`, `actions`, ...).
    pub field: Option<String>,
    /// For tables: the 0-based row that crosses onto page 2.
    pub row: Option<usize>,
    /// Height of the content beyond the first page, in millimetres.
    pub overflow_mm: f64,
    /// Roughly how many lines of body text that is.
    pub lines: f64,
    pub pages: usize,
    pub scale: f64,
}

/// Compiles at decreasing scales until the document is one page.
pub fn fit(
    backend: &Backend,
    doc: &ir::Document,
    assets: &BTreeMap<String, Vec<u8>>,
    pages: Option<&super::PageMap>,
) -> Result<(Compiled, f64), Failure> {
    let mut doc = doc.clone();
    let mut last = None;
    for scale in SCALES {
        doc.scale = scale;
        let compiled = backend
            .compile(&doc, assets, pages)
            .map_err(Failure::Errors)?;
        if compiled.doc.pages().len() <= 1 {
            return Ok((compiled, scale));
        }
        last = Some((compiled, scale));
    }
    let (compiled, scale) = last.expect("at least one scale was tried");
    Err(Failure::Overflow(measure(&compiled.doc, scale)))
}

struct Marker {
    value: Value,
    page: usize,
    y_pt: f64,
}

fn markers(doc: &PagedDocument, label: &str) -> Vec<Marker> {
    let intro = doc.introspector();
    let mut out: Vec<Marker> = intro
        .query_labelled()
        .iter()
        .filter(|c| c.label().is_some_and(|l| l.resolve().as_str() == label))
        .filter_map(|c| {
            let loc = c.location()?;
            let pos = intro.position(loc)?;
            let paged = pos;
            Some(Marker {
                value: c.get_by_name("value").ok()?,
                page: paged.page.get(),
                y_pt: paged.point.y.to_pt(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.page, a.y_pt)
            .partial_cmp(&(b.page, b.y_pt))
            .expect("finite positions")
    });
    out
}

/// Markers in the order they appear in the document, not on the page.
fn markers_in_document_order(doc: &PagedDocument, label: &str) -> Vec<Marker> {
    let intro = doc.introspector();
    intro
        .query_labelled()
        .iter()
        .filter(|c| c.label().is_some_and(|l| l.resolve().as_str() == label))
        .filter_map(|c| {
            let pos = intro.position(c.location()?)?;
            Some(Marker {
                value: c.get_by_name("value").ok()?,
                page: pos.page.get(),
                y_pt: pos.point.y.to_pt(),
            })
        })
        .collect()
}

fn as_string(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => Some(s.to_string()),
        _ => None,
    }
}

/// Where the overflow starts and how large it is.
fn measure(doc: &PagedDocument, scale: f64) -> Overflow {
    let fields = markers(doc, "deca-field");
    let rows = markers(doc, "deca-row");
    let layout = markers(doc, "deca-layout");
    let top_pt = layout
        .first()
        .and_then(|m| match &m.value {
            Value::Float(f) => Some(*f),
            Value::Int(i) => Some(*i as f64),
            _ => None,
        })
        .unwrap_or(56.0);
    let line_pt = 10.5 * 1.35 * scale;
    let pages = doc.pages().len();
    let end = fields
        .iter()
        .rev()
        .find(|m| as_string(&m.value).as_deref() == Some("end"));
    let overflow_pt = match end {
        Some(m) if m.page >= 2 => {
            let page_h = doc.pages()[0].frame.size().y.to_pt();
            (m.page as f64 - 2.0) * page_h + (m.y_pt - top_pt).max(0.0)
        }
        _ => 0.0,
    };
    // In document order (columns put later fields beside earlier ones), the field that
    // crosses the page end is the last one that starts on page 1 before one that does not.
    let in_order = markers_in_document_order(doc, "deca-field");
    let field = in_order
        .windows(2)
        .find(|w| w[0].page == 1 && w[1].page > 1)
        .map(|w| &w[0])
        .or_else(|| in_order.iter().rfind(|m| m.page == 1))
        .and_then(|m| as_string(&m.value))
        .filter(|f| f != "end");
    let row = rows
        .iter()
        .rfind(|m| m.page == 1)
        .and_then(|m| match m.value {
            Value::Int(i) => usize::try_from(i).ok(),
            _ => None,
        });
    Overflow {
        field,
        row,
        overflow_mm: overflow_pt * 25.4 / 72.0,
        lines: (overflow_pt / line_pt).max(1.0),
        pages,
        scale,
    }
}
