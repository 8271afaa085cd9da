//! The last pass over a planned document: typographic quotes and apostrophes in the
//! language's style, an ellipsis for three dots, and no-break spaces where a line must not
//! break (between a number and its unit, inside a citation). It runs on the IR, so every
//! renderer prints the same characters. URLs are never touched.

use crate::i18n::Locale;
use crate::ir::{Block, Document, Figure, Inline};

/// Units that stay on the line of the number before them.
const UNITS: [&str; 22] = [
    "%", "‰", "km²", "km", "m²", "m", "cm", "mm", "kg", "g", "t", "kB", "MB", "GB", "TB", "kbps",
    "Mbps", "Gbps", "MHz", "GHz", "kW", "MW",
];

/// Sets every text of a document.
pub(super) fn set(doc: &mut Document, locale: &Locale) {
    let q = &locale.quotes;
    let mut one = |s: &mut String| *s = Setter::new(q).run(s);
    let f = &mut doc.front;
    for s in [
        &mut f.kicker,
        &mut f.title,
        &mut f.context,
        &mut f.date_line,
    ] {
        one(s);
    }
    for s in [&mut f.subtitle, &mut f.status].into_iter().flatten() {
        one(s);
    }
    let b = &mut doc.back;
    for s in [
        &mut b.disclaimer,
        &mut b.citation,
        &mut b.publisher,
        &mut b.contact,
    ]
    .into_iter()
    .flatten()
    {
        one(s);
    }
    b.team.iter_mut().chain(&mut b.credits).for_each(&mut one);
    one(&mut doc.meta.title);
    blocks(&mut doc.blocks, q);
}

fn blocks(bs: &mut [Block], q: &[String; 4]) {
    for b in bs {
        match b {
            Block::Heading { content, .. } | Block::Paragraph { content, .. } => {
                inlines(content, q);
            }
            Block::List { items, .. } => items.iter_mut().for_each(|i| blocks(i, q)),
            Block::Table(t) => {
                for cell in t.header.iter_mut().chain(t.rows.iter_mut().flatten()) {
                    inlines(cell, q);
                }
                if let Some(n) = &mut t.note {
                    inlines(n, q);
                }
            }
            Block::Figure(f) => figure(f, q),
            Block::FigureRow { figures } => figures.iter_mut().for_each(|f| figure(f, q)),
            Block::Callout {
                title,
                blocks: inner,
                ..
            } => {
                if let Some(t) = title {
                    *t = Setter::new(q).run(t);
                }
                blocks(inner, q);
            }
            Block::Facts { items } => items.iter_mut().for_each(|f| inlines(&mut f.value, q)),
            Block::KeyFigures { items } => {
                for k in items {
                    k.label = Setter::new(q).run(&k.label);
                }
            }
            Block::Sources { entries } => {
                entries.iter_mut().for_each(|e| inlines(&mut e.content, q));
            }
            Block::Keep { blocks: inner }
            | Block::Aside { blocks: inner }
            | Block::Multicol { blocks: inner, .. } => blocks(inner, q),
            Block::Columns { main, side } => {
                blocks(main, q);
                blocks(side, q);
            }
            Block::Toc | Block::Field { .. } => {}
        }
    }
}

fn figure(f: &mut Figure, q: &[String; 4]) {
    f.title = Setter::new(q).run(&f.title);
    f.alt = Setter::new(q).run(&f.alt);
    if let Some(n) = &mut f.note {
        *n = Setter::new(q).run(n);
    }
    if let Some(s) = &mut f.source {
        inlines(s, q);
    }
    for t in &mut f.tiles {
        t.label = Setter::new(q).run(&t.label);
    }
    if let Some(c) = &mut f.chart {
        c.title = f.title.clone();
    }
}

/// Sets a run of inlines as one text: a quote opened in one run closes in the next.
fn inlines(v: &mut [Inline], q: &[String; 4]) {
    let mut s = Setter::new(q);
    walk(v, &mut s);
}

fn walk(v: &mut [Inline], s: &mut Setter) {
    for i in v {
        match i {
            Inline::Text { text } => *text = s.run(text),
            Inline::Emph { content }
            | Inline::Strong { content }
            | Inline::Footnote { content } => walk(content, s),
            Inline::Link { url, content } => {
                // A URL shown as itself stays exactly as written.
                let shown = matches!(content.as_slice(), [Inline::Text { text }] if text == url);
                if !shown {
                    walk(content, s);
                }
                s.prev = Some('x');
            }
            Inline::Cite { label, .. } => {
                // "(INEI 2023; OSIPTEL s. f.)": breaks only after a semicolon.
                *label = label
                    .split("; ")
                    .map(|part| part.replace(' ', "\u{a0}"))
                    .collect::<Vec<_>>()
                    .join("; ");
                s.prev = Some(')');
            }
            Inline::Ref { text, .. } => {
                *text = s.run(text);
            }
            Inline::Break => s.prev = None,
        }
    }
}

/// The state of one pass over a text: the character before the current one.
struct Setter<'q> {
    quotes: &'q [String; 4],
    prev: Option<char>,
}

impl<'q> Setter<'q> {
    fn new(quotes: &'q [String; 4]) -> Self {
        Setter { quotes, prev: None }
    }

    /// Whether a quote after `prev` opens (at the start, after a space or an opening mark).
    fn opens(&self) -> bool {
        match self.prev {
            None => true,
            Some(c) => {
                c.is_whitespace()
                    || matches!(c, '(' | '[' | '{' | '—' | '–' | '/' | '\u{a0}')
                    || self.quotes.iter().any(|q| q.trim() == c.to_string())
            }
        }
    }

    fn run(&mut self, text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            let next = chars.get(i + 1).copied();
            match c {
                '"' => {
                    let q = if self.opens() {
                        &self.quotes[0]
                    } else {
                        &self.quotes[1]
                    };
                    out.push_str(q);
                }
                '\'' => {
                    let letter_before = self.prev.is_some_and(char::is_alphanumeric);
                    let apostrophe = letter_before || next.is_some_and(|n| n.is_ascii_digit());
                    let q = if apostrophe {
                        "’"
                    } else if self.opens() {
                        &self.quotes[2]
                    } else {
                        &self.quotes[3]
                    };
                    out.push_str(q);
                }
                '.' if next == Some('.') && chars.get(i + 2) == Some(&'.') => {
                    out.push('…');
                    i += 2;
                }
                ' ' if self.prev.is_some_and(|p| p.is_ascii_digit())
                    && unit_at(&chars[i + 1..]) =>
                {
                    out.push('\u{a0}');
                }
                // A citation typed as text, "(CAPECE 2019)": its year stays with its name.
                ' ' if year_closes(&chars[i + 1..]) => out.push('\u{a0}'),
                _ => out.push(c),
            }
            self.prev = out.chars().last();
            i += 1;
        }
        out
    }
}

/// Whether a year (with an optional letter, `2022b`) closing a parenthesis or a citation
/// list starts here.
fn year_closes(rest: &[char]) -> bool {
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits != 4 {
        return false;
    }
    let mut k = digits;
    if rest.get(k).is_some_and(char::is_ascii_lowercase) {
        k += 1;
    }
    matches!(rest.get(k), Some(')' | ';'))
}

/// Whether a unit starts here and ends at a word boundary.
fn unit_at(rest: &[char]) -> bool {
    UNITS.iter().any(|u| {
        let n = u.chars().count();
        rest.len() >= n
            && rest[..n].iter().copied().eq(u.chars())
            && rest.get(n).is_none_or(|c| !c.is_alphanumeric())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en() -> [String; 4] {
        ["“", "”", "‘", "’"].map(String::from)
    }

    fn set(s: &str) -> String {
        Setter::new(&en()).run(s)
    }

    #[test]
    fn quotes_and_apostrophes_become_typographic() {
        assert_eq!(set(r#"Peru's "digital" 'gap'"#), "Peru’s “digital” ‘gap’");
        assert_eq!(set("the '90s (\"A\")"), "the ’90s (“A”)");
        assert_eq!(set("wait..."), "wait…");
    }

    #[test]
    fn spanish_quotes_follow_the_locale() {
        let es = ["«", "»", "“", "”"].map(String::from);
        assert_eq!(
            Setter::new(&es).run(r#"el "Perú en tus manos""#),
            "el «Perú en tus manos»"
        );
    }

    #[test]
    fn a_number_keeps_its_unit_on_its_line() {
        assert_eq!(
            set("89.2 % and 40 Mbps, 3 mangoes"),
            "89.2\u{a0}% and 40\u{a0}Mbps, 3 mangoes"
        );
        assert_eq!(set("at 5 min."), "at 5 min.");
    }

    #[test]
    fn a_typed_citation_keeps_its_year() {
        assert_eq!(
            set("Business (CAPECE 2019)."),
            "Business (CAPECE\u{a0}2019)."
        );
        assert_eq!(
            set("(INEI 2022b; in 2021 and"),
            "(INEI\u{a0}2022b; in 2021 and"
        );
    }

    #[test]
    fn a_quote_spanning_emphasis_closes_after_it() {
        let mut v = vec![
            Inline::text("say \""),
            Inline::Emph {
                content: vec![Inline::text("yes")],
            },
            Inline::text("\" now"),
        ];
        inlines(&mut v, &en());
        assert_eq!(v[0], Inline::text("say “"));
        assert_eq!(v[2], Inline::text("” now"));
    }

    #[test]
    fn urls_and_citations_are_kept_whole() {
        let url = "https://x.org/a'b\"c";
        let mut v = vec![
            Inline::Link {
                url: url.into(),
                content: vec![Inline::text(url)],
            },
            Inline::Cite {
                ids: vec!["a".into(), "b".into()],
                label: "(ebiz.pe s. f.-a; INEI 2023)".into(),
            },
        ];
        inlines(&mut v, &en());
        assert_eq!(
            v[0],
            Inline::Link {
                url: url.into(),
                content: vec![Inline::text(url)]
            }
        );
        assert_eq!(
            v[1],
            Inline::Cite {
                ids: vec!["a".into(), "b".into()],
                label: "(ebiz.pe\u{a0}s.\u{a0}f.-a; INEI\u{a0}2023)".into(),
            }
        );
    }
}
