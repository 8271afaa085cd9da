//! The page a Word file is laid out on, in twips: from the document model's page for the
//! built-in reference, or from a reference document's own page setup. Tables, pictures and
//! full-page panels are sized from it, so they fit a Letter letterhead as well as A4.

use crate::edition::Paper;
use crate::ir;

use super::xml::twips;

/// Page size and margins, in twips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Geometry {
    pub width: i64,
    pub height: i64,
    pub top: i64,
    pub bottom: i64,
    pub left: i64,
    pub right: i64,
    /// From the page's edge to the header's and footer's text.
    pub header: i64,
    pub footer: i64,
    /// Room beside the body text column that wide elements may use (0 without a grid).
    pub wide: i64,
}

impl Geometry {
    /// The document model's page: its paper, margins and the wide measure beside the text.
    pub(super) fn from_ir(page: &ir::Page) -> Geometry {
        let m = &page.margin;
        Geometry {
            width: twips(page.width),
            height: twips(page.height),
            top: twips(m.top),
            bottom: twips(m.bottom),
            left: twips(m.left),
            right: twips(m.right),
            header: twips((m.top * 0.45).max(8.0)),
            footer: twips((m.bottom * 0.45).max(8.0)),
            wide: twips(page.wide),
        }
    }

    /// A section's page size and margins (`w:pgSz`, `w:pgMar`); `None` without a page size.
    pub(super) fn from_section(sect: &str) -> Option<Geometry> {
        let size = element(sect, "w:pgSz")?;
        let margin = element(sect, "w:pgMar").unwrap_or_default();
        let get = |el: &str, name: &str, default: i64| attr(el, name).unwrap_or(default);
        let mut width = get(&size, "w:w", 11906);
        let mut height = get(&size, "w:h", 16838);
        if attr_text(&size, "w:orient").as_deref() == Some("landscape") && width < height {
            std::mem::swap(&mut width, &mut height);
        }
        Some(Geometry {
            width,
            height,
            top: get(&margin, "w:top", 1440).abs(),
            bottom: get(&margin, "w:bottom", 1440).abs(),
            left: get(&margin, "w:left", 1440),
            right: get(&margin, "w:right", 1440),
            header: get(&margin, "w:header", 720),
            footer: get(&margin, "w:footer", 720),
            wide: 0,
        })
    }

    /// Width between the margins.
    pub(super) fn text_width(&self) -> i64 {
        (self.width - self.left - self.right).max(1440)
    }

    /// Height between the margins.
    pub(super) fn text_height(&self) -> i64 {
        (self.height - self.top - self.bottom).max(1440)
    }

    /// The paper this page is, when it is one deca knows (within 2 mm).
    pub(super) fn paper(&self) -> Option<Paper> {
        let near = |a: i64, b: f64| (a - twips(b)).abs() <= twips(2.0);
        let (w, h) = (self.width.min(self.height), self.width.max(self.height));
        if near(w, 210.0) && near(h, 297.0) {
            Some(Paper::A4)
        } else if near(w, 215.9) && near(h, 279.4) {
            Some(Paper::Letter)
        } else {
            None
        }
    }
}

/// The first `<name .../>` element in `xml`.
fn element(xml: &str, name: &str) -> Option<String> {
    let open = format!("<{name} ");
    let i = xml.find(&open)?;
    let end = xml[i..].find('>')? + i + 1;
    Some(xml[i..end].to_string())
}

fn attr_text(el: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let i = el.find(&key)? + key.len();
    Some(el[i..].split('"').next()?.to_string())
}

fn attr(el: &str, name: &str) -> Option<i64> {
    attr_text(el, name)?.parse::<f64>().ok().map(|v| v as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_gives_its_page() {
        let s = r#"<w:sectPr><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="850" w:right="1247" w:bottom="850" w:left="1247" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>"#;
        let g = Geometry::from_section(s).unwrap();
        assert_eq!(g.text_width(), 12240 - 2 * 1247);
        assert_eq!(g.paper(), Some(Paper::Letter));
        assert_eq!(Geometry::from_section("<w:sectPr/>"), None);
    }
}
