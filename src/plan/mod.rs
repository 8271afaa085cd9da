//! The plan: which documents an assessment yields, and what each contains, as IR.
//!
//! Each kind has its own module. This one holds what they share to say things: text in the
//! document's language, rich text turned into IR blocks with citation labels and figure
//! references filled in, numbered titles and cross-references. `compose` builds the document
//! shell (page, front and back matter), `figures` turns indicators into figures and key
//! figures, and `typography` sets the finished text (quotes, no-break spaces).

mod brief;
mod compose;
mod figures;
mod onepager;
mod overview;
mod report;
mod typography;

use std::collections::HashMap;

use crate::edition::{Kind, Paper};
use crate::i18n::Locale;
use crate::ir::{self, Block, Inline};
use crate::model::rich::{self, RefScope};
use crate::model::{Assessment, Rich, Text, raw};

pub use figures::axis;

/// Everything a plan needs besides the assessment.
pub struct Ctx<'a> {
    /// The assessment the documents are made from.
    pub a: &'a Assessment,
    /// The language the documents are in: its labels and number formats.
    pub locale: &'a Locale,
    /// The paper the documents are laid out on.
    pub paper: Paper,
}

/// Which document: a kind and, for briefs and one-pagers, the priority or recommendation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    /// Which kind of document.
    pub kind: Kind,
    /// The priority id of a brief or the recommendation id of a one-pager; `None` otherwise.
    pub item: Option<String>,
}

impl Target {
    /// The file stem: `report`, `brief-integrity`, `onepager-rural-access`, `overview`.
    pub fn name(&self) -> String {
        match &self.item {
            Some(id) => format!("{}-{id}", self.kind.name()),
            None => self.kind.name().to_string(),
        }
    }
}

/// Every document of an assessment (per language), in build order: the report first, since
/// the others cite its pages.
pub fn targets(a: &Assessment) -> Vec<Target> {
    let mut out = vec![Target {
        kind: Kind::Report,
        item: None,
    }];
    out.extend(a.priorities.iter().map(|p| Target {
        kind: Kind::Brief,
        item: Some(p.id.value.clone()),
    }));
    out.extend(a.recommendations.iter().map(|r| Target {
        kind: Kind::Onepager,
        item: Some(r.id.value.clone()),
    }));
    out.push(Target {
        kind: Kind::Overview,
        item: None,
    });
    out
}

/// Builds one document.
pub fn document(ctx: &Ctx, target: &Target) -> ir::Document {
    let mut doc = match target.kind {
        Kind::Report => report::build(ctx),
        Kind::Brief => brief::build(
            ctx,
            target.item.as_deref().expect("a brief names a priority"),
        ),
        Kind::Onepager => onepager::build(
            ctx,
            target
                .item
                .as_deref()
                .expect("a one-pager names a recommendation"),
        ),
        Kind::Overview => overview::build(ctx),
    };
    doc.name = target.name();
    typography::set(&mut doc, ctx.locale);
    doc
}

/// Where the figures of a document are: the number each indicator's figure has in it.
/// References to figures elsewhere point into the report, with the report's numbers.
#[derive(Debug, Default, Clone)]
pub struct FigureNumbers {
    /// Figures placed in this document.
    pub here: HashMap<String, usize>,
    /// Figures of the report.
    pub report: HashMap<String, usize>,
}

impl<'a> Ctx<'a> {
    /// The language's code, e.g. `es`.
    pub fn lang(&self) -> &str {
        &self.locale.lang
    }

    /// Plain text in this language (falling back to the default language), its white space
    /// folded: a title written over two YAML lines is one line of text.
    pub fn t(&self, text: &Text) -> String {
        self.source_text(text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The text as written, line breaks kept (rich text is parsed from it).
    fn source_text(&self, text: &Text) -> String {
        text.get(self.lang(), self.a.default_lang()).0.into_owned()
    }

    /// A label in this language; an unknown key prints as itself.
    pub fn label(&self, key: &str) -> String {
        self.locale.label(key)
    }

    /// A label in this language with its `{name}` placeholders filled from `args`.
    pub fn fmt(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.locale.fmt(key, args)
    }

    /// Rich text as parsed blocks (before labels are filled), e.g. to find figure references.
    pub fn parse(&self, r: &Rich) -> Vec<rich::Block> {
        rich::parse(&self.source_text(r)).blocks
    }

    /// Rich text as IR blocks, with citation labels and figure references filled in.
    pub fn blocks(&self, r: &Rich, figs: &FigureNumbers) -> Vec<Block> {
        self.parse(r).iter().map(|b| self.block(b, figs)).collect()
    }

    /// Rich text as one run of inlines (for summaries and list items).
    pub fn inlines(&self, r: &Rich, figs: &FigureNumbers) -> Vec<Inline> {
        self.fill(rich::single_paragraph(&self.parse(r)), figs)
    }

    /// One parsed block as IR.
    pub fn block(&self, b: &rich::Block, figs: &FigureNumbers) -> Block {
        match b {
            rich::Block::Paragraph { content } => Block::Paragraph {
                content: self.fill(content.clone(), figs),
                role: None,
            },
            rich::Block::List {
                ordered,
                start,
                items,
            } => Block::List {
                ordered: *ordered,
                start: *start,
                items: items
                    .iter()
                    .map(|i| i.iter().map(|b| self.block(b, figs)).collect())
                    .collect(),
            },
        }
    }

    /// Fills citation labels, `(INEI 2023; OSIPTEL 2019)`, and figure references, `Figure 3`.
    fn fill(&self, inlines: Vec<Inline>, figs: &FigureNumbers) -> Vec<Inline> {
        inlines
            .into_iter()
            .map(|i| match i {
                Inline::Cite { ids, .. } => {
                    let labels: Vec<String> = ids.iter().map(|id| self.cite_label(id)).collect();
                    Inline::Cite {
                        label: format!("({})", self.locale.semicolon_list(&labels)),
                        ids,
                    }
                }
                Inline::Ref { target, .. } => self.figure_ref(&target, figs),
                Inline::Emph { content } => Inline::Emph {
                    content: self.fill(content, figs),
                },
                Inline::Strong { content } => Inline::Strong {
                    content: self.fill(content, figs),
                },
                Inline::Link { url, content } => Inline::Link {
                    url,
                    content: self.fill(content, figs),
                },
                Inline::Footnote { content } => Inline::Footnote {
                    content: self.fill(content, figs),
                },
                other => other,
            })
            .collect()
    }

    /// "Figure 3": to the figure in this document, or else to the report's.
    fn figure_ref(&self, anchor: &str, figs: &FigureNumbers) -> Inline {
        let id = anchor.strip_prefix("figure-").unwrap_or(anchor);
        let (n, scope) = match figs.here.get(id) {
            Some(n) => (*n, RefScope::Document),
            None => (figs.report.get(id).copied().unwrap_or(0), RefScope::Report),
        };
        Inline::Ref {
            target: anchor.to_string(),
            text: self.fmt("figure-n", &[("n", &n.to_string())]),
            scope,
        }
    }

    /// How a source is cited: its `cite-as`, or publisher and year.
    pub fn cite_label(&self, id: &str) -> String {
        let Some(s) = self.a.source(id) else {
            return id.to_string();
        };
        if let Some(c) = &s.cite_as {
            return self.t(&c.value);
        }
        match &s.year {
            Some(y) => format!("{} {}", self.t(&s.publisher.value), y.value),
            None => self.t(&s.publisher.value),
        }
    }

    /// A numbered title as the language writes it: "Finding 3: …", "Pilier 1 : …".
    fn numbered(&self, key: &str, n: u32, title: &Text) -> String {
        self.fmt(
            "numbered-title",
            &[
                ("label", &self.fmt(key, &[("n", &n.to_string())])),
                ("title", &self.t(title)),
            ],
        )
    }

    /// "Finding 3: The Amazon rainforest and the Andes...", as headings and references say it.
    pub fn finding_title(&self, f: &raw::Finding) -> String {
        self.numbered("finding-n", f.number.value, &f.title.value)
    }

    /// "Recommendation 3: Scale community digital literacy...".
    pub fn recommendation_title(&self, r: &raw::Recommendation) -> String {
        self.numbered("recommendation-n", r.number.value, &r.title.value)
    }

    /// "Pillar 1: Digital Infrastructure and Adoption".
    pub fn pillar_title(&self, p: &raw::Pillar) -> String {
        self.numbered("pillar-n", p.number.value, &p.title.value)
    }

    /// A reference to a finding in this document.
    pub fn finding_ref(&self, f: &raw::Finding) -> Inline {
        reference(&finding_anchor(f), self.finding_title(f))
    }

    /// A reference to a recommendation in this document.
    pub fn recommendation_ref(&self, r: &raw::Recommendation) -> Inline {
        reference(&recommendation_anchor(r), self.recommendation_title(r))
    }

    /// Titles of priorities, joined for a facts line.
    pub fn priority_titles(&self, ids: &[serde_saphyr::Spanned<String>]) -> String {
        let titles = ids
            .iter()
            .filter_map(|id| self.a.priority(&id.value))
            .map(|p| self.t(&p.title.value))
            .collect::<Vec<_>>();
        self.locale.semicolon_list(&titles)
    }

    /// The findings in the order the report prints them: by pillar, then by number.
    pub fn findings_in_report_order(&self) -> Vec<&'a raw::Finding> {
        let mut pillars: Vec<_> = self.a.meta.pillars.iter().collect();
        pillars.sort_by_key(|p| p.number.value);
        pillars
            .iter()
            .flat_map(|p| {
                self.a
                    .findings
                    .iter()
                    .filter(move |f| f.pillar.value == p.id.value)
            })
            .collect()
    }
}

/// The anchor of a finding's heading.
pub fn finding_anchor(f: &raw::Finding) -> String {
    format!("finding-{}", f.id.value)
}

/// The anchor of a recommendation's heading.
pub fn recommendation_anchor(r: &raw::Recommendation) -> String {
    format!("recommendation-{}", r.id.value)
}

/// A reference to an anchor in this document.
fn reference(target: &str, text: String) -> Inline {
    Inline::Ref {
        target: target.to_string(),
        text,
        scope: RefScope::Document,
    }
}

/// The same reference, pointing at the full report instead (for briefs and one-pagers).
pub fn in_report(inline: Inline) -> Inline {
    match inline {
        Inline::Ref { target, text, .. } => Inline::Ref {
            target,
            text,
            scope: RefScope::Report,
        },
        other => other,
    }
}

/// Appends a source's URL after a space, as a link that reads as the URL itself.
fn push_url(content: &mut Vec<Inline>, url: &str) {
    let url = crate::model::text::sanitize(url).into_owned();
    content.push(Inline::text(" "));
    content.push(Inline::Link {
        content: vec![Inline::text(url.clone())],
        url,
    });
}

/// A heading block.
pub fn heading(level: u8, text: impl Into<String>, anchor: Option<String>) -> Block {
    Block::Heading {
        level,
        content: vec![Inline::text(text)],
        anchor,
        outlined: true,
        new_page: false,
    }
}

/// A chapter heading: level 1, on a new page.
pub fn chapter(text: impl Into<String>, anchor: &str) -> Block {
    Block::Heading {
        level: 1,
        content: vec![Inline::text(text)],
        anchor: Some(anchor.to_string()),
        outlined: true,
        new_page: true,
    }
}

/// A paragraph with a role.
pub fn para(content: Vec<Inline>, role: Option<ir::Role>) -> Block {
    Block::Paragraph { content, role }
}

/// A list whose items are single paragraphs.
pub fn list(ordered: bool, items: Vec<Vec<Inline>>) -> Block {
    Block::List {
        ordered,
        start: 1,
        items: items.into_iter().map(|i| vec![para(i, None)]).collect(),
    }
}

#[cfg(test)]
mod tests;
