//! The Typst backend: IR → JSON → templates → PDF, layout facts, and page images.
//!
//! Compiles run in worker processes (`pool`, `worker`) that the build can kill at `--timeout`
//! or `--max-memory`; `DECA_IN_PROCESS=1` compiles in the build's own process instead (no
//! limits: for measuring what the workers cost). A [`Session`] holds what an assessment's
//! documents share; a [`Request`] is one document. One request may compile several times:
//! one-pagers and the overview are fitted to one page (see `fit`).
//!
//! For previews, a request can ask for every page as SVG or PNG from the same compile as its
//! PDF (`Request::images`).

mod compile;
mod diagnostics;
pub(crate) mod emit;
pub mod fit;
pub(crate) mod pdf;
mod pool;
pub mod protocol;
mod raster;
mod session;
pub(crate) mod worker;
pub mod world;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use typst_layout::PagedDocument;

use crate::diag::{DResult, Diagnostic};
pub use crate::render::{Layout, PageMap};
use crate::templates::Origin;
pub use compile::encode_png;
pub use pdf::PdfRenderer;
pub use pool::WORKER_COMMAND;
pub use protocol::{ImageFormat, PageImage};
pub use raster::{RasterCache, TypstRaster};
pub use session::{Moment, Session};

/// The template that lays out a kind.
pub fn main_template(kind: crate::edition::Kind) -> String {
    format!("typst/{}.typ", kind.name())
}

/// One document to compile.
pub struct Request<'a> {
    /// The main template, e.g. `typst/brief.typ`.
    pub main: String,
    /// The document's IR as JSON.
    pub ir: &'a [u8],
    /// The report's page map the document may cite (`None`: an empty map).
    pub pages: Option<&'a PageMap>,
    /// How the text size is chosen (see [`fit::Fit`]).
    pub fit: fit::Fit,
    /// When fitting: the scale the same document was fitted at before (from the build's
    /// cache), tried first and kept when it still serves.
    pub fit_hint: Option<f64>,
    /// Export a PDF with this identifier; `None` lays the document out only.
    pub pdf: Option<String>,
    /// Also render every page as SVG or PNG, from the same compile (for previews).
    pub images: Option<ImageFormat>,
    /// The document this is (`peru/en/report`): it goes to the worker that compiled it last,
    /// whose caches may still hold its layout.
    pub document: Option<String>,
}

/// What a request yields.
pub struct Output {
    /// The PDF's bytes, when the request asked for one.
    pub pdf: Option<Vec<u8>>,
    /// Pages, scale and anchor pages of the compiled document.
    pub layout: Layout,
    /// Typst's warnings, located in the templates.
    pub warnings: Vec<Diagnostic>,
    /// Page images, when the request asked for them.
    pub images: Vec<PageImage>,
    /// How many times Typst compiled the document (fitting may take several).
    pub compiles: u32,
}

/// Why a request yielded nothing.
#[derive(Debug)]
pub enum Failure {
    /// Errors from Typst or the export, located in the templates.
    Errors(Vec<Diagnostic>),
    /// A one-page document does not fit even at the smallest text size.
    Overflow {
        /// How far past the page the content ran at the smallest scale.
        overflow: fit::Overflow,
        /// Warnings from the last compile.
        warnings: Vec<Diagnostic>,
    },
}

enum Engine {
    Workers(pool::Pool),
    InProcess,
}

/// The job a request describes.
fn job(session: &Session, request: &Request) -> protocol::Job {
    let pages = match request.pages {
        Some(p) => serde_json::to_vec(&p.iter().collect::<BTreeMap<_, _>>())
            .expect("a page map serializes"),
        None => b"{}".to_vec(),
    };
    protocol::Job {
        session: session.spec.id,
        main: request.main.clone(),
        ir: request.ir.to_vec(),
        pages,
        fit: request.fit,
        fit_hint: request.fit_hint,
        pdf: request.pdf.clone(),
        images: request.images,
    }
}

/// Compiles documents: in worker processes, or in this process.
pub struct Typst {
    engine: Engine,
    /// Sessions ready to compile in this process.
    local: Mutex<Vec<([u8; 32], Arc<compile::Session>)>>,
    timeout: Duration,
    max_memory: u64,
    evict_age: usize,
    compiles: AtomicU64,
}

impl Typst {
    /// Up to `workers` worker processes started from this executable, each job limited to
    /// `timeout` and `max_memory` bytes, Typst's cached results unused for `evict_age` jobs
    /// dropped after each job, with the fonts of `font_paths` (`--font-path`) besides the
    /// bundled ones; in process when `DECA_IN_PROCESS=1`.
    pub fn new(
        workers: usize,
        timeout: Duration,
        max_memory: u64,
        evict_age: usize,
        font_paths: Vec<PathBuf>,
    ) -> Typst {
        if std::env::var("DECA_IN_PROCESS").is_ok_and(|v| v == "1") {
            return Typst {
                evict_age,
                ..Typst::in_process(timeout)
            };
        }
        let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("deca"));
        Typst {
            engine: Engine::Workers(pool::Pool::new(
                exe, workers, max_memory, evict_age, font_paths,
            )),
            local: Mutex::new(Vec::new()),
            timeout,
            max_memory,
            evict_age,
            compiles: AtomicU64::new(0),
        }
    }

    /// Compiles in this process: no time or memory limit is enforced.
    pub fn in_process(timeout: Duration) -> Typst {
        Typst {
            engine: Engine::InProcess,
            local: Mutex::new(Vec::new()),
            timeout,
            max_memory: u64::MAX,
            evict_age: worker::BUILD_EVICT_AGE,
            compiles: AtomicU64::new(0),
        }
    }

    /// Typst compiles so far (fitting may compile a document more than once).
    pub fn compiles(&self) -> u64 {
        self.compiles.load(Ordering::Relaxed)
    }

    /// Drops Typst's cached results older than `max_age` jobs in every idle worker (in
    /// process: in this process). Watch calls it after each rebuild.
    pub fn evict(&self, max_age: usize) {
        match &self.engine {
            Engine::Workers(pool) => pool.evict(max_age),
            Engine::InProcess => comemo::evict(max_age),
        }
    }

    /// Worker processes alive now (0 in process).
    pub fn workers(&self) -> usize {
        match &self.engine {
            Engine::Workers(pool) => pool.live(),
            Engine::InProcess => 0,
        }
    }

    /// Compiles one document.
    pub fn run(&self, session: &Session, request: &Request) -> Result<Output, Failure> {
        let job = job(session, request);
        let result = match &self.engine {
            Engine::Workers(pool) => pool.run(
                &session.spec,
                &job,
                self.timeout,
                request.document.as_deref(),
            ),
            Engine::InProcess => self.here(session, &job).map(|(out, _)| out),
        };
        self.convert(session, &request.main, result)
    }

    /// Compiles one document in this process whatever the engine, and keeps its layout, for
    /// a preview that draws pages from it on demand. No time or memory limit applies.
    pub fn run_local(
        &self,
        session: &Session,
        request: &Request,
    ) -> Result<(Output, PagedDocument), Failure> {
        let job = job(session, request);
        match self.here(session, &job) {
            Ok((out, doc)) => self
                .convert(session, &request.main, Ok(out))
                .map(|out| (out, doc)),
            Err(stopped) => Err(self
                .convert(session, &request.main, Err(stopped))
                .err()
                .expect("a stopped job converts to a failure")),
        }
    }

    /// Converts a job's result into the build's terms, locating diagnostics.
    fn convert(
        &self,
        session: &Session,
        main: &str,
        result: Result<protocol::JobOutput, pool::Stopped>,
    ) -> Result<Output, Failure> {
        let templates = &session.templates;
        match result {
            Ok(out) => {
                self.compiles
                    .fetch_add(u64::from(out.compiles), Ordering::Relaxed);
                Ok(Output {
                    pdf: out.pdf,
                    layout: Layout {
                        pages: out.pages,
                        scale: out.scale,
                        anchors: out.anchors.into_iter().collect(),
                    },
                    warnings: diagnostics::all_from_wire(templates, &out.warnings),
                    images: out.images,
                    compiles: out.compiles,
                })
            }
            Err(pool::Stopped::Failed(protocol::JobFailure::Errors(d))) => {
                self.compiles.fetch_add(1, Ordering::Relaxed);
                Err(Failure::Errors(diagnostics::all_from_wire(templates, &d)))
            }
            Err(pool::Stopped::Failed(protocol::JobFailure::Overflow {
                overflow,
                warnings,
                compiles,
            })) => {
                self.compiles
                    .fetch_add(u64::from(compiles), Ordering::Relaxed);
                Err(Failure::Overflow {
                    overflow,
                    warnings: diagnostics::all_from_wire(templates, &warnings),
                })
            }
            Err(stopped) => Err(Failure::Errors(vec![self.stopped(session, main, stopped)])),
        }
    }

    /// Runs a job in this process.
    fn here(
        &self,
        session: &Session,
        job: &protocol::Job,
    ) -> Result<(protocol::JobOutput, PagedDocument), pool::Stopped> {
        let ready = {
            let mut list = self.local.lock().expect("session list lock");
            match list.iter().find(|(id, _)| *id == session.spec.id) {
                Some((_, s)) => s.clone(),
                None => {
                    let s = Arc::new(
                        compile::Session::new(&session.spec)
                            .map_err(|e| pool::Stopped::Crashed(e.clone()))?,
                    );
                    list.push((session.spec.id, s.clone()));
                    s
                }
            }
        };
        let result = compile::execute_keeping(&ready, job).map_err(pool::Stopped::Failed);
        comemo::evict(self.evict_age);
        result
    }

    /// The error for a compile that was stopped, located at the main template.
    fn stopped(&self, session: &Session, main: &str, stopped: pool::Stopped) -> Diagnostic {
        let shown = match session.templates.get(main).map(|f| &f.origin) {
            Some(Origin::Override { path, .. }) => path.display().to_string(),
            _ => format!("<built-in>/templates/{main}"),
        };
        let d = match stopped {
            pool::Stopped::Timeout => Diagnostic::error(format!(
                "template `{main}` ran longer than the time limit ({} s) and was stopped",
                self.timeout.as_secs()
            ))
            .hint("look for an endless loop or runaway recursion in the template; `--timeout SECONDS` raises the limit"),
            pool::Stopped::Memory => Diagnostic::error(format!(
                "template `{main}` needed more memory than the limit ({}) and was stopped",
                human_bytes(self.max_memory)
            ))
            .hint("look for a loop that builds an ever larger array or string; `--max-memory SIZE` raises the limit"),
            pool::Stopped::Crashed(what) => Diagnostic::error(format!(
                "the Typst compiler stopped unexpectedly on `{main}` ({what})"
            )),
            pool::Stopped::Spawn(e) => {
                return Diagnostic::error(format!("failed to start a Typst worker process ({e})"))
                    .hint("deca starts copies of its own executable to compile; check that it is still where it was started from");
            }
            pool::Stopped::Failed(_) => unreachable!("handled by the caller"),
        };
        d.in_file(shown)
    }
}

/// `2 GiB`, `512 MiB`.
pub fn human_bytes(b: u64) -> String {
    const GIB: u64 = 1 << 30;
    const MIB: u64 = 1 << 20;
    if b >= GIB && b.is_multiple_of(GIB) {
        format!("{} GiB", b / GIB)
    } else if b >= GIB {
        format!("{:.1} GiB", b as f64 / GIB as f64)
    } else {
        format!("{} MiB", b.div_ceil(MIB))
    }
}

/// Compiles a document here and now, for tests and tools that inspect the layout itself.
pub fn compile_here(
    session: &Session,
    main: &str,
    ir: &[u8],
    pages: Option<&PageMap>,
) -> DResult<PagedDocument> {
    let ready = compile::Session::new(&session.spec)
        .map_err(|e| vec![Diagnostic::error(format!("failed to set up Typst ({e})"))])?;
    let pages = pages.map_or_else(
        || b"{}".to_vec(),
        |p| serde_json::to_vec(&p.iter().collect::<BTreeMap<_, _>>()).expect("serializes"),
    );
    compile::layout(&ready, main, ir, &pages)
        .map_err(|d| diagnostics::all_from_wire(&session.templates, &d))
}

/// The text of every page, for tests and parity checks: glyph runs in reading order.
pub fn page_texts(doc: &PagedDocument) -> Vec<String> {
    use typst::layout::{Frame, FrameItem};
    fn walk(frame: &Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, out),
                FrameItem::Text(t) => {
                    out.push_str(t.text.as_str());
                    out.push(' ');
                }
                _ => {}
            }
        }
    }
    doc.pages()
        .iter()
        .map(|p| {
            let mut s = String::new();
            walk(&p.frame, &mut s);
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edition::{Kind, Paper};
    use crate::plan::{Ctx, Target};

    #[test]
    fn a_request_returns_its_pages_as_svg_or_png_from_the_same_compile_as_its_pdf() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base");
        let a = crate::model::load(&dir, &dir)
            .assessment
            .expect("the fixture loads");
        let templates = crate::templates::TemplateSet::builtin();
        let (locale, _) = crate::i18n::Locale::load(&templates, "en").unwrap();
        let ctx = Ctx {
            a: &a,
            locale: &locale,
            paper: Paper::A4,
        };
        let doc = crate::plan::document(
            &ctx,
            &Target {
                kind: Kind::Brief,
                item: Some("integrity".into()),
            },
        );
        let moment = Moment {
            year: 2024,
            month: 3,
            day: 15,
            hour: 0,
            minute: 0,
            second: 0,
        };
        let session = Session::new(templates, a.assets.clone(), moment, Vec::new());
        let typst = Typst::in_process(Duration::from_secs(60));
        let ir = serde_json::to_vec(&doc).unwrap();
        let formats = [ImageFormat::Svg, ImageFormat::Png { pixel_per_pt: 1.0 }];
        for format in formats {
            let out = typst
                .run(
                    &session,
                    &Request {
                        main: main_template(doc.kind),
                        ir: &ir,
                        pages: None,
                        fit: fit::Fit::None,
                        fit_hint: None,
                        pdf: Some("demo/en/brief-integrity".into()),
                        images: Some(format),
                        document: None,
                    },
                )
                .unwrap_or_else(|_| panic!("the brief compiles"));
            assert!(out.pdf.unwrap().starts_with(b"%PDF-"));
            assert!(out.layout.pages >= 1);
            assert_eq!(out.images.len(), out.layout.pages);
            let first = &out.images[0];
            assert_eq!(
                (first.width_pt.round(), first.height_pt.round()),
                (595.0, 842.0)
            );
            match format {
                ImageFormat::Svg => assert!(first.bytes.starts_with(b"<svg")),
                ImageFormat::Png { .. } => {
                    assert!(first.bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
                    let d = png::Decoder::new(std::io::Cursor::new(&first.bytes));
                    let info = d.read_info().unwrap().info().clone();
                    assert_eq!((info.width, info.height), (595, 842));
                }
            }
        }
        // One compile per request: the pictures come from the PDF's own layout.
        assert_eq!(typst.compiles(), 2);
    }
}
