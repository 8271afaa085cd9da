//! Keeping one-page documents on one page in Word's layout, by measuring it.
//!
//! Word and LibreOffice break lines greedily, first fit, where Typst optimises a paragraph as a
//! whole, and their line heights come from the font's own ascent and descent; so a one-pager
//! that Typst fits at a text scale can run longer in Word at the same scale. This module lays
//! the body out the way Word does, well enough to measure it: each paragraph's words set in
//! the bundled metric twins of Calibri and Cambria (Carlito, Caladea) at its style's size,
//! broken greedily at the width of its column (a table cell, less its margins and indents),
//! each line as tall as the font's line height times the style's line spacing, plus the
//! style's space before and after; a table row as tall as its tallest cell. The writer then
//! takes the largest text scale, no larger than the PDF's, at which the measured height fits
//! the page with `HEADROOM` to spare.

use std::collections::HashMap;
use std::sync::OnceLock;

use quick_xml::events::Event;

use super::geometry::Geometry;

/// Part of the page kept free for what this measure does not see (kerning, hyphenation
/// choices, rounding): measured on the Peru and Marenland one-pagers in LibreOffice 7.4,
/// whose estimate was within 4% of LibreOffice's own height.
pub(super) const HEADROOM: f64 = 0.06;

/// The smallest text scale a Word one-pager is set at (7.2 pt body text): a step below the
/// PDF's floor (0.82), since greedy line breaking needs it for a page Typst fills at its floor
/// (measured on the Marenland one-pager `national-payments-switch`).
pub(super) const FLOOR: f64 = 0.72;

/// Advance widths and line height of one face, in em.
struct Face {
    advances: HashMap<char, f64>,
    fallback: f64,
    line: f64,
}

impl Face {
    fn load(bytes: &[u8]) -> Face {
        let face = ttf_parser::Face::parse(bytes, 0).expect("bundled fonts parse");
        let upem = f64::from(face.units_per_em());
        let mut advances = HashMap::new();
        // Latin, Latin-1 and general punctuation: what the fixtures and most missions write.
        for c in (0x20u32..0x250)
            .chain(0x2000..0x2070)
            .filter_map(char::from_u32)
        {
            if let Some(g) = face.glyph_index(c)
                && let Some(a) = face.glyph_hor_advance(g)
            {
                advances.insert(c, f64::from(a) / upem);
            }
        }
        let fallback = advances.get(&'n').copied().unwrap_or(0.5);
        // Single spacing is the font's ascent, descent and line gap (hhea), as LibreOffice
        // sets it: 1.15 em for Caladea, 1.22 em for Carlito.
        let line = (f64::from(face.ascender()) - f64::from(face.descender())
            + f64::from(face.line_gap()))
            / upem;
        Face {
            advances,
            fallback,
            line,
        }
    }

    fn width(&self, s: &str) -> f64 {
        s.chars()
            .map(|c| self.advances.get(&c).copied().unwrap_or(self.fallback))
            .sum()
    }
}

struct Faces {
    sans: Face,
    sans_bold: Face,
    serif: Face,
    serif_bold: Face,
}

fn faces() -> &'static Faces {
    static FACES: OnceLock<Faces> = OnceLock::new();
    FACES.get_or_init(|| {
        let get = |name: &str| {
            let bytes = crate::fonts::BUNDLED
                .iter()
                .find(|(p, _)| p.ends_with(name))
                .map(|(_, b)| *b)
                .expect("the metric twins of Calibri and Cambria are bundled");
            Face::load(bytes)
        };
        Faces {
            sans: get("Carlito-Regular.ttf"),
            sans_bold: get("Carlito-Bold.ttf"),
            serif: get("Caladea-Regular.ttf"),
            serif_bold: get("Caladea-Bold.ttf"),
        }
    })
}

/// What a paragraph style sets, resolved through its bases; lengths in twips.
#[derive(Clone, Debug, Default)]
struct Look {
    /// Half-points.
    size: Option<f64>,
    sans: Option<bool>,
    bold: Option<bool>,
    before: Option<f64>,
    after: Option<f64>,
    /// `auto` spacing as a multiple of single (240 = 1), or an exact height in twips.
    line: Option<(f64, bool)>,
    left: Option<f64>,
    right: Option<f64>,
    /// No space between paragraphs of this same style.
    contextual: Option<bool>,
    based_on: Option<String>,
    /// Table styles: cell margins (top, left, bottom, right).
    margins: Option<[f64; 4]>,
}

fn attr(e: &quick_xml::events::BytesStart, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(std::borrow::Cow::into_owned))
}

fn num(e: &quick_xml::events::BytesStart, name: &[u8]) -> Option<f64> {
    attr(e, name).and_then(|v| v.parse().ok())
}

/// The looks of every style in a styles part, with the document defaults under `""`.
fn looks(styles: &str) -> HashMap<String, Look> {
    let mut out: HashMap<String, Look> = HashMap::new();
    let mut r = quick_xml::Reader::from_str(styles);
    let mut id = String::new();
    let mut in_cond = false;
    let mut in_mar = false;
    loop {
        let ev = match r.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        let (Event::Start(e) | Event::Empty(e)) = &ev else {
            if let Event::End(e) = &ev {
                match e.name().as_ref() {
                    b"w:tblStylePr" => in_cond = false,
                    b"w:tblCellMar" => in_mar = false,
                    b"w:style" => id.clear(),
                    _ => {}
                }
            }
            continue;
        };
        let is_start = matches!(ev, Event::Start(_));
        let look = out.entry(id.clone()).or_default();
        match e.name().as_ref() {
            b"w:style" => {
                id = attr(e, b"w:styleId").unwrap_or_default();
                out.entry(id.clone()).or_default();
            }
            b"w:tblStylePr" if is_start => in_cond = true,
            _ if in_cond => {}
            b"w:basedOn" => look.based_on = attr(e, b"w:val"),
            b"w:sz" => look.size = num(e, b"w:val"),
            b"w:rFonts" => {
                let f = attr(e, b"w:ascii").unwrap_or_default().to_ascii_lowercase();
                look.sans = Some(
                    f.contains("calibri")
                        || f.contains("carlito")
                        || f.contains("sans")
                        || f.contains("arial")
                        || f.contains("helvetica"),
                );
            }
            b"w:b" => look.bold = Some(attr(e, b"w:val").is_none_or(|v| v != "0" && v != "false")),
            b"w:spacing" if num(e, b"w:val").is_none() => {
                if let Some(v) = num(e, b"w:before") {
                    look.before = Some(v);
                }
                if let Some(v) = num(e, b"w:after") {
                    look.after = Some(v);
                }
                if let Some(v) = num(e, b"w:line") {
                    let exact = attr(e, b"w:lineRule").is_some_and(|r| r != "auto");
                    look.line = Some((v, exact));
                }
            }
            b"w:contextualSpacing" => {
                look.contextual = Some(attr(e, b"w:val").is_none_or(|v| v != "0" && v != "false"));
            }
            b"w:ind" => {
                if let Some(v) = num(e, b"w:left").or_else(|| num(e, b"w:start")) {
                    look.left = Some(v);
                }
                if let Some(v) = num(e, b"w:right").or_else(|| num(e, b"w:end")) {
                    look.right = Some(v);
                }
            }
            b"w:tblCellMar" if is_start => {
                in_mar = true;
                look.margins.get_or_insert([0.0, 108.0, 0.0, 108.0]);
            }
            side @ (b"w:top" | b"w:left" | b"w:bottom" | b"w:right") if in_mar => {
                let k = match side {
                    b"w:top" => 0,
                    b"w:left" => 1,
                    b"w:bottom" => 2,
                    _ => 3,
                };
                if let (Some(m), Some(v)) = (look.margins.as_mut(), num(e, b"w:w")) {
                    m[k] = v;
                }
            }
            _ => {}
        }
    }
    out
}

/// A style's look with what it inherits filled in.
fn resolve(looks: &HashMap<String, Look>, id: &str) -> Look {
    let mut chain = Vec::new();
    let mut at = Some(id.to_string());
    while let Some(i) = at {
        if chain.len() > 16 {
            break;
        }
        let Some(l) = looks.get(&i) else { break };
        at = l.based_on.clone();
        chain.push(l.clone());
    }
    let mut out = Look::default();
    for l in chain.iter().rev() {
        macro_rules! take {
            ($($f:ident),*) => { $( if l.$f.is_some() { out.$f = l.$f.clone(); } )* };
        }
        take!(
            size, sans, bold, before, after, line, left, right, contextual, margins
        );
    }
    out
}

/// A container being measured: the body or a table cell.
struct Frame {
    width: f64,
    height: f64,
    /// The style and space after of the last paragraph, for contextual spacing.
    last: Option<(String, f64)>,
}

struct Table {
    margins: [f64; 4],
    row: Vec<f64>,
    row_min: f64,
    height: f64,
}

/// The height, in twips, of a body (block-level WordprocessingML) set on `geo` with `styles`.
pub(super) fn height(body: &str, styles: &str, geo: &Geometry) -> f64 {
    let looks = looks(styles);
    let normal = resolve(&looks, "Normal");
    let faces = faces();
    let mut frames = vec![Frame {
        width: geo.text_width() as f64,
        height: 0.0,
        last: None,
    }];
    let mut tables: Vec<Table> = Vec::new();
    let mut widths: Vec<f64> = Vec::new();
    // The paragraph being read.
    let mut style = String::new();
    let mut text = String::new();
    let mut breaks = 0usize;
    let mut picture = 0.0f64;
    let mut indent = 0.0f64;
    let mut in_t = false;
    let mut in_p = false;
    let mut r = quick_xml::Reader::from_str(body);
    loop {
        let ev = match r.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        match &ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.name().as_ref() {
                    b"w:p" if !empty => {
                        in_p = true;
                        style = "Normal".into();
                        text.clear();
                        breaks = 0;
                        picture = 0.0;
                        indent = 0.0;
                    }
                    b"w:pStyle" if in_p => style = attr(e, b"w:val").unwrap_or_default(),
                    b"w:ilvl" if in_p => {
                        indent += 360.0 * (num(e, b"w:val").unwrap_or(0.0) + 1.0);
                    }
                    b"w:ind" if in_p => indent += num(e, b"w:left").unwrap_or(0.0),
                    b"w:t" if !empty => in_t = true,
                    b"w:br" | b"w:tab" => breaks += usize::from(e.name().as_ref() == b"w:br"),
                    // EMU to points.
                    b"wp:extent" => picture += num(e, b"cy").unwrap_or(0.0) / 12700.0,
                    b"w:tbl" if !empty => {
                        let margins = [0.0, 108.0, 0.0, 108.0];
                        tables.push(Table {
                            margins,
                            row: Vec::new(),
                            row_min: 0.0,
                            height: 0.0,
                        });
                        widths.clear();
                    }
                    b"w:tblStyle" => {
                        let id = attr(e, b"w:val").unwrap_or_default();
                        if let (Some(t), Some(m)) =
                            (tables.last_mut(), resolve(&looks, &id).margins)
                        {
                            t.margins = m;
                        }
                    }
                    b"w:trHeight" => {
                        if let Some(t) = tables.last_mut() {
                            t.row_min = num(e, b"w:val").unwrap_or(0.0);
                        }
                    }
                    b"w:tcW" => {
                        if let Some(t) = tables.last() {
                            let w = num(e, b"w:w").unwrap_or(1440.0) - t.margins[1] - t.margins[3];
                            frames.push(Frame {
                                width: w.max(200.0),
                                height: t.margins[0] + t.margins[2],
                                last: None,
                            });
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(t) if in_t => {
                text.push_str(
                    &t.unescape()
                        .map(std::borrow::Cow::into_owned)
                        .unwrap_or_default(),
                );
            }
            Event::End(e) => match e.name().as_ref() {
                b"w:t" => in_t = false,
                b"w:p" => {
                    in_p = false;
                    let look = resolve(&looks, &style);
                    let size = look.size.or(normal.size).unwrap_or(22.0) / 2.0;
                    let sans = look.sans.or(normal.sans).unwrap_or(false);
                    let bold = look.bold.unwrap_or(false);
                    let face = match (sans, bold) {
                        (true, false) => &faces.sans,
                        (true, true) => &faces.sans_bold,
                        (false, false) => &faces.serif,
                        (false, true) => &faces.serif_bold,
                    };
                    let frame = frames.last_mut().expect("the body frame stays");
                    let avail = (frame.width
                        - look.left.unwrap_or(0.0)
                        - look.right.unwrap_or(0.0)
                        - indent)
                        .max(400.0)
                        / 20.0;
                    let lines = text
                        .split('\n')
                        .map(|part| lines_of(part, face, size, avail))
                        .sum::<usize>()
                        .max(usize::from(picture == 0.0))
                        + breaks;
                    let pitch = match look.line.or(normal.line) {
                        Some((v, true)) => v / 20.0,
                        Some((v, false)) => face.line * size * v / 240.0,
                        None => face.line * size,
                    };
                    let mut before = look.before.or(normal.before).unwrap_or(0.0);
                    let after = look.after.or(normal.after).unwrap_or(0.0);
                    if look.contextual == Some(true)
                        && let Some((prev, prev_after)) = &frame.last
                        && prev == &style
                    {
                        // Neither the space after the previous one nor before this one.
                        frame.height -= prev_after;
                        before = 0.0;
                    }
                    frame.height += (lines as f64 * pitch + picture) * 20.0 + before + after;
                    frame.last = Some((style.clone(), after));
                }
                b"w:tc" if frames.len() > 1 => {
                    let cell = frames.pop().expect("checked");
                    if let Some(t) = tables.last_mut() {
                        t.row.push(cell.height);
                    }
                }
                b"w:tr" => {
                    if let Some(t) = tables.last_mut() {
                        let h = t.row.iter().copied().fold(t.row_min, f64::max);
                        t.height += h;
                        t.row.clear();
                        t.row_min = 0.0;
                    }
                }
                b"w:tbl" => {
                    if let Some(t) = tables.pop() {
                        frames.last_mut().expect("a frame").height += t.height;
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    frames.first().map_or(0.0, |f| f.height)
}

/// Lines a text takes at `size` points in a column `avail` points wide, broken greedily at
/// spaces as Word does.
fn lines_of(text: &str, face: &Face, size: f64, avail: f64) -> usize {
    if text.trim().is_empty() {
        return 0;
    }
    let space = face.width(" ") * size;
    let mut lines = 1;
    let mut x = 0.0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let w = face.width(word) * size;
        if x > 0.0 && x + space + w > avail {
            lines += 1;
            x = w;
        } else {
            x += if x > 0.0 { space + w } else { w };
        }
        // A word longer than the line wraps onto lines of its own.
        while x > avail {
            lines += 1;
            x -= avail;
        }
    }
    lines
}

/// The largest scale from `start` down to `FLOOR`, in steps of 2%, at which `measure(scale)`
/// (a height in twips) fits `room` with `HEADROOM` to spare; the floor when none does.
pub(super) fn choose(start: f64, room: f64, mut measure: impl FnMut(f64) -> f64) -> f64 {
    let mut scale = start.min(1.0);
    while scale > FLOOR {
        if measure(scale) <= room * (1.0 - HEADROOM) {
            return scale;
        }
        scale = ((scale - 0.02) * 100.0).round() / 100.0;
    }
    FLOOR
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_break_greedily_at_the_column_width() {
        let f = &faces().serif;
        let word = f.width("word ") * 10.0;
        // Ten words of ~25 pt at 10 pt: four to a 110 pt line, so three lines.
        assert_eq!(lines_of(&"word ".repeat(10), f, 10.0, word * 4.0 + 1.0), 3);
        assert_eq!(lines_of("", f, 10.0, 100.0), 0);
    }

    #[test]
    fn a_paragraph_is_as_tall_as_its_lines_and_spacing() {
        let styles = r#"<w:styles><w:style w:styleId="Normal"><w:pPr><w:spacing w:before="0" w:after="100" w:line="240" w:lineRule="exact"/></w:pPr><w:rPr><w:sz w:val="20"/></w:rPr></w:style></w:styles>"#;
        let geo = Geometry {
            width: 12000,
            height: 16000,
            top: 1000,
            bottom: 1000,
            left: 1000,
            right: 1000,
            header: 500,
            footer: 500,
            wide: 0,
        };
        let body = "<w:p><w:r><w:t>One line.</w:t></w:r></w:p><w:p><w:r><w:t>a</w:t><w:br/><w:t>b</w:t></w:r></w:p>";
        // 1 line + 2 lines at exactly 12 pt (240 twips), each paragraph 100 twips after.
        assert_eq!(height(body, styles, &geo), 3.0 * 240.0 + 2.0 * 100.0);
    }

    #[test]
    fn the_largest_scale_that_fits_is_chosen() {
        assert_eq!(choose(1.0, 1000.0, |s| 1000.0 * s), 0.94);
        assert_eq!(choose(0.9, 1000.0, |_| 5000.0), FLOOR);
    }
}
