//! The document shell every kind shares: file properties, the page (paper, margins, the text
//! column and the wide measure, running header and footer), the front matter of a cover or
//! title band, the back matter, and the theme.

use std::collections::BTreeMap;

use super::Ctx;
use crate::edition::{Kind, Paper};
use crate::ir::{
    self, Back, Block, Front, Margins, Meta, Page, RunningFooter, RunningHeader, Theme,
};
use crate::model::raw;

/// The body text column, in millimetres: 10.5 pt Caladea sets 65–75 characters a line in it.
const TEXT_COLUMN: f64 = 110.0;

impl Ctx<'_> {
    /// The file's properties; `title` is what a reader's title bar shows.
    pub fn meta(&self, title: String) -> Meta {
        let m = &self.a.meta;
        Meta {
            title,
            assessment: self.t(&m.title.value),
            country: self.t(&m.country.value),
            author: self.author(),
            organization: self.organization(),
            keywords: m.keywords.iter().map(|k| self.t(&k.value)).collect(),
            date: self.locale.date(self.a.date),
            date_iso: self.a.date.to_string(),
        }
    }

    /// The people who wrote it; the organisation when no team is named.
    fn author(&self) -> String {
        let m = &self.a.meta;
        if m.team.is_empty() {
            self.organization().unwrap_or_default()
        } else {
            m.team
                .iter()
                .map(|t| self.t(&t.name.value))
                .collect::<Vec<_>>()
                .join(", ")
        }
    }

    fn organization(&self) -> Option<String> {
        self.a.theme.organization.as_ref().map(|o| self.t(&o.value))
    }

    /// The page of a kind on the chosen paper. Reports and briefs set body text in a column
    /// of a readable measure and let figures, tables and chapter titles use the side column
    /// too; one-page documents use the whole width, in columns of their own.
    pub fn page(&self, kind: Kind) -> Page {
        let (paper, width, height) = match self.paper {
            Paper::A4 => ("a4", 210.0, 297.0),
            Paper::Letter => ("us-letter", 215.9, 279.4),
        };
        let m = &self.a.meta;
        let date = self.locale.date(self.a.date);
        let (margin, text_width) = match kind {
            Kind::Report | Kind::Brief => (
                Margins {
                    top: 24.0,
                    bottom: 24.0,
                    left: 22.0,
                    right: 18.0,
                },
                TEXT_COLUMN,
            ),
            Kind::Onepager | Kind::Overview => {
                let margin = Margins {
                    top: 14.0,
                    bottom: 16.0,
                    left: 16.0,
                    right: 16.0,
                };
                let text = width - margin.left - margin.right;
                (margin, text)
            }
        };
        let wide = (width - margin.left - margin.right - text_width).max(0.0);
        // Running lines stay short: they are page furniture, which readers skip, and a long
        // line of words there reads as prose hidden from assistive technology.
        let header = match kind {
            Kind::Report => RunningHeader {
                visible: true,
                left: String::new(),
                right: None,
                chapter: true,
                from_page: 2,
                skip_chapter_openers: true,
            },
            Kind::Brief => RunningHeader {
                visible: true,
                // The brief's title, set by its plan.
                left: String::new(),
                right: Some(self.t(&m.country.value)),
                chapter: false,
                from_page: 2,
                skip_chapter_openers: false,
            },
            Kind::Onepager | Kind::Overview => RunningHeader {
                visible: false,
                left: String::new(),
                right: None,
                chapter: false,
                from_page: 1,
                skip_chapter_openers: false,
            },
        };
        let footer = RunningFooter {
            visible: !kind.is_one_page(),
            left: date,
            page_numbers: !kind.is_one_page(),
            from_page: if kind == Kind::Report { 2 } else { 1 },
        };
        Page {
            paper: paper.to_string(),
            width,
            height,
            margin,
            text_width,
            wide,
            header,
            footer,
        }
    }

    /// The front matter; kinds set kicker, title and context.
    pub fn front(&self, kind: Kind, kicker: String, title: String) -> Front {
        let m = &self.a.meta;
        let status = self.t(&m.status.value);
        Front {
            cover: kind == Kind::Report,
            kicker,
            title,
            subtitle: match kind {
                Kind::Report => m.subtitle.as_ref().map(|s| self.t(&s.value)),
                _ => None,
            },
            context: format!(
                "{} · {}",
                self.t(&m.title.value),
                self.locale.date(self.a.date)
            ),
            date_line: self.fmt("published", &[("date", &self.locale.date(self.a.date))]),
            tag: (!status.is_empty()).then(|| self.label("illustrative")),
            status: (!status.is_empty()).then_some(status),
            marks: self.marks(),
            organization: self.organization(),
            image: match kind {
                Kind::Report => m.cover_image.as_ref().map(|i| self.image(i)),
                _ => None,
            },
        }
    }

    /// The theme's identity marks: its logo first, then the other marks.
    fn marks(&self) -> Vec<ir::Image> {
        let th = &self.a.theme;
        th.logo
            .iter()
            .chain(&th.marks)
            .map(|i| self.image(i))
            .collect()
    }

    /// The back matter: disclaimer, citation, team, publisher and contacts.
    pub fn back(&self) -> Back {
        let m = &self.a.meta;
        let p = &m.publication;
        let opt = |t: &Option<serde_saphyr::Spanned<crate::model::Text>>| {
            t.as_ref().map(|t| self.t(&t.value))
        };
        let team = m
            .team
            .iter()
            .map(|t| match &t.role {
                Some(r) => format!("{}, {}", self.t(&t.name.value), self.t(&r.value)),
                None => self.t(&t.name.value),
            })
            .collect();
        let mut credits: Vec<String> = p.credits.iter().map(|c| self.t(&c.value)).collect();
        if let Some(c) = m.cover_image.as_ref().and_then(|i| i.credit.as_ref()) {
            let credit = self.fmt("cover-credit", &[("credit", &self.t(&c.value))]);
            if !credits.contains(&credit) {
                credits.insert(0, credit);
            }
        }
        Back {
            disclaimer: opt(&p.disclaimer),
            citation: opt(&p.citation).or_else(|| Some(self.citation())),
            team,
            publisher: opt(&p.publisher).or_else(|| self.organization()),
            address: p.address.iter().map(|a| self.t(&a.value)).collect(),
            web: p.web.as_ref().map(|w| w.value.clone()),
            contact: opt(&p.contact),
            credits,
        }
    }

    /// A suggested citation when the data gives none: authors, year, title, publisher.
    fn citation(&self) -> String {
        let m = &self.a.meta;
        let mut s = format!(
            "{} ({}). {}.",
            self.author(),
            self.a.date.year(),
            self.t(&m.title.value)
        );
        if let Some(o) = self.organization() {
            s.push_str(&format!(" {o}."));
        }
        s
    }

    /// An image as the IR carries it: served under `/assets/`, its alt text and credit in this language.
    pub fn image(&self, i: &raw::Image) -> ir::Image {
        ir::Image {
            path: format!("/assets/{}", i.path.value),
            alt: self.t(&i.alt.value),
            credit: i.credit.as_ref().map(|c| self.t(&c.value)),
        }
    }

    /// The brand colours and fonts, with defaults for what the theme leaves out.
    pub fn theme(&self) -> Theme {
        let th = &self.a.theme;
        let color = |c: &Option<serde_saphyr::Spanned<String>>, d: &str| {
            c.as_ref().map_or(d.to_string(), |c| c.value.clone())
        };
        Theme {
            primary: color(&th.colors.primary, "#002F6C"),
            accent: color(&th.colors.accent, "#BA0C2F"),
            text: color(&th.colors.text, "#212721"),
            tint: color(&th.colors.tint, "#E8EEF6"),
            heading_font: th
                .fonts
                .heading
                .as_ref()
                .map_or(crate::fonts::SANS.to_string(), |f| f.value.clone()),
            body_font: th
                .fonts
                .body
                .as_ref()
                .map_or(crate::fonts::SERIF.to_string(), |f| f.value.clone()),
        }
    }

    /// A document: metadata, page, front and back matter, theme and labels; kinds add blocks.
    pub fn document(
        &self,
        kind: Kind,
        meta: Meta,
        front: Front,
        blocks: Vec<Block>,
    ) -> ir::Document {
        ir::Document {
            kind,
            name: String::new(),
            priority: None,
            recommendation: None,
            // Typst and Word take the language and the region apart: `es` and `PE`.
            lang: self.locale.primary_language().to_string(),
            region: self.locale.region.clone(),
            dir: self.locale.dir,
            meta,
            page: self.page(kind),
            front,
            back: self.back(),
            theme: self.theme(),
            labels: self
                .locale
                .labels
                .clone()
                .into_iter()
                .collect::<BTreeMap<_, _>>(),
            blocks,
            scale: 1.0,
        }
    }
}
