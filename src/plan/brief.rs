//! A brief per priority, two to four pages: the title band, the key figures right under it,
//! what the assessment found on the priority, the recommendations that serve it (each kept
//! whole) and the sources it cites.

use super::report::{FindingRefs, recommendation_facts, sources};
use super::{Ctx, FigureNumbers, heading, para};
use crate::edition::Kind;
use crate::ir::{Block, Inline, Role, Tone};
use crate::model::rich;

/// At most this many key figures, so the tiles fit one row.
const MAX_FIGURES: usize = 4;

pub(super) fn build(ctx: &Ctx, priority_id: &str) -> crate::ir::Document {
    let a = ctx.a;
    let p = a
        .priority(priority_id)
        .expect("briefs are planned for known priorities");
    let findings: Vec<_> = ctx
        .findings_in_report_order()
        .into_iter()
        .filter(|f| f.priorities.iter().any(|x| x.value == priority_id))
        .collect();
    let recs: Vec<_> = a
        .recommendations
        .iter()
        .filter(|r| r.priorities.iter().any(|x| x.value == priority_id))
        .collect();
    // A brief draws no charts: its figures are the report's.
    let figs = FigureNumbers {
        here: Default::default(),
        report: ctx.report_figure_numbers(),
    };
    let mut b = vec![para(
        ctx.inlines(&p.description.value, &figs),
        Some(Role::Lead),
    )];

    let mut seen: Vec<&str> = Vec::new();
    let key: Vec<_> = findings
        .iter()
        .flat_map(|f| f.indicators.iter())
        .filter_map(|i| a.indicator(&i.value))
        .filter(|i| {
            let new = !seen.contains(&i.id.value.as_str());
            seen.push(&i.id.value);
            new
        })
        .take(MAX_FIGURES)
        .collect();
    if !key.is_empty() {
        b.push(heading(1, ctx.label("key-figures"), None));
        b.push(Block::KeyFigures {
            items: key.iter().map(|i| ctx.key_figure(i)).collect(),
        });
    }

    let mut cited: Vec<String> = Vec::new();
    let mut cite = |r: &crate::model::Rich| {
        for id in rich::citations(&ctx.parse(r)) {
            if !cited.contains(&id) {
                cited.push(id);
            }
        }
    };
    cite(&p.description.value);

    b.push(heading(1, ctx.label("related-findings"), None));
    let mut found = Vec::new();
    for f in &findings {
        found.push(heading(2, ctx.finding_title(f), None));
        found.push(para(ctx.inlines(&f.summary.value, &figs), None));
        cite(&f.summary.value);
    }
    // Short, independent summaries read well side by side, two to a row.
    if findings.len() > 1 {
        b.push(Block::Multicol {
            count: 2,
            blocks: found,
        });
    } else {
        b.extend(found);
    }

    b.push(heading(1, ctx.label("related-recommendations"), None));
    for r in &recs {
        // Who and when; the actions are in the recommendation's one-pager.
        let facts = recommendation_facts(ctx, r, FindingRefs::ShortInReport)
            .into_iter()
            .filter(|f| f.label != ctx.label("priorities-served"))
            .collect();
        b.push(Block::Keep {
            blocks: vec![
                heading(2, ctx.recommendation_title(r), None),
                para(ctx.inlines(&r.summary.value, &figs), None),
                Block::Facts { items: facts },
            ],
        });
        cite(&r.summary.value);
    }
    for i in &key {
        if !cited.contains(&i.source.value) {
            cited.push(i.source.value.clone());
        }
    }
    b.push(Block::Callout {
        title: None,
        tone: Tone::Note,
        blocks: vec![
            para(vec![Inline::text(ctx.t(&a.meta.status.value))], None),
            para(vec![Inline::text(ctx.label("more-in-report"))], None),
        ],
    });
    if !cited.is_empty() {
        b.push(heading(1, ctx.label("sources"), None));
        b.push(Block::Sources {
            entries: sources(ctx, Some(&cited)),
        });
    }

    let title = ctx.t(&p.title.value);
    let description = ctx.fmt("brief-title", &[("title", &title)]);
    let front = ctx.front(Kind::Brief, ctx.label("brief"), title);
    let mut doc = ctx.document(Kind::Brief, ctx.meta(description.clone()), front, b);
    doc.page.header.left = description;
    doc.priority = Some(priority_id.to_string());
    doc
}
