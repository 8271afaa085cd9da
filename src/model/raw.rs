//! The assessment files exactly as written: one struct per YAML file, field for field.
//!
//! These types are the format. The JSON Schemas that `deca schema` writes are generated from
//! them, the structural check validates against those schemas, and the typed load deserializes
//! into them with source locations (`Spanned`) on every value a later check must point at.
//! Nothing here is interpreted yet: references, numbering and translations are checked in
//! `model::validate`.
//!
//! The file is longer than 500 lines because it is the whole data format in one place, read top
//! to bottom like the field reference it generates; splitting it per YAML file would scatter
//! the types they share (text, images, ids).

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::text::{Rich, Text};

/// A value with the place it was written (line, column, byte span).
pub type Sp<T> = Spanned<T>;

/// `assessment.yaml`: the assessment itself and its front matter.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "DECA assessment")]
pub struct AssessmentFile {
    /// Schema version of the data format; `1` today.
    #[serde(default = "one")]
    pub format: u32,
    /// The country assessed, e.g. `Peru` (translatable).
    #[schemars(with = "Text")]
    pub country: Sp<Text>,
    /// The report's title.
    #[schemars(with = "Text")]
    pub title: Sp<Text>,
    /// The report's subtitle.
    #[schemars(with = "Option<Text>")]
    #[serde(default)]
    pub subtitle: Option<Sp<Text>>,
    /// Publication date, `YYYY-MM-DD`. It also fixes the documents' creation date.
    #[schemars(with = "String", regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub date: Sp<String>,
    /// Languages of the editions, as codes (`en`, `es`); the first is the default language,
    /// the one plain strings are written in.
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub languages: Vec<Sp<String>>,
    /// The status line printed in the front matter, e.g. that the recommendations are illustrative.
    #[schemars(with = "Text")]
    pub status: Sp<Text>,
    /// Who wrote the assessment.
    #[serde(default)]
    pub team: Vec<TeamMember>,
    /// Acknowledgements, printed in the front matter.
    #[schemars(with = "Option<Rich>")]
    #[serde(default)]
    pub acknowledgements: Option<Sp<Rich>>,
    /// How the assessment was made.
    pub method: Method,
    /// The assessment's pillars; findings and recommendations each belong to one.
    #[schemars(length(min = 1))]
    pub pillars: Vec<Pillar>,
    /// The executive summary: the report opens with it.
    #[schemars(with = "Rich")]
    pub executive_summary: Sp<Rich>,
    /// An introduction printed before the findings.
    #[schemars(with = "Option<Rich>")]
    #[serde(default)]
    pub introduction: Option<Sp<Rich>>,
    /// Keywords for the documents' metadata.
    #[schemars(with = "Vec<Text>")]
    #[serde(default)]
    pub keywords: Vec<Sp<Text>>,
    /// An optional cover image (a photo with its credit); without one the cover draws a
    /// pattern from the theme's colours.
    #[serde(default)]
    pub cover_image: Option<Image>,
    /// How the publication presents itself: disclaimer, suggested citation, publisher and
    /// contacts, printed on the report's inside and back covers and at the end of the others.
    #[serde(default)]
    pub publication: Publication,
}

/// The publication's small print and back cover.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Publication {
    /// E.g. "The contents are the responsibility of the authors and do not necessarily reflect
    /// the views of ..." (required on many agency-funded publications).
    #[schemars(with = "Option<Text>")]
    #[serde(default)]
    pub disclaimer: Option<Sp<Text>>,
    /// How to cite the publication. When absent, deca composes one from the team (or the
    /// publisher), the title and the year.
    #[schemars(with = "Option<Text>")]
    #[serde(default)]
    pub citation: Option<Sp<Text>>,
    /// Who publishes it.
    #[schemars(with = "Option<Text>")]
    #[serde(default)]
    pub publisher: Option<Sp<Text>>,
    /// The publisher's address, one line per item.
    #[schemars(with = "Vec<Text>")]
    #[serde(default)]
    pub address: Vec<Sp<Text>>,
    /// The publication's or publisher's web address.
    #[schemars(with = "Option<String>")]
    #[serde(default)]
    pub web: Option<Sp<String>>,
    /// Who to contact, e.g. an e-mail address.
    #[schemars(with = "Option<Text>")]
    #[serde(default)]
    pub contact: Option<Sp<Text>>,
    /// Photo and other credits, one per item.
    #[schemars(with = "Vec<Text>")]
    #[serde(default)]
    pub credits: Vec<Sp<Text>>,
}

fn one() -> u32 {
    1
}

/// One member of the assessment team.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TeamMember {
    /// The person's or organisation's name.
    #[schemars(with = "Text")]
    pub name: Sp<Text>,
    /// Their role, e.g. `Team lead`.
    #[schemars(with = "Option<Text>")]
    #[serde(default)]
    pub role: Option<Sp<Text>>,
}

/// How the assessment was made.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Method {
    /// A paragraph or two on the approach.
    #[schemars(with = "Rich")]
    pub summary: Sp<Rich>,
    /// What the desk research covered.
    #[schemars(with = "Option<Rich>")]
    #[serde(default)]
    pub desk_research: Option<Sp<Rich>>,
    /// Who was consulted.
    #[schemars(with = "Option<Rich>")]
    #[serde(default)]
    pub consultations: Option<Sp<Rich>>,
    /// Number of key informant interviews.
    pub interviews: u32,
    /// Number of focus group discussions.
    #[serde(default)]
    pub focus_groups: u32,
    /// When the fieldwork ran.
    pub fieldwork: Period,
}

/// A period between two dates.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Period {
    /// First day, `YYYY-MM-DD`.
    #[schemars(with = "String", regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub start: Sp<String>,
    /// Last day, `YYYY-MM-DD`.
    #[schemars(with = "String", regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    pub end: Sp<String>,
}

/// One pillar of the assessment, e.g. digital infrastructure.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Pillar {
    /// Identifier that findings and recommendations use, e.g. `infrastructure`.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9][a-z0-9-]*$"))]
    pub id: Sp<String>,
    /// The pillar's number, 1, 2, 3...
    #[schemars(with = "u32")]
    pub number: Sp<u32>,
    /// Its title, e.g. `Digital Infrastructure and Adoption`.
    #[schemars(with = "Text")]
    pub title: Sp<Text>,
    /// What the pillar covers.
    #[schemars(with = "Option<Rich>")]
    #[serde(default)]
    pub description: Option<Sp<Rich>>,
}

/// An image file inside the assessment folder, with the alt text readers of assistive
/// technology hear instead.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Image {
    /// Path relative to the assessment folder (PNG, JPEG or SVG).
    #[schemars(with = "String")]
    pub path: Sp<String>,
    /// Alt text: what the image shows. Required.
    #[schemars(with = "Text")]
    pub alt: Sp<Text>,
    /// Credit line, e.g. the photographer.
    #[schemars(with = "Option<Text>")]
    #[serde(default)]
    pub credit: Option<Sp<Text>>,
}

/// `priorities.yaml`: the country office's priorities the assessment serves.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "DECA priorities")]
pub struct PrioritiesFile {
    /// The priorities, in order.
    #[schemars(length(min = 1))]
    pub priorities: Vec<Priority>,
}

/// One priority of the country office; each gets its own brief.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Priority {
    /// Identifier used in references and file names, e.g. `integrity`.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9][a-z0-9-]*$"))]
    pub id: Sp<String>,
    /// Its title, e.g. `Public integrity`.
    #[schemars(with = "Text")]
    pub title: Sp<Text>,
    /// What the priority is about (the development objective it comes from).
    #[schemars(with = "Rich")]
    pub description: Sp<Rich>,
}

/// `findings.yaml`: the key findings.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "DECA findings")]
pub struct FindingsFile {
    /// The findings, numbered 1, 2, 3... without gaps.
    #[schemars(length(min = 1))]
    pub findings: Vec<Finding>,
}

/// One key finding.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Finding {
    /// Identifier used in references, e.g. `rural-connectivity`.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9][a-z0-9-]*$"))]
    pub id: Sp<String>,
    /// The finding's number, 1 to N without gaps.
    #[schemars(with = "u32")]
    pub number: Sp<u32>,
    /// The pillar it belongs to (a pillar id).
    #[schemars(with = "String")]
    pub pillar: Sp<String>,
    /// The finding in one line.
    #[schemars(with = "Text")]
    pub title: Sp<Text>,
    /// A one-paragraph summary, printed in summaries and briefs.
    #[schemars(with = "Rich")]
    pub summary: Sp<Rich>,
    /// The full text, several paragraphs, citing sources as `[@source-id]`.
    #[schemars(with = "Rich")]
    pub body: Sp<Rich>,
    /// The priorities it bears on (priority ids).
    #[schemars(with = "Vec<String>")]
    #[serde(default)]
    pub priorities: Vec<Sp<String>>,
    /// The indicators it cites (indicator ids); they are charted inside the finding.
    #[schemars(with = "Vec<String>")]
    #[serde(default)]
    pub indicators: Vec<Sp<String>>,
    /// The sources it cites (source ids), besides those cited inline.
    #[schemars(with = "Vec<String>")]
    #[serde(default)]
    pub sources: Vec<Sp<String>>,
}

/// `recommendations.yaml`: the recommendations.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "DECA recommendations")]
pub struct RecommendationsFile {
    /// The recommendations, numbered 1, 2, 3... without gaps.
    #[schemars(length(min = 1))]
    pub recommendations: Vec<Recommendation>,
}

/// One recommendation; each gets its own one-page summary.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Recommendation {
    /// Identifier used in references and file names, e.g. `rural-access`.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9][a-z0-9-]*$"))]
    pub id: Sp<String>,
    /// The recommendation's number, 1 to N without gaps.
    #[schemars(with = "u32")]
    pub number: Sp<u32>,
    /// The recommendation in one line.
    #[schemars(with = "Text")]
    pub title: Sp<Text>,
    /// One sentence that says what to do.
    #[schemars(with = "Rich")]
    pub summary: Sp<Rich>,
    /// Why it matters.
    #[schemars(with = "Rich")]
    pub rationale: Sp<Rich>,
    /// Concrete actions, one item each.
    #[schemars(with = "Vec<Rich>", length(min = 1))]
    pub actions: Vec<Sp<Rich>>,
    /// Who should act, one actor each.
    #[schemars(with = "Vec<Text>", length(min = 1))]
    pub actors: Vec<Sp<Text>>,
    /// When, e.g. `Short term (1–2 years)`.
    #[schemars(with = "Text")]
    pub timeframe: Sp<Text>,
    /// The findings it answers (finding ids).
    #[schemars(with = "Vec<String>", length(min = 1))]
    pub findings: Vec<Sp<String>>,
    /// The priorities it serves (priority ids).
    #[schemars(with = "Vec<String>")]
    #[serde(default)]
    pub priorities: Vec<Sp<String>>,
    /// The pillar it belongs to (a pillar id).
    #[schemars(with = "String")]
    pub pillar: Sp<String>,
}

/// `indicators.yaml`: figures with their sources, drawn as charts.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "DECA indicators")]
pub struct IndicatorsFile {
    /// The indicators.
    #[serde(default)]
    pub indicators: Vec<Indicator>,
}

/// One indicator: values for a few categories (years or groups), one or more series.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Indicator {
    /// Identifier used by findings, e.g. `internet-use-by-area`.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9][a-z0-9-]*$"))]
    pub id: Sp<String>,
    /// What is measured; the chart's title.
    #[schemars(with = "Text")]
    pub label: Sp<Text>,
    /// The unit of the values; the value axis label, e.g. `% of people aged 6+`.
    #[schemars(with = "Text")]
    pub unit: Sp<Text>,
    /// How values are printed: `percent` (89.2%), `number` (266) or `decimal` (0.65).
    #[serde(default)]
    pub format: ValueFormat,
    /// The chart drawn for it.
    #[schemars(with = "ChartKind")]
    pub chart: Sp<ChartKind>,
    /// The categories along the category axis: years (`"2020"`) or groups (`Rural`).
    #[schemars(with = "Vec<Text>", length(min = 1))]
    pub categories: Vec<Sp<Text>>,
    /// The category axis label, e.g. `Year` or `Area`.
    #[schemars(with = "Option<Text>")]
    #[serde(default)]
    pub axis: Option<Sp<Text>>,
    /// One or more series of values, one value per category.
    #[schemars(length(min = 1))]
    pub series: Vec<Series>,
    /// The source of the figures (a source id).
    #[schemars(with = "String")]
    pub source: Sp<String>,
    /// A note printed under the chart, e.g. the survey period.
    #[schemars(with = "Option<Text>")]
    #[serde(default)]
    pub note: Option<Sp<Text>>,
    /// Alt text for the chart. When absent it is generated from the values.
    #[schemars(with = "Option<Text>")]
    #[serde(default)]
    pub alt: Option<Sp<Text>>,
    /// The one number that sums the indicator up, for key-figure tiles in briefs and
    /// one-pagers.
    #[serde(default)]
    pub key_figure: Option<KeyFigure>,
}

/// Which value of an indicator is its key figure, and what it says.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct KeyFigure {
    /// The category, by position (1 is the first); the last when absent.
    #[schemars(with = "Option<u32>")]
    #[serde(default)]
    pub category: Option<Sp<u32>>,
    /// The series, by position (1 is the first); the first when absent.
    #[schemars(with = "Option<u32>")]
    #[serde(default)]
    pub series: Option<Sp<u32>>,
    /// What the number is, in a few words after it: `of rural residents used the internet`.
    #[schemars(with = "Text")]
    pub label: Sp<Text>,
}

/// How an indicator's values are printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueFormat {
    /// 89.2%
    Percent,
    /// 1,234
    #[default]
    Number,
    /// 0.65
    Decimal,
}

/// The chart kinds deca draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    /// Vertical bars, grouped by category when there are several series.
    Bar,
    /// Horizontal bars, for long category names.
    HorizontalBar,
    /// A line per series across the categories (usually years).
    Line,
}

/// One series of values.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Series {
    /// The series' name in the legend, e.g. `Men`.
    #[schemars(with = "Text")]
    pub label: Sp<Text>,
    /// One value per category, in the categories' order.
    #[schemars(with = "Vec<Option<f64>>")]
    pub values: Sp<Vec<Sp<Option<f64>>>>,
}

/// `sources.yaml`: the sources cited.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "DECA sources")]
pub struct SourcesFile {
    /// The sources.
    #[serde(default)]
    pub sources: Vec<Source>,
}

/// One source.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Source {
    /// Identifier used in citations, e.g. `inei-2023`.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9][a-z0-9-]*$"))]
    pub id: Sp<String>,
    /// Author or publisher, e.g. `INEI`.
    #[schemars(with = "Text")]
    pub publisher: Sp<Text>,
    /// A person author, when there is one.
    #[schemars(with = "Option<Text>")]
    #[serde(default)]
    pub author: Option<Sp<Text>>,
    /// Title of the work.
    #[schemars(with = "Text")]
    pub title: Sp<Text>,
    /// Year of publication.
    #[schemars(with = "Option<u32>")]
    #[serde(default)]
    pub year: Option<Sp<u32>>,
    /// Web address (http or https).
    #[schemars(with = "Option<String>")]
    #[serde(default)]
    pub url: Option<Sp<String>>,
    /// When the web page was read, `YYYY-MM-DD`.
    #[schemars(with = "Option<String>", regex(pattern = r"^\d{4}-\d{2}-\d{2}$"))]
    #[serde(default)]
    pub accessed: Option<Sp<String>>,
    /// The short label used in citations, e.g. `INEI 2023`; by default publisher and year.
    #[schemars(with = "Option<Text>")]
    #[serde(default)]
    pub cite_as: Option<Sp<Text>>,
}

/// `theme.yaml`: brand colours, fonts and logo. Optional; the built-in look applies without it.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(title = "DECA theme")]
pub struct ThemeFile {
    /// Brand colours as `#rrggbb`.
    #[serde(default)]
    pub colors: Colors,
    /// Font families. The bundled families are `Carlito` (sans) and `Caladea` (serif).
    #[serde(default)]
    pub fonts: Fonts,
    /// The organisation's logo, printed on covers and letterheads.
    #[serde(default)]
    pub logo: Option<Image>,
    /// Further identity marks printed beside the logo, e.g. a funder's and partners' marks.
    #[serde(default)]
    pub marks: Vec<Image>,
    /// The organisation's name, printed beside the logo and in document metadata.
    #[schemars(with = "Option<Text>")]
    #[serde(default)]
    pub organization: Option<Sp<Text>>,
}

/// Brand colours, each `#rrggbb` in quotes: `primary: "#006400"`. Without quotes YAML reads
/// `#` as the start of a comment and the colour as empty, which is refused.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Colors {
    /// Main brand colour: cover band, headings.
    #[schemars(with = "String", regex(pattern = r"^#[0-9a-fA-F]{6}$"))]
    #[serde(default)]
    pub primary: Option<Sp<String>>,
    /// Accent colour: rules, numbers, chart highlights.
    #[schemars(with = "String", regex(pattern = r"^#[0-9a-fA-F]{6}$"))]
    #[serde(default)]
    pub accent: Option<Sp<String>>,
    /// Body text colour.
    #[schemars(with = "String", regex(pattern = r"^#[0-9a-fA-F]{6}$"))]
    #[serde(default)]
    pub text: Option<Sp<String>>,
    /// Light tint for callouts and table headers.
    #[schemars(with = "String", regex(pattern = r"^#[0-9a-fA-F]{6}$"))]
    #[serde(default)]
    pub tint: Option<Sp<String>>,
}

/// Font families.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Fonts {
    /// Headings and labels.
    #[schemars(with = "Option<String>")]
    #[serde(default)]
    pub heading: Option<Sp<String>>,
    /// Body text.
    #[schemars(with = "Option<String>")]
    #[serde(default)]
    pub body: Option<Sp<String>>,
}
