//! IR → the body of a Word document with docx-rs: headings in Heading 1–3 styles with
//! bookmarks, real numbering for lists, tables with a repeating header row, footnotes,
//! hyperlinks, charts as pictures with alt text, and a pre-filled table of contents.
//!
//! Styles are referred to by id only; their look comes from the reference document. Every id
//! docx-rs would take from a process-wide counter (pictures, links, footnotes) is set here in
//! document order, so the same input gives the same bytes whatever else runs in parallel.

use std::collections::HashMap;

use docx_rs::{
    AbstractNumbering, AlignmentType, BorderType, BreakType, Docx, FieldCharType, Footnote,
    Hyperlink, HyperlinkData, HyperlinkType, IndentLevel, InstrPAGEREF, InstrText, Level, LevelJc,
    LevelOverride, LevelText, NumberFormat, Numbering, NumberingId, Paragraph, Pic, Run, RunFonts,
    Shading, ShdType, SpecialIndentType, Start, Table, TableBorder, TableBorderPosition,
    TableBorders, TableCell, TableRow, WidthType,
};

use crate::diag::Diagnostic;
use crate::ir::{self, Block, Document, Inline, KeyFigure, RefScope, Role, Tone};
use crate::render::{PageMap, Raster};

/// Abstract numbering ids: docx-rs always writes its own abstractNum 1 / num 1.
const BULLET_ABSTRACT: usize = 2;
const DECIMAL_ABSTRACT: usize = 3;

/// Text width of the page in twips, for table grids (A4 with the built-in margins).
pub const TEXT_WIDTH_TWIPS: usize = 9355;

/// The body and what the package step needs to finish it.
pub struct Body {
    pub docx: Docx,
    /// Alt text of each picture, in document order (docx-rs cannot write `descr`).
    pub alts: Vec<String>,
    /// Every style id the body uses, so missing ones can be supplied.
    pub styles: Vec<&'static str>,
    /// For each table in order: whether its first row is a repeating header.
    pub table_headers: Vec<bool>,
}

struct Writer<'a> {
    doc: &'a Document,
    /// Pages of the report's anchors (the report's own, for the report).
    report_pages: Option<&'a PageMap>,
    raster: &'a dyn Raster,
    docx: Docx,
    next_num: usize,
    next_bookmark: usize,
    next_link: usize,
    next_pic: usize,
    next_footnote: usize,
    alts: Vec<String>,
    bookmarks: HashMap<String, String>,
    styles: Vec<&'static str>,
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

/// Flags that inline formatting passes down.
#[derive(Clone, Copy, Default)]
struct Fmt {
    bold: bool,
    italic: bool,
    link: bool,
}

impl<'a> Writer<'a> {
    fn style(&mut self, id: &'static str) -> &'static str {
        if !self.styles.contains(&id) {
            self.styles.push(id);
        }
        id
    }

    fn run(&mut self, text: &str, f: Fmt) -> Run {
        // A line break in literal text (a code block kept as written) is a break, not a space.
        let mut r = Run::new();
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                r = r.add_break(BreakType::TextWrapping);
            }
            r = r.add_text(line.trim_end_matches('\r'));
        }
        if f.bold {
            r = r.bold();
        }
        if f.italic {
            r = r.italic();
        }
        if f.link {
            r = r.style(self.style("Hyperlink"));
        }
        r
    }

    /// Appends inlines to a paragraph.
    fn inlines(
        &mut self,
        mut p: Paragraph,
        inlines: &[Inline],
        f: Fmt,
    ) -> Result<Paragraph, Vec<Diagnostic>> {
        for i in inlines {
            p = match i {
                Inline::Text { text } => {
                    let r = self.run(text, f);
                    p.add_run(r)
                }
                Inline::Emph { content } => self.inlines(p, content, Fmt { italic: true, ..f })?,
                Inline::Strong { content } => self.inlines(p, content, Fmt { bold: true, ..f })?,
                Inline::Cite { label, .. } => {
                    let r = self.run(label, f);
                    p.add_run(r)
                }
                Inline::Break => p.add_run(Run::new().add_break(BreakType::TextWrapping)),
                Inline::Link { url, content } => {
                    self.next_link += 1;
                    let mut h = Hyperlink::new(url.clone(), HyperlinkType::External);
                    h.link = HyperlinkData::External {
                        rid: format!("rIdDecaLink{}", self.next_link),
                        path: url.clone(),
                    };
                    let runs = self.runs_of(content, Fmt { link: true, ..f });
                    for r in runs {
                        h = h.add_run(r);
                    }
                    p.add_hyperlink(h)
                }
                Inline::Footnote { content } => {
                    self.next_footnote += 1;
                    let note_style = self.style("FootnoteText");
                    let ref_style = self.style("FootnoteReference");
                    let mut np = Paragraph::new().style(note_style);
                    np = self.inlines(np, content, Fmt::default())?;
                    let footnote = Footnote {
                        id: self.next_footnote,
                        content: vec![np],
                    };
                    p.add_run(Run::new().style(ref_style).add_footnote_reference(footnote))
                }
                Inline::Ref {
                    target,
                    text,
                    scope,
                } => {
                    let page = self.report_pages.and_then(|p| p.get(target)).copied();
                    let local = self.bookmarks.get(target).cloned();
                    match (scope, local) {
                        (RefScope::Document, Some(name)) => {
                            let mut h = Hyperlink::new(name.clone(), HyperlinkType::Anchor);
                            let r = self.run(text, Fmt { link: true, ..f });
                            h = h.add_run(r);
                            p = p.add_hyperlink(h);
                            // "Figure 3" sits on the same page or the next: no page number.
                            if target.starts_with("figure-") {
                                p
                            } else {
                                self.page_ref(p, &name, page, f)
                            }
                        }
                        _ => {
                            let mut s = text.clone();
                            if let (RefScope::Report, Some(page)) = (scope, page) {
                                s.push_str(&format!(
                                    " ({})",
                                    self.label("report-page")
                                        .replace("{page}", &page.to_string())
                                ));
                            }
                            let r = self.run(&s, f);
                            p.add_run(r)
                        }
                    }
                }
            };
        }
        Ok(p)
    }

    fn label(&self, key: &str) -> String {
        self.doc.labels.get(key).cloned().unwrap_or_default()
    }

    /// " (p. 12)" where 12 is a PAGEREF field to the bookmark, which Word and LibreOffice compute
    /// from their own layout; its shown value until then is the PDF's page, when known.
    fn page_ref(&mut self, p: Paragraph, bookmark: &str, page: Option<usize>, f: Fmt) -> Paragraph {
        let label = self.label("see-page");
        let (before, after) = label.split_once("{page}").unwrap_or((&label, ""));
        let before = self.run(&format!(" ({before}"), f);
        let after = self.run(&format!("{after})"), f);
        p.add_run(before)
            .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
            .add_run(
                Run::new()
                    .add_instr_text(InstrText::PAGEREF(InstrPAGEREF::new(bookmark).hyperlink())),
            )
            .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
            .add_run(Run::new().add_text(page.map(|n| n.to_string()).unwrap_or_default()))
            .add_run(Run::new().add_field_char(FieldCharType::End, false))
            .add_run(after)
    }

    fn runs_of(&mut self, inlines: &[Inline], f: Fmt) -> Vec<Run> {
        let mut out = Vec::new();
        for i in inlines {
            match i {
                Inline::Text { text } => out.push(self.run(text, f)),
                Inline::Emph { content } => {
                    out.extend(self.runs_of(content, Fmt { italic: true, ..f }))
                }
                Inline::Strong { content } => {
                    out.extend(self.runs_of(content, Fmt { bold: true, ..f }))
                }
                Inline::Link { content, .. } => out.extend(self.runs_of(content, f)),
                Inline::Cite { label, .. } => out.push(self.run(label, f)),
                Inline::Ref { text, .. } => out.push(self.run(text, f)),
                Inline::Break => out.push(Run::new().add_break(BreakType::TextWrapping)),
                Inline::Footnote { .. } => {}
            }
        }
        out
    }

    fn para(
        &mut self,
        style: &'static str,
        inlines: &[Inline],
    ) -> Result<Paragraph, Vec<Diagnostic>> {
        let s = self.style(style);
        self.inlines(Paragraph::new().style(s), inlines, Fmt::default())
    }

    fn text_para(&mut self, style: &'static str, text: &str) -> Paragraph {
        let s = self.style(style);
        Paragraph::new().style(s).add_run(Run::new().add_text(text))
    }

    fn new_list(&mut self, ordered: bool, start: u64) -> usize {
        self.next_num += 1;
        let id = self.next_num;
        let abstract_id = if ordered {
            DECIMAL_ABSTRACT
        } else {
            BULLET_ABSTRACT
        };
        let mut n = Numbering::new(id, abstract_id);
        if ordered {
            n = n.add_override(LevelOverride::new(0).start(start as usize));
        }
        self.docx = std::mem::take(&mut self.docx).add_numbering(n);
        id
    }

    /// Blocks at a list level (0 outside lists).
    fn blocks(
        &mut self,
        blocks: &[Block],
        out: &mut Vec<Item>,
        level: usize,
    ) -> Result<(), Vec<Diagnostic>> {
        let mut i = 0;
        while i < blocks.len() {
            // A side note reads after the block it sits beside, as in the PDF.
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

    fn block(
        &mut self,
        b: &Block,
        out: &mut Vec<Item>,
        level: usize,
    ) -> Result<(), Vec<Diagnostic>> {
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
                let mut p = self.para(style, content)?;
                if *new_page {
                    p = p.page_break_before(true);
                }
                if !outlined {
                    // Outline level 9 keeps front matter out of Word's table of contents.
                    p = p.outline_lvl(9);
                }
                if let Some(a) = anchor {
                    let name = self
                        .bookmarks
                        .get(a)
                        .cloned()
                        .unwrap_or_else(|| bookmark_name(a));
                    self.next_bookmark += 1;
                    let id = self.next_bookmark;
                    p = p.add_bookmark_start(id, name).add_bookmark_end(id);
                }
                out.push(Item::p(p));
            }
            Block::Paragraph { content, role } => {
                let style = match (role, level) {
                    (Some(Role::Lead), _) => "Lead",
                    (Some(Role::Note), _) => "Note",
                    (_, 0) => "Normal",
                    _ => "ListParagraph",
                };
                let mut p = self.para(style, content)?;
                if level > 0 {
                    p = p.indent(Some(360 * level as i32), None, None, None);
                }
                out.push(Item::p(p));
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                let num = self.new_list(*ordered, *start);
                let style = self.style("ListParagraph");
                for item in items {
                    let mut first = true;
                    for sub in item {
                        match sub {
                            Block::Paragraph { content, .. } if first => {
                                let p = self.inlines(
                                    Paragraph::new().style(style),
                                    content,
                                    Fmt::default(),
                                )?;
                                out.push(Item::p(
                                    p.numbering(NumberingId::new(num), IndentLevel::new(level)),
                                ));
                            }
                            other => self.block(other, out, level + 1)?,
                        }
                        first = false;
                    }
                }
            }
            Block::Table(t) => self.table(t, out)?,
            Block::Figure(f) => self.figure(f, out, 1.0)?,
            Block::FigureRow { figures } => {
                for f in figures {
                    self.figure(f, out, 0.5)?;
                }
            }
            Block::Callout {
                title,
                blocks,
                tone,
            } => {
                let (style, title_style) = if *tone == Tone::Note {
                    (self.style("CalloutNote"), "CalloutNoteTitle")
                } else {
                    (self.style("Callout"), "CalloutTitle")
                };
                if let Some(t) = title {
                    let p = self.text_para(title_style, t);
                    out.push(Item::p(p));
                }
                for b in blocks {
                    if let Block::Paragraph { content, .. } = b {
                        let p =
                            self.inlines(Paragraph::new().style(style), content, Fmt::default())?;
                        out.push(Item::p(p));
                    } else {
                        self.block(b, out, level)?;
                    }
                }
                // A little air after the box.
                let spacer = self.text_para("Normal", "");
                out.push(Item::p(spacer.size(8)));
            }
            Block::Facts { items } => {
                let label_style = self.style("FactLabel");
                let fact_style = self.style("Fact");
                let mut trs = Vec::new();
                let grid = vec![2200, TEXT_WIDTH_TWIPS - 2200];
                let rows = items.len();
                for (k, f) in items.iter().enumerate() {
                    // Every row but the last keeps with the next: the block stays on one page.
                    let keep = k + 1 < rows;
                    let lp = Paragraph::new()
                        .style(fact_style)
                        .keep_next(keep)
                        .add_run(Run::new().style(label_style).add_text(&f.label));
                    let vp = self.inlines(
                        Paragraph::new().style(fact_style).keep_next(keep),
                        &f.value,
                        Fmt::default(),
                    )?;
                    trs.push(
                        TableRow::new(vec![
                            TableCell::new()
                                .add_paragraph(lp)
                                .width(grid[0], WidthType::Dxa),
                            TableCell::new()
                                .add_paragraph(vp)
                                .width(grid[1], WidthType::Dxa),
                        ])
                        .cant_split(),
                    );
                }
                let plain = self.style("DecaPlain");
                let t = Table::without_borders(trs)
                    .style(plain)
                    .set_grid(grid)
                    .width(5000, WidthType::Pct);
                out.push(Item::T(Box::new(t), false));
                let spacer = self.text_para("Normal", "");
                out.push(Item::p(spacer.size(8)));
            }
            Block::KeyFigures { items } => self.key_figures(items, out),
            Block::Keep { blocks } | Block::Aside { blocks } | Block::Multicol { blocks, .. } => {
                self.blocks(blocks, out, level)?
            }
            Block::Columns { main, side } => {
                let mut m = Vec::new();
                self.blocks(main, &mut m, 0)?;
                let mut sd = Vec::new();
                self.blocks(side, &mut sd, 0)?;
                let cell = |items: Vec<Item>, w: usize| {
                    let mut c = TableCell::new().width(w, WidthType::Dxa);
                    for it in items {
                        c = match it {
                            Item::P(p) => c.add_paragraph(*p),
                            Item::T(t, _) => c.add_table(*t),
                        };
                    }
                    c
                };
                let main_w = TEXT_WIDTH_TWIPS * 64 / 100;
                let plain = self.style("DecaPlain");
                let t = Table::without_borders(vec![TableRow::new(vec![
                    cell(m, main_w),
                    cell(sd, TEXT_WIDTH_TWIPS - main_w),
                ])])
                .style(plain)
                .set_grid(vec![main_w, TEXT_WIDTH_TWIPS - main_w])
                .width(5000, WidthType::Pct);
                out.push(Item::T(Box::new(t), false));
            }
            Block::Sources { entries } => {
                let style = self.style("Bibliography");
                for e in entries {
                    let mut p = Paragraph::new()
                        .style(style)
                        .add_run(Run::new().bold().add_text(&e.cite))
                        .add_run(Run::new().add_text(" "));
                    p = self.inlines(p, &e.content, Fmt::default())?;
                    out.push(Item::p(p));
                }
            }
            Block::Toc => self.toc(out),
            Block::Field { .. } => {}
        }
        Ok(())
    }

    /// Big numbers with a word under each, as a row of cells.
    fn key_figures(&mut self, items: &[KeyFigure], out: &mut Vec<Item>) {
        let style = self.style("KeyFigures");
        let big = self.style("KeyFigure");
        let mut cells = Vec::new();
        let w = TEXT_WIDTH_TWIPS / items.len().max(3);
        for f in items {
            let mut p = Paragraph::new()
                .style(style)
                .add_run(Run::new().style(big).add_text(&f.value))
                .add_run(Run::new().add_break(BreakType::TextWrapping))
                .add_run(Run::new().add_text(&f.label));
            if let Some(s) = &f.source {
                p = p
                    .add_run(Run::new().add_break(BreakType::TextWrapping))
                    .add_run(Run::new().add_text(s));
            }
            cells.push(TableCell::new().add_paragraph(p).width(w, WidthType::Dxa));
        }
        let grid = vec![w; items.len()];
        let plain = self.style("DecaPlain");
        let t = Table::without_borders(vec![TableRow::new(cells)])
            .style(plain)
            .set_grid(grid);
        out.push(Item::T(Box::new(t), false));
    }

    /// A table with a header row in the brand colour, rules between rows.
    fn table(&mut self, t: &ir::Table, out: &mut Vec<Item>) -> Result<(), Vec<Diagnostic>> {
        let total: f64 = t.columns.iter().map(|c| c.width).sum::<f64>().max(1.0);
        let grid: Vec<usize> = t
            .columns
            .iter()
            .map(|c| (c.width / total * TEXT_WIDTH_TWIPS as f64).round() as usize)
            .collect();
        let cell_style = self.style("TableText");
        let center = |c: usize| t.columns.get(c).is_some_and(|col| col.center);
        let mut trs = Vec::new();
        let mut head = Vec::new();
        for (c, h) in t.header.iter().enumerate() {
            let mut p = Paragraph::new().style(cell_style);
            if center(c) {
                p = p.align(AlignmentType::Center);
            }
            p = self.inlines(
                p,
                h,
                Fmt {
                    bold: true,
                    ..Fmt::default()
                },
            )?;
            p = recolor_runs(p, "FFFFFF");
            head.push(
                TableCell::new()
                    .add_paragraph(p)
                    .width(grid[c.min(grid.len() - 1)], WidthType::Dxa)
                    .shading(
                        Shading::new().shd_type(ShdType::Clear).color("auto").fill(
                            self.doc
                                .theme
                                .primary
                                .trim_start_matches('#')
                                .to_uppercase(),
                        ),
                    ),
            );
        }
        trs.push(TableRow::new(head).cant_split());
        for row in &t.rows {
            let mut cells = Vec::new();
            for (c, cell) in row.iter().enumerate() {
                let mut p = Paragraph::new().style(cell_style);
                if center(c) {
                    p = p.align(AlignmentType::Center);
                }
                let p = self.inlines(p, cell, Fmt::default())?;
                cells.push(
                    TableCell::new()
                        .add_paragraph(p)
                        .width(grid[c.min(grid.len() - 1)], WidthType::Dxa),
                );
            }
            trs.push(TableRow::new(cells).cant_split());
        }
        let table_style = self.style("DecaTable");
        // Rules between rows in the brand's light tint, none around: as in the PDF.
        let light = super::styles::lighten(&self.doc.theme.primary, 0.65);
        let rule = |pos| {
            TableBorder::new(pos)
                .size(4)
                .color(light.clone())
                .border_type(BorderType::Single)
        };
        let borders = TableBorders::with_empty()
            .set(rule(TableBorderPosition::Bottom))
            .set(rule(TableBorderPosition::InsideH));
        let table = Table::new(trs)
            .style(table_style)
            .set_grid(grid)
            .set_borders(borders)
            .width(5000, WidthType::Pct);
        out.push(Item::T(Box::new(table), true));
        if let Some(n) = &t.note {
            let p = self.para("Caption", n)?;
            out.push(Item::p(p));
        }
        Ok(())
    }

    /// A figure: its number and title above, the chart (as a picture), the image or the
    /// number tiles, then the source and note below. `share` is the part of the text width
    /// it may take (half for small multiples).
    fn figure(
        &mut self,
        f: &ir::Figure,
        out: &mut Vec<Item>,
        share: f64,
    ) -> Result<(), Vec<Diagnostic>> {
        // As in the PDF: the number in bold, then the title.
        let caption = vec![
            Inline::Strong {
                content: vec![Inline::text(&f.label)],
            },
            Inline::text(format!(" {}", f.title)),
        ];
        let cap = self.para("Caption", &caption)?.keep_next(true);
        out.push(Item::p(cap));
        let png = match &f.chart {
            Some(ch) => Some(self.raster.chart(self.doc, ch)?),
            None => None,
        };
        let fig = self.style("Figure");
        let mut p = Paragraph::new().style(fig);
        if let Some(png) = png {
            let max_w = 15.5 * 72.0 / 2.54 * share;
            let k = (max_w / png.width_pt).min(1.0);
            self.alts.push(f.alt.clone());
            let pic = self.picture(png.bytes.clone(), png.width_pt * k, png.height_pt * k);
            p = p.add_run(Run::new().add_image(pic));
        }
        self.next_bookmark += 1;
        let id = self.next_bookmark;
        p = p
            .add_bookmark_start(id, bookmark_name(&f.anchor))
            .add_bookmark_end(id);
        out.push(Item::p(p));
        if !f.tiles.is_empty() {
            self.key_figures(&f.tiles, out);
        }
        let mut below = Vec::new();
        if let Some(s) = &f.source {
            below.extend(s.iter().cloned());
        }
        if let Some(n) = &f.note {
            if !below.is_empty() {
                below.push(Inline::Break);
            }
            let label = self.label("note");
            below.push(Inline::text(format!("{label} {n}")));
        }
        if !below.is_empty() {
            let p = self.para("Caption", &below)?;
            out.push(Item::p(p));
        }
        Ok(())
    }

    /// A TOC field Word can update, pre-filled with the heading texts as links to their
    /// bookmarks, so it reads correctly before anyone updates it. Page numbers are Word's to
    /// compute (F9); the PDF's would be wrong after Word repaginates.
    fn toc(&mut self, out: &mut Vec<Item>) {
        let pages = self.report_pages.cloned().unwrap_or_default();
        let title = self
            .doc
            .labels
            .get("contents")
            .cloned()
            .unwrap_or_else(|| "Contents".into());
        let heading = self.text_para("TOCHeading", &title);
        out.push(Item::p(heading));
        let entries: Vec<(u8, String, String)> = self
            .doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading {
                    level,
                    content,
                    anchor: Some(a),
                    outlined: true,
                    ..
                } if *level <= 2 => {
                    Some((*level, crate::model::rich::plain_text(content), a.clone()))
                }
                _ => None,
            })
            .collect();
        let toc1 = self.style("TOC1");
        let toc2 = self.style("TOC2");
        let n = entries.len();
        for (i, (level, text, anchor)) in entries.into_iter().enumerate() {
            let style = if level == 1 { toc1 } else { toc2 };
            let mut p = Paragraph::new().style(style);
            if i == 0 {
                p = p
                    .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
                    .add_run(Run::new().add_instr_text(InstrText::Unsupported(
                        r#"TOC \o "1-2" \h \z \u"#.to_string(),
                    )))
                    .add_run(Run::new().add_field_char(FieldCharType::Separate, false));
            }
            let name = bookmark_name(&anchor);
            let h = Hyperlink::new(name.clone(), HyperlinkType::Anchor)
                .add_run(Run::new().add_text(text));
            p = p.add_hyperlink(h);
            // The page, as a PAGEREF field whose shown value is the PDF's page.
            if let Some(page) = pages.get(&anchor) {
                p =
                    p.add_run(Run::new().add_tab())
                        .add_run(Run::new().add_field_char(FieldCharType::Begin, false))
                        .add_run(Run::new().add_instr_text(InstrText::PAGEREF(
                            InstrPAGEREF::new(&name).hyperlink(),
                        )))
                        .add_run(Run::new().add_field_char(FieldCharType::Separate, false))
                        .add_run(Run::new().add_text(page.to_string()))
                        .add_run(Run::new().add_field_char(FieldCharType::End, false));
            }
            if i + 1 == n {
                p = p.add_run(Run::new().add_field_char(FieldCharType::End, false));
            }
            out.push(Item::p(p));
        }
        if n == 0 {
            out.push(Item::p(Paragraph::new()));
        }
    }

    fn picture(&mut self, png: Vec<u8>, w_pt: f64, h_pt: f64) -> Pic {
        self.next_pic += 1;
        let emu = |pt: f64| (pt * 12700.0).round() as u32;
        let mut pic = Pic::new_with_dimensions(png, 1, 1).size(emu(w_pt), emu(h_pt));
        pic.id = format!("rIdDecaImg{}", self.next_pic);
        pic
    }
}

/// Sets every run of a paragraph to a colour (header cells: white on the brand colour).
fn recolor_runs(mut p: Paragraph, color: &str) -> Paragraph {
    use docx_rs::ParagraphChild;
    for child in &mut p.children {
        if let ParagraphChild::Run(r) = child {
            let run = std::mem::take(&mut **r);
            **r = run.color(color).fonts(
                RunFonts::new()
                    .ascii("Calibri")
                    .hi_ansi("Calibri")
                    .cs("Calibri"),
            );
        }
    }
    p
}

impl Item {
    fn p(p: Paragraph) -> Item {
        Item::P(Box::new(p))
    }
}

/// A body element in order.
enum Item {
    P(Box<Paragraph>),
    /// A table; `true` when its first row is a header that repeats across pages.
    T(Box<Table>, bool),
}

/// Renders the body; the package step adds styles, headers, footers and properties.
pub fn build(
    doc: &Document,
    raster: &dyn Raster,
    report_pages: Option<&PageMap>,
) -> Result<Body, Vec<Diagnostic>> {
    let mut w = Writer {
        doc,
        report_pages,
        raster,
        docx: Docx::new(),
        next_num: 1,
        next_bookmark: 0,
        next_link: 0,
        next_pic: 0,
        next_footnote: 0,
        alts: Vec::new(),
        bookmarks: HashMap::new(),
        styles: Vec::new(),
    };
    // Anchors present in this document, so references to them become internal links.
    fn collect(blocks: &[Block], map: &mut HashMap<String, String>) {
        for b in blocks {
            match b {
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
                Block::List { items, .. } => items.iter().for_each(|i| collect(i, map)),
                Block::Callout { blocks, .. }
                | Block::Keep { blocks }
                | Block::Aside { blocks }
                | Block::Multicol { blocks, .. } => collect(blocks, map),
                Block::Columns { main, side } => {
                    collect(main, map);
                    collect(side, map);
                }
                _ => {}
            }
        }
    }
    collect(&doc.blocks, &mut w.bookmarks);

    w.docx = std::mem::take(&mut w.docx)
        .add_abstract_numbering(bullets())
        .add_abstract_numbering(decimals());

    let mut items = Vec::new();
    title_block(&mut w, &mut items)?;
    w.blocks(&doc.blocks, &mut items, 0)?;
    back_matter(&mut w, &mut items);
    let mut docx = std::mem::take(&mut w.docx);
    let mut table_headers = Vec::new();
    for item in items {
        docx = match item {
            Item::P(p) => docx.add_paragraph(*p),
            Item::T(t, header) => {
                table_headers.push(header);
                docx.add_table(*t)
            }
        };
    }
    Ok(Body {
        docx,
        alts: w.alts,
        styles: w.styles,
        table_headers,
    })
}

/// The opening of each kind, in the PDF's reading order: the report's cover (marks and
/// publisher, kicker and tag, title, subtitle, date) and inside cover (team, citation,
/// status, disclaimer, credits), or the title block of the others.
fn title_block(w: &mut Writer, items: &mut Vec<Item>) -> Result<(), Vec<Diagnostic>> {
    let doc = w.doc;
    let f = &doc.front;
    for mark in &f.marks {
        let png = w.raster.image(&mark.path)?;
        let (png, wpt, hpt) = (png.bytes.clone(), png.width_pt, png.height_pt);
        let h = if f.cover { 34.0 } else { 20.0 };
        let pic = w.picture(png, wpt * h / hpt.max(1.0), h);
        w.alts.push(mark.alt.clone());
        items.push(Item::p(Paragraph::new().add_run(Run::new().add_image(pic))));
    }
    if f.cover
        && let Some(o) = &f.organization
    {
        let p = w.text_para("Kicker", o);
        items.push(Item::p(p));
    }
    let mut k = w.text_para("Kicker", &f.kicker);
    if let Some(tag) = &f.tag {
        // The status tag, white on the accent colour as in the PDF.
        let accent = doc.theme.accent.trim_start_matches('#').to_uppercase();
        k = k.add_run(Run::new().add_text(" ")).add_run(
            Run::new()
                .add_text(format!(" {tag} "))
                .color("FFFFFF")
                .size(15)
                .shading(
                    Shading::new()
                        .shd_type(ShdType::Clear)
                        .color("auto")
                        .fill(accent),
                ),
        );
    }
    items.push(Item::p(k));
    let t = w.text_para("Title", &f.title);
    items.push(Item::p(t));
    if !f.cover {
        let p = w.text_para("Subtitle", &f.context);
        items.push(Item::p(p.size(19)));
        return Ok(());
    }
    if let Some(s) = &f.subtitle {
        let p = w.text_para("Subtitle", s);
        items.push(Item::p(p));
    }
    let lead = w.style("Lead");
    items.push(Item::p(
        Paragraph::new()
            .style(lead)
            .add_run(Run::new().bold().add_text(&f.date_line)),
    ));
    if let Some(img) = &f.image {
        let png = w.raster.image(&img.path)?;
        let (png, wpt, hpt) = (png.bytes.clone(), png.width_pt, png.height_pt);
        let k = (12.0 * 72.0 / 2.54 / wpt).min(1.0);
        w.alts.push(img.alt.clone());
        let pic = w.picture(png, wpt * k, hpt * k);
        let fig = w.style("Figure");
        items.push(Item::p(
            Paragraph::new()
                .style(fig)
                .add_run(Run::new().add_image(pic)),
        ));
    }
    // The inside cover: each item a small heading and its lines.
    let b = &doc.back;
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    if !b.team.is_empty() {
        sections.push((w.label("team"), b.team.clone()));
    }
    if let Some(c) = &b.citation {
        sections.push((w.label("suggested-citation"), vec![c.clone()]));
    }
    if let Some(s) = &f.status {
        sections.push((w.label("status"), vec![s.clone()]));
    }
    if let Some(d) = &b.disclaimer {
        sections.push((String::new(), vec![d.clone()]));
    }
    if !b.credits.is_empty() {
        sections.push((w.label("credits"), b.credits.clone()));
    }
    for (i, (head, lines)) in sections.into_iter().enumerate() {
        let mut first = None;
        if !head.is_empty() {
            first = Some(w.text_para("Kicker", &head));
        }
        let note = w.style("Note");
        let mut p = Paragraph::new().style(note);
        for (k, l) in lines.iter().enumerate() {
            if k > 0 {
                p = p.add_run(Run::new().add_break(BreakType::TextWrapping));
            }
            p = p.add_run(Run::new().add_text(l));
        }
        let (lead, rest) = match first {
            Some(h) => (h, Some(p)),
            None => (p, None),
        };
        // The inside cover starts a page of its own.
        items.push(Item::p(if i == 0 {
            lead.page_break_before(true)
        } else {
            lead
        }));
        if let Some(p) = rest {
            items.push(Item::p(p));
        }
    }
    Ok(())
}

/// The closing small print: the report's back cover (publisher and contacts), or the
/// disclaimer and contacts at the end of the others.
fn back_matter(w: &mut Writer, items: &mut Vec<Item>) {
    let b = &w.doc.back;
    let mut lines: Vec<String> = Vec::new();
    if w.doc.kind != crate::edition::Kind::Report {
        lines.extend(b.disclaimer.clone());
    }
    lines.extend(b.publisher.clone());
    lines.extend(b.address.iter().cloned());
    lines.extend(b.web.clone());
    lines.extend(b.contact.clone());
    if lines.is_empty() {
        return;
    }
    // One paragraph of small print, its lines broken, as the PDF sets it.
    let note = w.style("Note");
    let mut p = Paragraph::new().style(note);
    if w.doc.kind == crate::edition::Kind::Report {
        p = p.page_break_before(true);
    }
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            p = p.add_run(Run::new().add_break(BreakType::TextWrapping));
        }
        p = p.add_run(Run::new().add_text(l));
    }
    items.push(Item::p(p));
}

fn bullets() -> AbstractNumbering {
    let mut a = AbstractNumbering::new(BULLET_ABSTRACT);
    for lvl in 0..3 {
        let glyph = ["•", "–", "◦"][lvl];
        a = a.add_level(
            Level::new(
                lvl,
                Start::new(1),
                NumberFormat::new("bullet"),
                LevelText::new(glyph),
                LevelJc::new("left"),
            )
            .indent(
                Some(360 * (lvl as i32 + 1)),
                Some(SpecialIndentType::Hanging(284)),
                None,
                None,
            ),
        );
    }
    a
}

fn decimals() -> AbstractNumbering {
    let mut a = AbstractNumbering::new(DECIMAL_ABSTRACT);
    for lvl in 0..3 {
        let (fmt, text) = [
            ("decimal", "%1."),
            ("lowerLetter", "%2."),
            ("lowerRoman", "%3."),
        ][lvl];
        a = a.add_level(
            Level::new(
                lvl,
                Start::new(1),
                NumberFormat::new(fmt),
                LevelText::new(text),
                LevelJc::new("left"),
            )
            .indent(
                Some(360 * (lvl as i32 + 1)),
                Some(SpecialIndentType::Hanging(340)),
                None,
                None,
            )
            .bold(),
        );
    }
    a
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
}
