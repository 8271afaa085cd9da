//! Charts and images as PNG for formats that embed pictures (Word), drawn by the same
//! templates as the PDF. Each picture is made once per build (and kept across watch
//! rebuilds): charts are keyed by the hash of the chart, the theme, the language and its
//! labels, images by their path, both within a session (templates and images).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use sha2::{Digest, Sha256};

use super::{ImageFormat, Request, Session, Typst};
use crate::diag::{DResult, Diagnostic};
use crate::ir;
use crate::render::{Png, Raster};

/// Pixels per point of the pictures: sharp at twice the printed size of a 15 cm chart.
const PIXEL_PER_PT: f32 = 3.0;

type Slot = Arc<OnceLock<DResult<Arc<Png>>>>;

/// Pictures made so far, shared by every document (and thread) of a build.
#[derive(Default)]
pub struct RasterCache {
    entries: Mutex<HashMap<[u8; 32], Slot>>,
}

impl RasterCache {
    /// An empty cache.
    pub fn new() -> RasterCache {
        RasterCache::default()
    }

    /// Pictures made so far.
    pub fn len(&self) -> usize {
        self.entries.lock().expect("raster cache lock").len()
    }

    /// Whether no picture has been made yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every picture when there are more than `max` (watch keeps it bounded).
    pub fn bound(&self, max: usize) {
        let mut e = self.entries.lock().expect("raster cache lock");
        if e.len() > max {
            e.clear();
        }
    }

    /// The picture for `key`, made by `make` by the first thread that asks.
    fn get(&self, key: [u8; 32], make: impl FnOnce() -> DResult<Arc<Png>>) -> DResult<Arc<Png>> {
        let slot = self
            .entries
            .lock()
            .expect("raster cache lock")
            .entry(key)
            .or_default()
            .clone();
        slot.get_or_init(make).clone()
    }
}

/// Rasterises with Typst, through the cache.
pub struct TypstRaster {
    /// The compiler the pictures are drawn with.
    pub typst: Arc<Typst>,
    /// The assessment's templates and images the pictures come from.
    pub session: Arc<Session>,
    /// Pictures already made, shared with the build's other documents.
    pub cache: Arc<RasterCache>,
}

impl TypstRaster {
    fn draw(&self, main: &str, json: &[u8]) -> DResult<Arc<Png>> {
        let out = self
            .typst
            .run(
                &self.session,
                &Request {
                    main: main.to_string(),
                    ir: json,
                    pages: None,
                    fit: super::fit::Fit::None,
                    fit_hint: None,
                    pdf: None,
                    images: Some(ImageFormat::Png {
                        pixel_per_pt: PIXEL_PER_PT,
                    }),
                    document: None,
                },
            )
            .map_err(|f| match f {
                super::Failure::Errors(d) => d,
                super::Failure::Overflow { warnings, .. } => warnings,
            })?;
        let page = out
            .images
            .into_iter()
            .next()
            .ok_or_else(|| vec![Diagnostic::error(format!("`{main}` produced no page"))])?;
        Ok(Arc::new(Png {
            bytes: page.bytes,
            width_pt: page.width_pt,
            height_pt: page.height_pt,
        }))
    }
}

fn json<T: serde::Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).expect("IR serializes")
}

fn part(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

impl Raster for TypstRaster {
    fn chart(&self, doc: &ir::Document, chart: &ir::Chart) -> DResult<Arc<Png>> {
        let mut h = Sha256::new();
        part(&mut h, b"chart");
        part(&mut h, &self.session.id());
        part(&mut h, &json(chart));
        part(&mut h, &json(&doc.theme));
        part(&mut h, doc.lang.as_bytes());
        part(&mut h, doc.region.as_deref().unwrap_or("").as_bytes());
        part(&mut h, &json(&doc.labels));
        part(&mut h, &doc.scale.to_le_bytes());
        self.cache.get(h.finalize().into(), || {
            // The chart template reads the document's theme and labels: serve the document
            // without its blocks, plus the chart.
            let head = ir::Document {
                blocks: Vec::new(),
                ..doc.clone()
            };
            let mut shell = serde_json::to_value(&head).expect("IR serializes");
            shell["chart"] = serde_json::to_value(chart).expect("chart serializes");
            self.draw(
                "typst/chart-image.typ",
                &serde_json::to_vec(&shell).expect("JSON serializes"),
            )
        })
    }

    fn image(&self, path: &str) -> DResult<Arc<Png>> {
        let mut h = Sha256::new();
        part(&mut h, b"image");
        part(&mut h, &self.session.id());
        part(&mut h, path.as_bytes());
        self.cache.get(h.finalize().into(), || {
            let json = serde_json::to_vec(&serde_json::json!({ "image": path }))
                .expect("request serializes");
            self.draw("typst/image-png.typ", &json)
        })
    }
}
