//! The full report: front matter (status, method, team), contents, executive summary, findings
//! by pillar with their charts, recommendations, and the annex of sources.

use super::{Ctx, heading, list, para};
use crate::edition::Kind;
use crate::ir::{Block, Fact, Inline, KeyFigure, SourceEntry};

pub fn build(ctx: &Ctx) -> crate::ir::Document {
    let a = ctx.a;
    let m = &a.meta;
    let mut b = Vec::new();

    // Front matter.
    b.push(Block::Heading {
        level: 1,
        content: vec![Inline::text(ctx.label("about"))],
        anchor: Some("about".into()),
        outlined: false,
    });
    b.push(Block::Callout {
        title: Some(ctx.label("status")),
        tone: "status".into(),
        blocks: vec![para(vec![Inline::text(ctx.t(&m.status.value))], None)],
    });
    b.push(Block::Heading {
        level: 2,
        content: vec![Inline::text(ctx.label("method"))],
        anchor: None,
        outlined: false,
    });
    let fieldwork = ctx.fmt(
        "fieldwork-period",
        &[
            (
                "start",
                &ctx.locale
                    .month_year(parse_date(&m.method.fieldwork.start.value)),
            ),
            (
                "end",
                &ctx.locale
                    .month_year(parse_date(&m.method.fieldwork.end.value)),
            ),
        ],
    );
    let mut figures = vec![KeyFigure {
        value: m.method.interviews.to_string(),
        label: ctx.label("interviews"),
    }];
    if m.method.focus_groups > 0 {
        figures.push(KeyFigure {
            value: m.method.focus_groups.to_string(),
            label: ctx.label("focus-groups"),
        });
    }
    b.push(Block::KeyFigures { items: figures });
    b.extend(ctx.blocks(&m.method.summary.value));
    let mut facts = vec![Fact {
        label: ctx.label("fieldwork"),
        value: vec![Inline::text(fieldwork)],
    }];
    if let Some(d) = &m.method.desk_research {
        facts.push(Fact {
            label: ctx.label("desk-research"),
            value: ctx.inlines(&d.value),
        });
    }
    if let Some(c) = &m.method.consultations {
        facts.push(Fact {
            label: ctx.label("consultations"),
            value: ctx.inlines(&c.value),
        });
    }
    b.push(Block::Facts { items: facts });
    if !m.team.is_empty() {
        b.push(Block::Heading {
            level: 2,
            content: vec![Inline::text(ctx.label("team"))],
            anchor: None,
            outlined: false,
        });
        b.push(list(
            false,
            m.team
                .iter()
                .map(|t| {
                    let mut v = vec![Inline::Strong {
                        content: vec![Inline::text(ctx.t(&t.name.value))],
                    }];
                    if let Some(r) = &t.role {
                        v.push(Inline::text(format!(", {}", ctx.t(&r.value))));
                    }
                    v
                })
                .collect(),
        ));
    }
    if let Some(ack) = &m.acknowledgements {
        b.push(Block::Heading {
            level: 2,
            content: vec![Inline::text(ctx.label("acknowledgements"))],
            anchor: None,
            outlined: false,
        });
        b.extend(ctx.blocks(&ack.value));
    }
    b.push(Block::PageBreak);
    b.push(Block::Toc);
    b.push(Block::PageBreak);

    // Executive summary.
    b.push(heading(
        1,
        ctx.label("executive-summary"),
        Some("executive-summary".into()),
    ));
    b.extend(ctx.blocks(&m.executive_summary.value));
    b.push(heading(2, ctx.label("key-findings"), None));
    // Bullets: each item already carries its number ("Finding 3: ...").
    b.push(list(
        false,
        a.findings
            .iter()
            .map(|f| vec![ctx.finding_ref(f)])
            .collect(),
    ));
    b.push(heading(2, ctx.label("recommendations"), None));
    b.push(list(
        false,
        a.recommendations
            .iter()
            .map(|r| vec![ctx.recommendation_ref(r)])
            .collect(),
    ));

    if let Some(intro) = &m.introduction {
        b.push(heading(
            1,
            ctx.label("introduction"),
            Some("introduction".into()),
        ));
        b.extend(ctx.blocks(&intro.value));
    }

    // Findings by pillar.
    let mut figure_n = 0;
    let mut pillars: Vec<_> = m.pillars.iter().collect();
    pillars.sort_by_key(|p| p.number.value);
    for pillar in pillars {
        b.push(Block::PageBreak);
        let n = pillar.number.value.to_string();
        b.push(heading(
            1,
            format!(
                "{}: {}",
                ctx.fmt("pillar-n", &[("n", &n)]),
                ctx.t(&pillar.title.value)
            ),
            Some(format!("pillar-{}", pillar.id.value)),
        ));
        if let Some(d) = &pillar.description {
            b.extend(ctx.blocks(&d.value));
        }
        for f in a
            .findings
            .iter()
            .filter(|f| f.pillar.value == pillar.id.value)
        {
            b.push(heading(
                2,
                ctx.finding_title(f),
                Some(format!("finding-{}", f.id.value)),
            ));
            // Which priorities a finding bears on, right under its title.
            if !f.priorities.is_empty() {
                b.push(Block::Facts {
                    items: vec![Fact {
                        label: ctx.label("priorities"),
                        value: vec![Inline::text(ctx.priority_titles(&f.priorities))],
                    }],
                });
            }
            b.push(para(ctx.inlines(&f.summary.value), Some("lead")));
            b.extend(ctx.blocks(&f.body.value));
            for ind in f.indicators.iter().filter_map(|i| a.indicator(&i.value)) {
                figure_n += 1;
                b.push(ctx.figure(ind, figure_n));
            }
        }
    }

    // Recommendations.
    b.push(Block::PageBreak);
    b.push(heading(
        1,
        ctx.label("recommendations"),
        Some("recommendations".into()),
    ));
    // The front matter says it in full; here, a reminder where readers land.
    b.push(para(
        vec![Inline::text(ctx.t(&m.status.value))],
        Some("note"),
    ));
    for r in &a.recommendations {
        b.push(heading(
            2,
            ctx.recommendation_title(r),
            Some(format!("recommendation-{}", r.id.value)),
        ));
        b.push(para(ctx.inlines(&r.summary.value), Some("lead")));
        b.push(heading(3, ctx.label("why-it-matters"), None));
        b.extend(ctx.blocks(&r.rationale.value));
        b.push(heading(3, ctx.label("actions"), None));
        b.push(list(
            true,
            r.actions.iter().map(|x| ctx.inlines(&x.value)).collect(),
        ));
        b.push(Block::Facts {
            items: recommendation_facts(ctx, r, false),
        });
    }

    // Annex: sources.
    b.push(Block::PageBreak);
    b.push(heading(
        1,
        ctx.label("annex-sources"),
        Some("sources".into()),
    ));
    b.push(Block::Sources {
        entries: sources(ctx),
    });

    let title = ctx.t(&m.title.value);
    let meta = ctx.meta(title.clone(), ctx.t(&m.country.value), title);
    ctx.document(Kind::Report, meta, b)
}

/// Who acts, timeframe, findings answered, priorities served.
pub fn recommendation_facts(
    ctx: &Ctx,
    r: &crate::model::raw::Recommendation,
    in_other_doc: bool,
) -> Vec<Fact> {
    let mut facts = vec![
        Fact {
            label: ctx.label("who-acts"),
            value: vec![Inline::text(
                r.actors
                    .iter()
                    .map(|x| ctx.t(&x.value))
                    .collect::<Vec<_>>()
                    .join("; "),
            )],
        },
        Fact {
            label: ctx.label("timeframe"),
            value: vec![Inline::text(ctx.t(&r.timeframe.value))],
        },
    ];
    let mut answers = Vec::new();
    for (i, f) in r
        .findings
        .iter()
        .filter_map(|f| ctx.a.finding(&f.value))
        .enumerate()
    {
        if i > 0 {
            answers.push(Inline::text("; "));
        }
        let reference = ctx.finding_ref(f);
        answers.push(if in_other_doc {
            super::in_report(reference)
        } else {
            reference
        });
    }
    facts.push(Fact {
        label: ctx.label("answers"),
        value: answers,
    });
    if !r.priorities.is_empty() {
        facts.push(Fact {
            label: ctx.label("priorities-served"),
            value: vec![Inline::text(ctx.priority_titles(&r.priorities))],
        });
    }
    facts
}

/// The list of sources, in the order of their cite labels.
fn sources(ctx: &Ctx) -> Vec<SourceEntry> {
    let mut entries: Vec<SourceEntry> = ctx
        .a
        .sources
        .iter()
        .map(|s| {
            let mut content = vec![
                Inline::Emph {
                    content: vec![Inline::text(ctx.t(&s.title.value))],
                },
                Inline::text(". "),
            ];
            if let Some(a) = &s.author {
                content.push(Inline::text(format!("{}. ", ctx.t(&a.value))));
            }
            content.push(Inline::text(ctx.t(&s.publisher.value)));
            if let Some(y) = &s.year {
                content.push(Inline::text(format!(", {}", y.value)));
            }
            content.push(Inline::text("."));
            if let Some(u) = &s.url {
                content.push(Inline::text(" "));
                content.push(Inline::Link {
                    url: crate::model::text::sanitize(&u.value).into_owned(),
                    content: vec![Inline::text(crate::model::text::sanitize(&u.value))],
                });
            }
            if let Some(acc) = &s.accessed {
                let date = ctx.locale.date(parse_date(&acc.value));
                content.push(Inline::text(format!(
                    " ({}).",
                    ctx.fmt("accessed", &[("date", &date)])
                )));
            }
            SourceEntry {
                id: s.id.value.clone(),
                cite: ctx.cite_label(&s.id.value),
                content,
            }
        })
        .collect();
    entries.sort_by_key(|e| e.cite.to_lowercase());
    entries
}

/// Dates were validated when the assessment loaded.
pub fn parse_date(s: &str) -> time::Date {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &fmt).expect("dates are validated on load")
}
