//! `manifest.json` and `SHA256SUMS`: what a run produced, for CI and for people checking a
//! release. Both list only this run's files, relative to the output folder, sorted by path, with
//! nothing time-dependent, so identical inputs give identical manifests.

#[cfg(test)]
use crate::hash::sha256_hex;
use serde::{Deserialize, Serialize};

/// One produced file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Artifact {
    /// Relative to the manifest, with `/` separators.
    pub path: String,
    pub assessment: String,
    pub kind: String,
    pub lang: String,
    pub format: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub priority: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub recommendation: Option<String>,
    /// Pages of the PDF; for a DOCX, the pages of its Typst layout when one was made (Word
    /// repaginates), absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pages: Option<usize>,
    pub bytes: u64,
    pub sha256: String,
    /// Standards the file claims, e.g. `PDF/UA-1`, `PDF/A-2a`, `ISO/IEC 29500 (transitional)`.
    pub standards: Vec<String>,
    /// For one-page documents shrunk to fit or grown to fill their page, and for a brief's PDF
    /// set smaller so its small print does not stand alone on a last page: the text scale used
    /// (absent at full size).
    #[serde(
        rename = "text-scale",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub text_scale: Option<f64>,
}

/// The manifest of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) struct Manifest {
    pub deca_version: String,
    pub typst_version: String,
    /// SHA-256 over the data files, the templates in effect and the options that shape output.
    pub inputs_sha256: String,
    pub artifacts: Vec<Artifact>,
}

impl Manifest {
    pub(crate) fn new(inputs_sha256: String, mut artifacts: Vec<Artifact>) -> Manifest {
        artifacts.sort_by(|a, b| a.path.cmp(&b.path));
        Manifest {
            deca_version: env!("CARGO_PKG_VERSION").to_string(),
            typst_version: "0.15.1".to_string(),
            inputs_sha256,
            artifacts,
        }
    }

    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("manifest serializes") + "\n"
    }

    /// `sha256sum -c` format: hash, two spaces, path.
    pub(crate) fn sha256sums(&self) -> String {
        self.artifacts
            .iter()
            .map(|a| format!("{}  {}\n", a.sha256, a.path))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_in_sha256sum_format_and_sorted() {
        let a = |p: &str| Artifact {
            path: p.into(),
            assessment: "peru".into(),
            kind: "report".into(),
            lang: "en".into(),
            format: "pdf".into(),
            priority: None,
            recommendation: None,
            pages: Some(1),
            bytes: 3,
            sha256: sha256_hex(p.as_bytes()),
            standards: vec![],
            text_scale: None,
        };
        let m = Manifest::new("x".into(), vec![a("b.pdf"), a("a.pdf")]);
        let sums = m.sha256sums();
        assert_eq!(
            sums.lines().next().unwrap(),
            format!("{}  a.pdf", sha256_hex(b"a.pdf"))
        );
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
