//! XML text helpers shared by every part deca writes: escaping, and the namespaces a
//! WordprocessingML part declares. A leaf: it imports nothing from the DOCX writer.

/// Escapes text for XML content and attribute values, dropping characters XML 1.0 forbids.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if crate::model::text::xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// The namespaces of a body, header or footer part.
pub(super) const NAMESPACES: &str = concat!(
    " xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"",
    " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"",
    " xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"",
    " xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"",
    " xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\""
);

/// The XML declaration every part starts with.
pub(super) const DECLARATION: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Millimetres to twentieths of a point (twips), the unit of WordprocessingML lengths.
pub(super) fn twips(mm: f64) -> i64 {
    (mm * 1440.0 / 25.4).round() as i64
}

/// Points to English Metric Units, the unit of DrawingML sizes.
pub(super) fn emu(pt: f64) -> i64 {
    (pt * 12700.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_drops_forbidden_characters() {
        assert_eq!(esc("a < b & \"c\"\u{1}"), "a &lt; b &amp; &quot;c&quot;");
        assert_eq!(twips(25.4), 1440);
        assert_eq!(emu(1.0), 12700);
    }
}
