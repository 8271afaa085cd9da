//! Figures and pictures: a figure's number and title above, the chart, image or number tiles,
//! and its source below; small multiples side by side in a layout table. Pictures are inline
//! drawings with alt text; decorative ones are flagged so screen readers skip them.

use super::table::{Cell, layout_table};
use super::{P, Writer};
use crate::diag::DResult;
use crate::ir::{self, Inline};
use crate::render::docx::raster::Picture;
use crate::render::docx::xml::{emu, esc};

/// Word's extension that marks a picture as decorative.
const DECORATIVE: &str = "<a:extLst><a:ext uri=\"{C183D7F6-B498-43B3-948B-1728B52AA6E4}\"><adec:decorative xmlns:adec=\"http://schemas.microsoft.com/office/drawing/2017/decorative\" val=\"1\"/></a:ext></a:extLst>";

impl Writer<'_> {
    /// An inline picture run, `w_pt` × `h_pt`. An empty `alt` marks it decorative.
    pub(crate) fn picture(&mut self, pic: Picture, w_pt: f64, h_pt: f64, alt: &str) -> String {
        self.next_pic += 1;
        let n = self.next_pic;
        // Numbered from 1001, clear of the ids in a reference's headers.
        let id = 1000 + n;
        let rid = format!("rIdDecaImg{n}");
        self.media
            .push((rid.clone(), format!("deca-image-{n}.png"), pic.png));
        let (cx, cy) = (emu(w_pt), emu(h_pt));
        let decorative = if alt.is_empty() { DECORATIVE } else { "" };
        let descr = esc(alt);
        format!(
            concat!(
                "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">",
                "<wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>",
                "<wp:docPr id=\"{id}\" name=\"Picture {n}\" descr=\"{descr}\">{decorative}</wp:docPr>",
                "<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>",
                "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">",
                "<pic:pic><pic:nvPicPr><pic:cNvPr id=\"{id}\" name=\"Picture {n}\" descr=\"{descr}\"/><pic:cNvPicPr/></pic:nvPicPr>",
                "<pic:blipFill><a:blip r:embed=\"{rid}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>",
                "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>",
                "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
            ),
            cx = cx,
            cy = cy,
            id = id,
            n = n,
            descr = descr,
            decorative = decorative,
            rid = rid,
        )
    }

    /// The identity marks in a row, `height_pt` tall each, as picture runs.
    pub(crate) fn marks(&mut self, height_pt: f64) -> DResult<String> {
        let mut out = String::new();
        for (i, mark) in self.doc.front.marks.iter().enumerate() {
            let pic = self.raster.image(&mark.path)?;
            let w = pic.width_pt * height_pt / pic.height_pt.max(1.0);
            if i > 0 {
                out.push_str("<w:r><w:t xml:space=\"preserve\">   </w:t></w:r>");
            }
            let alt = mark.alt.clone();
            out.push_str(&self.picture(pic, w, height_pt, &alt));
        }
        Ok(out)
    }

    /// The width of the text column in points.
    pub(crate) fn column_pt(&self) -> f64 {
        (self.geo.text_width() - self.geo.wide) as f64 / 20.0
    }

    /// A figure into `out`; `width_pt` is the room it may take.
    fn figure_into(&mut self, f: &ir::Figure, out: &mut Vec<String>, width_pt: f64) -> DResult<()> {
        let label = self.style("FigureLabel");
        let mut caption = super::inline::text_run(&f.label, Some(label));
        caption.push_str(&super::inline::text_run(&format!(" {}", f.title), None));
        out.push(self.para(
            P {
                keep_next: true,
                ..P::style("Caption")
            },
            &caption,
        ));
        let picture = match &f.chart {
            Some(ch) => Some(self.raster.chart(ch)?),
            None => None,
        };
        let mut below = Vec::new();
        if let Some(s) = &f.source {
            below.extend(s.iter().cloned());
        }
        if let Some(n) = &f.note {
            if !below.is_empty() {
                below.push(Inline::Break);
            }
            below.push(Inline::text(format!("{} {n}", self.label("note"))));
        }
        let bookmark = self.bookmark(&f.anchor);
        if let Some(pic) = picture {
            let k = (width_pt / pic.width_pt).min(1.0);
            let (w, h) = (pic.width_pt * k, pic.height_pt * k);
            let run = self.picture(pic, w, h, &f.alt);
            out.push(self.para(
                P {
                    keep_next: !below.is_empty(),
                    ..P::style("Figure")
                },
                &format!("{bookmark}{run}"),
            ));
        } else {
            // Tiles carry the figure's bookmark in their first paragraph.
            self.pending_bookmark = Some(bookmark);
        }
        if !f.tiles.is_empty() {
            self.tiles(&f.tiles, out);
        }
        if !below.is_empty() {
            let c = self.inlines(&below, super::inline::Fmt::default());
            out.push(self.para(P::style("Source"), &c));
        }
        Ok(())
    }

    /// A figure across the text column.
    pub(crate) fn figure(
        &mut self,
        f: &ir::Figure,
        out: &mut Vec<String>,
        share: f64,
    ) -> DResult<()> {
        let w = self.column_pt() * share;
        self.figure_into(f, out, w)
    }

    /// Small multiples: two figures to a row, in a table without borders.
    pub(crate) fn figure_row(
        &mut self,
        figures: &[ir::Figure],
        out: &mut Vec<String>,
    ) -> DResult<()> {
        let total = self.geo.text_width();
        let half = total / 2;
        let mut rows = Vec::new();
        for pair in figures.chunks(2) {
            let mut cells = Vec::new();
            for f in pair {
                let mut inner = Vec::new();
                self.figure_into(f, &mut inner, half as f64 / 20.0 - 12.0)?;
                cells.push(Cell::new(half, inner.concat()));
            }
            rows.push(cells);
        }
        out.push(layout_table(
            self,
            "DecaPlain",
            &[half, total - half],
            rows,
            None,
        ));
        Ok(())
    }
}
