//! The document model (IR): format-neutral documents that every renderer draws.
//!
//! The IR owns every decision a reader can see: what a document says (blocks and inlines),
//! how it is composed (the front matter of its cover or title band, its back matter, its page
//! geometry and running-header policy) and who publishes it (identity marks, disclaimer,
//! contacts). Renderers decide only how those things look: the Typst templates and the DOCX
//! writer both draw the same front matter, back matter and blocks, and neither adds content
//! the other lacks.
//!
//! The IR reaches the templates as JSON, so field names here are the template interface
//! (kebab-case); `deca schema --ir` prints its JSON Schema for people who write templates.
//!
//! The file is longer than 500 lines on purpose: it is the whole template interface, one
//! documented type after another, read top to bottom by people who write templates.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Serialize;

pub use crate::model::rich::{Inline, RefScope};

use crate::edition::Kind;

/// One document to produce: a report, a brief, a one-pager or the overview, in one language.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Document {
    /// Which of the four kinds this is; templates choose their layout by it.
    pub kind: Kind,
    /// Stable name, used for file names: `report`, `brief-integrity`, `onepager-rural-access`.
    pub name: String,
    /// The priority a brief is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// The recommendation a one-pager is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    /// BCP 47 language code of the text, e.g. `es` (hyphenation, quotes, number formats).
    pub lang: String,
    /// Region for hyphenation and quotes, e.g. `PE`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The direction the language is written in: `ltr` or `rtl` (pages, paragraphs, tables).
    pub dir: crate::direction::Dir,
    /// What the file is: its properties (title, author, keywords).
    pub meta: Meta,
    /// The page: paper, margins, columns, running header and footer.
    pub page: Page,
    /// The opening: the report's cover, or the title band of the other kinds.
    pub front: Front,
    /// The closing: disclaimer, suggested citation, publisher and contacts.
    pub back: Back,
    /// The brand colours and fonts, from the assessment's theme file or the defaults.
    pub theme: Theme,
    /// Localised labels renderers print around the content ("Contents", "Page {page} of
    /// {total}", "Figure {n}").
    pub labels: BTreeMap<String, String>,
    /// The body, in reading order, after the front matter.
    pub blocks: Vec<Block>,
    /// Text scale for documents that must fit a page (1.0 = the template's sizes).
    pub scale: f64,
}

/// The file's properties, as PDF and Word metadata carry them.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Meta {
    /// The document title shown in a reader's title bar: "Brief: Public integrity".
    pub title: String,
    /// The assessment's title, for running headers and placeholders.
    pub assessment: String,
    /// The country assessed, in the document's language.
    pub country: String,
    /// The author line: the team or the publishing organisation.
    pub author: String,
    /// The publishing organisation, when the assessment names one.
    pub organization: Option<String>,
    /// Search keywords, in the document's language.
    pub keywords: Vec<String>,
    /// Publication date, formatted for the language.
    pub date: String,
    /// Publication date, `YYYY-MM-DD`.
    pub date_iso: String,
}

/// The page a document is laid out on. Lengths are millimetres.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Page {
    /// `a4` or `us-letter` (Typst's paper names).
    pub paper: String,
    /// Paper width in millimetres.
    pub width: f64,
    /// Paper height in millimetres.
    pub height: f64,
    /// Distances from the paper's edges to the type area, in millimetres.
    pub margin: Margins,
    /// Width of the text column: body text is set this wide, for a readable measure.
    pub text_width: f64,
    /// Width beyond the text column that wide elements (figures, tables, headings of
    /// chapters, key figures) may use: the side column of the grid, 0 when there is none.
    pub wide: f64,
    /// What the running header says and from which page.
    pub header: RunningHeader,
    /// What the running footer says and from which page.
    pub footer: RunningFooter,
}

/// Page margins in millimetres.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Margins {
    /// Millimetres above the type area.
    pub top: f64,
    /// Millimetres below the type area.
    pub bottom: f64,
    /// Millimetres on the left (the leading side in left-to-right text).
    pub left: f64,
    /// Millimetres on the right.
    pub right: f64,
}

/// What the running header says and where it appears.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct RunningHeader {
    /// Whether the document has a running header at all (one-page documents have none).
    pub visible: bool,
    /// Text on the leading side: the assessment or the document.
    pub left: String,
    /// Text on the trailing side; `None` with `chapter` set means the current chapter.
    pub right: Option<String>,
    /// The trailing side names the chapter (the level-1 heading) the page is in.
    pub chapter: bool,
    /// The first page that carries it (1-based): the cover and title bands have none.
    pub from_page: u32,
    /// Pages where a chapter opens carry none: the chapter's title is the page's heading.
    pub skip_chapter_openers: bool,
}

/// What the running footer says.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct RunningFooter {
    /// Whether the document has a running footer (one-page documents close with their small
    /// print instead).
    pub visible: bool,
    /// Text on the leading side, e.g. the date.
    pub left: String,
    /// "Page X of Y" on the trailing side.
    pub page_numbers: bool,
    /// The first page that carries it (1-based).
    pub from_page: u32,
}

/// The opening of a document: everything its cover or title band shows.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Front {
    /// A full cover page (the report) or a title band at the top of page 1 (the others).
    pub cover: bool,
    /// A line above the title: "Brief", "Recommendation 3".
    pub kicker: String,
    /// The document's title, in large type on the cover or band.
    pub title: String,
    /// A line under the title, when the assessment gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// One line of context under a band's title: "Peru DECA · 1 November 2026".
    pub context: String,
    /// The date as the cover prints it: "Published 1 November 2026".
    pub date_line: String,
    /// A status tag beside the kicker, e.g. "Illustrative".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// The status in a sentence, e.g. that the recommendations are illustrative.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Identity marks in order: the publisher's logo first, then partners'.
    pub marks: Vec<Image>,
    /// The publishing organisation's name, beside the marks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// A cover photo with its credit; without one the cover draws a pattern from the theme.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
}

/// The closing of a document: what the report's inside and back covers, and the small print
/// at the end of the other kinds, say.
#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Back {
    /// E.g. that the contents are the authors' and do not necessarily reflect the funder's
    /// views.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disclaimer: Option<String>,
    /// How to cite the publication.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    /// The people who wrote it, with their roles: "Name, role".
    pub team: Vec<String>,
    /// Who publishes it, with address, web and contact lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// The publisher's postal address, one line per entry.
    pub address: Vec<String>,
    /// The publisher's web address, as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web: Option<String>,
    /// A contact line for readers (e-mail or similar).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// Photo and other credits.
    pub credits: Vec<String>,
}

/// An image the renderers place; its bytes are served separately, by path.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Image {
    /// Path under which the backend serves the bytes, e.g. `/assets/logo.png`.
    pub path: String,
    /// What it shows; empty for a purely decorative image.
    pub alt: String,
    /// Who took or owns the picture, printed with the credits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
}

/// The brand: colours and fonts.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Theme {
    /// Main brand colour as `#RRGGBB` (cover, headings, bands); default `#002F6C`.
    pub primary: String,
    /// Highlight colour as `#RRGGBB` (status callouts, tags); default `#BA0C2F`.
    pub accent: String,
    /// Body text colour as `#RRGGBB`; default `#212721`.
    pub text: String,
    /// Light background colour as `#RRGGBB` (notes, table stripes); default `#E8EEF6`.
    pub tint: String,
    /// Font family for headings; the bundled sans-serif when the theme names none.
    pub heading_font: String,
    /// Font family for body text; the bundled serif when the theme names none.
    pub body_font: String,
}

/// A block-level element.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(
    tag = "type",
    rename_all = "kebab-case",
    rename_all_fields = "kebab-case"
)]
pub enum Block {
    /// A heading; levels never skip (1, 2, 3).
    Heading {
        /// 1 for chapters, 2 and 3 below them.
        level: u8,
        /// The heading's text.
        content: Vec<Inline>,
        /// Anchor for cross-references, e.g. `finding-3`.
        #[serde(skip_serializing_if = "Option::is_none")]
        anchor: Option<String>,
        /// Listed in the table of contents and the bookmarks.
        outlined: bool,
        /// Starts a new page: a chapter opener.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        new_page: bool,
    },
    /// A paragraph; `role` lets renderers style a lead or a note.
    Paragraph {
        /// The paragraph's text.
        content: Vec<Inline>,
        /// A lead or a note; `None` for ordinary body text.
        #[serde(skip_serializing_if = "Option::is_none")]
        role: Option<Role>,
    },
    /// A bullet or numbered list.
    List {
        /// Numbered (`true`) or bulleted.
        ordered: bool,
        /// The first item's number in a numbered list.
        start: u64,
        /// The items, each a sequence of blocks (nested lists included).
        items: Vec<Vec<Block>>,
    },
    /// A table; the header row repeats across pages. Tables may use the wide measure.
    Table(Table),
    /// A chart or image, numbered, with a title above and a source line below.
    Figure(Figure),
    /// Figures of equal size side by side, two per row (small multiples).
    FigureRow {
        /// The figures, in reading order.
        figures: Vec<Figure>,
    },
    /// A highlighted box: the status line, a key message.
    Callout {
        /// A heading printed at the top of the box.
        #[serde(skip_serializing_if = "Option::is_none")]
        title: Option<String>,
        /// Which colour the box takes.
        tone: Tone,
        /// What the box holds.
        blocks: Vec<Block>,
    },
    /// Label–value pairs: who acts, timeframe, fieldwork.
    Facts {
        /// The pairs, in order.
        items: Vec<Fact>,
    },
    /// Key figures: big numbers with a short label and their source, as tiles.
    KeyFigures {
        /// The tiles, in order.
        items: Vec<KeyFigure>,
    },
    /// The list of sources.
    Sources {
        /// One entry per source, in the order the sources file lists them.
        entries: Vec<SourceEntry>,
    },
    /// The table of contents: the outlined headings of levels 1 and 2.
    Toc,
    /// Blocks that stay on one page together, e.g. a recommendation in a brief.
    Keep {
        /// The blocks kept together.
        blocks: Vec<Block>,
    },
    /// A main column and a narrower side column (the one-pager's body and sidebar).
    Columns {
        /// The wide column's blocks.
        main: Vec<Block>,
        /// The narrow column's blocks.
        side: Vec<Block>,
    },
    /// A note set in the side column beside what follows it (a finding's priorities); formats
    /// without a side column print it in place, in small type.
    Aside {
        /// What the note says.
        blocks: Vec<Block>,
    },
    /// Blocks set in `count` equal columns across the wide measure, flowing from one column
    /// to the next (a brief's findings).
    Multicol {
        /// How many columns.
        count: u8,
        /// The blocks that flow through them.
        blocks: Vec<Block>,
    },
    /// Marks where a data field begins, so an overflow can be traced to it.
    Field {
        /// The data field's key, e.g. `rationale`, as overflow messages name it.
        name: String,
    },
}

/// What a paragraph is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The opening paragraph of a finding, brief or recommendation: larger.
    Lead,
    /// Small print: status lines, sources strips.
    Note,
}

/// The tone of a callout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Tone {
    /// The status of the edition (e.g. illustrative recommendations): the accent colour.
    Status,
    /// A note: the brand tint.
    Note,
}

/// A table. Cells are inline runs.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Table {
    /// Relative widths and alignment, one per column.
    pub columns: Vec<Column>,
    /// The header row's cells, repeated at the top of every page the table spans.
    pub header: Vec<Vec<Inline>>,
    /// The body rows: each a list of cells, each cell a run of inlines.
    pub rows: Vec<Vec<Vec<Inline>>>,
    /// A line under the table, e.g. a legend for marks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Vec<Inline>>,
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Column {
    /// Relative width.
    pub width: f64,
    /// Cells are centred (marks, numbers) rather than set from the leading edge.
    pub center: bool,
}

/// A figure: a chart drawn from data, or number tiles.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Figure {
    /// "Figure 3", as the text refers to it.
    pub label: String,
    /// The chart's title, stating what it shows.
    pub title: String,
    /// The chart to draw; `None` when the figure is number tiles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chart: Option<Box<Chart>>,
    /// A comparison of one or two values shown as number tiles rather than drawn.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tiles: Vec<KeyFigure>,
    /// What the figure shows and its main values, for readers who cannot see it.
    pub alt: String,
    /// "Source: ..." line, set under the figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Vec<Inline>>,
    /// The indicator's note (definitions, caveats), printed under the figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Anchor for cross-references (`figure-<indicator>`).
    pub anchor: String,
}

/// One label–value pair.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Fact {
    /// What the value is, e.g. "Fieldwork".
    pub label: String,
    /// The value, with any emphasis or links it carries.
    pub value: Vec<Inline>,
}

/// One key figure: "51.2 %", "of rural households use the internet", and where it is from.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct KeyFigure {
    /// The number as printed, e.g. "51.2 %".
    pub value: String,
    /// What the number counts, completing the sentence the value starts.
    pub label: String,
    /// Where the number comes from, as a short citation label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One entry of the list of sources.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SourceEntry {
    /// The source's id from the sources file; citations link to it.
    pub id: String,
    /// The short label citations print, e.g. `INEI 2023`.
    pub cite: String,
    /// The full reference, formatted.
    pub content: Vec<Inline>,
}

/// A chart: data and localised words; the chart template draws it.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub struct Chart {
    /// `bar`, `horizontal-bar` or `line`.
    pub kind: String,
    /// The indicator's label: the alt text names the chart by it (the caption is the figure's).
    pub title: String,
    /// Value axis label (the unit).
    pub unit: String,
    /// Category axis label.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub axis: Option<String>,
    /// Category labels along the category axis, in order.
    pub categories: Vec<String>,
    /// The data series; each has one value per category.
    pub series: Vec<ChartSeries>,
    /// `percent`, `number` or `decimal`.
    pub format: String,
    /// Top of the value axis.
    pub max: f64,
    /// Gridlines and their labels, formatted for the language.
    pub ticks: Vec<Tick>,
}

/// One gridline of a chart's value axis.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Tick {
    /// Where the gridline sits, in the values' unit.
    pub value: f64,
    /// The value as printed beside the gridline.
    pub label: String,
}

/// One series of a chart, with its values formatted for the language.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ChartSeries {
    /// The series' name, shown in the legend.
    pub label: String,
    /// One value per category, in the chart's unit; a category without data is 0.
    pub values: Vec<f64>,
    /// The values as printed: "89,2 %".
    pub labels: Vec<String>,
}

impl Document {
    /// The headings in order, as (level, text), nested blocks included.
    pub fn headings(&self) -> Vec<(u8, String)> {
        let mut out = Vec::new();
        visit(&self.blocks, &mut |b| {
            if let Block::Heading { level, content, .. } = b {
                out.push((*level, crate::model::rich::plain_text(content)));
            }
        });
        out
    }
}

/// Calls `f` on every block in reading order, nested blocks after their parent.
pub fn visit(blocks: &[Block], f: &mut impl FnMut(&Block)) {
    for b in blocks {
        f(b);
        match b {
            Block::List { items, .. } => items.iter().for_each(|i| visit(i, f)),
            Block::Callout { blocks, .. }
            | Block::Keep { blocks }
            | Block::Multicol { blocks, .. } => visit(blocks, f),
            Block::Columns { main, side } => {
                visit(main, f);
                visit(side, f);
            }
            _ => {}
        }
    }
}

/// The JSON Schema of the IR, for template authors (`deca schema --ir`).
pub fn schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    generator.into_root_schema_for::<Document>().to_value()
}
