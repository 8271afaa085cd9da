//! IR → the body of a Word document, written as WordprocessingML in schema order: headings in
//! Heading 1–3 with bookmarks, real numbering for lists, tables whose header row repeats,
//! footnotes, hyperlinks, figures as pictures with alt text, and the front and back matter.
//!
//! Every look comes from a named style (see `ids::STYLES`): the body writes style ids, never a
//! colour or a font, so a mission's reference document restyles everything. Spacing comes
//! from style spacing, `pageBreakBefore` and keep-with-next, never from empty paragraphs.
//! Every id (pictures, links, footnotes, bookmarks, lists) is counted here in document order,
//! so the same input gives the same bytes.

mod figure;
mod front;
mod ids;
mod inline;
pub(super) mod numbering;
mod table;
mod toc;

use std::collections::{BTreeSet, HashMap};

pub use ids::STYLES;

use super::geometry::Geometry;
use super::raster::Raster;
use super::xml::esc;
use crate::diag::DResult;
use crate::ir::{Block, Document, Role, Tone};
use crate::render::PageMap;

/// Stands, inside the last paragraph properties of the report's front matter, where the
/// package puts the section properties that end it.
pub(super) const FRONT_SECTION: &str = "<!--deca:front-section-->";

/// The body and what the package needs to finish it.
pub(super) struct Body {
    /// Block-level content, without the final section properties.
    pub xml: String,
    /// `w:abstractNum` and `w:num` elements for the numbering part.
    pub numbering: String,
    /// `w:footnote` elements, numbered from 1.
    pub footnotes: String,
    /// Pictures: relationship id, file name under word/media, PNG bytes.
    pub media: Vec<(String, String, Vec<u8>)>,
    /// Hyperlinks: relationship id, URL.
    pub links: Vec<(String, String)>,
    /// Every style id the body wrote.
    pub styles: BTreeSet<&'static str>,
    /// Whether the body holds `FRONT_SECTION` in the last paragraph of its front matter (the
    /// report's cover and inside cover), where the package ends a section of their own.
    pub front_section: bool,
}

/// Paragraph properties, written in schema order.
#[derive(Default, Clone, Copy)]
pub(super) struct P {
    pub style: Option<&'static str>,
    pub keep_next: bool,
    pub page_break: bool,
    /// Numbering: (list id, level).
    pub num: Option<(usize, usize)>,
    /// A right-aligned tab with a dot leader at this position (contents entries), in twips.
    pub tab_right: Option<i64>,
    /// Extra indent from the leading edge (nested list content), in twips.
    pub indent: Option<i64>,
    pub center: bool,
    /// Outline level 9 keeps a heading out of the contents and the navigation pane.
    pub no_outline: bool,
    /// Turns off the style's keep-with-next and keep-lines: inside a layout table's cell they
    /// would bind the whole table to what follows it, and LibreOffice then moves the table to
    /// the next page rather than let its rows break.
    pub loose: bool,
}

impl P {
    pub(super) fn style(style: &'static str) -> P {
        P {
            style: Some(style),
            ..P::default()
        }
    }
}

/// The writer's state: counters in document order and what the package needs.
pub(super) struct Writer<'a> {
    pub doc: &'a Document,
    pub geo: Geometry,
    /// Pages of the report's anchors (the report's own, for the report).
    pub report_pages: Option<&'a PageMap>,
    pub raster: &'a Raster<'a>,
    pub bookmarks: HashMap<String, String>,
    pub next_bookmark: usize,
    pub next_pic: usize,
    pub links: Vec<(String, String)>,
    pub media: Vec<(String, String, Vec<u8>)>,
    pub footnotes: Vec<String>,
    pub lists: Vec<(bool, u64)>,
    pub styles: BTreeSet<&'static str>,
    /// A bookmark for the next tile paragraph (a figure drawn as number tiles).
    pub pending_bookmark: Option<String>,
    /// Outlined headings without an anchor written so far (their contents bookmarks).
    pub unanchored: usize,
    /// How deep in layout-table cells the writer is.
    pub in_cell: usize,
}

/// A Word bookmark name for an anchor: letters, digits and `_`, at most 40 characters, hidden
/// from Word's bookmark list by a leading underscore.
pub fn bookmark_name(anchor: &str) -> String {
    let clean: String = anchor
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    let mut name = format!("_Ref_{clean}");
    if name.len() > 40 {
        let digest = crate::hash::sha256_hex(anchor.as_bytes());
        name = format!("{}_{}", &name[..31], &digest[..8]);
    }
    name
}

impl<'a> Writer<'a> {
    /// Records a style id as used and returns it.
    pub(super) fn style(&mut self, id: &'static str) -> &'static str {
        debug_assert!(STYLES.contains(&id), "style {id} is not listed in STYLES");
        self.styles.insert(id);
        id
    }

    pub(super) fn label(&self, key: &str) -> String {
        self.doc.labels.get(key).cloned().unwrap_or_default()
    }

    /// A paragraph with its properties and content (runs, links, bookmarks).
    pub(super) fn para(&mut self, p: P, content: &str) -> String {
        let mut ppr = String::new();
        if let Some(s) = p.style {
            let s = self.style(s);
            ppr.push_str(&format!("<w:pStyle w:val=\"{s}\"/>"));
        }
        if p.keep_next {
            ppr.push_str("<w:keepNext/>");
        } else if p.loose {
            ppr.push_str("<w:keepNext w:val=\"0\"/><w:keepLines w:val=\"0\"/>");
        }
        if p.page_break {
            ppr.push_str("<w:pageBreakBefore/>");
        }
        if let Some((id, level)) = p.num {
            ppr.push_str(&format!(
                "<w:numPr><w:ilvl w:val=\"{level}\"/><w:numId w:val=\"{id}\"/></w:numPr>"
            ));
        }
        if let Some(t) = p.tab_right {
            ppr.push_str(&format!(
                "<w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"{t}\"/></w:tabs>"
            ));
        }
        if let Some(i) = p.indent {
            ppr.push_str(&format!("<w:ind w:left=\"{i}\"/>"));
        }
        if p.center {
            ppr.push_str("<w:jc w:val=\"center\"/>");
        }
        if p.no_outline {
            ppr.push_str("<w:outlineLvl w:val=\"9\"/>");
        }
        if ppr.is_empty() {
            format!("<w:p>{content}</w:p>")
        } else {
            format!("<w:p><w:pPr>{ppr}</w:pPr>{content}</w:p>")
        }
    }

    /// A paragraph of plain text in a style.
    pub(super) fn text_para(&mut self, p: P, text: &str) -> String {
        let r = inline::text_run(text, None);
        self.para(p, &r)
    }

    /// A bookmark around nothing, placed at the start of a paragraph's content.
    pub(super) fn bookmark(&mut self, anchor: &str) -> String {
        let name = self
            .bookmarks
            .get(anchor)
            .cloned()
            .unwrap_or_else(|| bookmark_name(anchor));
        self.next_bookmark += 1;
        let id = self.next_bookmark;
        format!(
            "<w:bookmarkStart w:id=\"{id}\" w:name=\"{}\"/><w:bookmarkEnd w:id=\"{id}\"/>",
            esc(&name)
        )
    }

    /// Blocks at a list level (0 outside lists).
    pub(super) fn blocks(
        &mut self,
        blocks: &[Block],
        out: &mut Vec<String>,
        level: usize,
    ) -> DResult<()> {
        let mut i = 0;
        while i < blocks.len() {
            // A side note reads after the block it sits beside, as in the PDF's reading order:
            // the Word edition has no side column, so it is printed in place.
            if matches!(blocks[i], Block::Aside { .. }) && i + 1 < blocks.len() {
                self.block(&blocks[i + 1], out, level)?;
                self.block(&blocks[i], out, level)?;
                i += 2;
                continue;
            }
            self.block(&blocks[i], out, level)?;
            i += 1;
        }
        Ok(())
    }

    fn block(&mut self, b: &Block, out: &mut Vec<String>, level: usize) -> DResult<()> {
        match b {
            Block::Heading {
                level: l,
                content,
                anchor,
                outlined,
                new_page,
            } => {
                let style = match l {
                    1 => "Heading1",
                    2 => "Heading2",
                    _ => "Heading3",
                };
                let mut c = match anchor {
                    Some(a) => self.bookmark(a),
                    // The contents link to every outlined heading, anchored or not.
                    None if *outlined && *l <= 2 => {
                        self.unanchored += 1;
                        let name = toc::entry_bookmark(None, self.unanchored);
                        self.bookmarks.insert(name.clone(), name.clone());
                        self.bookmark(&name)
                    }
                    None => String::new(),
                };
                c.push_str(&self.inlines(content, inline::Fmt::default()));
                let p = P {
                    page_break: *new_page,
                    no_outline: !outlined,
                    loose: self.in_cell > 0,
                    ..P::style(style)
                };
                out.push(self.para(p, &c));
            }
            Block::Paragraph { content, role } => {
                let style = match (role, level) {
                    (Some(Role::Lead), _) => "Lead",
                    (Some(Role::Note), _) => "Note",
                    (_, 0) => "Normal",
                    _ => "ListParagraph",
                };
                let c = self.inlines(content, inline::Fmt::default());
                let p = P {
                    // Paragraphs under a list item line up with its text.
                    indent: (level > 0).then_some(360 * (level as i64 + 1)),
                    ..P::style(style)
                };
                out.push(self.para(p, &c));
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                self.lists.push((*ordered, *start));
                // docx-style numbering ids start at 1 and match `numbering::part`.
                let num = self.lists.len();
                for item in items {
                    for (k, sub) in item.iter().enumerate() {
                        match sub {
                            Block::Paragraph { content, .. } if k == 0 => {
                                let c = self.inlines(content, inline::Fmt::default());
                                let p = P {
                                    num: Some((num, level)),
                                    ..P::style("ListParagraph")
                                };
                                out.push(self.para(p, &c));
                            }
                            other => self.block(other, out, level + 1)?,
                        }
                    }
                }
            }
            Block::Table(t) => self.table(t, out),
            Block::Figure(f) => self.figure(f, out, 1.0)?,
            Block::FigureRow { figures } => self.figure_row(figures, out)?,
            Block::Callout {
                title,
                blocks,
                tone,
            } => {
                let (style, title_style) = if *tone == Tone::Note {
                    ("CalloutNote", "CalloutNoteTitle")
                } else {
                    ("Callout", "CalloutTitle")
                };
                if let Some(t) = title {
                    out.push(self.text_para(P::style(title_style), t));
                }
                for b in blocks {
                    if let Block::Paragraph { content, .. } = b {
                        let c = self.inlines(content, inline::Fmt::default());
                        out.push(self.para(P::style(style), &c));
                    } else {
                        self.block(b, out, level)?;
                    }
                }
            }
            Block::Facts { items } => self.facts(items, out),
            Block::KeyFigures { items } => self.tiles(items, out),
            Block::Keep { blocks } => {
                // Every paragraph but the last keeps with the next: the group shares a page.
                let mut inner = Vec::new();
                self.blocks(blocks, &mut inner, level)?;
                let n = inner.len();
                for (i, x) in inner.into_iter().enumerate() {
                    out.push(if i + 1 < n { keep_with_next(&x) } else { x });
                }
            }
            Block::Aside { blocks } => self.blocks(blocks, out, level)?,
            Block::Multicol { count, blocks } => self.multicol(*count, blocks, out)?,
            Block::Columns { main, side } => self.sidebar(main, side, out)?,
            Block::Sources { entries } => {
                for (k, e) in entries.iter().enumerate() {
                    let cite = self.style("Cite");
                    let mut c = inline::text_run(&e.cite, Some(cite));
                    c.push_str(&inline::text_run(" ", None));
                    c.push_str(&self.inlines(&e.content, inline::Fmt::default()));
                    // A brief's sources end it, before the small print: the last entry goes
                    // with the small print, so a page never holds the small print alone.
                    let last_of_brief =
                        self.doc.kind == crate::edition::Kind::Brief && k + 1 == entries.len();
                    out.push(self.para(
                        P {
                            keep_next: last_of_brief,
                            ..P::style("Bibliography")
                        },
                        &c,
                    ));
                }
            }
            Block::Toc => self.toc(out),
            Block::Field { .. } => {}
        }
        Ok(())
    }
}

/// Adds keep-with-next to a paragraph written by `Writer::para` (tables are left alone).
fn keep_with_next(p: &str) -> String {
    if !p.starts_with("<w:p>") && !p.starts_with("<w:p><w:pPr>") {
        return p.to_string();
    }
    if p.contains("<w:keepNext/>") {
        return p.to_string();
    }
    if let Some(rest) = p.strip_prefix("<w:p><w:pPr>") {
        // After the style, which comes first.
        if let Some(end) = rest.find("/>").filter(|_| rest.starts_with("<w:pStyle ")) {
            return format!(
                "<w:p><w:pPr>{}<w:keepNext/>{}",
                &rest[..end + 2],
                &rest[end + 2..]
            );
        }
        return format!("<w:p><w:pPr><w:keepNext/>{rest}");
    }
    format!("<w:p><w:pPr><w:keepNext/></w:pPr>{}", &p["<w:p>".len()..])
}

/// Anchors present in a document, so references to them become internal links.
fn collect_anchors(blocks: &[Block], map: &mut HashMap<String, String>) {
    crate::ir::visit(blocks, &mut |b| match b {
        Block::Heading {
            anchor: Some(a), ..
        } => {
            map.insert(a.clone(), bookmark_name(a));
        }
        Block::Figure(f) => {
            map.insert(f.anchor.clone(), bookmark_name(&f.anchor));
        }
        Block::FigureRow { figures } => {
            for f in figures {
                map.insert(f.anchor.clone(), bookmark_name(&f.anchor));
            }
        }
        _ => {}
    });
}

/// Writes the body of a document laid out on `geo`.
pub(super) fn build(
    doc: &Document,
    geo: Geometry,
    raster: &Raster,
    report_pages: Option<&PageMap>,
) -> DResult<Body> {
    let mut w = Writer {
        doc,
        geo,
        report_pages,
        raster,
        bookmarks: HashMap::new(),
        next_bookmark: 0,
        next_pic: 0,
        links: Vec::new(),
        media: Vec::new(),
        footnotes: Vec::new(),
        lists: Vec::new(),
        styles: BTreeSet::new(),
        pending_bookmark: None,
        unanchored: 0,
        in_cell: 0,
    };
    collect_anchors(&doc.blocks, &mut w.bookmarks);
    let mut out = Vec::new();
    let front_section = w.front(&mut out)?;
    w.blocks(&doc.blocks, &mut out, 0)?;
    w.back(&mut out)?;
    let footnotes = w.footnotes.concat();
    Ok(Body {
        xml: out.concat(),
        numbering: numbering::part(&w.lists),
        footnotes,
        media: w.media,
        links: w.links,
        styles: w.styles,
        front_section,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bookmark_names_are_word_safe_and_short() {
        assert_eq!(
            bookmark_name("finding-rural-connectivity"),
            "_Ref_finding_rural_connectivity"
        );
        let long = bookmark_name("recommendation-digital-tools-integrity-environment");
        assert!(long.len() <= 40, "{long}");
        assert!(long.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        assert_ne!(
            long,
            bookmark_name("recommendation-digital-tools-integrity-environmenX")
        );
    }

    #[test]
    fn keeping_with_next_goes_after_the_style() {
        assert_eq!(
            keep_with_next("<w:p><w:pPr><w:pStyle w:val=\"Fact\"/></w:pPr><w:r/></w:p>"),
            "<w:p><w:pPr><w:pStyle w:val=\"Fact\"/><w:keepNext/></w:pPr><w:r/></w:p>"
        );
        assert_eq!(
            keep_with_next("<w:p><w:r/></w:p>"),
            "<w:p><w:pPr><w:keepNext/></w:pPr><w:r/></w:p>"
        );
    }
}
