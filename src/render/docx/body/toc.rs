//! The table of contents: every heading the PDF's contents list (outlined, levels 1 and 2,
//! nested ones included) as a link to its bookmark, with its page as a PAGEREF field that has
//! no shown value. LibreOffice computes each page from its own layout when it opens the file,
//! Word when fields are updated (F9, or printing); until then Word shows no number, never a
//! page from another layout. (Inside a TOC field LibreOffice would keep the field's text as it
//! is and show no pages at all, so the entries stand on their own.)

use super::inline::field;
use super::{P, Writer, bookmark_name};
use crate::ir::Block;
use crate::render::docx::xml::esc;

/// The bookmark a contents entry links to: the heading's anchor, or a name of its own for
/// headings without one (the `n`th such heading).
pub(super) fn entry_bookmark(anchor: Option<&str>, n: usize) -> String {
    match anchor {
        Some(a) => bookmark_name(a),
        None => format!("_Toc_deca_{n}"),
    }
}

/// The headings the contents list, in order: (level, text, bookmark).
pub(super) fn entries(blocks: &[Block]) -> Vec<(u8, String, String)> {
    let mut out = Vec::new();
    let mut unanchored = 0;
    crate::ir::visit(blocks, &mut |b| {
        if let Block::Heading {
            level,
            content,
            anchor,
            outlined: true,
            ..
        } = b
            && *level <= 2
        {
            if anchor.is_none() {
                unanchored += 1;
            }
            out.push((
                *level,
                crate::model::rich::plain_text(content),
                entry_bookmark(anchor.as_deref(), unanchored),
            ));
        }
    });
    out
}

impl Writer<'_> {
    pub(crate) fn toc(&mut self, out: &mut Vec<String>) {
        let title = match self.label("contents") {
            t if t.is_empty() => "Contents".to_string(),
            t => t,
        };
        out.push(self.text_para(
            P {
                page_break: true,
                ..P::style("TOCHeading")
            },
            &title,
        ));
        let entries = entries(&self.doc.blocks);
        let tab = self.geo.text_width();
        for (level, text, name) in entries {
            let style = if level == 1 { "TOC1" } else { "TOC2" };
            let mut c = String::new();
            c.push_str(&format!(
                "<w:hyperlink w:anchor=\"{}\" w:history=\"1\">{}</w:hyperlink><w:r><w:tab/></w:r>",
                esc(&name),
                super::inline::text_run(&text, None)
            ));
            c.push_str(&field(&format!("PAGEREF {name} \\h"), "", None));
            out.push(self.para(
                P {
                    tab_right: Some(tab),
                    ..P::style(style)
                },
                &c,
            ));
        }
    }
}
