//! Pictures for Word files: charts and images rendered to PNG by the Typst backend. The one
//! place the DOCX writer calls another backend, so the rasteriser can be swapped behind it.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;
use crate::ir;
use crate::render::typst::Backend;

/// A PNG with its natural size in points.
pub struct Picture {
    pub png: Vec<u8>,
    pub width_pt: f64,
    pub height_pt: f64,
}

/// Renders the charts and images of one document.
pub struct Raster<'a> {
    pub backend: &'a Backend,
    pub assets: &'a BTreeMap<String, Vec<u8>>,
    pub doc: &'a ir::Document,
}

impl Raster<'_> {
    /// A chart drawn by the same template as the PDF's.
    pub fn chart(&self, chart: &ir::Chart) -> Result<Picture, Vec<Diagnostic>> {
        let mut shell = serde_json::to_value(self.doc).expect("IR serializes");
        shell["blocks"] = serde_json::json!([]);
        shell["chart"] = serde_json::to_value(chart).expect("chart serializes");
        let png = self.backend.chart_png(&shell, self.assets)?;
        Ok(Picture {
            png: png.bytes,
            width_pt: png.width_pt,
            height_pt: png.height_pt,
        })
    }

    /// An image asset (PNG, JPEG or SVG) as PNG.
    pub fn image(&self, path: &str) -> Result<Picture, Vec<Diagnostic>> {
        let png = self.backend.image_png(self.doc, path, self.assets)?;
        Ok(Picture {
            png: png.bytes,
            width_pt: png.width_pt,
            height_pt: png.height_pt,
        })
    }
}
