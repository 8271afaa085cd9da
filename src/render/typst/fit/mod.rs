//! Fitting one-pagers and the overview to exactly one page, and measuring by how much a
//! document that cannot fit overflows. Nothing is ever cut: text shrinks in steps down to a
//! readable floor, and below that the author is told what to shorten. A short document's text
//! grows, a few steps at most, so the page is used top to bottom instead of ending in a gap.
//! (Briefs are fitted differently: only so their small print does not stand alone on a last
//! page; see [`closing`].)
//!
//! # The marker contract
//! Templates of one-page kinds tell deca where things are with labelled `metadata`:
//! - `#metadata((top: 16mm.pt(), bottom: 20mm.pt()))<deca-layout>`, once: the page's top and
//!   bottom margins in points. A bare number is read as the top margin, with the bottom taken
//!   to be the same. Without this marker deca cannot measure an overflow: it warns, tries each
//!   scale in turn, and reports an overflow without an amount.
//! - `#metadata("rationale")<deca-field>` where a data field's content begins (the IR's
//!   `field` blocks), attached to that content so it lands on the page the content starts on;
//!   and `#place(metadata("end"))<deca-field>`-style placement for the `end` field, so it
//!   sits right after the last content rather than with whatever follows (a `v(1fr)`).
//! - `#metadata(3)<deca-row>` at the start of each table row (the overview's rows), with the
//!   row's 0-based index.
//!
//! # Fewer compiles
//! A document whose content fills its page at full size costs one compile; one with room
//! to spare costs one or two more, to grow. Otherwise the measured overflow predicts the
//! scale: content height grows roughly as `scale^α` (text shrinks and rewraps;
//! margins and fixed gaps do not), with α fitted from the measurements at hand (1.5 until a
//! second measurement exists). Each compile narrows the range of candidate steps, so a
//! document usually needs two compiles, and one that cannot fit needs two (full size and the
//! floor) instead of six. A document whose inputs did not change since the last build costs
//! one: the build's cache gives the scale it was fitted at (see [`fit`]'s `hint`).

pub mod closing;

use serde::{Deserialize, Serialize};
use typst::foundations::Value;
use typst::introspection::Introspector;
use typst::layout::{Frame, FrameItem};
use typst::visualize::Geometry;
use typst_layout::PagedDocument;

/// How a document's text size is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fit {
    /// As designed: one compile at full size (the report).
    None,
    /// Exactly one page: the text shrinks, or grows a little, until it fills one page
    /// (one-pagers and the overview; see [`fit`]).
    OnePage,
    /// Full size, unless the closing small print would stand alone on the last page: then a
    /// step or two smaller (briefs; see [`closing`]).
    Closing,
}

impl Fit {
    /// How documents of a kind are fitted.
    pub fn of(kind: crate::edition::Kind) -> Fit {
        use crate::edition::Kind;
        match kind {
            Kind::Onepager | Kind::Overview => Fit::OnePage,
            Kind::Brief => Fit::Closing,
            Kind::Report => Fit::None,
        }
    }
}

/// Text scales deca sets one-page documents at, largest first: steps above full size (`FULL`)
/// fill a short page (at most 12% larger, so a set of one-pagers still reads as one series),
/// and the last is the readable floor (about 8.6 pt body text). Steps keep the choice stable:
/// a small edit rarely changes the scale.
pub const SCALES: [f64; 9] = [1.12, 1.08, 1.04, 1.0, 0.96, 0.92, 0.88, 0.85, 0.82];

/// The index of full size in `SCALES`, where fitting starts.
const FULL: usize = 3;

/// The exponent of the content-height model before two measurements exist.
const DEFAULT_ALPHA: f64 = 1.5;

/// How a one-page document overflows at the smallest text size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Overflow {
    /// The field whose content crosses the page end (`rationale`, `actions`, ...), if one does.
    pub field: Option<String>,
    /// For tables: the 0-based row that starts last on page 1.
    pub row: Option<usize>,
    /// How much content does not fit, in millimetres (`None` when it could not be measured).
    pub overflow_mm: Option<f64>,
    /// That amount in lines of body text.
    pub lines: Option<f64>,
    /// The scale it was measured at (the floor).
    pub scale: f64,
}

/// Why fitting produced no document.
#[derive(Debug)]
pub enum FitError<E> {
    /// A compile failed.
    Compile(E),
    /// The floor overflows; the number of compiles it took to know.
    Overflow(Overflow, u32),
}

/// The fitted document.
pub struct Fitted<T> {
    /// The document as compiled at `scale`.
    pub compiled: T,
    /// The text scale that fits: the largest step that does.
    pub scale: f64,
    /// How many compiles finding it took.
    pub compiles: u32,
    /// Set when the templates lack the layout marker (a warning for the author).
    pub unmeasured: bool,
}

/// One compile at one step.
struct Attempt<T> {
    compiled: T,
    measure: Measure,
}

/// Compiles at predicted steps until the largest step that fits is found (or the floor is
/// shown to overflow). `compile` sets the document at a scale; `doc` gives its layout.
///
/// `hint` is the scale the same document (same IR, templates, fonts and page map) was fitted
/// at before, from the build's cache. It is compiled first, and kept at once when it fits:
/// that the step above overflows was shown when it was found. When it does not fit, fitting
/// goes on from that measurement as usual.
pub fn fit<T, E>(
    hint: Option<f64>,
    mut compile: impl FnMut(f64) -> Result<T, E>,
    doc: impl Fn(&T) -> &PagedDocument,
) -> Result<Fitted<T>, FitError<E>> {
    let mut attempts: Vec<Option<Attempt<T>>> = SCALES.iter().map(|_| None).collect();
    let mut compiles = 0u32;
    let mut run = |i: usize, attempts: &mut Vec<Option<Attempt<T>>>| -> Result<(), E> {
        let compiled = compile(SCALES[i])?;
        compiles += 1;
        let measure = measure(doc(&compiled), SCALES[i]);
        attempts[i] = Some(Attempt { compiled, measure });
        Ok(())
    };
    let hinted = hint.and_then(|h| SCALES.iter().position(|s| (s - h).abs() < 1e-9));
    run(hinted.unwrap_or(FULL), &mut attempts).map_err(FitError::Compile)?;
    let settled = hinted.is_some_and(|i| {
        !unmeasured(&attempts) && attempts[i].as_ref().is_some_and(|a| a.measure.fits)
    });
    loop {
        if settled {
            break;
        }
        // Steps are assumed monotonic: below a failing step all fail, above a fitting one all fit.
        let fits = |a: &Option<Attempt<T>>| a.as_ref().map(|a| a.measure.fits);
        let lo = (0..SCALES.len())
            .filter(|&i| fits(&attempts[i]) == Some(false))
            .max()
            .map_or(0, |i| i + 1);
        // Without measurements there is no telling how full a page is: never grow.
        let lo = if unmeasured(&attempts) {
            lo.max(FULL)
        } else {
            lo
        };
        let hi = (0..SCALES.len())
            .find(|&i| fits(&attempts[i]) == Some(true))
            .unwrap_or(SCALES.len());
        if lo >= hi {
            break;
        }
        let next = if unmeasured(&attempts) {
            Some(lo)
        } else {
            next_step(&attempts, lo, hi)
        };
        match next {
            Some(i) => run(i, &mut attempts).map_err(FitError::Compile)?,
            None => break,
        }
    }
    let unmeasured = unmeasured(&attempts);
    let best = attempts
        .iter()
        .position(|a| a.as_ref().is_some_and(|a| a.measure.fits));
    match best {
        Some(i) => {
            let a = attempts[i].take().expect("a fitting attempt exists");
            Ok(Fitted {
                compiled: a.compiled,
                scale: SCALES[i],
                compiles,
                unmeasured,
            })
        }
        None => {
            let floor = attempts
                .iter()
                .rev()
                .flatten()
                .next()
                .expect("the floor was tried");
            Err(FitError::Overflow(floor.measure.overflow(), compiles))
        }
    }
}

/// Whether a compile could not be measured (the templates lack a marker).
fn unmeasured<T>(attempts: &[Option<Attempt<T>>]) -> bool {
    attempts
        .iter()
        .flatten()
        .any(|a| a.measure.body.is_none() || a.measure.content.is_none())
}

/// The content height predicted at `scale` and the body height, from the two measurements
/// nearest to it (one alone: with the default exponent).
fn predict<T>(attempts: &[Option<Attempt<T>>], scale: f64) -> Option<(f64, f64)> {
    let mut known: Vec<(f64, f64, f64)> = attempts
        .iter()
        .flatten()
        .filter_map(|a| Some((a.measure.scale, a.measure.content?, a.measure.body?)))
        .filter(|(_, c, _)| *c > 0.0)
        .collect();
    known.sort_by(|a, b| (a.0 - scale).abs().total_cmp(&(b.0 - scale).abs()));
    let &(s1, c1, h) = known.first()?;
    let alpha = match known.get(1) {
        Some(&(s2, c2, _)) if (s1 - s2).abs() > 1e-6 => {
            ((c1 / c2).ln() / (s1 / s2).ln()).clamp(0.5, 3.0)
        }
        _ => DEFAULT_ALPHA,
    };
    Some((c1 * (scale / s1).powf(alpha), h))
}

/// A step is tried when its content is predicted to fill at most this much more than the
/// page: the model is rough, and a compile settles it.
const TOLERANCE: f64 = 0.015;

/// The next step to compile among `lo..hi` (untried, between the largest known overflow and
/// the smallest known fit), or `None` to settle on `hi`.
fn next_step<T>(attempts: &[Option<Attempt<T>>], lo: usize, hi: usize) -> Option<usize> {
    let likely = (lo..hi)
        .find(|&i| predict(attempts, SCALES[i]).is_some_and(|(c, h)| c <= h * (1.0 + TOLERANCE)));
    match likely {
        Some(i) => Some(i),
        // Nothing in range is likely to fit: settle on the known fit, or prove the floor.
        None if hi < SCALES.len() => None,
        None => Some(hi - 1),
    }
}

/// What one compile tells about the fit.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// The text scale this compile was made at.
    pub scale: f64,
    /// Whether the document is one page at this scale.
    pub fits: bool,
    /// Height of the page's body area, in points (`None` without the layout marker).
    pub body: Option<f64>,
    /// Height the content would take on one endless page, in points.
    pub content: Option<f64>,
    /// Distance between the baselines of body text, in points.
    pub line: f64,
    /// The field whose content crosses the page end, if one does.
    pub field: Option<String>,
    /// For tables: the 0-based row that starts last on page 1.
    pub row: Option<usize>,
}

impl Measure {
    fn overflow(&self) -> Overflow {
        let excess = match (self.content, self.body) {
            // Keep-together blocks and widow control can push content over while the total
            // would still fit; it still overflows by at least a line.
            (Some(c), Some(b)) => Some((c - b).max(self.line)),
            _ => None,
        };
        Overflow {
            field: self.field.clone(),
            row: self.row,
            overflow_mm: excess.map(|e| e * 25.4 / 72.0),
            lines: excess.map(|e| e / self.line),
            scale: self.scale,
        }
    }
}

/// A labelled `metadata` and where it landed.
struct Marker {
    value: Value,
    page: usize,
    x: f64,
    y: f64,
}

/// Markers with a label, in document order (not page order: with columns, a later field can
/// sit beside an earlier one).
fn markers(doc: &PagedDocument, label: &str) -> Vec<Marker> {
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
                x: pos.point.x.to_pt(),
                y: pos.point.y.to_pt(),
            })
        })
        .collect()
}

fn as_str(v: &Value) -> Option<&str> {
    match v {
        Value::Str(s) => Some(s.as_str()),
        _ => None,
    }
}

fn as_pt(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        Value::Int(i) => Some(*i as f64),
        _ => None,
    }
}

/// The page margins the layout marker declares: (top, bottom) in points.
fn margins(doc: &PagedDocument) -> Option<(f64, f64)> {
    let m = markers(doc, "deca-layout").into_iter().next()?;
    match &m.value {
        Value::Dict(d) => {
            let top = as_pt(d.get("top").ok()?)?;
            let bottom = d.get("bottom").ok().and_then(as_pt).unwrap_or(top);
            Some((top, bottom))
        }
        v => as_pt(v).map(|t| (t, t)),
    }
}

/// Measures a compiled one-page document at `scale`.
pub fn measure(doc: &PagedDocument, scale: f64) -> Measure {
    let pages = doc.pages();
    let fields = markers(doc, "deca-field");
    let end = fields.iter().rfind(|m| as_str(&m.value) == Some("end"));
    let line = line_pitch(doc).unwrap_or(13.5 * scale);
    let geometry = margins(doc).and_then(|(top, bottom)| {
        let page_h = pages.first()?.frame.size().y.to_pt();
        Some((top, page_h - bottom))
    });
    let body = geometry.map(|(top, bottom)| bottom - top);
    // The content as one flow: the pages before the end's, then the end's page down to the
    // end marker, then what follows the end (a foot strip pushed down by `v(1fr)`).
    let content = match (geometry, end) {
        (Some((top, bottom)), Some(end)) => {
            let before: f64 = pages
                .iter()
                .take(end.page.saturating_sub(1))
                .map(|p| extent_below(&p.frame, f64::NEG_INFINITY, bottom).1.max(top) - top)
                .sum();
            let last = &pages[end.page - 1].frame;
            let (tail_top, tail_bottom) = extent_below(last, end.y, bottom);
            let tail = (tail_bottom - tail_top).max(0.0);
            Some(before + (end.y - top).max(0.0) + tail)
        }
        _ => None,
    };
    let top = geometry.map_or(0.0, |g| g.0);
    let field = if pages.len() > 1 {
        crossing(&fields, top)
    } else {
        None
    };
    let row = markers(doc, "deca-row")
        .iter()
        .filter(|m| m.page == 1)
        .max_by(|a, b| a.y.total_cmp(&b.y))
        .and_then(|m| match m.value {
            Value::Int(i) => usize::try_from(i).ok(),
            _ => None,
        });
    Measure {
        scale,
        fits: pages.len() <= 1,
        body,
        content,
        line,
        field,
        row,
    }
}

/// The field whose content crosses from page 1 onto page 2: one that starts on page 1 and
/// whose successor in the same column (fields of a column share their left edge) starts on
/// page 2 below the top of the page, so content of the field came first there. A successor
/// at the very top means a keep-together block moved whole: nothing crossed.
fn crossing(fields: &[Marker], top: f64) -> Option<String> {
    let column = |m: &Marker| (m.x * 2.0).round() as i64;
    fields.iter().enumerate().rev().find_map(|(i, m)| {
        let name = as_str(&m.value)?;
        if m.page != 1 || name == "end" {
            return None;
        }
        let next = fields[i + 1..].iter().find(|n| column(n) == column(m))?;
        let continues = next.page > 2 || (next.page == 2 && next.y - top > 2.0);
        continues.then(|| name.to_string())
    })
}

/// The top and bottom of the content of a page that starts below `from` and above `limit`.
fn extent_below(frame: &Frame, from: f64, limit: f64) -> (f64, f64) {
    fn walk(frame: &Frame, dy: f64, from: f64, limit: f64, acc: &mut (f64, f64)) {
        for (pos, item) in frame.items() {
            let y = dy + pos.y.to_pt();
            let (top, bottom) = match item {
                FrameItem::Group(g) => {
                    let h = g.frame.size().y.to_pt();
                    if y <= from + 0.5 || y + h >= limit - 1.0 {
                        // Spans the body area or the point looked below: look inside.
                        walk(&g.frame, y, from, limit, acc);
                        continue;
                    }
                    (y, y + h)
                }
                // A text item sits on its baseline.
                FrameItem::Text(t) => (y - t.size.to_pt() * 0.8, y + t.size.to_pt() * 0.25),
                FrameItem::Image(_, size, _) => (y, y + size.y.to_pt()),
                FrameItem::Shape(s, _) => match &s.geometry {
                    Geometry::Rect(size) => (y, y + size.y.to_pt()),
                    Geometry::Line(p) => (y, y + p.y.to_pt().max(0.0)),
                    Geometry::Curve(_) => (y, y),
                },
                FrameItem::Link(..) | FrameItem::Tag(_) => continue,
            };
            if top <= from + 0.5 || top >= limit {
                continue;
            }
            acc.0 = acc.0.min(top);
            acc.1 = acc.1.max(bottom.min(limit));
        }
    }
    let mut acc = (f64::INFINITY, f64::NEG_INFINITY);
    walk(frame, 0.0, from, limit, &mut acc);
    if acc.0 > acc.1 { (0.0, 0.0) } else { acc }
}

/// The most common distance between consecutive baselines of text on page 1.
fn line_pitch(doc: &PagedDocument) -> Option<f64> {
    fn baselines(frame: &Frame, dy: f64, out: &mut Vec<f64>) {
        for (pos, item) in frame.items() {
            match item {
                FrameItem::Group(g) => baselines(&g.frame, dy + pos.y.to_pt(), out),
                FrameItem::Text(_) => out.push(dy + pos.y.to_pt()),
                _ => {}
            }
        }
    }
    let mut ys = Vec::new();
    baselines(&doc.pages().first()?.frame, 0.0, &mut ys);
    ys.sort_by(f64::total_cmp);
    ys.dedup_by(|a, b| (*a - *b).abs() < 0.5);
    let mut gaps: Vec<i64> = ys
        .windows(2)
        .map(|w| w[1] - w[0])
        .filter(|g| (6.0..30.0).contains(g))
        .map(|g| (g * 10.0).round() as i64)
        .collect();
    gaps.sort_unstable();
    // The mode: body text lines outnumber headings and gaps between blocks.
    let mut best: Option<(i64, usize)> = None;
    for chunk in gaps.chunk_by(|a, b| a == b) {
        if best.is_none_or(|(_, n)| chunk.len() > n) {
            best = Some((chunk[0], chunk.len()));
        }
    }
    best.map(|(g, _)| g as f64 / 10.0)
}

#[cfg(test)]
mod tests;
