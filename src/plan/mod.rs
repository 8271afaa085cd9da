//! The plan: which documents an assessment yields, and what each contains, as IR.
//!
//! Each kind has its own module; this one holds what they share: resolving text for a
//! language, turning rich text into IR blocks with citation labels, charts from indicators,
//! cross-references, metadata and the theme.

mod brief;
mod onepager;
mod overview;
mod report;

use std::collections::BTreeMap;

use crate::edition::{Kind, Paper};
use crate::i18n::{self, Locale};
use crate::ir::{self, Block, Chart, ChartSeries, Inline};
use crate::model::raw::{self, ChartKind};
use crate::model::rich::{self, RefScope};
use crate::model::{Assessment, Rich, Text};

/// Everything a plan needs besides the assessment.
pub struct Ctx<'a> {
    pub a: &'a Assessment,
    pub locale: &'a Locale,
    pub paper: Paper,
}

/// Which document: a kind and, for briefs and one-pagers, the priority or recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub kind: Kind,
    pub item: Option<String>,
}

impl Target {
    /// The file stem: `report`, `brief-integrity`, `onepager-rural-access`, `overview`.
    pub fn name(&self) -> String {
        match &self.item {
            Some(id) => format!("{}-{id}", self.kind.name()),
            None => self.kind.name().to_string(),
        }
    }
}

/// Every document of an assessment (per language), in build order: the report first, since
/// the others cite its pages.
pub fn targets(a: &Assessment) -> Vec<Target> {
    let mut out = vec![Target {
        kind: Kind::Report,
        item: None,
    }];
    out.extend(a.priorities.iter().map(|p| Target {
        kind: Kind::Brief,
        item: Some(p.id.value.clone()),
    }));
    out.extend(a.recommendations.iter().map(|r| Target {
        kind: Kind::Onepager,
        item: Some(r.id.value.clone()),
    }));
    out.push(Target {
        kind: Kind::Overview,
        item: None,
    });
    out
}

/// Builds one document.
pub fn document(ctx: &Ctx, target: &Target) -> ir::Document {
    let mut doc = match target.kind {
        Kind::Report => report::build(ctx),
        Kind::Brief => brief::build(
            ctx,
            target.item.as_deref().expect("a brief names a priority"),
        ),
        Kind::Onepager => onepager::build(
            ctx,
            target
                .item
                .as_deref()
                .expect("a one-pager names a recommendation"),
        ),
        Kind::Overview => overview::build(ctx),
    };
    doc.name = target.name();
    doc
}

impl<'a> Ctx<'a> {
    pub fn lang(&self) -> &str {
        &self.locale.lang
    }

    /// Plain text in this language (falling back to the default language), its white space
    /// folded: a title written over two YAML lines is one line of text.
    pub fn t(&self, text: &Text) -> String {
        self.source_text(text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The text as written, line breaks kept (rich text is parsed from it).
    fn source_text(&self, text: &Text) -> String {
        text.get(self.lang(), self.a.default_lang()).0.into_owned()
    }

    pub fn label(&self, key: &str) -> String {
        self.locale.label(key)
    }

    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.locale.fmt(key, args)
    }

    /// Rich text as IR blocks, with citation labels filled in.
    pub fn blocks(&self, r: &Rich) -> Vec<Block> {
        let parsed = rich::parse(&self.source_text(r));
        parsed.blocks.iter().map(|b| self.block(b)).collect()
    }

    /// Rich text as one run of inlines (for summaries and list items).
    pub fn inlines(&self, r: &Rich) -> Vec<Inline> {
        let parsed = rich::parse(&self.source_text(r));
        self.fill(rich::single_paragraph(&parsed.blocks))
    }

    fn block(&self, b: &rich::Block) -> Block {
        match b {
            rich::Block::Paragraph { content } => Block::Paragraph {
                content: self.fill(content.clone()),
                role: None,
            },
            rich::Block::List {
                ordered,
                start,
                items,
            } => Block::List {
                ordered: *ordered,
                start: *start,
                items: items
                    .iter()
                    .map(|i| i.iter().map(|b| self.block(b)).collect())
                    .collect(),
            },
        }
    }

    /// Fills citation labels: `(INEI 2023; OSIPTEL 2019)`.
    fn fill(&self, inlines: Vec<Inline>) -> Vec<Inline> {
        inlines
            .into_iter()
            .map(|i| match i {
                Inline::Cite { ids, .. } => {
                    let labels: Vec<String> = ids.iter().map(|id| self.cite_label(id)).collect();
                    Inline::Cite {
                        label: format!("({})", labels.join("; ")),
                        ids,
                    }
                }
                Inline::Emph { content } => Inline::Emph {
                    content: self.fill(content),
                },
                Inline::Strong { content } => Inline::Strong {
                    content: self.fill(content),
                },
                Inline::Link { url, content } => Inline::Link {
                    url,
                    content: self.fill(content),
                },
                Inline::Footnote { content } => Inline::Footnote {
                    content: self.fill(content),
                },
                other => other,
            })
            .collect()
    }

    /// How a source is cited: its `cite-as`, or publisher and year.
    pub fn cite_label(&self, id: &str) -> String {
        let Some(s) = self.a.source(id) else {
            return id.to_string();
        };
        if let Some(c) = &s.cite_as {
            return self.t(&c.value);
        }
        match &s.year {
            Some(y) => format!("{} {}", self.t(&s.publisher.value), y.value),
            None => self.t(&s.publisher.value),
        }
    }

    /// "Finding 3: The Amazon rainforest and the Andes...", as headings and references say it.
    pub fn finding_title(&self, f: &raw::Finding) -> String {
        let n = f.number.value.to_string();
        format!(
            "{}: {}",
            self.fmt("finding-n", &[("n", &n)]),
            self.t(&f.title.value)
        )
    }

    /// "Recommendation 3: Scale community digital literacy...".
    pub fn recommendation_title(&self, r: &raw::Recommendation) -> String {
        let n = r.number.value.to_string();
        format!(
            "{}: {}",
            self.fmt("recommendation-n", &[("n", &n)]),
            self.t(&r.title.value)
        )
    }

    /// A reference to a finding in this document.
    pub fn finding_ref(&self, f: &raw::Finding) -> Inline {
        reference(&format!("finding-{}", f.id.value), self.finding_title(f))
    }

    /// A reference to a recommendation in this document.
    pub fn recommendation_ref(&self, r: &raw::Recommendation) -> Inline {
        reference(
            &format!("recommendation-{}", r.id.value),
            self.recommendation_title(r),
        )
    }

    /// Titles of priorities, joined for a facts line.
    pub fn priority_titles(&self, ids: &[serde_saphyr::Spanned<String>]) -> String {
        ids.iter()
            .filter_map(|id| self.a.priority(&id.value))
            .map(|p| self.t(&p.title.value))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// A chart figure for an indicator; `n` is its figure number in the document.
    pub fn figure(&self, ind: &raw::Indicator, n: usize) -> Block {
        let chart = self.chart(ind);
        let alt = match &ind.alt {
            Some(a) => self.t(&a.value),
            None => self.generated_alt(&chart),
        };
        // The citation label, as in the text; the annex gives the full reference.
        let source = self.a.source(&ind.source.value).map(|s| {
            vec![Inline::text(format!(
                "{} {}",
                self.label("source"),
                self.cite_label(&s.id.value)
            ))]
        });
        Block::Figure {
            caption: vec![Inline::text(format!(
                "{}. {}",
                self.fmt("figure-n", &[("n", &n.to_string())]),
                chart.title
            ))],
            chart: Some(Box::new(chart)),
            image: None,
            alt,
            source,
            note: ind.note.as_ref().map(|n| self.t(&n.value)),
            anchor: format!("figure-{}", ind.id.value),
        }
    }

    /// The chart data of an indicator, with values formatted for the language.
    pub fn chart(&self, ind: &raw::Indicator) -> Chart {
        let all: Vec<f64> = ind
            .series
            .iter()
            .flat_map(|s| s.values.value.iter().filter_map(|v| v.value))
            .collect();
        let decimals = i18n::decimals_needed(&all, ind.format);
        let vmax = all.iter().cloned().fold(0.0, f64::max);
        let (max, step) = axis(vmax, ind.format);
        let step_decimals = i18n::decimals_needed(&[step], raw::ValueFormat::Number);
        let ticks = (0..)
            .map(|k| k as f64 * step)
            .take_while(|v| *v <= max + step / 1000.0)
            .map(|value| ir::Tick {
                value,
                label: self.locale.value(value, ind.format, step_decimals),
            })
            .collect();
        Chart {
            max,
            ticks,
            kind: match ind.chart.value {
                ChartKind::Bar => "bar",
                ChartKind::HorizontalBar => "horizontal-bar",
                ChartKind::Line => "line",
            }
            .to_string(),
            title: self.t(&ind.label.value),
            unit: self.t(&ind.unit.value),
            axis: ind.axis.as_ref().map(|a| self.t(&a.value)),
            categories: ind.categories.iter().map(|c| self.t(&c.value)).collect(),
            series: ind
                .series
                .iter()
                .map(|s| {
                    let values: Vec<f64> = s
                        .values
                        .value
                        .iter()
                        .map(|v| v.value.unwrap_or(0.0))
                        .collect();
                    ChartSeries {
                        label: self.t(&s.label.value),
                        labels: values
                            .iter()
                            .map(|v| self.locale.value(*v, ind.format, decimals))
                            .collect(),
                        values,
                    }
                })
                .collect(),
            format: match ind.format {
                raw::ValueFormat::Percent => "percent",
                raw::ValueFormat::Number => "number",
                raw::ValueFormat::Decimal => "decimal",
            }
            .to_string(),
        }
    }

    /// Alt text from the values: "Bar chart: Internet use by area. Lima 89.2%, Rural 51.2%."
    pub fn generated_alt(&self, chart: &Chart) -> String {
        let kind = self.label(&format!("chart-{}", chart.kind));
        let values = chart
            .series
            .iter()
            .map(|s| {
                let pairs: Vec<String> = chart
                    .categories
                    .iter()
                    .zip(&s.labels)
                    .map(|(c, v)| format!("{c} {v}"))
                    .collect();
                if chart.series.len() > 1 {
                    format!("{}: {}", s.label, pairs.join(", "))
                } else {
                    pairs.join(", ")
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
        self.fmt(
            "chart-alt",
            &[
                ("kind", &kind),
                ("title", &chart.title),
                ("values", &values),
            ],
        )
    }

    /// Metadata shared by every kind; each kind sets its own title and description.
    pub fn meta(&self, title: String, kicker: String, description: String) -> ir::Meta {
        let m = &self.a.meta;
        // The people who wrote it; the organisation when no team is named.
        let author = if m.team.is_empty() {
            self.a
                .theme
                .organization
                .as_ref()
                .map(|o| self.t(&o.value))
                .unwrap_or_default()
        } else {
            m.team
                .iter()
                .map(|t| self.t(&t.name.value))
                .collect::<Vec<_>>()
                .join(", ")
        };
        ir::Meta {
            title,
            kicker,
            subtitle: m.subtitle.as_ref().map(|s| self.t(&s.value)),
            assessment_title: self.t(&m.title.value),
            country: self.t(&m.country.value),
            date: self.locale.date(self.a.date),
            date_iso: self.a.date.to_string(),
            author,
            organization: self.a.theme.organization.as_ref().map(|o| self.t(&o.value)),
            keywords: m.keywords.iter().map(|k| self.t(&k.value)).collect(),
            description,
            status: Some(self.t(&m.status.value)),
            cover_image: m.cover_image.as_ref().map(|i| self.image(i)),
        }
    }

    pub fn image(&self, i: &raw::Image) -> ir::Image {
        ir::Image {
            path: format!("/assets/{}", i.path.value),
            alt: self.t(&i.alt.value),
            credit: i.credit.as_ref().map(|c| self.t(&c.value)),
        }
    }

    pub fn theme(&self) -> ir::Theme {
        let th = &self.a.theme;
        let color = |c: &Option<serde_saphyr::Spanned<String>>, d: &str| {
            c.as_ref().map_or(d.to_string(), |c| c.value.clone())
        };
        ir::Theme {
            primary: color(&th.colors.primary, "#002F6C"),
            accent: color(&th.colors.accent, "#BA0C2F"),
            text: color(&th.colors.text, "#212721"),
            tint: color(&th.colors.tint, "#E8EEF6"),
            heading_font: th
                .fonts
                .heading
                .as_ref()
                .map_or(crate::fonts::SANS.to_string(), |f| f.value.clone()),
            body_font: th
                .fonts
                .body
                .as_ref()
                .map_or(crate::fonts::SERIF.to_string(), |f| f.value.clone()),
            logo: th.logo.as_ref().map(|l| self.image(l)),
            paper: match self.paper {
                Paper::A4 => "a4",
                Paper::Letter => "us-letter",
            }
            .to_string(),
        }
    }

    /// A document shell with metadata, theme and labels; kinds add blocks.
    pub fn document(&self, kind: Kind, meta: ir::Meta, blocks: Vec<Block>) -> ir::Document {
        ir::Document {
            kind,
            name: String::new(),
            priority: None,
            recommendation: None,
            lang: self.lang().to_string(),
            region: self.locale.region.clone(),
            dir: self.locale.dir,
            meta,
            theme: self.theme(),
            labels: self
                .locale
                .labels
                .clone()
                .into_iter()
                .collect::<BTreeMap<_, _>>(),
            blocks,
            scale: 1.0,
        }
    }
}

/// The top of a value axis and its step: round numbers, with room above the tallest value for
/// its label. Percentages that reach past 60 run to 100, so shares are not exaggerated.
pub fn axis(vmax: f64, format: raw::ValueFormat) -> (f64, f64) {
    if format == raw::ValueFormat::Percent && vmax > 60.0 && vmax <= 100.0 {
        return (100.0, 25.0);
    }
    if vmax <= 0.0 || !vmax.is_finite() {
        return (1.0, 0.25);
    }
    let raw_step = vmax / 4.0;
    let mag = 10f64.powf(raw_step.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw_step)
        .unwrap_or(10.0 * mag);
    let mut max = (vmax / step).ceil() * step;
    if vmax / max > 0.92 {
        max += step;
    }
    (max, step)
}

/// A reference to an anchor in this document.
fn reference(target: &str, text: String) -> Inline {
    Inline::Ref {
        target: target.to_string(),
        text,
        scope: RefScope::Document,
    }
}

/// The same reference, pointing at the full report instead (for briefs and one-pagers).
pub fn in_report(inline: Inline) -> Inline {
    match inline {
        Inline::Ref { target, text, .. } => Inline::Ref {
            target,
            text,
            scope: RefScope::Report,
        },
        other => other,
    }
}

/// A heading block.
pub fn heading(level: u8, text: impl Into<String>, anchor: Option<String>) -> Block {
    Block::Heading {
        level,
        content: vec![Inline::text(text)],
        anchor,
        outlined: true,
    }
}

/// A paragraph with a role (`lead`, `note`).
pub fn para(content: Vec<Inline>, role: Option<&str>) -> Block {
    Block::Paragraph {
        content,
        role: role.map(str::to_string),
    }
}

/// A list whose items are single paragraphs.
pub fn list(ordered: bool, items: Vec<Vec<Inline>>) -> Block {
    Block::List {
        ordered,
        start: 1,
        items: items.into_iter().map(|i| vec![para(i, None)]).collect(),
    }
}

#[cfg(test)]
mod tests;
