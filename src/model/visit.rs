//! Every text field of an assessment in one walk, with its file, field path and position.
//! Validation (empty text, language keys, citations) and translation reports use the same walk,
//! so no field is forgotten by one of them.

use serde_saphyr::{Location as YamlLocation, Spanned};

use super::raw;
use super::text::{Rich, Text};
use crate::source::FileKind;

/// One text field.
#[derive(Debug, Clone)]
pub struct TextField<'a> {
    pub kind: FileKind,
    /// `findings[2].title`, with the item's id when it has one: `findings[rural-access].title`.
    pub path: String,
    pub text: &'a Text,
    pub at: YamlLocation,
    /// Markdown (rich) rather than plain text.
    pub rich: bool,
    /// Whether the text is read by people (and so needs translating).
    pub translatable: bool,
}

/// The parts of an assessment that are loaded; any may be missing while validating.
#[derive(Debug, Default, Clone, Copy)]
pub struct Parts<'a> {
    pub meta: Option<&'a raw::AssessmentFile>,
    pub priorities: Option<&'a [raw::Priority]>,
    pub findings: Option<&'a [raw::Finding]>,
    pub recommendations: Option<&'a [raw::Recommendation]>,
    pub indicators: Option<&'a [raw::Indicator]>,
    pub sources: Option<&'a [raw::Source]>,
    pub theme: Option<&'a raw::ThemeFile>,
}

struct Walker<'a> {
    out: Vec<TextField<'a>>,
    kind: FileKind,
}

impl<'a> Walker<'a> {
    fn plain(&mut self, path: String, t: &'a Spanned<Text>) {
        self.push(path, &t.value, t.referenced, false, true);
    }
    fn rich(&mut self, path: String, t: &'a Spanned<Rich>) {
        self.push(path, &t.value.0, t.referenced, true, true);
    }
    fn untranslated(&mut self, path: String, t: &'a Spanned<Text>) {
        self.push(path, &t.value, t.referenced, false, false);
    }
    fn push(
        &mut self,
        path: String,
        text: &'a Text,
        at: YamlLocation,
        rich: bool,
        translatable: bool,
    ) {
        self.out.push(TextField {
            kind: self.kind,
            path,
            text,
            at,
            rich,
            translatable,
        });
    }
    fn image(&mut self, path: &str, img: &'a raw::Image) {
        self.plain(format!("{path}.alt"), &img.alt);
        if let Some(c) = &img.credit {
            self.plain(format!("{path}.credit"), c);
        }
    }
}

/// Every text field, in file order.
pub fn texts<'a>(p: Parts<'a>) -> Vec<TextField<'a>> {
    let mut w = Walker {
        out: Vec::new(),
        kind: FileKind::Assessment,
    };
    if let Some(m) = p.meta {
        w.kind = FileKind::Assessment;
        w.plain("country".into(), &m.country);
        w.plain("title".into(), &m.title);
        if let Some(s) = &m.subtitle {
            w.plain("subtitle".into(), s);
        }
        w.plain("status".into(), &m.status);
        for (i, t) in m.team.iter().enumerate() {
            // A person's name needs no translation; a descriptive one ("Assessment team") may
            // still carry one, and it is used when present.
            w.untranslated(format!("team[{i}].name"), &t.name);
            if let Some(r) = &t.role {
                w.plain(format!("team[{i}].role"), r);
            }
        }
        if let Some(a) = &m.acknowledgements {
            w.rich("acknowledgements".into(), a);
        }
        w.rich("method.summary".into(), &m.method.summary);
        if let Some(d) = &m.method.desk_research {
            w.rich("method.desk-research".into(), d);
        }
        if let Some(c) = &m.method.consultations {
            w.rich("method.consultations".into(), c);
        }
        for pl in &m.pillars {
            let base = format!("pillars[{}]", pl.id.value);
            w.plain(format!("{base}.title"), &pl.title);
            if let Some(d) = &pl.description {
                w.rich(format!("{base}.description"), d);
            }
        }
        let pb = &m.publication;
        for (name, t) in [
            ("disclaimer", &pb.disclaimer),
            ("citation", &pb.citation),
            ("publisher", &pb.publisher),
            ("contact", &pb.contact),
        ] {
            if let Some(t) = t {
                w.plain(format!("publication.{name}"), t);
            }
        }
        for (i, t) in pb.address.iter().enumerate() {
            w.untranslated(format!("publication.address[{i}]"), t);
        }
        for (i, t) in pb.credits.iter().enumerate() {
            w.plain(format!("publication.credits[{i}]"), t);
        }
        w.rich("executive-summary".into(), &m.executive_summary);
        if let Some(i) = &m.introduction {
            w.rich("introduction".into(), i);
        }
        for (i, k) in m.keywords.iter().enumerate() {
            w.plain(format!("keywords[{i}]"), k);
        }
        if let Some(img) = &m.cover_image {
            w.image("cover-image", img);
        }
    }
    if let Some(ps) = p.priorities {
        w.kind = FileKind::Priorities;
        for pr in ps {
            let base = format!("priorities[{}]", pr.id.value);
            w.plain(format!("{base}.title"), &pr.title);
            w.rich(format!("{base}.description"), &pr.description);
        }
    }
    if let Some(fs) = p.findings {
        w.kind = FileKind::Findings;
        for f in fs {
            let base = format!("findings[{}]", f.id.value);
            w.plain(format!("{base}.title"), &f.title);
            w.rich(format!("{base}.summary"), &f.summary);
            w.rich(format!("{base}.body"), &f.body);
        }
    }
    if let Some(rs) = p.recommendations {
        w.kind = FileKind::Recommendations;
        for r in rs {
            let base = format!("recommendations[{}]", r.id.value);
            w.plain(format!("{base}.title"), &r.title);
            w.rich(format!("{base}.summary"), &r.summary);
            w.rich(format!("{base}.rationale"), &r.rationale);
            for (i, a) in r.actions.iter().enumerate() {
                w.rich(format!("{base}.actions[{i}]"), a);
            }
            for (i, a) in r.actors.iter().enumerate() {
                w.plain(format!("{base}.actors[{i}]"), a);
            }
            w.plain(format!("{base}.timeframe"), &r.timeframe);
        }
    }
    if let Some(is) = p.indicators {
        w.kind = FileKind::Indicators;
        for ind in is {
            let base = format!("indicators[{}]", ind.id.value);
            w.plain(format!("{base}.label"), &ind.label);
            w.plain(format!("{base}.unit"), &ind.unit);
            for (i, c) in ind.categories.iter().enumerate() {
                w.plain(format!("{base}.categories[{i}]"), c);
            }
            if let Some(a) = &ind.axis {
                w.plain(format!("{base}.axis"), a);
            }
            for (i, s) in ind.series.iter().enumerate() {
                w.plain(format!("{base}.series[{i}].label"), &s.label);
            }
            if let Some(n) = &ind.note {
                w.plain(format!("{base}.note"), n);
            }
            if let Some(a) = &ind.alt {
                w.plain(format!("{base}.alt"), a);
            }
            if let Some(k) = &ind.key_figure {
                w.plain(format!("{base}.key-figure.label"), &k.label);
            }
        }
    }
    if let Some(ss) = p.sources {
        w.kind = FileKind::Sources;
        for s in ss {
            let base = format!("sources[{}]", s.id.value);
            // Publishers and titles may be descriptions written for this edition (a press
            // report's subject, an agency's English name), so they are translatable; a work's
            // own title can stay one string in its language.
            w.plain(format!("{base}.publisher"), &s.publisher);
            if let Some(a) = &s.author {
                w.untranslated(format!("{base}.author"), a);
            }
            w.plain(format!("{base}.title"), &s.title);
            // The citation label can be descriptive ("DECA summary"), so it is translated.
            if let Some(c) = &s.cite_as {
                w.plain(format!("{base}.cite-as"), c);
            }
        }
    }
    if let Some(t) = p.theme {
        w.kind = FileKind::Theme;
        if let Some(l) = &t.logo {
            w.image("logo", l);
        }
        for (i, m) in t.marks.iter().enumerate() {
            w.image(&format!("marks[{i}]"), m);
        }
        if let Some(o) = &t.organization {
            w.plain("organization".into(), o);
        }
    }
    w.out
}
