//! What the build and a Typst worker process say to each other over the worker's standard
//! input and output: length-prefixed postcard frames.
//!
//! The parent first installs a session (the templates that differ from the built-in ones, the
//! assessment's images, the fixed date, the PDF standards), then sends jobs that name it. A job
//! is one document: its IR as JSON, the page map it may cite, and what to make (a PDF, the
//! layout facts only, page images). The worker answers each job with one result. Diagnostics
//! travel as plain data (message, hints, template path and byte range); the parent turns them
//! into located `Diagnostic`s with its own copy of the templates.

use std::io::{self, Read, Write};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A frame larger than this is refused as garbage: a PDF of a long report is a few MiB.
const MAX_FRAME: u64 = 1 << 32;

/// A message from the build to a worker.
#[derive(Debug, Serialize, Deserialize)]
pub enum ToWorker {
    /// Makes a session available to later jobs.
    Install(Box<SessionSpec>),
    /// Compiles one document; the worker answers with a [`FromWorker`].
    Run(Box<Job>),
    /// Drops Typst's cached results not used in the last `max_age` evictions.
    Evict(usize),
}

/// [`ToWorker`] by reference, for sending without copying a job: postcard encodes both alike.
#[derive(Debug, Serialize)]
pub enum ToWorkerRef<'a> {
    /// [`ToWorker::Install`].
    Install(&'a SessionSpec),
    /// [`ToWorker::Run`].
    Run(&'a Job),
    /// [`ToWorker::Evict`].
    Evict(usize),
}

/// A worker's answer to a job.
#[derive(Debug, Serialize, Deserialize)]
pub enum FromWorker {
    /// The job's result: its output, or why there is none.
    Done(Box<Result<JobOutput, JobFailure>>),
}

/// Everything documents of one assessment share in Typst.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionSpec {
    /// SHA-256 of everything below: jobs name their session by it.
    pub id: [u8; 32],
    /// Template files (path under templates/, bytes) that are not the built-in ones.
    pub overrides: Vec<(String, Vec<u8>)>,
    /// Built-in template paths that are not in effect (none today; kept for symmetry).
    pub removed: Vec<String>,
    /// The assessment's images, served under `/assets/`.
    pub assets: Vec<(String, Vec<u8>)>,
    /// What `datetime.today()` returns: year, month, day.
    pub today: (i32, u8, u8),
    /// The PDF creation date: year, month, day, hour, minute, second (UTC).
    pub timestamp: (i32, u8, u8, u8, u8, u8),
    /// PDF standards by deca's names (`ua-1`, `a-2a`, ...).
    pub standards: Vec<String>,
}

/// How page images are made.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ImageFormat {
    /// SVG, one string per page.
    Svg,
    /// PNG at this many pixels per point.
    Png {
        /// Pixels per typographic point (2.0 is 144 dpi).
        pixel_per_pt: f32,
    },
}

/// One document to compile.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    /// The [`SessionSpec::id`] of the session installed for this job.
    pub session: [u8; 32],
    /// The main template, e.g. `typst/brief.typ`.
    pub main: String,
    /// Served as `/ir.json`.
    // Byte strings go over the pipe as one block rather than byte by byte (the same postcard
    // encoding, decoded with one copy): a report's PDF took 7.7 M instructions to decode.
    #[serde(with = "serde_bytes")]
    pub ir: Vec<u8>,
    /// Served as `/pages.json`.
    #[serde(with = "serde_bytes")]
    pub pages: Vec<u8>,
    /// How the text size is chosen (one page, or keeping the closing off a page of its own).
    pub fit: super::fit::Fit,
    /// When fitting: the scale the same document was fitted at before, tried first.
    pub fit_hint: Option<f64>,
    /// Export a PDF with this identifier; `None` lays the document out only.
    pub pdf: Option<String>,
    /// Also render every page as an image.
    pub images: Option<ImageFormat>,
}

/// A diagnostic as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WireDiagnostic {
    /// An error (`true`) or a warning.
    pub error: bool,
    /// What Typst said, as it said it.
    pub message: String,
    /// Typst's hints, in order.
    pub hints: Vec<String>,
    /// Template path (under templates/) and byte range, when the problem has a place.
    pub span: Option<(String, usize, usize)>,
}

/// What a successful job yields.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JobOutput {
    /// The PDF's bytes, when the job asked for one.
    #[serde(with = "serde_bytes")]
    pub pdf: Option<Vec<u8>>,
    /// How many pages the document has.
    pub pages: usize,
    /// The text scale the document was set at.
    pub scale: f64,
    /// Page of each labelled anchor.
    pub anchors: Vec<(String, usize)>,
    /// Typst's warnings, to locate and report in the parent.
    pub warnings: Vec<WireDiagnostic>,
    /// Page images, when asked for.
    pub images: Vec<PageImage>,
    /// How many times Typst compiled the document (fitting may take more than one).
    pub compiles: u32,
}

/// One page as an image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageImage {
    /// PNG bytes or SVG text (UTF-8).
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
    /// Page width in points.
    pub width_pt: f64,
    /// Page height in points.
    pub height_pt: f64,
}

/// Why a job yielded nothing.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum JobFailure {
    /// Typst (or the export) reported errors; warnings come along.
    Errors(Vec<WireDiagnostic>),
    /// A one-page document does not fit even at the smallest text size.
    Overflow {
        /// How far past the page the content ran at the smallest scale.
        overflow: super::fit::Overflow,
        /// Typst's warnings from the last compile.
        warnings: Vec<WireDiagnostic>,
        /// How many times Typst compiled the document while fitting.
        compiles: u32,
    },
}

/// Writes one message as a frame: its length (u64, little-endian), then its postcard bytes.
pub fn write<W: Write, T: Serialize>(w: &mut W, message: &T) -> io::Result<()> {
    let bytes = postcard::to_stdvec(message).map_err(io::Error::other)?;
    w.write_all(&(bytes.len() as u64).to_le_bytes())?;
    w.write_all(&bytes)?;
    w.flush()
}

/// Reads one frame; `None` at a clean end of input.
pub fn read<R: Read, T: DeserializeOwned>(r: &mut R) -> io::Result<Option<T>> {
    let mut len = [0u8; 8];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u64::from_le_bytes(len);
    if len > MAX_FRAME {
        return Err(io::Error::other(format!(
            "frame of {len} bytes is too large"
        )));
    }
    let mut buf = vec![0u8; len as usize];
    r.read_exact(&mut buf)?;
    decode(&buf).map(Some)
}

/// Decodes a frame's payload.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> io::Result<T> {
    postcard::from_bytes(bytes).map_err(io::Error::other)
}

/// The length a frame header announces.
pub fn frame_len(header: [u8; 8]) -> io::Result<usize> {
    let len = u64::from_le_bytes(header);
    if len > MAX_FRAME {
        return Err(io::Error::other(format!(
            "frame of {len} bytes is too large"
        )));
    }
    Ok(len as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_end_cleanly() {
        let job = ToWorker::Evict(3);
        let mut buf = Vec::new();
        write(&mut buf, &job).unwrap();
        write(&mut buf, &ToWorker::Evict(7)).unwrap();
        let mut r = std::io::Cursor::new(buf);
        assert!(matches!(read(&mut r).unwrap(), Some(ToWorker::Evict(3))));
        assert!(matches!(read(&mut r).unwrap(), Some(ToWorker::Evict(7))));
        assert!(read::<_, ToWorker>(&mut r).unwrap().is_none());
    }

    #[test]
    fn a_message_by_reference_encodes_like_the_owned_one() {
        let job = Job {
            session: [7; 32],
            main: "typst/brief.typ".into(),
            ir: b"{}".to_vec(),
            pages: b"{}".to_vec(),
            fit: crate::render::typst::fit::Fit::OnePage,
            fit_hint: Some(0.92),
            pdf: Some("x".into()),
            images: Some(ImageFormat::Png { pixel_per_pt: 2.0 }),
        };
        let owned = postcard::to_stdvec(&ToWorker::Run(Box::new(job.clone()))).unwrap();
        let borrowed = postcard::to_stdvec(&ToWorkerRef::Run(&job)).unwrap();
        assert_eq!(owned, borrowed);
        let back: ToWorker = decode(&borrowed).unwrap();
        assert!(
            matches!(back, ToWorker::Run(j) if j.main == "typst/brief.typ" && j.fit == crate::render::typst::fit::Fit::OnePage)
        );
    }

    #[test]
    fn an_absurd_frame_length_is_refused() {
        let mut r = std::io::Cursor::new(u64::MAX.to_le_bytes().to_vec());
        assert!(read::<_, ToWorker>(&mut r).is_err());
    }
}
