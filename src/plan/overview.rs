//! All recommendations on one page: the title band, then one table with each
//! recommendation's number, title and one-sentence summary, its timeframe, and a mark for
//! each priority it serves (the priority matrix), the priorities named under the table.

use super::Ctx;
use crate::edition::Kind;
use crate::ir::{Block, Inline, Role};

pub(super) fn build(ctx: &Ctx) -> crate::ir::Document {
    let a = ctx.a;
    let blocks = vec![
        Block::Paragraph {
            content: vec![Inline::text(ctx.t(&a.meta.status.value))],
            role: Some(Role::Note),
        },
        Block::Field {
            name: "recommendations".into(),
        },
        Block::Table(super::report::glance(ctx, true)),
        Block::Field { name: "end".into() },
    ];
    let title = ctx.label("overview-title");
    let front = ctx.front(Kind::Overview, ctx.t(&a.meta.title.value), title.clone());
    ctx.document(Kind::Overview, ctx.meta(title), front, blocks)
}
