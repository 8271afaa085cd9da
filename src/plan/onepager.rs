//! A one-page summary of one recommendation: what to do, why, the actions, who acts and when,
//! the findings behind it and the priorities it serves. Field markers let an overflow be traced
//! back to the data field to shorten.

use super::report::recommendation_facts;
use super::{Ctx, heading, list, para};
use crate::cli::Kind;
use crate::ir::Block;

pub fn build(ctx: &Ctx, rec_id: &str) -> crate::ir::Document {
    let r = ctx
        .a
        .recommendation(rec_id)
        .expect("one-pagers are planned for known recommendations");
    let field = |name: &str| Block::Field {
        name: name.to_string(),
    };
    let mut b = vec![
        field("summary"),
        para(ctx.inlines(&r.summary.value), Some("lead")),
        field("rationale"),
        heading(1, ctx.label("why-it-matters"), None),
    ];
    b.extend(ctx.blocks(&r.rationale.value));
    b.push(field("actions"));
    b.push(heading(1, ctx.label("actions"), None));
    b.push(list(
        true,
        r.actions.iter().map(|x| ctx.inlines(&x.value)).collect(),
    ));
    b.push(field("actors"));
    b.push(Block::Facts {
        items: recommendation_facts(ctx, r, true),
    });
    b.push(field("end"));

    let n = r.number.value.to_string();
    let title = ctx.t(&r.title.value);
    let kicker = ctx.fmt("recommendation-n", &[("n", &n)]);
    let description = ctx.fmt("onepager-title", &[("n", &n), ("title", &title)]);
    let meta = ctx.meta(title, kicker, description);
    let mut doc = ctx.document(Kind::Onepager, meta, b);
    doc.recommendation = Some(rec_id.to_string());
    doc
}
