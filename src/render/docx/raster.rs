//! Pictures for Word files: charts and images rasterised by the renderer seam's
//! [`Raster`](crate::render::Raster) (the Typst backend draws them, the same pictures as the
//! PDF shows), held here with their natural size for the body writer.

use crate::diag::DResult;
use crate::ir;

/// A PNG with its natural size in points.
pub(super) struct Picture {
    pub png: Vec<u8>,
    pub width_pt: f64,
    pub height_pt: f64,
}

/// Renders the charts and images of one document.
pub(super) struct Raster<'a> {
    pub inner: &'a dyn crate::render::Raster,
    pub doc: &'a ir::Document,
}

impl Raster<'_> {
    /// A chart drawn by the same template as the PDF's.
    pub(super) fn chart(&self, chart: &ir::Chart) -> DResult<Picture> {
        let png = self.inner.chart(self.doc, chart)?;
        Ok(Picture {
            png: png.bytes.clone(),
            width_pt: png.width_pt,
            height_pt: png.height_pt,
        })
    }

    /// An image asset (PNG, JPEG or SVG) as PNG.
    pub(super) fn image(&self, path: &str) -> DResult<Picture> {
        let png = self.inner.image(path)?;
        Ok(Picture {
            png: png.bytes.clone(),
            width_pt: png.width_pt,
            height_pt: png.height_pt,
        })
    }
}
