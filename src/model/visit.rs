//! Every text field of an assessment in one walk, with its file, field path and position.
//! Validation (empty text, language keys, citations) and translation reports use the same walk,
//! so no field is forgotten by one of them.

use serde_saphyr::{Location as YamlLocation, Spanned};

use super::path::FieldPath;
use super::raw;
use super::text::{Rich, Text};
use crate::source::FileKind;

/// One text field.
#[derive(Debug, Clone)]
pub(crate) struct TextField<'a> {
    pub kind: FileKind,
    /// How messages name the field: "`title` of finding 2 (`rural-access`)".
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
    fn plain(&mut self, path: &FieldPath, t: &'a Spanned<Text>) {
        self.push(path, &t.value, t.referenced, false, true);
    }
    fn rich(&mut self, path: &FieldPath, t: &'a Spanned<Rich>) {
        self.push(path, &t.value.0, t.referenced, true, true);
    }
    fn untranslated(&mut self, path: &FieldPath, t: &'a Spanned<Text>) {
        self.push(path, &t.value, t.referenced, false, false);
    }
    fn push(
        &mut self,
        path: &FieldPath,
        text: &'a Text,
        at: YamlLocation,
        rich: bool,
        translatable: bool,
    ) {
        self.out.push(TextField {
            kind: self.kind,
            path: path.to_string(),
            text,
            at,
            rich,
            translatable,
        });
    }
    fn image(&mut self, path: FieldPath, img: &'a raw::Image) {
        self.plain(&path.clone().key("alt"), &img.alt);
        if let Some(c) = &img.credit {
            self.plain(&path.key("credit"), c);
        }
    }
}

/// The root of a file's fields.
fn at(key: &str) -> FieldPath {
    FieldPath::root().key(key)
}

/// Item `i` (from 0) of a file's list, named by its id.
fn item(list: &str, i: usize, id: &str) -> FieldPath {
    at(list).index(i, Some(id))
}

/// Every text field, in file order.
pub(crate) fn texts<'a>(p: Parts<'a>) -> Vec<TextField<'a>> {
    let mut w = Walker {
        out: Vec::new(),
        kind: FileKind::Assessment,
    };
    if let Some(m) = p.meta {
        w.kind = FileKind::Assessment;
        w.plain(&at("country"), &m.country);
        w.plain(&at("title"), &m.title);
        if let Some(s) = &m.subtitle {
            w.plain(&at("subtitle"), s);
        }
        w.plain(&at("status"), &m.status);
        for (i, t) in m.team.iter().enumerate() {
            // A person's name needs no translation; a descriptive one ("Assessment team") may
            // still carry one, and it is used when present.
            let member = at("team").index(i, None);
            w.untranslated(&member.clone().key("name"), &t.name);
            if let Some(r) = &t.role {
                w.plain(&member.key("role"), r);
            }
        }
        if let Some(a) = &m.acknowledgements {
            w.rich(&at("acknowledgements"), a);
        }
        w.rich(&at("method").key("summary"), &m.method.summary);
        if let Some(d) = &m.method.desk_research {
            w.rich(&at("method").key("desk-research"), d);
        }
        if let Some(c) = &m.method.consultations {
            w.rich(&at("method").key("consultations"), c);
        }
        for (i, pl) in m.pillars.iter().enumerate() {
            let base = item("pillars", i, &pl.id.value);
            w.plain(&base.clone().key("title"), &pl.title);
            if let Some(d) = &pl.description {
                w.rich(&base.key("description"), d);
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
                w.plain(&at("publication").key(name), t);
            }
        }
        for (i, t) in pb.address.iter().enumerate() {
            w.untranslated(&at("publication").key("address").index(i, None), t);
        }
        for (i, t) in pb.credits.iter().enumerate() {
            w.plain(&at("publication").key("credits").index(i, None), t);
        }
        w.rich(&at("executive-summary"), &m.executive_summary);
        if let Some(i) = &m.introduction {
            w.rich(&at("introduction"), i);
        }
        for (i, k) in m.keywords.iter().enumerate() {
            w.plain(&at("keywords").index(i, None), k);
        }
        if let Some(img) = &m.cover_image {
            w.image(at("cover-image"), img);
        }
    }
    if let Some(ps) = p.priorities {
        w.kind = FileKind::Priorities;
        for (i, pr) in ps.iter().enumerate() {
            let base = item("priorities", i, &pr.id.value);
            w.plain(&base.clone().key("title"), &pr.title);
            w.rich(&base.key("description"), &pr.description);
        }
    }
    if let Some(fs) = p.findings {
        w.kind = FileKind::Findings;
        for (i, f) in fs.iter().enumerate() {
            let base = item("findings", i, &f.id.value);
            w.plain(&base.clone().key("title"), &f.title);
            w.rich(&base.clone().key("summary"), &f.summary);
            w.rich(&base.key("body"), &f.body);
        }
    }
    if let Some(rs) = p.recommendations {
        w.kind = FileKind::Recommendations;
        for (i, r) in rs.iter().enumerate() {
            let base = item("recommendations", i, &r.id.value);
            w.plain(&base.clone().key("title"), &r.title);
            w.rich(&base.clone().key("summary"), &r.summary);
            w.rich(&base.clone().key("rationale"), &r.rationale);
            for (k, a) in r.actions.iter().enumerate() {
                w.rich(&base.clone().key("actions").index(k, None), a);
            }
            for (k, a) in r.actors.iter().enumerate() {
                w.plain(&base.clone().key("actors").index(k, None), a);
            }
            w.plain(&base.key("timeframe"), &r.timeframe);
        }
    }
    if let Some(is) = p.indicators {
        w.kind = FileKind::Indicators;
        for (i, ind) in is.iter().enumerate() {
            let base = item("indicators", i, &ind.id.value);
            w.plain(&base.clone().key("label"), &ind.label);
            w.plain(&base.clone().key("unit"), &ind.unit);
            for (k, c) in ind.categories.iter().enumerate() {
                w.plain(&base.clone().key("categories").index(k, None), c);
            }
            if let Some(a) = &ind.axis {
                w.plain(&base.clone().key("axis"), a);
            }
            for (k, s) in ind.series.iter().enumerate() {
                w.plain(
                    &base.clone().key("series").index(k, None).key("label"),
                    &s.label,
                );
            }
            if let Some(n) = &ind.note {
                w.plain(&base.clone().key("note"), n);
            }
            if let Some(a) = &ind.alt {
                w.plain(&base.clone().key("alt"), a);
            }
            if let Some(k) = &ind.key_figure {
                w.plain(&base.key("key-figure").key("label"), &k.label);
            }
        }
    }
    if let Some(ss) = p.sources {
        w.kind = FileKind::Sources;
        for (i, s) in ss.iter().enumerate() {
            let base = item("sources", i, &s.id.value);
            // Publishers and titles may be descriptions written for this edition (a press
            // report's subject, an agency's English name), so they are translatable; a work's
            // own title can stay one string in its language.
            w.plain(&base.clone().key("publisher"), &s.publisher);
            if let Some(a) = &s.author {
                w.untranslated(&base.clone().key("author"), a);
            }
            w.plain(&base.clone().key("title"), &s.title);
            // The citation label can be descriptive ("DECA summary"), so it is translated.
            if let Some(c) = &s.cite_as {
                w.plain(&base.key("cite-as"), c);
            }
        }
    }
    if let Some(t) = p.theme {
        w.kind = FileKind::Theme;
        if let Some(l) = &t.logo {
            w.image(at("logo"), l);
        }
        for (i, m) in t.marks.iter().enumerate() {
            w.image(at("marks").index(i, None), m);
        }
        if let Some(o) = &t.organization {
            w.plain(&at("organization"), o);
        }
    }
    w.out
}
