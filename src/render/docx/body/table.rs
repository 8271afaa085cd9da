//! Tables: data tables whose header row repeats and takes its look from the table style,
//! label–value facts, key-figure tiles, the one-pager's main column and sidebar, and a brief's
//! findings side by side. Layout tables carry a description for screen readers and no header.

use super::{P, Writer};
use crate::diag::DResult;
use crate::ir::{self, Block, Fact, KeyFigure};
use crate::render::docx::xml::esc;

/// One cell of a table: its width in twips, its content (paragraphs and tables), how many
/// grid columns it spans.
pub(super) struct Cell {
    pub width: i64,
    pub content: String,
    pub span: usize,
    /// Content set at the foot of the cell (a cover's title block).
    pub bottom: bool,
    /// The row's least height, in twips (read from a row's first cell).
    pub row_height: Option<i64>,
}

impl Cell {
    pub(super) fn new(width: i64, content: String) -> Cell {
        Cell {
            width,
            content,
            span: 1,
            bottom: false,
            row_height: None,
        }
    }
}

/// Which conditional formats of the table style apply (`w:tblLook`).
#[derive(Clone, Copy, Default)]
pub(super) struct Look {
    pub first_row: bool,
    pub last_column: bool,
    pub banded_rows: bool,
    /// Rows may break across pages (long findings side by side).
    pub split: bool,
}

/// A table in a style, its rows of cells; `header` marks the first row as a header that
/// repeats on every page; `description` is read by screen readers for layout tables.
pub(super) fn table_xml(
    style: &str,
    grid: &[i64],
    rows: Vec<Vec<Cell>>,
    look: Look,
    description: Option<&str>,
) -> String {
    let width: i64 = grid.iter().sum();
    let flag = |b: bool| if b { "1" } else { "0" };
    let mut out = format!(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"{style}\"/><w:tblW w:w=\"{width}\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:firstRow=\"{}\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"{}\" w:noHBand=\"{}\" w:noVBand=\"1\"/>",
        flag(look.first_row),
        flag(look.last_column),
        flag(!look.banded_rows),
    );
    if let Some(d) = description {
        out.push_str(&format!("<w:tblDescription w:val=\"{}\"/>", esc(d)));
    }
    out.push_str("</w:tblPr><w:tblGrid>");
    for g in grid {
        out.push_str(&format!("<w:gridCol w:w=\"{g}\"/>"));
    }
    out.push_str("</w:tblGrid>");
    for (r, row) in rows.into_iter().enumerate() {
        let used: usize = row.iter().map(|c| c.span).sum();
        let mut trpr = String::new();
        if used < grid.len() {
            let after: i64 = grid[used..].iter().sum();
            trpr.push_str(&format!(
                "<w:gridAfter w:val=\"{}\"/><w:wAfter w:w=\"{after}\" w:type=\"dxa\"/>",
                grid.len() - used
            ));
        }
        if !look.split {
            trpr.push_str("<w:cantSplit/>");
        }
        if let Some(h) = row.first().and_then(|c| c.row_height) {
            trpr.push_str(&format!("<w:trHeight w:val=\"{h}\" w:hRule=\"atLeast\"/>"));
        }
        if r == 0 && look.first_row {
            trpr.push_str("<w:tblHeader/>");
        }
        out.push_str(&format!("<w:tr><w:trPr>{trpr}</w:trPr>"));
        for c in row {
            let span = if c.span > 1 {
                format!("<w:gridSpan w:val=\"{}\"/>", c.span)
            } else {
                String::new()
            };
            let valign = if c.bottom {
                "<w:vAlign w:val=\"bottom\"/>"
            } else {
                ""
            };
            out.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>{span}{valign}</w:tcPr>{}</w:tc>",
                c.width, c.content
            ));
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

/// A table used for layout only: no header row, a description for screen readers.
pub(super) fn layout_table(
    w: &mut Writer,
    style: &'static str,
    grid: &[i64],
    rows: Vec<Vec<Cell>>,
    description: Option<&str>,
) -> String {
    let style = w.style(style);
    table_xml(style, grid, rows, Look::default(), description)
}

impl Writer<'_> {
    /// A data table across the full width, its header row repeating.
    pub(crate) fn table(&mut self, t: &ir::Table, out: &mut Vec<String>) {
        let total: f64 = t.columns.iter().map(|c| c.width).sum::<f64>().max(1.0);
        let width = self.geo.text_width();
        let grid: Vec<i64> = t
            .columns
            .iter()
            .map(|c| (c.width / total * width as f64).round() as i64)
            .collect();
        let center = |c: usize| t.columns.get(c).is_some_and(|col| col.center);
        let mut rows = Vec::new();
        for (r, row) in std::iter::once(&t.header).chain(&t.rows).enumerate() {
            let mut cells = Vec::new();
            let style = if r == 0 { "TableHeading" } else { "TableText" };
            for (c, cell) in row.iter().enumerate() {
                let content = self.inlines(cell, super::inline::Fmt::default());
                let p = self.para(
                    P {
                        center: center(c),
                        ..P::style(style)
                    },
                    &content,
                );
                cells.push(Cell::new(grid[c.min(grid.len() - 1)], p));
            }
            rows.push(cells);
        }
        let style = self.style("DecaTable");
        out.push(table_xml(
            style,
            &grid,
            rows,
            Look {
                first_row: true,
                banded_rows: true,
                ..Look::default()
            },
            None,
        ));
        if let Some(n) = &t.note {
            let c = self.inlines(n, super::inline::Fmt::default());
            out.push(self.para(P::style("Source"), &c));
        }
    }

    /// Label–value pairs in two columns, kept on one page.
    pub(crate) fn facts(&mut self, items: &[Fact], out: &mut Vec<String>) {
        let width = self.geo.text_width();
        let label_w = (width / 5).max(1700);
        let grid = [label_w, width - label_w];
        let n = items.len();
        let mut rows = Vec::new();
        for (k, f) in items.iter().enumerate() {
            // Every row but the last keeps with the next: the block stays on one page.
            let keep = k + 1 < n;
            let l = self.text_para(
                P {
                    keep_next: keep,
                    ..P::style("FactLabel")
                },
                &f.label,
            );
            let c = self.inlines(&f.value, super::inline::Fmt::default());
            let v = self.para(
                P {
                    keep_next: keep,
                    ..P::style("Fact")
                },
                &c,
            );
            rows.push(vec![Cell::new(grid[0], l), Cell::new(grid[1], v)]);
        }
        out.push(layout_table(self, "DecaPlain", &grid, rows, None));
    }

    /// One key figure as paragraphs: the number, what it is, its source.
    fn tile_paragraphs(&mut self, f: &KeyFigure) -> String {
        let bookmark = self.pending_bookmark.take().unwrap_or_default();
        let mut s = self.para(
            P {
                keep_next: true,
                ..P::style("KeyFigureValue")
            },
            &format!("{bookmark}{}", super::inline::text_run(&f.value, None)),
        );
        s.push_str(&self.text_para(
            P {
                keep_next: f.source.is_some(),
                ..P::style("KeyFigureLabel")
            },
            &f.label,
        ));
        if let Some(src) = &f.source {
            s.push_str(&self.text_para(P::style("KeyFigureSource"), src));
        }
        s
    }

    /// Key figures as tiles in a row: a table whose style draws the rule above each.
    pub(crate) fn tiles(&mut self, items: &[KeyFigure], out: &mut Vec<String>) {
        if items.is_empty() {
            return;
        }
        let width = self.geo.text_width();
        // At least two tiles' room, as in the PDF: a single figure takes half the row.
        let per = width / (items.len().clamp(2, 4) as i64);
        let mut rows = Vec::new();
        for chunk in items.chunks(4) {
            let cells = chunk
                .iter()
                .map(|f| {
                    let c = self.tile_paragraphs(f);
                    Cell::new(per, c)
                })
                .collect();
            rows.push(cells);
        }
        let cols = items.len().min(4);
        let grid = vec![per; cols];
        out.push(layout_table(self, "DecaTiles", &grid, rows, None));
    }

    /// The one-pager's body: a main column and a shaded sidebar (the table style's last
    /// column) with the key number and the facts stacked.
    pub(crate) fn sidebar(
        &mut self,
        main: &[Block],
        side: &[Block],
        out: &mut Vec<String>,
    ) -> DResult<()> {
        let width = self.geo.text_width();
        let main_w = width * 64 / 100;
        let mut m = Vec::new();
        self.in_cell += 1;
        self.blocks(main, &mut m, 0)?;
        let mut s = Vec::new();
        for b in side {
            match b {
                Block::KeyFigures { items } => {
                    for f in items {
                        s.push(self.tile_paragraphs(f));
                    }
                }
                Block::Facts { items } => {
                    for f in items {
                        s.push(self.text_para(
                            P {
                                keep_next: true,
                                ..P::style("FactLabel")
                            },
                            &f.label,
                        ));
                        let c = self.inlines(&f.value, super::inline::Fmt::default());
                        s.push(self.para(P::style("Fact"), &c));
                    }
                }
                other => self.blocks(std::slice::from_ref(other), &mut s, 0)?,
            }
        }
        self.in_cell -= 1;
        let grid = [main_w, width - main_w];
        let style = self.style("DecaSidebar");
        out.push(table_xml(
            style,
            &grid,
            vec![vec![
                Cell::new(grid[0], m.concat()),
                Cell::new(grid[1], s.concat()),
            ]],
            Look {
                last_column: true,
                // A sidebar taller than what is left of page 1 continues on page 2 rather
                // than leaving page 1 empty under the band.
                split: true,
                ..Look::default()
            },
            None,
        ));
        Ok(())
    }

    /// Blocks side by side, `count` to a row: each item is a heading and what follows it.
    pub(crate) fn multicol(
        &mut self,
        count: u8,
        blocks: &[Block],
        out: &mut Vec<String>,
    ) -> DResult<()> {
        let count = usize::from(count.max(1));
        let mut items: Vec<Vec<Block>> = Vec::new();
        for b in blocks {
            if matches!(b, Block::Heading { .. }) || items.is_empty() {
                items.push(Vec::new());
            }
            items.last_mut().expect("pushed above").push(b.clone());
        }
        let width = self.geo.text_width();
        let per = width / count as i64;
        let grid = vec![per; count];
        let mut rows = Vec::new();
        self.in_cell += 1;
        for chunk in items.chunks(count) {
            let mut cells = Vec::new();
            for item in chunk {
                let mut inner = Vec::new();
                self.blocks(item, &mut inner, 0)?;
                cells.push(Cell::new(per, inner.concat()));
            }
            rows.push(cells);
        }
        self.in_cell -= 1;
        let style = self.style("DecaPlain");
        out.push(table_xml(
            style,
            &grid,
            rows,
            // A row (a heading and its text per column) moves to the next page whole: split,
            // LibreOffice and Word leave its headings alone at the foot of a page, since
            // keep-with-next does not hold inside a cell. A row is a few paragraphs, far
            // shorter than a page.
            Look::default(),
            None,
        ));
        Ok(())
    }
}
