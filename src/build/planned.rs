//! A document planned for a run: its IR, the IR as JSON (serialised once, for every backend
//! that reads JSON and for hashing), the report anchors it cites, and the key of its inputs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::prepare::Prepared;
use super::progress::DocRef;
use crate::edition::{Kind, OutputFormat};
use crate::ir;
use crate::plan::{self, Ctx, Target};
use crate::render::PageMap;

/// A document planned for this run.
pub(super) struct Planned<'a> {
    pub p: &'a Prepared,
    pub lang: String,
    pub target: Target,
    pub doc: ir::Document,
    pub ir_json: Vec<u8>,
    /// Report anchors the document cites (empty for the report itself).
    pub cites: BTreeSet<String>,
    pub formats: Vec<OutputFormat>,
}

impl Planned<'_> {
    /// `peru/en/brief-integrity`
    pub(super) fn stem(&self) -> String {
        format!(
            "{}/{}/{}",
            self.p.assessment.name,
            self.lang,
            self.target.name()
        )
    }

    pub(super) fn rel(&self, format: OutputFormat) -> PathBuf {
        PathBuf::from(format!("{}.{}", self.stem(), format.extension()))
    }

    pub(super) fn doc_ref(&self, format: OutputFormat) -> DocRef {
        DocRef {
            assessment: self.p.assessment.name.clone(),
            kind: self.target.kind.name().to_string(),
            lang: self.lang.clone(),
            format: format.extension().to_string(),
            path: self.rel(format).to_string_lossy().replace('\\', "/"),
        }
    }
}

/// Plans a document: its IR, the IR as JSON, and the report anchors it cites.
pub(super) fn plan<'a>(
    p: &'a Prepared,
    lang: &str,
    target: Target,
    paper: crate::edition::Paper,
    formats: Vec<OutputFormat>,
) -> Planned<'a> {
    let c = Ctx {
        a: &p.assessment,
        locale: &p.locales[lang],
        paper,
    };
    let doc = plan::document(&c, &target);
    let value = serde_json::to_value(&doc).expect("IR serializes");
    let mut cites = BTreeSet::new();
    if target.kind != Kind::Report {
        report_refs(&value, &mut cites);
    }
    let ir_json = serde_json::to_vec(&value).expect("IR serializes");
    Planned {
        p,
        lang: lang.to_string(),
        target,
        doc,
        ir_json,
        cites,
        formats,
    }
}

/// Targets of `{"type": "ref", "scope": "report"}` inlines anywhere in the IR.
fn report_refs(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            if m.get("type").and_then(|t| t.as_str()) == Some("ref")
                && m.get("scope").and_then(|s| s.as_str()) == Some("report")
                && let Some(t) = m.get("target").and_then(|t| t.as_str())
            {
                out.insert(t.to_string());
            }
            m.values().for_each(|x| report_refs(x, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| report_refs(x, out)),
        _ => {}
    }
}

/// What decides a document's Typst layout: which deca (`pagecache::identity`), what its kind depends on, its IR and
/// the report pages it cites.
fn layout_inputs(d: &Planned, served: Option<&PageMap>) -> Sha256 {
    let mut h = Sha256::new();
    h.update(super::pagecache::identity());
    h.update(d.p.digests[&d.target.kind]);
    h.update((d.ir_json.len() as u64).to_le_bytes());
    h.update(&d.ir_json);
    if let Some(m) = served {
        let sorted: BTreeMap<_, _> = m.iter().collect();
        h.update(serde_json::to_vec(&sorted).expect("a page map serializes"));
    }
    h
}

/// The key of a one-page document's fitted scale (see `fitcache`): the same whatever formats
/// are built, since the Word file takes the scale the Typst layout found.
pub(super) fn fit_key(d: &Planned, served: Option<&PageMap>) -> String {
    let mut h = layout_inputs(d, served);
    h.update(b"fit");
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The key of a document's inputs: same key, same files.
pub(super) fn key(d: &Planned, served: Option<&PageMap>) -> [u8; 32] {
    let mut h = layout_inputs(d, served);
    for f in &d.formats {
        h.update(f.extension().as_bytes());
        if *f == OutputFormat::Docx {
            h.update(d.p.reference_digest);
        }
    }
    h.finalize().into()
}
