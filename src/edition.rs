//! What a build can make: the kinds of document, the output formats, the paper sizes and the
//! PDF standards. The command line parses these (hence `ValueEnum`), and the plan, the document
//! model and the renderers use them, so they live here rather than in the CLI.

use clap::ValueEnum;

/// Kinds of document.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    ValueEnum,
    serde::Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The full report.
    Report,
    /// A brief per priority, 2–4 pages.
    Brief,
    /// A one-page summary per recommendation.
    Onepager,
    /// All recommendations on one page.
    Overview,
}

impl Kind {
    /// Every kind, in the order a build makes them.
    pub const ALL: [Kind; 4] = [Kind::Report, Kind::Brief, Kind::Onepager, Kind::Overview];

    /// Kinds that must fit exactly one page.
    pub fn is_one_page(self) -> bool {
        matches!(self, Kind::Onepager | Kind::Overview)
    }

    /// The kind's name in file names, flags and messages: `onepager`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Report => "report",
            Kind::Brief => "brief",
            Kind::Onepager => "onepager",
            Kind::Overview => "overview",
        }
    }
}

/// Output formats.
// Variant docs would become `--format` help text (clap's ValueEnum reads them), changing
// the help; the variants' names are their own documentation.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    Pdf,
    Docx,
}

impl OutputFormat {
    /// The file extension, without the dot: `pdf`.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Pdf => "pdf",
            OutputFormat::Docx => "docx",
        }
    }
}

/// Paper sizes.
// Variant docs would become `--paper` help text (clap's ValueEnum reads them), changing the
// help; the variants' names are their own documentation.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

/// PDF standards deca can claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum)]
pub enum PdfStandard {
    /// PDF/UA-1: tagged and accessible.
    #[value(name = "ua-1")]
    Ua1,
    /// PDF/A-2b: archival, visual appearance.
    #[value(name = "a-2b")]
    A2b,
    /// PDF/A-2a: archival, accessible (tagged).
    #[value(name = "a-2a")]
    A2a,
    /// PDF/A-2u: archival, with Unicode text.
    #[value(name = "a-2u")]
    A2u,
    /// PDF/A-3b.
    #[value(name = "a-3b")]
    A3b,
    /// No standard: a plain PDF 1.7.
    #[value(name = "none")]
    None,
}

/// One shard of N (`--shard K/N`, K counted from 1): the part of a build's documents one
/// machine makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard this is, from 1.
    pub index: usize,
    /// How many shards the build is split into.
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("invalid shard `{s}`: expected K/N with 1 ≤ K ≤ N, e.g. 2/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = k.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}
