//! A one-page summary of one recommendation: what to do, why, the actions, who acts and when,
//! the findings behind it and the priorities it serves. Field markers let an overflow be traced
//! back to the data field to shorten.

use super::report::recommendation_facts;
use super::{Ctx, heading, list, para};
use crate::edition::Kind;
use crate::ir::{Block, Inline};

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
    // A one-pager travels alone: the sources it cites, in full, in small print.
    let mut cited: Vec<String> = Vec::new();
    let texts = std::iter::once(&r.summary.value)
        .chain(std::iter::once(&r.rationale.value))
        .chain(r.actions.iter().map(|a| &a.value));
    for t in texts {
        for id in crate::model::rich::citations(&crate::model::rich::parse(&ctx.t(t)).blocks) {
            if !cited.contains(&id) {
                cited.push(id);
            }
        }
    }
    if !cited.is_empty() {
        let mut content = vec![Inline::text(format!("{}: ", ctx.label("sources")))];
        for (i, id) in cited.iter().enumerate() {
            if let Some(s) = ctx.a.source(id) {
                if i > 0 {
                    content.push(Inline::text(" "));
                }
                content.push(Inline::text(format!(
                    "{}: {}, {}",
                    ctx.cite_label(id),
                    ctx.t(&s.publisher.value),
                    ctx.t(&s.title.value)
                )));
                if let Some(u) = &s.url {
                    let url = crate::model::text::sanitize(&u.value).into_owned();
                    content.push(Inline::text(" "));
                    content.push(Inline::Link {
                        content: vec![Inline::text(url.clone())],
                        url,
                    });
                }
                content.push(Inline::text("."));
            }
        }
        b.push(field("sources"));
        b.push(para(content, Some("note")));
    }
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
