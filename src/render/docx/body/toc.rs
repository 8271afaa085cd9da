//! The table of contents: a TOC field Word can regenerate, pre-filled with every heading the
//! PDF's contents list (outlined, levels 1 and 2, nested ones included) as links to their
//! bookmarks. Each entry's page is a PAGEREF field with no shown value: LibreOffice and Word
//! compute it from their own layout, so the contents never show a page from another layout.

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
    pub fn toc(&mut self, out: &mut Vec<String>) {
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
        let n = entries.len();
        let tab = self.geo.text_width();
        for (i, (level, text, name)) in entries.into_iter().enumerate() {
            let style = if level == 1 { "TOC1" } else { "TOC2" };
            let mut c = String::new();
            if i == 0 {
                c.push_str("<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-2\" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>");
            }
            c.push_str(&format!(
                "<w:hyperlink w:anchor=\"{}\" w:history=\"1\">{}</w:hyperlink><w:r><w:tab/></w:r>",
                esc(&name),
                super::inline::text_run(&text, None)
            ));
            c.push_str(&field(&format!("PAGEREF {name} \\h"), "", None));
            if i + 1 == n {
                c.push_str("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
            }
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
