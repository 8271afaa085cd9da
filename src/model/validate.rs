//! Cross-file checks on the typed files: ids, references, numbering, dates, indicator values,
//! source URLs, fonts, and (in `fields` and `images`) every text field and image. Every check
//! runs on whatever loaded, so one broken file does not hide the problems of the others.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use super::checker::Checker;
use super::images::{check_image, image_path};
use super::visit::Parts;
use super::{Assessment, fields, raw};
use crate::diag::{Diagnostic, SourceFile};
use crate::source::FileKind;
use crate::suggest;

/// The typed files that loaded.
#[derive(Default)]
pub(super) struct Typed {
    pub meta: Option<raw::AssessmentFile>,
    pub priorities: Option<Vec<raw::Priority>>,
    pub findings: Option<Vec<raw::Finding>>,
    pub recommendations: Option<Vec<raw::Recommendation>>,
    pub indicators: Option<Vec<raw::Indicator>>,
    pub sources: Option<Vec<raw::Source>>,
    pub theme: Option<raw::ThemeFile>,
}

fn ids<T>(items: Option<&[T]>, f: impl Fn(&T) -> &str) -> Option<Vec<&str>> {
    items.map(|v| v.iter().map(f).collect())
}

/// Runs every check; returns the assessment when the parts it needs all loaded.
pub(super) fn validate(
    name: String,
    dir: &Path,
    files: BTreeMap<FileKind, Arc<SourceFile>>,
    t: Typed,
    trusted: bool,
) -> (Option<Assessment>, Vec<Diagnostic>) {
    let mut c = Checker {
        files: &files,
        diags: Vec::new(),
    };
    use FileKind as K;

    let languages: Option<Vec<&str>> = t
        .meta
        .as_ref()
        .map(|m| m.languages.iter().map(|l| l.value.as_str()).collect());
    // Translations are checked against the languages only once every code is valid: `EN`
    // is reported once, not again at every `en:`.
    let declared = languages
        .clone()
        .filter(|ls| ls.iter().all(|l| super::text::is_language_code(l)));
    let default_lang = languages
        .as_ref()
        .and_then(|l| l.first().copied())
        // Only while assessment.yaml is broken: plain strings are then checked as English.
        .unwrap_or("en");
    let priority_ids = ids(t.priorities.as_deref(), |p| &p.id.value);
    let finding_ids = ids(t.findings.as_deref(), |f| &f.id.value);
    let indicator_ids = ids(t.indicators.as_deref(), |i| &i.id.value);
    let source_ids = ids(t.sources.as_deref(), |s| &s.id.value);
    let pillar_ids: Option<Vec<&str>> = t
        .meta
        .as_ref()
        .map(|m| m.pillars.iter().map(|p| p.id.value.as_str()).collect());

    let mut date = None;
    let mut assets = BTreeMap::new();

    // assessment.yaml
    if let Some(m) = &t.meta {
        date = c.date(K::Assessment, &m.date, "publication date");
        let start = c.date(
            K::Assessment,
            &m.method.fieldwork.start,
            "fieldwork start date",
        );
        let end = c.date(K::Assessment, &m.method.fieldwork.end, "fieldwork end date");
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            let d = c.error(
                K::Assessment,
                &m.method.fieldwork.end,
                "fieldwork ends before it starts".into(),
            );
            d.hint = Some(format!("the start is {s}; swap the dates or correct one"));
        }
        let mut seen = HashSet::new();
        for l in &m.languages {
            if !super::text::is_language_code(&l.value) {
                let d = c.error(
                    K::Assessment,
                    l,
                    format!("invalid language code `{}`", l.value),
                );
                d.hint = Some(match super::text::language_code_fix(&l.value) {
                    Some(fix) => format!(
                        "language codes are written in lowercase (a region in capitals): write `{fix}`"
                    ),
                    None => "use ISO 639-1 codes such as `en`, `fr` or `es-PE`".into(),
                });
            } else if !seen.insert(l.value.as_str()) {
                let d = c.error(
                    K::Assessment,
                    l,
                    format!("language `{}` is listed twice", l.value),
                );
                d.hint = Some("list each language once".into());
            }
        }
        c.unique_ids(K::Assessment, "pillar", m.pillars.iter().map(|p| &p.id));
        let pillar_numbers: Vec<_> = m.pillars.iter().map(|p| (&p.number, &p.id)).collect();
        c.numbering(K::Assessment, "pillar", &pillar_numbers);
        if let Some(img) = &m.cover_image
            && let Some(bytes) = check_image(&mut c, K::Assessment, dir, img)
        {
            assets.insert(image_path(&img.path.value), bytes);
        }
    }

    // priorities.yaml
    if let Some(ps) = &t.priorities {
        c.unique_ids(K::Priorities, "priority", ps.iter().map(|p| &p.id));
    }

    // findings.yaml
    if let Some(fs) = &t.findings {
        c.unique_ids(K::Findings, "finding", fs.iter().map(|f| &f.id));
        let numbers: Vec<_> = fs.iter().map(|f| (&f.number, &f.id)).collect();
        c.numbering(K::Findings, "finding", &numbers);
        for f in fs {
            c.reference(
                K::Findings,
                &f.pillar,
                "pillar",
                "assessment.yaml",
                pillar_ids.as_deref(),
            );
            for p in &f.priorities {
                c.reference(
                    K::Findings,
                    p,
                    "priority",
                    "priorities.yaml",
                    priority_ids.as_deref(),
                );
            }
            for i in &f.indicators {
                c.reference(
                    K::Findings,
                    i,
                    "indicator",
                    "indicators.yaml",
                    indicator_ids.as_deref(),
                );
            }
            for s in &f.sources {
                c.reference(
                    K::Findings,
                    s,
                    "source",
                    "sources.yaml",
                    source_ids.as_deref(),
                );
            }
        }
    }

    // recommendations.yaml
    if let Some(rs) = &t.recommendations {
        c.unique_ids(
            K::Recommendations,
            "recommendation",
            rs.iter().map(|r| &r.id),
        );
        let numbers: Vec<_> = rs.iter().map(|r| (&r.number, &r.id)).collect();
        c.numbering(K::Recommendations, "recommendation", &numbers);
        for r in rs {
            c.reference(
                K::Recommendations,
                &r.pillar,
                "pillar",
                "assessment.yaml",
                pillar_ids.as_deref(),
            );
            for f in &r.findings {
                c.reference(
                    K::Recommendations,
                    f,
                    "finding",
                    "findings.yaml",
                    finding_ids.as_deref(),
                );
            }
            for p in &r.priorities {
                c.reference(
                    K::Recommendations,
                    p,
                    "priority",
                    "priorities.yaml",
                    priority_ids.as_deref(),
                );
            }
        }
    }

    // indicators.yaml
    if let Some(is) = &t.indicators {
        c.unique_ids(K::Indicators, "indicator", is.iter().map(|i| &i.id));
        for ind in is {
            c.reference(
                K::Indicators,
                &ind.source,
                "source",
                "sources.yaml",
                source_ids.as_deref(),
            );
            let n = ind.categories.len();
            for s in &ind.series {
                let label = s.label.value.get(default_lang, default_lang).0.into_owned();
                if s.values.value.len() != n {
                    let d = c.error(
                        K::Indicators,
                        &s.values,
                        format!(
                            "series `{label}` of indicator `{}` has {} value{} for {n} categor{}",
                            ind.id.value,
                            s.values.value.len(),
                            if s.values.value.len() == 1 { "" } else { "s" },
                            if n == 1 { "y" } else { "ies" }
                        ),
                    );
                    d.hint = Some(
                        "give exactly one value per category, in the categories' order".into(),
                    );
                }
                for (k, v) in s.values.value.iter().enumerate() {
                    if v.value.is_none() {
                        let category = ind.categories.get(k).map_or_else(
                            || format!("#{}", k + 1),
                            |c| c.value.get(default_lang, default_lang).0.into_owned(),
                        );
                        let d = c.error(
                            K::Indicators,
                            v,
                            format!("missing value for `{category}` in series `{label}` of indicator `{}`", ind.id.value),
                        );
                        d.label = Some("no value".into());
                        d.hint = Some("charts need every value; drop the category if there is no figure for it".into());
                    } else if v.value.is_some_and(|x| !x.is_finite()) {
                        let d = c.error(K::Indicators, v, "value is not a finite number".into());
                        d.hint = Some("write a plain number such as 51.2".into());
                    }
                }
            }
            if let Some(k) = &ind.key_figure {
                let positions = [
                    (&k.category, ind.categories.len(), "category", "categories"),
                    (&k.series, ind.series.len(), "series", "series"),
                ];
                for (at, count, one, many) in positions {
                    if let Some(at) = at
                        && (at.value == 0 || at.value as usize > count)
                    {
                        let d = c.error(
                            K::Indicators,
                            at,
                            format!(
                                "key figure of indicator `{}` names {one} {}, but it has {count} {many}",
                                ind.id.value, at.value
                            ),
                        );
                        d.hint = Some(format!("give a position from 1 to {count}"));
                    }
                }
            }
        }
        if let Some(fs) = &t.findings {
            let cited: HashSet<&str> = fs
                .iter()
                .flat_map(|f| f.indicators.iter().map(|i| i.value.as_str()))
                .collect();
            for ind in is {
                if !cited.contains(ind.id.value.as_str()) {
                    let d = Diagnostic::warning(format!(
                        "indicator `{}` is not cited by any finding, so no chart shows it",
                        ind.id.value
                    ))
                    .at_opt(c.loc(K::Indicators, &ind.id))
                    .hint("list it under `indicators:` of the finding it supports");
                    c.diags.push(d);
                }
            }
        }
    }

    // sources.yaml
    if let Some(ss) = &t.sources {
        c.unique_ids(K::Sources, "source", ss.iter().map(|s| &s.id));
        for s in ss {
            if let Some(u) = &s.url {
                if !(u.value.starts_with("https://") || u.value.starts_with("http://")) {
                    let d = c.error(K::Sources, u, format!("invalid url `{}`", u.value));
                    d.hint = Some("source urls start with https:// or http://".into());
                } else if u.value.chars().any(char::is_whitespace) {
                    let d = c.error(
                        K::Sources,
                        u,
                        format!("invalid url `{}`: it contains a space", u.value.trim()),
                    );
                    d.hint =
                        Some("a url has no spaces: remove them, or write each space as %20".into());
                }
            }
            if let Some(a) = &s.accessed {
                c.date(K::Sources, a, "access date");
            }
        }
    }

    // theme.yaml
    if let Some(th) = &t.theme {
        for logo in th.logo.iter().chain(&th.marks) {
            if let Some(bytes) = check_image(&mut c, K::Theme, dir, logo) {
                assets.insert(image_path(&logo.path.value), bytes);
            }
        }
        // Font families depend on the fonts only, which a trusted load's key covers.
        if !trusted {
            for f in [&th.fonts.heading, &th.fonts.body].into_iter().flatten() {
                let families = crate::fonts::families();
                if !families
                    .iter()
                    .any(|fam| fam.eq_ignore_ascii_case(&f.value))
                {
                    let refs: Vec<&str> = families.iter().map(String::as_str).collect();
                    let d = c.error(K::Theme, f, format!("unknown font family `{}`", f.value));
                    d.hint = Some(
                        match suggest::did_you_mean(&f.value, refs.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("bundled families: {}", suggest::list(&refs)),
                        },
                    );
                }
            }
        }
    }

    // Every text field: not empty, known languages, citations, footnotes and nesting.
    let parts = Parts {
        meta: t.meta.as_ref(),
        priorities: t.priorities.as_deref(),
        findings: t.findings.as_deref(),
        recommendations: t.recommendations.as_deref(),
        indicators: t.indicators.as_deref(),
        sources: t.sources.as_deref(),
        theme: t.theme.as_ref(),
    };
    let known = fields::Known {
        languages: declared.as_deref(),
        indicators: indicator_ids.as_deref(),
        sources: source_ids.as_deref(),
    };
    // Text fields yield diagnostics only; a trusted load passed them with these bytes before.
    if !trusted {
        fields::check(&mut c, parts, default_lang, &known);
    }

    let diags = c.diags;
    let (
        Some(mut meta),
        Some(priorities),
        Some(mut findings),
        Some(mut recommendations),
        Some(indicators),
        Some(mut sources),
        Some(mut theme),
        Some(date),
    ) = (
        t.meta,
        t.priorities,
        t.findings,
        t.recommendations,
        t.indicators,
        t.sources,
        t.theme,
        date,
    )
    else {
        return (None, diags);
    };
    findings.sort_by_key(|f| f.number.value);
    recommendations.sort_by_key(|r| r.number.value);
    // Paths and URLs in the one form every renderer uses, so nothing downstream re-derives them.
    for img in meta
        .cover_image
        .iter_mut()
        .chain(theme.logo.iter_mut())
        .chain(theme.marks.iter_mut())
    {
        img.path.value = image_path(&img.path.value);
    }
    for s in &mut sources {
        if let Some(u) = &mut s.url {
            u.value = super::link::target(u.value.trim());
        }
    }
    let assessment = Assessment {
        name,
        dir: dir.to_path_buf(),
        files,
        meta,
        priorities,
        findings,
        recommendations,
        indicators,
        sources,
        theme,
        assets,
        date,
    };
    (Some(assessment), diags)
}
