//! Cross-file checks on the typed files: ids, references, numbering, dates, empty text,
//! translation keys, citations, indicator values and image files. Every check runs on whatever
//! loaded, so one broken file does not hide the problems of the others.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Component, Path};
use std::sync::Arc;

use serde_saphyr::Spanned;

use super::raw;
use super::rich;
use super::visit::{self, Parts};
use super::{Assessment, spanned_location};
use crate::diag::{Diagnostic, Location, SourceFile};
use crate::source::FileKind;
use crate::suggest;

/// The typed files that loaded.
#[derive(Default)]
pub struct Typed {
    pub meta: Option<raw::AssessmentFile>,
    pub priorities: Option<Vec<raw::Priority>>,
    pub findings: Option<Vec<raw::Finding>>,
    pub recommendations: Option<Vec<raw::Recommendation>>,
    pub indicators: Option<Vec<raw::Indicator>>,
    pub sources: Option<Vec<raw::Source>>,
    pub theme: Option<raw::ThemeFile>,
}

/// Largest image deca embeds.
pub const MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;

struct Checker<'a> {
    files: &'a BTreeMap<FileKind, Arc<SourceFile>>,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn loc<T>(&self, kind: FileKind, v: &Spanned<T>) -> Option<Location> {
        self.files.get(&kind).map(|f| spanned_location(f, v))
    }

    fn loc_at(&self, kind: FileKind, at: &serde_saphyr::Location) -> Option<Location> {
        self.files.get(&kind).map(|f| {
            let start = at.span().byte_offset().map_or_else(
                || f.offset_of(at.line() as usize, at.column() as usize),
                |b| b as usize,
            );
            let len = at.span().byte_len().unwrap_or(0) as usize;
            Location::new(f, start, start + len)
        })
    }

    fn error<T>(&mut self, kind: FileKind, at: &Spanned<T>, msg: String) -> &mut Diagnostic {
        let d = Diagnostic::error(msg).at_opt(self.loc(kind, at));
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    /// Unique ids within one list; a repeat names the first.
    fn unique_ids<'b>(
        &mut self,
        kind: FileKind,
        what: &str,
        ids: impl Iterator<Item = &'b Spanned<String>>,
    ) {
        let mut seen: HashMap<&str, &Spanned<String>> = HashMap::new();
        for id in ids {
            if let Some(first) = seen.get(id.value.as_str()) {
                let first_loc = self.loc(kind, first);
                let d = self.error(kind, id, format!("duplicate {what} id `{}`", id.value));
                d.label = Some("used again here".into());
                if let Some(l) = first_loc {
                    let (line, _) = l.line_col();
                    d.related.push(crate::diag::Related {
                        location: l,
                        message: "first used here".into(),
                    });
                    d.hint = Some(format!(
                        "ids must be unique; rename this one (the first is on line {line})"
                    ));
                }
            } else {
                seen.insert(&id.value, id);
            }
        }
    }

    /// Numbers run 1..=n: no duplicates, no gaps.
    fn numbering(
        &mut self,
        kind: FileKind,
        what: &str,
        items: &[(&Spanned<u32>, &Spanned<String>)],
    ) {
        let mut by_number: BTreeMap<u32, &Spanned<String>> = BTreeMap::new();
        for (num, id) in items {
            if let Some(first) = by_number.get(&num.value) {
                let first_id = first.value.clone();
                let first_loc = self.loc(kind, *first);
                let d = self.error(
                    kind,
                    num,
                    format!(
                        "duplicate {what} number {} (also used by `{first_id}`)",
                        num.value
                    ),
                );
                d.label = Some("number used twice".into());
                if let Some(l) = first_loc {
                    d.related.push(crate::diag::Related {
                        location: l,
                        message: format!("`{first_id}` has this number"),
                    });
                }
                d.hint = Some(format!(
                    "{what}s are numbered 1 to {} without repeats",
                    items.len()
                ));
            } else {
                by_number.insert(num.value, id);
            }
        }
        let n = items.len() as u32;
        for (num, _) in items {
            if num.value == 0 || num.value > n {
                let expected = (1..=n).find(|k| !by_number.contains_key(k));
                let d = self.error(
                    kind,
                    num,
                    format!(
                        "{what} number {} is out of sequence: there are {n} {what}s",
                        num.value
                    ),
                );
                d.label = Some("out of sequence".into());
                d.hint = Some(match expected {
                    Some(k) => format!("number {what}s 1 to {n} without gaps; {k} is missing"),
                    None => format!("number {what}s 1 to {n} without gaps"),
                });
            }
        }
    }

    /// A reference to an id of another kind.
    fn reference(
        &mut self,
        kind: FileKind,
        r: &Spanned<String>,
        what: &str,
        target_file: &str,
        known: Option<&[&str]>,
    ) {
        let Some(known) = known else { return };
        if known.contains(&r.value.as_str()) {
            return;
        }
        let hint = match suggest::did_you_mean(&r.value, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if known.is_empty() => format!("{target_file} defines no {what}s"),
            None => format!("known {what}s: {}", suggest::list(known)),
        };
        let d = self.error(kind, r, format!("unknown {what} `{}`", r.value));
        d.label = Some(format!("no {what} has this id"));
        d.hint = Some(hint);
    }

    fn date(&mut self, kind: FileKind, v: &Spanned<String>, what: &str) -> Option<time::Date> {
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        match time::Date::parse(&v.value, &fmt) {
            Ok(d) => Some(d),
            Err(_) => {
                let d = self.error(kind, v, format!("invalid {what} `{}`", v.value));
                d.label = Some("not a calendar date".into());
                d.hint = Some("write dates as YYYY-MM-DD, e.g. 2022-09-30".into());
                None
            }
        }
    }
}

fn ids<T>(items: Option<&[T]>, f: impl Fn(&T) -> &str) -> Option<Vec<&str>> {
    items.map(|v| v.iter().map(f).collect())
}

/// Runs every check; returns the assessment when the parts it needs all loaded.
pub fn validate(
    name: String,
    dir: &Path,
    files: BTreeMap<FileKind, Arc<SourceFile>>,
    t: Typed,
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
                        let category = ind
                            .categories
                            .get(k)
                            .map(|c| c.value.get(default_lang, default_lang).0.into_owned())
                            .unwrap_or_else(|| format!("#{}", k + 1));
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

    // Every text field: not empty, known languages, citations and footnotes.
    let parts = Parts {
        meta: t.meta.as_ref(),
        priorities: t.priorities.as_deref(),
        findings: t.findings.as_deref(),
        recommendations: t.recommendations.as_deref(),
        indicators: t.indicators.as_deref(),
        sources: t.sources.as_deref(),
        theme: t.theme.as_ref(),
    };
    for field in visit::texts(parts) {
        let at = c.loc_at(field.kind, &field.at);
        // Occurrences of each needle already reported in this field (one per language), so
        // each language's problem points at its own text.
        let mut reported: Vec<String> = Vec::new();
        for (lang, s) in field.text.variants(default_lang) {
            if let Some(langs) = &declared
                && !langs.contains(&lang)
            {
                let d = Diagnostic::error(format!(
                        "{} has a translation in `{lang}`, which is not one of the assessment's languages",
                        field.path
                    ))
                    .at_opt(at.clone())
                    .hint(format!(
                        "add `{lang}` to `languages` in assessment.yaml, or remove it (languages: {})",
                        suggest::list(langs)
                    ));
                c.diags.push(d);
            }
            let bad = super::text::illegal_chars(s);
            if !bad.is_empty() {
                let list: Vec<String> = bad
                    .iter()
                    .map(|ch| format!("U+{:04X}", *ch as u32))
                    .collect();
                c.diags.push(
                    Diagnostic::warning(format!(
                        "{}{} contains characters documents cannot carry ({}); they are removed",
                        field.path,
                        lang_suffix(field.text, lang),
                        list.join(", ")
                    ))
                    .at_opt(at.clone())
                    .hint("remove the control characters from the text"),
                );
            }
            if s.trim().is_empty() {
                c.diags.push(
                    Diagnostic::error(format!(
                        "{} is empty{}",
                        field.path,
                        lang_suffix(field.text, lang)
                    ))
                    .at_opt(at.clone())
                    .label("empty text")
                    .hint("write the text, or remove the field if it is optional"),
                );
            }
            if field.rich {
                let parsed = rich::parse(s);
                for issue in &parsed.issues {
                    let rich::Issue::UndefinedFootnote { label, .. } = issue;
                    c.diags.push(
                        Diagnostic::error(format!(
                            "footnote `[^{label}]` in {} has no text",
                            field.path
                        ))
                        .at_opt(find_nth(at.as_ref(), &format!("[^{label}]"), 0))
                        .hint(format!("add a line `[^{label}]: ...` after the paragraph")),
                    );
                }
                if let Some(known) = &indicator_ids {
                    for id in rich::figure_refs(&parsed.blocks) {
                        if !known.contains(&id.as_str()) {
                            let hint = match suggest::did_you_mean(&id, known.iter().copied()) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => {
                                    "refer to the figures of indicators defined in indicators.yaml"
                                        .to_string()
                                }
                            };
                            c.diags.push(
                                Diagnostic::error(format!(
                                    "reference to the figure of unknown indicator `{id}` in {}{}",
                                    field.path,
                                    lang_suffix(field.text, lang)
                                ))
                                .at_opt(find_nth(at.as_ref(), &format!("@fig:{id}"), 0))
                                .label("no indicator has this id")
                                .hint(hint),
                            );
                        }
                    }
                }
                if let Some(known) = &source_ids {
                    for id in rich::citations(&parsed.blocks) {
                        if !known.contains(&id.as_str()) {
                            let hint = match suggest::did_you_mean(&id, known.iter().copied()) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => "cite ids defined in sources.yaml".to_string(),
                            };
                            let needle = format!("@{id}");
                            let nth = reported.iter().filter(|n| **n == needle).count();
                            reported.push(needle.clone());
                            c.diags.push(
                                Diagnostic::error(format!(
                                    "citation of unknown source `{id}` in {}{}",
                                    field.path,
                                    lang_suffix(field.text, lang)
                                ))
                                .at_opt(find_nth(at.as_ref(), &needle, nth))
                                .label("no source has this id")
                                .hint(hint),
                            );
                        }
                    }
                }
            }
        }
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

fn lang_suffix(t: &super::Text, lang: &str) -> String {
    match t {
        super::Text::Plain(_) => String::new(),
        super::Text::Translated(_) => format!(" in `{lang}`"),
    }
}

/// Narrows a field's location to the `nth` occurrence of `needle` inside it, so an error in a
/// long text points at the citation rather than at the start of the field.
fn find_nth(at: Option<&Location>, needle: &str, nth: usize) -> Option<Location> {
    let at = at?;
    let text = &at.file.text;
    let from = at.start;
    // The span of a block scalar or a translation map may be short; search on to the next
    // list item, where the next record starts.
    let limit = text[from..]
        .match_indices("\n  - ")
        .next()
        .map_or(text.len(), |(i, _)| from + i);
    match text[from..limit].match_indices(needle).nth(nth) {
        Some((i, _)) => Some(Location::new(&at.file, from + i, from + i + needle.len())),
        None => Some(at.clone()),
    }
}

/// An image path as the assessment's assets and the renderers name it: `./images\\logo.png`
/// and `images//logo.png` are `images/logo.png`. Written once, here, so every reader of the
/// model agrees with the file that was checked.
pub fn image_path(written: &str) -> String {
    written
        .trim()
        .split(['/', '\\'])
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/")
}

/// Checks an image path (inside the folder, no escape through `..` or symlinks, a known format,
/// under the size cap) and reads it.
fn check_image(c: &mut Checker, kind: FileKind, dir: &Path, img: &raw::Image) -> Option<Vec<u8>> {
    let normalized = image_path(&img.path.value);
    let rel = Path::new(&normalized);
    let bad_component = rel
        .components()
        .any(|comp| !matches!(comp, Component::Normal(_) | Component::CurDir));
    let written = img.path.value.trim();
    let absolute = Path::new(written).is_absolute() || written.starts_with(['/', '\\']);
    if normalized.is_empty() {
        let d = c.error(kind, &img.path, "image path is empty".into());
        d.hint =
            Some("give the image's path in the assessment folder, e.g. images/logo.png".into());
        return None;
    }
    if absolute || bad_component {
        let d = c.error(
            kind,
            &img.path,
            format!(
                "image path `{}` leaves the assessment folder",
                img.path.value
            ),
        );
        d.hint = Some("give a path inside the assessment folder, e.g. images/logo.png".into());
        return None;
    }
    let ext = rel
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if !["png", "jpg", "jpeg", "svg"].contains(&ext.as_str()) {
        let d = c.error(
            kind,
            &img.path,
            format!("unsupported image format `{}`", img.path.value),
        );
        d.hint = Some("use a PNG, JPEG or SVG file".into());
        return None;
    }
    let full = dir.join(rel);
    let canonical_dir = dir.canonicalize().ok()?;
    let canonical = match full.canonicalize() {
        Ok(p) => p,
        Err(e) => {
            let d = c.error(
                kind,
                &img.path,
                format!("failed to read image `{}` ({e})", img.path.value),
            );
            d.hint = Some(format!("the path is relative to {}", dir.display()));
            return None;
        }
    };
    if !canonical.starts_with(&canonical_dir) {
        let d = c.error(
            kind,
            &img.path,
            format!(
                "access denied: image `{}` resolves outside the assessment folder",
                img.path.value
            ),
        );
        d.hint = Some("copy the image into the assessment folder instead of linking to it".into());
        return None;
    }
    match std::fs::metadata(&canonical) {
        Ok(m) if m.len() > MAX_IMAGE_BYTES => {
            let d = c.error(
                kind,
                &img.path,
                format!(
                    "image `{}` is too large ({} bytes; the limit is {MAX_IMAGE_BYTES})",
                    img.path.value,
                    m.len()
                ),
            );
            d.hint = Some("export a smaller image".into());
            return None;
        }
        Err(e) => {
            c.error(
                kind,
                &img.path,
                format!("failed to read image `{}` ({e})", img.path.value),
            );
            return None;
        }
        _ => {}
    }
    match std::fs::read(&canonical) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            c.error(
                kind,
                &img.path,
                format!("failed to read image `{}` ({e})", img.path.value),
            );
            None
        }
    }
}
