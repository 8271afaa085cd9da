//! A one-page summary of one recommendation, readable in thirty seconds: the title band, then
//! a main column (the recommendation in a sentence, why it matters, the actions) and a
//! sidebar (one key number, who acts, the timeframe, the priorities served, the findings it
//! answers), and a strip with the sources it cites. Field markers let an overflow be traced
//! back to the data field to shorten.

use super::report::{FindingRefs, recommendation_facts};
use super::{Ctx, FigureNumbers, heading, list, para};
use crate::edition::Kind;
use crate::ir::{Block, Inline, Role};

pub(super) fn build(ctx: &Ctx, rec_id: &str) -> crate::ir::Document {
    let a = ctx.a;
    let r = a
        .recommendation(rec_id)
        .expect("one-pagers are planned for known recommendations");
    let figs = FigureNumbers {
        here: Default::default(),
        report: ctx.report_figure_numbers(),
    };
    let field = |name: &str| Block::Field {
        name: name.to_string(),
    };
    let mut main = vec![
        field("summary"),
        para(ctx.inlines(&r.summary.value, &figs), Some(Role::Lead)),
        field("rationale"),
        heading(1, ctx.label("why-it-matters"), None),
    ];
    main.extend(ctx.blocks(&r.rationale.value, &figs));
    main.push(field("actions"));
    main.push(heading(1, ctx.label("actions"), None));
    main.push(list(
        true,
        r.actions
            .iter()
            .map(|x| ctx.inlines(&x.value, &figs))
            .collect(),
    ));

    let mut side = Vec::new();
    // One key number from the indicators of the findings it answers: the first that names
    // its key figure, else the first.
    let indicators: Vec<_> = r
        .findings
        .iter()
        .filter_map(|f| a.finding(&f.value))
        .flat_map(|f| f.indicators.iter())
        .filter_map(|i| a.indicator(&i.value))
        .collect();
    let key = indicators
        .iter()
        .find(|i| i.key_figure.is_some())
        .or(indicators.first());
    if let Some(ind) = key {
        side.push(Block::KeyFigures {
            items: vec![ctx.key_figure(ind)],
        });
    }
    side.push(field("actors"));
    side.push(Block::Facts {
        items: recommendation_facts(ctx, r, FindingRefs::InReport),
    });

    let mut b = vec![Block::Columns { main, side }];
    // A one-pager travels alone: the sources it cites, in full, in a strip at the foot.
    let mut cited: Vec<String> = Vec::new();
    let texts = std::iter::once(&r.summary.value)
        .chain(std::iter::once(&r.rationale.value))
        .chain(r.actions.iter().map(|a| &a.value));
    for t in texts {
        for id in crate::model::rich::citations(&ctx.parse(t)) {
            if !cited.contains(&id) {
                cited.push(id);
            }
        }
    }
    if let Some(ind) = key
        && !cited.contains(&ind.source.value)
    {
        cited.push(ind.source.value.clone());
    }
    if !cited.is_empty() {
        let mut content = vec![Inline::Strong {
            content: vec![Inline::text(ctx.label("sources"))],
        }];
        content.push(Inline::text(" "));
        for (i, id) in cited.iter().enumerate() {
            let Some(s) = a.source(id) else { continue };
            if i > 0 {
                content.push(Inline::text(" · "));
            }
            // The label reads as one unit, as in a citation.
            let work = ctx
                .locale
                .comma_list(&[ctx.t(&s.publisher.value), ctx.t(&s.title.value)]);
            content.push(Inline::text(
                ctx.locale
                    .label_value(&ctx.cite_label(id).replace(' ', "\u{a0}"), &work),
            ));
            if let Some(u) = &s.url {
                super::push_url(&mut content, &u.value);
            }
        }
        b.push(field("sources"));
        b.push(para(content, Some(Role::Note)));
    }
    b.push(field("end"));

    let n = r.number.value.to_string();
    let title = ctx.t(&r.title.value);
    let kicker = ctx.fmt("recommendation-n", &[("n", &n)]);
    let description = ctx.fmt("onepager-title", &[("n", &n), ("title", &title)]);
    let front = ctx.front(Kind::Onepager, kicker, title);
    let mut doc = ctx.document(Kind::Onepager, ctx.meta(description), front, b);
    doc.recommendation = Some(rec_id.to_string());
    doc
}
