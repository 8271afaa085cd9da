//! Figures from indicators: charts with their axes and words in the document's language,
//! number tiles for two-value comparisons, key figures, and where each figure goes: in the
//! finding that cites its indicator, after the paragraph that refers to it.

use std::collections::HashMap;

use super::{Ctx, FigureNumbers};
use crate::i18n;
use crate::ir::{self, Block, Chart, ChartSeries, Figure, Inline, KeyFigure};
use crate::model::raw::{self, ChartKind, ValueFormat};
use crate::model::rich;

/// At most this many values are shown as number tiles rather than drawn as a chart.
const TILE_VALUES: usize = 2;
/// Charts with at most this many values are drawn half width, two to a row.
const SMALL_VALUES: usize = 4;

/// A figure waiting for its place: after block `after` of a finding's body (`None`: after
/// the lead paragraph).
pub struct Placed<'a> {
    pub indicator: &'a raw::Indicator,
    pub after: Option<usize>,
}

impl<'a> Ctx<'a> {
    /// Whether an indicator is drawn at half width (tiles or a small chart).
    fn is_half(ind: &raw::Indicator) -> bool {
        values(ind) <= SMALL_VALUES
    }

    /// The indicators whose figures a finding holds, with where each goes. A figure sits in
    /// the first finding (in report order) that lists its indicator.
    pub fn placed_figures(&self, f: &'a raw::Finding) -> Vec<Placed<'a>> {
        let first_owner = |id: &str| {
            self.findings_in_report_order()
                .into_iter()
                .find(|g| g.indicators.iter().any(|i| i.value == id))
                .map(|g| g.id.value.clone())
        };
        let lead_refs = rich::figure_refs(&self.parse(&f.summary.value));
        let body = self.parse(&f.body.value);
        let mut out = Vec::new();
        for id in &f.indicators {
            let Some(ind) = self.a.indicator(&id.value) else {
                continue;
            };
            if first_owner(&id.value).as_deref() != Some(f.id.value.as_str()) {
                continue;
            }
            let after = if lead_refs.contains(&id.value) {
                None
            } else {
                let referring = body
                    .iter()
                    .position(|b| rich::figure_refs(std::slice::from_ref(b)).contains(&id.value));
                Some(referring.unwrap_or(body.len().saturating_sub(1)))
            };
            out.push(Placed {
                indicator: ind,
                after,
            });
        }
        out
    }

    /// The number of every figure in the report, in reading order.
    pub fn report_figure_numbers(&self) -> HashMap<String, usize> {
        let mut out = HashMap::new();
        for f in self.findings_in_report_order() {
            let mut placed = self.placed_figures(f);
            // Reading order: after the lead first, then by the paragraph they follow.
            placed.sort_by_key(|p| p.after.map_or(0, |a| a + 1));
            for p in placed {
                let n = out.len() + 1;
                out.entry(p.indicator.id.value.clone()).or_insert(n);
            }
        }
        out
    }

    /// A finding's lead and body with its figures in place. `figs` numbers them.
    pub fn finding_body(&self, f: &raw::Finding, figs: &FigureNumbers) -> Vec<Block> {
        let placed = self.placed_figures(f);
        let at = |after: Option<usize>| -> Vec<&raw::Indicator> {
            placed
                .iter()
                .filter(|p| p.after == after)
                .map(|p| p.indicator)
                .collect()
        };
        let mut out = vec![super::para(
            self.inlines(&f.summary.value, figs),
            Some(ir::Role::Lead),
        )];
        out.extend(self.figure_blocks(&at(None), figs));
        for (i, b) in self.parse(&f.body.value).iter().enumerate() {
            out.push(self.block(b, figs));
            out.extend(self.figure_blocks(&at(Some(i)), figs));
        }
        out
    }

    /// Figures in order: full-width ones alone, half-width ones two to a row.
    pub fn figure_blocks(&self, inds: &[&raw::Indicator], figs: &FigureNumbers) -> Vec<Block> {
        let mut out = Vec::new();
        let mut row: Vec<Figure> = Vec::new();
        for ind in inds {
            let n = figs.here.get(&ind.id.value).copied().unwrap_or(0);
            let fig = self.figure(ind, n);
            if Self::is_half(ind) {
                row.push(fig);
                if row.len() == 2 {
                    out.push(Block::FigureRow {
                        figures: std::mem::take(&mut row),
                    });
                }
            } else {
                if !row.is_empty() {
                    out.push(Block::Figure(row.remove(0)));
                }
                out.push(Block::Figure(fig));
            }
        }
        // A small figure without a partner takes the text width.
        match row.len() {
            1 => out.push(Block::Figure(row.remove(0))),
            2 => out.push(Block::FigureRow { figures: row }),
            _ => {}
        }
        out
    }

    /// The figure of an indicator, numbered `n` in its document: number tiles for a
    /// two-value comparison, a chart otherwise.
    pub fn figure(&self, ind: &raw::Indicator, n: usize) -> Figure {
        let chart = self.chart(ind);
        let alt = match &ind.alt {
            Some(a) => self.t(&a.value),
            None => self.generated_alt(&chart),
        };
        // The citation label, as in the text; the list of sources gives the full reference.
        let source = self.a.source(&ind.source.value).map(|s| {
            vec![Inline::text(format!(
                "{} {}",
                self.label("source"),
                self.cite_label(&s.id.value)
            ))]
        });
        let tiles = if values(ind) <= TILE_VALUES {
            self.tiles(&chart)
        } else {
            Vec::new()
        };
        Figure {
            label: self.fmt("figure-n", &[("n", &n.to_string())]),
            title: chart.title.clone(),
            chart: tiles.is_empty().then(|| Box::new(chart)),
            tiles,
            alt,
            source,
            note: ind.note.as_ref().map(|n| self.t(&n.value)),
            anchor: rich::figure_anchor(&ind.id.value),
        }
    }

    /// Each value of a small chart as a tile: the number, and the category (with the series
    /// when there are several).
    fn tiles(&self, chart: &Chart) -> Vec<KeyFigure> {
        let mut out = Vec::new();
        for s in &chart.series {
            for (c, v) in chart.categories.iter().zip(&s.labels) {
                out.push(KeyFigure {
                    value: v.clone(),
                    label: if chart.series.len() > 1 {
                        format!("{c}, {}", s.label)
                    } else {
                        c.clone()
                    },
                    source: None,
                });
            }
        }
        out
    }

    /// The key figure of an indicator: the value its `key-figure` names (by default the last
    /// category of the first series), what it is, and its source.
    pub fn key_figure(&self, ind: &raw::Indicator) -> KeyFigure {
        let spec = ind.key_figure.as_ref();
        let series_at = spec
            .and_then(|k| k.series.as_ref())
            .map_or(0, |s| s.value.saturating_sub(1) as usize);
        let series = ind.series.get(series_at).or(ind.series.first());
        let values = series.map(|s| &s.values.value);
        let last = values.map_or(0, |v| v.len().saturating_sub(1));
        let category = spec
            .and_then(|k| k.category.as_ref())
            .map_or(last, |c| c.value.saturating_sub(1) as usize);
        let value = values
            .and_then(|v| v.get(category))
            .and_then(|v| v.value)
            .unwrap_or(0.0);
        let decimals = i18n::decimals_needed(&[value], ind.format);
        let label = match spec {
            Some(k) => self.t(&k.label.value),
            None => {
                let cat = ind
                    .categories
                    .get(category)
                    .map(|c| self.t(&c.value))
                    .unwrap_or_default();
                format!("{} ({cat})", self.t(&ind.label.value))
            }
        };
        KeyFigure {
            value: self.locale.value(value, ind.format, decimals),
            label,
            source: Some(self.cite_label(&ind.source.value)),
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
        let vmax = all.iter().copied().fold(0.0, f64::max);
        let (max, step) = axis(vmax, ind.format);
        let step_decimals = i18n::decimals_needed(&[step], ValueFormat::Number);
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
            kind: chart_kind_name(ind.chart.value).to_string(),
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
                ValueFormat::Percent => "percent",
                ValueFormat::Number => "number",
                ValueFormat::Decimal => "decimal",
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
}

/// How many values an indicator shows.
fn values(ind: &raw::Indicator) -> usize {
    ind.series.len() * ind.categories.len()
}

/// The template's name for a chart kind.
pub(super) fn chart_kind_name(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Bar => "bar",
        ChartKind::HorizontalBar => "horizontal-bar",
        ChartKind::Line => "line",
    }
}

/// The top of a value axis and its step: round numbers, with room above the tallest value for
/// its label. Percentages that reach past 60 run to 100, so shares are not exaggerated.
pub fn axis(vmax: f64, format: ValueFormat) -> (f64, f64) {
    if format == ValueFormat::Percent && vmax > 60.0 && vmax <= 100.0 {
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
