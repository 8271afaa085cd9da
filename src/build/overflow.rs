//! The error for a one-page document that overflows even at the smallest text size: how much
//! does not fit (measured, so it grows with the text), and the data field to shorten — the
//! one whose text crosses the page end, else the longest — at its file:line.

use crate::diag::{Diagnostic, Location};
use crate::edition::Kind;
use crate::model;
use crate::plan::{Ctx, Target};
use crate::render::typst::fit::Overflow;
use crate::source::FileKind;

/// "about 12 mm (~3 lines)", or that it could not be measured.
fn amount(o: &Overflow) -> String {
    match (o.overflow_mm, o.lines) {
        (Some(mm), Some(lines)) => {
            let lines = lines.round().max(1.0);
            format!(
                "about {:.0} mm (~{lines:.0} line{})",
                mm.max(1.0),
                if lines == 1.0 { "" } else { "s" }
            )
        }
        _ => "an amount deca could not measure".to_string(),
    }
}

/// The error for `target` overflowing as `o` describes.
pub(super) fn diagnostic(c: &Ctx, target: &Target, o: &Overflow) -> Diagnostic {
    let a = c.a;
    let pct = (o.scale * 100.0).round();
    let amount = amount(o);
    let len = |t: &model::Text| c.t(t).chars().count();
    if target.kind != Kind::Onepager {
        return overview(c, o, pct, &amount);
    }
    let id = target.item.as_deref().unwrap_or_default();
    let Some(r) = a.recommendation(id) else {
        return Diagnostic::error(format!(
            "recommendation `{id}` ({}) does not fit on one page: even at {pct}% text size it overflows by {amount}",
            c.lang()
        ));
    };
    let fields: Vec<(&str, usize, Option<Location>)> = vec![
        (
            "summary",
            len(&r.summary.value),
            a.location(FileKind::Recommendations, &r.summary),
        ),
        (
            "rationale",
            len(&r.rationale.value),
            a.location(FileKind::Recommendations, &r.rationale),
        ),
        (
            "actions",
            r.actions.iter().map(|x| len(&x.value)).sum(),
            r.actions
                .first()
                .and_then(|x| a.location(FileKind::Recommendations, x)),
        ),
        (
            "actors",
            r.actors.iter().map(|x| len(&x.value)).sum(),
            r.actors
                .first()
                .and_then(|x| a.location(FileKind::Recommendations, x)),
        ),
    ];
    let mut by_length: Vec<&(&str, usize, Option<Location>)> = fields.iter().collect();
    by_length.sort_by_key(|f| std::cmp::Reverse(f.1));
    let longest = by_length
        .iter()
        .take(2)
        .map(|(n, l, _)| format!("`{n}` ({l} characters)"))
        .collect::<Vec<_>>()
        .join(" and ");
    let crossing = o
        .field
        .as_deref()
        .and_then(|f| fields.iter().find(|x| x.0 == f));
    let (field, label, from) = match crossing {
        Some(f) => (
            f,
            "its text crosses the page end",
            format!(", from field `{}` on", f.0),
        ),
        None => (by_length[0], "the longest field", String::new()),
    };
    Diagnostic::error(format!(
        "recommendation `{id}` ({}) does not fit on one page: even at {pct}% text size it overflows by {amount}{from}",
        c.lang()
    ))
    .at_opt(field.2.clone())
    .label(label)
    .hint(format!(
        "shorten `{}` (or other fields) by that much; the longest fields are {longest}. deca never cuts text",
        field.0
    ))
}

fn overview(c: &Ctx, o: &Overflow, pct: f64, amount: &str) -> Diagnostic {
    let a = c.a;
    let len = |t: &model::Text| c.t(t).chars().count();
    let rec = o.row.and_then(|r| a.recommendations.get(r));
    let mut d = Diagnostic::error(format!(
        "the overview ({}) does not fit on one page: even at {pct}% text size it overflows by {amount}{}",
        c.lang(),
        rec.map(|r| format!(
            ", from recommendation {} (`{}`) on",
            r.number.value, r.id.value
        ))
        .unwrap_or_default()
    ));
    let longest = a
        .recommendations
        .iter()
        .max_by_key(|r| len(&r.summary.value) + len(&r.title.value));
    if let Some(r) = longest {
        d = d
            .at_opt(a.location(FileKind::Recommendations, &r.summary))
            .label("the longest summary")
            .hint(format!(
                "shorten the `summary` or `title` of the longest recommendations, starting with `{}`",
                r.id.value
            ));
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_amount_reads_in_millimetres_and_lines() {
        let o = |mm: Option<f64>, lines: Option<f64>| Overflow {
            field: None,
            row: None,
            overflow_mm: mm,
            lines,
            scale: 0.82,
        };
        assert_eq!(amount(&o(Some(4.2), Some(0.9))), "about 4 mm (~1 line)");
        assert_eq!(
            amount(&o(Some(63.0), Some(14.6))),
            "about 63 mm (~15 lines)"
        );
        assert_eq!(amount(&o(None, None)), "an amount deca could not measure");
    }
}
