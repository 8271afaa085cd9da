//! The checks every text field gets, in every language it is written in: a declared
//! language, no empty text, no characters documents cannot carry, and in rich text defined
//! footnotes, known citations and figures, and nesting the documents can show.

use super::checker::Checker;
use super::rich;
use super::visit::{self, Parts};
use crate::diag::{Diagnostic, Location};
use crate::suggest;

/// What the fields may refer to; `None` when the file that defines it did not load.
pub(super) struct Known<'a> {
    pub languages: Option<&'a [&'a str]>,
    pub indicators: Option<&'a [&'a str]>,
    pub sources: Option<&'a [&'a str]>,
}

/// Checks every text field.
pub(super) fn check(c: &mut Checker, parts: Parts, default_lang: &str, known: &Known) {
    for field in visit::texts(parts) {
        let at = c.loc_at(field.kind, &field.at);
        // Occurrences of each needle already reported in this field (one per language), so
        // each language's problem points at its own text.
        let mut reported: Vec<String> = Vec::new();
        for (lang, s) in field.text.variants(default_lang) {
            if let Some(langs) = &known.languages
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
                    c.diags.push(match issue {
                        rich::Issue::UndefinedFootnote { label, .. } => Diagnostic::error(format!(
                            "footnote `[^{label}]` in {} has no text",
                            field.path
                        ))
                        .at_opt(find_nth(at.as_ref(), &format!("[^{label}]"), 0))
                        .hint(format!("add a line `[^{label}]: ...` after the paragraph")),
                        rich::Issue::TooDeep {
                            what,
                            depth,
                            limit,
                            range,
                        } => too_deep(
                            field.path.as_str(),
                            &lang_suffix(field.text, lang),
                            *what,
                            *depth,
                            *limit,
                        )
                        .at_opt(find_nth(
                            at.as_ref(),
                            first_line(&s[range.clone()]),
                            0,
                        )),
                    });
                }
                if let Some(known) = &known.indicators {
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
                if let Some(known) = &known.sources {
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
}

/// Nesting the documents cannot show, with the limit.
fn too_deep(path: &str, lang: &str, what: rich::Nesting, depth: usize, limit: usize) -> Diagnostic {
    match what {
        rich::Nesting::Lists => Diagnostic::error(format!(
            "lists nested {depth} levels deep in {path}{lang}; documents show at most {limit} levels"
        ))
        .label(format!("level {}", limit + 1))
        .hint("move the deepest items up a level, or write them as sentences of the item above"),
        rich::Nesting::Formatting => Diagnostic::error(format!(
            "emphasis, strong text and links nested {depth} levels deep in {path}{lang}; documents show at most {limit} levels"
        ))
        .label(format!("level {}", limit + 1))
        .hint("remove the inner `*`, `**` or links"),
    }
}

/// The first line of a piece of text, trimmed: what to look for in the file.
fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("").trim()
}

fn lang_suffix(t: &super::Text, lang: &str) -> String {
    match t {
        super::Text::Plain(_) => String::new(),
        super::Text::Translated(_) => format!(" in `{lang}`"),
    }
}

/// Narrows a field's location to the `nth` occurrence of `needle` inside it, so an error in a
/// long text points at the citation rather than at the start of the field.
pub(super) fn find_nth(at: Option<&Location>, needle: &str, nth: usize) -> Option<Location> {
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
