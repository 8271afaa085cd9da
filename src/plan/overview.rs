//! All recommendations on one page: number, title and one-sentence summary, who acts, the
//! timeframe and the priorities served, as one table.

use super::Ctx;
use crate::edition::Kind;
use crate::ir::{Block, Inline};

pub fn build(ctx: &Ctx) -> crate::ir::Document {
    let a = ctx.a;
    let header = vec![
        vec![Inline::text(ctx.label("number"))],
        vec![Inline::text(ctx.label("recommendation"))],
        vec![Inline::text(ctx.label("timeframe"))],
        vec![Inline::text(ctx.label("priorities-served"))],
    ];
    let mut blocks = vec![Block::Paragraph {
        content: vec![Inline::text(ctx.t(&a.meta.status.value))],
        role: Some("note".into()),
    }];
    let mut rows = Vec::new();
    for r in &a.recommendations {
        let mut cell = vec![
            Inline::Strong {
                content: vec![Inline::text(ctx.t(&r.title.value))],
            },
            Inline::Break,
        ];
        cell.extend(ctx.inlines(&r.summary.value));
        rows.push(vec![
            vec![Inline::text(r.number.value.to_string())],
            cell,
            vec![Inline::text(ctx.t(&r.timeframe.value))],
            vec![Inline::text(ctx.priority_titles(&r.priorities))],
        ]);
    }
    blocks.push(Block::Field {
        name: "recommendations".into(),
    });
    blocks.push(Block::Table {
        caption: None,
        header,
        rows,
        widths: vec![0.55, 5.6, 2.4, 2.1],
    });
    blocks.push(Block::Field { name: "end".into() });
    let title = ctx.label("overview-title");
    let meta = ctx.meta(title.clone(), ctx.t(&a.meta.title.value), title);
    ctx.document(Kind::Overview, meta, blocks)
}
