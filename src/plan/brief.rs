//! A brief per priority, two to four pages: the priority, its key figures, the findings that
//! bear on it and the recommendations that serve it.

use super::report::recommendation_facts;
use super::{Ctx, heading, para};
use crate::edition::Kind;
use crate::ir::{Block, Inline};

/// At most this many charts, so a brief stays within four pages.
const MAX_FIGURES: usize = 2;

pub fn build(ctx: &Ctx, priority_id: &str) -> crate::ir::Document {
    let a = ctx.a;
    let p = a
        .priority(priority_id)
        .expect("briefs are planned for known priorities");
    let findings: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.priorities.iter().any(|x| x.value == priority_id))
        .collect();
    let recs: Vec<_> = a
        .recommendations
        .iter()
        .filter(|r| r.priorities.iter().any(|x| x.value == priority_id))
        .collect();
    let mut b = Vec::new();
    b.push(para(ctx.inlines(&p.description.value), Some("lead")));

    let mut seen = Vec::new();
    let indicators: Vec<_> = findings
        .iter()
        .flat_map(|f| f.indicators.iter())
        .filter_map(|i| a.indicator(&i.value))
        .filter(|i| {
            let new = !seen.contains(&i.id.value);
            seen.push(i.id.value.clone());
            new
        })
        .take(MAX_FIGURES)
        .collect();
    if !indicators.is_empty() {
        b.push(heading(1, ctx.label("key-figures"), None));
        for (n, ind) in indicators.into_iter().enumerate() {
            b.push(ctx.figure(ind, n + 1));
        }
    }

    b.push(heading(1, ctx.label("related-findings"), None));
    for f in &findings {
        b.push(heading(2, ctx.finding_title(f), None));
        b.push(para(ctx.inlines(&f.summary.value), None));
    }

    b.push(heading(1, ctx.label("related-recommendations"), None));
    for r in &recs {
        b.push(heading(2, ctx.recommendation_title(r), None));
        b.push(para(ctx.inlines(&r.summary.value), None));
        // Who and when; the actions are in the recommendation's one-pager.
        let facts = recommendation_facts(ctx, r, true)
            .into_iter()
            .filter(|f| f.label != ctx.label("priorities-served"))
            .collect();
        b.push(Block::Facts { items: facts });
    }
    b.push(Block::Callout {
        title: None,
        tone: "note".into(),
        blocks: vec![
            para(vec![Inline::text(ctx.t(&a.meta.status.value))], None),
            para(vec![Inline::text(ctx.label("more-in-report"))], None),
        ],
    });

    let title = ctx.t(&p.title.value);
    let description = ctx.fmt("brief-title", &[("title", &title)]);
    let meta = ctx.meta(title, ctx.label("brief"), description);
    let mut doc = ctx.document(Kind::Brief, meta, b);
    doc.priority = Some(priority_id.to_string());
    doc
}
