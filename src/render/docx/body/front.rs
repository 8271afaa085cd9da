//! Front and back matter from the document model, built from Word-native parts: the report's
//! cover (identity marks, then a panel in the brand colour holding kicker, tag, title, subtitle
//! and date at its foot), its inside cover (team, citation, status, disclaimer, credits) and
//! back cover (publisher and contacts on the brand colour); the title band that opens every
//! other kind; and the small print that closes them. Panels and bands are table cells whose
//! table style gives the colour, so a mission's reference recolours them.

use super::table::{Cell, Look, table_xml};
use super::{FRONT_SECTION, P, Writer};
use crate::diag::DResult;
use crate::render::docx::xml::twips;

/// Height of the identity marks on a cover and in a band, in points.
const COVER_MARKS_PT: f64 = 34.0;
const BAND_MARKS_PT: f64 = 22.0;

impl Writer<'_> {
    /// The kicker with the status tag beside it.
    fn kicker(&mut self) -> String {
        let f = &self.doc.front;
        let mut c = super::inline::text_run(&f.kicker, None);
        if let Some(tag) = f.tag.clone() {
            let style = self.style("Tag");
            c.push_str(&super::inline::text_run("  ", None));
            // Spaces inside the tag pad its shading.
            c.push_str(&super::inline::text_run(
                &format!("\u{a0}{tag}\u{a0}"),
                Some(style),
            ));
        }
        self.para(
            P {
                keep_next: true,
                ..P::style("Kicker")
            },
            &c,
        )
    }

    /// A panel in the brand colour: one cell of a `DecaCover` table at least `height` tall,
    /// its content at the foot.
    fn panel(&mut self, content: String, height: i64) -> String {
        let width = self.geo.text_width();
        let mut cell = Cell::new(width, content);
        cell.bottom = true;
        cell.row_height = Some(height);
        let style = self.style("DecaCover");
        table_xml(style, &[width], vec![vec![cell]], Look::default(), None)
    }

    /// The opening: the report's cover and inside cover, or the title band. Returns whether
    /// the front matter ends with `FRONT_SECTION` (the report).
    pub(crate) fn front(&mut self, out: &mut Vec<String>) -> DResult<bool> {
        if self.doc.front.cover {
            self.cover(out)?;
            self.inside_cover(out);
            Ok(true)
        } else {
            self.band(out)?;
            Ok(false)
        }
    }

    fn cover(&mut self, out: &mut Vec<String>) -> DResult<()> {
        let f = self.doc.front.clone();
        let marks = self.marks(COVER_MARKS_PT)?;
        if !marks.is_empty() {
            out.push(self.para(P::style("Marks"), &marks));
        }
        if let Some(o) = &f.organization {
            out.push(self.text_para(P::style("CoverOrganization"), o));
        }
        let mut c = String::new();
        if let Some(img) = &f.image {
            let pic = self.raster.image(&img.path)?;
            let w = self.geo.text_width() as f64 / 20.0 - 20.0;
            let k = (w / pic.width_pt).min(1.0);
            let (pw, ph) = (pic.width_pt * k, pic.height_pt * k);
            let run = self.picture(pic, pw, ph, &img.alt);
            c.push_str(&self.para(P::style("Figure"), &run));
            if let Some(credit) = &img.credit {
                c.push_str(&self.text_para(P::style("Source"), credit));
            }
        }
        c.push_str(&self.kicker());
        c.push_str(&self.text_para(P::style("Title"), &f.title));
        if let Some(s) = &f.subtitle {
            c.push_str(&self.text_para(P::style("Subtitle"), s));
        }
        c.push_str(&self.text_para(P::style("CoverDate"), &f.date_line));
        // The panel takes the page below the marks, less room for them and a safety margin
        // for layouts whose line heights differ from ours.
        let used = if marks.is_empty() { 0 } else { twips(20.0) };
        let height = (self.geo.text_height() - used - twips(22.0)).max(twips(60.0));
        out.push(self.panel(c, height));
        Ok(())
    }

    /// The inside cover: each item a small heading and its lines, starting a page.
    fn inside_cover(&mut self, out: &mut Vec<String>) {
        let b = self.doc.back.clone();
        let f = self.doc.front.clone();
        let mut items: Vec<(String, Vec<String>, &'static str)> = Vec::new();
        if !b.team.is_empty() {
            items.push((self.label("team"), b.team.clone(), "SmallPrint"));
        }
        if let Some(c) = &b.citation {
            items.push((
                self.label("suggested-citation"),
                vec![c.clone()],
                "SmallPrint",
            ));
        }
        if let Some(s) = &f.status {
            items.push((self.label("status"), vec![s.clone()], "SmallPrint"));
        }
        if let Some(d) = &b.disclaimer {
            items.push((String::new(), vec![d.clone()], "Disclaimer"));
        }
        if !b.credits.is_empty() {
            items.push((self.label("credits"), b.credits.clone(), "SmallPrint"));
        }
        let mut paras = Vec::new();
        for (i, (head, lines, style)) in items.into_iter().enumerate() {
            let first = i == 0;
            if !head.is_empty() {
                paras.push(self.text_para(
                    P {
                        keep_next: true,
                        page_break: first,
                        ..P::style("SmallPrintHeading")
                    },
                    &head,
                ));
            }
            paras.push(self.text_para(
                P {
                    page_break: first && head.is_empty(),
                    ..P::style(style)
                },
                &lines.join("\n"),
            ));
        }
        // The section of the cover pages ends with the last of them.
        if let Some(last) = paras.last_mut()
            && let Some(i) = last.find("</w:pPr>")
        {
            last.insert_str(i, FRONT_SECTION);
        }
        out.extend(paras);
    }

    /// The title band at the top of page 1: kicker and tag, title, one line of context, and
    /// the identity marks on a white plate beside them.
    fn band(&mut self, out: &mut Vec<String>) -> DResult<()> {
        let f = self.doc.front.clone();
        let mut text = self.kicker();
        text.push_str(&self.text_para(P::style("Title"), &f.title));
        text.push_str(&self.text_para(P::style("BandContext"), &f.context));
        let width = self.geo.text_width();
        let marks = self.marks(BAND_MARKS_PT)?;
        let (grid, cells) = if marks.is_empty() {
            (vec![width], vec![Cell::new(width, text)])
        } else {
            let side = width / 4;
            let m = self.para(P::style("Marks"), &marks);
            (
                vec![width - side, side],
                vec![Cell::new(width - side, text), Cell::new(side, m)],
            )
        };
        let style = self.style("DecaBand");
        out.push(table_xml(
            style,
            &grid,
            vec![cells],
            Look::default(),
            Some(&f.title),
        ));
        Ok(())
    }

    /// The closing: the report's back cover, or the small print at the end of the others.
    pub(crate) fn back(&mut self, out: &mut Vec<String>) -> DResult<()> {
        let b = self.doc.back.clone();
        let mut who: Vec<String> = Vec::new();
        who.extend(b.publisher.clone());
        who.extend(b.address.iter().cloned());
        who.extend(b.web.clone());
        who.extend(b.contact.clone());
        if self.doc.front.cover {
            let mut c = String::new();
            let marks = self.marks(COVER_MARKS_PT)?;
            if !marks.is_empty() {
                c.push_str(&self.para(
                    P {
                        page_break: true,
                        ..P::style("Marks")
                    },
                    &marks,
                ));
            }
            c.push_str(&self.text_para(
                P {
                    page_break: marks.is_empty(),
                    ..P::style("BackCover")
                },
                &who.join("\n"),
            ));
            let height = self.geo.text_height() - twips(22.0);
            out.push(self.panel(c, height));
            return Ok(());
        }
        let mut parts: Vec<String> = Vec::new();
        parts.extend(b.disclaimer.clone());
        if !who.is_empty() {
            parts.push(who.join(" · "));
        }
        // The small print stays together.
        let n = parts.len();
        for (k, p) in parts.into_iter().enumerate() {
            out.push(self.text_para(
                P {
                    keep_next: k + 1 < n,
                    ..P::style("Closing")
                },
                &p,
            ));
        }
        Ok(())
    }
}
