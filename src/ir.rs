//! The document model (IR): format-neutral documents that both backends render.
//!
//! A document is metadata, a theme, localised labels, and a flat list of blocks. Blocks and
//! inlines say what things are (a heading, a figure, a cross-reference), never how they look:
//! the Typst templates and the DOCX writer decide that. The IR is serialised to JSON for the
//! templates, so field names here are part of the template interface (kebab-case).

use std::collections::BTreeMap;

use serde::Serialize;

pub use crate::model::rich::{Inline, RefScope};

use crate::edition::Kind;

/// One document to produce: a report, a brief, a one-pager or the overview, in one language.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Document {
    pub kind: Kind,
    /// Stable name, used for file names: `report`, `brief-integrity`, `onepager-rural-access`.
    pub name: String,
    /// The priority a brief is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// The recommendation a one-pager is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    pub lang: String,
    /// Region for hyphenation and quotes, e.g. `PE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The direction the language is written in: `ltr` or `rtl` (pages, paragraphs, tables).
    pub dir: crate::direction::Dir,
    pub meta: Meta,
    pub theme: Theme,
    /// Localised labels the templates print ("Contents", "Page {page} of {total}", ...).
    pub labels: BTreeMap<String, String>,
    pub blocks: Vec<Block>,
    /// Text scale for documents that must fit a page (1.0 = the template's sizes).
    pub scale: f64,
}

/// What the document is, for covers, headers and file properties.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Meta {
    /// The document's own title: the report title, or e.g. the priority's title for a brief.
    pub title: String,
    /// A line above the title: "Brief", "Recommendation 3", ...
    pub kicker: String,
    pub subtitle: Option<String>,
    /// The assessment's title, for running headers of briefs and one-pagers.
    pub assessment_title: String,
    pub country: String,
    /// Publication date, formatted for the language.
    pub date: String,
    /// Publication date, `YYYY-MM-DD`.
    pub date_iso: String,
    pub author: String,
    pub organization: Option<String>,
    pub keywords: Vec<String>,
    /// What the document is, in words: "Brief: Public integrity".
    pub description: String,
    /// The status line, e.g. that recommendations are illustrative.
    pub status: Option<String>,
    pub cover_image: Option<Image>,
}

/// An image the templates place (bytes are served to the backends separately, by path).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Image {
    /// Path under which the backend serves the bytes, e.g. `/assets/logo.png`.
    pub path: String,
    pub alt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

/// The brand: colours, fonts, logo, paper.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Theme {
    pub primary: String,
    pub accent: String,
    pub text: String,
    pub tint: String,
    pub heading_font: String,
    pub body_font: String,
    pub logo: Option<Image>,
    /// `a4` or `us-letter` (Typst's paper names).
    pub paper: String,
}

/// A block-level element.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    /// A heading; levels never skip (1, 2, 3).
    Heading {
        level: u8,
        content: Vec<Inline>,
        /// Anchor for cross-references, e.g. `finding-3`.
        #[serde(skip_serializing_if = "Option::is_none")]
        anchor: Option<String>,
        /// Listed in the table of contents.
        outlined: bool,
    },
    /// A paragraph; `role` lets templates style a lead or a note.
    Paragraph {
        content: Vec<Inline>,
        #[serde(skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    /// A bullet or numbered list.
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    /// A table; the header row repeats across pages.
    Table {
        #[serde(skip_serializing_if = "Option::is_none")]
        caption: Option<Vec<Inline>>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        /// Relative column widths.
        widths: Vec<f64>,
    },
    /// A chart or image with alt text and a caption.
    Figure {
        #[serde(skip_serializing_if = "Option::is_none")]
        chart: Option<Box<Chart>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        image: Option<Image>,
        alt: String,
        caption: Vec<Inline>,
        /// "Source: ..." line.
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<Vec<Inline>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// Anchor for cross-references.
        anchor: String,
    },
    /// A highlighted box: the status line, a key message.
    Callout {
        #[serde(skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        tone: String,
        blocks: Vec<Block>,
    },
    /// Label–value pairs: who acts, timeframe, fieldwork.
    Facts { items: Vec<Fact> },
    /// Key figures: big numbers with a word under each ("63 | interviews").
    KeyFigures { items: Vec<KeyFigure> },
    /// The list of sources.
    Sources { entries: Vec<SourceEntry> },
    /// The table of contents: the outlined headings of levels 1 and 2.
    Toc,
    /// Start a new page.
    PageBreak,
    /// Marks where a data field begins, so an overflow can be traced to it.
    Field { name: String },
}

/// One label–value pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub label: String,
    pub value: Vec<Inline>,
}

/// One key figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyFigure {
    pub value: String,
    pub label: String,
}

/// One entry of the list of sources.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceEntry {
    pub id: String,
    /// The short label citations print, e.g. `INEI 2023`.
    pub cite: String,
    pub content: Vec<Inline>,
}

/// A chart: data and localised words; the chart template draws it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Chart {
    /// `bar`, `horizontal-bar` or `line`.
    pub kind: String,
    pub title: String,
    /// Value axis label (the unit).
    pub unit: String,
    /// Category axis label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub axis: Option<String>,
    pub categories: Vec<String>,
    pub series: Vec<ChartSeries>,
    /// `percent`, `number` or `decimal`.
    pub format: String,
    /// Top of the value axis.
    pub max: f64,
    /// Gridlines and their labels, formatted for the language.
    pub ticks: Vec<Tick>,
}

/// One gridline of a chart's value axis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tick {
    pub value: f64,
    pub label: String,
}

/// One series of a chart, with its values formatted for the language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartSeries {
    pub label: String,
    pub values: Vec<f64>,
    /// The values as printed: "89,2 %".
    pub labels: Vec<String>,
}

/// Collects the plain text of blocks in reading order: headings and paragraphs, one per entry.
/// Used to compare the two backends' output and in tests.
pub fn text_lines(blocks: &[Block]) -> Vec<String> {
    use crate::model::rich::plain_text;
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Heading { content, .. } | Block::Paragraph { content, .. } => {
                out.push(plain_text(content))
            }
            Block::List { items, .. } => items.iter().for_each(|i| out.extend(text_lines(i))),
            Block::Callout { title, blocks, .. } => {
                out.extend(title.clone());
                out.extend(text_lines(blocks));
            }
            _ => {}
        }
    }
    out
}

impl Document {
    /// The headings in order, as (level, text).
    pub fn headings(&self) -> Vec<(u8, String)> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, content, .. } => {
                    Some((*level, crate::model::rich::plain_text(content)))
                }
                _ => None,
            })
            .collect()
    }
}

/// Checks that headings start at level 1 and never skip a level (PDF/UA and screen readers
/// rely on it; Typst's UA-1 check lets skips through).
pub fn check_headings(doc: &Document) -> Result<(), String> {
    let mut prev = 0u8;
    for (level, text) in doc.headings() {
        if level == 0 || level > prev + 1 {
            return Err(format!(
                "heading \"{text}\" is level {level} after level {prev}; headings must not skip levels"
            ));
        }
        prev = level;
    }
    Ok(())
}
