//! Section properties: the page setup and which header and footer each page shows.
//!
//! A mission's reference document is honoured as it is: its page size and margins, its
//! headers and footers on every page (page 1 included), its own first-page and odd/even
//! settings. Only with the built-in reference does deca choose, from the document model's
//! running header and footer: the report's cover pages carry neither, a brief's first page (its
//! title band) has the footer but no header, one-page documents have neither.

use super::patch::{insert_before, remove_element, replace_element};
use crate::ir::Document;
use crate::render::docx::geometry::Geometry;
use crate::render::docx::reference::Reference;

/// Elements that follow `w:titlePg` in a section.
const AFTER_TITLE_PG: &[&str] = &[
    "<w:textDirection",
    "<w:bidi",
    "<w:rtlGutter",
    "<w:docGrid",
    "<w:printerSettings",
];

/// The sections of a document.
pub(crate) struct Sections {
    /// Ends the report's cover pages (built-in reference only).
    pub front: Option<String>,
    /// The last section, at the end of the body.
    pub main: String,
}

fn page_setup(sect: &str, geo: &Geometry) -> String {
    let size = format!("<w:pgSz w:w=\"{}\" w:h=\"{}\"/>", geo.width, geo.height);
    let margin = format!(
        "<w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"{}\" w:footer=\"{}\" w:gutter=\"0\"/>",
        geo.top, geo.right, geo.bottom, geo.left, geo.header, geo.footer
    );
    let s = replace_element(
        sect,
        "w:pgSz",
        &size,
        &["<w:pgMar", "<w:cols", "<w:docGrid"],
    );
    replace_element(&s, "w:pgMar", &margin, &["<w:cols", "<w:docGrid"])
}

/// The relationship id of a header or footer reference of a given type in a section.
fn reference_id(sect: &str, element: &str, kind: &str) -> Option<String> {
    let mut from = 0;
    while let Some(i) = sect[from..].find(&format!("<{element} ")) {
        let start = from + i;
        let end = sect[start..].find("/>").map_or(sect.len(), |e| start + e);
        let el = &sect[start..end];
        if el.contains(&format!("w:type=\"{kind}\"")) {
            let at = el.find("r:id=\"")? + "r:id=\"".len();
            return el[at..].split('"').next().map(str::to_string);
        }
        from = end;
    }
    None
}

/// The sections for a document on a reference; `front` asks for the cover pages' own.
pub(crate) fn compose(doc: &Document, r: &Reference, geo: &Geometry, front: bool) -> Sections {
    let default = "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" w:right=\"1247\" w:bottom=\"1304\" w:left=\"1304\" w:header=\"680\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>";
    let sect = r.section().unwrap_or_else(|| default.to_string());
    if !r.builtin {
        return Sections {
            front: None,
            main: sect,
        };
    }
    let mut s = page_setup(&sect, geo);
    s = remove_element(&s, "w:titlePg");
    let plain = {
        let t = remove_element(&s, "w:headerReference");
        remove_element(&t, "w:footerReference")
    };
    let (header, footer) = (&doc.page.header, &doc.page.footer);
    if !header.visible {
        s = remove_element(&s, "w:headerReference");
    }
    if !footer.visible {
        s = remove_element(&s, "w:footerReference");
    }
    let mut front_section = None;
    if front {
        // The cover pages are a section of their own, with neither header nor footer.
        front_section = Some(plain);
    } else if header.visible && header.from_page > 1 {
        // Page 1 opens with the title band: no running header, the footer if it starts there.
        let first_footer = reference_id(&s, "w:footerReference", "default")
            .filter(|_| footer.visible && footer.from_page <= 1)
            .map(|f| format!("<w:footerReference w:type=\"first\" r:id=\"{f}\"/>"))
            .unwrap_or_default();
        let at = s.find('>').map_or(0, |i| i + 1);
        s.insert_str(at, &first_footer);
        s = insert_before(&s, "<w:titlePg/>", AFTER_TITLE_PG);
    }
    Sections {
        front: front_section,
        main: s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_setup_replaces_size_and_margins_in_place() {
        let geo = Geometry {
            width: 12240,
            height: 15840,
            top: 1,
            bottom: 2,
            left: 3,
            right: 4,
            header: 5,
            footer: 6,
            wide: 0,
        };
        let s = page_setup(
            "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"h\"/><w:pgSz w:w=\"1\" w:h=\"2\"/><w:cols w:space=\"708\"/></w:sectPr>",
            &geo,
        );
        assert_eq!(
            s,
            "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"h\"/><w:pgSz w:w=\"12240\" w:h=\"15840\"/><w:pgMar w:top=\"1\" w:right=\"4\" w:bottom=\"2\" w:left=\"3\" w:header=\"5\" w:footer=\"6\" w:gutter=\"0\"/><w:cols w:space=\"708\"/></w:sectPr>"
        );
        assert_eq!(
            reference_id(&s, "w:headerReference", "default").as_deref(),
            Some("h")
        );
    }
}
