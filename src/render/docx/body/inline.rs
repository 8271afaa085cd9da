//! Inlines → runs: text with its emphasis, hyperlinks (external by relationship, internal by
//! bookmark), footnotes, citations and cross-references with a PAGEREF field that Word and
//! LibreOffice compute from their own layout.

use super::{P, Writer};
use crate::ir::{Inline, RefScope};
use crate::render::docx::xml::esc;

/// Emphasis passed down to nested inlines.
#[derive(Clone, Copy, Default)]
pub(in crate::render::docx) struct Fmt {
    pub bold: bool,
    pub italic: bool,
    pub link: bool,
}

/// A run of text in an optional character style. Line breaks in the text become breaks.
pub(in crate::render::docx) fn text_run(text: &str, style: Option<&str>) -> String {
    run(text, style, false, false)
}

fn run(text: &str, style: Option<&str>, bold: bool, italic: bool) -> String {
    let mut rpr = String::new();
    if let Some(s) = style {
        rpr.push_str(&format!("<w:rStyle w:val=\"{s}\"/>"));
    }
    if bold {
        rpr.push_str("<w:b/><w:bCs/>");
    }
    if italic {
        rpr.push_str("<w:i/><w:iCs/>");
    }
    let mut body = String::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            body.push_str("<w:br/>");
        }
        let line = line.trim_end_matches('\r');
        if !line.is_empty() {
            body.push_str(&format!("<w:t xml:space=\"preserve\">{}</w:t>", esc(line)));
        }
    }
    if rpr.is_empty() {
        format!("<w:r>{body}</w:r>")
    } else {
        format!("<w:r><w:rPr>{rpr}</w:rPr>{body}</w:r>")
    }
}

/// A complex field: its instruction and the result shown until it is updated.
pub(in crate::render::docx) fn field(instr: &str, shown: &str, style: Option<&str>) -> String {
    let rpr = style
        .map(|s| format!("<w:rPr><w:rStyle w:val=\"{s}\"/></w:rPr>"))
        .unwrap_or_default();
    let mut out = format!(
        "<w:r>{rpr}<w:fldChar w:fldCharType=\"begin\"/></w:r><w:r>{rpr}<w:instrText xml:space=\"preserve\"> {} </w:instrText></w:r><w:r>{rpr}<w:fldChar w:fldCharType=\"separate\"/></w:r>",
        esc(instr)
    );
    if !shown.is_empty() {
        out.push_str(&format!(
            "<w:r>{rpr}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
            esc(shown)
        ));
    }
    out.push_str(&format!(
        "<w:r>{rpr}<w:fldChar w:fldCharType=\"end\"/></w:r>"
    ));
    out
}

impl Writer<'_> {
    fn styled_run(&mut self, text: &str, f: Fmt) -> String {
        let style = f.link.then(|| self.style("Hyperlink"));
        run(text, style, f.bold, f.italic)
    }

    /// The runs of inlines.
    pub(crate) fn inlines(&mut self, inlines: &[Inline], f: Fmt) -> String {
        let mut out = String::new();
        for i in inlines {
            match i {
                Inline::Text { text } => out.push_str(&self.styled_run(text, f)),
                Inline::Emph { content } => {
                    out.push_str(&self.inlines(content, Fmt { italic: true, ..f }));
                }
                Inline::Strong { content } => {
                    out.push_str(&self.inlines(content, Fmt { bold: true, ..f }));
                }
                Inline::Cite { label, .. } => out.push_str(&self.styled_run(label, f)),
                Inline::Break => out.push_str("<w:r><w:br/></w:r>"),
                Inline::Link { url, content } => {
                    let rid = format!("rIdDecaLink{}", self.links.len() + 1);
                    self.links.push((rid.clone(), url.clone()));
                    let runs = self.inlines(content, Fmt { link: true, ..f });
                    out.push_str(&format!(
                        "<w:hyperlink r:id=\"{rid}\" w:history=\"1\">{runs}</w:hyperlink>"
                    ));
                }
                Inline::Footnote { content } => {
                    let id = self.footnotes.len() + 1;
                    let text = self.inlines(content, Fmt::default());
                    let mark = self.style("FootnoteReference");
                    let note = self.para(
                        P::style("FootnoteText"),
                        &format!(
                            "<w:r><w:rPr><w:rStyle w:val=\"{mark}\"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> </w:t></w:r>{text}"
                        ),
                    );
                    self.footnotes
                        .push(format!("<w:footnote w:id=\"{id}\">{note}</w:footnote>"));
                    out.push_str(&format!(
                        "<w:r><w:rPr><w:rStyle w:val=\"{mark}\"/></w:rPr><w:footnoteReference w:id=\"{id}\"/></w:r>"
                    ));
                }
                Inline::Ref {
                    target,
                    text,
                    scope,
                } => out.push_str(&self.reference(target, text, *scope, f)),
            }
        }
        out
    }

    /// A cross-reference: a link to the bookmark with its page as a PAGEREF field in this
    /// document, or the report's page as text for references into the report.
    fn reference(&mut self, target: &str, text: &str, scope: RefScope, f: Fmt) -> String {
        let local = self.bookmarks.get(target).cloned();
        match (scope, local) {
            (RefScope::Document, Some(name)) => {
                let runs = self.styled_run(text, Fmt { link: true, ..f });
                let mut out = format!(
                    "<w:hyperlink w:anchor=\"{}\" w:history=\"1\">{runs}</w:hyperlink>",
                    esc(&name)
                );
                // "Figure 3" sits on the same page or the next: no page number.
                if !target.starts_with("figure-") {
                    let label = self.label("see-page");
                    let (before, after) = label.split_once("{page}").unwrap_or((&label, ""));
                    out.push_str(&self.styled_run(&format!(" ({before}"), f));
                    // The shown value is left empty: Word and LibreOffice compute the page
                    // from their own layout, and a PDF page number would be wrong here.
                    out.push_str(&field(&format!("PAGEREF {name} \\h"), "", None));
                    out.push_str(&self.styled_run(&format!("{after})"), f));
                }
                out
            }
            _ => {
                let page = self.report_pages.and_then(|p| p.get(target)).copied();
                let mut s = text.to_string();
                if let (RefScope::Report, Some(page)) = (scope, page) {
                    s.push_str(&format!(
                        " ({})",
                        self.label("report-page")
                            .replace("{page}", &page.to_string())
                    ));
                }
                self.styled_run(&s, f)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_keep_spaces_and_break_lines() {
        assert_eq!(
            text_run("a \nb", Some("Cite")),
            "<w:r><w:rPr><w:rStyle w:val=\"Cite\"/></w:rPr><w:t xml:space=\"preserve\">a </w:t><w:br/><w:t xml:space=\"preserve\">b</w:t></w:r>"
        );
        assert_eq!(
            run("x", None, true, true),
            "<w:r><w:rPr><w:b/><w:bCs/><w:i/><w:iCs/></w:rPr><w:t xml:space=\"preserve\">x</w:t></w:r>"
        );
    }
}
