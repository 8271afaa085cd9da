//! The full report, in the order agency reports use: contents; the executive summary with
//! the key findings (by pillar, so their page numbers read in order) and the recommendations
//! at a glance; the introduction and method; the findings by pillar with their figures; the
//! recommendations; the list of sources. The cover, inside cover and back cover come from the
//! front and back matter.

use super::{Ctx, FigureNumbers, chapter, heading, list, para};
use crate::edition::Kind;
use crate::ir::{Block, Column, Fact, Inline, KeyFigure, Role, SourceEntry, Table, Tone};
use crate::model::raw;

pub(super) fn build(ctx: &Ctx) -> crate::ir::Document {
    let a = ctx.a;
    let m = &a.meta;
    let report = ctx.report_figure_numbers();
    let figs = FigureNumbers {
        here: report.clone(),
        report,
    };
    let mut b = vec![Block::Toc];

    // Executive summary.
    b.push(chapter(ctx.label("executive-summary"), "executive-summary"));
    b.extend(ctx.blocks(&m.executive_summary.value, &figs));
    b.push(heading(2, ctx.label("key-findings"), None));
    // Bullets by pillar: each item already carries its number ("Finding 3: ...").
    b.push(list(
        false,
        ctx.findings_in_report_order()
            .into_iter()
            .map(|f| vec![ctx.finding_ref(f)])
            .collect(),
    ));
    // The recommendations at a glance: a page of its own, the table whole.
    b.push(chapter(
        ctx.label("recommendations-overview"),
        "recommendations-at-a-glance",
    ));
    b.push(Block::Table(glance(ctx, false)));

    // Introduction and method.
    if let Some(intro) = &m.introduction {
        b.push(chapter(ctx.label("introduction"), "introduction"));
        b.extend(ctx.blocks(&intro.value, &figs));
        b.push(heading(2, ctx.label("method"), Some("method".into())));
        b.extend(method(ctx, &figs, 3));
    } else {
        b.push(chapter(ctx.label("method"), "method"));
        b.extend(method(ctx, &figs, 2));
    }

    // Findings by pillar.
    let mut pillars: Vec<_> = m.pillars.iter().collect();
    pillars.sort_by_key(|p| p.number.value);
    for pillar in pillars {
        b.push(chapter(
            ctx.pillar_title(pillar),
            &format!("pillar-{}", pillar.id.value),
        ));
        if let Some(d) = &pillar.description {
            b.extend(ctx.blocks(&d.value, &figs));
        }
        for f in a
            .findings
            .iter()
            .filter(|f| f.pillar.value == pillar.id.value)
        {
            b.push(heading(
                2,
                ctx.finding_title(f),
                Some(super::finding_anchor(f)),
            ));
            // Which priorities a finding bears on, in the side column beside its opening.
            if !f.priorities.is_empty() {
                b.push(Block::Aside {
                    blocks: vec![Block::Facts {
                        items: vec![Fact {
                            label: ctx.label("priorities"),
                            value: vec![Inline::text(ctx.priority_titles(&f.priorities))],
                        }],
                    }],
                });
            }
            b.extend(ctx.finding_body(f, &figs));
        }
    }

    // Recommendations.
    b.push(chapter(ctx.label("recommendations"), "recommendations"));
    // The inside cover says it in full; here, a reminder where readers land.
    b.push(para(
        vec![Inline::text(ctx.t(&m.status.value))],
        Some(Role::Note),
    ));
    for r in &a.recommendations {
        b.push(heading(
            2,
            ctx.recommendation_title(r),
            Some(super::recommendation_anchor(r)),
        ));
        b.push(para(ctx.inlines(&r.summary.value, &figs), Some(Role::Lead)));
        b.push(heading(3, ctx.label("why-it-matters"), None));
        b.extend(ctx.blocks(&r.rationale.value, &figs));
        b.push(heading(3, ctx.label("actions"), None));
        b.push(list(
            true,
            r.actions
                .iter()
                .map(|x| ctx.inlines(&x.value, &figs))
                .collect(),
        ));
        b.push(Block::Facts {
            items: recommendation_facts(ctx, r, FindingRefs::Here),
        });
    }

    // Annex: sources.
    b.push(chapter(ctx.label("annex-sources"), "sources"));
    b.push(Block::Sources {
        entries: sources(ctx, None),
    });

    let title = ctx.t(&m.title.value);
    let front = ctx.front(Kind::Report, ctx.label("report"), title.clone());
    ctx.document(Kind::Report, ctx.meta(title), front, b)
}

/// The method: the status of the edition, the numbers of the fieldwork, how it was done;
/// `sub` is the level of its own headings.
fn method(ctx: &Ctx, figs: &FigureNumbers, sub: u8) -> Vec<Block> {
    let m = &ctx.a.meta;
    let mut b = vec![Block::Callout {
        title: Some(ctx.label("status")),
        tone: Tone::Status,
        blocks: vec![para(vec![Inline::text(ctx.t(&m.status.value))], None)],
    }];
    let mut figures = vec![KeyFigure {
        value: m.method.interviews.to_string(),
        label: ctx.label("interviews"),
        source: None,
    }];
    if m.method.focus_groups > 0 {
        figures.push(KeyFigure {
            value: m.method.focus_groups.to_string(),
            label: ctx.label("focus-groups"),
            source: None,
        });
    }
    b.push(Block::KeyFigures { items: figures });
    b.extend(ctx.blocks(&m.method.summary.value, figs));
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
    let mut facts = vec![Fact {
        label: ctx.label("fieldwork"),
        value: vec![Inline::text(fieldwork)],
    }];
    if let Some(d) = &m.method.desk_research {
        facts.push(Fact {
            label: ctx.label("desk-research"),
            value: ctx.inlines(&d.value, figs),
        });
    }
    if let Some(c) = &m.method.consultations {
        facts.push(Fact {
            label: ctx.label("consultations"),
            value: ctx.inlines(&c.value, figs),
        });
    }
    b.push(Block::Facts { items: facts });
    if let Some(ack) = &m.acknowledgements {
        b.push(heading(sub, ctx.label("acknowledgements"), None));
        b.extend(ctx.blocks(&ack.value, figs));
    }
    b
}

/// The recommendations at a glance: number, title, timeframe and a mark for each priority
/// served (the priority matrix), with the priorities named under the table. `detail` adds
/// each recommendation's summary under its title (the overview); without it the title links
/// to the recommendation (the report).
pub(super) fn glance(ctx: &Ctx, detail: bool) -> Table {
    let a = ctx.a;
    let mark = "●";
    let mut columns = vec![
        Column {
            width: 0.6,
            center: true,
        },
        Column {
            width: 6.0,
            center: false,
        },
        Column {
            width: 2.8,
            center: false,
        },
    ];
    let mut header = vec![
        vec![Inline::text(ctx.label("number"))],
        vec![Inline::text(ctx.label("recommendation"))],
        vec![Inline::text(ctx.label("timeframe"))],
    ];
    for (i, _) in a.priorities.iter().enumerate() {
        columns.push(Column {
            width: 0.75,
            center: true,
        });
        header.push(vec![Inline::text(priority_code(i))]);
    }
    let rows = a
        .recommendations
        .iter()
        .map(|r| {
            let title = if detail {
                let mut cell = vec![
                    Inline::Strong {
                        content: vec![Inline::text(ctx.t(&r.title.value))],
                    },
                    Inline::Break,
                ];
                cell.extend(ctx.inlines(&r.summary.value, &FigureNumbers::default()));
                cell
            } else {
                vec![ctx.recommendation_ref_short(r)]
            };
            let mut row = vec![
                vec![Inline::text(r.number.value.to_string())],
                title,
                vec![Inline::text(ctx.t(&r.timeframe.value))],
            ];
            for p in &a.priorities {
                let serves = r.priorities.iter().any(|x| x.value == p.id.value);
                row.push(vec![Inline::text(if serves { mark } else { "" })]);
            }
            row
        })
        .collect();
    let legend = a
        .priorities
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{} {}", priority_code(i), ctx.t(&p.title.value)))
        .collect::<Vec<_>>()
        .join(" · ");
    Table {
        columns,
        header,
        rows,
        note: Some(vec![Inline::text(format!(
            "{mark} {} {legend}",
            ctx.label("serves-priority")
        ))]),
    }
}

/// "P1", "P2": short column heads for priorities, explained under the table.
fn priority_code(i: usize) -> String {
    format!("P{}", i + 1)
}

impl Ctx<'_> {
    /// A recommendation's title (without its number, which has its own column), linked.
    fn recommendation_ref_short(&self, r: &raw::Recommendation) -> Inline {
        Inline::Ref {
            target: super::recommendation_anchor(r),
            text: self.t(&r.title.value),
            scope: crate::ir::RefScope::Document,
        }
    }
}

/// How a recommendation names the findings it answers.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum FindingRefs {
    /// "Finding 3: The Amazon ..." with its page in this document (the report).
    Here,
    /// The same, with the report's page (a one-pager).
    InReport,
    /// "Finding 3" with the report's page, for a brief that has just listed the findings.
    ShortInReport,
}

/// Who acts, timeframe, findings answered, priorities served.
pub(super) fn recommendation_facts(
    ctx: &Ctx,
    r: &raw::Recommendation,
    refs: FindingRefs,
) -> Vec<Fact> {
    let mut facts = vec![
        Fact {
            label: ctx.label("who-acts"),
            value: vec![Inline::text(ctx.locale.semicolon_list(
                &r.actors.iter().map(|x| ctx.t(&x.value)).collect::<Vec<_>>(),
            ))],
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
            answers.push(Inline::text(ctx.label("semicolon")));
        }
        answers.push(match refs {
            FindingRefs::Here => ctx.finding_ref(f),
            FindingRefs::InReport => super::in_report(ctx.finding_ref(f)),
            FindingRefs::ShortInReport => Inline::Ref {
                target: super::finding_anchor(f),
                text: ctx.fmt("finding-n", &[("n", &f.number.value.to_string())]),
                scope: crate::ir::RefScope::Report,
            },
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

/// The list of sources (all, or those with the given ids), in the order of their labels.
pub(super) fn sources(ctx: &Ctx, only: Option<&[String]>) -> Vec<SourceEntry> {
    let mut entries: Vec<SourceEntry> = ctx
        .a
        .sources
        .iter()
        .filter(|s| only.is_none_or(|ids| ids.contains(&s.id.value)))
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
                super::push_url(&mut content, &u.value);
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
pub(super) fn parse_date(s: &str) -> time::Date {
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &fmt).expect("dates are validated on load")
}
